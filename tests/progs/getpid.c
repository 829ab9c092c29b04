/* getpid, getppid, getuid, geteuid, getgid, getegid: stable, plausible values, consistent with each other. */
#include "xnu.h"

int main(void) {
    struct xres pid = EXPECT_OK(BSD0(getpid), "getpid");
    CHECK(pid.val > 0, "getpid is positive");
    CHECK(BSD0(getpid).val == pid.val, "getpid is stable");
    struct xres ppid = EXPECT_OK(BSD0(getppid), "getppid");
    CHECK(ppid.val >= 0 && ppid.val != pid.val, "getppid differs from getpid");
    /* The parent is alive: signal 0 reaches it (or is refused with EPERM, which also proves it exists). */
    struct xres k = BSD(kill, ppid.val, 0, 0);
    CHECK(k.err == 0 || k.err == EPERM, "the parent exists");

    struct xres uid = EXPECT_OK(BSD0(getuid), "getuid");
    struct xres euid = EXPECT_OK(BSD0(geteuid), "geteuid");
    struct xres gid = EXPECT_OK(BSD0(getgid), "getgid");
    struct xres egid = EXPECT_OK(BSD0(getegid), "getegid");
    CHECK(uid.val >= 0 && uid.val <= 0xffffffffL, "uid is a 32-bit id");
    CHECK(gid.val >= 0 && gid.val <= 0xffffffffL, "gid is a 32-bit id");
    /* Not a set-id program: effective ids equal real ids. */
    CHECK(euid.val == uid.val, "euid == uid");
    CHECK(egid.val == gid.val, "egid == gid");
    return t_done();
}
