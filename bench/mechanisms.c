/*
 * Per-call cost of each candidate way to intercept an XNU system call on Linux.
 *
 * The call under test is XNU getpid as a macOS binary issues it: `mov $0x2000014, %eax; syscall`. Linux
 * has no such system call, so every mechanism below has to catch it and make it return the caller's pid
 * (with the carry flag clear, XNU's "no error", where the mechanism can control it). The reference is a
 * raw Linux getpid (39) issued the same way.
 *
 * Every measurement runs in a freshly forked "runner" process (its own process group), so seccomp
 * filters, dispatch settings and signal handlers never leak from one mechanism to the next. Mechanisms
 * that need a second party (a ptrace tracer, a user-notification supervisor) fork a tracee from the
 * runner; the runner plays the supervisor. The tracee times its own loop with the vDSO clock, so setup
 * and teardown are not counted. The top-level process only collects a one-line answer from the runner
 * over a pipe, under a deadline; when the deadline passes it kills the runner's whole process group.
 * It is a child subreaper, so whatever the runner leaves behind is reaped here.
 *
 * "pinned": the runner pins itself to CPU 0 before forking, so tracee and supervisor share that CPU.
 * "unpinned": the inherited affinity is left alone (normally both CPUs).
 *
 * Usage: mechanisms [N]   N calls per run (default 100000); each figure is the median of 5 runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

/* include/uapi/linux/seccomp.h (Linux 6.6+): a listener flag that makes the kernel hand the CPU straight
 * from the notifying task to the supervisor it wakes, and back on the reply. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
/* include/uapi/linux/prctl.h: Syscall User Dispatch (Linux 5.11+). */
#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
/* arch/x86/include/uapi/asm/signal.h: tells rt_sigaction that sa_restorer is set. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

#define XNU_GETPID 0x2000014   /* XNU's syscall class 2 (BSD) << 24 | getpid (20) */
#define XNU_FIRST 0x1000000    /* the lowest XNU class number; everything below is a Linux call */
#define RUNS 5
#define RUN_TIMEOUT_MS 60000   /* one run of one mechanism; past this the run is killed and shown n/a */

/* ---------------------------------------------------------------------------------------------------- */
/* The calls being timed. */

static inline long linux_getpid(void) {
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"((long)SYS_getpid) : "rcx", "r11", "memory");
    return ret;
}

static inline long xnu_getpid(void) {
    long ret;
    __asm__ volatile("mov $0x2000014, %%eax\n\tsyscall" : "=a"(ret) : : "rcx", "r11", "memory", "cc");
    return ret;
}

/* What a rewritten call site would do instead of `syscall`: call a stub that keeps every register the
 * syscall instruction keeps, runs C code for the result and returns with CF clear. The call site first
 * steps over the 128-byte red zone, which the surrounding compiled code may be using. */
static inline long xnu_getpid_patched(void) {
    long ret;
    __asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
                     "mov $0x2000014, %%eax\n\t"
                     "call xnu_stub\n\t"
                     "lea 128(%%rsp), %%rsp"
                     : "=a"(ret) : : "rcx", "r11", "memory", "cc");
    return ret;
}

static pid_t g_pid;   /* the answer every fake getpid must produce, cached in the process that runs it */

/* The C side of the stub. general-regs-only keeps the compiler off the vector registers, which the stub
 * does not save (a real syscall preserves them). */
long xnu_dispatch(long nr, const long* args) __attribute__((used, noinline, target("general-regs-only")));
long xnu_dispatch(long nr, const long* args) {
    (void)args;
    return nr == XNU_GETPID ? g_pid : -78 /* ENOSYS on XNU */;
}

