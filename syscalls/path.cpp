// The namespace: the calls that make, remove, rename and read names (link, symlink, readlink, rename, unlink,
// mkdir, rmdir, mkfifo, mknod, each with its *at() form), the working directory (chdir, fchdir) and access
// checks (access, faccessat); and the path helpers every *at() call shares (read_at_path, at_result).
#include <climits>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common.hpp"

namespace xnu_sys {

// ---- Shared with the other file families (declared in common.hpp) ------------------------------------------

namespace {
// The directory descriptor of an *at() call with a relative path, vetted as xnu nameiat does: EBADF, ENOTSUP
// for a descriptor that is not a vnode (vnode_getfromfd), ENOTDIR for a vnode that is not a directory.
int check_dirfd(Thread& t, int dirfd) {
    if (hidden_fd(dirfd)) return xnu::XNU_EBADF;
    struct ::stat st;
    if (t.sys(SYS_fstat, {dirfd, out(&st, sizeof st)}) < 0) return xnu::XNU_EBADF;
    if (S_ISDIR(st.st_mode)) return 0;
    return is_vnode_fd(t, dirfd) ? xnu::XNU_ENOTDIR : xnu::XNU_ENOTSUP;
}
}  // namespace

// The path of an *at() call, with XNU's order of errors: for a relative path nameiat vets the directory
// descriptor before namei copies the whole path in (ENAMETOOLONG, ENOENT for ""), so openat(-1, "") is EBADF.
int read_at_path(Thread& t, int dirfd, TraceeAddr p, Path& dst) {
    int e = read_path(t, p, dst);
    if (e == xnu::XNU_EFAULT || dirfd == xnu::XNU_AT_FDCWD || dst.s[0] == '/') return e;
    if (e != 0 || hidden_fd(dirfd)) {
        if (int d = check_dirfd(t, dirfd)) return d;
    }
    return e;
}

// The result of a Linux *at() call: Linux says ENOTDIR for a pipe or socket as the directory descriptor,
// XNU ENOTSUP.
SysResult at_result(Thread& t, int dirfd, const Path& p, int64_t r) {
    if (r == -ENOTDIR && dirfd != xnu::XNU_AT_FDCWD && p.s[0] != '/' && check_dirfd(t, dirfd) == xnu::XNU_ENOTSUP)
        return SysResult::error(xnu::XNU_ENOTSUP);
    return from_linux(r);
}

// ---- link, symlink, readlink -------------------------------------------------------------------------------

/// link implements XNU BSD link(2) (9): linkat(AT_FDCWD, path, AT_FDCWD, link, AT_SYMLINK_FOLLOW), as xnu
/// link() calls linkat_internal: a symlink source is followed (Linux's link links the symlink itself), and
/// the source is looked up before the new name is read.
SysResult sys_link(Thread& t, TraceeAddr path, TraceeAddr link) {
    return sys_linkat(t, xnu::XNU_AT_FDCWD, path, xnu::XNU_AT_FDCWD, link, xnu::XNU_AT_SYMLINK_FOLLOW);
}

/// linkat implements XNU BSD linkat(2) (471): AT_SYMLINK_FOLLOW is the one flag (EINVAL otherwise, first);
/// without it a symlink is linked itself. The source is looked up (and refused when it is a directory,
/// EPERM) before the new name is read (xnu linkat_internal), so its errors come first.
SysResult sys_linkat(Thread& t, int32_t fd1, TraceeAddr path, int32_t fd2, TraceeAddr link, int32_t flag) {
    if (flag & ~xnu::XNU_AT_SYMLINK_FOLLOW) return SysResult::error(xnu::XNU_EINVAL);
    const bool follow = flag & xnu::XNU_AT_SYMLINK_FOLLOW;
    Path a, b;
    XNU_TRY(read_at_path(t, fd1, path, a));
    if (int e = read_at_path(t, fd2, link, b)) {
        struct ::stat st;
        int64_t r = t.sys(SYS_newfstatat, {linux_dirfd(fd1), in_path(a), out(&st, sizeof st),
                                           follow ? 0 : kLinuxAtSymlinkNofollow});
        if (r < 0) return at_result(t, fd1, a, r);
        return SysResult::error(S_ISDIR(st.st_mode) ? xnu::XNU_EPERM : e);
    }
    int64_t r = t.sys(SYS_linkat, {linux_dirfd(fd1), in_path(a), linux_dirfd(fd2), in_path(b),
                                   follow ? kLinuxAtSymlinkFollow : 0});
    if (r < 0 && r != -EPERM) {
        // Linux looks the new name up (EEXIST, ENOENT, EBADF) before it refuses a directory; XNU after.
        struct ::stat st;
        if (t.sys(SYS_newfstatat, {linux_dirfd(fd1), in_path(a), out(&st, sizeof st), follow ? 0 : kLinuxAtSymlinkNofollow}) == 0 &&
            S_ISDIR(st.st_mode))
            return SysResult::error(xnu::XNU_EPERM);
    }
    if (r == -ENOTDIR) {
        SysResult s = at_result(t, fd1, a, r);
        return s.err == xnu::XNU_ENOTSUP ? s : at_result(t, fd2, b, r);
    }
    return ok_or(r);
}

/// symlink implements XNU BSD symlink(2) (57): symlinkat relative to AT_FDCWD (xnu symlinkat_internal); the
/// target text may be anything but must be readable.
SysResult sys_symlink(Thread& t, TraceeAddr target, TraceeAddr link) {
    return sys_symlinkat(t, target, xnu::XNU_AT_FDCWD, link);
}

/// symlinkat implements XNU BSD symlinkat(2) (474): the link text is copied in first (EFAULT, ENAMETOOLONG
/// past MAXPATHLEN), then the new name is looked up relative to `fd`.
SysResult sys_symlinkat(Thread& t, TraceeAddr path1, int32_t fd, TraceeAddr path2) {
    Path target, p;
    if (path1.null()) return SysResult::error(xnu::XNU_EFAULT);
    XNU_TRY(t.read_cstr(path1, target.s, sizeof target.s));
    XNU_TRY(read_at_path(t, fd, path2, p));
    return at_result(t, fd, p, t.sys(SYS_symlinkat, {in_path(target), linux_dirfd(fd), in_path(p)}));
}

/// readlink implements XNU BSD readlink(2) (58). A negative count is a huge size_t to XNU: EINVAL before the
/// lookup. A count of 0 looks the link up and reads nothing (xnu readlinkat_internal); Linux refuses it.
SysResult sys_readlink(Thread& t, TraceeAddr path, TraceeAddr buf, int32_t count) {
    if (count < 0) return SysResult::error(xnu::XNU_EINVAL);
    return one_path(t, path, [&](Path& p) {
        if (count > 0) return t.sys(SYS_readlinkat, {kLinuxAtFdcwd, in_path(p), buf, count});
        char c;
        int64_t r = t.sys(SYS_readlinkat, {kLinuxAtFdcwd, in_path(p), out(&c, 1), 1});
        return r < 0 ? r : 0;
    });
}

/// readlinkat implements XNU BSD readlinkat(2) (473): a size past INT32_MAX is EINVAL before the lookup; a
/// size of 0 looks the link up and reads nothing (Linux refuses it); what is not a symlink is EINVAL.
SysResult sys_readlinkat(Thread& t, int32_t fd, TraceeAddr path, TraceeAddr buf, uint64_t bufsize) {
    if (bufsize > uint64_t(INT32_MAX)) return SysResult::error(xnu::XNU_EINVAL);
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    if (bufsize > 0) return at_result(t, fd, p, t.sys(SYS_readlinkat, {linux_dirfd(fd), in_path(p), buf, bufsize}));
    char c;
    int64_t r = t.sys(SYS_readlinkat, {linux_dirfd(fd), in_path(p), out(&c, 1), 1});
    return at_result(t, fd, p, r < 0 ? r : 0);
}

// ---- rename, unlink ----------------------------------------------------------------------------------------

namespace {

// Two-path calls (link, rename, symlink) share the reading of both paths.
template <typename F>
SysResult two_paths(Thread& t, TraceeAddr a, TraceeAddr b, F call) {
    Path pa, pb;
    XNU_TRY(read_path(t, a, pa));
    XNU_TRY(read_path(t, b, pb));
    return from_linux(call(pa, pb));
}

// unlink of a directory: Linux says EISDIR, XNU EPERM (xnu vfs_subr.c vn_authorize_unlink, "POSIX").
int64_t unlink_errno(int64_t r) { return r == -EISDIR ? -EPERM : r; }

}  // namespace

/// rename implements XNU BSD rename(2) (128).
SysResult sys_rename(Thread& t, TraceeAddr from, TraceeAddr to) {
    return two_paths(t, from, to, [&](Path& a, Path& b) {
        return t.sys(SYS_renameat2, {kLinuxAtFdcwd, in_path(a), kLinuxAtFdcwd, in_path(b), 0});
    });
}

/// renameat implements XNU BSD renameat(2) (465): the source is looked up (and its descriptor vetted) first.
SysResult sys_renameat(Thread& t, int32_t fromfd, TraceeAddr from, int32_t tofd, TraceeAddr to) {
    Path a, b;
    XNU_TRY(read_at_path(t, fromfd, from, a));
    XNU_TRY(read_at_path(t, tofd, to, b));
    int64_t r = t.sys(SYS_renameat2, {linux_dirfd(fromfd), in_path(a), linux_dirfd(tofd), in_path(b), 0});
    if (r == -ENOTDIR) {
        SysResult s = at_result(t, fromfd, a, r);
        return s.err == xnu::XNU_ENOTSUP ? s : at_result(t, tofd, b, r);
    }
    return from_linux(r);
}

/// unlink implements XNU BSD unlink(2) (10).
SysResult sys_unlink(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return unlink_errno(t.sys(SYS_unlinkat, {kLinuxAtFdcwd, in_path(p), 0})); });
}

