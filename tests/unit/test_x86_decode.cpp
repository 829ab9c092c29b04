// The x86-64 length decoder (tracer/x86_decode.cpp): hand-picked encodings with the length and flags the
// Intel SDM gives them (Intel SDM vol. 2: chapter 2 for prefixes, ModRM, SIB, VEX and EVEX; appendix A for
// the opcode maps; the instruction pages for immediates and branch forms). Every decodable case is also cut
// short by one byte (which must give length 0) and padded with bytes that must not change the answer.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tracer/x86_decode.hpp"

using tracer::x86::decode;
using tracer::x86::Insn;

namespace {

enum : unsigned { REL = 1, CALL = 2, ENDS = 4, RIP = 8, SYS = 16 };

struct Case {
    const char* hex;      // the encoding, bytes in hex separated by spaces
    int length;           // 0: undecodable
    unsigned flags = 0;
    int disp_offset = 0;  // with RIP: where the disp32 sits
    int64_t rel = 0;      // with REL: the target minus the end of the instruction
};

std::vector<uint8_t> bytes_of(const char* hex) {
    std::vector<uint8_t> out;
    for (const char* p = hex; *p;) {
        char* end;
        unsigned long b = strtoul(p, &end, 16);
        if (end == p) break;
        out.push_back(uint8_t(b));
        p = end;
    }
    return out;
}

constexpr uint64_t kAddr = 0x100000f00;

void check(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        INFO(std::string(c.hex));
        std::vector<uint8_t> b = bytes_of(c.hex);
        Insn in = decode(b.data(), b.size(), kAddr);
        CHECK(int(in.length) == c.length);
        if (c.length == 0) continue;
        CHECK(in.rel_branch == bool(c.flags & REL));
        CHECK(in.call == bool(c.flags & CALL));
        CHECK(in.ends_flow == bool(c.flags & ENDS));
        CHECK(in.rip_relative == bool(c.flags & RIP));
        CHECK(in.is_syscall == bool(c.flags & SYS));
        if (c.flags & RIP) CHECK(int(in.disp_offset) == c.disp_offset);
        if (c.flags & REL) CHECK(int64_t(in.target - (kAddr + uint64_t(c.length))) == c.rel);
        // One byte short: undecodable, whatever the missing byte was.
        CHECK(decode(b.data(), b.size() - 1, kAddr).length == 0);
        // What follows the instruction does not change it.
        for (uint8_t pad : {0x00, 0x0f, 0x66, 0xff}) {
            std::vector<uint8_t> longer = b;
            longer.insert(longer.end(), 16, pad);
            Insn again = decode(longer.data(), longer.size(), kAddr);
            CHECK(again.length == in.length);
            CHECK(again.target == in.target);
        }
    }
}

}  // namespace