/* xnu_stub: saves the six argument registers (rdi rsi rdx r10 r8 r9; rcx and r11 are clobbered by a real
 * syscall too, so they need no saving), aligns the stack, calls xnu_dispatch(nr, saved args), restores
 * and returns with CF clear.
 * sud_restorer: the signal-return trampoline used under Syscall User Dispatch. It lies between
 * sud_allowed_start and sud_allowed_end, the only code range whose system calls the kernel lets through
 * without dispatching them; glibc's own restorer lies outside it and would itself be dispatched. */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl xnu_stub\n"
        ".hidden xnu_stub\n"
        ".type xnu_stub, @function\n"
        "xnu_stub:\n"
        "  push %rbp\n"
        "  mov %rsp, %rbp\n"
        "  push %rdi\n"
        "  push %rsi\n"
        "  push %rdx\n"
        "  push %r10\n"
        "  push %r8\n"
        "  push %r9\n"
        "  and $-16, %rsp\n"
        "  mov %eax, %edi\n"
        "  lea -48(%rbp), %rsi\n"
        "  call xnu_dispatch\n"
        "  mov -48(%rbp), %r9\n"
        "  mov -40(%rbp), %r8\n"
        "  mov -32(%rbp), %r10\n"
        "  mov -24(%rbp), %rdx\n"
        "  mov -16(%rbp), %rsi\n"
        "  mov -8(%rbp), %rdi\n"
        "  clc\n"
        "  leave\n"
        "  ret\n"
        ".size xnu_stub, .-xnu_stub\n"
        ".p2align 4\n"
        ".globl sud_allowed_start, sud_allowed_end, sud_restorer\n"
        ".hidden sud_allowed_start, sud_allowed_end, sud_restorer\n"
        "sud_allowed_start:\n"
        "sud_restorer:\n"
        "  mov $15, %eax\n"   /* __NR_rt_sigreturn */
        "  syscall\n"
        "  ud2\n"
        "sud_allowed_end:\n");
extern char sud_allowed_start[], sud_allowed_end[];
extern void sud_restorer(void);

/* ---------------------------------------------------------------------------------------------------- */
/* Helpers. */

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static long warmup_for(long n) { return n / 10 < 1000 ? n / 10 : 1000; }

/* A result line is "ok <ns per call>" or "err <reason>", written with one write() (< PIPE_BUF). */
static void report(int fd, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(int fd, const char* fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (len < 0) return;
    if (len > (int)sizeof buf - 2) len = sizeof buf - 2;
    buf[len++] = '\n';
    ssize_t w = write(fd, buf, len);
    (void)w;
}

static void report_timing(int fd, long t0, long t1, long n, long wrong) {
    if (wrong)
        report(fd, "err %ld of %ld calls returned the wrong value", wrong, n);
    else
        report(fd, "ok %.3f", (double)(t1 - t0) / n);
}

/* Relays a tracee's answer (or a failure line) to the top level. */
static void relay(int from, int to, const char* what) {
    char buf[256];
    ssize_t r;
    do r = read(from, buf, sizeof buf); while (r < 0 && errno == EINTR);
    if (r > 0)
        r = write(to, buf, r);
    else
        report(to, "err %s gave no result", what);
}

/* The filter: every XNU-numbered call (>= 0x1000000) on x86_64 gets `action`; the rest is allowed.
 * Same shape as macrun's own (tracer/seccomp.cpp). */
static long install_filter(unsigned action, unsigned flags) {
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, XNU_FIRST, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, action),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {sizeof prog / sizeof prog[0], prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -errno;
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    return r < 0 ? -errno : r;
}

/* Forks a tracee that dies with its runner. */
static pid_t fork_tracee(void) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
    }
    return pid;
}

/* ---------------------------------------------------------------------------------------------------- */
/* The mechanisms. Each runs in its own runner process and writes one result line to `out`. */

static void run_native(long n, int out) {
    pid_t pid = getpid();
    long wrong = 0, warm = warmup_for(n);
    for (long i = 0; i < warm; i++) wrong += linux_getpid() != pid;
    long t0 = now_ns();
    for (long i = 0; i < n; i++) wrong += linux_getpid() != pid;
    long t1 = now_ns();
    report_timing(out, t0, t1, n, wrong);
}

/* Sanity check used before a mechanism is armed: without one, the fake call must fail with ENOSYS. */
static int fake_call_unhandled(void) { return xnu_getpid() == -ENOSYS; }

