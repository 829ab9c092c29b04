/* wait4(2) (BSD 7) and wait4_nocancel (400): Darwin status words (xnu bsd/sys/wait.h: W_EXITCODE, the
 * terminating signal in the low 7 bits, W_STOPCODE, W_STOPCODE(SIGCONT) for a continued child) with Darwin
 * signal numbers, WNOHANG, WUNTRACED, WCONTINUED, ECHILD, EINVAL for INT_MIN, unknown options ignored, rusage
 * with ru_maxrss in bytes written only for a reaped child, and EFAULT leaving the child waitable
 * (xnu bsd/kern/kern_exit.c wait4_nocancel). */
#include "xnu.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* A child that blocks reading `fd` until the parent closes the other end, then exits with `code`. */
static long blocked_child(int rd, int wr, int code) {
    long c = t_fork();
    if (c == 0) {
        char b;
        BSD(close, wr);
        BSD(read, rd, &b, 1);
        BSD(exit, code);
    }
    return c;
}

int main(void) {
    int status = 0x5a5a;
    EXPECT_ERR(BSD(wait4, -1, &status, 0, 0), ECHILD, "no children: ECHILD");
    EXPECT_ERR(BSD(wait4, -1, &status, WNOHANG, 0), ECHILD, "no children, WNOHANG: ECHILD");
    EXPECT_ERR(BSD(wait4, 1, &status, 0, 0), ECHILD, "pid 1 is not our child: ECHILD");
    EXPECT_ERR(BSD(wait4, (int)0x80000000, &status, 0, 0), EINVAL, "pid INT_MIN: EINVAL");
    CHECK(status == 0x5a5a, "failed waits leave *status alone");

    /* A running child: WNOHANG returns 0 and leaves *status alone. */
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    long c = blocked_child(rd, wr, 5);
    struct xres r = EXPECT_OK(BSD(wait4, c, &status, WNOHANG, 0), "WNOHANG with the child still running");
    CHECK(r.val == 0 && status == 0x5a5a, "returns 0, *status untouched");
    BSD(close, wr);
    r = EXPECT_OK(BSD(wait4, c, &status, 0, 0), "wait4 for it once it can exit");
    CHECK(r.val == c, "returns the child's pid");
    CHECK(status == 0x0500, "status is W_EXITCODE(5, 0) = 0x0500");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "WIFEXITED, WEXITSTATUS 5");
    BSD(close, rd);

    /* Killed by Darwin SIGUSR1 (30; Linux numbers it 10). */
    p = BSD0(pipe);
    rd = (int)p.val, wr = (int)p.val2;
    c = blocked_child(rd, wr, 0);
    EXPECT_OK(BSD(kill, c, SIGUSR1, 1), "kill(child, SIGUSR1)");
    r = EXPECT_OK(BSD(wait4_nocancel, c, &status, 0, 0), "wait4_nocancel for the killed child");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1 && SIGUSR1 == 30, "WTERMSIG is 30 (Darwin SIGUSR1)");
    CHECK(status == 30, "status is just the signal number, no core flag");
    BSD(close, wr);
    BSD(close, rd);

    /* Stopped (WUNTRACED), continued (WCONTINUED), then killed. */
    p = BSD0(pipe);
    rd = (int)p.val, wr = (int)p.val2;
    c = blocked_child(rd, wr, 0);
    EXPECT_OK(BSD(kill, c, SIGSTOP, 1), "kill(child, SIGSTOP)");
    r = EXPECT_OK(BSD(wait4, c, &status, WUNTRACED, 0), "wait4 WUNTRACED");
    CHECK(r.val == c && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP && SIGSTOP == 17,
          "WIFSTOPPED, WSTOPSIG 17 (Darwin SIGSTOP)");
    CHECK(status == (17 << 8 | 0177), "status is W_STOPCODE(17)");
    r = EXPECT_OK(BSD(wait4, c, &status, WUNTRACED | WNOHANG, 0), "a stop is reported once");
    CHECK(r.val == 0, "so WNOHANG finds nothing the second time");
    EXPECT_OK(BSD(kill, c, SIGCONT, 1), "kill(child, SIGCONT)");
    status = 0;
    r = EXPECT_OK(BSD(wait4, c, &status, WCONTINUED, 0), "wait4 WCONTINUED");
    CHECK(r.val == c && WIFCONTINUED(status) && !WIFSTOPPED(status), "WIFCONTINUED");
    CHECK(status == (SIGCONT << 8 | 0177) && SIGCONT == 19, "status is W_STOPCODE(SIGCONT = 19) = 0x137f");
    EXPECT_OK(BSD(kill, c, SIGKILL, 1), "kill(child, SIGKILL)");
    r = EXPECT_OK(BSD(wait4, c, &status, 0, 0), "wait4 for it");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "WTERMSIG 9");
    BSD(close, wr);
    BSD(close, rd);

    /* Options wait4 does not know are ignored, not refused. */
    c = t_fork();
    if (c == 0) BSD(exit, 8);
    r = EXPECT_OK(BSD(wait4, c, &status, 0x100 | 0x40000000, 0), "unknown option bits are ignored");
    CHECK(r.val == c && WEXITSTATUS(status) == 8, "and the child is reaped");

    /* rusage: XNU's layout, ru_maxrss in bytes (a child of a few MiB is more than 1 MiB only in bytes). */
    c = t_fork();
    if (c == 0) {
        static volatile char touch[2 << 20];
        for (int i = 0; i < (int)sizeof touch; i += 4096) touch[i] = 1;
        BSD(exit, 0);
    }
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    r = EXPECT_OK(BSD(wait4, c, &status, 0, &ru), "wait4 with rusage");
    CHECK(ru.ru_maxrss > (1L << 21), "ru_maxrss is in bytes");
    CHECK(ru.ru_minflt > 0, "page faults are counted");
    CHECK(ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000, "timevals are normalized");

    /* Stops do not fill in rusage. */
    p = BSD0(pipe);
    rd = (int)p.val, wr = (int)p.val2;
    c = blocked_child(rd, wr, 0);
    BSD(kill, c, SIGSTOP, 1);
    memset(&ru, 0x77, sizeof ru);
    r = EXPECT_OK(BSD(wait4, c, &status, WUNTRACED, &ru), "wait4 WUNTRACED with rusage");
    CHECK(WIFSTOPPED(status) && ru.ru_maxrss == 0x7777777777777777L, "a stop leaves *rusage alone");
    BSD(kill, c, SIGKILL, 1);
    BSD(wait4, c, &status, 0, 0);
    BSD(close, wr);
    BSD(close, rd);

    /* EFAULT: the status goes out first; a bad pointer leaves the child to be waited for again. */
    c = t_fork();
    if (c == 0) BSD(exit, 9);
    EXPECT_ERR(BSD(wait4, c, BAD_PTR, 0, 0), EFAULT, "bad status pointer: EFAULT");
    status = 0;
    EXPECT_ERR(BSD(wait4, c, &status, 0, BAD_PTR), EFAULT, "bad rusage pointer: EFAULT");
    CHECK(WEXITSTATUS(status) == 9, "the status was stored before the rusage failed");
    r = EXPECT_OK(BSD(wait4, c, &status, 0, 0), "the child is still there to be reaped");
    CHECK(r.val == c && WEXITSTATUS(status) == 9, "with its status");
    EXPECT_ERR(BSD(wait4, c, &status, 0, 0), ECHILD, "and is gone after that");

    /* WNOHANG on a child that has exited returns it; a null status pointer is fine. */
    c = t_fork();
    if (c == 0) BSD(exit, 1);
    for (int i = 0; i < 100000; i++) {
        r = BSD(wait4, c, 0, WNOHANG, 0);
        if (r.err || r.val) break;
    }
    CHECK(!r.err && r.val == c, "WNOHANG returns the exited child (status pointer NULL)");

    /* pid 0: any child in the caller's process group; -pgid: that group. */
    c = t_fork();
    if (c == 0) BSD(exit, 2);
    r = EXPECT_OK(BSD(wait4, 0, &status, 0, 0), "wait4(0): a child in our group");
    CHECK(r.val == c && WEXITSTATUS(status) == 2, "is the child");
    long pgrp = BSD0(getpgrp).val;
    c = t_fork();
    if (c == 0) BSD(exit, 4);
    r = EXPECT_OK(BSD(wait4, -pgrp, &status, 0, 0), "wait4(-pgrp)");
    CHECK(r.val == c && WEXITSTATUS(status) == 4, "is the child");
    EXPECT_ERR(BSD(wait4, -0x3ffffff0, &status, 0, 0), ECHILD, "a group with no children of ours: ECHILD");
    return t_done();
}
