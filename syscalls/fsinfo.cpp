// File systems: statfs64/fstatfs64/getfsstat64 (the numbers from Linux statfs, the names from
// /proc/self/mountinfo), pathconf/fpathconf, sync.
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "common.hpp"

namespace xnu_sys {

// ---- statfs ------------------------------------------------------------------------------------------------

namespace {

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

}  // namespace

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

// ---- pathconf ----------------------------------------------------------------------------------------------

namespace {

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

}  // namespace

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

// ---- sync --------------------------------------------------------------------------------------------------

/// sync implements XNU BSD sync(2) (36).
SysResult sys_sync(Thread& t) {
    t.sys(SYS_sync);
    return SysResult::ok(0);
}

}  // namespace xnu_sys
