/* close(2) (BSD 6) and close_nocancel (399): closing frees the number, double close and invalid descriptors
 * are EBADF, and only the low 32 bits of the descriptor count. */
#include "xnu.h"

int main(void) {
    struct xres r = EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT, 0644), "create f");
    int fd = (int)r.val;
    EXPECT_OK(BSD(close, fd), "close");
    EXPECT_ERR(BSD(close, fd), EBADF, "close it again");
    EXPECT_ERR(BSD(write, fd, "x", 1), EBADF, "write to the closed descriptor");
    CHECK(BSD(open, "f", O_RDONLY).val == fd, "the number is free again");
    EXPECT_OK(BSD(close, 0xdeadbeef00000000L | (unsigned)fd), "close with garbage in the high half");
    EXPECT_ERR(BSD(fcntl, fd, F_GETFD, 0), EBADF, "that closed the descriptor");
    EXPECT_ERR(BSD(close, -1), EBADF, "close(-1)");
    EXPECT_ERR(BSD(close, 1 << 30), EBADF, "close of a huge descriptor");
    EXPECT_ERR(BSD(close, 0x7fffffff), EBADF, "close(INT_MAX)");
    EXPECT_ERR(BSD(close, 200), EBADF, "close of an unused descriptor");

    r = BSD(open, "f", O_RDONLY);
    EXPECT_OK(BSD(close_nocancel, r.val), "close_nocancel");
    EXPECT_ERR(BSD(close_nocancel, r.val), EBADF, "close_nocancel again");
    EXPECT_ERR(BSD(close_nocancel, -1), EBADF, "close_nocancel(-1)");

    /* A dup survives closing the original. */
    r = BSD(open, "f", O_RDONLY);
    struct xres d = EXPECT_OK(BSD(dup, r.val), "dup");
    EXPECT_OK(BSD(close, r.val), "close the original");
    EXPECT_OK(BSD(fcntl, d.val, F_GETFD, 0), "the dup is still open");
    EXPECT_OK(BSD(close, d.val), "close the dup");
    return t_done();
}
