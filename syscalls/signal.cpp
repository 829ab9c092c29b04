// Signals: sigaction, sigprocmask, __pthread_sigmask, sigpending, sigsuspend, sigaltstack, sigreturn, and the
// frame builder every backend delivers through.
#include "signal.hpp"

#include <atomic>
#include <sys/random.h>

#include "base/abi/xnu_signal.hpp"
#include "trace.hpp"
#include "trace_names.hpp"

namespace xnu_sys {
namespace {

constexpr uint32_t bit(int xnu_sig) { return xnu_sig > 0 && xnu_sig < 32 ? 1u << (xnu_sig - 1) : 0; }
// SIGKILL and SIGSTOP can be neither caught nor blocked (xnu sigcantmask).
constexpr uint32_t kCantMask = bit(xnu::XNU_SIGKILL) | bit(xnu::XNU_SIGSTOP);
constexpr uint64_t kUserCs = 0x2b;  // USER64_CS (xnu osfmk/i386/seg.h)

// Process-wide dispositions, Darwin numbering. Updated under a spin lock (never waited for in a signal
// handler that could interrupt the holder: delivery only reads).
SigAction g_actions[32];
std::atomic_flag g_actions_lock = ATOMIC_FLAG_INIT;
SignalInstaller g_installer;

struct ThreadSignals {
    std::atomic<int> tid{0};
    uint64_t ss_sp = 0, ss_size = 0;
    bool ss_enabled = false, onstack = false;
    uint64_t token = 0;            // sigreturn validation (xnu uu_sigreturn_token)
    uint32_t internal_blocked = 0;  // Darwin bits of internal signals the program blocked
    uint32_t internal_pending = 0;
};
constexpr int kMaxThreads = 1024;
ThreadSignals g_threads[kMaxThreads];

ThreadSignals& thread_state(Thread& t) {
    int tid = t.tid();
    unsigned h = unsigned(tid) % kMaxThreads;
    for (int i = 0; i < kMaxThreads; i++) {
        ThreadSignals& s = g_threads[(h + unsigned(i)) % kMaxThreads];
        int cur = s.tid.load(std::memory_order_acquire);
        if (cur == tid) return s;
        int zero = 0;
        if (cur == 0 && s.tid.compare_exchange_strong(zero, tid)) return s;
    }
    return g_threads[h];  // table full: share a slot rather than fail
}

uint32_t internal_bits();

// Sets the Darwin mask: the Linux mask gets every non-internal signal; internal ones are only recorded.
// Linux-only signals (real-time ones) keep their state.
void set_xnu_mask(Thread& t, uint32_t mask) {
    mask &= ~kCantMask;
    ThreadSignals& ts = thread_state(t);
    ts.internal_blocked = mask & internal_bits();
    uint64_t linux_mask = t.linux_sigmask();
    uint64_t darwin_known = xlate::sigmask_to_linux(0xffffffffu);
    linux_mask = (linux_mask & ~darwin_known) | xlate::sigmask_to_linux(mask & ~internal_bits());
    t.set_linux_sigmask(linux_mask);
}

void lock() {
    while (g_actions_lock.test_and_set(std::memory_order_acquire)) {}
}
void unlock() { g_actions_lock.clear(std::memory_order_release); }

// Applies a disposition to Linux, in the program's process. Internal signals stay with the backend.
int apply_linux(Thread& t, int xnu_sig, const SigAction& act) {
    int lsig = xlate::signal_to_linux(xnu_sig);
    if (lsig == 0 || internal_signal(lsig)) return 0;
    if (act.handler == xnu::XNU_SIG_DFL || act.handler == xnu::XNU_SIG_IGN) {
        struct { uint64_t handler, flags, restorer, mask; } k{};  // the kernel's struct sigaction
        k.handler = act.handler == xnu::XNU_SIG_IGN ? 1 : 0;
        if (act.flags & xnu::XNU_SA_NOCLDSTOP) k.flags |= SA_NOCLDSTOP;
        if (act.flags & xnu::XNU_SA_NOCLDWAIT) k.flags |= SA_NOCLDWAIT;
        int64_t r = t.sys(SYS_rt_sigaction, {lsig, in(k), nullptr, 8});
        return r < 0 ? int(r) : 0;
    }
    return g_installer ? g_installer(t, lsig, act) : -ENOSYS;
}

uint64_t new_token() {
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != sizeof v) v = 0x5bd1e995deadbeefULL;
    return v | 1;
}

void fill_thread_state(const base::Regs& r, xnu::x86_thread_state64& s) {
    s = xnu::x86_thread_state64{r.rax, r.rbx, r.rcx, r.rdx, r.rdi, r.rsi, r.rbp, r.rsp, r.r8, r.r9, r.r10, r.r11,
                                r.r12, r.r13, r.r14, r.r15, r.rip, r.rflags, kUserCs, 0, 0};
}

uint32_t internal_bits() {
    uint32_t bits = 0;
    for (int s = 1; s < 32; s++)
        if (internal_signal(xlate::signal_to_linux(s))) bits |= bit(s);
    return bits;
}

}  // namespace

