// Attributes of a file: mode (chmod, fchmod, fchmodat; umask), owner (chown, fchown, lchown, fchownat), size
// (truncate, ftruncate), times (utimes, futimes), file flags (chflags, fchflags) and the setattrlist calls
// behind libc's utimensat/futimens/lchmod/lchflags.
#include <climits>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "common.hpp"

namespace xnu_sys {

namespace {

constexpr long kSysFchmodat2 = 452;            // Linux 6.6; older kernels say ENOSYS
constexpr uint64_t kResolveNoSymlinks = 0x04;  // openat2 RESOLVE_NO_SYMLINKS
constexpr unsigned long kFsIocGetflags = 0x80086601, kFsIocSetflags = 0x40086602;  // _IOR/_IOW('f', 1/2, long)
constexpr long kLinuxUtimeOmit = (1L << 30) - 2;

void proc_fd_path(char (&buf)[32], int64_t fd) { snprintf(buf, sizeof buf, "/proc/self/fd/%d", int(fd)); }

// The object a path names, looked up as namei does, as an O_PATH descriptor in the tracee (or -errno).
// A trailing symlink is followed only with `follow`. `nofollow_any` (AT_SYMLINK_NOFOLLOW_ANY,
// FSOPT_NOFOLLOW_ANY) fails at the first symlink the lookup would follow with ELOOP and leaves a trailing one
// alone (xnu vfs_lookup.c: NAMEI_NOFOLLOW_ANY starts ni_loopcnt at MAXSYMLINKS), which is what openat2's
// RESOLVE_NO_SYMLINKS does with O_PATH|O_NOFOLLOW.
int64_t lookup(Thread& t, int dirfd, const Path& p, bool follow, bool nofollow_any) {
    int fl = O_PATH | O_CLOEXEC | (follow && !nofollow_any ? 0 : O_NOFOLLOW);
    if (!nofollow_any) return t.sys(SYS_openat, {linux_dirfd(dirfd), in_path(p), fl, 0});
    struct { uint64_t flags, mode, resolve; } how{uint64_t(fl), 0, kResolveNoSymlinks};
    return t.sys(SYS_openat2, {linux_dirfd(dirfd), in_path(p), in(how), sizeof how});
}

// The value of a Linux -errno result as an XNU errno, 0 for success.
int errno_of(int64_t r) { return r < 0 ? xnu_err(r) : 0; }

}  // namespace

// ---- mode --------------------------------------------------------------------------------------------------

namespace {

// chmod of what an O_PATH (or ordinary) descriptor names. Linux cannot change a symlink's mode: fchmodat2
// says EOPNOTSUPP, XNU's ENOTSUP for a file system that cannot.
int64_t chmod_fd(Thread& t, int64_t fd, int mode) {
    int64_t r = t.sys(kSysFchmodat2, {fd, in("", 1), mode, kLinuxAtEmptyPath});
    if (r != -ENOSYS) return r;
    struct ::stat st;
    if ((r = fstat_fd(t, fd, st)) < 0) return r;
    if (S_ISLNK(st.st_mode)) return -EOPNOTSUPP;
    char link[32];
    proc_fd_path(link, fd);
    return t.sys(SYS_fchmodat, {kLinuxAtFdcwd, in(link, strlen(link) + 1), mode});
}

}  // namespace

/// chmod implements XNU BSD chmod(2) (15): the mode keeps its 12 permission bits (ALLPERMS).
SysResult sys_chmod(Thread& t, TraceeAddr path, int32_t mode) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_fchmodat, {kLinuxAtFdcwd, in_path(p), mode & 07777}); });
}

/// fchmod implements XNU BSD fchmod(2) (124). Only vnodes can change mode: a pipe or socket is EINVAL
/// (xnu fchmod1 -> file_vnode), where Linux would change the pipe's inode.
SysResult sys_fchmod(Thread& t, int32_t fd, int32_t mode) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (!is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_fchmod, {fd, mode & 07777}));
}

