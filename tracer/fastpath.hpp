// The in-process fast path: a trapped site of the form `mov $N,%eax; [mov %rcx,%r10;] syscall` (the shape of
// every libsystem_kernel stub) is rewritten, once, into a jump to a small trampoline that calls macrun's
// dispatcher directly. After that the call costs a function call instead of a signal delivery (about 17x a
// native call on these machines). Sites that cannot be rewritten keep trapping.
//
// Patching is safe against other threads running the site: the first byte becomes int3 before the jump's
// displacement is written, and a thread that hits the int3 is sent to the trampoline (on_sigtrap).
#pragma once

#include <cstdint>

#include "tracer/common.hpp"

namespace tracer::fastpath {

// Opens /proc/self/mem for writing text. Returns 0 or -errno.
int init();

// Called after a trapped call made at the `syscall` ending at `site_end` with number `eax` was handled.
void maybe_patch(Thread& t, uint64_t site_end, uint32_t eax);

// The trampoline of a site whose first byte is at `site`, or 0.
uint64_t trampoline_for(uint64_t site);

// How many sites are patched (for --trace and tests).
unsigned patched_count();

}  // namespace tracer::fastpath
