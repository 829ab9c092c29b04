// Descriptors: open/openat, close, read/write and their positional and vector forms, lseek, dup/dup2, pipe,
// getdtablesize, fcntl, flock, fsync/fdatasync; and the descriptor facts the other file families ask
// (is_vnode_fd, check_vnode_fd, fstat_fd).
#include <climits>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "common.hpp"
#include "trace_names.hpp"

namespace xnu_sys {

// ---- Shared with the other file families (declared in common.hpp) ------------------------------------------

// False only for an open descriptor that is not a vnode in XNU's sense: pipes, sockets and other anonymous
// objects, whose /proc/self/fd link is not a path ("pipe:[123]"). Files, directories, devices and named FIFOs
// are vnodes. An invalid descriptor counts as a vnode, so the caller's Linux call reports EBADF itself.
bool is_vnode_fd(Thread& t, int fd) {
    char link[32], target[4];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int64_t n = t.sys(SYS_readlinkat, {-100, in(link, strlen(link) + 1), out(target, sizeof target), sizeof target});
    return n <= 0 || target[0] == '/';
}

// The descriptor checks of xnu file_vnode(): EBADF for a descriptor that is not open (or one of macrun's),
// EINVAL for one that is not a vnode (a pipe or socket).
int check_vnode_fd(Thread& t, int fd) {
    if (hidden_fd(fd) || t.sys(SYS_fcntl, {fd, F_GETFD}) < 0) return xnu::XNU_EBADF;
    return is_vnode_fd(t, fd) ? 0 : xnu::XNU_EINVAL;
}

int64_t fstat_fd(Thread& t, int64_t fd, struct ::stat& st) {
    return t.sys(SYS_newfstatat, {fd, in("", 1), out(&st, sizeof st), kLinuxAtEmptyPath});
}

// ---- F_SETNOSIGPIPE marks ----------------------------------------------------------------------------------

namespace {

// The F_SETNOSIGPIPE mark of a descriptor (one bit a descriptor below 1024, in process_state()).
bool nosigpipe(int fd) {
    if (fd < 0 || fd >= 1024) return false;
    return process_state().nosigpipe[fd / 64].load(std::memory_order_relaxed) & (1ULL << (fd % 64));
}

// F_SETNOSIGPIPE belongs to the open file (xnu FG_NOSIGPIPE in the fileglob), so a new descriptor for the same
// file inherits the mark of the one it was duplicated from.
void copy_nosigpipe(int from, int64_t to) {
    if (from < 0 || from >= 1024 || to < 0 || to >= 1024) return;
    auto& ps = process_state();
    bool set = ps.nosigpipe[from / 64].load(std::memory_order_relaxed) & (1ULL << (from % 64));
    if (set) ps.nosigpipe[to / 64].fetch_or(1ULL << (to % 64), std::memory_order_relaxed);
    else ps.nosigpipe[to / 64].fetch_and(~(1ULL << (to % 64)), std::memory_order_relaxed);
}

}  // namespace

// ---- open, close -------------------------------------------------------------------------------------------

namespace {

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

SysResult do_close(Thread& t, int fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (fd >= 0 && fd < 1024)
        process_state().nosigpipe[fd / 64].fetch_and(~(1ULL << (fd % 64)), std::memory_order_relaxed);
    return from_linux(t.sys(SYS_close, {fd}));
}

}  // namespace

/// open implements XNU BSD open(2) (5).
SysResult sys_open(Thread& t, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, xnu::XNU_AT_FDCWD, path, flags, mode); }
/// openat implements XNU BSD openat(2) (463).
SysResult sys_openat(Thread& t, int32_t fd, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, fd, path, flags, mode); }

/// close implements XNU BSD close(2) (6).
SysResult sys_close(Thread& t, int32_t fd) { return do_close(t, fd); }

// ---- read, write, lseek ------------------------------------------------------------------------------------

namespace {

constexpr int kUioMaxIov = 1024;  // xnu bsd/sys/uio.h UIO_MAXIOV
constexpr int kRwfNoappend = 0x20;  // Linux RWF_NOAPPEND (6.9)

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

}  // namespace

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

