// A base::Thread for unit tests of the Mach kernel: the test process itself plays the program. Linux calls
// are direct system calls; memory is read and written with process_vm_readv/writev on the process, so that a
// bad pointer is EFAULT as in the backends.
#pragma once

#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "base/abi/xnu.hpp"
#include "base/raw_syscall.hpp"
#include "base/thread.hpp"

namespace mach_test {

class LocalThread final : public base::Thread {
  public:
    LocalThread() : Thread(int(getpid()), int(syscall(SYS_gettid))) {}
    int64_t linux_call(long nr, const base::LinuxArg* args, size_t nargs) override {
        long a[6] = {};
        for (size_t i = 0; i < nargs && i < 6; i++)
            a[i] = args[i].kind == base::LinuxArg::Kind::Value ? long(args[i].value) : reinterpret_cast<long>(args[i].local);
        return base::raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    int read(base::TraceeAddr src, void* dst, size_t n) override {
        if (!n) return 0;
        iovec l{dst, n}, r{reinterpret_cast<void*>(src.addr), n};
        return process_vm_readv(pid_, &l, 1, &r, 1, 0) == ssize_t(n) ? 0 : xnu::XNU_EFAULT;
    }
    int write(base::TraceeAddr dst, const void* src, size_t n) override {
        if (!n) return 0;
        iovec l{const_cast<void*>(src), n}, r{reinterpret_cast<void*>(dst.addr), n};
        return process_vm_writev(pid_, &l, 1, &r, 1, 0) == ssize_t(n) ? 0 : xnu::XNU_EFAULT;
    }
    uint64_t linux_sigmask() override { return 0; }
    void set_linux_sigmask(uint64_t) override {}
    bool get_fxsave(uint8_t*) override { return false; }
    bool set_fxsave(const uint8_t*) override { return false; }
    int64_t create_thread(uint64_t, uint64_t) override { return -ENOSYS; }
    void start_thread(int64_t, const base::Regs&) override {}
    void exit_thread(uint64_t, uint64_t) override {}
    int64_t fork_process() override { return -ENOSYS; }
    ForkedCall fork_in_call(const void*, size_t) override { return {ForkedCall::Side::Parent, -ENOSYS}; }
    bool resume_forked_call(ForkedCall*, void*, size_t) override { return false; }
    void end_forked_call() override {}
};

inline base::TraceeAddr addr(const void* p) { return base::TraceeAddr(reinterpret_cast<uint64_t>(p)); }

}  // namespace mach_test
