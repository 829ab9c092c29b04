/* renameat(2) (BSD 465): each path relative to its own descriptor or AT_FDCWD, absolute paths, and EBADF /
 * ENOTDIR for bad descriptors on either side. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st;
    BSD(mkdir, "src", 0755);
    BSD(mkdir, "dst", 0755);
    BSD(close, BSD(open, "src/a", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "top", O_RDONLY | O_CREAT, 0644).val);
    int s = (int)BSD(open, "src", O_RDONLY | O_DIRECTORY).val;
    int d = (int)BSD(open, "dst", O_RDONLY | O_DIRECTORY).val;
    int f = (int)BSD(open, "top", O_RDONLY).val;

    EXPECT_OK(BSD(renameat, s, "a", d, "b"), "renameat between two directory descriptors");
    EXPECT_OK(BSD(stat64, "dst/b", &st), "dst/b exists");
    EXPECT_ERR(BSD(stat64, "src/a", &st), ENOENT, "src/a is gone");
    EXPECT_OK(BSD(renameat, d, "b", AT_FDCWD, "c"), "renameat to AT_FDCWD");
    EXPECT_OK(BSD(stat64, "c", &st), "c in the cwd");
    EXPECT_OK(BSD(renameat, AT_FDCWD, "c", s, "back"), "renameat from AT_FDCWD");
    EXPECT_OK(BSD(stat64, "src/back", &st), "src/back exists");
    EXPECT_OK(BSD(renameat, 0xffffffff00000000L | (unsigned)s, "back", 0x1111111100000000L | (unsigned)d, "x"),
              "descriptors with dirty high halves");
    EXPECT_OK(BSD(stat64, "dst/x", &st), "dst/x exists");
    EXPECT_OK(BSD(renameat, 0xfffffffeL, "dst/x", 0xfffffffeL, "dst/y"), "AT_FDCWD (-2) passed as 0xfffffffe");

    EXPECT_ERR(BSD(renameat, s, "nope", d, "z"), ENOENT, "missing source");
    EXPECT_ERR(BSD(renameat, -1, "top", d, "z"), EBADF, "source descriptor -1");
    EXPECT_ERR(BSD(renameat, s, "x", 999, "z"), EBADF, "unused target descriptor");
    EXPECT_ERR(BSD(renameat, f, "x", d, "z"), ENOTDIR, "a file as the source directory");
    EXPECT_ERR(BSD(renameat, AT_FDCWD, "top", f, "z"), ENOTDIR, "a file as the target directory");
    EXPECT_ERR(BSD(renameat, s, BAD_PTR, d, "z"), EFAULT, "source path in unmapped memory");
    EXPECT_ERR(BSD(renameat, s, "x", d, BAD_PTR), EFAULT, "target path in unmapped memory");
    BSD(close, s);
    BSD(close, d);
    BSD(close, f);
    return t_done();
}