// ---- dup, pipe, the descriptor table -----------------------------------------------------------------------

/// dup implements XNU BSD dup(2) (41).
SysResult sys_dup(Thread& t, uint32_t fd) {
    if (hidden_fd(int(fd))) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = t.sys(SYS_dup, {fd});
    copy_nosigpipe(int(fd), r);
    return from_linux(r);
}

/// dup2 implements XNU BSD dup2(2) (90). Neither end may be one of macrun's own descriptors.
SysResult sys_dup2(Thread& t, uint32_t from, uint32_t to) {
    if (hidden_fd(int(from)) || hidden_fd(int(to))) return SysResult::error(xnu::XNU_EBADF);
    if (from == to) {
        int64_t r = t.sys(SYS_fcntl, {from, F_GETFD});
        return r < 0 ? from_linux(r) : SysResult::ok(to);
    }
    int64_t r = t.sys(SYS_dup3, {from, to, 0});
    if (r >= 0) copy_nosigpipe(int(from), r);
    return from_linux(r);
}

/// pipe implements XNU BSD pipe(2) (42): the two descriptors come back in rax and rdx.
SysResult sys_pipe(Thread& t) {
    int fds[2];
    int64_t r = t.sys(SYS_pipe2, {out(fds, sizeof fds), 0});
    if (r < 0) return from_linux(r);
    return SysResult::ok2(uint64_t(fds[0]), uint64_t(fds[1]));
}

/// getdtablesize implements XNU BSD getdtablesize(2) (89): the descriptor limit (RLIMIT_NOFILE's soft value,
/// xnu proc_limitgetcur_nofile), at most INT_MAX.
SysResult sys_getdtablesize(Thread& t) {
    struct { uint64_t cur, max; } lim{};
    int64_t r = t.sys(SYS_prlimit64, {0, RLIMIT_NOFILE, nullptr, out(lim)});
    if (r < 0) return from_linux(r);
    return SysResult::ok(lim.cur > uint64_t(INT32_MAX) ? uint64_t(INT32_MAX) : lim.cur);
}

// ---- fcntl, flock ------------------------------------------------------------------------------------------

