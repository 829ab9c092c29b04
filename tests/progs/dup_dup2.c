/* dup(2)/dup2(2) (BSD 41/90): lowest free number, a shared offset and status flags, FD_CLOEXEC not copied,
 * dup2 onto an open descriptor and onto itself, EBADF for bad sources and out-of-range targets. */
#include "xnu.h"

int main(void) {
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT | O_CLOEXEC, 0644), "create f").val;
    BSD(write, fd, "0123456789", 10);

    int lowest = (int)BSD(fcntl, 0, F_DUPFD, 0).val;
    BSD(close, lowest);
    struct xres r = EXPECT_OK(BSD(dup, fd), "dup");
    int d = (int)r.val;
    CHECK(d == lowest, "the lowest free number");
    CHECK(BSD(fcntl, d, F_GETFD, 0).val == 0, "the dup has no FD_CLOEXEC");
    CHECK(BSD(fcntl, fd, F_GETFD, 0).val == FD_CLOEXEC, "the original keeps it");
    BSD(lseek, fd, 3, SEEK_SET);
    CHECK(BSD(lseek, d, 0, SEEK_CUR).val == 3, "the offset is shared");
    BSD(fcntl, d, F_SETFL, O_APPEND);
    CHECK(BSD(fcntl, fd, F_GETFL, 0).val & O_APPEND, "status flags are shared");
    BSD(fcntl, d, F_SETFL, 0);
    r = EXPECT_OK(BSD(dup, 0xffffffff00000000L | (unsigned)fd), "dup with a dirty high half");
    BSD(close, r.val);

    r = EXPECT_OK(BSD(dup2, fd, 50), "dup2 to 50");
    CHECK(r.val == 50, "returns 50");
    CHECK(BSD(fcntl, 50, F_GETFD, 0).val == 0, "dup2 clears FD_CLOEXEC on the new descriptor");
    CHECK(BSD(lseek, 50, 0, SEEK_CUR).val == 3, "shares the offset");
    int other = (int)BSD(open, "g", O_RDWR | O_CREAT, 0644).val;
    r = EXPECT_OK(BSD(dup2, other, 50), "dup2 onto an open descriptor");
    CHECK(r.val == 50 && BSD(lseek, 50, 0, SEEK_CUR).val == 0, "50 now refers to g");
    r = EXPECT_OK(BSD(dup2, fd, fd), "dup2 onto itself");
    CHECK(r.val == fd, "returns the descriptor");
    CHECK(BSD(fcntl, fd, F_GETFD, 0).val == FD_CLOEXEC, "dup2 onto itself leaves FD_CLOEXEC alone");
    r = EXPECT_OK(BSD(dup2, 0xabcdef0000000000L | (unsigned)fd, 0x1234560000000000L | 60), "dup2 with dirty high halves");
    CHECK(r.val == 60, "returns 60");

    EXPECT_ERR(BSD(dup, -1), EBADF, "dup(-1)");
    EXPECT_ERR(BSD(dup, 77), EBADF, "dup of an unused descriptor");
    EXPECT_ERR(BSD(dup, 1 << 30), EBADF, "dup of a huge descriptor");
    EXPECT_ERR(BSD(dup2, 77, 80), EBADF, "dup2 from an unused descriptor");
    EXPECT_ERR(BSD(dup2, 77, 77), EBADF, "dup2 of an unused descriptor onto itself");
    EXPECT_ERR(BSD(dup2, fd, -1), EBADF, "dup2 to -1");
    EXPECT_ERR(BSD(dup2, fd, 1 << 30), EBADF, "dup2 to a number beyond RLIMIT_NOFILE");
    EXPECT_ERR(BSD(fcntl, 80, F_GETFD, 0), EBADF, "a failed dup2 opened nothing");
    BSD(close, d);
    EXPECT_ERR(BSD(dup, d), EBADF, "dup of a closed descriptor");
    CHECK(BSD(dup, fd).val == d, "the freed number is reused");
    return t_done();
}
