// Files and paths: open/close, read/write and their vector and positional forms, lseek, truncation, sync,
// links, renames, directories, permissions, access checks, umask.
#include <climits>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "common.hpp"

namespace xnu_sys {

// ---- Shared with fd.cpp, stat.cpp and dir.cpp (declared in common.hpp) ------------------------------------

// False only for an open descriptor that is not a vnode in XNU's sense: pipes, sockets and other anonymous
// objects, whose /proc/self/fd link is not a path ("pipe:[123]"). Files, directories, devices and named FIFOs
// are vnodes. An invalid descriptor counts as a vnode, so the caller's Linux call reports EBADF itself.
bool is_vnode_fd(Thread& t, int fd) {
    char link[32], target[4];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int64_t n = t.sys(SYS_readlinkat, {-100, in(link, strlen(link) + 1), out(target, sizeof target), sizeof target});
    return n <= 0 || target[0] == '/';
}

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

namespace {

constexpr int kUioMaxIov = 1024;  // xnu bsd/sys/uio.h UIO_MAXIOV
constexpr int kLinuxAtFdcwd = -100;
constexpr int kLinuxAtRemovedir = 0x200;
constexpr int kRwfNoappend = 0x20;  // Linux RWF_NOAPPEND (6.9)

bool nosigpipe(int fd) {
    if (fd < 0 || fd >= 1024) return false;
    return process_state().nosigpipe[fd / 64].load(std::memory_order_relaxed) & (1ULL << (fd % 64));
}

// Runs a write-like Linux call. For a descriptor marked F_SETNOSIGPIPE, SIGPIPE is held off around the call
// and a SIGPIPE the call raised is consumed, so the program sees only EPIPE (xnu bsd/kern/sys_generic.c).
template <typename F>
int64_t write_call(Thread& t, int fd, F call) {
    if (!nosigpipe(fd)) return call();
    uint64_t pipe_bit = 1ULL << (SIGPIPE - 1), old = 0;
    t.sys(SYS_rt_sigprocmask, {SIG_BLOCK, in(pipe_bit), out(old), 8});
    int64_t r = call();
    if (r == -EPIPE && !(old & pipe_bit)) {
        uint64_t set = pipe_bit;
        struct { long s, ns; } zero{0, 0};
        t.sys(SYS_rt_sigtimedwait, {in(set), nullptr, in(zero), 8});
    }
    t.sys(SYS_rt_sigprocmask, {SIG_SETMASK, in(old), nullptr, 8});
    return r;
}

// Linux ends a transfer that reaches an unmapped byte of the program's buffer with the count done so far; XNU
// fails the whole call with EFAULT (xnu sys_generic.c fp_readv/fp_writev turn only EINTR-like errors into
// partial success). A copy faults at the first byte of an inaccessible page, so only a short count that stops
// at (or a few bytes before) a page boundary inside the buffer can be such a case; *edge gets that boundary.
bool stopped_at_page_edge(TraceeAddr buf, uint64_t n, int64_t r, TraceeAddr* edge) {
    if (r < 0 || uint64_t(r) >= n) return false;
    uint64_t at = buf.addr + uint64_t(r), boundary = (at + 4095) & ~uint64_t{4095};
    if (boundary - at >= 8 || boundary - buf.addr >= n) return false;
    *edge = TraceeAddr(boundary);
    return true;
}

bool write_stopped_at_fault(Thread& t, TraceeAddr buf, uint64_t n, int64_t r) {
    TraceeAddr edge;
    char c;
    return stopped_at_page_edge(buf, n, r, &edge) && t.read(edge, &c, 1) != 0;
}

// A read needs the page to be writable, and there must have been more to read: a read that reaches EOF just
// before the unmapped page never touches it on XNU either. `pos` is where the next byte would come from
// (-1: the descriptor's offset).
bool read_stopped_at_fault(Thread& t, int fd, TraceeAddr buf, uint64_t n, int64_t r, int64_t pos) {
    TraceeAddr edge;
    char c;
    if (!stopped_at_page_edge(buf, n, r, &edge)) return false;
    if (t.read(edge, &c, 1) == 0 && t.write(edge, &c, 1) == 0) return false;
    if (pos < 0) pos = t.sys(SYS_lseek, {fd, 0, SEEK_CUR});
    if (pos >= 0) return t.sys(SYS_pread64, {fd, out(&c, 1), 1, pos}) > 0;
    int avail = 0;  // pipes, sockets, terminals
    return t.sys(SYS_ioctl, {fd, FIONREAD, out(avail)}) == 0 && avail > 0;
}

// The descriptor checks XNU makes before it looks at a transfer's size or offset (xnu sys_generic.c
// preparefileread/preparefilewrite): open (EBADF), open for this direction (EBADF), and for positional I/O a
// file that can seek (ESPIPE).
int check_rw_fd(Thread& t, int fd, bool write, bool positional) {
    if (hidden_fd(fd)) return xnu::XNU_EBADF;
    int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFL});
    if (fl < 0 || (fl & O_PATH) || (fl & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY)) return xnu::XNU_EBADF;
    if (positional && t.sys(SYS_lseek, {fd, 0, SEEK_CUR}) == -ESPIPE) return xnu::XNU_ESPIPE;
    return 0;
}

