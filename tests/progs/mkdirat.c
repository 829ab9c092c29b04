/* mkdirat(2) (BSD 475): relative to a directory descriptor or AT_FDCWD (-2), the mode masked to ACCESSPERMS and
 * the umask, and XNU's errors: EEXIST (also for an existing symlink), ENOENT, ENOTDIR, EBADF for a bad
 * descriptor with a relative path (an absolute path ignores it), EFAULT, ENAMETOOLONG. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    struct stat st;
    BSD(umask, 022);
    EXPECT_OK(BSD(mkdir, "top", 0755), "mkdir top");
    int dfd = (int)EXPECT_OK(BSD(open, "top", O_RDONLY | O_DIRECTORY), "open top").val;
    int ffd = (int)EXPECT_OK(BSD(open, "file", O_RDWR | O_CREAT, 0644), "create file").val;

    EXPECT_OK(BSD(mkdirat, dfd, "sub", 0777), "mkdirat relative to a directory");
    EXPECT_OK(BSD(stat64, "top/sub", &st), "it is inside top");
    CHECK(st.st_mode == (S_IFDIR | 0755), "mode 0777 & ~umask 022");
    EXPECT_OK(BSD(mkdirat, AT_FDCWD, "cwd", 0700), "mkdirat AT_FDCWD");
    EXPECT_OK(BSD(stat64, "cwd", &st), "made in the cwd");
    CHECK(st.st_mode == (S_IFDIR | 0700), "mode 0700");
    /* XNU keeps ACCESSPERMS only: setuid, setgid and sticky are dropped (mkdirat: mode & ACCESSPERMS). */
    EXPECT_OK(BSD(mkdirat, dfd, "special", 07777), "mkdirat with setuid|setgid|sticky");
    BSD(stat64, "top/special", &st);
    CHECK((st.st_mode & 07777) == 0755, "only the permission bits, umask applied");
    BSD(umask, 0);
    EXPECT_OK(BSD(mkdirat, dfd, "open", 0777), "mkdirat with umask 0");
    BSD(stat64, "top/open", &st);
    CHECK((st.st_mode & 07777) == 0777, "mode 0777");
    /* Int arguments ignore their high halves (the munger). */
    EXPECT_OK(BSD(mkdirat, 0x5555555500000000L | (unsigned)dfd, "hi", 0xffff000000000000L | 0750),
              "dirty high halves of fd and mode");
    BSD(stat64, "top/hi", &st);
    CHECK((st.st_mode & 07777) == 0750, "mode from the low half");
    EXPECT_OK(BSD(mkdirat, 0x7fffffff00000000L | (unsigned)AT_FDCWD, "hicwd", 0755), "AT_FDCWD with a dirty high half");

    EXPECT_ERR(BSD(mkdirat, dfd, "sub", 0755), EEXIST, "an existing directory");
    EXPECT_ERR(BSD(mkdirat, AT_FDCWD, "file", 0755), EEXIST, "an existing file");
    BSD(symlink, "nowhere", "dangling");
    EXPECT_ERR(BSD(mkdirat, AT_FDCWD, "dangling", 0755), EEXIST, "a dangling symlink");
    EXPECT_ERR(BSD(mkdirat, dfd, "no/such", 0755), ENOENT, "a missing parent");
    EXPECT_ERR(BSD(mkdirat, AT_FDCWD, "file/x", 0755), ENOTDIR, "a file as a parent");
    EXPECT_ERR(BSD(mkdirat, dfd, "", 0755), ENOENT, "empty path");
    EXPECT_ERR(BSD(mkdirat, -1, "x", 0755), EBADF, "relative path, dirfd -1");
    EXPECT_ERR(BSD(mkdirat, 4242, "x", 0755), EBADF, "relative path, dirfd not open");
    EXPECT_ERR(BSD(mkdirat, -1, "", 0755), EBADF, "empty path, dirfd -1 (the descriptor is vetted first)");
    EXPECT_ERR(BSD(mkdirat, ffd, "x", 0755), ENOTDIR, "relative path, dirfd a file");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(mkdirat, p.val, "x", 0755), ENOTSUP, "relative path, dirfd a pipe");
    EXPECT_ERR(BSD(mkdirat, dfd, BAD_PTR, 0755), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(mkdirat, -1, BAD_PTR, 0755), EFAULT, "path in unmapped memory beats a bad dirfd");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'z';
    EXPECT_ERR(BSD(mkdirat, AT_FDCWD, longpath, 0755), ENAMETOOLONG, "path of 1101 bytes");

    /* An absolute path ignores the descriptor, even a bad one. */
    char abs[1100];
    EXPECT_OK(BSD(fcntl, dfd, F_GETPATH, abs), "F_GETPATH of top");
    size_t n = strlen(abs);
    memcpy(abs + n, "/abs", 5);
    EXPECT_OK(BSD(mkdirat, -1, abs, 0755), "absolute path with dirfd -1");
    EXPECT_OK(BSD(stat64, "top/abs", &st), "made where the path says");
    abs[n] = 0;
    memcpy(abs + n, "/abs2", 6);
    EXPECT_OK(BSD(mkdirat, ffd, abs, 0755), "absolute path with a file as dirfd");
    BSD(close, dfd);
    EXPECT_ERR(BSD(mkdirat, dfd, "x", 0755), EBADF, "dirfd after close");
    return t_done();
}
