// The rest of the file family: the *at() forms of mkdir/chmod/chown/link/symlink/readlink, chown/lchown,
// truncate, utimes/futimes and the setattrlist calls behind libc's utimensat/futimens/lchmod/lchflags, file
// flags (chflags), FIFOs and device nodes, statfs64/getfsstat64, pathconf, sync.
//
// Each handler checks its arguments in the order XNU does (xnu bsd/vfs/vfs_syscalls.c, vfs_attrlist.c): the
// flag word first where XNU rejects unknown bits, then the path lookup (read_at_path vets the directory
// descriptor), then the other user buffers.
#include <climits>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "common.hpp"

namespace xnu_sys {

namespace {

constexpr int kLinuxAtFdcwd = -100;
constexpr int kLinuxAtSymlinkNofollow = 0x100;
constexpr int kLinuxAtSymlinkFollow = 0x400;
constexpr int kLinuxAtEmptyPath = 0x1000;
constexpr long kSysFchmodat2 = 452;            // Linux 6.6; older kernels say ENOSYS
constexpr uint64_t kResolveNoSymlinks = 0x04;  // openat2 RESOLVE_NO_SYMLINKS
constexpr unsigned long kFsIocGetflags = 0x80086601, kFsIocSetflags = 0x40086602;  // _IOR/_IOW('f', 1/2, long)
constexpr long kLinuxUtimeOmit = (1L << 30) - 2;

SysResult ok_or(int64_t r) { return r < 0 ? from_linux(r) : SysResult::ok(0); }

// A descriptor macrun opens in the tracee for the length of one call.
class TempFd {
  public:
    TempFd(Thread& t, int64_t fd) : t_(t), fd_(fd) {}
    TempFd(const TempFd&) = delete;
    TempFd& operator=(const TempFd&) = delete;
    ~TempFd() {
        if (fd_ >= 0) t_.sys(SYS_close, {fd_});
    }

