/* ioctl(2) on non-terminals: TIOCGWINSZ/TIOCGETA are ENOTTY; FIONBIO/FIOCLEX/FIONREAD on pipe and file. */
/* Semantics: xnu bsd/kern/sys_generic.c ioctl(), sys_pipe.c pipe_ioctl(), vfs/vfs_vnops.c vn_ioctl(). */
#include "xnu.h"

#include <sys/ioctl.h>
#include <termios.h>

int main(void) {
    int fd = (int)EXPECT_OK(BSD(open, "ioctl.dat", O_RDWR | O_CREAT | O_TRUNC, 0644), "create ioctl.dat").val;
    BSD(write, fd, "0123456789", 10);
    BSD(lseek, fd, 3, 0);
    struct winsize ws;
    struct termios ta;
    EXPECT_ERR(BSD(ioctl, fd, TIOCGWINSZ, &ws), ENOTTY, "TIOCGWINSZ on a regular file");
    EXPECT_ERR(BSD(ioctl, fd, TIOCGETA, &ta), ENOTTY, "TIOCGETA on a regular file");
    int n = -1;
    EXPECT_OK(BSD(ioctl, fd, FIONREAD, &n), "FIONREAD on a regular file");
    CHECK(n == 7, "FIONREAD is the size minus the offset");
    int on = 1;
    EXPECT_OK(BSD(ioctl, fd, FIONBIO, &on), "FIONBIO on a regular file");

    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    EXPECT_ERR(BSD(ioctl, rd, TIOCGWINSZ, &ws), ENOTTY, "TIOCGWINSZ on a pipe");
    EXPECT_ERR(BSD(ioctl, rd, TIOCGETA, &ta), ENOTTY, "TIOCGETA on a pipe");
    EXPECT_ERR(BSD(ioctl, rd, _IOR('z', 1, int), &n), ENOTTY, "an unknown request on a pipe");

    EXPECT_OK(BSD(ioctl, rd, FIONBIO, &on), "FIONBIO 1 on the read end");
    struct xres fl = BSD(fcntl, rd, F_GETFL, 0);
    CHECK(!fl.err && (fl.val & O_NONBLOCK), "F_GETFL shows O_NONBLOCK");
    char c;
    EXPECT_ERR(BSD(read, rd, &c, 1), EAGAIN, "read from the empty pipe does not block");
    int off = 0;
    EXPECT_OK(BSD(ioctl, rd, FIONBIO, &off), "FIONBIO 0");
    fl = BSD(fcntl, rd, F_GETFL, 0);
    CHECK(!fl.err && !(fl.val & O_NONBLOCK), "O_NONBLOCK is cleared");
    EXPECT_OK(BSD(ioctl, rd, FIOASYNC, &off), "FIOASYNC 0");

    EXPECT_OK(BSD(ioctl, rd, FIOCLEX), "FIOCLEX");
    CHECK(BSD(fcntl, rd, F_GETFD, 0).val == FD_CLOEXEC, "F_GETFD shows FD_CLOEXEC");
    EXPECT_OK(BSD(ioctl, rd, FIONCLEX), "FIONCLEX");
    CHECK(BSD(fcntl, rd, F_GETFD, 0).val == 0, "FD_CLOEXEC is cleared");

    BSD(write, wr, "hello", 5);
    n = -1;
    EXPECT_OK(BSD(ioctl, rd, FIONREAD, &n), "FIONREAD on a pipe");
    CHECK(n == 5, "FIONREAD counts the buffered bytes");

    EXPECT_ERR(BSD(ioctl, 99, TIOCGWINSZ, &ws), EBADF, "TIOCGWINSZ on a closed descriptor");
    EXPECT_ERR(BSD(ioctl, 99, FIOCLEX), EBADF, "FIOCLEX on a closed descriptor");
    EXPECT_ERR(BSD(ioctl, rd, FIONBIO, BAD_PTR), EFAULT, "FIONBIO with a bad argument pointer");
    EXPECT_ERR(BSD(ioctl, rd, FIONREAD, BAD_PTR), EFAULT, "FIONREAD into a bad pointer");
    return t_done();
}
