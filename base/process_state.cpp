#include "base/process_state.hpp"

#include <sys/stat.h>

namespace base {
namespace {
ProcessState g_process_state;
}

ProcessState& process_state() { return g_process_state; }

void init_process_state() {
    mode_t m = ::umask(0);
    ::umask(m);
    g_process_state.umask = m;
}

}  // namespace base