/// fchmodat implements XNU BSD fchmodat(2) (467): AT_SYMLINK_NOFOLLOW and AT_SYMLINK_NOFOLLOW_ANY, other
/// flags EINVAL before the path is read. A symlink's own mode cannot be changed on Linux: ENOTSUP.
SysResult sys_fchmodat(Thread& t, int32_t fd, TraceeAddr path, int32_t mode, int32_t flag) {
    if (flag & ~(xnu::XNU_AT_SYMLINK_NOFOLLOW | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY)) return SysResult::error(xnu::XNU_EINVAL);
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    mode &= xnu::XNU_ALLPERMS;
    if (flag & xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY) {
        int64_t o = lookup(t, fd, p, false, true);
        if (o < 0) return at_result(t, fd, p, o);
        TempFd guard(t, o);
        return ok_or(chmod_fd(t, o, mode));
    }
    if (flag & xnu::XNU_AT_SYMLINK_NOFOLLOW) {
        int64_t r = t.sys(kSysFchmodat2, {linux_dirfd(fd), in_path(p), mode, kLinuxAtSymlinkNofollow});
        if (r != -ENOSYS) return at_result(t, fd, p, r);
        int64_t o = lookup(t, fd, p, false, false);
        if (o < 0) return at_result(t, fd, p, o);
        TempFd guard(t, o);
        return ok_or(chmod_fd(t, o, mode));
    }
    return at_result(t, fd, p, t.sys(SYS_fchmodat, {linux_dirfd(fd), in_path(p), mode}));
}

/// umask implements XNU BSD umask(2) (60). XNU keeps all 12 bits (07777) and returns them; Linux keeps 9, so
/// the full value lives here and Linux gets its low 9 bits.
SysResult sys_umask(Thread& t, int32_t newmask) {
    uint32_t mask = uint32_t(newmask) & 07777;
    t.sys(SYS_umask, {mask & 0777});
    return SysResult::ok(process_state().umask.exchange(mask));
}

// ---- owner -------------------------------------------------------------------------------------------------

/// chown implements XNU BSD chown(2) (16).
SysResult sys_chown(Thread& t, TraceeAddr path, int32_t uid, int32_t gid) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    return ok_or(t.sys(SYS_fchownat, {kLinuxAtFdcwd, in_path(p), uint32_t(uid), uint32_t(gid), 0}));
}

/// fchown implements XNU BSD fchown(2) (123); -1 leaves an id unchanged, as on Linux. Pipes and sockets are
/// EINVAL, as for fchmod (xnu file_vnode).
SysResult sys_fchown(Thread& t, int32_t fd, int32_t uid, int32_t gid) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (!is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_fchown, {fd, uint32_t(uid), uint32_t(gid)}));
}

/// lchown implements XNU BSD lchown(2) (364): the symlink itself.
SysResult sys_lchown(Thread& t, TraceeAddr path, uint32_t owner, uint32_t group) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    return ok_or(t.sys(SYS_fchownat, {kLinuxAtFdcwd, in_path(p), owner, group, kLinuxAtSymlinkNofollow}));
}

/// fchownat implements XNU BSD fchownat(2) (468): AT_SYMLINK_NOFOLLOW is its one flag (EINVAL for any other,
/// AT_SYMLINK_NOFOLLOW_ANY included, before the path is read); -1 leaves an id unchanged.
SysResult sys_fchownat(Thread& t, int32_t fd, TraceeAddr path, uint32_t uid, uint32_t gid, int32_t flag) {
    if (flag & ~xnu::XNU_AT_SYMLINK_NOFOLLOW) return SysResult::error(xnu::XNU_EINVAL);
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    int lflags = flag & xnu::XNU_AT_SYMLINK_NOFOLLOW ? kLinuxAtSymlinkNofollow : 0;
    return at_result(t, fd, p, t.sys(SYS_fchownat, {linux_dirfd(fd), in_path(p), uid, gid, lflags}));
}

// ---- size --------------------------------------------------------------------------------------------------

namespace {

// truncate's size check before the lookup (xnu truncate_validate_common): negative is EINVAL; past
// RLIMIT_FSIZE the process gets SIGXFSZ and the call EFBIG.
int check_truncate_length(Thread& t, int64_t length) {
    if (length < 0) return xnu::XNU_EINVAL;
    struct { uint64_t cur, max; } lim{};
    if (t.sys(SYS_prlimit64, {0, RLIMIT_FSIZE, nullptr, out(lim)}) == 0 && uint64_t(length) > lim.cur) {
        t.sys(SYS_kill, {t.pid(), SIGXFSZ});
        return xnu::XNU_EFBIG;
    }
    return 0;
}

}  // namespace

