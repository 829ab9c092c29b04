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
    *what = "the seccomp filter";
    if (int rc = install_xnu_filter(FilterAction::Trap)) return rc;
    // Raw Linux calls from the program are caught too (a no-op on kernels before 5.11).
    sud::enable_current_thread();
    return 0;
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
