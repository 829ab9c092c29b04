/* chown(2)/lchown(2) (BSD 16/364): chown follows symlinks and lchown changes the link itself; -1 (and
 * 0xffffffff) leaves an id alone; int arguments ignore their high halves; ENOENT, ENOTDIR, ELOOP, EFAULT,
 * ENAMETOOLONG. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    struct stat st, ls;
    BSD(close, BSD(open, "f", O_RDWR | O_CREAT, 0644).val);
    BSD(symlink, "f", "l");
    BSD(symlink, "loop", "loop");
    BSD(stat64, "f", &st);
    uid_t uid = st.st_uid;
    gid_t gid = st.st_gid;

    EXPECT_OK(BSD(chown, "f", -1, -1), "chown(-1, -1)");
    EXPECT_OK(BSD(chown, "f", uid, gid), "chown to the current ids");
    EXPECT_OK(BSD(chown, "f", 0xffffffffL, 0xffffffffL), "0xffffffff is -1");
    EXPECT_OK(BSD(lchown, "l", -1, -1), "lchown(-1, -1)");
    EXPECT_OK(BSD(chown, "f", 0x1234567800000000L | uid, 0x9abcdef000000000L | gid), "dirty high halves");
    BSD(stat64, "f", &st);
    CHECK(st.st_uid == uid && st.st_gid == gid, "unchanged");
    if (BSD0(geteuid).val == 0) {
        EXPECT_OK(BSD(chown, "l", 501, 20), "chown through a symlink");
        BSD(stat64, "f", &st);
        BSD(lstat64, "l", &ls);
        CHECK(st.st_uid == 501 && st.st_gid == 20, "the target changed");
        CHECK(ls.st_uid == uid && ls.st_gid == gid, "the link did not");
        EXPECT_OK(BSD(lchown, "l", 502, 21), "lchown a symlink");
        BSD(stat64, "f", &st);
        BSD(lstat64, "l", &ls);
        CHECK(ls.st_uid == 502 && ls.st_gid == 21, "the link changed");
        CHECK(st.st_uid == 501 && st.st_gid == 20, "the target did not");
        EXPECT_OK(BSD(lchown, "f", -1, 22), "lchown a file: group only");
        BSD(stat64, "f", &st);
        CHECK(st.st_uid == 501 && st.st_gid == 22, "group changed, owner kept");
        EXPECT_OK(BSD(lchown, "loop", 7, 7), "lchown a symlink loop changes the link");
        EXPECT_OK(BSD(chown, "f", 0xabcd000000000000L | 600, -1), "owner from the low half");
        BSD(stat64, "f", &st);
        CHECK(st.st_uid == 600, "owner 600");
    } else {
        EXPECT_ERR(BSD(chown, "f", 0, -1), EPERM, "giving a file away needs the superuser");
    }

    EXPECT_ERR(BSD(chown, "missing", -1, -1), ENOENT, "chown: missing file");
    EXPECT_ERR(BSD(lchown, "missing", -1, -1), ENOENT, "lchown: missing file");
    EXPECT_ERR(BSD(chown, "", -1, -1), ENOENT, "chown: empty path");
    EXPECT_ERR(BSD(lchown, "", -1, -1), ENOENT, "lchown: empty path");
    EXPECT_ERR(BSD(chown, "f/x", -1, -1), ENOTDIR, "chown: a file as a directory");
    EXPECT_ERR(BSD(lchown, "f/x", -1, -1), ENOTDIR, "lchown: a file as a directory");
    EXPECT_ERR(BSD(chown, "loop", -1, -1), ELOOP, "chown: a symlink loop");
    EXPECT_ERR(BSD(chown, BAD_PTR, -1, -1), EFAULT, "chown: path in unmapped memory");
    EXPECT_ERR(BSD(lchown, BAD_PTR, -1, -1), EFAULT, "lchown: path in unmapped memory");
    EXPECT_ERR(BSD(chown, 0, -1, -1), EFAULT, "chown: NULL path");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(chown, longpath, -1, -1), ENAMETOOLONG, "chown: path of 1101 bytes");
    EXPECT_ERR(BSD(lchown, longpath, -1, -1), ENAMETOOLONG, "lchown: path of 1101 bytes");
    longpath[1100] = 0;
    longpath[1020] = 'f';
    longpath[1021] = 0;
    EXPECT_OK(BSD(chown, longpath, -1, -1), "a path of 1022 bytes is fine");
    return t_done();
}
