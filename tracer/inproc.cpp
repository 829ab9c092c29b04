#include "inproc.hpp"

#include <asm/prctl.h>
#include <csignal>
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "fastpath.hpp"
#include "sud.hpp"
#include "inproc_thread.hpp"
#include "mach/klock.hpp"
#include "tracer/common.hpp"
#include "syscalls/dispatch.hpp"
#include "base/abi/xnu_signal.hpp"
#include "syscalls/signal.hpp"

namespace tracer {

int g_inproc_pid;

namespace {

constexpr size_t kAltStackSize = 64 * 1024;
// Stack that delivering a signal may still use below the Linux handler's frame (deliver_signal's buffers).
constexpr uint64_t kFrameReserve = 16 * 1024;

Regs from_gregs(const greg_t* g) {
    Regs r{};
    r.rax = uint64_t(g[REG_RAX]), r.rdx = uint64_t(g[REG_RDX]), r.rdi = uint64_t(g[REG_RDI]);
    r.rsi = uint64_t(g[REG_RSI]), r.r10 = uint64_t(g[REG_R10]), r.r8 = uint64_t(g[REG_R8]);
    r.r9 = uint64_t(g[REG_R9]), r.rsp = uint64_t(g[REG_RSP]), r.rip = uint64_t(g[REG_RIP]);
    r.rflags = uint64_t(g[REG_EFL]), r.rbx = uint64_t(g[REG_RBX]), r.rcx = uint64_t(g[REG_RCX]);
    r.rbp = uint64_t(g[REG_RBP]), r.r11 = uint64_t(g[REG_R11]), r.r12 = uint64_t(g[REG_R12]);
    r.r13 = uint64_t(g[REG_R13]), r.r14 = uint64_t(g[REG_R14]), r.r15 = uint64_t(g[REG_R15]);
    return r;
}

void to_gregs(const Regs& r, greg_t* g) {
    g[REG_RAX] = greg_t(r.rax), g[REG_RDX] = greg_t(r.rdx), g[REG_RDI] = greg_t(r.rdi);
    g[REG_RSI] = greg_t(r.rsi), g[REG_R10] = greg_t(r.r10), g[REG_R8] = greg_t(r.r8);
    g[REG_R9] = greg_t(r.r9), g[REG_RSP] = greg_t(r.rsp), g[REG_RIP] = greg_t(r.rip);
    g[REG_EFL] = greg_t(r.rflags), g[REG_RBX] = greg_t(r.rbx), g[REG_RCX] = greg_t(r.rcx);
    g[REG_RBP] = greg_t(r.rbp), g[REG_R11] = greg_t(r.r11), g[REG_R12] = greg_t(r.r12);
    g[REG_R13] = greg_t(r.r13), g[REG_R14] = greg_t(r.r14), g[REG_R15] = greg_t(r.r15);
}

// Hands a signal to the program: its Darwin handler through its trampoline, or the default action when it
// has none. Returns with the frame's registers updated.
void to_program(int lsig, siginfo_t* si, ucontext_t* uc, uint64_t frame_below = 0) {
    InprocThread t(from_gregs(uc->uc_mcontext.gregs), uc, nullptr);
    xnu_sys::SignalEvent ev = xnu_sys::event_from_linux(*si);
    ev.frame_below = frame_below;
    if (ev.sig && xnu_sys::deliver_signal(t, ev)) {
        to_gregs(t.regs(), uc->uc_mcontext.gregs);
        return;
    }
    xnu_sys::SigAction act = xnu_sys::action_of(ev.sig);
    if (act.handler == 1 /* SIG_IGN */ && si->si_code <= 0 /* sent, not a fault */) return;
    // Default action: with Linux's default disposition, the signal again (a fault simply recurs when the
    // instruction runs again).
    signal(lsig, SIG_DFL);
    if (si->si_code <= 0) raw_syscall(SYS_tgkill, g_inproc_pid, raw_syscall(SYS_gettid), lsig);
}

// The Linux handler of every signal the program catches (installed by sigaction through install_handler).
// A signal that arrives while its thread holds the IPC lock waits until the lock is let go (the program's handler
// may make Mach calls): it is queued again with the same siginfo and stays blocked in the interrupted context;
// the lock's release unblocks it (mach/klock.cpp).
void on_program_signal(int lsig, siginfo_t* si, void* ctx) {
    if (mach::klock_defer_signal(lsig, si, ctx)) return;
    to_program(lsig, si, static_cast<ucontext_t*>(ctx));
}

int install_handler(Thread&, int lsig, const xnu_sys::SigAction& act) {
    struct sigaction sa {};
    sa.sa_sigaction = on_program_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (act.flags & xnu::XNU_SA_RESTART) sa.sa_flags |= SA_RESTART;
    if (act.flags & xnu::XNU_SA_NOCLDSTOP) sa.sa_flags |= SA_NOCLDSTOP;
    if (act.flags & xnu::XNU_SA_NOCLDWAIT) sa.sa_flags |= SA_NOCLDWAIT;
    // Nothing interrupts the building of the frame, except the faults macrun catches itself.
    sigfillset(&sa.sa_mask);
    for (int s : {SIGSEGV, SIGBUS, SIGSYS, SIGTRAP}) sigdelset(&sa.sa_mask, s);
    return sigaction(lsig, &sa, nullptr) == 0 ? 0 : -errno;
}

// A `syscall` with a Linux number (XNU class 0) made by program code, caught by Syscall User Dispatch.
// XNU raises EXC_SYSCALL for a class it does not know, which no UNIX signal corresponds to (xnu
// osfmk/x86_64/idt64.s hndl_syscall, bsd/uxkern/ux_exception.c): the thread simply goes on, registers as
// they were. The vDSO's own fallback calls are glibc's, made for macrun: they run.
void linux_call_from_program(siginfo_t* si, ucontext_t* uc) {
    greg_t* g = uc->uc_mcontext.gregs;
    auto nr = uint32_t(si->si_syscall);
    if (sud::in_vdso(reinterpret_cast<uint64_t>(si->si_call_addr))) {
        g[REG_RAX] = raw_syscall(nr, g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]);
        return;
    }
    g[REG_RAX] = greg_t(nr);
    base::report_linux_call(nr, reinterpret_cast<uint64_t>(si->si_call_addr));
}

void on_sigsys(int, siginfo_t* si, void* ctx) {
    auto* uc = static_cast<ucontext_t*>(ctx);
    constexpr int kSysSeccomp = 1, kSysUserDispatch = 2;
    if (si->si_code == kSysUserDispatch && uint32_t(si->si_syscall) < 0x1000000) {
        linux_call_from_program(si, uc);
        return;
    }
    if (si->si_code != kSysSeccomp && si->si_code != kSysUserDispatch) {
        // A SIGSYS that is not a trapped call (kill, or XNU's nosys): the program's own SIGSYS, which it may
        // block, catch or leave to the default action.
        InprocThread t(from_gregs(uc->uc_mcontext.gregs), uc, nullptr);
        if (xnu_sys::xnu_sigmask(t) & (1u << (xnu::XNU_SIGSYS - 1))) {
            xnu_sys::mark_pending(t, xnu::XNU_SIGSYS);
            return;
        }
        // This handler runs on the interrupted stack, so its own frame lies where the program's handler frame
        // would go: build that one below everything this handler still uses.
        to_program(SIGSYS, si, uc, reinterpret_cast<uint64_t>(__builtin_frame_address(0)) - kFrameReserve);
        return;
    }
    InprocThread t(from_gregs(uc->uc_mcontext.gregs), uc, nullptr);
    auto eax = uint32_t(si->si_syscall);
    uint64_t site_end = t.regs().rip;
    base::SysResult r = xnu_sys::dispatch(t, eax);
    xnu_sys::apply_result(t.regs(), eax, r);
    to_gregs(t.regs(), uc->uc_mcontext.gregs);
    // Next time this site runs, it calls macrun directly instead of trapping.
    if (g_runtime.fastpath) fastpath::maybe_patch(t, site_end, eax);
}

// `int $0x82` (the i386 machdep gate) faults with #GP on Linux and arrives as SIGSEGV with the instruction
// pointer on the `cd 82`. Anything else is a real fault and gets the default action.
void on_sigsegv(int sig, siginfo_t* si, void* ctx) {
    auto* uc = static_cast<ucontext_t*>(ctx);
    greg_t* g = uc->uc_mcontext.gregs;
    if (g[REG_RIP] == reinterpret_cast<greg_t>(macrun_safe_copy_insn)) {
        g[REG_RIP] = reinterpret_cast<greg_t>(macrun_safe_copy_fixup);  // a bad program pointer: EFAULT
        return;
    }
    if (sig == SIGBUS) return to_program(sig, si, uc);
    InprocThread t(from_gregs(g), uc, nullptr);
    uint8_t insn[2] = {};
    if (si->si_code == SI_KERNEL && t.read(TraceeAddr(uint64_t(g[REG_RIP])), insn, 2) == 0 && insn[0] == 0xcd &&
        insn[1] == 0x82) {
        t.regs().rip += 2;
        auto eax = uint32_t(3u << 24 | (uint32_t(g[REG_RAX]) & 0xffffff));
        base::SysResult r = xnu_sys::dispatch(t, eax);
        xnu_sys::apply_result(t.regs(), eax, r);
        to_gregs(t.regs(), g);
        return;
    }
    to_program(sig, si, uc);
}

// SIGTRAP from an int3 that the fast path's patcher left at a site for the instant of the patch.
void on_sigtrap(int sig, siginfo_t* si, void* ctx) {
    auto* uc = static_cast<ucontext_t*>(ctx);
    greg_t* g = uc->uc_mcontext.gregs;
    if (uint64_t tramp = fastpath::trampoline_for(uint64_t(g[REG_RIP]) - 1)) {
        g[REG_RIP] = greg_t(tramp);
        return;
    }
    to_program(sig, si, uc);
}

// Per-thread setup every thread of the program gets: macrun's own alternate signal stack (for faults).
void setup_thread_altstack() {
    void* m = mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return;
    stack_t ss{};
    ss.ss_sp = m;
    ss.ss_size = kAltStackSize;
    sigaltstack(&ss, nullptr);
}

}  // namespace