TEST_CASE("x86 decode: one-byte opcodes, REX and ModRM forms") {
    check({
        {"90", 1},                       // nop
        {"55", 1},                       // push rbp
        {"41 57", 2},                    // push r15: REX.B
        {"48 89 e5", 3},                 // mov rbp, rsp: REX.W, ModRM mod = 3
        {"40 88 f7", 3},                 // mov dil, sil: an empty REX
        {"8b 07", 2},                    // mov eax, [rdi]
        {"8b 47 08", 3},                 // [rdi + disp8]
        {"8b 87 00 01 00 00", 6},        // [rdi + disp32]
        {"8b 04 24", 3},                 // [rsp]: rm = 4 brings a SIB byte
        {"8b 44 24 08", 4},              // [rsp + disp8]
        {"8b 84 24 00 01 00 00", 7},     // [rsp + disp32]
        {"41 8b 04 24", 4},              // [r12]: REX.B does not change the SIB rule (vol. 2, table 2-5)
        {"8b 04 25 78 56 34 12", 7},     // [disp32]: SIB base = 5 with mod = 0 has no base, a disp32
        {"8b 04 c5 00 00 00 00", 7},     // [rax*8 + disp32]
        {"8b 44 c5 10", 4},              // [rbp + rax*8 + disp8]: base 5 with mod = 1 is rbp
        {"8b 45 00", 3},                 // [rbp + disp8]: only mod = 0 makes rm = 5 rip-relative
        {"41 8b 45 00", 4},              // [r13 + disp8]
        {"67 8b 07", 3},                 // mov eax, [edi]: 32-bit addressing, same ModRM forms
        {"67 8b 44 24 08", 5},           // [esp + disp8]
        {"8d 04 7f", 3},                 // lea eax, [rdi + rdi*2]
        {"63 c7", 2},                    // movsxd eax, edi
        {"86 07", 2},                    // xchg [rdi], al
        {"d1 e0", 2},                    // shl eax, 1
        {"d3 e0", 2},                    // shl eax, cl
        {"fe c0", 2},                    // inc al
        {"8f 00", 2},                    // pop qword [rax]
        {"8f c0", 2},                    // pop rax (8F /0, mod = 3)
        {"c9", 1},                       // leave
        {"98", 1},                       // cwde
        {"48 99", 2},                    // cqo
        {"9c", 1},                       // pushf
        {"a4", 1},                       // movsb
        {"d7", 1},                       // xlat
        {"f1", 1},                       // int1
        {"cc", 1},                       // int3
        {"cd 80", 2},                    // int imm8
        {"e4 60", 2},                    // in al, imm8
        {"ec", 1},                       // in al, dx
    });
}

TEST_CASE("x86 decode: legacy prefixes") {
    check({
        {"66 90", 2},                                  // xchg ax, ax
        {"f3 90", 2},                                  // pause
        {"66 2e 0f 1f 84 00 00 00 00 00", 10},         // nopw cs:[rax + rax + 0]
        {"66 66 2e 0f 1f 84 00 00 00 00 00", 11},      // the same with a repeated 66
        {"f0 48 0f b1 0f", 5},                         // lock cmpxchg [rdi], rcx
        {"f0 ff 07", 3},                               // lock inc dword [rdi]
        {"f3 48 ab", 3},                               // rep stosq
        {"f3 a4", 2},                                  // rep movsb
        {"64 48 8b 04 25 28 00 00 00", 9},             // mov rax, fs:[0x28]
        {"65 48 8b 04 25 00 00 00 00", 9},             // mov rax, gs:[0]
        {"3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 90", 15},  // 15 bytes is the limit (vol. 2, 2.3.11)
        {"3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 3e 90", 0},  // 16 is #GP
        {"66 66 66 66 66 66 66 66 66 66 66 48 8d 04 00", 15},    // prefixes and the rest in 15 bytes
        {"66 66 66 66 66 66 66 66 66 66 66 48 8d 44 00 00", 0},  // and one more
        // REX must come last (vol. 2, 2.2.1): a REX before another prefix is ignored by the processor; the
        // decoder refuses such bytes rather than guess which placement the program meant.
        {"48 66 90", 0},
        {"48 48 89 e5", 0},
    });
}

