/* kill(2) with Darwin signal numbers: signal 0 probes, ESRCH, EINVAL, harmless default-ignored signals. */
/* Semantics: xnu bsd/kern/kern_sig.c kill(). */
#include "xnu.h"

#include <signal.h>

int main(void) {
    long pid = BSD0(getpid).val;
    EXPECT_OK(BSD(kill, pid, 0, 1), "kill(self, 0)");
    EXPECT_OK(BSD(kill, 0, 0, 1), "kill(0, 0): own process group");
    EXPECT_ERR(BSD(kill, 99999999, 0, 1), ESRCH, "kill(99999999, 0)");
    EXPECT_ERR(BSD(kill, -99999999, 0, 1), ESRCH, "kill(-99999999, 0): no such process group");
    EXPECT_ERR(BSD(kill, pid, 32, 1), EINVAL, "kill(self, 32): NSIG is 32");
    EXPECT_ERR(BSD(kill, pid, -1, 1), EINVAL, "kill(self, -1)");
    EXPECT_ERR(BSD(kill, 99999999, 1000, 1), EINVAL, "the signal is checked before the pid");
    /* Darwin numbers differ from Linux ones: SIGURG is 16 and SIGCHLD 20 here (Linux: SIGSTKFLT and SIGTSTP). */
    EXPECT_OK(BSD(kill, pid, SIGURG, 1), "kill(self, SIGURG) is ignored by default");
    EXPECT_OK(BSD(kill, pid, SIGCHLD, 1), "kill(self, SIGCHLD) is ignored by default");
    EXPECT_OK(BSD(kill, pid, SIGWINCH, 1), "kill(self, SIGWINCH) is ignored by default");
    CHECK(BSD0(getpid).val == pid, "still running after the ignored signals");
    return t_done();
}
