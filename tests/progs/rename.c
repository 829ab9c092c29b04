/* rename(2) (BSD 128): files and directories, replacing the target, rename onto itself, and the errors:
 * ENOENT, EISDIR, ENOTDIR, ENOTEMPTY, EINVAL (into its own subtree, "."), EFAULT, ENAMETOOLONG. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

static void make_file(const char* name, const char* data) {
    struct xres r = BSD(open, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    BSD(write, r.val, data, strlen(data));
    BSD(close, r.val);
}

int main(void) {
    struct stat st, st2;
    char buf[8];
    make_file("a", "AAA");
    make_file("b", "B");
    BSD(mkdir, "d", 0755);
    BSD(mkdir, "e", 0755);
    BSD(mkdir, "full", 0755);
    make_file("full/x", "x");

    BSD(stat64, "a", &st);
    EXPECT_OK(BSD(rename, "a", "c"), "rename a c");
    EXPECT_ERR(BSD(stat64, "a", &st2), ENOENT, "a is gone");
    BSD(stat64, "c", &st2);
    CHECK(st.st_ino == st2.st_ino && st2.st_size == 3, "c is the same file");
    EXPECT_OK(BSD(rename, "c", "b"), "rename onto an existing file");
    int fd = (int)BSD(open, "b", O_RDONLY).val;
    CHECK(BSD(read, fd, buf, sizeof buf).val == 3 && !memcmp(buf, "AAA", 3), "b now holds a's data");
    BSD(close, fd);
    EXPECT_OK(BSD(rename, "b", "d/b"), "move into a directory");
    EXPECT_OK(BSD(stat64, "d/b", &st), "d/b exists");
    EXPECT_OK(BSD(rename, "d/b", "d/b"), "rename onto itself");
    EXPECT_OK(BSD(stat64, "d/b", &st), "still there");
    EXPECT_OK(BSD(rename, "d", "d2"), "rename a directory");
    EXPECT_OK(BSD(stat64, "d2/b", &st), "its contents moved along");
    EXPECT_OK(BSD(rename, "d2", "e"), "rename a directory onto an empty directory");
    EXPECT_OK(BSD(stat64, "e/b", &st), "e is the old d2");

    make_file("f", "f");
    BSD(mkdir, "g", 0755);
    EXPECT_ERR(BSD(rename, "missing", "x"), ENOENT, "rename a missing file");
    EXPECT_ERR(BSD(rename, "f", "nodir/x"), ENOENT, "rename into a missing directory");
    EXPECT_ERR(BSD(rename, "f", "g"), EISDIR, "a file onto a directory");
    EXPECT_ERR(BSD(rename, "g", "f"), ENOTDIR, "a directory onto a file");
    EXPECT_ERR(BSD(rename, "f/x", "y"), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(rename, "g", "full"), ENOTEMPTY, "a directory onto a non-empty directory");
    EXPECT_ERR(BSD(rename, "g", "g/sub"), EINVAL, "a directory into itself");
    BSD(mkdir, "g/h", 0755);
    EXPECT_ERR(BSD(rename, "g", "g/h/sub"), EINVAL, "a directory into its own subdirectory");
    EXPECT_ERR(BSD(rename, BAD_PTR, "y"), EFAULT, "source path in unmapped memory");
    EXPECT_ERR(BSD(rename, "f", BAD_PTR), EFAULT, "target path in unmapped memory");
    EXPECT_ERR(BSD(rename, "", "y"), ENOENT, "empty source path");
    EXPECT_ERR(BSD(rename, "f", ""), ENOENT, "empty target path");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(rename, longpath, "y"), ENAMETOOLONG, "source path of 1101 bytes");
    EXPECT_ERR(BSD(rename, "f", longpath), ENAMETOOLONG, "target path of 1101 bytes");
    EXPECT_OK(BSD(stat64, "f", &st), "f untouched by the failures");
    /* A symlink is renamed itself, not its target. */
    BSD(symlink, "f", "l");
    EXPECT_OK(BSD(rename, "l", "l2"), "rename a symlink");
    EXPECT_OK(BSD(lstat64, "l2", &st), "l2 exists");
    CHECK(S_ISLNK(st.st_mode), "and is still a symlink");
    EXPECT_OK(BSD(stat64, "f", &st), "target unchanged");
    return t_done();
}
