/* access(2) (BSD 33): F_OK/R_OK/W_OK/X_OK on files and directories, symlinks followed, undefined mode bits
 * ignored (xnu access1 never rejects them), and ENOENT/ENOTDIR/EACCES/EFAULT/ENAMETOOLONG. */
#include "xnu.h"

#include <unistd.h>

static char longpath[1200];

int main(void) {
    BSD(umask, 0);
    BSD(close, BSD(open, "f", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "x", O_RDONLY | O_CREAT, 0755).val);
    BSD(mkdir, "d", 0755);
    BSD(symlink, "f", "l");
    BSD(symlink, "missing", "dangling");

    EXPECT_OK(BSD(access, "f", F_OK), "F_OK on a file");
    EXPECT_OK(BSD(access, "f", R_OK), "R_OK on a 0644 file");
    EXPECT_OK(BSD(access, "f", R_OK | W_OK), "R_OK|W_OK on a 0644 file");
    EXPECT_ERR(BSD(access, "f", X_OK), EACCES, "X_OK on a 0644 file");
    EXPECT_ERR(BSD(access, "f", R_OK | X_OK), EACCES, "R_OK|X_OK fails as a whole");
    EXPECT_OK(BSD(access, "x", X_OK), "X_OK on a 0755 file");
    EXPECT_OK(BSD(access, "d", R_OK | W_OK | X_OK), "R_OK|W_OK|X_OK on a 0755 directory");
    EXPECT_OK(BSD(access, "l", R_OK), "through a symlink");
    EXPECT_ERR(BSD(access, "dangling", F_OK), ENOENT, "a dangling symlink is followed");
    EXPECT_OK(BSD(access, "f", 0x1234567800000000L | R_OK), "mode with a dirty high half");
    EXPECT_OK(BSD(access, "f", 0x8), "undefined mode bit 0x8 is ignored");
    EXPECT_OK(BSD(access, "f", 0x80 | R_OK), "undefined mode bit 0x80 is ignored");

    EXPECT_ERR(BSD(access, "missing", F_OK), ENOENT, "a missing file");
    EXPECT_ERR(BSD(access, "nodir/f", F_OK), ENOENT, "in a missing directory");
    EXPECT_ERR(BSD(access, "f/x", F_OK), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(access, "", F_OK), ENOENT, "empty path");
    EXPECT_ERR(BSD(access, BAD_PTR, F_OK), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(access, 0, F_OK), EFAULT, "NULL path");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(access, longpath, F_OK), ENAMETOOLONG, "path of 1101 bytes");
    return t_done();
}