namespace {

// Linux's struct flock: l_type and l_whence first (asm-generic/fcntl.h).
struct linux_flock {
    int16_t l_type, l_whence;
    int64_t l_start, l_len;
    int32_t l_pid;
};

// F_RDLCK/F_UNLCK/F_WRLCK are 1/2/3 on XNU (bsd/sys/fcntl.h) and 0/2/1 on Linux.
int lock_type_to_linux(int t) {
    switch (t) {
        case xnu::XNU_F_RDLCK: return F_RDLCK;
        case xnu::XNU_F_WRLCK: return F_WRLCK;
        case xnu::XNU_F_UNLCK: return F_UNLCK;
        default: return -1;
    }
}
int lock_type_to_xnu(int t) {
    switch (t) {
        case F_RDLCK: return xnu::XNU_F_RDLCK;
        case F_WRLCK: return xnu::XNU_F_WRLCK;
        default: return xnu::XNU_F_UNLCK;
    }
}

SysResult fcntl_lock(Thread& t, int fd, int cmd, TraceeAddr arg) {
    xnu::flock xf;
    XNU_TRY(t.read(arg, &xf, sizeof xf));
    int type = lock_type_to_linux(xf.l_type);
    if (type < 0 || xf.l_whence < 0 || xf.l_whence > 2) return SysResult::error(xnu::XNU_EINVAL);
    linux_flock lf{int16_t(type), xf.l_whence, xf.l_start, xf.l_len, xf.l_pid};
    int lcmd = cmd == xnu::XNU_F_GETLK ? F_GETLK : cmd == xnu::XNU_F_SETLK ? F_SETLK : F_SETLKW;
    int64_t r = t.sys(SYS_fcntl, {fd, lcmd, inout(&lf, sizeof lf)});
    if (r < 0) return from_linux(r);
    if (cmd == xnu::XNU_F_GETLK) {
        xf.l_type = int16_t(lock_type_to_xnu(lf.l_type));
        xf.l_whence = lf.l_whence;
        xf.l_start = lf.l_start;
        xf.l_len = lf.l_len;
        xf.l_pid = lf.l_pid;
        XNU_TRY(t.write(arg, &xf, sizeof xf));
    }
    return SysResult::ok(0);
}

// F_GETPATH: the path of the file behind a descriptor, from /proc, as the tracee sees it.
SysResult fcntl_getpath(Thread& t, int fd, TraceeAddr arg) {
    char link[64], path[xnu::XNU_MAXPATHLEN + 1];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int64_t n = t.sys(SYS_readlinkat, {-100, in(link, strlen(link) + 1), out(path, sizeof path - 1), sizeof path - 1});
    if (n == -ENOENT) return SysResult::error(xnu::XNU_EBADF);
    if (n < 0) return from_linux(n);
    // Pipes and sockets have no path ("pipe:[1234]"); XNU answers EBADF for descriptors that are not vnodes.
    if (n == 0 || path[0] != '/') return SysResult::error(xnu::XNU_EBADF);
    if (n >= int64_t(xnu::XNU_MAXPATHLEN)) return SysResult::error(xnu::XNU_ENAMETOOLONG);
    path[n] = '\0';
    XNU_TRY(t.write(arg, path, size_t(n) + 1));
    return SysResult::ok(0);
}

// F_PREALLOCATE, with XNU's order of checks (xnu kern_descrip.c): a vnode (EBADF), open for writing (EBADF),
// the fstore_t copied in (EFAULT), then the position mode: F_PEOFPOSMODE needs fst_offset 0, F_VOLPOSMODE a
// positive one. Unknown fst_flags bits are ignored. The struct is copied back with fst_bytesalloc.
SysResult fcntl_preallocate(Thread& t, int fd, TraceeAddr arg) {
    int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFL});
    if (fl < 0) return from_linux(fl);
    if (!is_vnode_fd(t, fd) || (fl & O_ACCMODE) == O_RDONLY || (fl & O_PATH)) return SysResult::error(xnu::XNU_EBADF);
    xnu::fstore fs;
    XNU_TRY(t.read(arg, &fs, sizeof fs));
    int64_t start = fs.fst_offset;
    if (fs.fst_posmode == xnu::XNU_F_PEOFPOSMODE) {
        if (fs.fst_offset != 0) return SysResult::error(xnu::XNU_EINVAL);
        // From the physical end of file; the logical size stands in for it.
        struct { uint64_t a[18]; } st;  // Linux struct stat: st_size at byte 48
        int64_t r = t.sys(SYS_fstat, {fd, out(&st, sizeof st)});
        if (r < 0) return from_linux(r);
        start = int64_t(st.a[6]);
    } else if (fs.fst_posmode != xnu::XNU_F_VOLPOSMODE || fs.fst_offset <= 0) {
        return SysResult::error(xnu::XNU_EINVAL);
    }
    if (fs.fst_length < 0) return SysResult::error(xnu::XNU_EINVAL);
    fs.fst_bytesalloc = 0;
    if (fs.fst_length > 0) {
        // F_PREALLOCATE reserves space without changing the file's size.
        int64_t r = t.sys(SYS_fallocate, {fd, FALLOC_FL_KEEP_SIZE, start, fs.fst_length});
        if (r < 0) return from_linux(r);
        fs.fst_bytesalloc = fs.fst_length;
    }
    XNU_TRY(t.write(arg, &fs, sizeof fs));
    return SysResult::ok(0);
}

// Status flags as XNU reports them: only the access mode and FMASK (xnu bsd/sys/fcntl.h). Linux also keeps
// open-time flags such as O_DIRECTORY and O_NOFOLLOW in f_flags.
constexpr int kStatusFlags = xnu::XNU_O_ACCMODE | xnu::XNU_O_NONBLOCK | xnu::XNU_O_APPEND | xnu::XNU_O_ASYNC |
                             xnu::XNU_O_SYNC | xnu::XNU_O_DSYNC | xnu::XNU_O_EXEC;
