/* Process groups and sessions: getpgrp (BSD 81), setpgid (82), setsid (147), getpgid (151), getsid (310), with
 * XNU's errors and their order (xnu bsd/kern/kern_prot.c): setpgid checks the target (ESRCH: not the caller
 * or its child; EPERM: another session; EACCES: a child that has exec'd; EPERM: a session leader) before the
 * group (EINVAL: negative; EPERM: no such group in the session); setsid is EPERM for a group leader. */
#include "xnu.h"

#include <signal.h>
#include <sys/wait.h>

#define NO_PID 0x3ffffff0  /* above Linux's pid_max limit: no process has it */

/* The child runs `body` and exits with its result; the parent gets that status. */
static int in_child(int (*body)(void)) {
    long c = t_fork();
    if (c == 0) BSD(exit, body());
    int st = -1;
    BSD(wait4, c, &st, 0, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* setsid in a fresh child (not a group leader): a new session and group named by its pid. Each failed fact sets
 * a bit of the exit status. */
static int new_session(void) {
    long pid = BSD0(getpid).val;
    int bad = 0;
    struct xres r = BSD0(setsid);
    if (r.err || r.val != pid) bad |= 1;
    if (BSD(getsid, 0).val != pid || BSD(getsid, pid).val != pid) bad |= 2;
    if (BSD0(getpgrp).val != pid || BSD(getpgid, 0).val != pid) bad |= 4;
    if (BSD0(setsid).err != EPERM) bad |= 8;               /* a group leader already */
    if (BSD(setpgid, 0, -1).err != EPERM) bad |= 16;       /* the session leader check comes before EINVAL */
    if (BSD(setpgid, 0, 0).err != EPERM) bad |= 32;        /* a session leader cannot change group */
    return bad;
}

/* A group leader (but not a session leader) cannot start a session. */
static int leader_setsid(void) {
    if (BSD(setpgid, 0, 0).err) return 1;
    return BSD0(setsid).err == EPERM ? 0 : 2;
}

int main(void) {
    long pid = BSD0(getpid).val;
    long pgrp = EXPECT_OK(BSD0(getpgrp), "getpgrp").val;
    CHECK(BSD(getpgid, 0).val == pgrp && BSD(getpgid, pid).val == pgrp, "getpgid(0) and getpgid(self) agree");
    long sid = EXPECT_OK(BSD(getsid, 0), "getsid(0)").val;
    /* Linux answers 0 for a group or session whose leader lives outside the caller's pid namespace (a container
       started from a host shell); the program sees what the kernel sees, and both forms must agree. */
    CHECK(sid >= 0 && BSD(getsid, pid).val == sid, "getsid(self) agrees");
    if (pgrp == 0) {
        EXPECT_OK(BSD(setpgid, 0, 0), "our group is out of sight: lead one of our own");
        pgrp = BSD0(getpgrp).val;
    }
    CHECK(pgrp > 0, "a process group id");
    EXPECT_ERR(BSD(getpgid, NO_PID), ESRCH, "getpgid of no process: ESRCH");
    EXPECT_ERR(BSD(getpgid, -5), ESRCH, "getpgid(-5): ESRCH");
    EXPECT_ERR(BSD(getsid, NO_PID), ESRCH, "getsid of no process: ESRCH");
    EXPECT_OK(BSD(getpgid, 1), "getpgid of another process (init) is allowed");

    EXPECT_ERR(BSD(setpgid, NO_PID, 0), ESRCH, "setpgid of no process: ESRCH");
    EXPECT_ERR(BSD(setpgid, 1, 0), ESRCH, "setpgid of a process that is not our child: ESRCH");
    EXPECT_ERR(BSD(setpgid, NO_PID, -1), ESRCH, "ESRCH comes before EINVAL for the group");
    if (sid != pid) EXPECT_ERR(BSD(setpgid, 0, -1), EINVAL, "a negative group: EINVAL");
    EXPECT_ERR(BSD(setpgid, 0, NO_PID), EPERM, "a group that does not exist: EPERM");
    EXPECT_OK(BSD(setpgid, 0, pgrp), "setpgid to the group we are in");
    CHECK(BSD0(getpgrp).val == pgrp, "nothing changed");

    CHECK(in_child(new_session) == 0, "setsid in a child: new session and group; then EPERM for the leader");
    CHECK(in_child(leader_setsid) == 0, "setsid by a group leader: EPERM");

    /* A child moved between groups by its parent. */
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    long c = t_fork();
    if (c == 0) {
        char b;
        BSD(close, wr);
        BSD(read, rd, &b, 1);
        BSD(exit, 0);
    }
    EXPECT_OK(BSD(setpgid, c, 0), "setpgid(child, 0): its own group");
    CHECK(BSD(getpgid, c).val == c, "the child leads a group named by its pid");
    EXPECT_OK(BSD(setpgid, c, pgrp), "setpgid(child, our group)");
    CHECK(BSD(getpgid, c).val == pgrp, "the child is back in our group");
    EXPECT_OK(BSD(setpgid, c, c), "setpgid(child, child)");
    EXPECT_ERR(BSD(setpgid, c, -1), EINVAL, "setpgid(child, -1): EINVAL");
    int st;
    struct xres w = BSD(wait4, -c, &st, WNOHANG, 0);
    CHECK(!w.err && w.val == 0, "wait4(-group) finds the child running");
    BSD(close, wr);
    w = EXPECT_OK(BSD(wait4, -c, &st, 0, 0), "wait4(-group) reaps it");
    CHECK(w.val == c, "the child in that group");
    BSD(close, rd);

    /* A child in a session of its own is out of reach; one that has exec'd can no longer be moved. */
    p = BSD0(pipe);
    rd = (int)p.val, wr = (int)p.val2;
    struct xres q = BSD0(pipe);
    c = t_fork();
    if (c == 0) {
        char b;
        BSD(close, wr);
        BSD0(setsid);
        BSD(write, q.val2, "s", 1);
        BSD(read, rd, &b, 1);
        BSD(exit, 0);
    }
    char b;
    BSD(read, q.val, &b, 1);
    EXPECT_ERR(BSD(setpgid, c, c), EPERM, "a child in another session: EPERM");
    EXPECT_ERR(BSD(setpgid, c, -1), EPERM, "EPERM (session) comes before EINVAL");
    BSD(close, wr);
    BSD(wait4, c, &st, 0, 0);
    BSD(close, rd);
    BSD(close, q.val);
    BSD(close, q.val2);

    p = BSD0(pipe);
    rd = (int)p.val, wr = (int)p.val2;
    BSD(fcntl, wr, F_SETFD, FD_CLOEXEC);
    c = t_fork();
    if (c == 0) {
        char* argv[] = {"sh", "-c", "exec sleep 30", 0};
        char* envp[] = {"PATH=/bin:/usr/bin", 0};
        BSD(close, rd);
        BSD(execve, "/bin/sh", argv, envp);
        BSD(exit, 127);
    }
    BSD(close, wr);
    CHECK(BSD(read, rd, &b, 1).val == 0, "the child has exec'd (its close-on-exec pipe end closed)");
    EXPECT_ERR(BSD(setpgid, c, c), EACCES, "setpgid of a child that has exec'd: EACCES");
    EXPECT_ERR(BSD(setpgid, c, -1), EACCES, "EACCES comes before EINVAL");
    BSD(kill, c, SIGKILL, 1);
    BSD(wait4, c, &st, 0, 0);
    BSD(close, rd);
    return t_done();
}