/// unlinkat implements XNU BSD unlinkat(2) (472): AT_REMOVEDIR (or the private AT_REMOVEDIR_DATALESS) makes it
/// rmdir; AT_SYMLINK_NOFOLLOW_ANY and the private AT_SYSTEM_DISCARDED are accepted; anything else is EINVAL
/// before the path is read (xnu vfs_syscalls.c unlinkat).
SysResult sys_unlinkat(Thread& t, int32_t fd, TraceeAddr path, int32_t flag) {
    constexpr int kAccepted = xnu::XNU_AT_REMOVEDIR | xnu::XNU_AT_REMOVEDIR_DATALESS | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY |
                              xnu::XNU_AT_SYSTEM_DISCARDED;
    if (flag & ~kAccepted) return SysResult::error(xnu::XNU_EINVAL);
    int lflags = flag & (xnu::XNU_AT_REMOVEDIR | xnu::XNU_AT_REMOVEDIR_DATALESS) ? kLinuxAtRemovedir : 0;
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    return at_result(t, fd, p, unlink_errno(t.sys(SYS_unlinkat, {linux_dirfd(fd), in_path(p), lflags})));
}

// ---- directories -------------------------------------------------------------------------------------------

/// mkdir implements XNU BSD mkdir(2) (136): the permission bits only, no setuid, setgid or sticky
/// (xnu vfs_syscalls.c mkdir: mode & ACCESSPERMS); Linux applies the umask.
SysResult sys_mkdir(Thread& t, TraceeAddr path, int32_t mode) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_mkdirat, {kLinuxAtFdcwd, in_path(p), mode & 0777}); });
}

