/* unlinkat(2) (BSD 472): AT_FDCWD and directory descriptors, AT_REMOVEDIR, EPERM/ENOTDIR/ENOTEMPTY, unknown
 * flags (EINVAL, checked first), EBADF/ENOTDIR for the descriptor. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st;
    BSD(mkdir, "d", 0755);
    BSD(mkdir, "d/sub", 0755);
    BSD(mkdir, "d/full", 0755);
    BSD(close, BSD(open, "d/full/x", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "d/file", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "top", O_RDONLY | O_CREAT, 0644).val);
    int dfd = (int)EXPECT_OK(BSD(open, "d", O_RDONLY | O_DIRECTORY), "open d").val;
    int ffd = (int)BSD(open, "top", O_RDONLY).val;

    EXPECT_ERR(BSD(unlinkat, dfd, "sub", 0), EPERM, "unlinkat of a directory without AT_REMOVEDIR");
    EXPECT_ERR(BSD(unlinkat, dfd, "file", AT_REMOVEDIR), ENOTDIR, "AT_REMOVEDIR on a file");
    EXPECT_ERR(BSD(unlinkat, dfd, "full", AT_REMOVEDIR), ENOTEMPTY, "AT_REMOVEDIR on a non-empty directory");
    EXPECT_ERR(BSD(unlinkat, dfd, "nope", 0), ENOENT, "missing name");
    EXPECT_ERR(BSD(unlinkat, dfd, "top", 0), ENOENT, "names resolve in the directory, not the cwd");
    EXPECT_OK(BSD(unlinkat, dfd, "file", 0), "unlinkat a file in d");
    EXPECT_ERR(BSD(stat64, "d/file", &st), ENOENT, "d/file is gone");
    EXPECT_OK(BSD(unlinkat, dfd, "sub", AT_REMOVEDIR), "unlinkat AT_REMOVEDIR");
    EXPECT_ERR(BSD(stat64, "d/sub", &st), ENOENT, "d/sub is gone");
    EXPECT_OK(BSD(unlinkat, AT_FDCWD, "d/full/x", 0), "unlinkat AT_FDCWD");
    EXPECT_OK(BSD(unlinkat, 0x1234567800000000L | (unsigned)dfd, "full", 0xabcdef0000000000L | AT_REMOVEDIR),
              "dirty high halves of fd and flag");

    /* Flags other than AT_REMOVEDIR (and private ones) are EINVAL before anything is looked up. */
    EXPECT_ERR(BSD(unlinkat, dfd, "nope", AT_SYMLINK_NOFOLLOW), EINVAL, "AT_SYMLINK_NOFOLLOW is not accepted");
    EXPECT_ERR(BSD(unlinkat, -1, "nope", 0x40000000), EINVAL, "unknown flag before a bad descriptor");
    EXPECT_ERR(BSD(unlinkat, -1, "top", 0), EBADF, "relative path with fd -1");
    EXPECT_ERR(BSD(unlinkat, 888, "top", 0), EBADF, "relative path with an unused descriptor");
    EXPECT_ERR(BSD(unlinkat, ffd, "top", 0), ENOTDIR, "relative path with a file descriptor");
    EXPECT_ERR(BSD(unlinkat, dfd, BAD_PTR, 0), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(unlinkat, dfd, "", 0), ENOENT, "empty path");
    BSD(close, ffd);
    BSD(close, dfd);
    return t_done();
}
