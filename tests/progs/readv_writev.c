/* readv(2)/writev(2) (BSD 120/121): scatter/gather order, iovcnt limits (1..1024), zero-length entries,
 * totals above INT_MAX, EFAULT for the array and for the buffers, EBADF ordering. */
#include "xnu.h"

#include <sys/stat.h>
#include <sys/uio.h>

static struct iovec many[1025];
static char bytes[1025];

int main(void) {
    char a[4], b[8], c[64];
    struct stat st;
    int fd = (int)EXPECT_OK(BSD(open, "f", O_RDWR | O_CREAT | O_TRUNC, 0644), "create f").val;

    struct iovec w[3] = {{"abc", 3}, {"", 0}, {"defghij", 7}};
    struct xres r = EXPECT_OK(BSD(writev, fd, w, 3), "writev 3 entries (one empty)");
    CHECK(r.val == 10, "writev wrote 10 bytes");
    BSD(lseek, fd, 0, SEEK_SET);
    struct iovec rv[3] = {{a, 4}, {b, 0}, {c, sizeof c}};
    r = EXPECT_OK(BSD(readv, fd, rv, 3), "readv into 4 + 0 + 64 bytes");
    CHECK(r.val == 10 && !memcmp(a, "abcd", 4) && !memcmp(c, "efghij", 6), "data scattered in order");
    CHECK(BSD(readv, fd, rv, 3).val == 0, "readv at EOF returns 0");

    /* UIO_MAXIOV is 1024. */
    for (int i = 0; i < 1025; i++) many[i].iov_base = &bytes[i], many[i].iov_len = 1, bytes[i] = 'A' + i % 26;
    r = EXPECT_OK(BSD(writev, fd, many, 1024), "writev with 1024 entries");
    CHECK(r.val == 1024, "1024 bytes written");
    EXPECT_ERR(BSD(writev, fd, many, 1025), EINVAL, "writev with 1025 entries");
    EXPECT_ERR(BSD(readv, fd, many, 1025), EINVAL, "readv with 1025 entries");
    EXPECT_ERR(BSD(writev, fd, many, 0), EINVAL, "writev with 0 entries");
    EXPECT_ERR(BSD(readv, fd, many, 0), EINVAL, "readv with 0 entries");
    EXPECT_ERR(BSD(readv, fd, many, -1), EINVAL, "readv with iovcnt -1");
    EXPECT_ERR(BSD(writev, -1, many, 0), EINVAL, "iovcnt is checked before the descriptor");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 1034, "file is 1034 bytes");

    /* The array itself and the buffers it names. */
    EXPECT_ERR(BSD(writev, fd, BAD_PTR, 2), EFAULT, "writev with an unmapped iovec array");
    EXPECT_ERR(BSD(readv, fd, BAD_PTR, 2), EFAULT, "readv with an unmapped iovec array");
    EXPECT_ERR(BSD(readv, -1, BAD_PTR, 2), EFAULT, "the array is copied in before the descriptor is checked");
    struct iovec bad[2] = {{a, 1}, {BAD_PTR, 4}};
    BSD(lseek, fd, 0, SEEK_SET);
    EXPECT_ERR(BSD(readv, fd, &bad[1], 1), EFAULT, "readv into an unmapped buffer");
    EXPECT_ERR(BSD(writev, fd, &bad[1], 1), EFAULT, "writev from an unmapped buffer");

    /* Totals above INT_MAX: EINVAL for a file, but only once the descriptor is known to be good. */
    struct iovec huge[2] = {{c, 0x40000000}, {c, 0x40000000}};
    EXPECT_ERR(BSD(readv, fd, huge, 2), EINVAL, "readv totalling 2^31 bytes");
    EXPECT_ERR(BSD(writev, fd, huge, 2), EINVAL, "writev totalling 2^31 bytes");
    EXPECT_ERR(BSD(readv, 400, huge, 2), EBADF, "readv totalling 2^31 on an unused descriptor");

    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_ERR(BSD(writev, ro, w, 1), EBADF, "writev on O_RDONLY");
    EXPECT_ERR(BSD(readv, -1, rv, 1), EBADF, "readv(-1)");
    EXPECT_ERR(BSD(writev, 333, w, 1), EBADF, "writev on an unused descriptor");
    r = EXPECT_OK(BSD(readv, 0x5555555500000000L | (unsigned)ro, rv, 0x1111111100000001L), "readv with dirty high halves");
    CHECK(r.val == 4, "only iovcnt's low half (1) counted");
    BSD(close, ro);
    BSD(close, fd);
    return t_done();
}
