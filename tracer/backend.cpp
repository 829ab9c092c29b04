#include "tracer/backend.hpp"

#include "tracer/fastpath.hpp"
#include "tracer/inproc.hpp"
#include "tracer/ptrace_backend.hpp"
#include "tracer/seccomp.hpp"
#include "tracer/sud.hpp"

namespace tracer {
namespace {

int inproc_take_over(const char** what) {
    *what = "the in-process handlers";
    if (int rc = inproc_install()) return rc;
    // Syscall User Dispatch (Linux 5.11+) traps every call made outside macrun's own text, XNU's and Linux's
    // alike. Where it works it is all that is needed: a seccomp filter as well would add its cost (about 50 ns
    // measured here, a sixth of a fast-path call) to each of macrun's own Linux calls, and stay behind in every
    // program a Mach-O program execs. Without it, a filter traps XNU's numbers.
    if (sud::enable_current_thread() == 0) return 0;
    *what = "the seccomp filter";
    return install_xnu_filter(FilterAction::Trap);
}

int ptrace_take_over(const char** what) {
    *what = "the ptrace supervisor";
    if (int rc = ptrace_attach_supervisor()) return rc;
    *what = "the seccomp filter";
    return install_xnu_filter(FilterAction::Trace);
}

using Wait = base::BackendCaps::MachWait;

constexpr Backend kBackends[] = {
    {"inproc", "SIGSYS in the program's process, then rewritten call sites (default)",
     {true, Wait::SharedRegion}, true, true, fastpath::set_code_map, inproc_take_over},
    {"ptrace", "a supervisor process: seccomp RET_TRACE and ptrace",
     {false, Wait::TaskPage}, false, false, nullptr, ptrace_take_over},
};

}  // namespace

std::span<const Backend> backends() { return kBackends; }

const Backend* find_backend(std::string_view name) {
    for (const Backend& b : kBackends)
        if (name == b.name) return &b;
    return nullptr;
}

const Backend& default_backend() { return kBackends[0]; }

}  // namespace tracer
