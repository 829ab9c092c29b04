#include "tracer/x86_decode.hpp"

#include <cstring>

namespace tracer::x86 {
namespace {

// Operand encodings after the opcode, per one-byte opcode (Intel SDM vol. 2, appendix A, 64-bit mode):
//   M  a ModRM byte (and SIB and displacement)       I1/I2  an immediate of 1 or 2 bytes
//   Z  an immediate of 4 bytes, 2 with the 66 prefix unless REX.W is set (iz)    X  invalid in 64-bit mode
//   R1/R4  a relative displacement of 1 or 4 bytes
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

// The one-byte map. SPECIAL: decided in code (prefixes, VEX/EVEX, moffs, mov r64 imm64, enter, and the groups
// whose ModRM reg field changes the length or leaves the instruction reserved: 8F, C6/C7, F6/F7, FE).
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
    /* 80 */ M | I1, M | Z, X, M | I1, M, M, M, M, M, M, M, M, M, M, M, SPECIAL,
    /* 90 */ N, N, N, N, N, N, N, N, N, N, X, N, N, N, N, N,
    /* A0 */ SPECIAL, SPECIAL, SPECIAL, SPECIAL, N, N, N, N, I1, Z, N, N, N, N, N, N,
    /* B0 */ I1, I1, I1, I1, I1, I1, I1, I1, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL,
    /* C0 */ M | I1, M | I1, I2, N, SPECIAL, SPECIAL, SPECIAL, SPECIAL, SPECIAL, N, I2, N, N, I1, X, N,
    /* D0 */ M, M, M, M, X, X, X, N, M, M, M, M, M, M, M, M,
    /* E0 */ R1, R1, R1, R1, I1, I1, I1, I1, R4, R4, X, R1, N, N, N, N,
    /* F0 */ SPECIAL, N, SPECIAL, SPECIAL, N, N, SPECIAL, SPECIAL, N, N, N, N, N, N, SPECIAL, M,
};

// The 0F map. SPECIAL: mov to/from control and debug registers (20-23), 0F 78 and UD0 (FF), decided in code.
constexpr uint8_t k0F[256] = {
    /* 00 */ M, M, M, M, X, N, N, N, N, N, X, N, X, M, N, M | I1,
    /* 10 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 20 */ SPECIAL, SPECIAL, SPECIAL, SPECIAL, X, X, X, X, M, M, M, M, M, M, M, M,
    /* 30 */ N, N, N, N, N, N, X, N, SPECIAL, X, SPECIAL, X, X, X, X, X,
    /* 40 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 50 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 60 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* 70 */ M | I1, M | I1, M | I1, M | I1, M, M, M, N, SPECIAL, M, X, X, M, M, M, M,
    /* 80 */ R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4, R4,
    /* 90 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* A0 */ N, N, N, M, M | I1, M, X, X, N, N, N, M, M | I1, M, M, M,
    /* B0 */ M, M, M, M, M, M, M, M, M, M, M | I1, M, M, M, M, M,
    /* C0 */ M, M, M | I1, M, M | I1, M | I1, M | I1, M, N, N, N, N, N, N, N, N,
    /* D0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* E0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
    /* F0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, SPECIAL,
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

// ModRM, SIB and displacement; running out of bytes clears c.ok. 32-bit addressing (the 67 prefix) has the
// same forms in 64-bit mode, [rm = 5, mod = 0] being eip-relative (Intel SDM vol. 2, 2.2.1.6).
void modrm(Cursor& c, Insn& in) {
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

// A relative displacement of `size` bytes, the last field of a branch: the target counts from the end.
void rel(Cursor& c, Insn& in, uint64_t addr, size_t size) {
    int32_t d = 0;
    if (size == 1 && c.n < c.avail) d = int8_t(c.p[c.n]);
    if (size == 4 && c.n + 4 <= c.avail) memcpy(&d, c.p + c.n, 4);
    c.skip(size);
    in.rel_branch = true;
    in.target = addr + c.n + int64_t(d);
}

}  // namespace

Insn decode(const uint8_t* code, size_t avail, uint64_t addr) {
    Insn in;
    Cursor c{code, avail};
    bool opsize16 = false, addr32 = false, rex = false, rex_w = false, lock_rep = false;
    uint8_t op = 0;
    // Legacy prefixes, then REX, which counts only right before the opcode (Intel SDM vol. 2, 2.2.1): a REX
    // followed by another prefix is refused below rather than guessed at.
    for (;;) {
        op = c.next();
        if (!c.ok || c.n > 15) return {};
        if (op == 0x66) opsize16 = true;
        else if (op == 0x67) addr32 = true;
        else if (op == 0xf0 || op == 0xf2 || op == 0xf3) lock_rep = true;
        else if (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e || op == 0x64 || op == 0x65) {
        } else break;
    }
    if ((op & 0xf0) == 0x40) {
        rex = true;
        rex_w = op & 8;
        op = c.next();
    }
    if (!c.ok) return {};
    // The operand size is 64 bits with REX.W whatever 66 says (Intel SDM vol. 2, 2.2.1.2): an iz immediate
    // stays 4 bytes.
    const size_t iz = opsize16 && !rex_w ? 2 : 4;
    // Near branches with 66: the rel16 forms of JMP, Jcc and CALL are "N.S." in 64-bit mode (Intel SDM vol. 2,
    // their pages) and Intel ignores the prefix, while AMD takes a rel16 and truncates rip to 16 bits. Neither
    // the length nor the target is certain, so such a branch is undecodable, and XBEGIN with 66 (rel16) with
    // them. llvm-objdump reads them the AMD way.
    const bool branch_ok = !opsize16;

    uint8_t enc;
    if (op == 0x0f) {
        uint8_t op2 = c.next();
        if (op2 == 0x38) {  // three-byte map 0F38: ModRM, no immediate
            c.next();
            modrm(c, in);
        } else if (op2 == 0x3a) {  // three-byte map 0F3A: ModRM and imm8
            c.next();
            modrm(c, in);
            c.skip(1);
        } else {
            enc = k0F[op2];
            if (enc & X) return {};
            if (op2 == 0x05) in.is_syscall = true;
            if (op2 == 0x0b || op2 == 0xb9) in.ends_flow = true;  // ud2, ud1
            if (enc & SPECIAL) {
                switch (op2) {
                    case 0x20: case 0x21: case 0x22: case 0x23:
                        // mov to/from CR and DR: "the 2 bits in the mod field are ignored" (Intel SDM vol. 2,
                        // MOV to/from control and debug registers), so the ModRM byte is always a register form
                        // and nothing follows it. llvm-objdump calls mod != 3 invalid; the SDM decides here.
                        c.next();
                        break;
                    case 0x78:
                        // VMREAD without a prefix (Intel SDM vol. 2); with 66 or F2, AMD's EXTRQ/INSERTQ, which
                        // take two imm8 more: the length depends on the vendor.
                        if (opsize16 || lock_rep) return {};
                        modrm(c, in);
                        break;
                    default:
                        // UD0 (0F FF): "some older processors decode the UD0 instruction without a ModR/M
                        // byte" (Intel SDM vol. 2, UD): no length is right everywhere.
                        return {};
                }
            }
            if (enc & M) modrm(c, in);
            if (enc & I1) c.skip(1);
            if (enc & R4) {
                if (!branch_ok) return {};
                rel(c, in, addr, 4);
            }
        }
    } else if (op == 0xc4 || op == 0xc5 || op == 0x62) {
        // VEX (C4: three bytes, C5: two) and EVEX (62: four): the map, then opcode, ModRM, maybe imm8. A VEX
        // prefix after LOCK, 66, F2, F3 or REX is #UD (Intel SDM vol. 2, 2.3.2 to 2.3.4), an EVEX one likewise.
        if (opsize16 || lock_rep || rex) return {};
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
        // Maps 1-3 are 0F, 0F38 and 0F3A; EVEX maps 5 and 6 (AVX512-FP16) take ModRM and no immediate.
        bool fp16_map = op == 0x62 && (map == 5 || map == 6);
        if ((map < 1 || map > 3) && !fp16_map) return {};
        if (map == 1 && vop == 0x77) {  // vzeroupper/vzeroall have no ModRM; EVEX has no such opcode
            if (op == 0x62) return {};
        } else {
            modrm(c, in);
        }
        if (map == 3 || (map == 1 && map1_has_imm8(vop))) c.skip(1);
    } else {
        enc = kOneByte[op];
        if (enc & X) return {};
        if (enc & SPECIAL) {
            switch (op) {
                case 0xa0: case 0xa1: case 0xa2: case 0xa3:  // mov moffs: 8 bytes, 4 with 67 (vol. 2, 2.2.1.4)
                    c.skip(addr32 ? 4 : 8);
                    break;
                case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
                    c.skip(rex_w ? 8 : opsize16 ? 2 : 4);
                    break;
                case 0xc8: c.skip(3); break;  // enter iw, ib
                case 0xf6: case 0xf7: {
                    // Group 3 (Intel SDM vol. 2, appendix A, table A-6): /0 TEST has an immediate, /2-/7
                    // (NOT, NEG, MUL, IMUL, DIV, IDIV) do not, and /1 is reserved. Processors and llvm-objdump
                    // take /1 for TEST; the SDM does not say, so it is undecodable.
                    uint8_t reg = modrm_reg(c);
                    if (reg == 1) return {};
                    modrm(c, in);
                    if (reg == 0) c.skip(op == 0xf6 ? 1 : iz);
                    break;
                }
                case 0xfe:  // group 4: only /0 INC and /1 DEC (table A-6)
                    if (modrm_reg(c) > 1) return {};
                    modrm(c, in);
                    break;
                case 0x8f:
                    // Only 8F /0 is POP (Intel SDM vol. 2, appendix A, group 1A); AMD's XOP prefix is 8F with
                    // reg != 0 and has a different length.
                    if (modrm_reg(c) != 0) return {};
                    modrm(c, in);
                    break;
                case 0xc6: case 0xc7:
                    // Group 11 (table A-6): /0 MOV r/m, imm; C6 F8 is XABORT imm8 and C7 F8 XBEGIN rel32, a
                    // relative branch to its abort handler; the rest is reserved.
                    if (c.n < c.avail && c.p[c.n] == 0xf8) {
                        c.next();
                        if (op == 0xc6) {
                            c.skip(1);
                        } else {
                            if (!branch_ok) return {};
                            rel(c, in, addr, 4);
                        }
                        break;
                    }
                    if (modrm_reg(c) != 0) return {};
                    modrm(c, in);
                    c.skip(op == 0xc6 ? 1 : iz);
                    break;
                default: return {};  // a prefix where an opcode belongs, or a byte this decoder does not know
            }
        } else {
            if (enc & M) {
                uint8_t reg = modrm_reg(c);
                if (op == 0xff) {  // group 5 (table A-6): /7 is reserved
                    if (reg == 2 || reg == 3) in.call = true;
                    if (reg == 4 || reg == 5) in.ends_flow = true;
                    if (reg == 7) return {};
                }
                modrm(c, in);
            }
            if (enc & I1) c.skip(1);
            if (enc & I2) c.skip(2);
            if (enc & Z) c.skip(iz);
            if (enc & (R1 | R4)) {
                if (!branch_ok) return {};
                rel(c, in, addr, enc & R1 ? 1 : 4);
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