TEST_CASE("x86 decode: immediates") {
    check({
        {"04 01", 2},                                  // add al, imm8
        {"05 78 56 34 12", 5},                         // add eax, imm32
        {"66 05 34 12", 4},                            // add ax, imm16
        {"48 05 78 56 34 12", 6},                      // add rax, imm32
        // REX.W takes precedence over 66 (vol. 2, 2.2.1.2): the operand size is 64 bits and iz stays 4 bytes.
        {"66 48 05 78 56 34 12", 7},
        {"83 c0 01", 3},                               // add eax, imm8
        {"81 c0 78 56 34 12", 6},                      // add eax, imm32
        {"66 81 c0 34 12", 5},                         // add ax, imm16
        {"66 48 81 c0 78 56 34 12", 8},                // add rax, imm32 (REX.W over 66)
        {"48 81 ec f8 01 00 00", 7},                   // sub rsp, imm32
        {"80 3f 0a", 3},                               // cmp byte [rdi], imm8
        {"6a 01", 2},                                  // push imm8
        {"68 78 56 34 12", 5},                         // push imm32
        {"66 68 34 12", 4},                            // push imm16
        {"69 c0 78 56 34 12", 6},                      // imul eax, eax, imm32
        {"66 6b c0 08", 4},                            // imul ax, ax, imm8
        {"c0 e0 04", 3},                               // shl al, imm8
        {"48 c1 e8 3f", 4},                            // shr rax, imm8
        {"b0 01", 2},                                  // mov al, imm8
        {"b8 78 56 34 12", 5},                         // mov eax, imm32
        {"66 b8 34 12", 4},                            // mov ax, imm16
        {"48 b8 88 77 66 55 44 33 22 11", 10},         // mov rax, imm64
        {"49 bf 88 77 66 55 44 33 22 11", 10},         // mov r15, imm64
        {"66 48 b8 88 77 66 55 44 33 22 11", 11},      // still imm64: REX.W over 66
        {"41 b8 78 56 34 12", 6},                      // mov r8d, imm32: REX without W
        {"c6 00 01", 3},                               // mov byte [rax], imm8
        {"c7 00 78 56 34 12", 6},                      // mov dword [rax], imm32
        {"66 c7 00 34 12", 5},                         // mov word [rax], imm16
        {"48 c7 c0 ff ff ff ff", 7},                   // mov rax, imm32 sign-extended
        {"66 48 c7 44 c0 f9 54 fe ac 2a", 10},         // REX.W over 66 with a SIB and disp8
        // Group 3 (F6/F7): /0 TEST has an immediate, NOT/NEG/MUL/IMUL/DIV/IDIV do not.
        {"f6 c1 01", 3},                               // test cl, imm8
        {"f6 d1", 2},                                  // not cl
        {"f6 e1", 2},                                  // mul cl
        {"f6 44 24 08 01", 5},                         // test byte [rsp + 8], imm8
        {"f7 c1 78 56 34 12", 6},                      // test ecx, imm32
        {"66 f7 c1 34 12", 5},                         // test cx, imm16
        {"48 f7 c1 78 56 34 12", 7},                   // test rcx, imm32
        {"66 48 f7 c1 78 56 34 12", 8},                // test rcx, imm32 (REX.W over 66)
        {"f7 d8", 2},                                  // neg eax
        {"48 f7 f1", 3},                               // div rcx
        {"f7 7c 24 08", 4},                            // idiv dword [rsp + 8]
        {"a8 01", 2},                                  // test al, imm8
        {"a9 78 56 34 12", 5},                         // test eax, imm32
        {"66 a9 34 12", 4},                            // test ax, imm16
        {"c8 10 00 00", 4},                            // enter imm16, imm8
        {"c8 10 00 01", 4},
        // mov with moffs: the offset is 8 bytes in 64-bit mode, 4 with 67 (address size, not operand size).
        {"a0 88 77 66 55 44 33 22 11", 9},             // mov al, [moffs64]
        {"48 a1 88 77 66 55 44 33 22 11", 10},         // mov rax, [moffs64]
        {"66 a3 88 77 66 55 44 33 22 11", 10},         // mov [moffs64], ax
        {"67 a0 44 33 22 11", 6},                      // mov al, [moffs32]
        {"67 48 a3 44 33 22 11", 7},                   // mov [moffs32], rax
    });
}