// Reads an iovec array as XNU does, before the descriptor is looked at: 1..UIO_MAXIOV entries (EINVAL), then
// the copy-in (EFAULT). *total gets the sum of the lengths, saturated at UINT64_MAX.
int read_iovecs(Thread& t, TraceeAddr iovp, uint32_t iovcnt, uint64_t* total) {
    if (int32_t(iovcnt) <= 0 || iovcnt > kUioMaxIov) return xnu::XNU_EINVAL;
    struct { uint64_t base, len; } iov[64];
    *total = 0;
    for (uint32_t done = 0; done < iovcnt;) {
        uint32_t n = std::min<uint32_t>(64, iovcnt - done);
        XNU_TRY_ERRNO(t.read(iovp + done * 16ULL, iov, n * 16ULL));
        for (uint32_t i = 0; i < n; i++) *total = iov[i].len > UINT64_MAX - *total ? UINT64_MAX : *total + iov[i].len;
        done += n;
    }
    return 0;
}

// Open flags XNU defines. open() ignores any others: open1 keeps only a few bits in the file's flags and
// never rejects unknown ones (xnu vfs_syscalls.c).
constexpr int kOpenKnown = xnu::XNU_O_ACCMODE | xnu::XNU_O_NONBLOCK | xnu::XNU_O_APPEND | xnu::XNU_O_SHLOCK |
                           xnu::XNU_O_EXLOCK | xnu::XNU_O_ASYNC | xnu::XNU_O_SYNC | xnu::XNU_O_NOFOLLOW |
                           xnu::XNU_O_CREAT | xnu::XNU_O_TRUNC | xnu::XNU_O_EXCL | xnu::XNU_O_RESOLVE_BENEATH |
                           xnu::XNU_O_EVTONLY | xnu::XNU_O_NOCTTY | xnu::XNU_O_DIRECTORY | xnu::XNU_O_SYMLINK |
                           xnu::XNU_O_DSYNC | xnu::XNU_O_CLOEXEC | xnu::XNU_O_CLOFORK | xnu::XNU_O_NOFOLLOW_ANY |
                           xnu::XNU_O_EXEC;

// O_TRUNC applied after the fact, to a regular file only (as open() does).
int64_t truncate_opened(Thread& t, int64_t fd, int lflags) {
    struct ::stat st;
    int64_t r = t.sys(SYS_fstat, {fd, out(&st, sizeof st)});
    if (r < 0 || !S_ISREG(st.st_mode)) return r < 0 ? r : 0;
    if ((lflags & O_ACCMODE) != O_RDONLY) return t.sys(SYS_ftruncate, {fd, 0});
    char link[32];  // O_RDONLY|O_TRUNC: truncate through the path of the descriptor
    snprintf(link, sizeof link, "/proc/self/fd/%d", int(fd));
    return t.sys(SYS_truncate, {in(link, strlen(link) + 1), 0});
}

