/* link(2)/unlink(2) (BSD 9/10): hard links share an inode and count in st_nlink, an unlinked open file stays
 * readable, and the errors: EEXIST, ENOENT, ENOTDIR, EPERM for directories, EFAULT, ENAMETOOLONG. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    struct stat a, b;
    char buf[8];
    int fd = (int)EXPECT_OK(BSD(open, "a", O_RDWR | O_CREAT, 0644), "create a").val;
    BSD(write, fd, "data", 4);
    BSD(mkdir, "d", 0755);

    EXPECT_OK(BSD(link, "a", "b"), "link a b");
    BSD(stat64, "a", &a);
    BSD(stat64, "b", &b);
    CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "same inode");
    CHECK(a.st_nlink == 2 && b.st_nlink == 2, "st_nlink 2");
    EXPECT_OK(BSD(link, "b", "d/c"), "link into a subdirectory");
    BSD(fstat64, fd, &a);
    CHECK(a.st_nlink == 3, "st_nlink 3");

    EXPECT_ERR(BSD(link, "a", "b"), EEXIST, "link onto an existing name");
    EXPECT_ERR(BSD(link, "a", "d"), EEXIST, "link onto an existing directory");
    EXPECT_ERR(BSD(link, "missing", "x"), ENOENT, "link from a missing file");
    EXPECT_ERR(BSD(link, "a", "nodir/x"), ENOENT, "link into a missing directory");
    EXPECT_ERR(BSD(link, "a/x", "y"), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(link, "d", "d2"), EPERM, "hard link to a directory");
    EXPECT_ERR(BSD(link, BAD_PTR, "y"), EFAULT, "source path in unmapped memory");
    EXPECT_ERR(BSD(link, "a", BAD_PTR), EFAULT, "target path in unmapped memory");
    EXPECT_ERR(BSD(link, "", "y"), ENOENT, "empty source path");

    EXPECT_OK(BSD(unlink, "a"), "unlink a");
    EXPECT_ERR(BSD(stat64, "a", &a), ENOENT, "a is gone");
    BSD(stat64, "b", &b);
    CHECK(b.st_nlink == 2, "b has 2 links left");
    EXPECT_OK(BSD(unlink, "b"), "unlink b");
    EXPECT_OK(BSD(unlink, "d/c"), "unlink d/c");
    BSD(fstat64, fd, &a);
    CHECK(a.st_nlink == 0, "the open file has no links");
    CHECK(BSD(pread, fd, buf, 4, 0).val == 4 && !memcmp(buf, "data", 4), "still readable through the descriptor");
    BSD(close, fd);

    EXPECT_ERR(BSD(unlink, "a"), ENOENT, "unlink a missing file");
    EXPECT_ERR(BSD(unlink, "d"), EPERM, "unlink a directory (xnu vn_authorize_unlink: EPERM)");
    BSD(open, "f", O_RDONLY | O_CREAT, 0644);
    EXPECT_ERR(BSD(unlink, "f/x"), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(unlink, BAD_PTR), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(unlink, ""), ENOENT, "empty path");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(unlink, longpath), ENAMETOOLONG, "path of 1101 bytes");
    EXPECT_ERR(BSD(link, "f", longpath), ENAMETOOLONG, "link target of 1101 bytes");
    /* unlink removes a symlink, not its target. */
    BSD(symlink, "f", "l");
    EXPECT_OK(BSD(unlink, "l"), "unlink a symlink");
    EXPECT_OK(BSD(stat64, "f", &a), "its target remains");
    return t_done();
}
