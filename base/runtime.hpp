// Process-wide settings of macrun inside an emulated process, fixed before the program's first instruction.
// Read from syscall handlers (possibly in a signal handler), so: plain data, no allocation.
#pragma once

#include <atomic>
#include <cstdint>

namespace base {

// What the backend that runs the program can do. Handlers and the Mach kernel decide by these, never by the
// backend's name; each backend sets them when it takes over (tracer/).
struct BackendCaps {
    // Handlers run inside the program's own process, on the calling thread: macrun's globals and descriptors
    // are that process's, a fork made by a handler returns in both processes (the child drops what named its
    // parent), and the thread that takes the Mach kernel's lock is the program's own.
    bool handlers_in_program = true;
    // How a thread that waits in the Mach kernel sleeps and is woken.
    enum class MachWait : uint8_t {
        SharedRegion,  // on a futex word in the session's shared region, posted by whichever process wakes it
        TaskPage,      // on a word in a page of its task that the supervisor maps too, posted by the supervisor
    };
    MachWait mach_wait = MachWait::SharedRegion;
};

struct Runtime {
    BackendCaps caps;
    // The backend's name, only to hand on to a macrun that an exec'd Mach-O runs under (--backend=NAME).
    const char* backend = "";
    int trace_fd = -1;   // where --trace writes, or -1
    int diag_fd = 2;     // where one-time "unimplemented" messages go (a private dup of stderr)
    // The session's Mach kernel region (a memfd), handed on to a macrun that this program execs; -1 before
    // the kernel is made.
    int mach_fd = -1;
    // A named session (--session=NAME, MACRUN_SESSION): programs started apart share one Mach kernel through a
    // file in /dev/shm. Empty: the session is this program and what it starts.
    char session[128] = {};
    bool fastpath = true;  // inproc: patch trapped `mov $N,%eax; [mov %rcx,%r10;] syscall` sites into calls
    bool no_fastpath_option = false;  // --no-fastpath was given: execve of a Mach-O passes it on
    int self_mem_fd = -1;  // /proc/self/mem, for patching read-only text
    // The program's path, absolute (proc_pidpath; PROC_PIDPATHINFO_MAXSIZE is 4 * MAXPATHLEN).
    char exec_path[4096] = {};
    // The program's strings area on its initial stack and its argc, for KERN_PROCARGS(2).
    uint64_t args_area = 0, args_area_end = 0;
    int argc = 0;
    // Descriptors macrun keeps for itself; the program sees them as closed (EBADF).
    int reserved_fds[4] = {-1, -1, -1, -1};
    bool is_reserved_fd(int fd) const {
        for (int r : reserved_fds)
            if (r >= 0 && r == fd) return true;
        return false;
    }
};

extern Runtime g_runtime;

}  // namespace base
