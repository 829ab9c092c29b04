// The seccomp filter that routes XNU system calls to macrun. It matches only eax >= 0x1000000 (the XNU
// classes), so Linux programs that a Mach-O program execs run untouched even though the filter survives execve.
#pragma once

namespace tracer {

enum class FilterAction { Trap, Trace };

// Installs the filter on the calling thread (and, by inheritance, its future threads and children).
// Returns 0 or -errno.
int install_xnu_filter(FilterAction action);

}  // namespace tracer