/// truncate implements XNU BSD truncate(2) (200): the length is checked before the lookup (EINVAL for a
/// negative one; SIGXFSZ and EFBIG past RLIMIT_FSIZE); a directory is EISDIR, other non-files EINVAL.
SysResult sys_truncate(Thread& t, TraceeAddr path, int64_t length) {
    XNU_TRY(check_truncate_length(t, length));
    Path p;
    XNU_TRY(read_path(t, path, p));
    return ok_or(t.sys(SYS_truncate, {in_path(p), length}));
}

/// ftruncate implements XNU BSD ftruncate(2) (201): the length is checked before the descriptor.
SysResult sys_ftruncate(Thread& t, int32_t fd, int64_t length) {
    if (length < 0) return SysResult::error(xnu::XNU_EINVAL);
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_ftruncate, {fd, length}));
}

// ---- times -------------------------------------------------------------------------------------------------

namespace {

struct LinuxTimespec {
    int64_t sec, nsec;
};

// XNU stores a time as given (TIMEVAL_TO_TIMESPEC does not check tv_usec, and APFS keeps seconds and
// nanoseconds as one count), so an out-of-range nanosecond part carries into the seconds. Linux refuses it
// (EINVAL); normalise first.
LinuxTimespec normalize(int64_t sec, int64_t nsec) {
    int64_t carry = nsec / 1000000000, rem = nsec % 1000000000;
    if (rem < 0) rem += 1000000000, carry -= 1;
    if (carry > 0 && sec > INT64_MAX - carry) return {INT64_MAX, 999999999};
    if (carry < 0 && sec < INT64_MIN - carry) return {INT64_MIN, 0};
    return {sec + carry, rem};
}

// utimes/futimes times: two XNU timevals (16 bytes each: tv_sec, 32-bit tv_usec, padding), or NULL for now.
int read_timevals(Thread& t, TraceeAddr tptr, LinuxTimespec ts[2]) {
    xnu::timeval tv[2];
    XNU_TRY_ERRNO(t.read(tptr, tv, sizeof tv));
    for (int i = 0; i < 2; i++) ts[i] = normalize(tv[i].tv_sec, int64_t(tv[i].tv_usec) * 1000);
    return 0;
}

}  // namespace

/// utimes implements XNU BSD utimes(2) (138): the path is looked up before the times are copied in (so a
/// missing file is ENOENT even with a bad pointer); NULL sets both times to now, which write access allows.
SysResult sys_utimes(Thread& t, TraceeAddr path, TraceeAddr tptr) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    if (tptr.null()) return ok_or(t.sys(SYS_utimensat, {kLinuxAtFdcwd, in_path(p), nullptr, 0}));
    LinuxTimespec ts[2];
    if (int e = read_timevals(t, tptr, ts)) {
        struct ::stat st;
        int64_t r = t.sys(SYS_newfstatat, {kLinuxAtFdcwd, in_path(p), out(&st, sizeof st), 0});
        return r < 0 ? from_linux(r) : SysResult::error(e);
    }
    return ok_or(t.sys(SYS_utimensat, {kLinuxAtFdcwd, in_path(p), in(ts, sizeof ts), 0}));
}

/// futimes implements XNU BSD futimes(2) (139): the times are copied in before the descriptor is looked at
/// (EFAULT first); a pipe or socket is EINVAL (xnu file_vnode).
SysResult sys_futimes(Thread& t, int32_t fd, TraceeAddr tptr) {
    LinuxTimespec ts[2];
    if (!tptr.null()) XNU_TRY(read_timevals(t, tptr, ts));
    XNU_TRY(check_vnode_fd(t, fd));
    return ok_or(t.sys(SYS_utimensat, {fd, nullptr, tptr.null() ? base::LinuxArg(nullptr) : in(ts, sizeof ts), 0}));
}

// ---- file flags --------------------------------------------------------------------------------------------