SysResult do_open(Thread& t, int dirfd, TraceeAddr path, int flags, int mode) {
    flags &= kOpenKnown;
    const int lock = flags & (xnu::XNU_O_SHLOCK | xnu::XNU_O_EXLOCK);
    // The flag checks come before the path is read: open1 rejects access mode 3 and O_EXEC with a write mode,
    // vn_open_auth O_CREAT together with O_DIRECTORY.
    int lflags = 0;
    if (!xlate::oflags_to_linux(flags & ~lock, &lflags)) return SysResult::error(xnu::XNU_EINVAL);
    if ((flags & xnu::XNU_O_CREAT) && (flags & xnu::XNU_O_DIRECTORY)) return SysResult::error(xnu::XNU_EINVAL);
    Path p;
    XNU_TRY(read_at_path(t, dirfd, path, p));
    // XNU takes the O_SHLOCK/O_EXLOCK lock before it applies O_TRUNC, so a lock that fails truncates nothing.
    const bool late_trunc = lock && (lflags & O_TRUNC);
    if (late_trunc) lflags &= ~O_TRUNC;
    // The new file gets the permission bits only: no setuid, setgid or sticky (xnu openat_internal,
    // ACCESSPERMS). Linux applies the umask itself.
    int64_t fd = t.sys(SYS_openat, {linux_dirfd(dirfd), in_path(p), lflags, mode & 0777});
    if (fd < 0) return at_result(t, dirfd, p, fd);
    if (lock) {
        // The flock(2) lock XNU takes as part of the open; O_EXLOCK wins when both are given (xnu open1).
        int op = (lock & xnu::XNU_O_EXLOCK ? LOCK_EX : LOCK_SH) | (flags & xnu::XNU_O_NONBLOCK ? LOCK_NB : 0);
        int64_t r = t.sys(SYS_flock, {fd, op});
        if (r == 0 && late_trunc) r = truncate_opened(t, fd, lflags);
        if (r < 0) {
            t.sys(SYS_close, {fd});
            return from_linux(r);
        }
    }
    return SysResult::ok(uint64_t(fd));
}

// nbyte past INT_MAX is EINVAL before the descriptor is looked at (xnu sys_generic.c read_internal).
SysResult do_read(Thread& t, int fd, TraceeAddr buf, uint64_t n) {
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = t.sys(SYS_read, {fd, buf, n});
    if (read_stopped_at_fault(t, fd, buf, n, r, -1)) return SysResult::error(xnu::XNU_EFAULT);
    return from_linux(r);
}

SysResult do_write(Thread& t, int fd, TraceeAddr buf, uint64_t n) {
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = write_call(t, fd, [&] { return t.sys(SYS_write, {fd, buf, n}); });
    if (write_stopped_at_fault(t, buf, n, r)) return SysResult::error(xnu::XNU_EFAULT);
    return from_linux(r);
}

// A negative offset is EINVAL only once the descriptor passed its checks (xnu vn_read_common); Linux tests
// the offset first.
SysResult do_pread(Thread& t, int fd, TraceeAddr buf, uint64_t n, int64_t off) {
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (off < 0) {
        XNU_TRY(check_rw_fd(t, fd, false, true));
        return SysResult::error(xnu::XNU_EINVAL);
    }
    int64_t r = t.sys(SYS_pread64, {fd, buf, n, off});
    if (read_stopped_at_fault(t, fd, buf, n, r, off + r)) return SysResult::error(xnu::XNU_EFAULT);
    return from_linux(r);
}

// pwrite at offset -1 is EINVAL before anything else (xnu pwrite_nocancel); other negative offsets after the
// descriptor checks. pwrite writes at the offset even on an O_APPEND descriptor (xnu vn_write clears
// IO_APPEND for it), where Linux would append: RWF_NOAPPEND asks for XNU's behaviour.
SysResult do_pwrite(Thread& t, int fd, TraceeAddr buf, uint64_t n, int64_t off) {
    if (off == -1 || n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (off < 0) {
        XNU_TRY(check_rw_fd(t, fd, true, true));
        return SysResult::error(xnu::XNU_EINVAL);
    }
    int64_t r = write_call(t, fd, [&] {
        struct { uint64_t base, len; } iov{buf.addr, n};
        int64_t w = t.sys(SYS_pwritev2, {fd, in(iov), 1, off, 0, kRwfNoappend});
        if (w != -EOPNOTSUPP) return w;
        // Kernels before 6.9 know no RWF_NOAPPEND: O_APPEND is taken off around the call instead.
        int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFL});
        if (fl < 0 || !(fl & O_APPEND)) return t.sys(SYS_pwrite64, {fd, buf, n, off});
        t.sys(SYS_fcntl, {fd, F_SETFL, fl & ~O_APPEND});
        w = t.sys(SYS_pwrite64, {fd, buf, n, off});
        t.sys(SYS_fcntl, {fd, F_SETFL, fl});
        return w;
    });
    if (write_stopped_at_fault(t, buf, n, r)) return SysResult::error(xnu::XNU_EFAULT);
    return from_linux(r);
}

