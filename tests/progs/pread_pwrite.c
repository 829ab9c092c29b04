/* pread(2)/pwrite(2) (BSD 153/154): positional I/O that leaves the offset alone, holes, O_APPEND ignored by
 * pwrite, negative offsets, ESPIPE on pipes, EBADF, EFAULT and nbyte > INT_MAX. */
#include "xnu.h"

#include <sys/mman.h>
#include <sys/stat.h>

int main(void) {
    char buf[64];
    struct stat st;
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT | O_TRUNC, 0644), "create f").val;
    BSD(write, fd, "0123456789", 10);
    BSD(lseek, fd, 3, SEEK_SET);

    struct xres r = EXPECT_OK(BSD(pread, fd, buf, 4, 5), "pread 4 bytes at 5");
    CHECK(r.val == 4 && !memcmp(buf, "5678", 4), "bytes 5..8");
    CHECK(BSD(lseek, fd, 0, SEEK_CUR).val == 3, "pread left the offset at 3");
    r = EXPECT_OK(BSD(pread, fd, buf, sizeof buf, 8), "pread across EOF");
    CHECK(r.val == 2 && !memcmp(buf, "89", 2), "short pread at the end");
    CHECK(BSD(pread, fd, buf, sizeof buf, 10).val == 0, "pread at EOF returns 0");
    CHECK(BSD(pread, fd, buf, sizeof buf, 1000).val == 0, "pread past EOF returns 0");

    r = EXPECT_OK(BSD(pwrite, fd, "AB", 2, 1), "pwrite 2 bytes at 1");
    CHECK(r.val == 2, "pwrite returns 2");
    CHECK(BSD(lseek, fd, 0, SEEK_CUR).val == 3, "pwrite left the offset at 3");
    BSD(pread, fd, buf, 10, 0);
    CHECK(!memcmp(buf, "0AB3456789", 10), "pwrite replaced bytes 1..2");
    EXPECT_OK(BSD(pwrite, fd, "Z", 1, 20), "pwrite past EOF");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 21, "file grew to 21 bytes");
    memset(buf, 'x', sizeof buf);
    BSD(pread, fd, buf, 11, 10);
    CHECK(!memcmp(buf, "\0\0\0\0\0\0\0\0\0\0Z", 11), "the gap reads as zeros");
    /* The offset is a full 64-bit off_t. */
    EXPECT_OK(BSD(pwrite, fd, "H", 1, 0x100000000L), "pwrite at 4 GiB");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 0x100000001L, "size 4 GiB + 1");
    CHECK(BSD(pread, fd, buf, 4, 0x100000000L).val == 1 && buf[0] == 'H', "pread at 4 GiB");
    BSD(ftruncate, fd, 21);

    /* xnu vn_write: pwrite ignores O_APPEND and writes at the given offset. */
    int ap = (int)BSD(open, "f", O_RDWR | O_APPEND).val;
    EXPECT_OK(BSD(pwrite, ap, "q", 1, 0), "pwrite on an O_APPEND descriptor");
    BSD(pread, ap, buf, 1, 0);
    CHECK(buf[0] == 'q', "the byte went to offset 0, not the end");
    BSD(fstat64, ap, &st);
    CHECK(st.st_size == 21, "size unchanged");
    BSD(write, ap, "E", 1);
    BSD(fstat64, ap, &st);
    CHECK(st.st_size == 22, "plain write still appends");
    BSD(close, ap);

    /* Negative offsets: pwrite(-1) is EINVAL before anything else; other negatives after the descriptor. */
    EXPECT_ERR(BSD(pread, fd, buf, 1, -1), EINVAL, "pread at offset -1");
    EXPECT_ERR(BSD(pwrite, fd, buf, 1, -2), EINVAL, "pwrite at offset -2");
    EXPECT_ERR(BSD(pwrite, -1, buf, 1, -1), EINVAL, "pwrite(-1, offset -1): EINVAL first");
    EXPECT_ERR(BSD(pread, -1, buf, 1, -5), EBADF, "pread(-1, offset -5): EBADF first");

    int p[2];
    struct xres pr = BSD0(pipe);
    p[0] = (int)pr.val, p[1] = (int)pr.val2;
    EXPECT_ERR(BSD(pread, p[0], buf, 1, 0), ESPIPE, "pread on a pipe");
    EXPECT_ERR(BSD(pwrite, p[1], "x", 1, 0), ESPIPE, "pwrite on a pipe");
    EXPECT_ERR(BSD(pread, p[0], buf, 1, -3), ESPIPE, "pread on a pipe at a negative offset");

    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_ERR(BSD(pwrite, ro, "x", 1, 0), EBADF, "pwrite on O_RDONLY");
    EXPECT_ERR(BSD(pread, 300, buf, 1, 0), EBADF, "pread on an unused descriptor");
    EXPECT_ERR(BSD(pwrite, 300, buf, 1, 0), EBADF, "pwrite on an unused descriptor");
    EXPECT_ERR(BSD(pread, fd, buf, 0x80000000UL, 0), EINVAL, "pread nbyte 2^31");
    EXPECT_ERR(BSD(pwrite, fd, buf, 0x80000000UL, 0), EINVAL, "pwrite nbyte 2^31");
    EXPECT_ERR(BSD(pread, fd, BAD_PTR, 4, 0), EFAULT, "pread into unmapped memory");
    EXPECT_ERR(BSD(pwrite, fd, BAD_PTR, 4, 0), EFAULT, "pwrite from unmapped memory");
    char* page = (char*)BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0).val;
    BSD(munmap, page + 4096, 4096);
    EXPECT_ERR(BSD(pread, fd, page + 4096 - 4, 16, 0), EFAULT, "pread into a buffer running into an unmapped page");
    EXPECT_ERR(BSD(pwrite, fd, page + 4096 - 4, 16, 0), EFAULT, "pwrite from a buffer running into an unmapped page");
    r = EXPECT_OK(BSD(pread, fd, page + 4096 - 4, 16, 18), "pread of the last 4 bytes into the same buffer");
    CHECK(r.val == 4, "4 bytes, all before the hole");
    CHECK(BSD(pread, 0xabcdef0000000000L | (unsigned)fd, buf, 2, 1).val == 2, "fd with garbage in the high half");
    BSD(close, fd);
    BSD(close, ro);
    return t_done();
}