namespace {

// chflags on an open object (an O_PATH descriptor or any other), with XNU's rules (vfs_subr.c
// vnode_authattr): the SF_SYNTHETIC bits are ignored, only the superuser changes bits outside UF_SETTABLE
// (EPERM), and a file system that cannot keep a flag answers ENOTSUP (chflags1). Linux keeps UF_NODUMP,
// the immutable and the append flags as inode flags of regular files and directories (FS_IOC_SETFLAGS; see
// translate.hpp); changing any other flag, or a flag of another kind of file, is ENOTSUP. Linux's immutable
// and append flags need CAP_LINUX_IMMUTABLE, so an owner without it gets EPERM for uchg/uappnd.
int set_file_flags(Thread& t, int64_t fd, uint32_t flags) {
    flags &= ~xnu::XNU_SF_SYNTHETIC;
    // The current flags as stat reports them (statx needs no open).
    struct ::statx sx {};
    int64_t r = t.sys(SYS_statx, {fd, in("", 1), kLinuxAtEmptyPath, STATX_TYPE, out(&sx, sizeof sx)});
    if (r < 0) return xnu_err(r);
    uint32_t delta = flags ^ xlate::statx_attributes_to_xnu(sx.stx_attributes & sx.stx_attributes_mask);
    if (delta == 0) return 0;
    if ((delta & ~xnu::XNU_UF_SETTABLE) && !is_root(t)) return xnu::XNU_EPERM;
    if ((delta & ~xlate::kMappableFileFlags) || !(S_ISREG(sx.stx_mode) || S_ISDIR(sx.stx_mode))) return xnu::XNU_ENOTSUP;
    // FS_IOC_* needs a descriptor that is not O_PATH: reopen what an O_PATH descriptor names.
    int64_t ifd = fd, reopened = -1;
    int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFL});
    if (fl < 0 || (fl & O_PATH)) {
        char link[32];
        proc_fd_path(link, fd);
        reopened = t.sys(SYS_openat, {kLinuxAtFdcwd, in(link, strlen(link) + 1), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0});
        if (reopened < 0) return xnu_err(reopened);
        ifd = reopened;
    }
    TempFd guard(t, reopened);
    int lflags = 0;
    r = t.sys(SYS_ioctl, {ifd, kFsIocGetflags, out(lflags)});
    if (r == -ENOTTY || r == -EOPNOTSUPP || r == -EINVAL) return xnu::XNU_ENOTSUP;  // a file system without flags
    if (r < 0) return xnu_err(r);
    int nl = int((uint32_t(lflags) & ~xlate::kLinuxFsFlagsMapped) | xlate::xnu_flags_to_fsflags(flags));
    return errno_of(t.sys(SYS_ioctl, {ifd, kFsIocSetflags, in(nl)}));
}

}  // namespace

/// chflags implements XNU BSD chflags(2) (34) with the flags Linux has (see set_file_flags).
SysResult sys_chflags(Thread& t, TraceeAddr path, int32_t flags) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    int64_t fd = lookup(t, xnu::XNU_AT_FDCWD, p, true, false);
    if (fd < 0) return from_linux(fd);
    TempFd guard(t, fd);
    XNU_TRY(set_file_flags(t, fd, uint32_t(flags)));
    return SysResult::ok(0);
}

/// fchflags implements XNU BSD fchflags(2) (35); a pipe or socket is EINVAL (xnu file_vnode).
SysResult sys_fchflags(Thread& t, int32_t fd, int32_t flags) {
    XNU_TRY(check_vnode_fd(t, fd));
    XNU_TRY(set_file_flags(t, fd, uint32_t(flags)));
    return SysResult::ok(0);
}

// ---- setattrlist -------------------------------------------------------------------------------------------

