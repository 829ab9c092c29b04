/* faccessat(2) (BSD 466): AT_FDCWD and directory descriptors, AT_EACCESS, AT_SYMLINK_NOFOLLOW on a dangling
 * link, unknown flags (EINVAL first), EBADF/ENOTDIR for the descriptor. */
#include "xnu.h"

#include <unistd.h>

int main(void) {
    BSD(umask, 0);
    BSD(mkdir, "d", 0755);
    BSD(close, BSD(open, "d/f", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "top", O_RDONLY | O_CREAT, 0644).val);
    BSD(symlink, "missing", "d/dangling");
    int dfd = (int)BSD(open, "d", O_RDONLY | O_DIRECTORY).val;
    int ffd = (int)BSD(open, "top", O_RDONLY).val;

    EXPECT_OK(BSD(faccessat, AT_FDCWD, "top", R_OK, 0), "AT_FDCWD R_OK");
    EXPECT_OK(BSD(faccessat, dfd, "f", R_OK | W_OK, 0), "relative to d, R_OK|W_OK");
    EXPECT_ERR(BSD(faccessat, dfd, "f", X_OK, 0), EACCES, "X_OK on a 0644 file");
    EXPECT_OK(BSD(faccessat, dfd, "f", R_OK, AT_EACCESS), "AT_EACCESS");
    EXPECT_ERR(BSD(faccessat, dfd, "top", F_OK, 0), ENOENT, "names resolve in d, not the cwd");
    EXPECT_ERR(BSD(faccessat, dfd, "dangling", F_OK, 0), ENOENT, "a dangling link is followed by default");
    EXPECT_OK(BSD(faccessat, dfd, "dangling", F_OK, AT_SYMLINK_NOFOLLOW), "AT_SYMLINK_NOFOLLOW checks the link");
    EXPECT_OK(BSD(faccessat, -1, "/", F_OK, 0), "absolute path with fd -1");
    EXPECT_OK(BSD(faccessat, 0x2222222200000000L | (unsigned)dfd, "f", 0x3333333300000000L | R_OK,
                  0x4444444400000000L | AT_EACCESS), "dirty high halves");

    EXPECT_ERR(BSD(faccessat, dfd, "f", F_OK, AT_REMOVEDIR), EINVAL, "AT_REMOVEDIR is not a faccessat flag");
    EXPECT_ERR(BSD(faccessat, -1, "f", F_OK, 0x40000000), EINVAL, "unknown flag before a bad descriptor");
    EXPECT_ERR(BSD(faccessat, -1, "f", F_OK, 0), EBADF, "relative path with fd -1");
    EXPECT_ERR(BSD(faccessat, 1111, "f", F_OK, 0), EBADF, "relative path with an unused descriptor");
    EXPECT_ERR(BSD(faccessat, ffd, "f", F_OK, 0), ENOTDIR, "relative path with a file descriptor");
    EXPECT_ERR(BSD(faccessat, dfd, BAD_PTR, F_OK, 0), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(faccessat, dfd, "", F_OK, 0), ENOENT, "empty path");
    EXPECT_ERR(BSD(faccessat, dfd, "f/x", F_OK, 0), ENOTDIR, "a file used as a directory");
    BSD(close, dfd);
    BSD(close, ffd);
    return t_done();
}
