/* The *_nocancel variants (BSD 396-415, 464) that libSystem uses inside cancellation-safe code: each behaves
 * exactly like its cancellable twin, success and errors. */
#include "xnu.h"

#include <sys/uio.h>

int main(void) {
    char buf[16], a[3], b[8];
    struct xres r = EXPECT_OK(BSD(open_nocancel, "f", O_RDWR | O_CREAT | O_EXCL, 0644), "open_nocancel O_CREAT");
    int fd = (int)r.val;
    EXPECT_ERR(BSD(open_nocancel, "f", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST, "open_nocancel O_EXCL");
    EXPECT_ERR(BSD(open_nocancel, "missing", O_RDONLY), ENOENT, "open_nocancel of a missing file");
    EXPECT_ERR(BSD(open_nocancel, BAD_PTR, O_RDONLY), EFAULT, "open_nocancel with an unmapped path");
    BSD(mkdir, "d", 0755);
    int dfd = (int)EXPECT_OK(BSD(openat_nocancel, AT_FDCWD, "d", O_RDONLY | O_DIRECTORY), "openat_nocancel AT_FDCWD").val;
    r = EXPECT_OK(BSD(openat_nocancel, dfd, "in", O_WRONLY | O_CREAT, 0644), "openat_nocancel relative");
    BSD(close, r.val);
    EXPECT_ERR(BSD(openat_nocancel, -1, "in", O_RDONLY), EBADF, "openat_nocancel with fd -1");
    EXPECT_ERR(BSD(openat_nocancel, fd, "in", O_RDONLY), ENOTDIR, "openat_nocancel with a file as dirfd");

    r = EXPECT_OK(BSD(write_nocancel, fd, "abcdef", 6), "write_nocancel");
    CHECK(r.val == 6, "6 bytes");
    EXPECT_ERR(BSD(write_nocancel, -1, "x", 1), EBADF, "write_nocancel(-1)");
    EXPECT_ERR(BSD(write_nocancel, fd, buf, 0x80000000UL), EINVAL, "write_nocancel nbyte 2^31");
    EXPECT_ERR(BSD(write_nocancel, fd, BAD_PTR, 4), EFAULT, "write_nocancel from unmapped memory");
    BSD(lseek, fd, 0, SEEK_SET);
    r = EXPECT_OK(BSD(read_nocancel, fd, buf, sizeof buf), "read_nocancel");
    CHECK(r.val == 6 && !memcmp(buf, "abcdef", 6), "read back");
    EXPECT_ERR(BSD(read_nocancel, 555, buf, 1), EBADF, "read_nocancel of an unused descriptor");
    BSD(lseek, fd, 0, SEEK_SET);
    EXPECT_ERR(BSD(read_nocancel, fd, BAD_PTR, 4), EFAULT, "read_nocancel into unmapped memory");

    r = EXPECT_OK(BSD(pread_nocancel, fd, buf, 3, 2), "pread_nocancel");
    CHECK(r.val == 3 && !memcmp(buf, "cde", 3), "bytes 2..4");
    EXPECT_OK(BSD(pwrite_nocancel, fd, "XY", 2, 4), "pwrite_nocancel");
    BSD(pread, fd, buf, 6, 0);
    CHECK(!memcmp(buf, "abcdXY", 6), "bytes 4..5 replaced");
    EXPECT_ERR(BSD(pread_nocancel, fd, buf, 1, -1), EINVAL, "pread_nocancel at -1");
    EXPECT_ERR(BSD(pwrite_nocancel, -1, buf, 1, -1), EINVAL, "pwrite_nocancel at -1");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(pread_nocancel, p.val, buf, 1, 0), ESPIPE, "pread_nocancel on a pipe");

    struct iovec w[2] = {{"12", 2}, {"345", 3}};
    BSD(lseek, fd, 0, SEEK_SET);
    r = EXPECT_OK(BSD(writev_nocancel, fd, w, 2), "writev_nocancel");
    CHECK(r.val == 5, "5 bytes");
    BSD(lseek, fd, 0, SEEK_SET);
    struct iovec rv[2] = {{a, 3}, {b, 8}};
    r = EXPECT_OK(BSD(readv_nocancel, fd, rv, 2), "readv_nocancel");
    CHECK(r.val == 6 && !memcmp(a, "123", 3) && !memcmp(b, "45Y", 3), "scattered");
    EXPECT_ERR(BSD(readv_nocancel, fd, rv, 0), EINVAL, "readv_nocancel with 0 entries");
    EXPECT_ERR(BSD(writev_nocancel, fd, BAD_PTR, 1), EFAULT, "writev_nocancel with an unmapped array");
    EXPECT_ERR(BSD(writev_nocancel, 777, w, 2), EBADF, "writev_nocancel of an unused descriptor");

    CHECK(BSD(fcntl_nocancel, fd, F_GETFL, 0).val == O_RDWR, "fcntl_nocancel F_GETFL");
    EXPECT_OK(BSD(fcntl_nocancel, fd, F_SETFD, FD_CLOEXEC), "fcntl_nocancel F_SETFD");
    CHECK(BSD(fcntl_nocancel, fd, F_GETFD, 0).val == FD_CLOEXEC, "fcntl_nocancel F_GETFD");
    EXPECT_ERR(BSD(fcntl_nocancel, -1, F_GETFD, 0), EBADF, "fcntl_nocancel(-1)");
    EXPECT_ERR(BSD(fcntl_nocancel, fd, 54321, 0), EINVAL, "fcntl_nocancel unknown command");

    EXPECT_OK(BSD(fsync_nocancel, fd), "fsync_nocancel");
    EXPECT_ERR(BSD(fsync_nocancel, -1), EBADF, "fsync_nocancel(-1)");

    EXPECT_OK(BSD(close_nocancel, fd), "close_nocancel");
    EXPECT_ERR(BSD(close_nocancel, fd), EBADF, "close_nocancel again");
    BSD(close_nocancel, dfd);
    return t_done();
}