/* 2. seccomp RET_TRACE: the runner is the tracer and answers each call in the seccomp stop. */
static void run_ptrace(long n, int out) {
    int go[2], res[2];
    if (pipe(go) || pipe(res)) { report(out, "err pipe: %s", strerror(errno)); return; }
    long warm = warmup_for(n);
    pid_t pid = fork_tracee();
    if (pid < 0) { report(out, "err fork: %s", strerror(errno)); return; }
    if (pid == 0) {
        char c;
        if (read(go[0], &c, 1) != 1) _exit(1);   /* wait until the tracer has attached */
        long r = install_filter(SECCOMP_RET_TRACE, 0);
        if (r < 0) { report(res[1], "err seccomp: %s", strerror(-r)); _exit(1); }
        g_pid = getpid();
        long wrong = 0;
        for (long i = 0; i < warm; i++) wrong += xnu_getpid() != g_pid;
        long t0 = now_ns();
        for (long i = 0; i < n; i++) wrong += xnu_getpid() != g_pid;
        long t1 = now_ns();
        report_timing(res[1], t0, t1, n, wrong);
        _exit(0);
    }
    close(res[1]);
    if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) != 0) {
        report(out, "err PTRACE_SEIZE: %s", strerror(errno));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return;
    }
    if (write(go[1], "g", 1) != 1) { report(out, "err write: %s", strerror(errno)); return; }
    for (;;) {
        int st;
        if (waitpid(pid, &st, __WALL) < 0) {
            if (errno == EINTR) continue;
            report(out, "err waitpid: %s", strerror(errno));
            return;
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            relay(res[0], out, "tracee");
            break;
        }
        if (!WIFSTOPPED(st)) continue;
        int sig = 0;
        if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
            struct user_regs_struct regs;
            if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) {
                report(out, "err PTRACE_GETREGS: %s", strerror(errno));
                break;
            }
            regs.rax = regs.orig_rax == XNU_GETPID ? (unsigned long)pid : (unsigned long)-78;
            regs.orig_rax = (unsigned long)-1;   /* skip the call: the kernel does not run it */
            regs.eflags &= ~1UL;                  /* CF clear: XNU success */
            if (ptrace(PTRACE_SETREGS, pid, 0, &regs) != 0) {
                report(out, "err PTRACE_SETREGS: %s", strerror(errno));
                break;
            }
        } else if (st >> 16 == 0) {
            sig = WSTOPSIG(st);                   /* a real signal: deliver it */
        }
        ptrace(PTRACE_CONT, pid, 0, sig);
    }
    /* Here the tracee has exited and its result was relayed, or the tracer failed and said so. */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, __WALL);
}

/* 3. seccomp RET_USER_NOTIF: the tracee installs the filter, hands the listener to the runner over a
 * socketpair (SCM_RIGHTS) and waits for a go-ahead; the runner answers each notification. */
