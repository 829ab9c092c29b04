#include "ptrace_backend.hpp"

#include <cerrno>

namespace tracer {

int ptrace_attach_supervisor() { return -ENOSYS; }

}  // namespace tracer
