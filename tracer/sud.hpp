// Syscall User Dispatch (Linux 5.11+) for the in-process backend: every `syscall` instruction outside
// macrun's own text raises SIGSYS in the calling thread, so a raw *Linux* system call made by Mach-O code is
// caught (macOS has no class-0 calls) instead of running as Linux would run it. macrun is linked statically
// (-static-pie) so that all of its code, libc included, is one allowed range, and the selector never
// changes: no per-call bookkeeping. The setting is per thread and cleared by fork and execve, so every new
// thread and child enables it again; an ELF program a Mach-O program execs runs without it.
#pragma once

#include <cstdint>

namespace tracer::sud {

// Turns dispatch on for the calling thread. Returns 0 or -errno (old kernels: EINVAL).
int enable_current_thread();

// For a new thread or a forked child of a process that has dispatch: turns it on, and ends the process with
// a message if that fails, since dispatch is then what traps the program's calls (no seccomp filter backs it
// up) and a call that reached Linux untranslated would do something else.
void enable_or_die();

// Whether dispatch was turned on for the process (the first call decides).
bool active();

// Whether an address lies in the vDSO, whose few `syscall` fallbacks are macrun's own (glibc's clock
// functions), not the program's.
bool in_vdso(uint64_t addr);

}  // namespace tracer::sud
