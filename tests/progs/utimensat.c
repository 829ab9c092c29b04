/* utimensat/futimens as libc makes them (xnu libsyscall/wrappers/utimensat.c): UTIME_NOW (-1) and UTIME_OMIT
 * (-2) are resolved in user space and the times go to setattrlistat(2)/fsetattrlist(2) (BSD 524/229) as
 * ATTR_CMN_MODTIME then ATTR_CMN_ACCTIME, with FSOPT_NOFOLLOW for AT_SYMLINK_NOFOLLOW and FSOPT_UTIMES_NULL
 * when both are UTIME_NOW. Also the checks of setattrlist_internal: the lookup first, then the attrlist
 * (EFAULT, EINVAL for a bad bitmap count or unsettable bits), an empty request, the buffer size (ENOMEM past
 * 8192), the buffer (EFAULT) and its length (EINVAL). */
#include <sys/attr.h>
#include <sys/stat.h>
#include <sys/time.h>
#undef BSD /* <sys/param.h>'s 199506; xnu.h's BSD() makes the calls */

#include "xnu.h"

#define FSOPT_UTIMES_NULL 0x400 /* bsd/sys/attr_private.h */

static int prepare(struct timespec in[2], struct timespec out[2], size_t* size, int* flags) {
    if (in[0].tv_nsec == UTIME_OMIT && in[1].tv_nsec == UTIME_OMIT) return 0;
    if (in[0].tv_nsec == UTIME_NOW || in[1].tv_nsec == UTIME_NOW) {
        if (in[0].tv_nsec == UTIME_NOW && in[1].tv_nsec == UTIME_NOW) *flags |= FSOPT_UTIMES_NULL;
        struct timeval tv;
        BSD(gettimeofday, &tv, 0, 0);
        struct timespec now = {tv.tv_sec, tv.tv_usec * 1000};
        if (in[0].tv_nsec == UTIME_NOW) in[0] = now;
        if (in[1].tv_nsec == UTIME_NOW) in[1] = now;
    }
    int attrs = 0;
    struct timespec* cur = out;
    *size = 0;
    if (in[1].tv_nsec != UTIME_OMIT) attrs |= ATTR_CMN_MODTIME, *cur++ = in[1], *size += sizeof(struct timespec);
    if (in[0].tv_nsec != UTIME_OMIT) attrs |= ATTR_CMN_ACCTIME, *cur = in[0], *size += sizeof(struct timespec);
    return attrs;
}

static struct xres t_utimensat(int fd, const char* path, const struct timespec* times, int flags) {
    struct timespec in[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}}, out[2] = {{0, 0}, {0, 0}};
    if (times) memcpy(in, times, sizeof in);
    size_t size = 0;
    int fl = 0;
    struct attrlist a = {ATTR_BIT_MAP_COUNT, 0, 0, 0, 0, 0, 0};
    a.commonattr = prepare(in, out, &size, &fl);
    if (flags & AT_SYMLINK_NOFOLLOW) fl |= FSOPT_NOFOLLOW;
    if (flags & AT_SYMLINK_NOFOLLOW_ANY) fl |= FSOPT_NOFOLLOW_ANY;
    return BSD(setattrlistat, fd, path, &a, out, size, fl);
}

static struct xres t_futimens(int fd, const struct timespec* times) {
    struct timespec in[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}}, out[2] = {{0, 0}, {0, 0}};
    if (times) memcpy(in, times, sizeof in);
    size_t size = 0;
    int fl = 0;
    struct attrlist a = {ATTR_BIT_MAP_COUNT, 0, 0, 0, 0, 0, 0};
    a.commonattr = prepare(in, out, &size, &fl);
    return BSD(fsetattrlist, fd, &a, out, size, 0);
}

static int same(struct timespec a, long sec, long nsec) { return a.tv_sec == sec && a.tv_nsec == nsec; }