namespace {

// What a setattrlist request asks to change.
struct AttrRequest {
    bool mtime = false, atime = false, uid = false, gid = false, mode = false, flags = false;
    LinuxTimespec m{}, a{};
    uint32_t uidv = 0, gidv = 0, modev = 0, flagsv = 0;
    int refused = 0;  // errno for an attribute Linux cannot keep: nothing is changed then
};

// Reads an attribute list and buffer with the checks of xnu setattrlist_internal, in its order: the attrlist
// (EFAULT), its bitmap count and settable bits (EINVAL), a request that sets nothing (success, *nothing),
// the buffer size (ENOMEM past ATTR_MAX_BUFFER), the buffer (EFAULT), then each attribute in bit order,
// EINVAL when the buffer ends before it.
//
// Kept: modification and access times, owner, group, mode, the file flags Linux has. Accepted and dropped,
// as XNU does on a file system without them: the text encoding hint, creation, change (always ignored),
// backup and added times, the data protection class, an all-zero Finder info and removing an ACL. Refused
// with ENOTSUP: non-zero Finder info, ACLs and owner UUIDs; setting a volume name is EINVAL (XNU's answer
// when the file system cannot, vfs_setattr).
int read_attr_request(Thread& t, TraceeAddr alist, TraceeAddr abuf, uint64_t size, AttrRequest& req,
                      bool* nothing) {
    xnu::attrlist al;
    XNU_TRY_ERRNO(t.read(alist, &al, sizeof al));
    if (al.bitmapcount != xnu::XNU_ATTR_BIT_MAP_COUNT) return xnu::XNU_EINVAL;
    if (al.volattr) {
        if ((al.volattr & ~xnu::XNU_ATTR_VOL_SETMASK) || (al.commonattr & ~xnu::XNU_ATTR_CMN_VOLSETMASK) ||
            al.fileattr || al.forkattr)
            return xnu::XNU_EINVAL;
    } else if ((al.commonattr & ~xnu::XNU_ATTR_CMN_SETMASK) || (al.fileattr & ~xnu::XNU_ATTR_FILE_SETMASK) ||
               (al.dirattr & ~xnu::XNU_ATTR_DIR_SETMASK) || (al.forkattr & ~xnu::XNU_ATTR_FORK_SETMASK)) {
        return xnu::XNU_EINVAL;
    }
    *nothing = al.commonattr == 0 && (al.volattr & ~xnu::XNU_ATTR_VOL_INFO) == 0 && al.dirattr == 0 &&
               al.fileattr == 0 && al.forkattr == 0;
    if (*nothing) return 0;
    if (size > xnu::XNU_ATTR_MAX_BUFFER) return xnu::XNU_ENOMEM;
    uint8_t buf[xnu::XNU_ATTR_MAX_BUFFER];
    if (size) XNU_TRY_ERRNO(t.read(abuf, buf, size));

    size_t cur = 0;
    auto take = [&](void* dst, size_t n) {
        if (n > size - cur) return false;
        memcpy(dst, buf + cur, n);
        cur += n;
        return true;
    };
    auto take_time = [&](LinuxTimespec* ts) {
        xnu::timespec x;
        if (!take(&x, sizeof x)) return false;
        if (ts) *ts = normalize(x.tv_sec, x.tv_nsec);
        return true;
    };
    const uint32_t c = al.commonattr;
    uint32_t u32;
    if ((c & xnu::XNU_ATTR_CMN_SCRIPT) && !take(&u32, 4)) return xnu::XNU_EINVAL;
    if ((c & xnu::XNU_ATTR_CMN_CRTIME) && !take_time(nullptr)) return xnu::XNU_EINVAL;
    if (c & xnu::XNU_ATTR_CMN_MODTIME) {
        if (!take_time(&req.m)) return xnu::XNU_EINVAL;
        req.mtime = true;
    }
    if ((c & xnu::XNU_ATTR_CMN_CHGTIME) && !take_time(nullptr)) return xnu::XNU_EINVAL;
    if (c & xnu::XNU_ATTR_CMN_ACCTIME) {
        if (!take_time(&req.a)) return xnu::XNU_EINVAL;
        req.atime = true;
    }
    if ((c & xnu::XNU_ATTR_CMN_BKUPTIME) && !take_time(nullptr)) return xnu::XNU_EINVAL;
    if (c & xnu::XNU_ATTR_CMN_FNDRINFO) {
        uint8_t fi[32], zero[32] = {};
        if (!take(fi, sizeof fi)) return xnu::XNU_EINVAL;
        // All zeros removes the com.apple.FinderInfo attribute (setattrlist_setfinderinfo); there is none.
        if (memcmp(fi, zero, sizeof fi) != 0) req.refused = xnu::XNU_ENOTSUP;
    }
    if (c & xnu::XNU_ATTR_CMN_OWNERID) {
        if (!take(&req.uidv, 4)) return xnu::XNU_EINVAL;
        req.uid = true;
    }
    if (c & xnu::XNU_ATTR_CMN_GRPID) {
        if (!take(&req.gidv, 4)) return xnu::XNU_EINVAL;
        req.gid = true;
    }
    if (c & xnu::XNU_ATTR_CMN_ACCESSMASK) {
        if (!take(&req.modev, 4)) return xnu::XNU_EINVAL;
        req.mode = true;
    }
    if (c & xnu::XNU_ATTR_CMN_FLAGS) {
        if (!take(&req.flagsv, 4)) return xnu::XNU_EINVAL;
        req.flags = true;
    }
    if (c & xnu::XNU_ATTR_CMN_EXTENDED_SECURITY) {
        // An attrreference to a kauth_filesec, validated as XNU does before it looks at the ACL.
        size_t at = cur;
        xnu::attrreference ar;
        if (!take(&ar, sizeof ar) || ar.attr_dataoffset < 0) return xnu::XNU_EINVAL;
        uint64_t fsec = at + uint64_t(ar.attr_dataoffset);
        if (fsec + xnu::XNU_KAUTH_FILESEC_HEADER > size) return xnu::XNU_EINVAL;
        uint32_t magic, count;
        memcpy(&magic, buf + fsec, 4);
        memcpy(&count, buf + fsec + xnu::XNU_KAUTH_FILESEC_ENTRYCOUNT_OFFSET, 4);
        uint64_t copysize = xnu::XNU_KAUTH_FILESEC_HEADER +
                            (count == xnu::XNU_KAUTH_FILESEC_NOACL ? 0 : uint64_t(count) * xnu::XNU_KAUTH_ACE_SIZE);
        if (magic != xnu::XNU_KAUTH_FILESEC_MAGIC || copysize != ar.attr_length || fsec + copysize > size)
            return xnu::XNU_EINVAL;
        if (count != xnu::XNU_KAUTH_FILESEC_NOACL) {
            if (count > xnu::XNU_KAUTH_ACL_MAX_ENTRIES) return xnu::XNU_EINVAL;
            req.refused = xnu::XNU_ENOTSUP;  // no ACLs on this side; removing one is a no-op
        }
    }
    uint8_t uuid[16];
    if (c & xnu::XNU_ATTR_CMN_UUID) {
        if (!take(uuid, 16)) return xnu::XNU_EINVAL;
        req.refused = xnu::XNU_ENOTSUP;
    }
    if (c & xnu::XNU_ATTR_CMN_GRPUUID) {
        if (!take(uuid, 16)) return xnu::XNU_EINVAL;
        req.refused = xnu::XNU_ENOTSUP;
    }
    if ((c & xnu::XNU_ATTR_CMN_ADDEDTIME) && !take_time(nullptr)) return xnu::XNU_EINVAL;
    if ((c & xnu::XNU_ATTR_CMN_DATA_PROTECT_FLAGS) && !take(&u32, 4)) return xnu::XNU_EINVAL;
    if ((al.volattr & xnu::XNU_ATTR_VOL_INFO) && (al.volattr & xnu::XNU_ATTR_VOL_NAME)) {
        xnu::attrreference ar;
        if (!take(&ar, sizeof ar)) return xnu::XNU_EINVAL;
        return xnu::XNU_EINVAL;  // the volume cannot be renamed from here
    }
    if (al.fileattr & xnu::XNU_ATTR_FILE_DEVTYPE) return xnu::XNU_EINVAL;  // "not implemented" in XNU too
    return 0;
}

// Applies a request to what `fd` names. XNU changes everything in one vnode_setattr; here flags that lift
// immutability or append-only go first and flags that set them go last, so the other changes are not
// blocked by them.
int apply_attr_request(Thread& t, int64_t fd, const AttrRequest& req, uint64_t options) {
    if (req.refused) return req.refused;
    const bool flags_first =
        req.flags && !(xlate::xnu_flags_to_fsflags(req.flagsv & ~xnu::XNU_UF_NODUMP) & xlate::kLinuxFsFlagsMapped);
    if (flags_first) XNU_TRY_ERRNO(set_file_flags(t, fd, req.flagsv));
    if (req.mtime || req.atime) {
        LinuxTimespec ts[2] = {req.atime ? req.a : LinuxTimespec{0, kLinuxUtimeOmit},
                               req.mtime ? req.m : LinuxTimespec{0, kLinuxUtimeOmit}};
        int64_t r = t.sys(SYS_utimensat, {fd, in("", 1), in(ts, sizeof ts), kLinuxAtEmptyPath});
        // utimensat with both UTIME_NOW: libc passes the time it read and FSOPT_UTIMES_NULL, which lets
        // anyone with write access (not only the owner) set it, as Linux does for a NULL time pointer.
        if (r == -EPERM && req.atime && req.mtime && (options & xnu::XNU_FSOPT_UTIMES_NULL))
            r = t.sys(SYS_utimensat, {fd, in("", 1), nullptr, kLinuxAtEmptyPath});
        XNU_TRY_ERRNO(errno_of(r));
    }
    if (req.uid || req.gid) {
        XNU_TRY_ERRNO(errno_of(t.sys(SYS_fchownat, {fd, in("", 1), req.uid ? req.uidv : ~0u, req.gid ? req.gidv : ~0u,
                                                     kLinuxAtEmptyPath})));
    }
    if (req.mode) XNU_TRY_ERRNO(errno_of(chmod_fd(t, fd, int(req.modev & xnu::XNU_ALLPERMS))));
    if (req.flags && !flags_first) XNU_TRY_ERRNO(set_file_flags(t, fd, req.flagsv));
    return 0;
}

SysResult setattrlist_on(Thread& t, int64_t fd, TraceeAddr alist, TraceeAddr abuf, uint64_t size, uint64_t options) {
    AttrRequest req;
    bool nothing = false;
    XNU_TRY(read_attr_request(t, alist, abuf, size, req, &nothing));
    if (nothing) return SysResult::ok(0);
    XNU_TRY(apply_attr_request(t, fd, req, options));
    return SysResult::ok(0);
}

SysResult setattrlist_at(Thread& t, int dirfd, TraceeAddr path, TraceeAddr alist, TraceeAddr abuf, uint64_t size,
                         uint64_t options) {
    Path p;
    XNU_TRY(read_at_path(t, dirfd, path, p));
    const bool nofollow_any = options & xnu::XNU_FSOPT_NOFOLLOW_ANY;
    int64_t fd = lookup(t, dirfd, p, !(options & xnu::XNU_FSOPT_NOFOLLOW), nofollow_any);
    if (fd < 0) return at_result(t, dirfd, p, fd);
    TempFd guard(t, fd);
    return setattrlist_on(t, fd, alist, abuf, size, options);
}

}  // namespace

