/* lseek(2) (BSD 199): SEEK_SET/CUR/END, seeking past EOF, 64-bit results in rax, negative results (EINVAL),
 * overflow (EOVERFLOW), bad whence, SEEK_HOLE/SEEK_DATA (3/4 on XNU), ESPIPE for pipes, EBADF. */
#include "xnu.h"

#include <stdint.h>

int main(void) {
    char buf[4];
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT | O_TRUNC, 0644), "create f").val;
    BSD(write, fd, "0123456789", 10);

    CHECK(BSD(lseek, fd, 0, SEEK_CUR).val == 10, "SEEK_CUR 0 reports the offset");
    CHECK(BSD(lseek, fd, 4, SEEK_SET).val == 4, "SEEK_SET 4");
    BSD(read, fd, buf, 1);
    CHECK(buf[0] == '4', "read at the new offset");
    CHECK(BSD(lseek, fd, 2, SEEK_CUR).val == 7, "SEEK_CUR +2");
    CHECK(BSD(lseek, fd, -3, SEEK_CUR).val == 4, "SEEK_CUR -3");
    CHECK(BSD(lseek, fd, -1, SEEK_END).val == 9, "SEEK_END -1");
    CHECK(BSD(lseek, fd, 5, SEEK_END).val == 15, "SEEK_END +5 (past EOF)");
    CHECK(BSD(read, fd, buf, 4).val == 0, "read past EOF returns 0");
    struct xres r = EXPECT_OK(BSD(lseek, fd, 0x123456789aL, SEEK_SET), "seek to a 40-bit offset");
    CHECK(r.val == 0x123456789aL, "the full 64-bit offset comes back in rax");
    /* whence is an int: garbage above it is ignored; offset is a full off_t. */
    CHECK(BSD(lseek, fd, 0, 0xdeadbeef00000000L | SEEK_END).val == 10, "whence with a dirty high half");
    CHECK(BSD(lseek, 0xdeadbeef00000000L | (unsigned)fd, 1, SEEK_SET).val == 1, "fd with a dirty high half");

    EXPECT_ERR(BSD(lseek, fd, -1, SEEK_SET), EINVAL, "SEEK_SET -1");
    EXPECT_ERR(BSD(lseek, fd, -11, SEEK_END), EINVAL, "SEEK_END before the start");
    CHECK(BSD(lseek, fd, 0, SEEK_CUR).val == 1, "a failed seek leaves the offset alone");
    EXPECT_ERR(BSD(lseek, fd, -2, SEEK_CUR), EINVAL, "SEEK_CUR before the start");
    /* xnu lseek: a positive move that wraps past the largest offset is EOVERFLOW. */
    EXPECT_ERR(BSD(lseek, fd, INT64_MAX, SEEK_END), EOVERFLOW, "SEEK_END + INT64_MAX");
    BSD(lseek, fd, 5, SEEK_SET);
    EXPECT_ERR(BSD(lseek, fd, INT64_MAX, SEEK_CUR), EOVERFLOW, "SEEK_CUR + INT64_MAX");
    EXPECT_ERR(BSD(lseek, fd, 0, 5), EINVAL, "whence 5");
    EXPECT_ERR(BSD(lseek, fd, 0, -1), EINVAL, "whence -1");

    /* XNU: SEEK_HOLE 3, SEEK_DATA 4. A plain file is all data with the implicit hole at its end. */
    CHECK(SEEK_HOLE == 3 && SEEK_DATA == 4, "SDK numbers SEEK_HOLE 3, SEEK_DATA 4");
    r = EXPECT_OK(BSD(lseek, fd, 0, SEEK_DATA), "SEEK_DATA from 0");
    CHECK(r.val == 0, "data starts at 0");
    r = EXPECT_OK(BSD(lseek, fd, 0, SEEK_HOLE), "SEEK_HOLE from 0");
    CHECK(r.val == 10, "the first hole is EOF");
    EXPECT_ERR(BSD(lseek, fd, 20, SEEK_DATA), ENXIO, "SEEK_DATA past EOF");

    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(lseek, p.val, 0, SEEK_CUR), ESPIPE, "lseek on a pipe's read end");
    EXPECT_ERR(BSD(lseek, p.val2, 0, SEEK_SET), ESPIPE, "lseek on a pipe's write end");
    EXPECT_ERR(BSD(lseek, -1, 0, SEEK_SET), EBADF, "lseek(-1)");
    EXPECT_ERR(BSD(lseek, 555, 0, SEEK_SET), EBADF, "lseek on an unused descriptor");
    EXPECT_ERR(BSD(lseek, 555, 0, 9), EBADF, "EBADF comes before a bad whence");
    /* A directory can be positioned too (its offset is opaque, 0 is the start). */
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    CHECK(BSD(lseek, dfd, 0, SEEK_SET).val == 0, "lseek on a directory");
    BSD(close, dfd);
    BSD(close, fd);
    return t_done();
}
