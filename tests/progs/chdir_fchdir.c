/* chdir(2)/fchdir(2) (BSD 12/13): relative lookups follow the new cwd, ".." returns, fchdir on a directory
 * descriptor, and the errors: ENOENT, ENOTDIR, EFAULT, ENAMETOOLONG, EBADF, EINVAL for non-vnodes. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    struct stat st;
    BSD(mkdir, "a", 0755);
    BSD(mkdir, "a/b", 0755);
    BSD(close, BSD(open, "f", O_RDONLY | O_CREAT, 0644).val);
    int top = (int)BSD(open, ".", O_RDONLY).val;

    EXPECT_OK(BSD(chdir, "a"), "chdir a");
    BSD(close, BSD(open, "in_a", O_RDONLY | O_CREAT, 0644).val);
    EXPECT_OK(BSD(stat64, "../a/in_a", &st), "a file created relative to the new cwd is in a");
    EXPECT_OK(BSD(chdir, "b/../.."), "chdir b/../..");
    EXPECT_OK(BSD(stat64, "a/in_a", &st), "back at the top");
    EXPECT_OK(BSD(chdir, "a/b"), "chdir a/b");
    EXPECT_OK(BSD(fchdir, top), "fchdir to the top descriptor");
    EXPECT_OK(BSD(stat64, "f", &st), "relative lookups use it");
    int b = (int)BSD(open, "a/b", O_RDONLY | O_DIRECTORY).val;
    EXPECT_OK(BSD(fchdir, 0x7070707000000000L | (unsigned)b), "fchdir with a dirty high half");
    EXPECT_ERR(BSD(stat64, "f", &st), ENOENT, "now in a/b");
    EXPECT_OK(BSD(chdir, "/"), "chdir /");
    EXPECT_OK(BSD(stat64, "tmp", &st) , "relative to /");
    EXPECT_OK(BSD(fchdir, top), "fchdir back");
    BSD(symlink, "a", "la");
    EXPECT_OK(BSD(chdir, "la"), "chdir through a symlink");
    EXPECT_OK(BSD(stat64, "in_a", &st), "in a");
    BSD(fchdir, top);

    EXPECT_ERR(BSD(chdir, "missing"), ENOENT, "chdir to a missing directory");
    EXPECT_ERR(BSD(chdir, "f"), ENOTDIR, "chdir to a file");
    EXPECT_ERR(BSD(chdir, "f/x"), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(chdir, ""), ENOENT, "empty path");
    EXPECT_ERR(BSD(chdir, BAD_PTR), EFAULT, "path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'a';
    EXPECT_ERR(BSD(chdir, longpath), ENAMETOOLONG, "path of 1101 bytes");
    EXPECT_OK(BSD(stat64, "f", &st), "the cwd did not move on errors");

    int ffd = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_ERR(BSD(fchdir, ffd), ENOTDIR, "fchdir to a file");
    EXPECT_ERR(BSD(fchdir, -1), EBADF, "fchdir(-1)");
    EXPECT_ERR(BSD(fchdir, 654), EBADF, "fchdir to an unused descriptor");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fchdir, p.val), EINVAL, "fchdir to a pipe (xnu file_vnode: EINVAL)");
    BSD(close, b);
    EXPECT_ERR(BSD(fchdir, b), EBADF, "fchdir to a closed descriptor");
    EXPECT_OK(BSD(stat64, "f", &st), "still at the top");
    return t_done();
}
