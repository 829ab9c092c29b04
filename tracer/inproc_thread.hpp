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

    // How the fast path's entry saved the vector registers (fastpath_entry.S).
    enum class VecLayout : int { Sse = 0, Avx = 1, Xsave = 2 };

    // `uc` is the signal frame the call arrived in (SIGSYS), or null on the fast path, where the thread's
    // live mask applies and `vec` points at the vector registers the entry saved, in `layout`.
    InprocThread(const Regs& r, ucontext_t* uc, uint8_t* vec = nullptr, VecLayout layout = VecLayout::Sse)
        : Thread(g_inproc_pid, 0), uc_(uc), vec_(vec), layout_(layout) {
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
        if (uc_) {
            memcpy(image, uc_->uc_mcontext.fpregs, 512);
            return true;
        }
        if (!vec_) return false;
        if (layout_ == VecLayout::Xsave) {
            memcpy(image, vec_, 512);  // XSAVE's legacy region is an FXSAVE image
            return true;
        }
        // The x87 part as it is now (macrun's code leaves it alone), the SSE part as the entry saved it.
        alignas(16) uint8_t now[512];
        __asm__ volatile("fxsave64 %0" : "=m"(now));
        memcpy(image, now, 512);
        memcpy(image + 24, vec_ + 24, 4);
        for (int i = 0; i < 16; i++) memcpy(image + 160 + 16 * i, xmm_slot(i), 16);
        return true;
    }
    bool set_fxsave(const uint8_t* image) override {
        uint32_t mxcsr;
        memcpy(&mxcsr, image + 24, 4);
        // MXCSR bits the CPU refuses would make the restore fault: keep only valid ones.
        mxcsr &= 0xffff;
        if (uc_) {
            memcpy(uc_->uc_mcontext.fpregs, image, 512);
            memcpy(reinterpret_cast<uint8_t*>(uc_->uc_mcontext.fpregs) + 24, &mxcsr, 4);
            return true;
        }
        if (!vec_) return false;
        // On the fast path only the SSE part is taken (the x87 registers are restored at the end of a call
        // only from a signal frame; no call that sets them, sigreturn, runs on the fast path).
        memcpy(vec_ + 24, &mxcsr, 4);
        for (int i = 0; i < 16; i++) memcpy(xmm_slot(i), image + 160 + 16 * i, 16);
        if (layout_ == VecLayout::Xsave) vec_[512] |= 3;  // XSTATE_BV: x87 and SSE hold what is written here
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
    uint8_t* vec_;
    VecLayout layout_;

    // Where xmm<i>'s 16 bytes are in the saved area.
    uint8_t* xmm_slot(int i) const { return vec_ + (layout_ == VecLayout::Avx ? 512 + 32 * i : 160 + 16 * i); }
    uint64_t start_block_ = 0;  // the ThreadStart of the thread create_thread made, until start_thread
};

}  // namespace tracer