TEST_CASE("x86 decode: rip-relative operands") {
    check({
        {"48 8d 05 10 00 00 00", 7, RIP, 3},                 // lea rax, [rip + 0x10]
        {"4c 8d 35 d7 18 00 00", 7, RIP, 3},                 // lea r14, [rip + disp32]
        {"41 8b 05 00 01 00 00", 7, RIP, 3},                 // REX.B does not turn it into [r13]
        {"8b 05 00 01 00 00", 6, RIP, 2},                    // mov eax, [rip + disp32]
        {"67 8b 05 00 01 00 00", 7, RIP, 3},                 // [eip + disp32]
        {"c7 05 d0 0f 00 00 01 00 00 00", 10, RIP, 2},       // mov dword [rip + d], imm32: imm after disp
        {"48 c7 05 d0 0f 00 00 ff ff ff ff", 11, RIP, 3},
        {"80 3d 00 01 00 00 00", 7, RIP, 2},                 // cmp byte [rip + d], imm8
        {"66 81 3d 00 01 00 00 34 12", 9, RIP, 3},           // cmp word [rip + d], imm16
        {"f7 05 00 01 00 00 78 56 34 12", 10, RIP, 2},       // test dword [rip + d], imm32
        {"f0 48 0f b1 0d 00 01 00 00", 9, RIP, 5},           // lock cmpxchg [rip + d], rcx
        {"66 0f 6f 05 00 01 00 00", 8, RIP, 4},              // movdqa xmm0, [rip + d]
        {"66 0f 3a 63 05 00 01 00 00 0c", 10, RIP, 5},       // pcmpistri xmm0, [rip + d], imm8
        {"c5 f8 28 05 00 01 00 00", 8, RIP, 4},              // vmovaps xmm0, [rip + d]
        {"c4 e3 79 0f 05 00 01 00 00 08", 10, RIP, 5},       // vpalignr with [rip + d] and imm8
        {"62 f1 7c 48 28 05 00 01 00 00", 10, RIP, 6},       // vmovaps zmm0, [rip + d]
        {"dd 05 00 01 00 00", 6, RIP, 2},                    // fld qword [rip + d]
        {"ff 25 00 01 00 00", 6, ENDS | RIP, 2},             // jmp [rip + d]
        {"ff 15 00 01 00 00", 6, CALL | RIP, 2},             // call [rip + d]
        {"ff 35 00 01 00 00", 6, RIP, 2},                    // push qword [rip + d]
    });
}

TEST_CASE("x86 decode: branches, calls and returns") {
    check({
        {"eb 05", 2, REL | ENDS, 0, 5},                  // jmp rel8
        {"eb fe", 2, REL | ENDS, 0, -2},                 // jmp to itself
        {"74 10", 2, REL, 0, 0x10},                      // je rel8
        {"7f f0", 2, REL, 0, -0x10},                     // jg rel8
        {"0f 84 00 01 00 00", 6, REL, 0, 0x100},         // je rel32
        {"0f 85 fa ff ff ff", 6, REL, 0, -6},            // jne rel32, back to itself
        {"3e 74 02", 3, REL, 0, 2},                      // je with a branch-taken hint
        {"e8 00 00 00 00", 5, REL | CALL, 0, 0},         // call rel32
        {"e8 fb ff ff ff", 5, REL | CALL, 0, -5},
        {"e9 00 00 00 80", 5, REL | ENDS, 0, -0x80000000LL},  // jmp rel32, sign-extended
        {"f2 e8 00 01 00 00", 6, REL | CALL, 0, 0x100},  // bnd call
        {"f2 e9 00 01 00 00", 6, REL | ENDS, 0, 0x100},  // bnd jmp
        {"e3 02", 2, REL, 0, 2},                         // jrcxz
        {"67 e3 02", 3, REL, 0, 2},                      // jecxz
        {"e2 fe", 2, REL, 0, -2},                        // loop
        {"e0 fe", 2, REL, 0, -2},                        // loopne
        {"e1 fe", 2, REL, 0, -2},                        // loope
        // XBEGIN's operand is the abort handler, relative to the next instruction (vol. 2, XBEGIN).
        {"c7 f8 00 01 00 00", 6, REL, 0, 0x100},
        {"c6 f8 01", 3},                                 // xabort imm8
        {"ff d0", 2, CALL},                              // call rax
        {"41 ff d3", 3, CALL},                           // call r11
        {"ff 14 c5 00 01 00 00", 7, CALL},               // call [rax*8 + disp32]
        {"ff 1f", 2, CALL},                              // call far [rdi]
        {"ff e0", 2, ENDS},                              // jmp rax
        {"3e ff e0", 3, ENDS},                           // notrack jmp rax
        {"ff 24 c5 00 01 00 00", 7, ENDS},               // jmp [rax*8 + disp32]
        {"48 ff 2f", 3, ENDS},                           // jmp far [rdi]
        {"ff 37", 2},                                    // push qword [rdi]: FF /6 neither
        {"c3", 1, ENDS},                                 // ret
        {"f3 c3", 2, ENDS},                              // rep ret
        {"f2 c3", 2, ENDS},                              // bnd ret
        {"c2 08 00", 3, ENDS},                           // ret imm16
        {"cb", 1, ENDS},                                 // far ret
        {"ca 08 00", 3, ENDS},                           // far ret imm16
        {"48 cf", 2, ENDS},                              // iretq
        {"f4", 1, ENDS},                                 // hlt
        {"0f 0b", 2, ENDS},                              // ud2
        {"0f b9 c0", 3, ENDS},                           // ud1 eax, eax: UD1 has a ModRM
        {"0f b9 05 00 01 00 00", 7, ENDS | RIP, 3},
        // The rel16 forms of near branches are not supported in 64-bit mode (vol. 2, CALL, JMP, Jcc: "N.S.");
        // Intel ignores 66 there, AMD does not. Such a branch is undecodable: its length or its target
        // depends on the processor.
        {"66 e8 00 01 00 00", 0},
        {"66 e9 00 01 00 00", 0},
        {"66 0f 84 00 01 00 00", 0},
        {"66 eb 02", 0},
        {"66 74 02", 0},
        {"66 c7 f8 00 01", 0},
    });
}

