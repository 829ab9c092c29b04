// The in-process backend: XNU calls raise SIGSYS (seccomp RET_TRAP) in the calling thread, and macrun's
// handler, living in the same address space, translates the call and edits the saved registers. No other
// process or CPU is involved, so a trapped call costs one signal delivery (see README, "Design").
#pragma once

namespace tracer {

// Installs the SIGSYS (and SIGSEGV, for `int 0x82`) handlers. Call before the seccomp filter.
int inproc_install();

}  // namespace tracer