// The ones F_SETFL may change (FCNTLFLAGS).
constexpr int kSettableFlags = xnu::XNU_O_NONBLOCK | xnu::XNU_O_APPEND | xnu::XNU_O_ASYNC | xnu::XNU_O_SYNC | xnu::XNU_O_DSYNC;

SysResult do_fcntl(Thread& t, int fd, int cmd, int64_t arg) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    TraceeAddr p(static_cast<uint64_t>(arg));
    switch (cmd) {
        case xnu::XNU_F_DUPFD:
        case xnu::XNU_F_DUPFD_CLOEXEC: {
            // The minimum is the int in arg's low half (xnu: CAST_DOWN_EXPLICIT(int, uap->arg)).
            int newmin = int(arg);
            if (newmin < 0) return SysResult::error(xnu::XNU_EINVAL);
            int64_t r = t.sys(SYS_fcntl, {fd, cmd == xnu::XNU_F_DUPFD ? F_DUPFD : F_DUPFD_CLOEXEC, newmin});
            copy_nosigpipe(fd, r);
            return from_linux(r);
        }
        case xnu::XNU_F_GETFD: return from_linux(t.sys(SYS_fcntl, {fd, F_GETFD}));
        case xnu::XNU_F_SETFD: return from_linux(t.sys(SYS_fcntl, {fd, F_SETFD, int(arg) & FD_CLOEXEC}));
        case xnu::XNU_F_GETFL: {
            int64_t r = t.sys(SYS_fcntl, {fd, F_GETFL});
            if (r < 0) return from_linux(r);
            return SysResult::ok(uint32_t(xlate::oflags_to_xnu(int(r)) & kStatusFlags));
        }
        case xnu::XNU_F_SETFL: {
            // XNU keeps FFLAGS(arg) & FCNTLFLAGS of the int argument and ignores the rest (xnu kern_descrip.c).
            // FFLAGS adds 1 to the access mode unless O_EXEC is set, so access mode 3 carries into O_NONBLOCK.
            // Linux cannot change O_SYNC/O_DSYNC after open; they are dropped.
            int v = int(arg);
            int fflags = v & xnu::XNU_O_EXEC ? v & ~xnu::XNU_O_ACCMODE : v + 1;
            int lflags = 0;
            xlate::oflags_to_linux(fflags & kSettableFlags & ~(xnu::XNU_O_SYNC | xnu::XNU_O_DSYNC), &lflags);
            return from_linux(t.sys(SYS_fcntl, {fd, F_SETFL, lflags}));
        }
        case xnu::XNU_F_GETOWN: return from_linux(t.sys(SYS_fcntl, {fd, F_GETOWN}));
        case xnu::XNU_F_SETOWN: return from_linux(t.sys(SYS_fcntl, {fd, F_SETOWN, int(arg)}));
        case xnu::XNU_F_GETLK:
        case xnu::XNU_F_SETLK:
        case xnu::XNU_F_SETLKW: return fcntl_lock(t, fd, cmd, p);
        case xnu::XNU_F_GETPATH:
        case xnu::XNU_F_GETPATH_NOFIRMLINK: return fcntl_getpath(t, fd, p);
        case xnu::XNU_F_FULLFSYNC:
        case xnu::XNU_F_BARRIERFSYNC: {
            // Vnodes only: a pipe or socket is EBADF (Linux's fsync says EINVAL).
            int64_t r = t.sys(SYS_fsync, {fd});
            if (r == -EINVAL && !is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EBADF);
            return from_linux(r);
        }
        case xnu::XNU_F_NOCACHE:
        case xnu::XNU_F_RDAHEAD: {
            // Caching and read-ahead hints: posix_fadvise is Linux's form of the same advice. Vnodes only.
            int64_t r = t.sys(SYS_fcntl, {fd, F_GETFD});
            if (r < 0) return from_linux(r);
            if (!is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_EBADF);
            int advice = cmd == xnu::XNU_F_NOCACHE ? (arg ? 4 /* DONTNEED */ : 0) : (arg ? 2 /* SEQUENTIAL */ : 1 /* RANDOM */);
            t.sys(SYS_fadvise64, {fd, 0, 0, advice});
            return SysResult::ok(0);
        }
        case xnu::XNU_F_RDADVISE: {
            xnu::radvisory ra{};
            XNU_TRY(t.read(p, &ra, xnu::XNU_RADVISORY_KERNEL_SIZE));
            if (ra.ra_offset < 0 || ra.ra_count < 0) return SysResult::error(xnu::XNU_EINVAL);
            int64_t r = t.sys(SYS_readahead, {fd, ra.ra_offset, ra.ra_count});
            return r == -EINVAL ? SysResult::ok(0) : from_linux(r < 0 ? r : 0);
        }
        case xnu::XNU_F_PREALLOCATE: return fcntl_preallocate(t, fd, p);
        case xnu::XNU_F_SETNOSIGPIPE:
        case xnu::XNU_F_GETNOSIGPIPE: {
            int64_t r = t.sys(SYS_fcntl, {fd, F_GETFD});
            if (r < 0) return from_linux(r);
            if (fd >= 1024) return SysResult::error(xnu::XNU_EINVAL);
            auto& word = process_state().nosigpipe[fd / 64];
            uint64_t bit = 1ULL << (fd % 64);
            if (cmd == xnu::XNU_F_GETNOSIGPIPE) return SysResult::ok((word.load() & bit) ? 1 : 0);
            if (int(arg)) word.fetch_or(bit);  // an int argument
            else word.fetch_and(~bit);
            return SysResult::ok(0);
        }
        default: {
            // The descriptor is looked up before the command (xnu sys_fcntl_nocancel: fp_lookup first).
            int64_t r = t.sys(SYS_fcntl, {fd, F_GETFD});
            if (r < 0) return from_linux(r);
            const char* name = fcntl_cmd_name(cmd);
            if (name) report_unimplemented(SysClass::Bsd, 92, name);
            return SysResult::error(xnu::XNU_EINVAL);
        }
    }
}

}  // namespace