// readv/writev: the iovec array is checked and copied in first; a total past INT_MAX is EINVAL (xnu
// vn_read/vn_write) but only for a descriptor that passed its checks.
SysResult do_readv(Thread& t, int fd, TraceeAddr iov, uint32_t cnt) {
    uint64_t total;
    XNU_TRY(read_iovecs(t, iov, cnt, &total));
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (total > INT_MAX) {
        XNU_TRY(check_rw_fd(t, fd, false, false));
        return SysResult::error(xnu::XNU_EINVAL);
    }
    return from_linux(t.sys(SYS_readv, {fd, iov, cnt}));
}

SysResult do_writev(Thread& t, int fd, TraceeAddr iov, uint32_t cnt) {
    uint64_t total;
    XNU_TRY(read_iovecs(t, iov, cnt, &total));
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (total > INT_MAX) {
        XNU_TRY(check_rw_fd(t, fd, true, false));
        return SysResult::error(xnu::XNU_EINVAL);
    }
    return from_linux(write_call(t, fd, [&] { return t.sys(SYS_writev, {fd, iov, cnt}); }));
}

SysResult do_close(Thread& t, int fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (fd >= 0 && fd < 1024)
        process_state().nosigpipe[fd / 64].fetch_and(~(1ULL << (fd % 64)), std::memory_order_relaxed);
    return from_linux(t.sys(SYS_close, {fd}));
}

// Pipes and sockets are not vnodes: xnu fsync_common gets ENOTSUP from fp_getfvp where Linux says EINVAL.
SysResult do_fsync(Thread& t, int fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = t.sys(SYS_fsync, {fd});
    if (r == -EINVAL && !is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_ENOTSUP);
    return from_linux(r);
}

// Two-path calls (link, rename, symlink) share the reading of both paths.
template <typename F>
SysResult two_paths(Thread& t, TraceeAddr a, TraceeAddr b, F call) {
    Path pa, pb;
    XNU_TRY(read_path(t, a, pa));
    XNU_TRY(read_path(t, b, pb));
    return from_linux(call(pa, pb));
}

template <typename F>
SysResult one_path(Thread& t, TraceeAddr a, F call) {
    Path p;
    XNU_TRY(read_path(t, a, p));
    return from_linux(call(p));
}

// unlink of a directory: Linux says EISDIR, XNU EPERM (xnu vfs_subr.c vn_authorize_unlink, "POSIX").
int64_t unlink_errno(int64_t r) { return r == -EISDIR ? -EPERM : r; }

}  // namespace

/// open implements XNU BSD open(2) (5).
SysResult sys_open(Thread& t, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, xnu::XNU_AT_FDCWD, path, flags, mode); }
/// openat implements XNU BSD openat(2) (463).
SysResult sys_openat(Thread& t, int32_t fd, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, fd, path, flags, mode); }

/// close implements XNU BSD close(2) (6).
SysResult sys_close(Thread& t, int32_t fd) { return do_close(t, fd); }

/// read/write implement XNU BSD read(2) (3) and write(2) (4); nbyte past INT_MAX is EINVAL.
SysResult sys_read(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n) { return do_read(t, fd, buf, n); }
SysResult sys_write(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n) { return do_write(t, fd, buf, n); }
/// pread/pwrite implement XNU BSD pread(2) (153) and pwrite(2) (154).
SysResult sys_pread(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n, int64_t off) { return do_pread(t, fd, buf, n, off); }
SysResult sys_pwrite(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n, int64_t off) { return do_pwrite(t, fd, buf, n, off); }
/// readv/writev implement XNU BSD readv(2) (120) and writev(2) (121).
SysResult sys_readv(Thread& t, int32_t fd, TraceeAddr iov, uint32_t cnt) { return do_readv(t, fd, iov, cnt); }
SysResult sys_writev(Thread& t, int32_t fd, TraceeAddr iov, uint32_t cnt) { return do_writev(t, fd, iov, cnt); }

