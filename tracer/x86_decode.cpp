#include "tracer/x86_decode.hpp"

#include <cstring>

namespace tracer::x86 {
namespace {

// Operand encodings after the opcode, per one-byte opcode (Intel SDM vol. 2, appendix A, 64-bit mode):
//   M  a ModRM byte (and SIB and displacement)      I1/I2/I4  an immediate of 1, 2 or 4 bytes
//   Z  an immediate of 4 bytes, 2 with the 66 prefix (iz)    X  invalid in 64-bit mode
//   P  a prefix (handled before the table)           R1/R4  a relative displacement of 1 or 4 bytes
enum : uint8_t {
    N = 0,      // nothing after the opcode
    M = 1,      // ModRM
    I1 = 2,     // imm8
    I2 = 4,     // imm16
    Z = 8,      // imm16/32
    R1 = 16,    // rel8
    R4 = 32,    // rel32
    X = 64,     // invalid
    SPECIAL = 128,
};

// The one-byte map. SPECIAL: decided in code (prefixes, VEX/EVEX, moffs, mov r64 imm64, F6/F7, enter).
constexpr uint8_t kOneByte[256] = {
    /* 00 */ M, M, M, M, I1, Z, X, X, M, M, M, M, I1, Z, X, SPECIAL,
    /* 10 */ M, M, M, M, I1, Z, X, X, M, M, M, M, I1, Z, X, X,
    /* 20 */ M, M, M, M, I1, Z, SPECIAL, X, M, M, M, M, I1, Z, SPECIAL, X,
    /* 30 */ M, M, M, M, I1, Z, SPECIAL, X, M, M, M, M, I1, Z, SPECIAL, X,
    /* 40 */ SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL,
             SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL,
    /* 50 */ N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    /* 60 */ X, X, SPECIAL, M, SPECIAL, SPECIAL, SPECIAL, SPECIAL, Z, M | Z, I1, M | I1, N, N, N, N,
    /* 70 */ R1, R1, R1, R1, R1, R1, R1, R1, R1, R1, R1, R1, R1, R1, R1, R1,
    /* 80 */ M | I1, M | Z, X, M | I1, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 90 */ N, N, N, N, N, N, N, N, N, N, X, N, N, N, N, N,
    /* A0 */ SPECIAL, SPECIAL, SPECIAL, SPECIAL, N, N, N, N, I1, Z, N, N, N, N, N, N,
    /* B0 */ I1, I1, I1, I1, I1, I1, I1, I1, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL,
    /* C0 */ M | I1, M | I1, I2, N, SPECIAL, SPECIAL, M | I1, M | Z, SPECIAL, N, I2, N, N, I1, X, N,
    /* D0 */ M, M, M, M, X, X, X, N, M, M, M, M, M, M, M, M,
    /* E0 */ R1, R1, R1, R1, I1, I1, I1, I1, R4, R4, X, R1, N, N, N, N,
    /* F0 */ SPECIAL, N, SPECIAL, SPECIAL, N, N, SPECIAL, SPECIAL, N, N, N, N, N, N, M, M,
};

// The 0F map.
constexpr uint8_t k0F[256] = {
    /* 00 */ M, M, M, M, X, N, N, N, N, N, X, N, X, M, N, M | I1,
    /* 10 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 20 */ M, M, M, M, X, X, X, X, M, M, M, M, M, M, M, M,
    /* 30 */ N, N, N, N, N, N, X, N, SPECIAL, X, SPECIAL, X, X, X, X, X,
    /* 40 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 50 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 60 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 70 */ M | I1, M | I1, M | I1, M | I1, M, M, M, N, M, M, X, X, M, M, M, M,
    /* 80 */ R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4,
    /* 90 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* A0 */ N, N, N, M, M | I1, M, X, X, N, N, N, M, M | I1, M, M, M,
    /* B0 */ M, M, M, M, M, M, M, M, M, M, M | I1, M, M, M, M, M,
    /* C0 */ M, M, M | I1, M, M | I1, M | I1, M | I1, M, N, N, N, N, N, N, N, N,
    /* D0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* E0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* F0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
};

// Map-1 (0F) opcodes that take an imm8 also in their VEX/EVEX forms.
bool map1_has_imm8(uint8_t op) { return (op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6); }

struct Cursor {
    const uint8_t* p;
    size_t avail, n = 0;
    bool ok = true;
    uint8_t next() {
        if (n >= avail) {
            ok = false;
            return 0;
        }
        return p[n++];
    }
    void skip(size_t k) {
        if (n + k > avail) ok = false;
        n += k;
    }
};

// ModRM, SIB and displacement. Returns false when the bytes run out.
void modrm(Cursor& c, Insn& in, bool addr32) {
    (void)addr32;  // 32-bit addressing in 64-bit mode uses the same forms
    uint8_t m = c.next();
    uint8_t mod = m >> 6, rm = m & 7;
    if (mod == 3) return;
    if (rm == 4) {
        uint8_t sib = c.next();
        if (mod == 0 && (sib & 7) == 5) c.skip(4);
    } else if (mod == 0 && rm == 5) {
        in.rip_relative = true;
        in.disp_offset = uint8_t(c.n);
        c.skip(4);
        return;
    }
    if (mod == 1) c.skip(1);
    if (mod == 2) c.skip(4);
}

uint8_t modrm_reg(const Cursor& c) { return c.n < c.avail ? (c.p[c.n] >> 3) & 7 : 0; }

}  // namespace

Insn decode(const uint8_t* code, size_t avail, uint64_t addr) {
    Insn in;
    Cursor c{code, avail};
    bool opsize16 = false, addr32 = false, rex_w = false;
    uint8_t op = 0;
    // Legacy prefixes, then REX (which must come last).
    for (int i = 0; i < 14; i++) {
        op = c.next();
        if (op == 0x66) opsize16 = true;
        else if (op == 0x67) addr32 = true;
        else if (op == 0xf0 || op == 0xf2 || op == 0xf3 || op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e ||
                 op == 0x64 || op == 0x65) {
        } else break;
    }
    if ((op & 0xf0) == 0x40) {
        rex_w = op & 8;
        op = c.next();
    }
    if (!c.ok) return {};

    uint8_t enc;
    if (op == 0x0f) {
        uint8_t op2 = c.next();
        if (op2 == 0x38) {  // three-byte map 0F38: ModRM, no immediate
            c.next();
            modrm(c, in, addr32);
        } else if (op2 == 0x3a) {  // three-byte map 0F3A: ModRM and imm8
            c.next();
            modrm(c, in, addr32);
            c.skip(1);
        } else {
            enc = k0F[op2];
            if (enc & X) return {};
            if (op2 == 0x05) in.is_syscall = true;
            if (op2 == 0x0b || op2 == 0xb9 || op2 == 0xff) in.ends_flow = true;  // ud2, ud1, ud0
            if (enc & M) modrm(c, in, addr32);
            if (enc & I1) c.skip(1);
            if (enc & R4) {
                int32_t d = 0;
                if (c.n + 4 <= c.avail) memcpy(&d, c.p + c.n, 4);
                c.skip(4);
                in.rel_branch = true;
                in.target = addr + c.n + int64_t(d);
            }
        }
    } else if (op == 0xc4 || op == 0xc5 || op == 0x62) {
        // VEX (C4: three bytes, C5: two) and EVEX (62: four): the map, then opcode, ModRM, maybe imm8.
        uint8_t map = 1;
        if (op == 0xc5) {
            c.next();
        } else if (op == 0xc4) {
            map = c.next() & 0x1f;
            c.next();
        } else {
            map = c.next() & 0x07;
            c.next();
            c.next();
        }
        uint8_t vop = c.next();
        if (map < 1 || map > 3) return {};
        if (!(map == 1 && vop == 0x77)) modrm(c, in, addr32);  // vzeroupper/vzeroall have no ModRM
        if (map == 3 || (map == 1 && map1_has_imm8(vop))) c.skip(1);
    } else {
        enc = kOneByte[op];
        if (enc & X) return {};
        if (enc & SPECIAL) {
            switch (op) {
                case 0xa0: case 0xa1: case 0xa2: case 0xa3: c.skip(addr32 ? 4 : 8); break;  // mov moffs
                case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
                    c.skip(rex_w ? 8 : opsize16 ? 2 : 4);
                    break;
                case 0xc8: c.skip(3); break;  // enter iw, ib
                case 0xf6: case 0xf7: {       // test r/m, imm has an immediate; not/neg/mul/div do not
                    uint8_t reg = modrm_reg(c);
                    modrm(c, in, addr32);
                    if (reg < 2) c.skip(op == 0xf6 ? 1 : opsize16 ? 2 : 4);
                    break;
                }
                default: return {};  // a prefix where an opcode belongs, or a byte this decoder does not know
            }
        } else {
            if (enc & M) {
                uint8_t reg = modrm_reg(c);
                if (op == 0xff) {
                    if (reg == 2 || reg == 3) in.call = true;
                    if (reg == 4 || reg == 5) in.ends_flow = true;
                }
                modrm(c, in, addr32);
            }
            if (enc & I1) c.skip(1);
            if (enc & I2) c.skip(2);
            if (enc & Z) c.skip(opsize16 ? 2 : 4);
            if (enc & (R1 | R4)) {
                int32_t d = 0;
                if (enc & R1) {
                    if (c.n < c.avail) d = int8_t(c.p[c.n]);
                    c.skip(1);
                } else {
                    if (c.n + 4 <= c.avail) memcpy(&d, c.p + c.n, 4);
                    c.skip(4);
                }
                in.rel_branch = true;
                in.target = addr + c.n + int64_t(d);
                if (op == 0xe8) in.call = true;
                if (op == 0xe9 || op == 0xeb) in.ends_flow = true;
            }
            if (op == 0xc2 || op == 0xc3 || op == 0xca || op == 0xcb || op == 0xcf || op == 0xf4) in.ends_flow = true;
        }
    }
    if (!c.ok || c.n > 15) return {};
    in.length = uint8_t(c.n);
    return in;
}

}  // namespace tracer::x86