int main(void) {
    struct stat st, ls;
    struct timeval now;
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(mkdir, "d", 0755);
    BSD(symlink, "f", "l");
    BSD(symlink, "d", "ld");
    BSD(close, BSD(open, "d/g", O_RDWR | O_CREAT, 0644).val);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    BSD(gettimeofday, &now, 0, 0);

    struct timespec ts[2] = {{1000000000, 5}, {1100000000, 999999999}};
    EXPECT_OK(t_utimensat(AT_FDCWD, "f", ts, 0), "utimensat with nanoseconds");
    BSD(stat64, "f", &st);
    CHECK(same(st.st_atimespec, 1000000000, 5), "atime to the nanosecond");
    CHECK(same(st.st_mtimespec, 1100000000, 999999999), "mtime to the nanosecond");
    struct timespec omit_a[2] = {{0, UTIME_OMIT}, {1200000000, 7}};
    EXPECT_OK(t_utimensat(AT_FDCWD, "f", omit_a, 0), "UTIME_OMIT for atime");
    BSD(stat64, "f", &st);
    CHECK(same(st.st_atimespec, 1000000000, 5) && same(st.st_mtimespec, 1200000000, 7), "only mtime changed");
    struct timespec omit_m[2] = {{1300000000, 0}, {0, UTIME_OMIT}};
    EXPECT_OK(t_utimensat(AT_FDCWD, "f", omit_m, 0), "UTIME_OMIT for mtime");
    BSD(stat64, "f", &st);
    CHECK(same(st.st_atimespec, 1300000000, 0) && same(st.st_mtimespec, 1200000000, 7), "only atime changed");
    struct timespec omit2[2] = {{1, UTIME_OMIT}, {2, UTIME_OMIT}};
    EXPECT_OK(t_utimensat(AT_FDCWD, "f", omit2, 0), "both UTIME_OMIT");
    BSD(stat64, "f", &st);
    CHECK(same(st.st_atimespec, 1300000000, 0) && same(st.st_mtimespec, 1200000000, 7), "nothing changed");
    EXPECT_ERR(t_utimensat(AT_FDCWD, "missing", omit2, 0), ENOENT, "both UTIME_OMIT still looks the path up");
    struct timespec now_m[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    EXPECT_OK(t_utimensat(AT_FDCWD, "f", now_m, 0), "UTIME_NOW for mtime");
    BSD(stat64, "f", &st);
    CHECK(st.st_mtimespec.tv_sec >= now.tv_sec - 2 && st.st_mtimespec.tv_sec <= now.tv_sec + 5, "mtime is now");
    CHECK(same(st.st_atimespec, 1300000000, 0), "atime kept");
    EXPECT_OK(t_utimensat(AT_FDCWD, "f", 0, 0), "NULL times: both now (FSOPT_UTIMES_NULL)");
    BSD(stat64, "f", &st);
    CHECK(st.st_atimespec.tv_sec >= now.tv_sec - 2, "atime is now");

    /* Relative to a directory, through symlinks, and AT_SYMLINK_NOFOLLOW. */
    EXPECT_OK(t_utimensat(dfd, "g", ts, 0), "utimensat relative to a directory");
    BSD(stat64, "d/g", &st);
    CHECK(same(st.st_mtimespec, 1100000000, 999999999), "d/g changed");
    EXPECT_OK(t_utimensat(AT_FDCWD, "l", ts, 0), "through a symlink");
    BSD(stat64, "f", &st);
    CHECK(same(st.st_mtimespec, 1100000000, 999999999), "the target changed");
    struct timespec ts2[2] = {{1400000000, 1}, {1400000000, 2}};
    EXPECT_OK(t_utimensat(AT_FDCWD, "l", ts2, AT_SYMLINK_NOFOLLOW), "AT_SYMLINK_NOFOLLOW on a symlink");
    BSD(lstat64, "l", &ls);
    BSD(stat64, "f", &st);
    CHECK(same(ls.st_mtimespec, 1400000000, 2) && same(ls.st_atimespec, 1400000000, 1), "the link's own times");
    CHECK(same(st.st_mtimespec, 1100000000, 999999999), "the target kept its times");
    EXPECT_ERR(t_utimensat(AT_FDCWD, "ld/g", ts2, AT_SYMLINK_NOFOLLOW_ANY), ELOOP,
               "AT_SYMLINK_NOFOLLOW_ANY with a symlink in the path");
    EXPECT_OK(t_utimensat(AT_FDCWD, "d/g", ts2, AT_SYMLINK_NOFOLLOW_ANY), "AT_SYMLINK_NOFOLLOW_ANY without one");

    /* futimens */
    EXPECT_OK(t_futimens(fd, ts2), "futimens");
    BSD(fstat64, fd, &st);
    CHECK(same(st.st_atimespec, 1400000000, 1) && same(st.st_mtimespec, 1400000000, 2), "both set");
    EXPECT_OK(t_futimens(fd, omit_a), "futimens with UTIME_OMIT");
    BSD(fstat64, fd, &st);
    CHECK(same(st.st_atimespec, 1400000000, 1) && same(st.st_mtimespec, 1200000000, 7), "only mtime changed");
    EXPECT_OK(t_futimens(fd, 0), "futimens(NULL)");
    BSD(fstat64, fd, &st);
    CHECK(st.st_mtimespec.tv_sec >= now.tv_sec - 2, "mtime is now");
    EXPECT_OK(t_futimens(dfd, ts2), "futimens on a directory");
    EXPECT_ERR(t_futimens(-1, ts2), EBADF, "futimens(-1)");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(t_futimens(p.val, ts2), EINVAL, "futimens on a pipe");
    EXPECT_ERR(t_utimensat(-1, "f", ts2, 0), EBADF, "utimensat: relative path, dirfd -1");
    EXPECT_ERR(t_utimensat(fd, "f", ts2, 0), ENOTDIR, "utimensat: relative path, dirfd a file");
    EXPECT_ERR(t_utimensat(p.val, "f", ts2, 0), ENOTSUP, "utimensat: relative path, dirfd a pipe");
    EXPECT_ERR(t_utimensat(AT_FDCWD, "missing", ts2, 0), ENOENT, "utimensat: missing file");
    EXPECT_ERR(t_utimensat(AT_FDCWD, "", ts2, 0), ENOENT, "utimensat: empty path");
    EXPECT_ERR(t_utimensat(AT_FDCWD, BAD_PTR, ts2, 0), EFAULT, "utimensat: path in unmapped memory");

    /* The checks of setattrlist_internal, after the lookup. */
    struct attrlist a = {ATTR_BIT_MAP_COUNT, 0, ATTR_CMN_MODTIME, 0, 0, 0, 0};
    struct timespec t1 = {1500000000, 0};
    EXPECT_OK(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), "setattrlistat ATTR_CMN_MODTIME");
    BSD(stat64, "f", &st);
    CHECK(same(st.st_mtimespec, 1500000000, 0), "mtime set");
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "missing", BAD_PTR, &t1, sizeof t1, 0), ENOENT, "the lookup comes first");
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", BAD_PTR, &t1, sizeof t1, 0), EFAULT, "attrlist in unmapped memory");
    a.bitmapcount = 4;
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), EINVAL, "bitmapcount 4");
    a.bitmapcount = ATTR_BIT_MAP_COUNT;
    a.commonattr = ATTR_CMN_MODTIME | ATTR_CMN_NAME;
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), EINVAL, "ATTR_CMN_NAME cannot be set");
    a.commonattr = ATTR_CMN_MODTIME;
    a.fileattr = ATTR_FILE_TOTALSIZE;
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), EINVAL, "ATTR_FILE_TOTALSIZE cannot be set");
    a.fileattr = 0;
    a.forkattr = 1;
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), EINVAL, "fork attributes cannot be set");
    a.forkattr = 0;
    a.volattr = ATTR_VOL_INFO | ATTR_VOL_SIZE;
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), EINVAL, "ATTR_VOL_SIZE cannot be set");
    a.volattr = 0;
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, 8, 0), EINVAL, "a buffer too short for a timespec");
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, 0, 0), EINVAL, "an empty buffer");
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, 8193, 0), ENOMEM, "a buffer past ATTR_MAX_BUFFER");
    EXPECT_ERR(BSD(setattrlistat, AT_FDCWD, "f", &a, BAD_PTR, sizeof t1, 0), EFAULT, "buffer in unmapped memory");
    a.commonattr = 0;
    EXPECT_OK(BSD(setattrlistat, AT_FDCWD, "f", &a, BAD_PTR, 99999, 0), "nothing to set: the buffer is not read");
    a.volattr = ATTR_VOL_INFO;
    EXPECT_OK(BSD(setattrlistat, AT_FDCWD, "f", &a, BAD_PTR, 99999, 0), "ATTR_VOL_INFO alone sets nothing");
    a.volattr = 0;
    a.commonattr = ATTR_CMN_CHGTIME;
    EXPECT_OK(BSD(setattrlistat, AT_FDCWD, "f", &a, &t1, sizeof t1, 0), "ATTR_CMN_CHGTIME is accepted and ignored");
    a.commonattr = ATTR_CMN_MODTIME;
    EXPECT_OK(BSD(setattrlistat, 0x7fffffff00000000L | (unsigned)dfd, "g", &a, &t1, sizeof t1, 0xffffffff00000000L),
              "dirty high halves of fd and options");
    return t_done();
}