/// lseek implements XNU BSD lseek(2) (199). XNU numbers SEEK_HOLE 3 and SEEK_DATA 4; Linux the other way round.
/// The descriptor is checked before whence (EBADF, ESPIPE first), and a positive move that wraps past the
/// largest offset is EOVERFLOW (xnu vfs_syscalls.c lseek), where Linux says EINVAL.
SysResult sys_lseek(Thread& t, int32_t fd, int64_t offset, int32_t whence) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int lw;
    switch (whence) {
        case xnu::XNU_SEEK_SET: lw = SEEK_SET; break;
        case xnu::XNU_SEEK_CUR: lw = SEEK_CUR; break;
        case xnu::XNU_SEEK_END: lw = SEEK_END; break;
        case xnu::XNU_SEEK_HOLE: lw = SEEK_HOLE; break;
        case xnu::XNU_SEEK_DATA: lw = SEEK_DATA; break;
        default: {
            int64_t r = t.sys(SYS_lseek, {fd, 0, SEEK_CUR});
            return r < 0 ? from_linux(r) : SysResult::error(xnu::XNU_EINVAL);
        }
    }
    int64_t r = t.sys(SYS_lseek, {fd, offset, lw});
    if (r == -EINVAL && offset > 0 && (lw == SEEK_CUR || lw == SEEK_END)) {
        int64_t base = -1;
        if (lw == SEEK_CUR) {
            base = t.sys(SYS_lseek, {fd, 0, SEEK_CUR});
        } else {
            struct ::stat st;
            if (t.sys(SYS_fstat, {fd, out(&st, sizeof st)}) == 0) base = st.st_size;
        }
        if (base >= 0 && base > INT64_MAX - offset) return SysResult::error(xnu::XNU_EOVERFLOW);
    }
    return from_linux(r);
}

/// ftruncate implements XNU BSD ftruncate(2) (201): the length is checked before the descriptor.
SysResult sys_ftruncate(Thread& t, int32_t fd, int64_t length) {
    if (length < 0) return SysResult::error(xnu::XNU_EINVAL);
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_ftruncate, {fd, length}));
}

/// fsync implements XNU BSD fsync(2) (95).
SysResult sys_fsync(Thread& t, int32_t fd) { return do_fsync(t, fd); }

/// fdatasync implements XNU BSD fdatasync(2) (187): fsync_common with MNT_DWAIT, so the same descriptor
/// checks as fsync (ENOTSUP for a pipe or socket).
SysResult sys_fdatasync(Thread& t, int32_t fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = t.sys(SYS_fdatasync, {fd});
    if (r == -EINVAL && !is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_ENOTSUP);
    return from_linux(r);
}

/// link implements XNU BSD link(2) (9): linkat(AT_FDCWD, path, AT_FDCWD, link, AT_SYMLINK_FOLLOW), as xnu
/// link() calls linkat_internal: a symlink source is followed (Linux's link links the symlink itself), and
/// the source is looked up before the new name is read.
SysResult sys_link(Thread& t, TraceeAddr path, TraceeAddr link) {
    return sys_linkat(t, xnu::XNU_AT_FDCWD, path, xnu::XNU_AT_FDCWD, link, xnu::XNU_AT_SYMLINK_FOLLOW);
}

/// symlink implements XNU BSD symlink(2) (57): symlinkat relative to AT_FDCWD (xnu symlinkat_internal); the
/// target text may be anything but must be readable.
SysResult sys_symlink(Thread& t, TraceeAddr target, TraceeAddr link) {
    return sys_symlinkat(t, target, xnu::XNU_AT_FDCWD, link);
}

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

/// mkdir implements XNU BSD mkdir(2) (136): the permission bits only, no setuid, setgid or sticky
/// (xnu vfs_syscalls.c mkdir: mode & ACCESSPERMS); Linux applies the umask.
SysResult sys_mkdir(Thread& t, TraceeAddr path, int32_t mode) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_mkdirat, {kLinuxAtFdcwd, in_path(p), mode & 0777}); });
}

/// rmdir implements XNU BSD rmdir(2) (137).
SysResult sys_rmdir(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_unlinkat, {kLinuxAtFdcwd, in_path(p), kLinuxAtRemovedir}); });
}

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

/// fchown implements XNU BSD fchown(2) (123); -1 leaves an id unchanged, as on Linux. Pipes and sockets are
/// EINVAL, as for fchmod (xnu file_vnode).
SysResult sys_fchown(Thread& t, int32_t fd, int32_t uid, int32_t gid) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (!is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_fchown, {fd, uint32_t(uid), uint32_t(gid)}));
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

/// umask implements XNU BSD umask(2) (60). XNU keeps all 12 bits (07777) and returns them; Linux keeps 9, so
/// the full value lives here and Linux gets its low 9 bits.
SysResult sys_umask(Thread& t, int32_t newmask) {
    uint32_t mask = uint32_t(newmask) & 07777;
    t.sys(SYS_umask, {mask & 0777});
    return SysResult::ok(process_state().umask.exchange(mask));
}

}  // namespace xnu_sys