/// mkdirat implements XNU BSD mkdirat(2) (475): the permission bits only (ACCESSPERMS), as mkdir.
SysResult sys_mkdirat(Thread& t, int32_t fd, TraceeAddr path, int32_t mode) {
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    return at_result(t, fd, p, t.sys(SYS_mkdirat, {linux_dirfd(fd), in_path(p), mode & xnu::XNU_ACCESSPERMS}));
}

/// rmdir implements XNU BSD rmdir(2) (137).
SysResult sys_rmdir(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_unlinkat, {kLinuxAtFdcwd, in_path(p), kLinuxAtRemovedir}); });
}

// ---- FIFOs and device nodes --------------------------------------------------------------------------------

namespace {

// The mode bits mknod/mkfifo pass to Linux: XNU keeps ALLPERMS minus the whole 12-bit umask
// (va_mode = (mode & ALLPERMS) & ~fd_cmask); Linux applies the low 9 bits of the umask itself.
int create_mode(int mode) {
    return mode & xnu::XNU_ALLPERMS & ~int(process_state().umask.load() & 07000);
}

SysResult do_mkfifo(Thread& t, int dirfd, TraceeAddr path, int mode) {
    Path p;
    XNU_TRY(read_at_path(t, dirfd, path, p));
    int64_t r = t.sys(SYS_mknodat, {linux_dirfd(dirfd), in_path(p), S_IFIFO | create_mode(mode), 0});
    return at_result(t, dirfd, p, r < 0 ? r : 0);
}

// The error XNU's CREATE lookup gives for a path that cannot be made into a node: EEXIST when the name
// exists (a symlink included: the last component is not followed), else the lookup's own error for the
// directory part, else `otherwise`.
SysResult create_lookup_error(Thread& t, int dirfd, const Path& p, int otherwise) {
    struct ::stat st;
    int64_t r = t.sys(SYS_newfstatat, {linux_dirfd(dirfd), in_path(p), out(&st, sizeof st), kLinuxAtSymlinkNofollow});
    if (r == 0) return SysResult::error(xnu::XNU_EEXIST);
    if (r != -ENOENT) return at_result(t, dirfd, p, r);
    // The name is missing: is its directory there?
    Path dir = p;
    size_t n = dir.len();
    while (n > 1 && dir.s[n - 1] == '/') dir.s[--n] = '\0';
    char* slash = strrchr(dir.s, '/');
    if (!slash) {
        strcpy(dir.s, ".");
    } else if (slash == dir.s) {
        dir.s[1] = '\0';
    } else {
        *slash = '\0';
    }
    r = t.sys(SYS_newfstatat, {linux_dirfd(dirfd), in_path(dir), out(&st, sizeof st), 0});
    if (r < 0) return at_result(t, dirfd, dir, r);
    if (!S_ISDIR(st.st_mode)) return SysResult::error(xnu::XNU_ENOTDIR);
    return SysResult::error(otherwise);
}

// mknod makes FIFOs for anyone; other nodes only for the superuser, who is checked before the path is read
// (EPERM), and only character and block devices: any other type is EINVAL once the lookup found the name
// free (xnu mknodat_internal). `dev` is XNU's dev_t (8-bit major, 24-bit minor).
SysResult do_mknod(Thread& t, int dirfd, TraceeAddr path, int mode, int dev) {
    const int type = mode & xnu::XNU_S_IFMT;
    if (type == xnu::XNU_S_IFIFO) return do_mkfifo(t, dirfd, path, mode);
    if (!is_root(t)) return SysResult::error(xnu::XNU_EPERM);
    Path p;
    XNU_TRY(read_at_path(t, dirfd, path, p));
    if (type != xnu::XNU_S_IFCHR && type != xnu::XNU_S_IFBLK) return create_lookup_error(t, dirfd, p, xnu::XNU_EINVAL);
    uint64_t ldev = makedev(xnu::dev_major(dev), xnu::dev_minor(dev));
    int64_t r = t.sys(SYS_mknodat, {linux_dirfd(dirfd), in_path(p), type | create_mode(mode), ldev});
    return at_result(t, dirfd, p, r < 0 ? r : 0);
}

}  // namespace

