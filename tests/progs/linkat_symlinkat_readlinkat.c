/* linkat(2), symlinkat(2), readlinkat(2) (BSD 471/474/473), and link(2) following a symlink source.
 * linkat: AT_SYMLINK_FOLLOW the only flag (EINVAL first); a symlink source is linked itself unless
 * AT_SYMLINK_FOLLOW; the source is looked up before the new name is even read (ENOENT and EPERM for a
 * directory win over a bad second path). symlinkat: the link text is copied in before the descriptor is
 * looked at. readlinkat: sizes past INT32_MAX are EINVAL first, a size of 0 reads nothing, a short buffer
 * gets a prefix, a non-link is EINVAL. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

static unsigned long ino_of(const char* p, int follow) {
    struct stat st;
    st.st_ino = 0;
    if (follow) BSD(stat64, p, &st);
    else BSD(lstat64, p, &st);
    return st.st_ino;
}

int main(void) {
    char buf[64];
    struct stat st;
    BSD(mkdir, "d", 0755);
    BSD(mkdir, "e", 0755);
    BSD(close, BSD(open, "d/f", O_RDWR | O_CREAT, 0644).val);
    BSD(symlink, "f", "d/sl");
    int dfd = (int)BSD(open, "d", O_RDONLY | O_DIRECTORY).val;
    int efd = (int)BSD(open, "e", O_RDONLY | O_DIRECTORY).val;
    int ffd = (int)BSD(open, "d/f", O_RDONLY).val;
    struct xres p = BSD0(pipe);

    /* linkat */
    EXPECT_OK(BSD(linkat, dfd, "f", efd, "g", 0), "linkat across two directory descriptors");
    CHECK(ino_of("e/g", 1) == ino_of("d/f", 1), "same inode");
    BSD(stat64, "d/f", &st);
    CHECK(st.st_nlink == 2, "two links");
    EXPECT_OK(BSD(linkat, AT_FDCWD, "d/f", AT_FDCWD, "h", 0), "linkat AT_FDCWD");
    EXPECT_OK(BSD(linkat, dfd, "sl", efd, "sl_nofollow", 0), "linkat of a symlink without AT_SYMLINK_FOLLOW");
    BSD(lstat64, "e/sl_nofollow", &st);
    CHECK(S_ISLNK(st.st_mode) && st.st_ino == ino_of("d/sl", 0), "links the symlink itself");
    EXPECT_OK(BSD(linkat, dfd, "sl", efd, "sl_follow", AT_SYMLINK_FOLLOW), "linkat with AT_SYMLINK_FOLLOW");
    BSD(lstat64, "e/sl_follow", &st);
    CHECK(S_ISREG(st.st_mode) && st.st_ino == ino_of("d/f", 1), "links the target");
    EXPECT_OK(BSD(link, "d/sl", "via_link"), "link(2) of a symlink");
    BSD(lstat64, "via_link", &st);
    CHECK(S_ISREG(st.st_mode) && st.st_ino == ino_of("d/f", 1), "link(2) follows the symlink (xnu link)");
    EXPECT_ERR(BSD(link, "missing", BAD_PTR), ENOENT, "link(2): the source is looked up first");
    EXPECT_ERR(BSD(link, "d", BAD_PTR), EPERM, "link(2): a directory source before the new name");
    EXPECT_OK(BSD(linkat, 0x1111111100000000L | (unsigned)dfd, "f", 0x2222222200000000L | (unsigned)efd, "hi",
                  0x3333333300000000L), "dirty high halves of both descriptors and the flag");

    EXPECT_ERR(BSD(linkat, dfd, "f", efd, "x", AT_SYMLINK_NOFOLLOW), EINVAL, "flag AT_SYMLINK_NOFOLLOW");
    EXPECT_ERR(BSD(linkat, dfd, "f", efd, "x", 0x10000), EINVAL, "an unknown flag");
    EXPECT_ERR(BSD(linkat, -1, BAD_PTR, -1, BAD_PTR, AT_REMOVEDIR), EINVAL, "the flag is checked first");
    EXPECT_ERR(BSD(linkat, dfd, "f", efd, "g", 0), EEXIST, "the new name exists");
    EXPECT_ERR(BSD(linkat, dfd, "missing", efd, "x", 0), ENOENT, "missing source");
    EXPECT_ERR(BSD(linkat, dfd, "missing", efd, BAD_PTR, 0), ENOENT, "missing source beats a bad new name");
    EXPECT_ERR(BSD(linkat, dfd, "missing", -1, "x", 0), ENOENT, "missing source beats a bad second descriptor");
    EXPECT_ERR(BSD(linkat, AT_FDCWD, "d", efd, "x", 0), EPERM, "a directory source");
    EXPECT_ERR(BSD(linkat, AT_FDCWD, "d", efd, BAD_PTR, 0), EPERM, "a directory source beats a bad new name");
    EXPECT_ERR(BSD(linkat, AT_FDCWD, "d", efd, "g", 0), EPERM, "a directory source beats an existing new name");
    EXPECT_ERR(BSD(linkat, AT_FDCWD, "d", -1, "x", 0), EPERM, "a directory source beats a bad second descriptor");
    EXPECT_ERR(BSD(linkat, AT_FDCWD, "d", efd, "no/x", 0), EPERM, "a directory source beats a missing directory");
    EXPECT_ERR(BSD(linkat, dfd, "f", efd, BAD_PTR, 0), EFAULT, "new name in unmapped memory");
    EXPECT_ERR(BSD(linkat, dfd, BAD_PTR, efd, "x", 0), EFAULT, "source in unmapped memory");
    EXPECT_ERR(BSD(linkat, dfd, "f", efd, "no/x", 0), ENOENT, "new name in a missing directory");
    EXPECT_ERR(BSD(linkat, dfd, "f", efd, "", 0), ENOENT, "empty new name");
    EXPECT_ERR(BSD(linkat, dfd, "", efd, "x", 0), ENOENT, "empty source");
    EXPECT_ERR(BSD(linkat, -1, "f", efd, "x", 0), EBADF, "relative source, dirfd -1");
    EXPECT_ERR(BSD(linkat, dfd, "f", -1, "x", 0), EBADF, "relative new name, dirfd -1");
    EXPECT_ERR(BSD(linkat, dfd, "f", 999, "x", 0), EBADF, "relative new name, dirfd not open");
    EXPECT_ERR(BSD(linkat, ffd, "f", efd, "x", 0), ENOTDIR, "relative source, dirfd a file");
    EXPECT_ERR(BSD(linkat, dfd, "f", ffd, "x", 0), ENOTDIR, "relative new name, dirfd a file");
    EXPECT_ERR(BSD(linkat, p.val, "f", efd, "x", 0), ENOTSUP, "relative source, dirfd a pipe");
    EXPECT_ERR(BSD(linkat, dfd, "f", p.val, "x", 0), ENOTSUP, "relative new name, dirfd a pipe");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'x';
    EXPECT_ERR(BSD(linkat, dfd, "f", efd, longpath, 0), ENAMETOOLONG, "new name of 1101 bytes");

    /* symlinkat */
    EXPECT_OK(BSD(symlinkat, "../d/f", efd, "s1"), "symlinkat relative to a directory");
    EXPECT_OK(BSD(stat64, "e/s1", &st), "it resolves from e");
    CHECK(st.st_ino == ino_of("d/f", 1), "to d/f");
    EXPECT_OK(BSD(symlinkat, "any text at all", AT_FDCWD, "s2"), "symlinkat AT_FDCWD, dangling text");
    EXPECT_OK(BSD(symlinkat, "t", 0x4444444400000000L | (unsigned)efd, "s3"), "dirfd with a dirty high half");
    EXPECT_ERR(BSD(symlinkat, "x", efd, "s1"), EEXIST, "the name exists");
    EXPECT_ERR(BSD(symlinkat, "x", efd, "no/s"), ENOENT, "in a missing directory");
    EXPECT_ERR(BSD(symlinkat, "x", efd, ""), ENOENT, "empty name");
    EXPECT_ERR(BSD(symlinkat, "x", -1, "s4"), EBADF, "relative name, dirfd -1");
    EXPECT_ERR(BSD(symlinkat, "x", ffd, "s4"), ENOTDIR, "relative name, dirfd a file");
    EXPECT_ERR(BSD(symlinkat, "x", p.val, "s4"), ENOTSUP, "relative name, dirfd a pipe");
    EXPECT_ERR(BSD(symlinkat, BAD_PTR, efd, "s4"), EFAULT, "link text in unmapped memory");
    EXPECT_ERR(BSD(symlinkat, BAD_PTR, -1, "s4"), EFAULT, "the text is copied before the descriptor is looked at");
    EXPECT_ERR(BSD(symlinkat, "x", efd, BAD_PTR), EFAULT, "name in unmapped memory");
    EXPECT_ERR(BSD(symlinkat, longpath, efd, "s4"), ENAMETOOLONG, "link text of 1101 bytes");
    EXPECT_ERR(BSD(symlinkat, longpath, -1, "s4"), ENAMETOOLONG, "... before the descriptor");

    /* readlinkat */
    memset(buf, 'Z', sizeof buf);
    struct xres r = EXPECT_OK(BSD(readlinkat, efd, "s1", buf, sizeof buf), "readlinkat");
    CHECK(r.val == 6 && !memcmp(buf, "../d/f", 6) && buf[6] == 'Z', "6 bytes, no NUL added");
    r = EXPECT_OK(BSD(readlinkat, AT_FDCWD, "s2", buf, sizeof buf), "readlinkat AT_FDCWD");
    CHECK(r.val == 15 && !memcmp(buf, "any text at all", 15), "the text as written");
    memset(buf, 'Z', sizeof buf);
    r = EXPECT_OK(BSD(readlinkat, efd, "s1", buf, 3), "a 3-byte buffer");
    CHECK(r.val == 3 && !memcmp(buf, "../", 3) && buf[3] == 'Z', "the first 3 bytes");
    r = EXPECT_OK(BSD(readlinkat, efd, "s1", buf, 0), "a 0-byte buffer");
    CHECK(r.val == 0, "reads nothing");
    r = EXPECT_OK(BSD(readlinkat, efd, "s1", 0, 0), "a NULL 0-byte buffer");
    CHECK(r.val == 0, "reads nothing");
    EXPECT_ERR(BSD(readlinkat, efd, "s1", buf, 0x80000000UL), EINVAL, "size 2^31");
    EXPECT_ERR(BSD(readlinkat, -1, BAD_PTR, buf, -1L), EINVAL, "size -1 is checked before anything else");
    EXPECT_ERR(BSD(readlinkat, efd, "g", buf, sizeof buf), EINVAL, "not a symlink");
    EXPECT_ERR(BSD(readlinkat, efd, "g", buf, 0), EINVAL, "not a symlink, size 0");
    EXPECT_ERR(BSD(readlinkat, efd, "missing", buf, sizeof buf), ENOENT, "missing");
    EXPECT_ERR(BSD(readlinkat, efd, "", buf, sizeof buf), ENOENT, "empty path");
    EXPECT_ERR(BSD(readlinkat, efd, "s1", BAD_PTR, sizeof buf), EFAULT, "buffer in unmapped memory");
    EXPECT_ERR(BSD(readlinkat, efd, BAD_PTR, buf, sizeof buf), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(readlinkat, -1, "s1", buf, sizeof buf), EBADF, "relative path, dirfd -1");
    EXPECT_ERR(BSD(readlinkat, ffd, "s1", buf, sizeof buf), ENOTDIR, "relative path, dirfd a file");
    EXPECT_ERR(BSD(readlinkat, p.val, "s1", buf, sizeof buf), ENOTSUP, "relative path, dirfd a pipe");
    EXPECT_ERR(BSD(readlinkat, efd, longpath, buf, sizeof buf), ENAMETOOLONG, "path of 1101 bytes");
    return t_done();
}
