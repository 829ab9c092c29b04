/* ftruncate(2) (BSD 201): growing with zeros, shrinking, the offset left alone, negative lengths, non-writable
 * descriptors and non-files (EINVAL), EBADF. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    char buf[16];
    struct stat st;
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT | O_TRUNC, 0644), "create f").val;
    BSD(write, fd, "abcdef", 6);

    EXPECT_OK(BSD(ftruncate, fd, 3), "shrink to 3");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 3, "size 3");
    CHECK(BSD(lseek, fd, 0, SEEK_CUR).val == 6, "offset not moved");
    EXPECT_OK(BSD(ftruncate, fd, 8), "grow to 8");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 8, "size 8");
    memset(buf, 'x', sizeof buf);
    CHECK(BSD(pread, fd, buf, sizeof buf, 0).val == 8, "read 8 bytes");
    CHECK(!memcmp(buf, "abc\0\0\0\0\0", 8), "the new bytes are zeros");
    EXPECT_OK(BSD(ftruncate, fd, 0x100000000L), "grow to 4 GiB (64-bit length)");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 0x100000000L, "size 4 GiB");
    EXPECT_OK(BSD(ftruncate, 0x7777777700000000L | (unsigned)fd, 0), "fd with a dirty high half");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 0, "size 0");

    /* xnu ftruncate: the length is checked first, then the descriptor, its type and FWRITE. */
    EXPECT_ERR(BSD(ftruncate, fd, -1), EINVAL, "negative length");
    EXPECT_ERR(BSD(ftruncate, -1, -1), EINVAL, "negative length before a bad descriptor");
    EXPECT_ERR(BSD(ftruncate, -1, 0), EBADF, "ftruncate(-1)");
    EXPECT_ERR(BSD(ftruncate, 4000, 0), EBADF, "unused descriptor");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_ERR(BSD(ftruncate, ro, 0), EINVAL, "O_RDONLY descriptor");
    BSD(close, ro);
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(ftruncate, p.val2, 0), EINVAL, "pipe");
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_ERR(BSD(ftruncate, dfd, 0), EINVAL, "directory");
    BSD(close, fd);
    EXPECT_ERR(BSD(ftruncate, fd, 0), EBADF, "closed descriptor");
    return t_done();
}