TEST_CASE("x86 decode: system instructions") {
    check({
        {"0f 05", 2, SYS},          // syscall
        {"41 0f 05", 3, SYS},       // with a REX, still syscall
        {"0f 34", 2},               // sysenter
        {"0f 07", 2},               // sysret
        {"0f a2", 2},               // cpuid
        {"0f 31", 2},               // rdtsc
        {"0f 01 f9", 3},            // rdtscp
        {"0f 01 d0", 3},            // xgetbv
        {"0f ae f0", 3},            // mfence
        {"0f ae e8", 3},            // lfence
        {"0f ae 38", 3},            // clflush [rax]
        {"0f ae 64 24 40", 5},      // xsave [rsp + 0x40]
        {"48 0f ae 2c 24", 5},      // xrstor64 [rsp]
        {"0f c7 f0", 3},            // rdrand eax
        {"0f 00 c0", 3},            // sldt eax
        {"0f 20 c0", 3},            // mov rax, cr0
        {"0f 22 d8", 3},            // mov cr3, rax
        {"0f 21 f8", 3},            // mov rax, dr7
        // Moves to and from control and debug registers: "the 2 bits in the mod field are ignored" (vol. 2,
        // MOV—Move to/from Control Registers, and the Debug Registers page): the ModRM byte is a register form
        // whatever its mod, with no SIB or displacement after it. llvm-objdump calls mod != 3 invalid.
        {"0f 20 00", 3},
        {"0f 22 44", 3},
        {"0f 21 05", 3},
        {"0f 23 84", 3},
        {"0f 78 c1", 3},            // vmread rcx, rax
        {"0f 79 c1", 3},            // vmwrite rax, rcx
        // 0F 78 with 66 or F2 is not VMREAD but AMD's EXTRQ/INSERTQ, two imm8 longer.
        {"66 0f 78 c0 01 02", 0},
        {"f2 0f 78 c1 01 02", 0},
    });
}

