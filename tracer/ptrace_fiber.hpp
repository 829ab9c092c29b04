// Handlers of the ptrace supervisor as fibers. A handler that injects a blocking Linux call (wait4 for a
// child, a read from a pipe a child writes) waits for its thread's next stop; meanwhile the single-threaded
// supervisor must keep serving the program's other threads and processes, or the child that wait4 waits for
// could never make its own calls. So each handler runs on a fiber of its own, and waiting for a stop yields to
// the supervisor's main loop, which hands every wait status to the fiber waiting for that thread.
#pragma once

#include <cstddef>
#include <functional>

namespace tracer::fiber {

// Runs `body` on a new fiber serving process `pid`; returns when it finishes or first waits for a stop.
void start(int pid, std::function<void()> body);

// The next wait status of `tid` (waitpid with __WALL). On a fiber this yields to the main loop until the status
// arrives; outside one (the main loop itself) it blocks in waitpid. Returns tid, or -1.
int wait_for(int tid, int* status);

// For the main loop: hands `status` to the fiber waiting for `tid` and runs it until it waits again or
// finishes. False when no fiber waits for `tid`.
bool deliver(int tid, int status);

// Per-process state. Handlers keep what XNU keeps per process and Linux does not in globals (the umask's high
// bits, F_SETNOSIGPIPE, the executable's path...), which is right in process; the supervisor serves every
// process of the program, so it keeps one copy of each such global per process and swaps the right one in
// whenever a fiber runs (or the main loop calls use_process).
void add_process_global(void* p, size_t n);
void use_process(int pid);
// A forked child starts with a copy of its parent's state; a process that is gone is forgotten.
void fork_process(int parent, int child);
void forget_process(int pid);

}  // namespace tracer::fiber
