/* waitid(2) (BSD 173) and waitid_nocancel (416): Darwin's siginfo (104 bytes: si_signo SIGCHLD = 20, si_code
 * CLD_*, si_pid, si_status with Darwin signal numbers, si_uid left 0), its option bits (WEXITED 4, WSTOPPED
 * 8, WCONTINUED 0x10, WNOWAIT 0x20; WUNTRACED or no option is EINVAL), P_ALL/P_PID/P_PGID = 0/1/2, ECHILD,
 * EFAULT leaving the child waitable (xnu bsd/kern/kern_exit.c waitid_nocancel). */
#include "xnu.h"

#include <signal.h>
#include <sys/wait.h>

_Static_assert(sizeof(siginfo_t) == 104, "Darwin's siginfo_t");
_Static_assert(P_ALL == 0 && P_PID == 1 && P_PGID == 2, "idtype_t");
_Static_assert(WEXITED == 4 && WSTOPPED == 8 && WCONTINUED == 0x10 && WNOWAIT == 0x20, "waitid options");

static long blocked_child(int rd, int wr) {
    long c = t_fork();
    if (c == 0) {
        char b;
        BSD(close, wr);
        BSD(read, rd, &b, 1);
        BSD(exit, 0);
    }
    return c;
}

int main(void) {
    siginfo_t si;
    EXPECT_ERR(BSD(waitid, P_ALL, 0, &si, WEXITED), ECHILD, "no children: ECHILD");
    EXPECT_ERR(BSD(waitid, P_ALL, 0, &si, 0), EINVAL, "no options: EINVAL");
    EXPECT_ERR(BSD(waitid, P_ALL, 0, &si, WEXITED | WUNTRACED), EINVAL, "WUNTRACED is not a waitid option");
    EXPECT_ERR(BSD(waitid, P_ALL, 0, &si, WEXITED | 0x40), EINVAL, "an unknown bit: EINVAL");
    EXPECT_ERR(BSD(waitid, P_PID, -1, &si, WEXITED), EINVAL, "P_PID with a negative id: EINVAL");
    EXPECT_ERR(BSD(waitid, P_PGID, -5, &si, WEXITED), EINVAL, "P_PGID with a negative id: EINVAL");
    EXPECT_ERR(BSD(waitid, P_ALL, 0, &si, WNOHANG), ECHILD, "no state asked, no children: ECHILD");

    /* An exited child. */
    long c = t_fork();
    if (c == 0) BSD(exit, 7);
    memset(&si, 0x55, sizeof si);
    EXPECT_OK(BSD(waitid, P_PID, (int)c, &si, WEXITED | WNOWAIT), "WEXITED|WNOWAIT");
    CHECK(si.si_signo == SIGCHLD && SIGCHLD == 20, "si_signo is SIGCHLD (20)");
    CHECK(si.si_code == CLD_EXITED, "si_code CLD_EXITED");
    CHECK(si.si_pid == c, "si_pid is the child");
    CHECK(si.si_status == 7, "si_status is the exit status");
    CHECK(si.si_errno == 0 && si.si_uid == 0 && si.si_addr == 0 && si.si_value.sival_ptr == 0 && si.si_band == 0,
          "the other fields are zeroed (XNU never sets si_uid here)");
    int pad0 = 1;
    for (int i = 0; i < 7; i++) pad0 &= si.__pad[i] == 0;
    CHECK(pad0, "__pad is zeroed");
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid_nocancel, P_ALL, 0, &si, WEXITED), "WNOWAIT left it: waitid_nocancel gets it again");
    CHECK(si.si_pid == c && si.si_status == 7, "the same child and status");
    EXPECT_ERR(BSD(waitid, P_PID, (int)c, &si, WEXITED), ECHILD, "reaped now: ECHILD");

    /* A running child: WNOHANG returns 0 and leaves *infop alone; P_PID 0 and P_PGID 0 match no child. */
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    c = blocked_child(rd, wr);
    memset(&si, 0xaa, sizeof si);
    EXPECT_OK(BSD(waitid, P_PID, (int)c, &si, WEXITED | WNOHANG), "WNOHANG with the child running");
    CHECK(si.si_pid == (int)0xaaaaaaaa && si.si_signo == (int)0xaaaaaaaa, "*infop left alone");
    EXPECT_OK(BSD(waitid, P_ALL, 0, &si, WNOHANG), "no state asked, WNOHANG, a child: 0");
    EXPECT_ERR(BSD(waitid, P_PID, 0, &si, WEXITED | WNOHANG), ECHILD, "P_PID 0 matches no child: ECHILD");
    EXPECT_ERR(BSD(waitid, P_PGID, 0, &si, WEXITED | WNOHANG), ECHILD, "P_PGID 0 matches no child: ECHILD");
    long pgrp = BSD0(getpgrp).val;
    EXPECT_OK(BSD(waitid, P_PGID, (int)pgrp, &si, WEXITED | WNOHANG), "P_PGID of our group finds the child");

    /* Stopped and continued. */
    EXPECT_OK(BSD(kill, c, SIGSTOP, 1), "kill(child, SIGSTOP)");
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid, P_PID, (int)c, &si, WSTOPPED), "WSTOPPED");
    CHECK(si.si_code == CLD_STOPPED && si.si_status == SIGSTOP && SIGSTOP == 17 && si.si_pid == c,
          "CLD_STOPPED, si_status 17 (Darwin SIGSTOP)");
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid, P_PID, (int)c, &si, WSTOPPED | WNOHANG), "a stop is reported once");
    CHECK(si.si_pid == 0, "so nothing the second time");
    EXPECT_OK(BSD(kill, c, SIGCONT, 1), "kill(child, SIGCONT)");
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid, P_PID, (int)c, &si, WCONTINUED), "WCONTINUED");
    CHECK(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT && SIGCONT == 19, "CLD_CONTINUED, si_status 19");
    CHECK(si.si_pid == c, "si_pid: the continued child");

    /* Killed by Darwin SIGUSR1 (30). */
    EXPECT_OK(BSD(kill, c, SIGUSR1, 1), "kill(child, SIGUSR1)");
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid, P_ALL, 0, &si, WEXITED), "WEXITED for the killed child");
    CHECK(si.si_code == CLD_KILLED && si.si_status == 30 && si.si_pid == c, "CLD_KILLED, si_status 30");
    BSD(close, wr);
    BSD(close, rd);

    /* EFAULT leaves the child waitable. */
    c = t_fork();
    if (c == 0) BSD(exit, 3);
    EXPECT_ERR(BSD(waitid, P_PID, (int)c, BAD_PTR, WEXITED), EFAULT, "bad infop: EFAULT");
    EXPECT_ERR(BSD(waitid, P_PID, (int)c, 0, WEXITED), EFAULT, "NULL infop: EFAULT");
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid, P_PID, (int)c, &si, WEXITED), "the child is still there");
    CHECK(si.si_pid == c && si.si_status == 3, "with its status");

    /* XNU's switch on idtype has no default case: an unknown idtype matches every child, like P_ALL. */
    c = t_fork();
    if (c == 0) BSD(exit, 6);
    memset(&si, 0, sizeof si);
    EXPECT_OK(BSD(waitid, 7, 12345, &si, WEXITED), "idtype 7 acts as P_ALL");
    CHECK(si.si_pid == c && si.si_status == 6, "and finds the child");
    return t_done();
}
