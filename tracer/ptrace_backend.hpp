// The ptrace backend: a supervisor process (a detached grandchild, as `strace -D` does it, so the program keeps
// its PID and its parent) traces the program; XNU calls stop it through seccomp RET_TRACE, and the supervisor
// runs the same handlers, injecting the Linux calls into the stopped thread.
#pragma once

namespace tracer {

// Called in the program's process before the seccomp filter: starts the supervisor and waits until it is
// attached; nothing when a supervisor already traces this process (a traced program exec'd this macrun).
// Returns 0 or -errno.
int ptrace_attach_supervisor();

}  // namespace tracer
