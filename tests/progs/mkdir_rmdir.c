/* mkdir(2)/rmdir(2) (BSD 136/137): creation mode (0777 bits only, minus umask), st_nlink, and the errors:
 * EEXIST, ENOENT, ENOTDIR, ENOTEMPTY, EINVAL for ".", EFAULT, ENAMETOOLONG. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    struct stat st;
    BSD(umask, 022);
    EXPECT_OK(BSD(mkdir, "d", 0777), "mkdir d 0777");
    EXPECT_OK(BSD(stat64, "d", &st), "stat64 d");
    CHECK(st.st_mode == (S_IFDIR | 0755), "S_IFDIR | 0755 after umask 022");
    CHECK(st.st_nlink == 2, "an empty directory has 2 links");
    CHECK(st.st_size >= 0, "size is not negative");
    BSD(umask, 0);
    /* xnu mkdir: (mode & ACCESSPERMS) & ~umask: setuid, setgid and sticky are dropped. */
    EXPECT_OK(BSD(mkdir, "s", 07777), "mkdir with mode 07777");
    BSD(stat64, "s", &st);
    CHECK(st.st_mode == (S_IFDIR | 0777), "only the 0777 bits kept");
    EXPECT_OK(BSD(mkdir, "h", 0xffffffff00000000L | 0700), "mode with a dirty high half");
    BSD(stat64, "h", &st);
    CHECK(st.st_mode == (S_IFDIR | 0700), "mode 0700");
    EXPECT_OK(BSD(mkdir, "d/sub/", 0755), "mkdir with a trailing slash");
    EXPECT_OK(BSD(stat64, "d/sub", &st), "d/sub exists");
    CHECK(S_ISDIR(st.st_mode), "and is a directory");

    BSD(close, BSD(open, "f", O_RDONLY | O_CREAT, 0644).val);
    BSD(symlink, "d", "l");
    EXPECT_ERR(BSD(mkdir, "d", 0755), EEXIST, "mkdir an existing directory");
    EXPECT_ERR(BSD(mkdir, "f", 0755), EEXIST, "mkdir over a file");
    EXPECT_ERR(BSD(mkdir, "l", 0755), EEXIST, "mkdir over a symlink");
    EXPECT_ERR(BSD(mkdir, "nodir/x", 0755), ENOENT, "mkdir in a missing directory");
    EXPECT_ERR(BSD(mkdir, "f/x", 0755), ENOTDIR, "mkdir under a file");
    EXPECT_ERR(BSD(mkdir, "", 0755), ENOENT, "mkdir of an empty path");
    EXPECT_ERR(BSD(mkdir, BAD_PTR, 0755), EFAULT, "path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'n';
    EXPECT_ERR(BSD(mkdir, longpath, 0755), ENAMETOOLONG, "path of 1101 bytes");

    BSD(close, BSD(open, "d/sub/x", O_RDONLY | O_CREAT, 0644).val);
    EXPECT_ERR(BSD(rmdir, "d/sub"), ENOTEMPTY, "rmdir a non-empty directory");
    EXPECT_ERR(BSD(rmdir, "f"), ENOTDIR, "rmdir a file");
    EXPECT_ERR(BSD(rmdir, "l"), ENOTDIR, "rmdir a symlink to a directory");
    EXPECT_ERR(BSD(rmdir, "missing"), ENOENT, "rmdir a missing directory");
    EXPECT_ERR(BSD(rmdir, "f/x"), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(rmdir, "d/sub/."), EINVAL, "rmdir '.' (xnu vn_authorize_rmdir)");
    EXPECT_ERR(BSD(rmdir, ""), ENOENT, "empty path");
    EXPECT_ERR(BSD(rmdir, BAD_PTR), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(rmdir, longpath), ENAMETOOLONG, "path of 1101 bytes");
    BSD(unlink, "d/sub/x");
    EXPECT_OK(BSD(rmdir, "d/sub"), "rmdir the now empty directory");
    EXPECT_ERR(BSD(stat64, "d/sub", &st), ENOENT, "it is gone");
    EXPECT_OK(BSD(rmdir, "s"), "rmdir s");
    EXPECT_OK(BSD(rmdir, "h/"), "rmdir with a trailing slash");
    return t_done();
}
