// posix_spawn's fork under ptrace (base::Thread::fork_in_call): the supervisor runs code only as a stopped
// thread, so the call is made again by both processes from a small stub, and the second half finds its side.
#pragma once

#include "tracer/common.hpp"

namespace tracer::ptrace_fork {

base::Thread::ForkedCall fork_in_call(base::Thread& t, const void* state, size_t len);
bool resume(base::Thread& t, base::Thread::ForkedCall* call, void* state, size_t len);
void end(base::Thread& t);

}  // namespace tracer::ptrace_fork
