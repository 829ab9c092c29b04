// The in-process fast path: a trapped `syscall` site is rewritten, once, into a jump to a small trampoline
// that calls macrun's dispatcher directly. After that the call costs a function call instead of a signal
// delivery (about 17x a native call on these machines).
//  - `mov $N,%eax; [mov %rcx,%r10;] syscall`, the shape of every libsystem_kernel stub: the trampoline sets
//    the number itself.
//  - any other shape (the number set earlier or taken from a register, other instructions before the
//    `syscall`): the whole instructions before the `syscall` move into the trampoline, with instruction
//    boundaries found by decoding the function from its start (x86_decode.cpp, the image's code map); calls
//    that must trap (fork, sigreturn, ..., or no XNU call at all) leave through the trampoline's own `syscall`.
// Sites that cannot be rewritten safely keep trapping.
//
// Patching is safe against other threads running the site: the first byte becomes int3 before the jump's
// displacement is written, and a thread that hits the int3 is sent to the trampoline (on_sigtrap).
#pragma once

#include <cstdint>

#include "loader/code_map.hpp"
#include "tracer/common.hpp"

namespace tracer::fastpath {


// The program image's functions (from its Mach-O file), where rewriting a site of any shape finds instruction
// boundaries. Set once, before the program runs.
void set_code_map(const loader::CodeMap& unslid, uint64_t slide);
// Called after a trapped call made at the `syscall` ending at `site_end` with number `eax` was handled.
void maybe_patch(Thread& t, uint64_t site_end, uint32_t eax);

// The trampoline of a site whose first byte is at `site`, or 0.
uint64_t trampoline_for(uint64_t site);

// How many sites are patched (for --trace and tests).
unsigned patched_count();

}  // namespace tracer::fastpath
