#include <csignal>
#include <fcntl.h>
#include <sys/syscall.h>

#include "inproc_thread.hpp"
#include "tracer/common.hpp"
#include "sud.hpp"

namespace tracer {
namespace {

// What the child of a fork made by a handler must redo: the child is a copy of the whole process, macrun
// included, but a few things macrun keeps name the parent. Async-signal-safe.
void inproc_after_fork() {
    // Signals the handlers send to "this process" (nosys's SIGSYS, default actions) must reach the child.
    g_inproc_pid = int(raw_syscall(SYS_getpid));
    // Syscall User Dispatch does not survive fork: the child turns it on again.
    sud::enable_or_die();
    // /proc/self/mem was opened by the parent and keeps naming the parent's memory: a call site the child
    // patched through it would be rewritten in the parent, pointing at a trampoline the parent does not have.
    // Drop it; the child opens its own at its first rewrite (a child that execs at once never needs one).
    if (g_runtime.self_mem_fd >= 0) {
        raw_syscall(SYS_close, g_runtime.self_mem_fd);
        for (int& slot : g_runtime.reserved_fds)
            if (slot == g_runtime.self_mem_fd) slot = -1;
        g_runtime.self_mem_fd = -1;
    }
}

}  // namespace

int64_t InprocThread::fork_process() {
    int64_t r = raw_syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (r == 0) {
        inproc_after_fork();
        became_child(g_inproc_pid);
    }
    return r;
}

}  // namespace tracer