namespace {
uint64_t g_internal;  // Linux mask of the backend's own signals
}

bool internal_signal(int lsig) { return lsig > 0 && lsig <= 64 && (g_internal & (1ULL << (lsig - 1))); }
void set_internal_signals(uint64_t linux_mask) { g_internal = linux_mask; }

void set_signal_installer(SignalInstaller installer) { g_installer = installer; }

void adopt_inherited_dispositions() {
    for (int xsig = 1; xsig < 32; xsig++) {
        int lsig = xlate::signal_to_linux(xsig);
        struct sigaction sa {};
        if (lsig == 0 || sigaction(lsig, nullptr, &sa) != 0) continue;
        if (!(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN) g_actions[xsig].handler = xnu::XNU_SIG_IGN;
    }
}

void* process_signal_state(size_t* size) {
    *size = sizeof g_actions;
    return g_actions;
}

SigAction action_of(int xnu_sig) {
    if (xnu_sig <= 0 || xnu_sig >= 32) return {};
    lock();
    SigAction a = g_actions[xnu_sig];
    unlock();
    return a;
}

uint32_t xnu_sigmask(Thread& t) {
    return (xlate::sigmask_to_xnu(t.linux_sigmask()) & ~internal_bits()) | thread_state(t).internal_blocked;
}

void mark_pending(Thread& t, int xnu_sig) { thread_state(t).internal_pending |= bit(xnu_sig); }

SignalEvent event_from_linux(const siginfo_t& si) {
    SignalEvent ev;
    ev.sig = xlate::signal_to_xnu(si.si_signo);
    int code = si.si_code;
    switch (si.si_signo) {
        case SIGSEGV:
            ev.fault = true;
            ev.addr = reinterpret_cast<uint64_t>(si.si_addr);
            if (code == SEGV_ACCERR) {
                // A protection fault is EXC_BAD_ACCESS/KERN_PROTECTION_FAILURE on XNU: SIGBUS, BUS_ADRERR
                // (xnu bsd/uxkern/ux_exception.c, unix_signal.c).
                ev.sig = xnu::XNU_SIGBUS;
                ev.code = xnu::XNU_BUS_ADRERR;
                ev.err = 7;
            } else if (code == SI_KERNEL) {
                ev.code = 0;  // general protection fault: no address (XNU reports 0)
                ev.addr = 0;
                ev.trapno = 13;
            } else {
                ev.code = xnu::XNU_SEGV_MAPERR;
                ev.err = 4;
            }
            if (!ev.trapno) ev.trapno = 14;
            return ev;
        case SIGBUS:
            ev.fault = true;
            ev.addr = reinterpret_cast<uint64_t>(si.si_addr);
            ev.code = xnu::XNU_BUS_ADRERR;
            return ev;
        case SIGFPE: {
            // Linux numbers FPE_INTDIV 1 .. FPE_FLTSUB 8; XNU FPE_FLTDIV 1 .. FPE_INTOVF 8 (bsd/sys/signal.h).
            static constexpr int kFpe[9] = {0, xnu::XNU_FPE_INTDIV, xnu::XNU_FPE_INTOVF, xnu::XNU_FPE_FLTDIV,
                                            xnu::XNU_FPE_FLTOVF, xnu::XNU_FPE_FLTUND, xnu::XNU_FPE_FLTRES,
                                            xnu::XNU_FPE_FLTINV, xnu::XNU_FPE_FLTSUB};
            ev.code = code >= 0 && code <= 8 ? kFpe[code] : 0;
            ev.fault = true;
            ev.trapno = code == FPE_INTDIV ? 0 : 16;
            return ev;
        }
        case SIGILL:
            ev.code = code == ILL_ILLOPC ? xnu::XNU_ILL_ILLOPC : 0;  // XNU reports ILL_ILLOPC or ILL_NOOP
            ev.fault = true;
            ev.trapno = 6;
            return ev;
        case SIGTRAP: ev.code = xnu::XNU_TRAP_BRKPT; return ev;
        case SIGCHLD:
            ev.code = code;  // CLD_* are the same numbers
            ev.pid = si.si_pid;
            ev.uid = si.si_uid;
            ev.status = code == CLD_EXITED ? si.si_status : xlate::signal_to_xnu(si.si_status);
            return ev;
        default:
            ev.code = code == SI_USER || code == SI_TKILL ? xnu::XNU_SI_USER
                      : code == SI_QUEUE                  ? xnu::XNU_SI_QUEUE
                      : code == SI_TIMER                  ? xnu::XNU_SI_TIMER
                      : code == SI_MESGQ                  ? xnu::XNU_SI_MESGQ
                      : code == SI_ASYNCIO                ? xnu::XNU_SI_ASYNCIO
                                                          : code;
            if (code == SI_USER || code == SI_TKILL || code == SI_QUEUE) {
                ev.pid = si.si_pid;
                ev.uid = si.si_uid;
            }
            ev.value = reinterpret_cast<uint64_t>(si.si_ptr);
            return ev;
    }
}

bool deliver_signal(Thread& t, const SignalEvent& ev) {
    SigAction act = action_of(ev.sig);
    if (act.handler == xnu::XNU_SIG_DFL || act.handler == xnu::XNU_SIG_IGN) return false;
    ThreadSignals& ts = thread_state(t);
    base::Regs& r = t.regs();
    uint32_t old_mask = xnu_sigmask(t);

    // The stack: the alternate one when the action asks for it and the thread is not already on it.
    bool oonstack = ts.onstack;
    uint64_t sp = r.rsp, stack_size = 0;
    if (ts.ss_enabled && !oonstack && (act.flags & xnu::XNU_SA_ONSTACK)) {
        sp = ts.ss_sp + ts.ss_size;
        stack_size = ts.ss_size;
        ts.onstack = true;
    } else if (ev.frame_below && ev.frame_below < sp) {
        sp = ev.frame_below + xnu::XNU_REDZONE;
    }
    sp -= xnu::XNU_REDZONE;
    sp -= sizeof(xnu::user64_ucontext);
    uint64_t uctx_addr = sp;
    sp -= sizeof(xnu::user64_siginfo);
    uint64_t info_addr = sp;
    sp -= sizeof(xnu::mcontext_avx64);
    uint64_t mctx_addr = sp;
    uint64_t fp = (sp & ~uint64_t(15)) - 8;  // as if called: rsp = 8 (mod 16) at the trampoline

    if (!ts.token) ts.token = new_token();

    xnu::mcontext_avx64 mc{};
    mc.es.trapno = ev.trapno;
    mc.es.err = ev.err;
    mc.es.faultvaddr = ev.addr;
    fill_thread_state(r, mc.ss);
    t.get_fxsave(mc.fs.fxsave);

    xnu::user64_siginfo si{};
    si.signo = ev.sig;
    si.code = ev.code;
    si.pid = ev.pid;
    si.uid = ev.uid;
    si.status = ev.status;
    si.addr = ev.fault ? ev.addr : r.rip;
    si.value = ev.value;
    si.pad[0] = r.rsp;

    xnu::user64_ucontext uc{};
    uc.uc_onstack = oonstack ? 1 : 0;
    uc.uc_sigmask = old_mask;
    uc.uc_stack.ss_sp = fp;
    uc.uc_stack.ss_size = stack_size;
    uc.uc_stack.ss_flags = oonstack ? xnu::XNU_SS_ONSTACK : 0;
    uc.uc_mcsize = sizeof(xnu::mcontext_avx64);
    uc.uc_mcontext64 = mctx_addr;

    if (t.write(TraceeAddr(mctx_addr), &mc, sizeof mc) != 0 || t.write(TraceeAddr(info_addr), &si, sizeof si) != 0 ||
        t.write(TraceeAddr(uctx_addr), &uc, sizeof uc) != 0) {
        // No room for the frame (xnu sendsig "bad"): the process gets SIGILL with the default action.
        ts.onstack = oonstack;
        SigAction dfl;
        lock();
        g_actions[xnu::XNU_SIGILL] = dfl;
        unlock();
        apply_linux(t, xnu::XNU_SIGILL, dfl);
        t.sys(SYS_tgkill, {t.pid(), t.tid(), SIGILL});
        return true;
    }

    if (base::g_runtime.trace_fd >= 0) {
        char text[160];
        snprintf(text, sizeof text, "%s (si_code %#x, si_addr %#llx) delivered to handler %#llx%s",
                 xnu_signal_name(ev.sig) ? xnu_signal_name(ev.sig) : "signal", ev.code,
                 static_cast<unsigned long long>(si.addr), static_cast<unsigned long long>(act.handler),
                 ts.onstack && !oonstack ? " on the alternate stack" : "");
        trace_event(&t, text);
    }
    r.rip = act.tramp;
    r.rsp = fp;
    r.rflags = 0x202;
    r.rdi = act.handler;
    r.rsi = (act.flags & xnu::XNU_SA_SIGINFO) ? xnu::XNU_UC_FLAVOR : xnu::XNU_UC_TRAD;
    r.rdx = uint64_t(ev.sig);
    r.rcx = info_addr;
    r.r8 = uctx_addr;
    r.r9 = uctx_addr ^ ts.token;

    uint32_t mask = old_mask | act.mask;
    if (!(act.flags & xnu::XNU_SA_NODEFER)) mask |= bit(ev.sig);
    set_xnu_mask(t, mask);
    if (act.flags & xnu::XNU_SA_RESETHAND && ev.sig != xnu::XNU_SIGILL && ev.sig != xnu::XNU_SIGTRAP) {
        SigAction dfl;
        lock();
        g_actions[ev.sig] = dfl;
        unlock();
        apply_linux(t, ev.sig, dfl);
    }
    return true;
}

/// sigaction implements XNU BSD sigaction(2) (46): Darwin numbers, the program's trampoline, SA_* flags.
SysResult sys_sigaction(Thread& t, int32_t signum, TraceeAddr nsa, TraceeAddr osa) {
    if (signum <= 0 || signum >= xnu::XNU_NSIG) return SysResult::error(xnu::XNU_EINVAL);
    xnu::user64_sigaction_in in{};
    if (!nsa.null()) {
        XNU_TRY(t.read(nsa, &in, sizeof in));
        if (signum == xnu::XNU_SIGKILL || signum == xnu::XNU_SIGSTOP) return SysResult::error(xnu::XNU_EINVAL);
    }
    lock();
    SigAction old = g_actions[signum];
    unlock();
    // The old action is copied out before the new one takes effect: a bad osa changes nothing
    // (xnu bsd/kern/kern_sig.c sigaction).
    if (!osa.null()) {
        xnu::user64_sigaction_out out{old.handler, old.mask, old.flags};
        XNU_TRY(t.write(osa, &out, sizeof out));
    }
    if (!nsa.null()) {
        SigAction act{in.handler, in.tramp, in.mask & ~kCantMask, in.flags & xnu::XNU_SA_USERSPACE_MASK};
        if (int e = apply_linux(t, signum, act); e < 0) return from_linux(e);
        lock();
        g_actions[signum] = act;
        unlock();
    }
    return SysResult::ok(0);
}

namespace {
SysResult do_sigmask(Thread& t, int32_t how, TraceeAddr set, TraceeAddr oset) {
    uint32_t cur = xnu_sigmask(t);
    if (!set.null()) {
        uint32_t m;
        XNU_TRY(t.read(set, &m, sizeof m));
        uint32_t next;
        switch (how) {
            case xnu::XNU_SIG_BLOCK: next = cur | m; break;
            case xnu::XNU_SIG_UNBLOCK: next = cur & ~m; break;
            case xnu::XNU_SIG_SETMASK: next = m; break;
            default: return SysResult::error(xnu::XNU_EINVAL);
        }
        set_xnu_mask(t, next);
        ThreadSignals& ts = thread_state(t);
        // An internal signal that arrived while blocked is delivered now that it is not.
        if (uint32_t ready = ts.internal_pending & ~ts.internal_blocked) {
            ts.internal_pending &= ~ready;
            for (int s = 1; s < 32; s++)
                if (ready & bit(s)) t.sys(SYS_tgkill, {t.pid(), t.tid(), xlate::signal_to_linux(s)});
        }
    }
    if (!oset.null()) XNU_TRY(t.write(oset, &cur, sizeof cur));
    return SysResult::ok(0);
}
}  // namespace

/// sigprocmask implements XNU BSD sigprocmask(2) (48); __pthread_sigmask (329) is the same for the calling
/// thread, which is what sigprocmask changes too on XNU.
SysResult sys_sigprocmask(Thread& t, int32_t how, TraceeAddr mask, TraceeAddr omask) { return do_sigmask(t, how, mask, omask); }
SysResult sys_pthread_sigmask(Thread& t, int32_t how, TraceeAddr set, TraceeAddr oset) { return do_sigmask(t, how, set, oset); }

/// sigpending implements XNU BSD sigpending(2) (52).
SysResult sys_sigpending(Thread& t, TraceeAddr osv) {
    uint64_t lpend = 0;
    int64_t r = t.sys(SYS_rt_sigpending, {out(lpend), 8});
    if (r < 0) return from_linux(r);
    uint32_t pend = xlate::sigmask_to_xnu(lpend) | thread_state(t).internal_pending;
    XNU_TRY(t.write(osv, &pend, sizeof pend));
    return SysResult::ok(0);
}

namespace {
SysResult do_sigsuspend(Thread& t, uint32_t mask) {
    mask &= ~kCantMask;
    uint64_t lmask = (t.linux_sigmask() & ~xlate::sigmask_to_linux(0xffffffffu)) | xlate::sigmask_to_linux(mask & ~internal_bits());
    int64_t r = t.sys(SYS_rt_sigsuspend, {in(lmask), 8});
    return r == -EINTR ? SysResult::error(xnu::XNU_EINTR) : from_linux(r);
}
}  // namespace

/// sigsuspend implements XNU BSD sigsuspend(2) (111, and 410 without cancellation): always EINTR.
SysResult sys_sigsuspend(Thread& t, uint32_t mask) { return do_sigsuspend(t, mask); }

/// sigaltstack implements XNU BSD sigaltstack(2) (53) for the calling thread (xnu bsd/kern/kern_sig.c).
SysResult sys_sigaltstack(Thread& t, TraceeAddr nss, TraceeAddr oss) {
    ThreadSignals& ts = thread_state(t);
    xnu::user64_sigaltstack cur{};
    cur.ss_sp = ts.ss_sp;
    cur.ss_size = ts.ss_size;
    cur.ss_flags = (ts.ss_enabled ? 0 : xnu::XNU_SS_DISABLE) | (ts.onstack ? xnu::XNU_SS_ONSTACK : 0);
    if (!nss.null()) {
        xnu::user64_sigaltstack n;
        XNU_TRY(t.read(nss, &n, sizeof n));
        if (n.ss_flags & ~xnu::XNU_SS_DISABLE) return SysResult::error(xnu::XNU_EINVAL);
        if (ts.onstack) return SysResult::error(xnu::XNU_EPERM);
        if (n.ss_flags & xnu::XNU_SS_DISABLE) {
            ts.ss_enabled = false;
        } else {
            if (n.ss_size < xnu::XNU_MINSIGSTKSZ) return SysResult::error(xnu::XNU_ENOMEM);
            ts.ss_sp = n.ss_sp;
            ts.ss_size = n.ss_size;
            ts.ss_enabled = true;
        }
    }
    if (!oss.null()) XNU_TRY(t.write(oss, &cur, sizeof cur));
    return SysResult::ok(0);
}

/// sigreturn implements XNU BSD sigreturn (184): restores what the handler left in the ucontext (registers,
/// x87/SSE state, signal mask, alternate-stack state), after checking the token XNU gave the handler.
SysResult sys_sigreturn(Thread& t, TraceeAddr uctx, int32_t infostyle, TraceeAddr token) {
    ThreadSignals& ts = thread_state(t);
    if (uint32_t(infostyle) == xnu::XNU_UC_SET_ALT_STACK) {
        ts.onstack = true;
        return SysResult::ok(0);
    }
    if (uint32_t(infostyle) == xnu::XNU_UC_RESET_ALT_STACK) {
        ts.onstack = false;
        return SysResult::ok(0);
    }
    xnu::user64_ucontext uc;
    XNU_TRY(t.read(uctx, &uc, sizeof uc));
    xnu::mcontext_avx64 mc;
    XNU_TRY(t.read(TraceeAddr(uc.uc_mcontext64), &mc, sizeof mc));
    if (token.addr != (uctx.addr ^ ts.token)) return SysResult::error(xnu::XNU_EINVAL);
    ts.onstack = uc.uc_onstack & 1;
    set_xnu_mask(t, uc.uc_sigmask);
    base::Regs& r = t.regs();
    const xnu::x86_thread_state64& s = mc.ss;
    r.rax = s.rax, r.rbx = s.rbx, r.rcx = s.rcx, r.rdx = s.rdx, r.rdi = s.rdi, r.rsi = s.rsi, r.rbp = s.rbp;
    r.rsp = s.rsp, r.r8 = s.r8, r.r9 = s.r9, r.r10 = s.r10, r.r11 = s.r11, r.r12 = s.r12, r.r13 = s.r13;
    r.r14 = s.r14, r.r15 = s.r15, r.rip = s.rip;
    // Only the flags a user may set (xnu thread_set_state: EFL_USER_SET/CLEAR); IF stays on.
    constexpr uint64_t kUserFlags = 0x0dd5;  // CF PF AF ZF SF TF DF OF
    r.rflags = (r.rflags & ~kUserFlags) | (s.rflags & kUserFlags) | 0x202;
    t.set_fxsave(mc.fs.fxsave);
    return SysResult::just_return();
}

}  // namespace xnu_sys