TEST_CASE("x86 decode: 0F, 0F38 and 0F3A maps") {
    check({
        {"0f 1f 00", 3},                                 // nopl [rax]
        {"0f 1f 40 00", 4},
        {"0f 1f 44 00 00", 5},
        {"0f 1f 80 00 00 00 00", 7},
        {"0f 1f 84 00 00 00 00 00", 8},
        {"f3 0f 1e fa", 4},                              // endbr64
        {"0f b6 c0", 3},                                 // movzx eax, al
        {"48 0f be 07", 4},                              // movsx rax, byte [rdi]
        {"0f 44 c1", 3},                                 // cmove eax, ecx
        {"0f 94 c0", 3},                                 // sete al
        {"0f a3 c8", 3},                                 // bt eax, ecx
        {"0f a4 c1 04", 4},                              // shld ecx, eax, imm8
        {"0f ac c1 04", 4},                              // shrd ecx, eax, imm8
        {"0f a5 c1", 3},                                 // shld ecx, eax, cl
        {"0f ba e0 03", 4},                              // bt eax, imm8
        {"48 0f af c1", 4},                              // imul rax, rcx
        {"f3 48 0f b8 c1", 5},                           // popcnt rax, rcx
        {"f3 0f bc c1", 4},                              // tzcnt eax, ecx
        {"0f c8", 2},                                    // bswap eax
        {"49 0f c8", 3},                                 // bswap r8
        {"0f c1 07", 3},                                 // xadd [rdi], eax
        {"0f 0d 08", 3},                                 // prefetchw [rax]
        {"0f 18 08", 3},                                 // prefetcht0 [rax]
        {"0f 28 c1", 3},                                 // movaps xmm0, xmm1
        {"66 0f ef c0", 4},                              // pxor xmm0, xmm0
        {"f2 0f 10 44 24 08", 6},                        // movsd xmm0, [rsp + 8]
        {"66 48 0f 6e c0", 5},                           // movq xmm0, rax
        {"0f c2 c1 00", 4},                              // cmpps xmm0, xmm1, imm8
        {"0f c6 c1 44", 4},                              // shufps xmm0, xmm1, imm8
        {"66 0f 70 c1 1b", 5},                           // pshufd xmm0, xmm1, imm8
        {"66 0f 71 d0 04", 5},                           // psrlw xmm0, imm8
        {"66 0f 72 e0 04", 5},                           // psrad xmm0, imm8
        {"66 0f 73 d8 04", 5},                           // psrldq xmm0, imm8
        {"66 0f c4 c0 01", 5},                           // pinsrw xmm0, eax, imm8
        {"66 0f c5 c0 01", 5},                           // pextrw eax, xmm0, imm8
        {"0f 77", 2},                                    // emms
        {"0f 38 00 c1", 4},                              // pshufb mm0, mm1
        {"66 0f 38 00 c1", 5},                           // pshufb xmm0, xmm1
        {"66 0f 38 f6 c1", 5},                           // adcx eax, ecx
        {"0f 38 f0 07", 4},                              // movbe eax, [rdi]
        {"f2 0f 38 f1 c1", 5},                           // crc32 eax, ecx
        {"66 0f 38 dc 44 24 10", 7},                     // aesenc xmm0, [rsp + 16]
        {"66 0f 3a 0f c1 08", 6},                        // palignr xmm0, xmm1, imm8
        {"66 0f 3a 16 c0 01", 6},                        // pextrd eax, xmm0, imm8
        {"66 48 0f 3a 16 c0 01", 7},                     // pextrq rax, xmm0, imm8
        {"66 0f 3a 44 c1 11", 6},                        // pclmulqdq xmm0, xmm1, imm8
        {"66 0f 3a 0f 84 24 00 01 00 00 08", 11},        // palignr with [rsp + disp32], imm8
        // UD0 (0F FF /r) has a ModRM byte, but "some older processors decode the UD0 instruction without a
        // ModR/M byte" (vol. 2, UD): there is no one length.
        {"0f ff c0", 0},
    });
}