// What a new thread finds on its stack: it waits until `ready` is set, then takes `regs`.
struct ThreadStart {
    uint32_t ready;
    uint32_t pad;
    uint64_t gs_base;
    Regs regs;
};

int64_t InprocThread::create_thread(uint64_t stack, uint64_t gs_base) {
    uint64_t block = ((stack - 128 - sizeof(ThreadStart)) & ~uint64_t(15));
    ThreadStart ts{};
    ts.gs_base = gs_base;
    if (write(TraceeAddr(block), &ts, sizeof ts) != 0) return -EFAULT;
    constexpr unsigned long kFlags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                                     CLONE_SYSVSEM;
    int64_t tid = macrun_clone_thread(kFlags, block);
    if (tid > 0) start_block_ = block;
    return tid;
}

void InprocThread::start_thread(int64_t, const Regs& start) {
    auto* ts = reinterpret_cast<ThreadStart*>(start_block_);
    if (!ts) return;
    write(TraceeAddr(start_block_ + offsetof(ThreadStart, regs)), &start, sizeof start);
    __atomic_store_n(&ts->ready, 1u, __ATOMIC_RELEASE);
    raw_syscall(SYS_futex, long(&ts->ready), FUTEX_WAKE_PRIVATE, 1);
    start_block_ = 0;
}

}  // namespace tracer

