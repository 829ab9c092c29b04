// The calling thread as seen from inside its own process (the in-process backend and its patched fast path):
// Linux calls are direct system calls and memory is reached with process_vm_readv/writev on the process
// itself, so that a bad pointer is EFAULT, never a fault inside macrun.
#pragma once

#include <algorithm>
#include <cstring>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "raw_syscall.hpp"
#include "syscalls/abi/xnu.hpp"
#include "thread.hpp"

extern "C" long macrun_safe_copy(void* dst, const void* src, size_t n);
extern "C" char macrun_safe_copy_insn[], macrun_safe_copy_fixup[];

namespace tracer {

extern int g_inproc_pid;  // this process's pid, refreshed after fork

class InprocThread final : public Thread {
  public:
    static constexpr uint64_t kUserTop = 0x00007ffffffff000ULL;  // end of the x86_64 user address space

    explicit InprocThread(const Regs& r) : Thread(g_inproc_pid, 0) { regs_ = r; }

    int tid() const override {
        if (!tid_) const_cast<InprocThread*>(this)->tid_ = int(raw_syscall(SYS_gettid));
        return tid_;
    }

    int64_t linux_call(long nr, const LinuxArg* args, size_t nargs) override {
        long a[6] = {};
        for (size_t i = 0; i < nargs && i < 6; i++)
            a[i] = args[i].kind == LinuxArg::Kind::Value ? long(args[i].value) : reinterpret_cast<long>(args[i].local);
        if (nr == SYS_tgkill && tid_ == 0) a[1] = tid();
        return raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }

    // The program's memory is this process's memory: copied with macrun_safe_copy, whose faults the SIGSEGV
    // and SIGBUS handlers turn into EFAULT (write protection included, as XNU's copyout checks it).
    int read(TraceeAddr src, void* dst, size_t n) override {
        if (n == 0) return 0;
        if (src.addr + n < src.addr || src.addr + n > kUserTop) return xnu::XNU_EFAULT;
        return macrun_safe_copy(dst, reinterpret_cast<const void*>(src.addr), n) == 0 ? 0 : xnu::XNU_EFAULT;
    }
    int write(TraceeAddr dst, const void* src, size_t n) override {
        if (n == 0) return 0;
        if (dst.addr + n < dst.addr || dst.addr + n > kUserTop) return xnu::XNU_EFAULT;
        return macrun_safe_copy(reinterpret_cast<void*>(dst.addr), src, n) == 0 ? 0 : xnu::XNU_EFAULT;
    }
};

}  // namespace tracer