TEST_CASE("x86 decode: VEX") {
    check({
        {"c5 f8 77", 3},                         // vzeroupper: no ModRM
        {"c5 fc 77", 3},                         // vzeroall
        {"c5 f9 6f c1", 4},                      // vmovdqa xmm0, xmm1
        {"c5 fd 6f 07", 4},                      // vmovdqa ymm0, [rdi]
        {"c5 fd 7f 44 24 20", 6},                // vmovdqa [rsp + 32], ymm0
        {"c4 c1 7d 6f 00", 5},                   // vmovdqa ymm0, [r8]: three-byte VEX, map 0F
        {"c4 e1 f9 6e c0", 5},                   // vmovq xmm0, rax (VEX.W)
        {"c5 f9 70 c1 1b", 5},                   // vpshufd xmm0, xmm1, imm8
        {"c5 f9 73 d8 04", 5},                   // vpsrldq xmm0, xmm0, imm8
        {"c5 f8 c2 c1 00", 5},                   // vcmpps xmm0, xmm0, xmm1, imm8
        {"c5 f8 c6 c1 44", 5},                   // vshufps xmm0, xmm0, xmm1, imm8
        {"c5 f9 c4 c0 01", 5},                   // vpinsrw xmm0, xmm0, eax, imm8
        {"c5 f9 c5 c0 01", 5},                   // vpextrw eax, xmm0, imm8
        {"c4 e2 7d 18 07", 5},                   // vbroadcastss ymm0, [rdi]: map 0F38, no immediate
        {"c4 e2 79 00 c1", 5},                   // vpshufb xmm0, xmm0, xmm1
        {"c4 e2 78 f2 c1", 5},                   // andn eax, eax, ecx
        {"c4 e3 7d 18 c1 01", 6},                // vinsertf128 ymm0, ymm0, xmm1, imm8: map 0F3A
        {"c4 e3 79 0f c1 08", 6},                // vpalignr xmm0, xmm0, xmm1, imm8
        {"c4 e3 fb f0 c1 05", 6},                // rorx rax, rcx, imm8
        {"c4 e3 79 0f 84 24 00 01 00 00 08", 11},
        // Maps other than 1-3 are reserved; a VEX after 66, F2, F3, LOCK or REX is #UD (vol. 2, 2.3.2).
        {"c4 e0 79 6f c1", 0},
        {"c4 e4 79 6f c1", 0},
        {"66 c5 f8 77", 0},
        {"f3 c5 fa 10 c1", 0},
        {"f0 c5 f8 77", 0},
        {"48 c5 f8 77", 0},
        {"2e c5 f8 77", 4},                      // a segment prefix is allowed
    });
}

TEST_CASE("x86 decode: EVEX") {
    check({
        {"62 f1 7c 48 28 c1", 6},                // vmovaps zmm0, zmm1
        {"62 f1 7c 48 28 47 01", 7},             // vmovaps zmm0, [rdi + 64]: disp8*N is still one byte
        {"62 f1 7c 48 28 87 00 01 00 00", 10},   // [rdi + disp32]
        {"62 f1 7c 48 28 04 24", 7},             // [rsp]
        {"62 f1 7d 48 70 c1 1b", 7},             // vpshufd zmm0, zmm1, imm8
        {"62 f1 7c 48 c6 c1 44", 7},             // vshufps zmm0, zmm0, zmm1, imm8
        {"62 f2 7d 48 58 c1", 6},                // vpbroadcastd zmm0, xmm1: map 0F38
        {"62 f3 7d 48 19 c1 01", 7},             // vextractf32x4 xmm1, zmm0, imm8: map 0F3A
        {"62 f5 7c 48 58 c1", 6},                // vaddph zmm0, zmm0, zmm1: map 5 (AVX512-FP16)
        {"62 f6 7d 48 4c c1", 6},                // vrcpph zmm0, zmm1: map 6
        {"62 f4 7c 48 28 c1", 0},                // map 4: not one this decoder knows
        {"62 f7 7c 48 28 c1", 0},                // map 7
        {"66 62 f1 7c 48 28 c1", 0},             // after 66: #UD (vol. 2, 2.7.1)
        {"41 62 f1 7c 48 28 c1", 0},             // after REX
    });
}

