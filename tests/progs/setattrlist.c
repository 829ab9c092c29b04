/* setattrlist(2)/fsetattrlist(2) (BSD 221/229) beyond times: ATTR_CMN_ACCESSMASK (libc's lchmod with
 * FSOPT_NOFOLLOW), OWNERID/GRPID, FLAGS, several attributes in one buffer unpacked in bit order, an all-zero
 * Finder info (removes nothing), removing an ACL, and the EINVAL checks XNU makes on the buffer: too short,
 * a malformed kauth_filesec, ATTR_FILE_DEVTYPE. */
#include <sys/attr.h>
#include <sys/stat.h>
#undef BSD /* <sys/param.h>'s 199506; xnu.h's BSD() makes the calls */

#include "xnu.h"

#define KAUTH_FILESEC_MAGIC 0x012cc16d /* bsd/sys/kauth.h */
#define KAUTH_FILESEC_NOACL 0xffffffffu

struct filesec { /* kauth_filesec with no entries: 44 bytes */
    unsigned magic;
    unsigned char owner[16], group[16];
    unsigned entrycount, flags;
};

int main(void) {
    struct stat st;
    BSD(umask, 0);
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(symlink, "f", "l");

    struct attrlist a = {ATTR_BIT_MAP_COUNT, 0, ATTR_CMN_ACCESSMASK, 0, 0, 0, 0};
    unsigned mode = 0600;
    EXPECT_OK(BSD(setattrlist, "f", &a, &mode, sizeof mode, 0), "ATTR_CMN_ACCESSMASK");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0600), "mode 0600");
    mode = 0640;
    EXPECT_OK(BSD(setattrlist, "f", &a, &mode, sizeof mode, FSOPT_NOFOLLOW), "lchmod of a file");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0640), "mode 0640");
    mode = 0604;
    EXPECT_OK(BSD(setattrlist, "l", &a, &mode, sizeof mode, 0), "chmod through a symlink");
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0604), "the target's mode");
    mode = 02644;
    EXPECT_OK(BSD(fsetattrlist, fd, &a, &mode, sizeof mode, 0), "fsetattrlist ATTR_CMN_ACCESSMASK");
    BSD(fstat64, fd, &st);
    CHECK(st.st_mode == (S_IFREG | 02644), "mode 02644");

    /* Several attributes: MODTIME, ACCTIME, OWNERID, GRPID, ACCESSMASK, FLAGS, in that order. */
    BSD(stat64, "f", &st);
    struct __attribute__((packed)) {
        struct timespec m, ac;
        unsigned uid, gid, mode, flags;
    } many = {{1500000000, 1}, {1400000000, 2}, st.st_uid, st.st_gid, 0755, UF_NODUMP};
    a.commonattr = ATTR_CMN_MODTIME | ATTR_CMN_ACCTIME | ATTR_CMN_OWNERID | ATTR_CMN_GRPID | ATTR_CMN_ACCESSMASK |
                   ATTR_CMN_FLAGS;
    EXPECT_OK(BSD(setattrlist, "f", &a, &many, sizeof many, 0), "six attributes at once");
    BSD(stat64, "f", &st);
    CHECK(st.st_mtimespec.tv_sec == 1500000000 && st.st_mtimespec.tv_nsec == 1, "mtime");
    CHECK(st.st_atimespec.tv_sec == 1400000000 && st.st_atimespec.tv_nsec == 2, "atime");
    CHECK(st.st_mode == (S_IFREG | 0755) && st.st_flags == UF_NODUMP, "mode and flags");
    EXPECT_ERR(BSD(setattrlist, "f", &a, &many, sizeof many - 1, 0), EINVAL, "one byte short");
    if (BSD0(geteuid).val == 0) {
        unsigned ids[2] = {1234, 5678};
        a.commonattr = ATTR_CMN_OWNERID | ATTR_CMN_GRPID;
        EXPECT_OK(BSD(setattrlist, "l", &a, ids, sizeof ids, FSOPT_NOFOLLOW), "lchown through setattrlist");
        BSD(lstat64, "l", &st);
        CHECK(st.st_uid == 1234 && st.st_gid == 5678, "the link's owner");
        BSD(stat64, "f", &st);
        CHECK(st.st_uid != 1234, "not the target's");
    }

    /* The unpacking order: SCRIPT (4 bytes) and CRTIME come before MODTIME. */
    struct __attribute__((packed)) {
        unsigned script;
        struct timespec cr, m;
    } ordered = {0, {1, 0}, {1600000000, 3}};
    a.commonattr = ATTR_CMN_SCRIPT | ATTR_CMN_CRTIME | ATTR_CMN_MODTIME;
    EXPECT_OK(BSD(setattrlist, "f", &a, &ordered, sizeof ordered, 0), "SCRIPT, CRTIME, MODTIME");
    BSD(stat64, "f", &st);
    CHECK(st.st_mtimespec.tv_sec == 1600000000 && st.st_mtimespec.tv_nsec == 3, "mtime from the third field");

    /* Finder info: 32 bytes; all zeros removes it. */
    unsigned char finder[32];
    memset(finder, 0, sizeof finder);
    a.commonattr = ATTR_CMN_FNDRINFO;
    EXPECT_OK(BSD(setattrlist, "f", &a, finder, sizeof finder, 0), "all-zero Finder info");
    EXPECT_ERR(BSD(setattrlist, "f", &a, finder, 31, 0), EINVAL, "Finder info one byte short");

    /* ATTR_CMN_EXTENDED_SECURITY: an attrreference to a kauth_filesec. */
    struct {
        attrreference_t ref;
        struct filesec fs;
    } sec;
    memset(&sec, 0, sizeof sec);
    sec.ref.attr_dataoffset = sizeof sec.ref;
    sec.ref.attr_length = sizeof sec.fs;
    sec.fs.magic = KAUTH_FILESEC_MAGIC;
    sec.fs.entrycount = KAUTH_FILESEC_NOACL;
    a.commonattr = ATTR_CMN_EXTENDED_SECURITY;
    EXPECT_OK(BSD(setattrlist, "f", &a, &sec, sizeof sec, 0), "remove the ACL");
    sec.fs.magic = 0x12345678;
    EXPECT_ERR(BSD(setattrlist, "f", &a, &sec, sizeof sec, 0), EINVAL, "a filesec with a bad magic");
    sec.fs.magic = KAUTH_FILESEC_MAGIC;
    sec.ref.attr_length = 40;
    EXPECT_ERR(BSD(setattrlist, "f", &a, &sec, sizeof sec, 0), EINVAL, "a filesec with the wrong length");
    sec.ref.attr_length = sizeof sec.fs;
    sec.ref.attr_dataoffset = -8;
    EXPECT_ERR(BSD(setattrlist, "f", &a, &sec, sizeof sec, 0), EINVAL, "a negative data offset");
    sec.ref.attr_dataoffset = sizeof sec.ref;
    sec.fs.entrycount = 1;
    sec.ref.attr_length = sizeof sec.fs + 24;
    EXPECT_ERR(BSD(setattrlist, "f", &a, &sec, sizeof sec, 0), EINVAL, "an ACL entry past the buffer");
    EXPECT_ERR(BSD(setattrlist, "f", &a, &sec, 4, 0), EINVAL, "no room for the attrreference");

    /* ATTR_FILE_DEVTYPE is settable in the mask but refused. */
    a.commonattr = 0;
    a.fileattr = ATTR_FILE_DEVTYPE;
    unsigned dev = 0;
    EXPECT_ERR(BSD(setattrlist, "f", &a, &dev, sizeof dev, 0), EINVAL, "ATTR_FILE_DEVTYPE");

    a.fileattr = 0;
    a.commonattr = ATTR_CMN_ACCESSMASK;
    mode = 0644;
    EXPECT_ERR(BSD(setattrlist, "missing", &a, &mode, sizeof mode, 0), ENOENT, "missing file");
    EXPECT_ERR(BSD(setattrlist, BAD_PTR, &a, &mode, sizeof mode, 0), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(setattrlist, "", &a, &mode, sizeof mode, 0), ENOENT, "empty path");
    EXPECT_ERR(BSD(fsetattrlist, -1, &a, &mode, sizeof mode, 0), EBADF, "fsetattrlist(-1)");
    EXPECT_ERR(BSD(fsetattrlist, -1, BAD_PTR, &mode, sizeof mode, 0), EBADF, "the descriptor comes first");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fsetattrlist, p.val, &a, &mode, sizeof mode, 0), EINVAL, "fsetattrlist on a pipe");
    EXPECT_ERR(BSD(fsetattrlist, fd, BAD_PTR, &mode, sizeof mode, 0), EFAULT, "attrlist in unmapped memory");
    return t_done();
}
