/* Darwin signals: sigaction with the program's trampoline, the handler frame XNU builds (siginfo, ucontext,
 * mcontext), masks and sigpending, SA_RESETHAND, SA_NODEFER, nested signals, faults (SIGSEGV for an unmapped
 * address, SIGBUS for a write to a read-only page) with a handler that moves rip past the faulting
 * instruction, the program's own SIGSYS handler, and sigreturn's token check.
 * Facts: xnu bsd/dev/i386/unix_signal.c (sendsig, sigreturn), bsd/kern/kern_sig.c, bsd/sys/signal.h. */
#include "xnu.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/ucontext.h>

enum { X_sigprocmask = 48, X_sigpending = 52, X_sigaltstack = 53, X_sigsuspend = 111, X_sigreturn = 184 };

static volatile int hits, last_sig, last_code, nested_inner;
static volatile long last_pid, last_addr, handler_rsp, saw_mcsize, saw_onstack, last_mask, frame_sp;
static volatile unsigned long saved_rip;

static void on_usr1(int sig, siginfo_t* si, void* ctx) {
    ucontext_t* uc = ctx;
    hits++;
    last_sig = sig;
    last_code = si->si_code;
    last_pid = si->si_pid;
    saw_mcsize = (long)uc->uc_mcsize;
    saw_onstack = uc->uc_onstack;
    frame_sp = (long)uc->uc_stack.ss_sp;
    long rsp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
    handler_rsp = rsp;
    unsigned cur = 0;
    xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_BLOCK, 0, (long)&cur, 0, 0, 0);
    last_mask = cur;
}

static void on_usr2_outer(int sig, siginfo_t* si, void* ctx) {
    (void)sig, (void)si, (void)ctx;
    hits++;
    BSD(kill, BSD0(getpid).val, SIGUSR1, 1);  /* not blocked here: runs nested, at once */
    nested_inner = hits;
}

/* Skips the faulting 8-byte `movq 0x0, %rax` / `movb %al, (%rdi)`+nops by moving rip in the mcontext. */
static void on_fault(int sig, siginfo_t* si, void* ctx) {
    ucontext_t* uc = ctx;
    hits++;
    last_sig = sig;
    last_code = si->si_code;
    last_addr = (long)si->si_addr;
    saved_rip = uc->uc_mcontext->__ss.__rip;
    uc->uc_mcontext->__ss.__rip += 8;
}

static void on_sys(int sig, siginfo_t* si, void* ctx) {
    (void)si, (void)ctx;
    hits++;
    last_sig = sig;
}

