/* utimes(2)/futimes(2) (BSD 138/139): microsecond times (tv_usec is 32 bits in XNU's timeval), NULL for now,
 * symlinks followed; utimes looks the path up before it copies the times (ENOENT beats EFAULT), futimes copies
 * the times before it looks at the descriptor (EFAULT beats EBADF); pipes are EINVAL (not vnodes). The birth
 * time never ends up after the modification time (HFS+/APFS pull it back). */
#include "xnu.h"

#include <sys/stat.h>
#include <sys/time.h>

static char longpath[1200];

int main(void) {
    struct stat st;
    struct timeval tv[2], now;
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(symlink, "f", "l");
    BSD(mkdir, "d", 0755);

    tv[0].tv_sec = 1000000000, tv[0].tv_usec = 123456;
    tv[1].tv_sec = 1100000000, tv[1].tv_usec = 654321;
    EXPECT_OK(BSD(utimes, "f", tv), "utimes");
    BSD(stat64, "f", &st);
    CHECK(st.st_atimespec.tv_sec == 1000000000 && st.st_atimespec.tv_nsec == 123456000, "atime set");
    CHECK(st.st_mtimespec.tv_sec == 1100000000 && st.st_mtimespec.tv_nsec == 654321000, "mtime set");
    CHECK(st.st_birthtimespec.tv_sec < st.st_mtimespec.tv_sec ||
          (st.st_birthtimespec.tv_sec == st.st_mtimespec.tv_sec && st.st_birthtimespec.tv_nsec <= st.st_mtimespec.tv_nsec),
          "the birth time is not after the new mtime");
    tv[1].tv_sec = 1200000000, tv[1].tv_usec = 0;
    EXPECT_OK(BSD(utimes, "l", tv), "utimes through a symlink");
    BSD(stat64, "f", &st);
    CHECK(st.st_mtimespec.tv_sec == 1200000000 && st.st_mtimespec.tv_nsec == 0, "the target's mtime");
    EXPECT_OK(BSD(utimes, "d", tv), "utimes on a directory");
    BSD(stat64, "d", &st);
    CHECK(st.st_mtimespec.tv_sec == 1200000000, "the directory's mtime");

    BSD(gettimeofday, &now, 0, 0);
    EXPECT_OK(BSD(utimes, "f", 0), "utimes(NULL): now");
    BSD(stat64, "f", &st);
    CHECK(st.st_mtimespec.tv_sec >= now.tv_sec - 2 && st.st_mtimespec.tv_sec <= now.tv_sec + 5, "mtime is now");
    CHECK(st.st_atimespec.tv_sec >= now.tv_sec - 2 && st.st_atimespec.tv_sec <= now.tv_sec + 5, "atime is now");

    /* futimes */
    tv[0].tv_sec = 1300000000, tv[0].tv_usec = 1;
    tv[1].tv_sec = 1400000000, tv[1].tv_usec = 999999;
    EXPECT_OK(BSD(futimes, fd, tv), "futimes");
    BSD(fstat64, fd, &st);
    CHECK(st.st_atimespec.tv_sec == 1300000000 && st.st_atimespec.tv_nsec == 1000, "atime set");
    CHECK(st.st_mtimespec.tv_sec == 1400000000 && st.st_mtimespec.tv_nsec == 999999000, "mtime set");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_OK(BSD(futimes, ro, tv), "futimes through an O_RDONLY descriptor (the owner may)");
    EXPECT_OK(BSD(futimes, 0x1234567800000000L | (unsigned)fd, tv), "fd with a dirty high half");
    EXPECT_OK(BSD(futimes, fd, 0), "futimes(NULL): now");
    BSD(fstat64, fd, &st);
    CHECK(st.st_mtimespec.tv_sec >= now.tv_sec - 2, "mtime is now");
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_OK(BSD(futimes, dfd, tv), "futimes on a directory");

    EXPECT_ERR(BSD(utimes, "missing", tv), ENOENT, "utimes: missing file");
    EXPECT_ERR(BSD(utimes, "missing", BAD_PTR), ENOENT, "utimes: the lookup comes before the times");
    EXPECT_ERR(BSD(utimes, "f", BAD_PTR), EFAULT, "utimes: times in unmapped memory");
    EXPECT_ERR(BSD(utimes, "", tv), ENOENT, "utimes: empty path");
    EXPECT_ERR(BSD(utimes, "f/x", tv), ENOTDIR, "utimes: a file as a directory");
    EXPECT_ERR(BSD(utimes, BAD_PTR, tv), EFAULT, "utimes: path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(utimes, longpath, tv), ENAMETOOLONG, "utimes: path of 1101 bytes");
    EXPECT_ERR(BSD(futimes, -1, tv), EBADF, "futimes(-1)");
    EXPECT_ERR(BSD(futimes, 999, 0), EBADF, "futimes of a descriptor not open");
    EXPECT_ERR(BSD(futimes, -1, BAD_PTR), EFAULT, "futimes: the times come before the descriptor");
    EXPECT_ERR(BSD(futimes, fd, BAD_PTR), EFAULT, "futimes: times in unmapped memory");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(futimes, p.val, tv), EINVAL, "futimes on a pipe");
    EXPECT_ERR(BSD(futimes, p.val, 0), EINVAL, "futimes(NULL) on a pipe");
    return t_done();
}
