// Handlers of the ptrace supervisor as fibers. A handler that injects a blocking Linux call (wait4 for a
// child, a read from a pipe a child writes) waits for its thread's next stop; meanwhile the single-threaded
// supervisor must keep serving the program's other threads and processes, or the child that wait4 waits for
// could never make its own calls. So each handler runs on a fiber of its own, and waiting for a stop yields to
// the supervisor's main loop, which hands every wait status to the fiber waiting for that thread.
#pragma once

#include <functional>

namespace tracer::fiber {

// Runs `body` on a new fiber; returns when it finishes or first waits for a stop.
void start(std::function<void()> body);

// The next wait status of `tid` (waitpid with __WALL). On a fiber this yields to the main loop until the status
// arrives; outside one (the main loop itself) it blocks in waitpid. Returns tid, or -1.
int wait_for(int tid, int* status);

// For the main loop: hands `status` to the fiber waiting for `tid` and runs it until it waits again or
// finishes. False when no fiber waits for `tid`.
bool deliver(int tid, int status);

}  // namespace tracer::fiber
