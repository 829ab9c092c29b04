#include "runtime.hpp"

namespace tracer {
Runtime g_runtime;
}  // namespace tracer
