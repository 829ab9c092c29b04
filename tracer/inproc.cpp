#include "inproc.hpp"

#include <csignal>
#include <cstring>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#include "raw_syscall.hpp"
#include "runtime.hpp"
#include "syscalls/abi/xnu.hpp"
#include "syscalls/dispatch.hpp"
#include "thread.hpp"

namespace tracer {
namespace {

int g_pid;  // refreshed in the child by the fork handler

class InprocThread final : public Thread {
  public:
    explicit InprocThread(const greg_t* g) : Thread(g_pid, 0) {
        regs_.rax = uint64_t(g[REG_RAX]);
        regs_.rdx = uint64_t(g[REG_RDX]);
        regs_.rdi = uint64_t(g[REG_RDI]);
        regs_.rsi = uint64_t(g[REG_RSI]);
        regs_.r10 = uint64_t(g[REG_R10]);
        regs_.r8 = uint64_t(g[REG_R8]);
        regs_.r9 = uint64_t(g[REG_R9]);
        regs_.rsp = uint64_t(g[REG_RSP]);
        regs_.rip = uint64_t(g[REG_RIP]);
        regs_.rflags = uint64_t(g[REG_EFL]);
        regs_.rbx = uint64_t(g[REG_RBX]);
        regs_.rcx = uint64_t(g[REG_RCX]);
        regs_.rbp = uint64_t(g[REG_RBP]);
        regs_.r11 = uint64_t(g[REG_R11]);
        regs_.r12 = uint64_t(g[REG_R12]);
        regs_.r13 = uint64_t(g[REG_R13]);
        regs_.r14 = uint64_t(g[REG_R14]);
        regs_.r15 = uint64_t(g[REG_R15]);
    }
    void store(greg_t* g) const {
        g[REG_RAX] = greg_t(regs_.rax);
        g[REG_RDX] = greg_t(regs_.rdx);
        g[REG_RDI] = greg_t(regs_.rdi);
        g[REG_RSI] = greg_t(regs_.rsi);
        g[REG_R10] = greg_t(regs_.r10);
        g[REG_R8] = greg_t(regs_.r8);
        g[REG_R9] = greg_t(regs_.r9);
        g[REG_RSP] = greg_t(regs_.rsp);
        g[REG_RIP] = greg_t(regs_.rip);
        g[REG_EFL] = greg_t(regs_.rflags);
        g[REG_RBX] = greg_t(regs_.rbx);
        g[REG_RCX] = greg_t(regs_.rcx);
        g[REG_RBP] = greg_t(regs_.rbp);
        g[REG_R11] = greg_t(regs_.r11);
        g[REG_R12] = greg_t(regs_.r12);
        g[REG_R13] = greg_t(regs_.r13);
        g[REG_R14] = greg_t(regs_.r14);
        g[REG_R15] = greg_t(regs_.r15);
    }

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

    // Memory of this very process, but through process_vm_readv/writev so that a bad pointer is EFAULT and
    // never a fault inside the handler.
    int read(TraceeAddr src, void* dst, size_t n) override {
        if (n == 0) return 0;
        iovec local{dst, n}, remote{reinterpret_cast<void*>(src.addr), n};
        long r = raw_syscall(SYS_process_vm_readv, g_pid, long(&local), 1, long(&remote), 1, 0);
        return r == long(n) ? 0 : xnu::XNU_EFAULT;
    }
    int write(TraceeAddr dst, const void* src, size_t n) override {
        if (n == 0) return 0;
        iovec local{const_cast<void*>(src), n}, remote{reinterpret_cast<void*>(dst.addr), n};
        long r = raw_syscall(SYS_process_vm_writev, g_pid, long(&local), 1, long(&remote), 1, 0);
        return r == long(n) ? 0 : xnu::XNU_EFAULT;
    }
    int read_cstr(TraceeAddr src, char* dst, size_t cap) override {
        // Page by page, so that a string ending just before an unmapped page is still read.
        size_t got = 0;
        while (got < cap) {
            uint64_t a = src.addr + got;
            size_t chunk = std::min<size_t>(cap - got, 4096 - (a & 4095));
            if (read(TraceeAddr(a), dst + got, chunk) != 0) return xnu::XNU_EFAULT;
            if (void* z = memchr(dst + got, 0, chunk)) {
                (void)z;
                return 0;
            }
            got += chunk;
        }
        dst[cap - 1] = 0;
        return xnu::XNU_ENAMETOOLONG;
    }
};

void on_sigsys(int, siginfo_t* si, void* ctx) {
    auto* uc = static_cast<ucontext_t*>(ctx);
    if (si->si_code != 1 /* SYS_SECCOMP */) {
        // A SIGSYS that is not a trapped call (kill, or XNU's nosys): the program gets the default action.
        signal(SIGSYS, SIG_DFL);
        raw_syscall(SYS_tgkill, g_pid, raw_syscall(SYS_gettid), SIGSYS);
        return;
    }
    InprocThread t(uc->uc_mcontext.gregs);
    auto eax = uint32_t(si->si_syscall);
    xnu_sys::SysResult r = xnu_sys::dispatch(t, eax);
    xnu_sys::apply_result(t.regs(), eax, r);
    t.store(uc->uc_mcontext.gregs);
}

// `int $0x82` (the i386 machdep gate) faults with #GP on Linux and arrives as SIGSEGV with the instruction
// pointer on the `cd 82`. Anything else is a real fault and gets the default action.
void on_sigsegv(int sig, siginfo_t* si, void* ctx) {
    auto* uc = static_cast<ucontext_t*>(ctx);
    greg_t* g = uc->uc_mcontext.gregs;
    InprocThread t(g);
    uint8_t insn[2] = {};
    if (si->si_code == SI_KERNEL && t.read(TraceeAddr(uint64_t(g[REG_RIP])), insn, 2) == 0 && insn[0] == 0xcd &&
        insn[1] == 0x82) {
        t.regs().rip += 2;
        auto eax = uint32_t(3u << 24 | (uint32_t(g[REG_RAX]) & 0xffffff));
        xnu_sys::SysResult r = xnu_sys::dispatch(t, eax);
        xnu_sys::apply_result(t.regs(), eax, r);
        t.store(g);
        return;
    }
    signal(sig, SIG_DFL);  // returning re-executes the faulting instruction, which now kills the process
}

}  // namespace

int inproc_install() {
    g_pid = getpid();
    struct sigaction sa {};
    sa.sa_sigaction = on_sigsys;
    // SA_NODEFER: a program signal handler that runs while a trapped call is in progress may itself make XNU
    // calls; a blocked seccomp SIGSYS would kill the process instead.
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSYS, &sa, nullptr) != 0) return -errno;
    sa.sa_sigaction = on_sigsegv;
    if (sigaction(SIGSEGV, &sa, nullptr) != 0) return -errno;
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGSYS);
    sigaddset(&unblock, SIGSEGV);
    sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
    g_runtime.backend = "inproc";
    return 0;
}

}  // namespace tracer
