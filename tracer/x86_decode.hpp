// An x86-64 instruction length decoder, as much as the fast path needs to rewrite a `syscall` site of any
// shape: where each instruction of a function starts and ends, which ones branch (and to where), and which
// address memory relative to rip. It knows the one-byte, 0F, 0F38 and 0F3A opcode maps, legacy and REX
// prefixes, VEX and EVEX. Whatever it does not know it reports as undecodable, and the caller then leaves
// the site alone: a wrong length would make a rewrite corrupt the program. It says the same of encodings the
// Intel SDM reserves and of those whose length or target differs between processors (66 before a near
// branch, UD0, AMD's XOP and SSE4a forms). tests/unit/test_x86_decode.cpp and tests/decode_diff.sh check it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tracer::x86 {

struct Insn {
    uint8_t length = 0;        // 0: undecodable
    bool rel_branch = false;   // jmp/jcc/call/loop/jrcxz with a relative displacement
    bool call = false;         // a call of any kind
    bool ends_flow = false;    // ret, jmp, ud2, hlt: the next byte is reached only by a branch
    bool rip_relative = false; // a memory operand [rip + disp32]
    uint8_t disp_offset = 0;   // with rip_relative: where the disp32 sits in the instruction
    uint64_t target = 0;       // with rel_branch: the absolute target
    bool is_syscall = false;   // 0F 05
};

// Decodes the instruction at `code` (at most `avail` bytes readable), which sits at address `addr`.
Insn decode(const uint8_t* code, size_t avail, uint64_t addr);

}  // namespace tracer::x86