/// mkfifo implements XNU BSD mkfifo(2) (132): the type bits of `mode` are ignored, the umask applies to all
/// 12 permission bits.
SysResult sys_mkfifo(Thread& t, TraceeAddr path, int32_t mode) { return do_mkfifo(t, xnu::XNU_AT_FDCWD, path, mode); }
/// mkfifoat implements XNU BSD mkfifoat(2) (553).
SysResult sys_mkfifoat(Thread& t, int32_t fd, TraceeAddr path, int32_t mode) { return do_mkfifo(t, fd, path, mode); }
/// mknod implements XNU BSD mknod(2) (14): FIFOs for anyone, device nodes for the superuser.
SysResult sys_mknod(Thread& t, TraceeAddr path, int32_t mode, int32_t dev) {
    return do_mknod(t, xnu::XNU_AT_FDCWD, path, mode, dev);
}
/// mknodat implements XNU BSD mknodat(2) (554).
SysResult sys_mknodat(Thread& t, int32_t fd, TraceeAddr path, int32_t mode, int32_t dev) {
    return do_mknod(t, fd, path, mode, dev);
}

// ---- the working directory ---------------------------------------------------------------------------------

/// chdir implements XNU BSD chdir(2) (12).
SysResult sys_chdir(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_chdir, {in_path(p)}); });
}

