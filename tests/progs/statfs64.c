/* statfs64(2)/fstatfs64(2)/getfsstat64(2) (BSD 345/346/347): the 2168-byte struct statfs of every x86_64
 * program (__DARWIN_64_BIT_INO_T), filled for the volume a path or descriptor is on: sizes, counts, names
 * (NUL-terminated), f_fsid.val[0] equal to st_dev, MNT_LOCAL|MNT_ROOTFS for "/"; getfsstat64's counting with
 * a NULL or short buffer. Errors: ENOENT, ENOTDIR, EFAULT (path, buffer), EBADF, EINVAL for a pipe. */
#include <sys/mount.h>
#include <sys/stat.h>
#undef BSD /* <sys/param.h>'s 199506; xnu.h's BSD() makes the calls */

#include "xnu.h"

_Static_assert(sizeof(struct statfs) == 2168, "INODE64 struct statfs");

static struct statfs all[64];

static int terminated(const char* s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!s[i]) return 1;
    return 0;
}

static int sane(const struct statfs* s) {
    return s->f_bsize > 0 && s->f_iosize > 0 && s->f_bfree <= s->f_blocks && s->f_bavail <= s->f_blocks &&
           s->f_ffree <= s->f_files && terminated(s->f_fstypename, sizeof s->f_fstypename) &&
           s->f_fstypename[0] && terminated(s->f_mntonname, sizeof s->f_mntonname) && s->f_mntonname[0] == '/' &&
           terminated(s->f_mntfromname, sizeof s->f_mntfromname);
}

int main(void) {
    struct statfs sf, sf2;
    struct stat st;
    unsigned char raw[2200];
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(symlink, "f", "l");

    memset(&sf, 0xa5, sizeof sf);
    EXPECT_OK(BSD(statfs64, ".", &sf), "statfs64 of the cwd");
    CHECK(sane(&sf), "sizes, counts and NUL-terminated names");
    BSD(stat64, ".", &st);
    CHECK(sf.f_fsid.val[0] == st.st_dev, "f_fsid.val[0] is the volume's st_dev");
    CHECK(sf.f_flags & MNT_LOCAL, "MNT_LOCAL");
    memset(&sf2, 0x5a, sizeof sf2);
    EXPECT_OK(BSD(fstatfs64, fd, &sf2), "fstatfs64 of a file in it");
    CHECK(sf2.f_fsid.val[0] == sf.f_fsid.val[0] && sf2.f_type == sf.f_type && sf2.f_flags == sf.f_flags &&
          !strcmp(sf2.f_fstypename, sf.f_fstypename) && !strcmp(sf2.f_mntonname, sf.f_mntonname) &&
          sf2.f_bsize == sf.f_bsize && sf2.f_blocks == sf.f_blocks, "the same volume");
    EXPECT_OK(BSD(statfs64, "l", &sf2), "statfs64 through a symlink");
    CHECK(sf2.f_fsid.val[0] == sf.f_fsid.val[0], "the same volume");
    memset(raw, 0x77, sizeof raw);
    EXPECT_OK(BSD(statfs64, ".", raw), "statfs64 into a larger buffer");
    CHECK(raw[2168] == 0x77 && raw[2199] == 0x77, "nothing written past 2168 bytes");

    EXPECT_OK(BSD(statfs64, "/", &sf2), "statfs64 of /");
    CHECK(!strcmp(sf2.f_mntonname, "/"), "mounted on /");
    CHECK((sf2.f_flags & (MNT_ROOTFS | MNT_LOCAL)) == (MNT_ROOTFS | MNT_LOCAL), "MNT_ROOTFS|MNT_LOCAL");
    CHECK(sane(&sf2), "sane");

    EXPECT_ERR(BSD(statfs64, "missing", &sf), ENOENT, "missing path");
    EXPECT_ERR(BSD(statfs64, "", &sf), ENOENT, "empty path");
    EXPECT_ERR(BSD(statfs64, "f/x", &sf), ENOTDIR, "a file as a directory");
    EXPECT_ERR(BSD(statfs64, BAD_PTR, &sf), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(statfs64, ".", BAD_PTR), EFAULT, "buffer in unmapped memory");
    EXPECT_ERR(BSD(statfs64, "missing", BAD_PTR), ENOENT, "the lookup comes before the copy-out");
    EXPECT_ERR(BSD(fstatfs64, -1, &sf), EBADF, "fstatfs64(-1)");
    EXPECT_ERR(BSD(fstatfs64, 999, &sf), EBADF, "fstatfs64 of a descriptor not open");
    EXPECT_ERR(BSD(fstatfs64, fd, BAD_PTR), EFAULT, "fstatfs64 into unmapped memory");
    EXPECT_ERR(BSD(fstatfs64, -1, BAD_PTR), EBADF, "the descriptor comes before the copy-out");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fstatfs64, p.val, &sf), EINVAL, "fstatfs64 of a pipe");
    EXPECT_OK(BSD(fstatfs64, 0x1234567800000000L | (unsigned)fd, &sf2), "fd with a dirty high half");

    /* getfsstat64 */
    struct xres r = EXPECT_OK(BSD(getfsstat64, 0, 0, MNT_NOWAIT), "getfsstat64(NULL): the count");
    long n = r.val;
    CHECK(n >= 1 && n <= 64, "at least one mount");
    r = EXPECT_OK(BSD(getfsstat64, all, (int)sizeof all, MNT_NOWAIT), "getfsstat64 into 64 entries");
    CHECK(r.val >= 1 && r.val <= n, "at most the count");
    int root = -1, same = -1;
    for (long i = 0; i < r.val; i++) {
        if (!strcmp(all[i].f_mntonname, "/")) root = (int)i;
        if (all[i].f_fsid.val[0] == sf.f_fsid.val[0] && !strcmp(all[i].f_mntonname, sf.f_mntonname)) same = (int)i;
    }
    CHECK(root >= 0 && (all[root].f_flags & MNT_ROOTFS), "the list has / with MNT_ROOTFS");
    CHECK(same >= 0 && sane(&all[same]) && !strcmp(all[same].f_fstypename, sf.f_fstypename), "and the cwd's volume");
    memset(raw, 0x77, sizeof raw);
    r = EXPECT_OK(BSD(getfsstat64, raw, 2168, MNT_WAIT), "a buffer for one entry");
    CHECK(r.val == 1, "returns 1");
    CHECK(raw[2168] == 0x77, "nothing written past it");
    r = EXPECT_OK(BSD(getfsstat64, raw, 2167, MNT_NOWAIT), "a buffer too small for one entry");
    CHECK(r.val == 0, "returns 0");
    r = EXPECT_OK(BSD(getfsstat64, 0, 2168, 0), "NULL buffer with a size");
    CHECK(r.val == n, "still the count");
    EXPECT_ERR(BSD(getfsstat64, BAD_PTR, 2168, MNT_NOWAIT), EFAULT, "buffer in unmapped memory");
    return t_done();
}