TEST_CASE("x86 decode: x87") {
    check({
        {"d9 ee", 2},                // fldz
        {"d9 c9", 2},                // fxch st1
        {"de c1", 2},                // faddp
        {"df e0", 2},                // fnstsw ax
        {"9b", 1},                   // fwait, an instruction of its own
        {"d9 45 f8", 3},             // fld dword [rbp - 8]
        {"db 2c 24", 3},             // fld tword [rsp]
        {"dd 5c 24 08", 4},          // fstp qword [rsp + 8]
        {"d9 7c 24 fe", 4},          // fnstcw [rsp - 2]
        {"df 3c 24", 3},             // fistp qword [rsp]
        {"da 84 24 00 01 00 00", 7}, // fiadd dword [rsp + disp32]
    });
}

TEST_CASE("x86 decode: invalid in 64-bit mode, and bytes that are not one instruction") {
    check({
        {"06", 0},                   // push es
        {"07", 0},                   // pop es
        {"0e", 0},                   // push cs
        {"1f", 0},                   // pop ds
        {"27", 0},                   // daa
        {"37", 0},                   // aaa
        {"60", 0},                   // pusha
        {"82 c0 01", 0},             // the 80 alias
        {"9a 00 00 00 00 00 00", 0}, // call far ptr16:32
        {"ce", 0},                   // into
        {"d4 0a", 0},                // aam
        {"d5 0a", 0},                // aad
        {"d6", 0},                   // salc
        {"ea 00 00 00 00 00 00", 0}, // jmp far ptr16:32
        {"0f 04", 0},
        {"0f 0a", 0},
        {"0f 24 c0", 0},             // mov from test registers
        {"0f 36", 0},
        {"0f 39", 0},
        // Only 8F /0 is POP (vol. 2, appendix A, group 1A); with reg != 0 it is AMD's XOP prefix.
        {"8f c8 78 a2 c1 20", 0},
        {"8f e8 78 a2 c1 20", 0},
        // Reserved ModRM reg values in the groups of table A-6. F6/F7 /1 runs as TEST on processors and
        // llvm-objdump shows it so, but the SDM leaves it reserved.
        {"f6 c9 01", 0},                         // group 3 /1
        {"f7 08 78 56 34 12", 0},
        {"fe d0", 0},                            // group 4 /2
        {"ff f8", 0},                            // group 5 /7
        {"ff 38", 0},
        {"c6 c8 01", 0},                         // group 11 /1
        {"c7 48 00 78 56 34 12", 0},
        {"c6 f9 01", 0},                         // group 11 /7 other than XABORT (C6 F8)
        {"c7 38 78 56 34 12", 0},                // and other than XBEGIN (C7 F8)
    });
}

TEST_CASE("x86 decode: truncated input") {
    // The table cases are each also cut short by one byte; these cut into the prefixes and escapes.
    const uint8_t none[1] = {0x90};
    CHECK(decode(none, 0, kAddr).length == 0);
    check({
        {"48", 0},
        {"66", 0},
        {"f0", 0},
        {"66 2e", 0},
        {"0f", 0},
        {"0f 38", 0},
        {"0f 3a", 0},
        {"0f 3a 0f", 0},
        {"0f 3a 0f c1", 0},          // the imm8 is missing
        {"c5", 0},
        {"c5 f8", 0},
        {"c4 e2 7d", 0},
        {"62 f1 7c 48", 0},
        {"62 f1 7c 48 28", 0},
        {"8b 04", 0},                // the SIB is missing
        {"8b 04 25 78 56 34", 0},    // the disp32 is short
        {"8b 05 00 01 00", 0},       // the rip-relative disp32 is short
        {"e8 00 00 00", 0},
        {"0f 84 00 01 00", 0},
        {"74", 0},
        {"48 b8 88 77 66 55 44 33 22", 0},
        {"a0 88 77 66 55 44 33 22", 0},
        {"f7 c1 78 56 34", 0},
        {"c8 10 00", 0},
        {"c7 f8 00 01 00", 0},
    });
}