/// fchdir implements XNU BSD fchdir(2) (13): a pipe or socket is EINVAL (xnu file_vnode), where Linux says
/// ENOTDIR.
SysResult sys_fchdir(Thread& t, int32_t fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = t.sys(SYS_fchdir, {fd});
    if (r == -ENOTDIR && !is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(r);
}

// ---- access checks -----------------------------------------------------------------------------------------

namespace {
// access(2) modes: F_OK 0, X_OK 1, W_OK 2, R_OK 4 (same on Linux). XNU never rejects a mode: undefined bits are
// ignored, and when any of the extended bits _READ_OK .. _CHOWN_OK (1 << 9 .. 1 << 21, xnu bsd/sys/unistd.h)
// is present only those count (xnu access1: action = uflags >> 8). Each extended question is answered with
// the nearest classic one; those about attributes, permissions and ownership only need the file to exist.
int access_mode(int amode) {
    constexpr int kExtendedMask = 0x3ffe00;
    if (!(amode & kExtendedMask)) return amode & 7;
    int m = 0;
    if (amode & ((1 << 9) | (1 << 17))) m |= 4;                                   // _READ_OK, _REXT_OK
    if (amode & ((1 << 10) | (1 << 13) | (1 << 14) | (1 << 16) | (1 << 18))) m |= 2;  // _WRITE_OK, _APPEND_OK, ...
    if (amode & (1 << 11)) m |= 1;                                                // _EXECUTE_OK
    return m;
}
}  // namespace

/// access implements XNU BSD access(2) (33): checked with the real ids, as POSIX says.
SysResult sys_access(Thread& t, TraceeAddr path, int32_t amode) {
    int lmode = access_mode(amode);
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_faccessat2, {kLinuxAtFdcwd, in_path(p), lmode, 0}); });
}

/// faccessat implements XNU BSD faccessat(2) (466): AT_EACCESS and AT_SYMLINK_NOFOLLOW; other flags are
/// EINVAL before anything else (xnu vfs_syscalls.c faccessat).
SysResult sys_faccessat(Thread& t, int32_t fd, TraceeAddr path, int32_t amode, int32_t flag) {
    if (flag & ~(xnu::XNU_AT_EACCESS | xnu::XNU_AT_SYMLINK_NOFOLLOW | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY))
        return SysResult::error(xnu::XNU_EINVAL);
    int lmode = access_mode(amode);
    int lflags = (flag & xnu::XNU_AT_EACCESS ? 0x200 : 0) | (flag & xnu::XNU_AT_SYMLINK_NOFOLLOW ? 0x100 : 0);
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    return at_result(t, fd, p, t.sys(SYS_faccessat2, {linux_dirfd(fd), in_path(p), lmode, lflags}));
}

}  // namespace xnu_sys
