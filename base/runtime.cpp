#include "runtime.hpp"

namespace base {
Runtime g_runtime;
}  // namespace base
