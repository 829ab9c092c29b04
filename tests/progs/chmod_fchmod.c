/* chmod(2)/fchmod(2) (BSD 15/124): the permission bits including setuid, file-type bits in the argument
 * ignored, 32-bit mode argument, ENOENT/ENOTDIR/EFAULT/ENAMETOOLONG, EBADF, EINVAL for non-vnodes. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    struct stat st;
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(mkdir, "d", 0755);

    EXPECT_OK(BSD(chmod, "f", 0600), "chmod 0600");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0600), "S_IFREG | 0600");
    EXPECT_OK(BSD(chmod, "f", 04755), "chmod 04755");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 04755), "setuid kept by chmod");
    EXPECT_OK(BSD(chmod, "f", S_IFDIR | 0640), "file-type bits in the mode are ignored");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0640), "still S_IFREG | 0640");
    EXPECT_OK(BSD(chmod, "f", 0x5a5a5a5a00000000L | 0604), "mode with a dirty high half");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0604), "mode 0604");
    EXPECT_OK(BSD(chmod, "d", 0700), "chmod a directory");
    BSD(stat64, "d", &st);
    CHECK(st.st_mode == (S_IFDIR | 0700), "S_IFDIR | 0700");
    BSD(symlink, "f", "l");
    EXPECT_OK(BSD(chmod, "l", 0664), "chmod follows a symlink");
    BSD(stat64, "f", &st);
    CHECK((st.st_mode & 07777) == 0664, "the target changed");

    EXPECT_OK(BSD(fchmod, fd, 0640), "fchmod 0640");
    BSD(fstat64, fd, &st);
    CHECK(st.st_mode == (S_IFREG | 0640), "S_IFREG | 0640");
    EXPECT_OK(BSD(fchmod, 0x1000000000000000L | (unsigned)fd, 0xffffffff00000000L | 0444), "fchmod with dirty high halves");
    BSD(fstat64, fd, &st);
    CHECK(st.st_mode == (S_IFREG | 0444), "S_IFREG | 0444");
    CHECK(BSD(write, fd, "x", 1).val == 1, "an open descriptor keeps its access");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_OK(BSD(fchmod, ro, 0644), "fchmod through an O_RDONLY descriptor");

    EXPECT_ERR(BSD(chmod, "missing", 0644), ENOENT, "chmod a missing file");
    EXPECT_ERR(BSD(chmod, "f/x", 0644), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(chmod, "", 0644), ENOENT, "empty path");
    EXPECT_ERR(BSD(chmod, BAD_PTR, 0644), EFAULT, "path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(chmod, longpath, 0644), ENAMETOOLONG, "path of 1101 bytes");
    EXPECT_ERR(BSD(fchmod, -1, 0644), EBADF, "fchmod(-1)");
    EXPECT_ERR(BSD(fchmod, 4321, 0644), EBADF, "fchmod of an unused descriptor");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fchmod, p.val, 0644), EINVAL, "fchmod of a pipe (xnu file_vnode: EINVAL)");
    BSD(close, fd);
    EXPECT_ERR(BSD(fchmod, fd, 0644), EBADF, "fchmod of a closed descriptor");
    return t_done();
}
