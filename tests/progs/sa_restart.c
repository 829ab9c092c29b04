/* A signal from another process interrupts a blocking read: with SA_RESTART the read goes on and returns the
 * data that comes later; without it the read fails with EINTR. The handler sees the sender's pid.
 * Facts: xnu bsd/kern/kern_sig.c (SA_RESTART -> ERESTART), bsd/dev/i386/systemcalls.c (ERESTART backs rip up
 * over the syscall), bsd/kern/sys_generic.c (read). */
#include "xnu.h"

#include <signal.h>

enum { X_poll_ = 230, X_wait4_ = 7 };

static volatile int hits;
static volatile long sender;
static void on_usr1(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)uc;
    hits++;
    sender = si->si_pid;
}

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | X_poll_, 0, 0, ms, 0, 0, 0); }

/* The child: after 150 ms signals the parent, after 150 more writes one byte into the pipe. */
static long start_child(int wfd, long parent) {
    struct xres r = BSD0(fork);
    if (r.val2 == 1) {
        sleep_ms(150);
        BSD(kill, parent, SIGUSR1, 1);
        sleep_ms(150);
        BSD(write, wfd, "x", 1);
        BSD(exit, 0);
    }
    return r.val;
}

int main(void) {
    long pid = BSD0(getpid).val;
    char c;

    struct xres p = BSD0(pipe);
    int rfd = (int)p.val, wfd = (int)p.val2;
    EXPECT_OK(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO | SA_RESTART, 0, 0), "sigaction(SIGUSR1, SA_RESTART)");
    long child = start_child(wfd, pid);
    struct xres r = BSD(read, rfd, &c, 1);
    CHECK(hits == 1, "the handler ran during the blocking read");
    CHECK(sender == child, "si_pid is the child that sent it");
    CHECK(!r.err && r.val == 1 && c == 'x', "SA_RESTART: the read went on and returned the byte written later");
    int status = 0;
    BSD(wait4, child, &status, 0, 0);

    EXPECT_OK(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO, 0, 0), "sigaction(SIGUSR1) without SA_RESTART");
    child = start_child(wfd, pid);
    r = BSD(read, rfd, &c, 1);
    CHECK(hits == 2, "the handler ran again");
    CHECK(r.err == EINTR, "without SA_RESTART the read fails with EINTR");
    r = BSD(read, rfd, &c, 1);
    CHECK(!r.err && r.val == 1, "the byte is still there for the next read");
    BSD(wait4, child, &status, 0, 0);
    CHECK((status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0, "the child exited 0");
    return t_done();
}
