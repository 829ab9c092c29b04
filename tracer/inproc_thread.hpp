// The calling thread as seen from inside its own process (the in-process backend and its patched fast path):
// Linux calls are direct system calls, and the program's memory is copied with a fault-catching copy
// (macrun_safe_copy, whose faults the SIGSEGV and SIGBUS handlers turn into EFAULT), so that a bad pointer is
// EFAULT, never a crash of macrun.
#pragma once

#include <algorithm>
#include <cstring>
#include <sys/syscall.h>
#include <csignal>
#include <sys/uio.h>
#include <ucontext.h>

#include "tracer/common.hpp"
#include "base/abi/xnu.hpp"

extern "C" long macrun_safe_copy(void* dst, const void* src, size_t n);
extern "C" long macrun_clone_thread(unsigned long flags, uint64_t child_stack);
extern "C" [[noreturn]] void macrun_unmap_and_exit(uint64_t addr, uint64_t len);
extern "C" char macrun_safe_copy_insn[], macrun_safe_copy_fixup[];

namespace tracer {

extern int g_inproc_pid;  // this process's pid, refreshed after fork

class InprocThread final : public Thread {
  public:
    static constexpr uint64_t kUserTop = 0x00007ffffffff000ULL;  // end of the x86_64 user address space

    // `uc` is the signal frame the call arrived in (SIGSYS), or null on the fast path, where the thread's
    // live mask applies and `fxsave` points at the FXSAVE image the entry stub saved.
    InprocThread(const Regs& r, ucontext_t* uc, uint8_t* fxsave) : Thread(g_inproc_pid, 0), uc_(uc), fxsave_(fxsave) {
        regs_ = r;
    }

    uint64_t linux_sigmask() override {
        if (uc_) {
            uint64_t m;
            memcpy(&m, &uc_->uc_sigmask, sizeof m);
            return m;
        }
        uint64_t old = 0;
        raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, long(&old), 8);
        return old;
    }
    void set_linux_sigmask(uint64_t mask) override {
        if (uc_) memcpy(&uc_->uc_sigmask, &mask, sizeof mask);
        else raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, long(&mask), 0, 8);
    }
    // The new thread starts on a block below the program's stack pointer (its registers and %gs base),
    // sets up what a thread of an inproc program needs (tracer/inproc.cpp macrun_thread_start), then enters
    // the program.
    int64_t create_thread(uint64_t stack, uint64_t gs_base) override;
    void start_thread(int64_t tid, const Regs& start) override;
    void exit_thread(uint64_t addr, uint64_t len) override { macrun_unmap_and_exit(addr, len); }

    // A fork returns here in both processes; the child redoes what named its parent (inproc_fork.cpp).
    int64_t fork_process() override;
    ForkedCall fork_in_call(const void*, size_t) override {
        int64_t r = fork_process();
        return {r == 0 ? ForkedCall::Side::Child : ForkedCall::Side::Parent, r};
    }
    bool resume_forked_call(ForkedCall*, void*, size_t) override { return false; }
    void end_forked_call() override {}

    bool get_fxsave(uint8_t* image) override {
        const void* src = uc_ ? static_cast<const void*>(uc_->uc_mcontext.fpregs) : fxsave_;
        if (!src) return false;
        memcpy(image, src, 512);
        return true;
    }
    bool set_fxsave(const uint8_t* image) override {
        void* dst = uc_ ? static_cast<void*>(uc_->uc_mcontext.fpregs) : fxsave_;
        if (!dst) return false;
        memcpy(dst, image, 512);
        // MXCSR bits the CPU refuses would make the kernel's restore fault: keep only valid ones.
        uint32_t mxcsr;
        memcpy(&mxcsr, static_cast<uint8_t*>(dst) + 24, 4);
        mxcsr &= 0xffff;
        memcpy(static_cast<uint8_t*>(dst) + 24, &mxcsr, 4);
        return true;
    }

    int tid() const override {
        if (!tid_) const_cast<InprocThread*>(this)->tid_ = int(raw_syscall(SYS_gettid));
        return tid_;
    }

    int64_t linux_call(long nr, const LinuxArg* args, size_t nargs) override {
        long a[6] = {};
        for (size_t i = 0; i < nargs && i < 6; i++)
            a[i] = args[i].kind == LinuxArg::Kind::Value ? long(args[i].value) : reinterpret_cast<long>(args[i].local);
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

  private:
    ucontext_t* uc_;
    uint8_t* fxsave_;
    uint64_t start_block_ = 0;  // the ThreadStart of the thread create_thread made, until start_thread
};

}  // namespace tracer
