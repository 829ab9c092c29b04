// What the in-process backend must redo in the child of a fork that a handler made: the child is a copy of the
// whole process, macrun included, but a few things macrun keeps name the parent.
#pragma once

namespace tracer {

// Called by the fork handler in the child only, before it returns to the program. Async-signal-safe.
void inproc_after_fork();

}  // namespace tracer
