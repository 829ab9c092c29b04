/* openat(2) (BSD 463): AT_FDCWD (-2), paths relative to a directory descriptor, absolute paths ignoring the
 * descriptor, and EBADF/ENOTDIR for bad directory descriptors. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st;
    char buf[16];
    BSD(umask, 022);
    EXPECT_OK(BSD(mkdir, "d", 0755), "mkdir d");
    struct xres r = EXPECT_OK(BSD(open, "d/inner", O_WRONLY | O_CREAT, 0644), "create d/inner");
    BSD(write, r.val, "xyz", 3);
    BSD(close, r.val);
    r = EXPECT_OK(BSD(open, "top", O_WRONLY | O_CREAT, 0644), "create top");
    int filefd = (int)r.val;

    r = EXPECT_OK(BSD(openat, AT_FDCWD, "top", O_RDONLY), "openat AT_FDCWD");
    BSD(close, r.val);
    int dfd = (int)EXPECT_OK(BSD(openat, AT_FDCWD, "d", O_RDONLY | O_DIRECTORY), "openat the directory").val;
    r = EXPECT_OK(BSD(openat, dfd, "inner", O_RDONLY), "openat relative to the directory");
    CHECK(BSD(read, r.val, buf, sizeof buf).val == 3 && !memcmp(buf, "xyz", 3), "read the file inside d");
    BSD(close, r.val);
    r = EXPECT_OK(BSD(openat, dfd, "made", O_WRONLY | O_CREAT | O_EXCL, 0600), "O_CREAT relative to the directory");
    BSD(close, r.val);
    EXPECT_OK(BSD(stat64, "d/made", &st), "the file was created inside d");
    CHECK(st.st_mode == (S_IFREG | 0600), "with the requested mode");
    EXPECT_ERR(BSD(openat, dfd, "made", O_WRONLY | O_CREAT | O_EXCL, 0600), EEXIST, "O_EXCL relative to the directory");
    EXPECT_ERR(BSD(openat, dfd, "top", O_RDONLY), ENOENT, "names resolve in the directory, not the cwd");
    r = EXPECT_OK(BSD(openat, dfd, "../top", O_RDONLY), "'..' from the directory");
    BSD(close, r.val);
    /* The descriptor argument is an int: garbage in the high half is ignored. */
    r = EXPECT_OK(BSD(openat, 0x1234567800000000L | (unsigned)dfd, "inner", O_RDONLY), "dirfd with a dirty high half");
    BSD(close, r.val);
    r = EXPECT_OK(BSD(openat, 0x7fffffff00000000L | (unsigned)AT_FDCWD, "top", O_RDONLY), "AT_FDCWD with a dirty high half");
    BSD(close, r.val);

    /* An absolute path never looks at the descriptor. */
    r = EXPECT_OK(BSD(openat, -1, "/", O_RDONLY), "absolute path with dirfd -1");
    BSD(close, r.val);
    r = EXPECT_OK(BSD(openat, filefd, "/", O_RDONLY), "absolute path with a file as dirfd");
    BSD(close, r.val);

    EXPECT_ERR(BSD(openat, -1, "top", O_RDONLY), EBADF, "relative path with dirfd -1");
    EXPECT_ERR(BSD(openat, 999, "top", O_RDONLY), EBADF, "relative path with a closed dirfd");
    EXPECT_ERR(BSD(openat, 1 << 30, "top", O_RDONLY), EBADF, "relative path with a huge dirfd");
    EXPECT_ERR(BSD(openat, filefd, "x", O_RDONLY), ENOTDIR, "relative path with a file as dirfd");
    EXPECT_ERR(BSD(openat, dfd, "missing", O_RDONLY), ENOENT, "missing name in the directory");
    EXPECT_ERR(BSD(openat, dfd, "inner", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
    EXPECT_ERR(BSD(openat, dfd, "", O_RDONLY), ENOENT, "empty path");
    /* xnu nameiat checks the descriptor of a relative path before namei reads the whole path. */
    EXPECT_ERR(BSD(openat, -1, "", O_RDONLY), EBADF, "empty path with dirfd -1");
    EXPECT_ERR(BSD(openat, filefd, "", O_RDONLY), ENOTDIR, "empty path with a file as dirfd");
    EXPECT_ERR(BSD(openat, dfd, BAD_PTR, O_RDONLY), EFAULT, "path in unmapped memory");
    BSD(close, dfd);
    BSD(close, filefd);
    EXPECT_ERR(BSD(openat, dfd, "inner", O_RDONLY), EBADF, "dirfd after close");
    /* -100 is Linux's AT_FDCWD; on XNU it is only a bad descriptor. */
    EXPECT_ERR(BSD(openat, -100, "openat-linux-cwd", O_CREAT | O_WRONLY, 0644), EBADF, "openat(-100, ...): EBADF, not the cwd");
    return t_done();
}