/// fcntl implements XNU BSD fcntl(2) (92) for the commands macOS programs use.
SysResult sys_fcntl(Thread& t, int32_t fd, int32_t cmd, int64_t arg) { return do_fcntl(t, fd, cmd, arg); }

/// flock implements XNU BSD flock(2) (131) with xnu sys_flock's reading of `how`: LOCK_UN wins, then LOCK_EX,
/// then LOCK_SH, other bits are ignored, and none of the three is EBADF (Linux says EINVAL, and refuses
/// LOCK_SH|LOCK_EX). Only vnodes take locks: a pipe or socket is ENOTSUP (fp_getfvp), where Linux would lock it.
SysResult sys_flock(Thread& t, int32_t fd, int32_t how) {
    if (hidden_fd(fd) || t.sys(SYS_fcntl, {fd, F_GETFD}) < 0) return SysResult::error(xnu::XNU_EBADF);
    if (!is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_ENOTSUP);
    int op;
    if (how & xnu::XNU_LOCK_UN) op = LOCK_UN;
    else if (how & xnu::XNU_LOCK_EX) op = LOCK_EX;
    else if (how & xnu::XNU_LOCK_SH) op = LOCK_SH;
    else return SysResult::error(xnu::XNU_EBADF);
    if (op != LOCK_UN && (how & xnu::XNU_LOCK_NB)) op |= LOCK_NB;
    int64_t r = t.sys(SYS_flock, {fd, op});
    return r < 0 ? from_linux(r) : SysResult::ok(0);
}

// ---- fsync, fdatasync --------------------------------------------------------------------------------------

namespace {

// Pipes and sockets are not vnodes: xnu fsync_common gets ENOTSUP from fp_getfvp where Linux says EINVAL.
SysResult do_fsync(Thread& t, int fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int64_t r = t.sys(SYS_fsync, {fd});
    if (r == -EINVAL && !is_vnode_fd(t, fd)) return SysResult::error(xnu::XNU_ENOTSUP);
    return from_linux(r);
}

}  // namespace

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

}  // namespace xnu_sys
