/* getdtablesize(2) (BSD 89): the RLIMIT_NOFILE soft limit; sync(2) (BSD 36): always 0; fdatasync(2) (BSD 187):
 * like fsync, EBADF for a bad descriptor and ENOTSUP for a pipe (not a vnode). */
#include "xnu.h"

#include <sys/resource.h>

int main(void) {
    struct rlimit lim, low;
    EXPECT_OK(BSD(getrlimit, RLIMIT_NOFILE, &lim), "getrlimit(RLIMIT_NOFILE)");
    struct xres r = EXPECT_OK(BSD0(getdtablesize), "getdtablesize");
    CHECK((unsigned long)r.val == (lim.rlim_cur > 0x7fffffff ? 0x7fffffff : lim.rlim_cur), "the soft limit");
    low.rlim_cur = 200;
    low.rlim_max = lim.rlim_max;
    EXPECT_OK(BSD(setrlimit, RLIMIT_NOFILE, &low), "setrlimit(RLIMIT_NOFILE, 200)");
    r = EXPECT_OK(BSD0(getdtablesize), "getdtablesize");
    CHECK(r.val == 200, "200");
    BSD(setrlimit, RLIMIT_NOFILE, &lim);

    r = EXPECT_OK(BSD0(sync), "sync");
    CHECK(r.val == 0, "returns 0");

    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(write, fd, "data", 4);
    EXPECT_OK(BSD(fdatasync, fd), "fdatasync");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_OK(BSD(fdatasync, ro), "fdatasync of an O_RDONLY descriptor");
    EXPECT_OK(BSD(fdatasync, 0x1234567800000000L | (unsigned)fd), "fd with a dirty high half");
    EXPECT_ERR(BSD(fdatasync, -1), EBADF, "fdatasync(-1)");
    EXPECT_ERR(BSD(fdatasync, 999), EBADF, "a descriptor not open");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fdatasync, p.val), ENOTSUP, "a pipe");
    return t_done();
}
