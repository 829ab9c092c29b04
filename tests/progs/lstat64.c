/* lstat64(2) (BSD 340): symlinks themselves (S_IFLNK, st_size = text length), dangling links, a symlink in a
 * non-final component still followed, and the error paths. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st, st2;
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(write, fd, "abc", 3);
    BSD(close, fd);
    BSD(mkdir, "d", 0755);
    BSD(close, BSD(open, "d/in", O_RDONLY | O_CREAT, 0644).val);
    BSD(symlink, "f", "l");
    BSD(symlink, "d", "ld");
    BSD(symlink, "does/not/exist", "dangling");

    EXPECT_OK(BSD(lstat64, "f", &st), "lstat64 a file");
    CHECK(S_ISREG(st.st_mode) && st.st_size == 3 && st.st_nlink == 1, "same as stat64 for a file");
    EXPECT_OK(BSD(lstat64, "l", &st2), "lstat64 a symlink");
    CHECK(S_ISLNK(st2.st_mode), "S_IFLNK");
    CHECK(st2.st_size == 1, "st_size is the length of the text \"f\"");
    CHECK(st2.st_ino != st.st_ino, "its own inode");
    EXPECT_OK(BSD(lstat64, "dangling", &st2), "lstat64 a dangling symlink");
    CHECK(S_ISLNK(st2.st_mode) && st2.st_size == 14, "S_IFLNK, 14 bytes of text");
    EXPECT_OK(BSD(lstat64, "ld/in", &st2), "a symlink before the last component is followed");
    CHECK(S_ISREG(st2.st_mode), "reaches d/in");
    EXPECT_OK(BSD(lstat64, "ld", &st2), "lstat64 a symlink to a directory");
    CHECK(S_ISLNK(st2.st_mode), "S_IFLNK, not S_IFDIR");
    EXPECT_OK(BSD(lstat64, "ld/", &st2), "a trailing slash follows the link");
    CHECK(S_ISDIR(st2.st_mode), "S_IFDIR");

    EXPECT_ERR(BSD(lstat64, "missing", &st), ENOENT, "a missing name");
    EXPECT_ERR(BSD(lstat64, "dangling/x", &st), ENOENT, "through a dangling link");
    EXPECT_ERR(BSD(lstat64, "f/x", &st), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(lstat64, "", &st), ENOENT, "empty path");
    EXPECT_ERR(BSD(lstat64, BAD_PTR, &st), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(lstat64, "l", BAD_PTR), EFAULT, "buffer in unmapped memory");
    return t_done();
}
