/* fsync(2) (BSD 95) and fsync_nocancel (408): files and directories, EBADF, and ENOTSUP for descriptors
 * that are not vnodes (xnu fsync_common -> fp_getfvp). */
#include "xnu.h"

int main(void) {
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT, 0644), "create f").val;
    BSD(write, fd, "data", 4);
    EXPECT_OK(BSD(fsync, fd), "fsync a file");
    EXPECT_OK(BSD(fsync_nocancel, fd), "fsync_nocancel a file");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_OK(BSD(fsync, ro), "fsync an O_RDONLY descriptor");
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_OK(BSD(fsync, dfd), "fsync a directory");
    EXPECT_OK(BSD(fsync, 0x4242424200000000L | (unsigned)fd), "fd with a dirty high half");

    EXPECT_ERR(BSD(fsync, -1), EBADF, "fsync(-1)");
    EXPECT_ERR(BSD(fsync, 777), EBADF, "unused descriptor");
    EXPECT_ERR(BSD(fsync_nocancel, 777), EBADF, "fsync_nocancel on an unused descriptor");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fsync, p.val), ENOTSUP, "fsync a pipe");
    EXPECT_ERR(BSD(fsync, p.val2), ENOTSUP, "fsync a pipe's write end");
    BSD(close, fd);
    EXPECT_ERR(BSD(fsync, fd), EBADF, "closed descriptor");
    return t_done();
}