static int send_fd(int sock, int fd) {
    char byte = 'f';
    struct iovec iov = {&byte, 1};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock) {
    char byte;
    struct iovec iov = {&byte, 1};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

static void run_notif(long n, int out, int sync_wakeup) {
    int sv[2], res[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(res)) {
        report(out, "err setup: %s", strerror(errno));
        return;
    }
    long warm = warmup_for(n);
    pid_t pid = fork_tracee();
    if (pid < 0) { report(out, "err fork: %s", strerror(errno)); return; }
    if (pid == 0) {
        close(sv[0]);
        long fd = install_filter(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
        if (fd < 0) { report(res[1], "err seccomp NEW_LISTENER: %s", strerror(-fd)); _exit(1); }
        if (send_fd(sv[1], (int)fd) != 0) { report(res[1], "err SCM_RIGHTS: %s", strerror(errno)); _exit(1); }
        close((int)fd);
        char c;
        if (read(sv[1], &c, 1) != 1) _exit(1);   /* the supervisor is ready */
        g_pid = getpid();
        long wrong = 0;
        for (long i = 0; i < warm; i++) wrong += xnu_getpid() != g_pid;
        long t0 = now_ns();
        for (long i = 0; i < n; i++) wrong += xnu_getpid() != g_pid;
        long t1 = now_ns();
        report_timing(res[1], t0, t1, n, wrong);
        _exit(0);
    }
    close(sv[1]);
    close(res[1]);
    int listener = recv_fd(sv[0]);
    if (listener < 0) goto done;   /* the tracee has said why */
    if (sync_wakeup && ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0) != 0) {
        report(out, "err SECCOMP_IOCTL_NOTIF_SET_FLAGS: %s", strerror(errno));
        goto out;
    }
    if (write(sv[0], "g", 1) != 1) goto done;
    /* Exactly warm + n notifications are due; answering a counted number avoids a poll per call. */
    for (long i = 0; i < warm + n; i++) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        memset(&req, 0, sizeof req);   /* the kernel rejects a non-zeroed buffer */
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
            if (errno == EINTR) { i--; continue; }
            report(out, "err SECCOMP_IOCTL_NOTIF_RECV: %s", strerror(errno));
            goto out;
        }
        memset(&resp, 0, sizeof resp);
        resp.id = req.id;
        resp.val = req.data.nr == XNU_GETPID ? (__s64)req.pid : -78;
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0) {
            report(out, "err SECCOMP_IOCTL_NOTIF_SEND: %s", strerror(errno));
            goto out;
        }
    }
done:
    relay(res[0], out, "tracee");
out:
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* 4. seccomp RET_TRAP: the kernel skips the call and raises SIGSYS in the caller; the handler writes the
 * result into the saved context. rip already points past the syscall instruction. */
static void sigsys_handler(int sig, siginfo_t* si, void* ctx) {
    (void)sig;
    ucontext_t* uc = ctx;
    greg_t* g = uc->uc_mcontext.gregs;
    g[REG_RAX] = si->si_syscall == XNU_GETPID ? g_pid : -78;
    g[REG_EFL] &= ~1L;   /* CF clear: XNU success */
}

static void run_trap(long n, int out) {
    g_pid = getpid();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = sigsys_handler;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSYS, &sa, NULL) != 0) { report(out, "err sigaction: %s", strerror(errno)); return; }
    if (!fake_call_unhandled()) { report(out, "err the fake call did not fail with ENOSYS unhandled"); return; }
    long r = install_filter(SECCOMP_RET_TRAP, 0);
    if (r < 0) { report(out, "err seccomp: %s", strerror(-r)); return; }
    long wrong = 0, warm = warmup_for(n);
    for (long i = 0; i < warm; i++) wrong += xnu_getpid() != g_pid;
    long t0 = now_ns();
    for (long i = 0; i < n; i++) wrong += xnu_getpid() != g_pid;
    long t1 = now_ns();
    report_timing(out, t0, t1, n, wrong);
}

/* 5. Syscall User Dispatch: with the selector on BLOCK, every syscall issued outside
 * [sud_allowed_start, sud_allowed_end) raises SIGSYS instead of running. The handler is installed with
 * our own restorer, which lies inside that range, so its rt_sigreturn goes through while the selector
 * stays on BLOCK. The selector is ALLOW outside the timed loop, so libc (and a vDSO clock that might
 * fall back to a real syscall) works normally there. */
static volatile char g_selector = SYSCALL_DISPATCH_FILTER_ALLOW;

static void sud_handler(int sig, siginfo_t* si, void* ctx) {
    (void)sig;
    ucontext_t* uc = ctx;
    greg_t* g = uc->uc_mcontext.gregs;
    /* The kernel rolled rax back to the call number; rip is past the syscall instruction. */
    g[REG_RAX] = si->si_syscall == XNU_GETPID ? g_pid : -78;
    g[REG_EFL] &= ~1L;
}