/// setattrlist implements XNU BSD setattrlist(2) (221) for the attributes Linux can keep (see
/// read_attr_request); libc's lchmod and lchflags are this call with FSOPT_NOFOLLOW.
SysResult sys_setattrlist(Thread& t, TraceeAddr path, TraceeAddr alist, TraceeAddr abuf, uint64_t size, uint64_t options) {
    return setattrlist_at(t, xnu::XNU_AT_FDCWD, path, alist, abuf, size, options);
}

/// setattrlistat implements XNU BSD setattrlistat(2) (524), libc's utimensat: UTIME_NOW and UTIME_OMIT are
/// resolved by libc into the times and the attribute bits it passes.
SysResult sys_setattrlistat(Thread& t, int32_t fd, TraceeAddr path, TraceeAddr alist, TraceeAddr abuf, uint64_t size,
                            uint32_t options) {
    return setattrlist_at(t, fd, path, alist, abuf, size, options);
}

/// fsetattrlist implements XNU BSD fsetattrlist(2) (229), libc's futimens. Pipes and sockets are EINVAL.
SysResult sys_fsetattrlist(Thread& t, int32_t fd, TraceeAddr alist, TraceeAddr abuf, uint64_t size, uint64_t options) {
    XNU_TRY(check_vnode_fd(t, fd));
    return setattrlist_on(t, fd, alist, abuf, size, options);
}

}  // namespace xnu_sys
