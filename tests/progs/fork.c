/* fork(2) (BSD 2): rax = the child's pid and rdx = 0 in the parent; rax = the child's own pid and rdx = 1 in
 * the child (xnu osfmk/i386/bsd_i386.c thread_set_child; libsyscall's __fork turns rdx 1 into 0). The child
 * is a copy: same descriptors, its own memory, the parent as getppid(). 100 children are all reaped. */
#include "xnu.h"

#include <sys/wait.h>

static int shared_value = 1;

int main(void) {
    long parent = BSD0(getpid).val;
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;

    struct xres r = BSD0(fork);
    if (!r.err && r.val2 == 1) {
        /* The child: report over the pipe, one byte per fact, then exit 3. */
        long self = BSD0(getpid).val;
        char facts[5];
        facts[0] = r.val == self ? 'y' : 'n';                     /* rax is its own pid */
        facts[1] = BSD0(getppid).val == parent ? 'y' : 'n';     /* the parent is its parent */
        facts[2] = self != parent ? 'y' : 'n';
        facts[3] = shared_value == 1 ? 'y' : 'n';
        shared_value = 2;                                        /* the parent must not see this */
        facts[4] = BSD0(thread_selfid).val == self ? 'y' : 'n';  /* its one thread has the pid as id */
        BSD(write, wr, facts, sizeof facts);
        BSD(exit, 3);
    }
    EXPECT_OK(r, "fork");
    CHECK(r.val2 == 0, "the parent gets rdx = 0");
    CHECK(r.val > 0 && r.val != parent, "the parent gets the child's pid in rax");
    long child = r.val;
    char facts[5] = {0};
    BSD(close, wr);
    CHECK(BSD(read, rd, facts, sizeof facts).val == 5, "the child writes through the inherited pipe");
    CHECK(facts[0] == 'y', "the child gets its own pid in rax (and rdx = 1)");
    CHECK(facts[1] == 'y', "the child's getppid is the parent");
    CHECK(facts[2] == 'y', "the child has a pid of its own");
    CHECK(facts[3] == 'y', "the child starts with the parent's memory");
    CHECK(facts[4] == 'y', "the child's thread id is its pid");
    BSD(close, rd);
    int status = 0;
    r = EXPECT_OK(BSD(wait4, child, &status, 0, 0), "wait4 for the child");
    CHECK(r.val == child, "wait4 returns the child's pid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "the child exited with status 3");
    CHECK(shared_value == 1, "the child's writes stay in the child");
    CHECK(BSD0(getpid).val == parent, "the parent's pid is unchanged");

    /* Children of children: a grandchild is not the parent's to wait for. */
    r = BSD0(fork);
    if (!r.err && r.val2 == 1) {
        struct xres g = BSD0(fork);
        if (!g.err && g.val2 == 1) BSD(exit, 7);
        int st = 0;
        struct xres w = BSD(wait4, g.val, &st, 0, 0);
        BSD(exit, !w.err && w.val == g.val && WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : 1);
    }
    status = -1;
    BSD(wait4, r.val, &status, 0, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a child forks and reaps its own child");

    /* Many children at once, each exiting with its index. */
    long pids[100];
    int forked = 0;
    for (int i = 0; i < 100; i++) {
        long c = t_fork();
        if (c == 0) BSD(exit, i);
        if (c < 0) break;
        pids[forked++] = c;
    }
    CHECK(forked == 100, "100 children forked");
    int reaped = 0, right = 0;
    for (;;) {
        struct xres w = BSD(wait4, -1, &status, 0, 0);
        if (w.err) {
            CHECK(w.err == ECHILD, "then ECHILD: no children left");
            break;
        }
        reaped++;
        for (int i = 0; i < forked; i++)
            if (pids[i] == w.val && WIFEXITED(status) && WEXITSTATUS(status) == i) right++;
    }
    CHECK(reaped == 100, "all 100 reaped by wait4(-1)");
    CHECK(right == 100, "each with its own exit status");

    /* Per-process state macrun keeps itself: the umask's 12 bits are inherited, and the child's own umask is
     * its own. */
    long old_mask = BSD(umask, 04022).val;
    r = BSD0(fork);
    if (!r.err && r.val2 == 1) BSD(exit, BSD(umask, 0777).val == 04022 && BSD(umask, 0).val == 0777 ? 0 : 1);
    BSD(wait4, r.val, &status, 0, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child inherits the umask (all 12 bits)");
    CHECK(BSD(umask, old_mask).val == 04022, "the child's umask is not the parent's");

    /* Rewritten call sites (inproc's fast path) stay each process's own: a site the child rewrites must not
     * change the parent's code, and the parent's later rewrites must not disturb the child's. */
    long uid = BSD0(getuid).val;
    for (int i = 0; i < 3; i++) stub_getpid();
    r = BSD0(fork);
    if (!r.err && r.val2 == 1) {
        int ok = 1;
        for (int i = 0; i < 3; i++) ok &= stub_getuid() == uid;
        BSD(exit, ok ? 0 : 1);
    }
    BSD(wait4, r.val, &status, 0, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "stub calls in the child");
    int close_ok = 1, getuid_ok = 1;
    for (int i = 0; i < 3; i++) close_ok &= stub_close(-1) == -EBADF;  /* a site the parent rewrites now */
    for (int i = 0; i < 3; i++) getuid_ok &= stub_getuid() == uid;
    CHECK(close_ok && getuid_ok, "the parent's stub calls after the child's are still right");

    /* fork through the indirect call (syscall 0) behaves the same. */
    r = xsys6(SYSCALL_CLASS_UNIX | X_syscall, X_fork, 0, 0, 0, 0, 0);
    if (!r.err && r.val2 == 1) BSD(exit, r.val == BSD0(getpid).val ? 4 : 5);
    CHECK(!r.err && r.val2 == 0 && r.val > 0, "indirect fork: the parent's results");
    BSD(wait4, r.val, &status, 0, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 4, "indirect fork: the child's results");
    return t_done();
}
