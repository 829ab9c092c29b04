/* fchmodat(2)/fchownat(2) (BSD 467/468): relative to a directory descriptor or AT_FDCWD (-2), modes masked to
 * ALLPERMS, ids of -1 left alone, AT_SYMLINK_NOFOLLOW (fchownat changes the link itself),
 * AT_SYMLINK_NOFOLLOW_ANY (fchmodat only: ELOOP at a symlink in the middle of the path), unknown flags EINVAL
 * before anything else, and the lookup errors (EBADF, ENOTDIR, ENOENT, EFAULT, ENAMETOOLONG). */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

static unsigned mode_of(const char* p) {
    struct stat st;
    BSD(lstat64, p, &st);
    return st.st_mode;
}

int main(void) {
    struct stat st;
    BSD(umask, 0);
    BSD(mkdir, "d", 0755);
    BSD(close, BSD(open, "d/f", O_RDWR | O_CREAT, 0644).val);
    BSD(close, BSD(open, "top", O_RDWR | O_CREAT, 0644).val);
    BSD(symlink, "f", "d/l");
    BSD(symlink, "d", "ld");
    int dfd = (int)EXPECT_OK(BSD(open, "d", O_RDONLY | O_DIRECTORY), "open d").val;
    int ffd = (int)BSD(open, "top", O_RDONLY).val;

    /* fchmodat */
    EXPECT_OK(BSD(fchmodat, dfd, "f", 0600, 0), "fchmodat relative to a directory");
    CHECK(mode_of("d/f") == (S_IFREG | 0600), "mode 0600");
    EXPECT_OK(BSD(fchmodat, AT_FDCWD, "top", 0640, 0), "fchmodat AT_FDCWD");
    CHECK(mode_of("top") == (S_IFREG | 0640), "mode 0640");
    EXPECT_OK(BSD(fchmodat, dfd, "f", 04755, 0), "setuid kept (ALLPERMS)");
    CHECK(mode_of("d/f") == (S_IFREG | 04755), "mode 04755");
    EXPECT_OK(BSD(fchmodat, dfd, "f", S_IFDIR | 01644, 0), "type bits in the mode are dropped");
    CHECK(mode_of("d/f") == (S_IFREG | 01644), "still a regular file, mode 01644");
    EXPECT_OK(BSD(fchmodat, dfd, "l", 0604, 0), "a symlink is followed");
    CHECK(mode_of("d/f") == (S_IFREG | 0604), "the target changed");
    CHECK((mode_of("d/l") & S_IFMT) == S_IFLNK, "the link is still a link");
    EXPECT_OK(BSD(fchmodat, dfd, "f", 0644, AT_SYMLINK_NOFOLLOW), "AT_SYMLINK_NOFOLLOW on a file");
    CHECK(mode_of("d/f") == (S_IFREG | 0644), "mode 0644");
    EXPECT_OK(BSD(fchmodat, AT_FDCWD, "d/f", 0660, AT_SYMLINK_NOFOLLOW_ANY), "AT_SYMLINK_NOFOLLOW_ANY without symlinks");
    CHECK(mode_of("d/f") == (S_IFREG | 0660), "mode 0660");
    EXPECT_ERR(BSD(fchmodat, AT_FDCWD, "ld/f", 0600, AT_SYMLINK_NOFOLLOW_ANY), ELOOP,
               "AT_SYMLINK_NOFOLLOW_ANY with a symlink in the path");
    CHECK(mode_of("d/f") == (S_IFREG | 0660), "nothing changed");
    EXPECT_OK(BSD(fchmodat, AT_FDCWD, "ld/f", 0600, 0), "the same path without the flag");
    EXPECT_OK(BSD(fchmodat, 0x1234567800000000L | (unsigned)dfd, "f", 0xabcd000000000000L | 0644,
                  0xffffffff00000000L), "dirty high halves of fd, mode and flag");
    CHECK(mode_of("d/f") == (S_IFREG | 0644), "mode 0644");

    EXPECT_ERR(BSD(fchmodat, dfd, "f", 0600, AT_EACCESS), EINVAL, "flag AT_EACCESS");
    EXPECT_ERR(BSD(fchmodat, dfd, "f", 0600, AT_SYMLINK_FOLLOW), EINVAL, "flag AT_SYMLINK_FOLLOW");
    EXPECT_ERR(BSD(fchmodat, dfd, "f", 0600, 0x10000), EINVAL, "an unknown flag");
    EXPECT_ERR(BSD(fchmodat, -1, BAD_PTR, 0600, 0x10000), EINVAL, "the flag is checked before fd and path");
    EXPECT_ERR(BSD(fchmodat, dfd, "missing", 0600, 0), ENOENT, "missing file");
    EXPECT_ERR(BSD(fchmodat, dfd, "", 0600, 0), ENOENT, "empty path");
    EXPECT_ERR(BSD(fchmodat, AT_FDCWD, "top/x", 0600, 0), ENOTDIR, "a file as a directory");
    EXPECT_ERR(BSD(fchmodat, -1, "f", 0600, 0), EBADF, "relative path, dirfd -1");
    EXPECT_ERR(BSD(fchmodat, 999, "f", 0600, 0), EBADF, "relative path, dirfd not open");
    EXPECT_ERR(BSD(fchmodat, ffd, "f", 0600, 0), ENOTDIR, "relative path, dirfd a file");
    EXPECT_ERR(BSD(fchmodat, dfd, BAD_PTR, 0600, 0), EFAULT, "path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(fchmodat, AT_FDCWD, longpath, 0600, 0), ENAMETOOLONG, "path of 1101 bytes");

    /* fchownat */
    BSD(stat64, "d/f", &st);
    uid_t uid = st.st_uid;
    gid_t gid = st.st_gid;
    EXPECT_OK(BSD(fchownat, dfd, "f", -1, -1, 0), "fchownat(-1, -1) changes nothing");
    EXPECT_OK(BSD(fchownat, dfd, "f", uid, gid, 0), "fchownat to the current owner and group");
    EXPECT_OK(BSD(fchownat, AT_FDCWD, "d/f", 0xffffffff00000000L | uid, 0xabcdabcd00000000L | gid,
                  0x7777777700000000L), "dirty high halves of uid, gid and flag");
    BSD(stat64, "d/f", &st);
    CHECK(st.st_uid == uid && st.st_gid == gid, "ids unchanged");
    if (BSD0(geteuid).val == 0) {
        struct stat ls;
        EXPECT_OK(BSD(fchownat, dfd, "f", 4321, 8765, 0), "the superuser gives the file away");
        BSD(stat64, "d/f", &st);
        CHECK(st.st_uid == 4321 && st.st_gid == 8765, "new owner and group");
        EXPECT_OK(BSD(fchownat, dfd, "f", -1, 99, 0), "group only");
        BSD(stat64, "d/f", &st);
        CHECK(st.st_uid == 4321 && st.st_gid == 99, "owner kept, group changed");
        EXPECT_OK(BSD(fchownat, dfd, "l", 1111, 2222, AT_SYMLINK_NOFOLLOW), "AT_SYMLINK_NOFOLLOW on a symlink");
        BSD(lstat64, "d/l", &ls);
        BSD(stat64, "d/f", &st);
        CHECK(ls.st_uid == 1111 && ls.st_gid == 2222, "the link itself changed");
        CHECK(st.st_uid == 4321, "the target did not");
        EXPECT_OK(BSD(fchownat, dfd, "l", 3333, -1, 0), "without the flag the symlink is followed");
        BSD(lstat64, "d/l", &ls);
        BSD(stat64, "d/f", &st);
        CHECK(ls.st_uid == 1111 && st.st_uid == 3333, "the target changed, not the link");
    } else {
        EXPECT_ERR(BSD(fchownat, dfd, "f", 0, -1, 0), EPERM, "giving a file away needs the superuser");
    }

    EXPECT_ERR(BSD(fchownat, dfd, "f", -1, -1, AT_SYMLINK_NOFOLLOW_ANY), EINVAL,
               "AT_SYMLINK_NOFOLLOW_ANY is not a fchownat flag");
    EXPECT_ERR(BSD(fchownat, dfd, "f", -1, -1, AT_SYMLINK_FOLLOW), EINVAL, "flag AT_SYMLINK_FOLLOW");
    EXPECT_ERR(BSD(fchownat, -1, BAD_PTR, -1, -1, AT_EACCESS), EINVAL, "the flag is checked first");
    EXPECT_ERR(BSD(fchownat, dfd, "missing", -1, -1, 0), ENOENT, "missing file");
    EXPECT_ERR(BSD(fchownat, dfd, "", -1, -1, 0), ENOENT, "empty path");
    EXPECT_ERR(BSD(fchownat, AT_FDCWD, "top/x", -1, -1, 0), ENOTDIR, "a file as a directory");
    EXPECT_ERR(BSD(fchownat, -1, "f", -1, -1, 0), EBADF, "relative path, dirfd -1");
    EXPECT_ERR(BSD(fchownat, ffd, "f", -1, -1, 0), ENOTDIR, "relative path, dirfd a file");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fchownat, p.val, "f", -1, -1, 0), ENOTSUP, "relative path, dirfd a pipe");
    EXPECT_ERR(BSD(fchmodat, p.val, "f", 0600, 0), ENOTSUP, "fchmodat: relative path, dirfd a pipe");
    EXPECT_ERR(BSD(fchownat, dfd, BAD_PTR, -1, -1, 0), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(fchownat, AT_FDCWD, longpath, -1, -1, 0), ENAMETOOLONG, "path of 1101 bytes");
    /* An absolute path needs no descriptor. */
    char abs[1100];
    BSD(fcntl, dfd, F_GETPATH, abs);
    size_t n = strlen(abs);
    memcpy(abs + n, "/f", 3);
    EXPECT_OK(BSD(fchmodat, -1, abs, 0611, 0), "fchmodat: absolute path, dirfd -1");
    CHECK(mode_of("d/f") == (S_IFREG | 0611), "mode 0611");
    EXPECT_OK(BSD(fchownat, ffd, abs, -1, -1, 0), "fchownat: absolute path, dirfd a file");
    return t_done();
}
