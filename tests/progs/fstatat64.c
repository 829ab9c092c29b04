/* fstatat64(2) (BSD 470): AT_FDCWD and directory descriptors, AT_SYMLINK_NOFOLLOW, absolute paths, unknown
 * flags (EINVAL before anything else), EBADF/ENOTDIR for the descriptor, EFAULT. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st, st2;
    BSD(mkdir, "d", 0755);
    int fd = (int)BSD(open, "d/f", O_RDWR | O_CREAT, 0644).val;
    BSD(write, fd, "12345", 5);
    BSD(close, fd);
    BSD(symlink, "f", "d/l");
    BSD(close, BSD(open, "top", O_RDONLY | O_CREAT, 0644).val);
    int dfd = (int)BSD(open, "d", O_RDONLY | O_DIRECTORY).val;
    int ffd = (int)BSD(open, "top", O_RDONLY).val;

    EXPECT_OK(BSD(fstatat64, dfd, "f", &st, 0), "relative to d");
    CHECK(S_ISREG(st.st_mode) && st.st_size == 5, "d/f: regular, 5 bytes");
    EXPECT_OK(BSD(fstatat64, AT_FDCWD, "d/f", &st2, 0), "AT_FDCWD");
    CHECK(st2.st_ino == st.st_ino, "same inode");
    EXPECT_OK(BSD(fstatat64, dfd, "l", &st2, 0), "a symlink is followed by default");
    CHECK(st2.st_ino == st.st_ino, "reports the target");
    EXPECT_OK(BSD(fstatat64, dfd, "l", &st2, AT_SYMLINK_NOFOLLOW), "AT_SYMLINK_NOFOLLOW");
    CHECK(S_ISLNK(st2.st_mode) && st2.st_size == 1, "the link itself");
    EXPECT_OK(BSD(fstatat64, -1, "/", &st2, 0), "absolute path with fd -1");
    CHECK(S_ISDIR(st2.st_mode), "/ is a directory");
    EXPECT_OK(BSD(fstatat64, 0x1111111100000000L | (unsigned)dfd, "f", &st2, 0x2222222200000000L),
              "dirty high halves of fd and flag");
    EXPECT_OK(BSD(fstatat64, 0xfffffffeL, "top", &st2, 0), "AT_FDCWD passed as 0xfffffffe");

    EXPECT_ERR(BSD(fstatat64, dfd, "f", &st, AT_REMOVEDIR), EINVAL, "AT_REMOVEDIR is not an fstatat flag");
    EXPECT_ERR(BSD(fstatat64, -1, BAD_PTR, BAD_PTR, 0x40000000), EINVAL, "unknown flag checked first");
    EXPECT_ERR(BSD(fstatat64, dfd, "top", &st, 0), ENOENT, "names resolve in d, not the cwd");
    EXPECT_ERR(BSD(fstatat64, -1, "f", &st, 0), EBADF, "relative path with fd -1");
    EXPECT_ERR(BSD(fstatat64, 3210, "f", &st, 0), EBADF, "relative path with an unused descriptor");
    EXPECT_ERR(BSD(fstatat64, ffd, "f", &st, 0), ENOTDIR, "relative path with a file descriptor");
    EXPECT_ERR(BSD(fstatat64, dfd, "", &st, 0), ENOENT, "empty path");
    EXPECT_ERR(BSD(fstatat64, dfd, BAD_PTR, &st, 0), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(fstatat64, dfd, "f", BAD_PTR, 0), EFAULT, "buffer in unmapped memory");
    BSD(close, dfd);
    BSD(close, ffd);
    return t_done();
}