  private:
    Thread& t_;
    int64_t fd_;
};

int64_t fstat_fd(Thread& t, int64_t fd, struct ::stat& st) {
    return t.sys(SYS_newfstatat, {fd, in("", 1), out(&st, sizeof st), kLinuxAtEmptyPath});
}

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

// The calling process is the superuser (XNU's suser()/has_priv_suser).
bool is_root(Thread& t) { return t.sys(SYS_geteuid) == 0; }

// The descriptor checks of xnu file_vnode(): EBADF for a descriptor that is not open (or one of macrun's),
// EINVAL for one that is not a vnode (a pipe or socket).
int check_vnode_fd(Thread& t, int fd) {
    if (hidden_fd(fd) || t.sys(SYS_fcntl, {fd, F_GETFD}) < 0) return xnu::XNU_EBADF;
    return is_vnode_fd(t, fd) ? 0 : xnu::XNU_EINVAL;
}

// The mode bits mknod/mkfifo pass to Linux: XNU keeps ALLPERMS minus the whole 12-bit umask
// (va_mode = (mode & ALLPERMS) & ~fd_cmask); Linux applies the low 9 bits of the umask itself.
int create_mode(int mode) {
    return mode & xnu::XNU_ALLPERMS & ~int(process_state().umask.load() & 07000);
}

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

// ---- file flags ------------------------------------------------------------------------------------------

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

// ---- times -------------------------------------------------------------------------------------------------

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

// ---- setattrlist -------------------------------------------------------------------------------------------

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

// ---- FIFOs and device nodes --------------------------------------------------------------------------------

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

// ---- statfs ------------------------------------------------------------------------------------------------

// strlcpy: as much of `src` as fits, always NUL-terminated.
void copy_str(char* dst, size_t cap, const char* src) {
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

// One line of /proc/self/mountinfo.
struct MountEntry {
    uint64_t id = 0;
    unsigned major = 0, minor = 0;
    char point[xnu::XNU_MAXPATHLEN + 1] = "";
    char source[xnu::XNU_MAXPATHLEN + 1] = "";
    char fstype[64] = "";
};

// Copies one space-separated mountinfo field, undoing its octal escapes (\040 for a space).
void copy_field(const char* f, size_t n, char* dst, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (f[i] == '\\' && i + 3 < n && f[i + 1] >= '0' && f[i + 1] <= '3') {
            dst[o++] = char((f[i + 1] - '0') * 64 + (f[i + 2] - '0') * 8 + (f[i + 3] - '0'));
            i += 3;
        } else {
            dst[o++] = f[i];
        }
    }
    dst[o] = '\0';
}

bool parse_mount_line(const char* line, size_t len, MountEntry& m) {
    const char* f[64];
    size_t fl[64], nf = 0;
    for (size_t i = 0; i < len && nf < 64;) {
        size_t j = i;
        while (j < len && line[j] != ' ') j++;
        f[nf] = line + i, fl[nf] = j - i, nf++;
        i = j + 1;
    }
    if (nf < 7) return false;
    size_t dash = 6;  // optional fields end with a lone "-"
    while (dash < nf && !(fl[dash] == 1 && f[dash][0] == '-')) dash++;
    if (dash + 1 >= nf) return false;
    char num[32];
    copy_field(f[0], fl[0], num, sizeof num);
    m.id = strtoull(num, nullptr, 10);
    copy_field(f[2], fl[2], num, sizeof num);
    if (sscanf(num, "%u:%u", &m.major, &m.minor) != 2) return false;
    copy_field(f[4], fl[4], m.point, sizeof m.point);
    copy_field(f[dash + 1], fl[dash + 1], m.fstype, sizeof m.fstype);
    if (dash + 2 < nf) copy_field(f[dash + 2], fl[dash + 2], m.source, sizeof m.source);
    else m.source[0] = '\0';
    return true;
}

// Calls `f(const MountEntry&)` for each mount of the tracee's mount namespace, in mount order, until it
// returns false. Returns 0 or a Linux -errno.
template <typename F>
int64_t for_each_mount(Thread& t, F f) {
    static const char kPath[] = "/proc/self/mountinfo";
    int64_t fd = t.sys(SYS_openat, {kLinuxAtFdcwd, in(kPath, sizeof kPath), O_RDONLY | O_CLOEXEC, 0});
    if (fd < 0) return fd;
    TempFd guard(t, fd);
    // Lines are short except for long option lists (overlayfs layers), which come after every field used
    // here: a line is cut at the size of `line`. Handlers may run on the program's own stack (the fast path),
    // so the buffers stay small.
    char line[4096], chunk[1024];
    size_t len = 0;
    bool skipping = false;
    for (;;) {
        int64_t n = t.sys(SYS_read, {fd, out(chunk, sizeof chunk), sizeof chunk});
        if (n < 0) return n;
        if (n == 0) break;
        for (int64_t i = 0; i < n; i++) {
            if (chunk[i] != '\n') {
                if (!skipping && len < sizeof line) line[len++] = chunk[i];
                continue;
            }
            MountEntry m;
            bool go = !parse_mount_line(line, len, m) || f(m);
            len = 0, skipping = false;
            if (!go) return 0;
        }
    }
    return 0;
}

// The file system type name reported in f_fstypename. It says what the volume really is, in the name macOS
// uses where macOS has the same on-disk format or protocol (msdos, cd9660, hfs, smbfs, nfs, devfs), and
// otherwise in Linux's name (ext4, btrfs, xfs, tmpfs, overlay, proc, ...). A Mac would call its own root
// "apfs"; claiming that for an ext4 volume would mislead programs that look at what the volume supports.
void fstype_name(const char* linux_name, char (&dst)[xnu::XNU_MFSTYPENAMELEN]) {
    static const struct { const char *linux_name, *xnu_name; } kNames[] = {
        {"vfat", "msdos"}, {"msdos", "msdos"}, {"iso9660", "cd9660"}, {"hfsplus", "hfs"}, {"ntfs3", "ntfs"},
        {"cifs", "smbfs"}, {"smb3", "smbfs"}, {"nfs4", "nfs"}, {"devtmpfs", "devfs"},
    };
    const char* name = linux_name;
    for (const auto& n : kNames)
        if (strcmp(n.linux_name, linux_name) == 0) name = n.xnu_name;
    copy_str(dst, sizeof dst, name);
}

// The Linux type name for a file system magic number, when /proc/self/mountinfo did not name the mount.
const char* magic_name(int64_t magic) {
    switch (uint32_t(magic)) {
        case 0xef53: return "ext4";
        case 0x01021994: return "tmpfs";
        case 0x9fa0: return "proc";
        case 0x62656572: return "sysfs";
        case 0x794c7630: return "overlay";
        case 0x9123683e: return "btrfs";
        case 0x58465342: return "xfs";
        case 0x6969: return "nfs";
        case 0x4d44: return "msdos";
        case 0x1cd1: return "devpts";
        case 0x63677270: return "cgroup2";
        case 0x65735546: return "fuse";
        default: return "unknown";
    }
}

bool in_list(const char* s, std::initializer_list<const char*> list) {
    for (const char* l : list)
        if (strcmp(s, l) == 0) return true;
    return false;
}

// MNT_* flags for a mount: the mount options statfs reports, plus what macOS says of comparable volumes:
// MNT_LOCAL unless the data is remote (network and FUSE file systems), MNT_ROOTFS for "/", MNT_JOURNALED for
// journalling file systems, MNT_DONTBROWSE for kernel pseudo file systems (macOS marks devfs so).
uint32_t mount_flags(const struct ::statfs& ls, const char* fstype, const char* point) {
    uint32_t f = 0;
    if (ls.f_flags & ST_RDONLY) f |= xnu::XNU_MNT_RDONLY;
    if (ls.f_flags & ST_NOSUID) f |= xnu::XNU_MNT_NOSUID;
    if (ls.f_flags & ST_NODEV) f |= xnu::XNU_MNT_NODEV;
    if (ls.f_flags & ST_NOEXEC) f |= xnu::XNU_MNT_NOEXEC;
    if (ls.f_flags & ST_SYNCHRONOUS) f |= xnu::XNU_MNT_SYNCHRONOUS;
    if (ls.f_flags & ST_NOATIME) f |= xnu::XNU_MNT_NOATIME;
    bool remote = strncmp(fstype, "fuse", 4) == 0 ||
                  in_list(fstype, {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "9p", "afs", "glusterfs", "ncpfs"});
    if (!remote) f |= xnu::XNU_MNT_LOCAL;
    if (strcmp(point, "/") == 0) f |= xnu::XNU_MNT_ROOTFS;
    if (in_list(fstype, {"ext3", "ext4", "xfs", "jfs", "reiserfs"})) f |= xnu::XNU_MNT_JOURNALED;
    if (in_list(fstype, {"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs",
                         "bpf", "binfmt_misc", "mqueue", "hugetlbfs", "pstore", "configfs", "fusectl", "autofs",
                         "efivarfs", "rpc_pipefs", "nsfs", "selinuxfs"}))
        f |= xnu::XNU_MNT_DONTBROWSE;
    return f;
}

// Fills XNU's statfs from Linux's. XNU's f_bsize is the unit of f_blocks (Linux f_frsize) and f_iosize the
// preferred transfer size (Linux f_bsize). f_type is the Linux file system magic: XNU's numbers are the order
// in which its file systems registered, and none of them is a Linux file system. f_fsid holds the volume's
// device as st_dev reports it, and the type. f_owner is 0: Linux does not record who mounted a volume.
void fill_statfs(const struct ::statfs& ls, const MountEntry* m, unsigned dev_major, unsigned dev_minor,
                 xnu::statfs64& x) {
    x = xnu::statfs64{};
    x.f_bsize = uint32_t(ls.f_frsize ? ls.f_frsize : ls.f_bsize);
    x.f_iosize = ls.f_bsize > INT32_MAX ? INT32_MAX : int32_t(ls.f_bsize);
    x.f_blocks = ls.f_blocks;
    x.f_bfree = ls.f_bfree;
    x.f_bavail = ls.f_bavail;
    x.f_files = ls.f_files;
    x.f_ffree = ls.f_ffree;
    x.f_type = uint32_t(ls.f_type);
    x.f_fsid.val[0] = xnu::make_dev(dev_major, dev_minor);
    x.f_fsid.val[1] = int32_t(x.f_type);
    x.f_owner = 0;
    const char* fstype = m ? m->fstype : magic_name(ls.f_type);
    fstype_name(fstype, x.f_fstypename);
    if (m) {
        copy_str(x.f_mntonname, sizeof x.f_mntonname, m->point);  // strlcpy, as vfs_get_statfs64
        copy_str(x.f_mntfromname, sizeof x.f_mntfromname, m->source);
    }
    x.f_flags = mount_flags(ls, fstype, m ? m->point : "");
}

// statfs of what `dirfd`/`path` (AT_EMPTY_PATH: the descriptor itself) names, after Linux's statfs `ls`
// succeeded: finds its mount by statx's mount id.
int statfs_result(Thread& t, int dirfd, const char* path, int at_flags, const struct ::statfs& ls, TraceeAddr buf) {
    struct ::statx sx {};
    int64_t r = t.sys(SYS_statx, {dirfd, in(path, strlen(path) + 1), at_flags, STATX_MNT_ID, out(&sx, sizeof sx)});
    MountEntry found;
    bool have = false;
    if (r == 0 && (sx.stx_mask & STATX_MNT_ID)) {
        for_each_mount(t, [&](const MountEntry& m) {
            if (m.id != sx.stx_mnt_id) return true;
            found = m, have = true;
            return false;
        });
    }
    xnu::statfs64 x;
    fill_statfs(ls, have ? &found : nullptr, r == 0 ? sx.stx_dev_major : 0, r == 0 ? sx.stx_dev_minor : 0, x);
    return t.write(buf, &x, sizeof x);
}

// ---- pathconf ----------------------------------------------------------------------------------------------

enum class VnodeKind { File, Fifo, Device };

// The pathconf value of a vnode, as xnu vn_pathconf answers (vfs_vnops.c): a few names for every vnode,
// the rest from the vnode's operations: fifo_pathconf for FIFOs, spec_pathconf for devices, and for files on a
// Linux volume the values of HFS+ (hfs_vnop_pathconf, the Apple file system whose source is public) with
// what is true here: names up to the volume's limit (at most 255 bytes), case-sensitive. Unknown names and
// names a vnode does not answer are EINVAL. `fd`/`path` name the file for the volume's name length.
SysResult vnode_pathconf(Thread& t, VnodeKind kind, int name, int dirfd, const char* path, int at_flags) {
    switch (name) {
        case xnu::XNU_PC_EXTENDED_SECURITY_NP: return SysResult::ok(0);  // no ACLs
        case xnu::XNU_PC_AUTH_OPAQUE_NP: return SysResult::ok(0);
        case xnu::XNU_PC_2_SYMLINKS: return SysResult::ok(1);
        case xnu::XNU_PC_ALLOC_SIZE_MIN: return SysResult::ok(1);
        case xnu::XNU_PC_ASYNC_IO: return SysResult::ok(1);
        case xnu::XNU_PC_PRIO_IO: return SysResult::ok(0);
        case xnu::XNU_PC_REC_INCR_XFER_SIZE: return SysResult::ok(4096);
        case xnu::XNU_PC_REC_MIN_XFER_SIZE: return SysResult::ok(4096);
        case xnu::XNU_PC_REC_MAX_XFER_SIZE: return SysResult::ok(65536);
        case xnu::XNU_PC_REC_XFER_ALIGN: return SysResult::ok(4096);
        case xnu::XNU_PC_SYMLINK_MAX: return SysResult::ok(255);
        case xnu::XNU_PC_SYNC_IO: return SysResult::ok(0);
        // Bits needed for the largest extended attribute: Linux's values stop at 64 KiB (XATTR_SIZE_MAX).
        case xnu::XNU_PC_XATTR_SIZE_BITS: return SysResult::ok(17);
        default: break;
    }
    switch (kind) {
        case VnodeKind::Fifo:
            switch (name) {
                case xnu::XNU_PC_LINK_MAX: return SysResult::ok(xnu::XNU_LINK_MAX);
                case xnu::XNU_PC_PIPE_BUF: return SysResult::ok(xnu::XNU_PIPE_BUF);
                case xnu::XNU_PC_CHOWN_RESTRICTED: return SysResult::ok(xnu::XNU_POSIX_VERSION_200112);
                default: return SysResult::error(xnu::XNU_EINVAL);
            }
        case VnodeKind::Device:
            switch (name) {
                case xnu::XNU_PC_LINK_MAX: return SysResult::ok(xnu::XNU_LINK_MAX);
                case xnu::XNU_PC_MAX_CANON: return SysResult::ok(xnu::XNU_MAX_CANON);
                case xnu::XNU_PC_MAX_INPUT: return SysResult::ok(xnu::XNU_MAX_INPUT);
                case xnu::XNU_PC_PIPE_BUF: return SysResult::ok(xnu::XNU_PIPE_BUF);
                case xnu::XNU_PC_CHOWN_RESTRICTED: return SysResult::ok(xnu::XNU_POSIX_VERSION_200112);
                case xnu::XNU_PC_VDISABLE: return SysResult::ok(xnu::XNU_POSIX_VDISABLE);
                default: return SysResult::error(xnu::XNU_EINVAL);
            }
        case VnodeKind::File:
            switch (name) {
                case xnu::XNU_PC_LINK_MAX: return SysResult::ok(xnu::XNU_LINK_MAX);
                case xnu::XNU_PC_NAME_MAX:
                case xnu::XNU_PC_NAME_CHARS_MAX: {
                    struct ::statfs ls;
                    int64_t r = at_flags & kLinuxAtEmptyPath ? t.sys(SYS_fstatfs, {dirfd, out(&ls, sizeof ls)})
                                                             : t.sys(SYS_statfs, {in(path, strlen(path) + 1), out(&ls, sizeof ls)});
                    long n = r == 0 && ls.f_namelen > 0 && ls.f_namelen < xnu::XNU_NAME_MAX ? ls.f_namelen : xnu::XNU_NAME_MAX;
                    return SysResult::ok(uint64_t(n));
                }
                case xnu::XNU_PC_PATH_MAX: return SysResult::ok(xnu::XNU_PATH_MAX);
                case xnu::XNU_PC_PIPE_BUF: return SysResult::ok(xnu::XNU_PIPE_BUF);
                case xnu::XNU_PC_CHOWN_RESTRICTED: return SysResult::ok(xnu::XNU_POSIX_VERSION_200112);
                case xnu::XNU_PC_NO_TRUNC: return SysResult::ok(xnu::XNU_POSIX_VERSION_200112);
                case xnu::XNU_PC_CASE_SENSITIVE: return SysResult::ok(1);
                case xnu::XNU_PC_CASE_PRESERVING: return SysResult::ok(1);
                case xnu::XNU_PC_FILESIZEBITS: return SysResult::ok(64);
                default: return SysResult::error(xnu::XNU_EINVAL);
            }
    }
    return SysResult::error(xnu::XNU_EINVAL);
}

VnodeKind kind_of(mode_t mode) {
    if (S_ISFIFO(mode)) return VnodeKind::Fifo;
    if (S_ISCHR(mode) || S_ISBLK(mode)) return VnodeKind::Device;
    return VnodeKind::File;
}

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

/// mkdirat implements XNU BSD mkdirat(2) (475): the permission bits only (ACCESSPERMS), as mkdir.
SysResult sys_mkdirat(Thread& t, int32_t fd, TraceeAddr path, int32_t mode) {
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    return at_result(t, fd, p, t.sys(SYS_mkdirat, {linux_dirfd(fd), in_path(p), mode & xnu::XNU_ACCESSPERMS}));
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

/// fchownat implements XNU BSD fchownat(2) (468): AT_SYMLINK_NOFOLLOW is its one flag (EINVAL for any other,
/// AT_SYMLINK_NOFOLLOW_ANY included, before the path is read); -1 leaves an id unchanged.
SysResult sys_fchownat(Thread& t, int32_t fd, TraceeAddr path, uint32_t uid, uint32_t gid, int32_t flag) {
    if (flag & ~xnu::XNU_AT_SYMLINK_NOFOLLOW) return SysResult::error(xnu::XNU_EINVAL);
    Path p;
    XNU_TRY(read_at_path(t, fd, path, p));
    int lflags = flag & xnu::XNU_AT_SYMLINK_NOFOLLOW ? kLinuxAtSymlinkNofollow : 0;
    return at_result(t, fd, p, t.sys(SYS_fchownat, {linux_dirfd(fd), in_path(p), uid, gid, lflags}));
}

/// chown implements XNU BSD chown(2) (16).
SysResult sys_chown(Thread& t, TraceeAddr path, int32_t uid, int32_t gid) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    return ok_or(t.sys(SYS_fchownat, {kLinuxAtFdcwd, in_path(p), uint32_t(uid), uint32_t(gid), 0}));
}

/// lchown implements XNU BSD lchown(2) (364): the symlink itself.
SysResult sys_lchown(Thread& t, TraceeAddr path, uint32_t owner, uint32_t group) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    return ok_or(t.sys(SYS_fchownat, {kLinuxAtFdcwd, in_path(p), owner, group, kLinuxAtSymlinkNofollow}));
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

/// symlinkat implements XNU BSD symlinkat(2) (474): the link text is copied in first (EFAULT, ENAMETOOLONG
/// past MAXPATHLEN), then the new name is looked up relative to `fd`.
SysResult sys_symlinkat(Thread& t, TraceeAddr path1, int32_t fd, TraceeAddr path2) {
    Path target, p;
    if (path1.null()) return SysResult::error(xnu::XNU_EFAULT);
    XNU_TRY(t.read_cstr(path1, target.s, sizeof target.s));
    XNU_TRY(read_at_path(t, fd, path2, p));
    return at_result(t, fd, p, t.sys(SYS_symlinkat, {in_path(target), linux_dirfd(fd), in_path(p)}));
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

/// truncate implements XNU BSD truncate(2) (200): the length is checked before the lookup (EINVAL for a
/// negative one; SIGXFSZ and EFBIG past RLIMIT_FSIZE); a directory is EISDIR, other non-files EINVAL.
SysResult sys_truncate(Thread& t, TraceeAddr path, int64_t length) {
    XNU_TRY(check_truncate_length(t, length));
    Path p;
    XNU_TRY(read_path(t, path, p));
    return ok_or(t.sys(SYS_truncate, {in_path(p), length}));
}

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

/// statfs64 implements XNU BSD statfs64(2) (345), the call behind every x86_64 `statfs` (statfs$INODE64):
/// the volume's numbers from Linux statfs, its names from /proc/self/mountinfo (see fill_statfs).
SysResult sys_statfs64(Thread& t, TraceeAddr path, TraceeAddr buf) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    struct ::statfs ls;
    int64_t r = t.sys(SYS_statfs, {in_path(p), out(&ls, sizeof ls)});
    if (r < 0) return from_linux(r);
    XNU_TRY(statfs_result(t, kLinuxAtFdcwd, p.s, 0, ls, buf));
    return SysResult::ok(0);
}

/// fstatfs64 implements XNU BSD fstatfs64(2) (346); a pipe or socket is EINVAL (xnu file_vnode).
SysResult sys_fstatfs64(Thread& t, int32_t fd, TraceeAddr buf) {
    XNU_TRY(check_vnode_fd(t, fd));
    struct ::statfs ls;
    int64_t r = t.sys(SYS_fstatfs, {fd, out(&ls, sizeof ls)});
    if (r < 0) return from_linux(r);
    XNU_TRY(statfs_result(t, fd, "", kLinuxAtEmptyPath, ls, buf));
    return SysResult::ok(0);
}

/// getfsstat64 implements XNU BSD getfsstat64(2) (347): with a NULL buffer the number of mounts; otherwise
/// as many as fit in `bufsize` (computed as XNU does, so a negative size wraps), returning that number when
/// there are more (xnu vfs_syscalls.c). A mount whose statistics cannot be read is left out, as XNU leaves
/// out one whose vfs_update_vfsstat fails. MNT_WAIT/MNT_NOWAIT change nothing: Linux always answers afresh.
SysResult sys_getfsstat64(Thread& t, TraceeAddr buf, int32_t bufsize, int32_t flags) {
    (void)flags;
    const int maxcount = int(uint64_t(int64_t(bufsize)) / sizeof(xnu::statfs64));
    int count = 0, err = 0;
    TraceeAddr at = buf;
    int64_t r = for_each_mount(t, [&](const MountEntry& m) {
        if (!buf.null() && count < maxcount) {
            struct ::statfs ls;
            if (t.sys(SYS_statfs, {in(m.point, strlen(m.point) + 1), out(&ls, sizeof ls)}) < 0) return true;
            xnu::statfs64 x;
            fill_statfs(ls, &m, m.major, m.minor, x);
            if ((err = t.write(at, &x, sizeof x)) != 0) return false;
            at = at + sizeof x;
        }
        count++;
        return true;
    });
    if (err) return SysResult::error(err);
    if (r < 0) return from_linux(r);
    return SysResult::ok(uint32_t(!buf.null() && count > maxcount ? maxcount : count));
}

/// pathconf implements XNU BSD pathconf(2) (191): the path is looked up (symlinks followed) before the name
/// is looked at (see vnode_pathconf).
SysResult sys_pathconf(Thread& t, TraceeAddr path, int32_t name) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    struct ::stat st;
    int64_t r = t.sys(SYS_newfstatat, {kLinuxAtFdcwd, in_path(p), out(&st, sizeof st), 0});
    if (r < 0) return from_linux(r);
    return vnode_pathconf(t, kind_of(st.st_mode), name, kLinuxAtFdcwd, p.s, 0);
}

/// fpathconf implements XNU BSD fpathconf(2) (192): pipes and sockets answer only _PC_PIPE_BUF (512), other
/// descriptors that are not vnodes nothing (EINVAL); vnodes as pathconf (xnu kern_descrip.c sys_fpathconf).
SysResult sys_fpathconf(Thread& t, int32_t fd, int32_t name) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    struct ::stat st;
    int64_t r = fstat_fd(t, fd, st);
    if (r < 0) return from_linux(r);
    if (S_ISSOCK(st.st_mode) || (S_ISFIFO(st.st_mode) && !is_vnode_fd(t, fd))) {
        if (name != xnu::XNU_PC_PIPE_BUF) return SysResult::error(xnu::XNU_EINVAL);
        return SysResult::ok(xnu::XNU_PIPE_BUF);
    }
    if (!is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EINVAL);
    return vnode_pathconf(t, kind_of(st.st_mode), name, fd, "", kLinuxAtEmptyPath);
}

/// sync implements XNU BSD sync(2) (36).
SysResult sys_sync(Thread& t) {
    t.sys(SYS_sync);
    return SysResult::ok(0);
}

}  // namespace xnu_sys
