/* read(2)/write(2) (BSD 3/4): data and offsets, EOF, access-mode EBADF, invalid descriptors, nbyte > INT_MAX,
 * EFAULT for unmapped buffers and for buffers that run into an unmapped page, and 32-bit descriptor args. */
#include "xnu.h"

#include <sys/mman.h>
#include <sys/stat.h>

/* A pointer whose first `head` bytes are mapped and writable, followed by an unmapped page. */
static char* edge_buf(size_t head) {
    char* p = (char*)BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0).val;
    BSD(munmap, p + 4096, 4096);
    return p + 4096 - head;
}

int main(void) {
    char buf[8192];
    struct stat st;
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT | O_TRUNC, 0644), "create f").val;

    struct xres r = EXPECT_OK(BSD(write, fd, "hello world", 11), "write 11 bytes");
    CHECK(r.val == 11, "write returns the byte count");
    CHECK(BSD(lseek, fd, 0, SEEK_CUR).val == 11, "offset advanced by 11");
    CHECK(BSD(read, fd, buf, sizeof buf).val == 0, "read at EOF returns 0");
    BSD(lseek, fd, 0, SEEK_SET);
    r = EXPECT_OK(BSD(read, fd, buf, 5), "read 5 bytes");
    CHECK(r.val == 5 && !memcmp(buf, "hello", 5), "first 5 bytes");
    r = EXPECT_OK(BSD(read, fd, buf, sizeof buf), "read the rest");
    CHECK(r.val == 6 && !memcmp(buf, " world", 6), "short read of the remaining 6 bytes");
    CHECK(BSD(read, fd, buf, 0).val == 0 && BSD(write, fd, buf, 0).val == 0, "zero-length read and write");
    /* Only the low 32 bits of fd count. */
    BSD(lseek, fd, 0, SEEK_SET);
    CHECK(BSD(read, 0xdeadbeef00000000L | (unsigned)fd, buf, 5).val == 5, "read with garbage in fd's high half");
    CHECK(BSD(write, 0xffffffff00000000L | (unsigned)fd, "XY", 2).val == 2, "write with garbage in fd's high half");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 11, "write at offset 5 overwrote in place");

    /* Access modes. */
    int ro = (int)BSD(open, "f", O_RDONLY).val, wo = (int)BSD(open, "f", O_WRONLY).val;
    EXPECT_ERR(BSD(write, ro, "x", 1), EBADF, "write to an O_RDONLY descriptor");
    EXPECT_ERR(BSD(read, wo, buf, 1), EBADF, "read from an O_WRONLY descriptor");
    EXPECT_OK(BSD(read, ro, buf, 1), "read from O_RDONLY");
    EXPECT_OK(BSD(write, wo, "h", 1), "write to O_WRONLY");

    /* Invalid descriptors. */
    EXPECT_ERR(BSD(read, -1, buf, 1), EBADF, "read(-1)");
    EXPECT_ERR(BSD(write, -1, buf, 1), EBADF, "write(-1)");
    EXPECT_ERR(BSD(read, 100000, buf, 1), EBADF, "read from a huge descriptor");
    EXPECT_ERR(BSD(write, 250, buf, 1), EBADF, "write to an unused descriptor");
    BSD(close, wo);
    EXPECT_ERR(BSD(write, wo, "x", 1), EBADF, "write after close");
    EXPECT_ERR(BSD(read, wo, buf, 1), EBADF, "read after close");

    /* nbyte above INT_MAX is EINVAL, checked before the descriptor (xnu sys_generic.c read_internal). */
    EXPECT_ERR(BSD(read, fd, buf, 0x80000000UL), EINVAL, "read nbyte 2^31");
    EXPECT_ERR(BSD(write, fd, buf, 0x80000000UL), EINVAL, "write nbyte 2^31");
    EXPECT_ERR(BSD(read, -1, buf, 0x100000000UL), EINVAL, "nbyte 2^32 with fd -1: EINVAL first");
    EXPECT_ERR(BSD(write, -1, buf, -1L), EINVAL, "nbyte SIZE_MAX with fd -1: EINVAL first");

    /* Bad buffers. */
    BSD(lseek, fd, 0, SEEK_SET);
    EXPECT_ERR(BSD(read, fd, BAD_PTR, 4), EFAULT, "read into unmapped memory");
    EXPECT_ERR(BSD(write, fd, BAD_PTR, 4), EFAULT, "write from unmapped memory");
    memset(buf, 'a', sizeof buf);
    BSD(lseek, fd, 0, SEEK_SET);
    BSD(write, fd, buf, sizeof buf);
    BSD(lseek, fd, 0, SEEK_SET);
    char* edge = edge_buf(100);
    EXPECT_ERR(BSD(read, fd, edge, 200), EFAULT, "read into a buffer running into an unmapped page");
    memset(edge, 'b', 100);
    EXPECT_ERR(BSD(write, fd, edge, 200), EFAULT, "write from a buffer running into an unmapped page");
    /* A read that ends before the unmapped page never touches it. */
    int small = (int)BSD(open, "small", O_RDWR | O_CREAT, 0644).val;
    BSD(write, small, "0123456789", 10);
    BSD(lseek, small, 0, SEEK_SET);
    r = EXPECT_OK(BSD(read, small, edge, 200), "read of 10 available bytes into the edge buffer");
    CHECK(r.val == 10 && !memcmp(edge, "0123456789", 10), "got the 10 bytes");
    BSD(lseek, small, 0, SEEK_SET);
    r = EXPECT_OK(BSD(read, small, edge_buf(10), 200), "read ending exactly at the unmapped page");
    CHECK(r.val == 10, "all 10 bytes fit before the hole");
    r = EXPECT_OK(BSD(write, small, edge, 100), "write of the mapped part only");
    CHECK(r.val == 100, "wrote 100 bytes");

    /* A directory cannot be read with read(2). */
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_ERR(BSD(read, dfd, buf, sizeof buf), EISDIR, "read from a directory");
    BSD(close, dfd);
    BSD(close, fd);
    BSD(close, ro);
    BSD(close, small);
    return t_done();
}
