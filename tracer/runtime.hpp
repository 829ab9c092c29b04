// Process-wide settings of macrun inside an emulated process, fixed before the program's first instruction.
// Read from syscall handlers (possibly in a signal handler), so: plain data, no allocation.
#pragma once

#include <atomic>
#include <cstdint>

namespace tracer {

struct Runtime {
    int trace_fd = -1;   // where --trace writes, or -1
    int mach_fd = -1;
    // A named session (--session=NAME, MACRUN_SESSION): programs started apart share one Mach kernel through a
    // file in /dev/shm. Empty: the session is this program and what it starts.
    char session[128] = {};    // the session's Mach kernel region (a memfd) handed on by the macrun that exec'd this one
    int diag_fd = 2;     // where one-time "unimplemented" messages go (a private dup of stderr)
    const char* backend = "inproc";
    bool fastpath = true;  // inproc: patch trapped `mov $N,%eax; [mov %rcx,%r10;] syscall` sites into calls
    bool no_fastpath_option = false;  // --no-fastpath was given: execve of a Mach-O passes it on
    int self_mem_fd = -1;  // /proc/self/mem, for patching read-only text
    char exec_path[4096] = {};
    // The program's strings area on its initial stack and its argc, for KERN_PROCARGS(2).
    uint64_t args_area = 0, args_area_end = 0;
    int argc = 0;  // absolute; PROC_PIDPATHINFO_MAXSIZE is 4 * MAXPATHLEN
    // Descriptors macrun keeps for itself; the program sees them as closed (EBADF).
    int reserved_fds[4] = {-1, -1, -1, -1};
    bool is_reserved_fd(int fd) const {
        for (int r : reserved_fds)
            if (r >= 0 && r == fd) return true;
        return false;
    }
};

extern Runtime g_runtime;

}  // namespace tracer