struct kernel_sigaction {   /* the layout rt_sigaction takes on x86_64 */
    void (*handler)(int, siginfo_t*, void*);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

static void run_sud(long n, int out) {
    g_pid = getpid();
    struct kernel_sigaction ka = {sud_handler, SA_SIGINFO | SA_RESTORER, sud_restorer, 0};
    if (syscall(SYS_rt_sigaction, SIGSYS, &ka, NULL, sizeof ka.mask) != 0) {
        report(out, "err rt_sigaction: %s", strerror(errno));
        return;
    }
    if (!fake_call_unhandled()) { report(out, "err the fake call did not fail with ENOSYS unhandled"); return; }
    if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)sud_allowed_start,
              (unsigned long)(sud_allowed_end - sud_allowed_start), &g_selector) != 0) {
        report(out, "err PR_SET_SYSCALL_USER_DISPATCH: %s", strerror(errno));
        return;
    }
    long wrong = 0, warm = warmup_for(n);
    g_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
    for (long i = 0; i < warm; i++) wrong += xnu_getpid() != g_pid;
    g_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
    long t0 = now_ns();
    g_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
    for (long i = 0; i < n; i++) wrong += xnu_getpid() != g_pid;
    g_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
    long t1 = now_ns();
    report_timing(out, t0, t1, n, wrong);
}

/* 6. The cost floor of call-site rewriting: a call into the in-process stub. */
static void run_stub(long n, int out) {
    g_pid = getpid();
    long wrong = 0, warm = warmup_for(n);
    for (long i = 0; i < warm; i++) wrong += xnu_getpid_patched() != g_pid;
    long t0 = now_ns();
    for (long i = 0; i < n; i++) wrong += xnu_getpid_patched() != g_pid;
    long t1 = now_ns();
    report_timing(out, t0, t1, n, wrong);
}

static void run_notif_plain(long n, int out) { run_notif(n, out, 0); }
static void run_notif_sync(long n, int out) { run_notif(n, out, 1); }

static const struct mechanism {
    const char* name;
    void (*run)(long n, int out);
    long divisor;   /* runs N / divisor calls */
} mechanisms[] = {
    {"native getpid", run_native, 1},
    {"seccomp RET_TRACE + ptrace", run_ptrace, 20},
    {"seccomp USER_NOTIF", run_notif_plain, 10},
    {"seccomp USER_NOTIF + SYNC_WAKE_UP", run_notif_sync, 10},
    {"seccomp RET_TRAP + SIGSYS", run_trap, 1},
    {"syscall user dispatch + SIGSYS", run_sud, 1},
    {"call-site stub (rewrite floor)", run_stub, 1},
};
#define NMECH (sizeof mechanisms / sizeof mechanisms[0])

/* ---------------------------------------------------------------------------------------------------- */
/* The top level. */