extern "C" void macrun_enter_regs(const base::Regs* r);

// The first code of a new program thread, on its own stack: macrun's per-thread state, the %gs base
// (the TSD area), then the program's thread-start routine.
extern "C" [[noreturn]] void macrun_thread_start(tracer::ThreadStart* block) {
    while (!__atomic_load_n(&block->ready, __ATOMIC_ACQUIRE))
        base::raw_syscall(SYS_futex, long(&block->ready), FUTEX_WAIT_PRIVATE, 0, 0);
    tracer::ThreadStart ts = *block;
    tracer::setup_thread_altstack();
    tracer::sud::enable_or_die();
    if (ts.gs_base) base::raw_syscall(SYS_arch_prctl, ARCH_SET_GS, long(ts.gs_base));
    macrun_enter_regs(&ts.regs);
    __builtin_unreachable();
}

namespace tracer {

int inproc_install() {
    g_inproc_pid = getpid();
    struct sigaction sa {};
    // SA_NODEFER: a program signal handler that runs while a trapped call is in progress may itself make XNU
    // calls; a blocked seccomp SIGSYS would kill the process instead.
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sa.sa_sigaction = on_sigsys;
    if (sigaction(SIGSYS, &sa, nullptr) != 0) return -errno;
    // Faults are handled on a stack of macrun's own, so that a program that overflows its stack still gets
    // its SIGSEGV handler run (on its own alternate stack, as on macOS) or the default action.
    setup_thread_altstack();
    sa.sa_flags |= SA_ONSTACK;
    sa.sa_sigaction = on_sigsegv;
    if (sigaction(SIGSEGV, &sa, nullptr) != 0) return -errno;
    if (sigaction(SIGBUS, &sa, nullptr) != 0) return -errno;
    sa.sa_sigaction = on_sigtrap;
    if (sigaction(SIGTRAP, &sa, nullptr) != 0) return -errno;
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGSYS);
    sigaddset(&unblock, SIGSEGV);
    sigaddset(&unblock, SIGTRAP);
    sigaddset(&unblock, SIGBUS);
    sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
    xnu_sys::set_signal_installer(install_handler);
    xnu_sys::set_internal_signals((1ULL << (SIGSYS - 1)) | (1ULL << (SIGSEGV - 1)) | (1ULL << (SIGBUS - 1)) |
                                  (1ULL << (SIGTRAP - 1)));
    return 0;
}

}  // namespace tracer
