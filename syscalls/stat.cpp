// File status: stat64/lstat64/fstat64/fstatat64 (the $INODE64 layout) and the legacy stat/lstat/fstat.
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common.hpp"

namespace xnu_sys {

namespace {

// What statx(2) knows beyond struct stat: the file flags chflags sets (immutable, append, nodump) and the
// birth time where the file system keeps one.
struct StatExtra {
    uint32_t xnu_flags = 0;
    bool has_btime = false;
    struct ::timespec btime{};
};

// Runs statx(2) in the tracee and returns its answer as a struct stat plus the extra fields.
int64_t linux_stat(Thread& t, int dirfd, const char* path, int flags, struct ::stat& st, StatExtra& extra) {
    struct ::statx sx;
    int64_t r = t.sys(SYS_statx, {dirfd, in(path, strlen(path) + 1), flags, STATX_BASIC_STATS | STATX_BTIME,
                                  out(&sx, sizeof sx)});
    if (r < 0) return r;
    st = {};
    st.st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
    st.st_ino = sx.stx_ino;
    st.st_nlink = sx.stx_nlink;
    st.st_mode = sx.stx_mode;
    st.st_uid = sx.stx_uid;
    st.st_gid = sx.stx_gid;
    st.st_rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
    st.st_size = int64_t(sx.stx_size);
    st.st_blksize = sx.stx_blksize;
    st.st_blocks = int64_t(sx.stx_blocks);
    st.st_atim = {sx.stx_atime.tv_sec, sx.stx_atime.tv_nsec};
    st.st_mtim = {sx.stx_mtime.tv_sec, sx.stx_mtime.tv_nsec};
    st.st_ctim = {sx.stx_ctime.tv_sec, sx.stx_ctime.tv_nsec};
    extra.xnu_flags = xlate::statx_attributes_to_xnu(sx.stx_attributes & sx.stx_attributes_mask);
    extra.has_btime = sx.stx_mask & STATX_BTIME;
    extra.btime = {sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec};
    return r;
}

// The birth time XNU reports: never after the modification time, because setting an earlier mtime pulls the
// creation date back on HFS+ and APFS. Without a Linux birth time the translation's estimate stays.
void set_birthtime(const StatExtra& e, const struct ::stat& st, xnu::stat64& x) {
    if (!e.has_btime) return;
    bool before = e.btime.tv_sec < st.st_mtim.tv_sec ||
                  (e.btime.tv_sec == st.st_mtim.tv_sec && e.btime.tv_nsec < st.st_mtim.tv_nsec);
    const struct ::timespec& b = before ? e.btime : st.st_mtim;
    x.st_birthtimespec = {b.tv_sec, b.tv_nsec};
}
void set_birthtime(const StatExtra&, const struct ::stat&, xnu::stat&) {}  // the old layout has no birth time

// A pipe as XNU's pipe_stat describes it (xnu bsd/kern/sys_pipe.c): mode S_IFIFO | 0660 and st_size the
// bytes waiting in it, seen from either end. Linux reports mode 0600 and size 0. Named FIFOs are vnodes and
// keep their own attributes.
void pipe_stat(Thread& t, int fd, struct ::stat& st) {
    if (!S_ISFIFO(st.st_mode) || is_vnode_fd(t, fd)) return;
    int avail = 0;
    t.sys(SYS_ioctl, {fd, FIONREAD, out(avail)});
    st.st_mode = S_IFIFO | 0660;
    st.st_size = avail;
    st.st_blocks = st.st_blksize > 0 ? (avail + st.st_blksize - 1) / st.st_blksize : 0;
}

template <typename Xnu, typename Convert>
SysResult stat_common(Thread& t, int dirfd, TraceeAddr path, int lflags, TraceeAddr ub, Convert convert) {
    struct ::stat st;
    StatExtra extra;
    int64_t r;
    if (path.null() && (lflags & kLinuxAtEmptyPath)) {
        if (hidden_fd(dirfd)) return SysResult::error(xnu::XNU_EBADF);
        r = linux_stat(t, dirfd, "", lflags, st, extra);
        if (r == 0) pipe_stat(t, dirfd, st);
    } else {
        Path p;
        XNU_TRY(read_at_path(t, dirfd, path, p));
        r = linux_stat(t, linux_dirfd(dirfd), p.s, lflags, st, extra);
        if (r < 0) return at_result(t, dirfd, p, r);
    }
    if (r < 0) return from_linux(r);
    Xnu x{};
    convert(st, x);
    x.st_flags = extra.xnu_flags;
    set_birthtime(extra, st, x);
    XNU_TRY(t.write(ub, &x, sizeof x));
    return SysResult::ok(0);
}

SysResult stat64_at(Thread& t, int dirfd, TraceeAddr path, int lflags, TraceeAddr ub) {
    return stat_common<xnu::stat64>(t, dirfd, path, lflags, ub,
                                    [](const struct ::stat& s, xnu::stat64& x) { xlate::stat_to_xnu(s, x); });
}

SysResult ostat_at(Thread& t, int dirfd, TraceeAddr path, int lflags, TraceeAddr ub) {
    return stat_common<xnu::stat>(t, dirfd, path, lflags, ub,
                                  [](const struct ::stat& s, xnu::stat& x) { xlate::stat_to_xnu_old(s, x); });
}

}  // namespace

/// stat64 implements XNU BSD stat64(2) (338), the call behind every x86_64 `stat`.
SysResult sys_stat64(Thread& t, TraceeAddr path, TraceeAddr ub) { return stat64_at(t, xnu::XNU_AT_FDCWD, path, 0, ub); }
/// lstat64 implements XNU BSD lstat64(2) (340).
SysResult sys_lstat64(Thread& t, TraceeAddr path, TraceeAddr ub) {
    return stat64_at(t, xnu::XNU_AT_FDCWD, path, kLinuxAtSymlinkNofollow, ub);
}
/// fstat64 implements XNU BSD fstat64(2) (339).
SysResult sys_fstat64(Thread& t, int32_t fd, TraceeAddr ub) {
    if (fd < 0) return SysResult::error(xnu::XNU_EBADF);
    return stat64_at(t, fd, TraceeAddr(), kLinuxAtEmptyPath, ub);
}
/// fstatat64 implements XNU BSD fstatat64(2) (470): AT_SYMLINK_NOFOLLOW is the one flag.
SysResult sys_fstatat64(Thread& t, int32_t fd, TraceeAddr path, TraceeAddr ub, int32_t flag) {
    if (flag & ~(xnu::XNU_AT_SYMLINK_NOFOLLOW | xnu::XNU_AT_REALDEV | xnu::XNU_AT_FDONLY | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY))
        return SysResult::error(xnu::XNU_EINVAL);
    int lflags = flag & (xnu::XNU_AT_SYMLINK_NOFOLLOW | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY) ? kLinuxAtSymlinkNofollow : 0;
    return stat64_at(t, fd, path, lflags, ub);
}

/// stat/lstat/fstat implement the legacy XNU BSD calls 188-190 (32-bit inode layout).
SysResult sys_stat(Thread& t, TraceeAddr path, TraceeAddr ub) { return ostat_at(t, xnu::XNU_AT_FDCWD, path, 0, ub); }
SysResult sys_lstat(Thread& t, TraceeAddr path, TraceeAddr ub) {
    return ostat_at(t, xnu::XNU_AT_FDCWD, path, kLinuxAtSymlinkNofollow, ub);
}
SysResult sys_fstat(Thread& t, int32_t fd, TraceeAddr ub) {
    if (fd < 0) return SysResult::error(xnu::XNU_EBADF);
    return ostat_at(t, fd, TraceeAddr(), kLinuxAtEmptyPath, ub);
}

}  // namespace xnu_sys