/* Reaps every child already gone, waiting at most `ms` for stragglers. */
static void reap_all(int ms) {
    long deadline = now_ns() + ms * 1000000L;
    for (;;) {
        pid_t r = waitpid(-1, NULL, WNOHANG | __WALL);
        if (r > 0) continue;
        if (r < 0 && errno != EINTR) return;   /* ECHILD: nothing left */
        if (now_ns() > deadline) return;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

/* One run of one mechanism. Returns ns per call, or -1 with `why` filled in. */
static double run_once(const struct mechanism* m, long n, int pinned, char* why, size_t why_len) {
    int p[2];
    if (pipe(p) != 0) { snprintf(why, why_len, "pipe: %s", strerror(errno)); return -1; }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, why_len, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (pinned) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(0, &set);
            if (sched_setaffinity(0, sizeof set, &set) != 0) {
                report(p[1], "err sched_setaffinity(CPU 0): %s", strerror(errno));
                _exit(0);
            }
        }
        m->run(n, p[1]);
        _exit(0);
    }
    setpgid(pid, pid);   /* also done by the child; whichever runs first wins the race */
    close(p[1]);

    char buf[256];
    size_t len = 0;
    long deadline = now_ns() + RUN_TIMEOUT_MS * 1000000L;
    int timed_out = 0;
    while (len < sizeof buf - 1 && !memchr(buf, '\n', len)) {
        long left_ms = (deadline - now_ns()) / 1000000;
        if (left_ms <= 0) { timed_out = 1; break; }
        struct pollfd pfd = {p[0], POLLIN, 0};
        int r = poll(&pfd, 1, (int)left_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { timed_out = r == 0; break; }
        ssize_t got = read(p[0], buf + len, sizeof buf - 1 - len);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        len += got;
    }
    buf[len] = 0;
    close(p[0]);
    /* Whatever is left of the run goes now. The runner is not reaped yet, so its process group id cannot
     * have been reused. */
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    reap_all(5000);

    char* nl = strchr(buf, '\n');
    if (nl) *nl = 0;
    double ns;
    if (sscanf(buf, "ok %lf", &ns) == 1) return ns;
    if (!strncmp(buf, "err ", 4)) {
        size_t k = strnlen(buf + 4, why_len - 1);
        memcpy(why, buf + 4, k);
        why[k] = 0;
    }
    else if (timed_out)
        snprintf(why, why_len, "timed out after %d s", RUN_TIMEOUT_MS / 1000);
    else
        snprintf(why, why_len, "the run died without a result");
    return -1;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

/* Median ns per call over RUNS runs, or -1 if any run failed. */
static double measure(const struct mechanism* m, long n, int pinned, char* why, size_t why_len) {
    double v[RUNS];
    for (int i = 0; i < RUNS; i++) {
        v[i] = run_once(m, n, pinned, why, why_len);
        if (v[i] < 0) return -1;
    }
    qsort(v, RUNS, sizeof v[0], cmp_double);
    return v[RUNS / 2];
}

static void format_us(char* out, size_t len, double ns) {
    if (ns < 0)
        snprintf(out, len, "n/a");
    else
        snprintf(out, len, "%.3f", ns / 1000);
}

int main(int argc, char** argv) {
    long n = 100000;
    if (argc > 2 || (argc == 2 && (n = atol(argv[1])) < 20)) {
        fprintf(stderr, "usage: %s [N >= 20]   (N calls per run, default 100000)\n", argv[0]);
        return 2;
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    setvbuf(stdout, NULL, _IOLBF, 0);

    cpu_set_t inherited;
    int ncpu = sched_getaffinity(0, sizeof inherited, &inherited) == 0 ? CPU_COUNT(&inherited) : -1;
    printf("# XNU getpid (mov $0x2000014,%%eax; syscall), N = %ld calls per run (RET_TRACE: N/20, USER_NOTIF: "
           "N/10); median of %d runs; unpinned = %d CPUs allowed\n", n, RUNS, ncpu);
    printf("%-36s %9s %13s %17s\n", "mechanism", "pinned us", "unpinned us", "ratio(unpinned)");

    double native_unpinned = -1;
    char notes[NMECH][2][160];
    int nnotes = 0;
    for (size_t i = 0; i < NMECH; i++) {
        const struct mechanism* m = &mechanisms[i];
        long count = n / m->divisor;
        char why_p[128] = "", why_u[128] = "";
        double pinned = measure(m, count, 1, why_p, sizeof why_p);
        double unpinned = measure(m, count, 0, why_u, sizeof why_u);
        if (i == 0) native_unpinned = unpinned;
        char ps[32], us[32], rs[32];
        format_us(ps, sizeof ps, pinned);
        format_us(us, sizeof us, unpinned);
        if (unpinned < 0 || native_unpinned <= 0)
            snprintf(rs, sizeof rs, "-");
        else
            snprintf(rs, sizeof rs, unpinned / native_unpinned < 0.1 ? "%.2fx" : "%.1fx", unpinned / native_unpinned);
        printf("%-36s %9s %13s %17s\n", m->name, ps, us, rs);
        if (pinned < 0 || unpinned < 0) {
            snprintf(notes[nnotes][0], sizeof notes[0][0], "%s", m->name);
            snprintf(notes[nnotes][1], sizeof notes[0][1], "%s", pinned < 0 ? why_p : why_u);
            nnotes++;
        }
    }
    for (int i = 0; i < nnotes; i++) printf("  n/a: %s: %s\n", notes[i][0], notes[i][1]);
    return 0;
}