int main(void) {
    long pid = BSD0(getpid).val;
    struct t_sigaction_out old;

    EXPECT_ERR(t_sigaction(0, on_usr1, SA_SIGINFO, 0, 0), EINVAL, "sigaction(0): EINVAL");
    EXPECT_ERR(t_sigaction(32, on_usr1, SA_SIGINFO, 0, 0), EINVAL, "sigaction(32): EINVAL");
    EXPECT_ERR(t_sigaction(SIGKILL, on_usr1, SA_SIGINFO, 0, 0), EINVAL, "sigaction(SIGKILL): EINVAL");
    EXPECT_ERR(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO, 0, BAD_PTR), EFAULT, "sigaction with a bad old pointer: EFAULT");

    EXPECT_OK(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO, 0, &old), "sigaction(SIGUSR1, handler)");
    CHECK(old.handler == 0, "the previous disposition was SIG_DFL");
    EXPECT_OK(BSD(kill, pid, SIGUSR1, 1), "kill(self, SIGUSR1 = 30)");
    CHECK(hits == 1 && last_sig == 30, "the handler ran once with signal 30");
    CHECK(last_code == SI_USER, "si_code is SI_USER (0x10001)");
    CHECK(last_pid == pid, "si_pid is the sender");
    CHECK(saw_mcsize == 1032, "uc_mcsize is the AVX mcontext size (1032)");
    CHECK((frame_sp & 15) == 8, "the trampoline is entered with rsp = 8 (mod 16), as after a call");
    CHECK((last_mask & (1u << (SIGUSR1 - 1))) != 0, "the signal is blocked while its handler runs");

    unsigned set = 1u << (SIGUSR1 - 1), cur = 0, pend = 0;
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_BLOCK, (long)&set, 0, 0, 0, 0), "block SIGUSR1");
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, 9, (long)&set, 0, 0, 0, 0), EINVAL, "sigprocmask(how 9): EINVAL");
    BSD(kill, pid, SIGUSR1, 1);
    CHECK(hits == 1, "a blocked signal is not delivered");
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_sigpending, (long)&pend, 0, 0, 0, 0, 0), "sigpending");
    CHECK(pend & set, "it is pending");
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_UNBLOCK, (long)&set, (long)&cur, 0, 0, 0), "unblock SIGUSR1");
    CHECK(cur & set, "the old mask had it");
    CHECK(hits == 2, "unblocking delivers it");
    unsigned kill_stop = (1u << (SIGKILL - 1)) | (1u << (SIGSTOP - 1));
    xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_SETMASK, (long)&kill_stop, 0, 0, 0, 0);
    xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_SETMASK, 0, (long)&cur, 0, 0, 0);
    CHECK((cur & kill_stop) == 0, "SIGKILL and SIGSTOP cannot be blocked");

    /* SA_RESETHAND: one delivery, then the default disposition. */
    EXPECT_OK(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO | SA_RESETHAND, 0, 0), "sigaction(SA_RESETHAND)");
    BSD(kill, pid, SIGUSR1, 1);
    t_sigaction(SIGUSR1, 0, 0, 0, &old);
    CHECK(hits == 3 && old.handler == 0, "after one delivery the disposition is SIG_DFL again");

    /* SA_NODEFER: the signal stays unblocked while its own handler runs. */
    EXPECT_OK(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO | SA_NODEFER, 0, 0), "sigaction(SA_NODEFER)");
    BSD(kill, pid, SIGUSR1, 1);
    CHECK(hits == 4 && (last_mask & (1u << (SIGUSR1 - 1))) == 0, "SA_NODEFER: not blocked inside its handler");
    hits = 3;

    /* Nested: SIGUSR2's handler raises SIGUSR1, which is not in its mask. */
    t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO, 0, 0);
    EXPECT_OK(t_sigaction(SIGUSR2, on_usr2_outer, SA_SIGINFO, 0, 0), "sigaction(SIGUSR2)");
    BSD(kill, pid, SIGUSR2, 1);
    CHECK(hits == 5 && nested_inner == 5, "a signal raised in a handler runs nested, before the outer returns");

    /* sigaltstack: the handler runs on the alternate stack and sees uc_onstack. */
    static char alt[65536];
    struct { void* sp; size_t size; int flags; } ss = {alt, sizeof alt, 0}, oss;
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_sigaltstack, (long)&(struct { void* sp; size_t size; int flags; }){alt, 4096, 0}, 0, 0, 0, 0, 0), ENOMEM, "sigaltstack smaller than MINSIGSTKSZ: ENOMEM");
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_sigaltstack, (long)&ss, (long)&oss, 0, 0, 0, 0), "sigaltstack(64 KiB)");
    CHECK(oss.flags & 4, "the old state was SS_DISABLE");
    t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO | SA_ONSTACK, 0, 0);
    BSD(kill, pid, SIGUSR1, 1);
    CHECK(handler_rsp > (long)alt && handler_rsp < (long)alt + (long)sizeof alt, "SA_ONSTACK: the handler ran on the alternate stack");
    CHECK(saw_onstack == 0, "uc_onstack records that the interrupted code was not on it");
    xsys6(SYSCALL_CLASS_UNIX | X_sigaltstack, 0, (long)&oss, 0, 0, 0, 0);
    CHECK((oss.flags & 1) == 0, "after sigreturn the thread is off the alternate stack");

    /* Faults: a handler that changes rip in the mcontext resumes elsewhere. */
    EXPECT_OK(t_sigaction(SIGSEGV, on_fault, SA_SIGINFO, 0, 0), "sigaction(SIGSEGV)");
    hits = 0;
    unsigned long fault_at;
    __asm__ volatile("lea 1f(%%rip), %0\n1: movq 0x0, %%rax" : "=r"(fault_at) :: "rax", "memory");  /* movq: 8 bytes */
    CHECK(hits == 1 && last_sig == SIGSEGV && last_code == SEGV_MAPERR && last_addr == 0, "null read: SIGSEGV, SEGV_MAPERR, si_addr 0");
    CHECK(saved_rip == fault_at, "the mcontext's rip is the faulting instruction");
    char* ro = (char*)BSD(mmap, 0, 4096, PROT_READ, MAP_ANON | MAP_PRIVATE, -1, 0).val;
    EXPECT_OK(t_sigaction(SIGBUS, on_fault, SA_SIGINFO, 0, 0), "sigaction(SIGBUS)");
    __asm__ volatile("movb %%al, (%0)\n\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00, 0x90" ::"r"(ro) : "memory");  /* 2 + 6 bytes */
    CHECK(hits == 2 && last_sig == SIGBUS && last_addr == (long)ro, "write to a read-only page: SIGBUS at that address");

    /* The program's own SIGSYS: an XNU number past the table runs nosys (SIGSYS, then ENOSYS). */
    EXPECT_OK(t_sigaction(SIGSYS, on_sys, SA_SIGINFO, 0, 0), "sigaction(SIGSYS)");
    hits = 0;
    struct xres r = xsys6(SYSCALL_CLASS_UNIX | 1000, 0, 0, 0, 0, 0, 0);
    CHECK(hits == 1 && last_sig == SIGSYS, "the program's SIGSYS handler ran");
    CHECK(r.err == ENOSYS, "and the call returned ENOSYS");

    /* sigreturn checks the token XNU handed the handler. */
    ucontext_t fake = {0};
    static struct __darwin_mcontext_avx64 mc;
    fake.uc_mcontext = (void*)&mc;
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_sigreturn, (long)&fake, 30, 12345, 0, 0, 0), EINVAL, "sigreturn with a forged token: EINVAL");
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_sigreturn, (long)BAD_PTR, 30, 0, 0, 0, 0), EFAULT, "sigreturn of an unmapped context: EFAULT");

    /* sigsuspend: waits for a signal, then EINTR. */
    t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO, 0, 0);
    xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_BLOCK, (long)&set, 0, 0, 0, 0);
    BSD(kill, pid, SIGUSR1, 1);
    hits = 0;
    r = xsys6(SYSCALL_CLASS_UNIX | X_sigsuspend, 0, 0, 0, 0, 0, 0);
    CHECK(r.err == EINTR && hits == 1, "sigsuspend with an empty mask runs the pending handler and returns EINTR");
    xsys6(SYSCALL_CLASS_UNIX | X_sigprocmask, SIG_SETMASK, 0, (long)&cur, 0, 0, 0);
    CHECK(cur & set, "after sigsuspend the old mask is back");
    return t_done();
}
