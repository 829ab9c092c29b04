// Files and paths: open/close, read/write and their vector and positional forms, lseek, truncation, sync,
// links, renames, directories, permissions, access checks, umask.
#include <climits>
#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "common.hpp"

namespace xnu_sys {
namespace {

constexpr int kUioMaxIov = 1024;  // xnu bsd/sys/uio.h UIO_MAXIOV

bool nosigpipe(int fd) {
    if (fd < 0 || fd >= 1024) return false;
    return process_state().nosigpipe[fd / 64].load(std::memory_order_relaxed) & (1ULL << (fd % 64));
}

// Runs a write-like Linux call. For a descriptor marked F_SETNOSIGPIPE, SIGPIPE is held off around the call
// and a SIGPIPE the call raised is consumed, so the program sees only EPIPE (xnu bsd/kern/sys_generic.c).
template <typename F>
SysResult write_call(Thread& t, int fd, F call) {
    if (!nosigpipe(fd)) return from_linux(call());
    uint64_t pipe_bit = 1ULL << (SIGPIPE - 1), old = 0;
    t.sys(SYS_rt_sigprocmask, {SIG_BLOCK, in(pipe_bit), out(old), 8});
    int64_t r = call();
    if (r == -EPIPE && !(old & pipe_bit)) {
        uint64_t set = pipe_bit;
        struct { long s, ns; } zero{0, 0};
        t.sys(SYS_rt_sigtimedwait, {in(set), nullptr, in(zero), 8});
    }
    t.sys(SYS_rt_sigprocmask, {SIG_SETMASK, in(old), nullptr, 8});
    return from_linux(r);
}

// Checks an iovec array as XNU does: 1..UIO_MAXIOV entries whose total fits in a signed int.
int check_iovecs(Thread& t, TraceeAddr iovp, uint32_t iovcnt) {
    if (iovcnt == 0 || iovcnt > kUioMaxIov) return xnu::XNU_EINVAL;
    struct { uint64_t base, len; } iov[64];
    uint64_t total = 0;
    for (uint32_t done = 0; done < iovcnt;) {
        uint32_t n = std::min<uint32_t>(64, iovcnt - done);
        XNU_TRY_ERRNO(t.read(iovp + done * 16ULL, iov, n * 16ULL));
        for (uint32_t i = 0; i < n; i++) {
            total += iov[i].len;
            if (iov[i].len > INT_MAX || total > INT_MAX) return xnu::XNU_EINVAL;
        }
        done += n;
    }
    return 0;
}

SysResult do_open(Thread& t, int dirfd, TraceeAddr path, int flags, int mode) {
    Path p;
    XNU_TRY(read_path(t, path, p));
    int lflags = 0;
    int lock = flags & (xnu::XNU_O_SHLOCK | xnu::XNU_O_EXLOCK);
    if (!xlate::oflags_to_linux(flags & ~(xnu::XNU_O_SHLOCK | xnu::XNU_O_EXLOCK), &lflags)) return SysResult::error(xnu::XNU_EINVAL);
    if ((lock & xnu::XNU_O_SHLOCK) && (lock & xnu::XNU_O_EXLOCK)) return SysResult::error(xnu::XNU_EINVAL);
    int64_t fd = t.sys(SYS_openat, {linux_dirfd(dirfd), in_path(p), lflags, mode & 07777});
    if (fd < 0) return from_linux(fd);
    if (lock) {
        // O_SHLOCK/O_EXLOCK take a flock(2) lock atomically with the open on macOS; here right after it.
        int op = (lock & xnu::XNU_O_EXLOCK ? LOCK_EX : LOCK_SH) | (flags & xnu::XNU_O_NONBLOCK ? LOCK_NB : 0);
        int64_t r = t.sys(SYS_flock, {fd, op});
        if (r < 0) {
            t.sys(SYS_close, {fd});
            return from_linux(r);
        }
    }
    return SysResult::ok(uint64_t(fd));
}

SysResult do_read(Thread& t, int fd, TraceeAddr buf, uint64_t n) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_read, {fd, buf, n}));
}

SysResult do_write(Thread& t, int fd, TraceeAddr buf, uint64_t n) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    return write_call(t, fd, [&] { return t.sys(SYS_write, {fd, buf, n}); });
}

SysResult do_pread(Thread& t, int fd, TraceeAddr buf, uint64_t n, int64_t off) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    if (off < 0) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_pread64, {fd, buf, n, off}));
}

SysResult do_pwrite(Thread& t, int fd, TraceeAddr buf, uint64_t n, int64_t off) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (n > INT_MAX) return SysResult::error(xnu::XNU_EINVAL);
    if (off < 0) return SysResult::error(xnu::XNU_EINVAL);
    return write_call(t, fd, [&] { return t.sys(SYS_pwrite64, {fd, buf, n, off}); });
}

SysResult do_readv(Thread& t, int fd, TraceeAddr iov, uint32_t cnt) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    XNU_TRY(check_iovecs(t, iov, cnt));
    return from_linux(t.sys(SYS_readv, {fd, iov, cnt}));
}

SysResult do_writev(Thread& t, int fd, TraceeAddr iov, uint32_t cnt) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    XNU_TRY(check_iovecs(t, iov, cnt));
    return write_call(t, fd, [&] { return t.sys(SYS_writev, {fd, iov, cnt}); });
}

SysResult do_close(Thread& t, int fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (fd >= 0 && fd < 1024)
        process_state().nosigpipe[fd / 64].fetch_and(~(1ULL << (fd % 64)), std::memory_order_relaxed);
    return from_linux(t.sys(SYS_close, {fd}));
}

SysResult do_fsync(Thread& t, int fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_fsync, {fd}));
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

constexpr int kLinuxAtFdcwd = -100;

}  // namespace

namespace {
ProcessState g_process_state;
}

ProcessState& process_state() { return g_process_state; }

void init_process_state() {
    mode_t m = ::umask(0);
    ::umask(m);
    g_process_state.umask = m;
}

/// open implements XNU BSD open(2) (5).
SysResult sys_open(Thread& t, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, xnu::XNU_AT_FDCWD, path, flags, mode); }
SysResult sys_open_nocancel(Thread& t, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, xnu::XNU_AT_FDCWD, path, flags, mode); }
/// openat implements XNU BSD openat(2) (463).
SysResult sys_openat(Thread& t, int32_t fd, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, fd, path, flags, mode); }
SysResult sys_openat_nocancel(Thread& t, int32_t fd, TraceeAddr path, int32_t flags, int32_t mode) { return do_open(t, fd, path, flags, mode); }

/// close implements XNU BSD close(2) (6).
SysResult sys_close(Thread& t, int32_t fd) { return do_close(t, fd); }
SysResult sys_close_nocancel(Thread& t, int32_t fd) { return do_close(t, fd); }

/// read/write implement XNU BSD read(2) (3) and write(2) (4); nbyte past INT_MAX is EINVAL.
SysResult sys_read(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n) { return do_read(t, fd, buf, n); }
SysResult sys_read_nocancel(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n) { return do_read(t, fd, buf, n); }
SysResult sys_write(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n) { return do_write(t, fd, buf, n); }
SysResult sys_write_nocancel(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n) { return do_write(t, fd, buf, n); }
/// pread/pwrite implement XNU BSD pread(2) (153) and pwrite(2) (154).
SysResult sys_pread(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n, int64_t off) { return do_pread(t, fd, buf, n, off); }
SysResult sys_pread_nocancel(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n, int64_t off) { return do_pread(t, fd, buf, n, off); }
SysResult sys_pwrite(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n, int64_t off) { return do_pwrite(t, fd, buf, n, off); }
SysResult sys_pwrite_nocancel(Thread& t, int32_t fd, TraceeAddr buf, uint64_t n, int64_t off) { return do_pwrite(t, fd, buf, n, off); }
/// readv/writev implement XNU BSD readv(2) (120) and writev(2) (121).
SysResult sys_readv(Thread& t, int32_t fd, TraceeAddr iov, uint32_t cnt) { return do_readv(t, fd, iov, cnt); }
SysResult sys_readv_nocancel(Thread& t, int32_t fd, TraceeAddr iov, uint32_t cnt) { return do_readv(t, fd, iov, cnt); }
SysResult sys_writev(Thread& t, int32_t fd, TraceeAddr iov, uint32_t cnt) { return do_writev(t, fd, iov, cnt); }
SysResult sys_writev_nocancel(Thread& t, int32_t fd, TraceeAddr iov, uint32_t cnt) { return do_writev(t, fd, iov, cnt); }

/// lseek implements XNU BSD lseek(2) (199). XNU numbers SEEK_HOLE 3 and SEEK_DATA 4; Linux the other way round.
SysResult sys_lseek(Thread& t, int32_t fd, int64_t offset, int32_t whence) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    int lw;
    switch (whence) {
        case xnu::XNU_SEEK_SET: lw = SEEK_SET; break;
        case xnu::XNU_SEEK_CUR: lw = SEEK_CUR; break;
        case xnu::XNU_SEEK_END: lw = SEEK_END; break;
        case xnu::XNU_SEEK_HOLE: lw = SEEK_HOLE; break;
        case xnu::XNU_SEEK_DATA: lw = SEEK_DATA; break;
        default: return SysResult::error(xnu::XNU_EINVAL);
    }
    return from_linux(t.sys(SYS_lseek, {fd, offset, lw}));
}

/// ftruncate implements XNU BSD ftruncate(2) (201).
SysResult sys_ftruncate(Thread& t, int32_t fd, int64_t length) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    if (length < 0) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_ftruncate, {fd, length}));
}

/// fsync implements XNU BSD fsync(2) (95).
SysResult sys_fsync(Thread& t, int32_t fd) { return do_fsync(t, fd); }
SysResult sys_fsync_nocancel(Thread& t, int32_t fd) { return do_fsync(t, fd); }

/// link implements XNU BSD link(2) (9).
SysResult sys_link(Thread& t, TraceeAddr path, TraceeAddr link) {
    return two_paths(t, path, link, [&](Path& a, Path& b) {
        return t.sys(SYS_linkat, {kLinuxAtFdcwd, in_path(a), kLinuxAtFdcwd, in_path(b), 0});
    });
}

/// symlink implements XNU BSD symlink(2) (57): the target text may be anything but must be readable.
SysResult sys_symlink(Thread& t, TraceeAddr target, TraceeAddr link) {
    return two_paths(t, target, link, [&](Path& a, Path& b) {
        return t.sys(SYS_symlinkat, {in_path(a), kLinuxAtFdcwd, in_path(b)});
    });
}

/// rename implements XNU BSD rename(2) (128).
SysResult sys_rename(Thread& t, TraceeAddr from, TraceeAddr to) {
    return two_paths(t, from, to, [&](Path& a, Path& b) {
        return t.sys(SYS_renameat2, {kLinuxAtFdcwd, in_path(a), kLinuxAtFdcwd, in_path(b), 0});
    });
}

/// renameat implements XNU BSD renameat(2) (465).
SysResult sys_renameat(Thread& t, int32_t fromfd, TraceeAddr from, int32_t tofd, TraceeAddr to) {
    return two_paths(t, from, to, [&](Path& a, Path& b) {
        return t.sys(SYS_renameat2, {linux_dirfd(fromfd), in_path(a), linux_dirfd(tofd), in_path(b), 0});
    });
}

/// unlink implements XNU BSD unlink(2) (10).
SysResult sys_unlink(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_unlinkat, {kLinuxAtFdcwd, in_path(p), 0}); });
}

/// unlinkat implements XNU BSD unlinkat(2) (472): AT_REMOVEDIR is the only flag with a Linux meaning.
SysResult sys_unlinkat(Thread& t, int32_t fd, TraceeAddr path, int32_t flag) {
    int lflags = 0;
    if (flag & ~(xnu::XNU_AT_REMOVEDIR | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY)) return SysResult::error(xnu::XNU_EINVAL);
    if (flag & xnu::XNU_AT_REMOVEDIR) lflags |= 0x200;  // Linux AT_REMOVEDIR
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_unlinkat, {linux_dirfd(fd), in_path(p), lflags}); });
}

/// mkdir implements XNU BSD mkdir(2) (136).
SysResult sys_mkdir(Thread& t, TraceeAddr path, int32_t mode) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_mkdirat, {kLinuxAtFdcwd, in_path(p), mode & 07777}); });
}

/// rmdir implements XNU BSD rmdir(2) (137).
SysResult sys_rmdir(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_unlinkat, {kLinuxAtFdcwd, in_path(p), 0x200}); });
}

/// chdir implements XNU BSD chdir(2) (12).
SysResult sys_chdir(Thread& t, TraceeAddr path) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_chdir, {in_path(p)}); });
}

/// fchdir implements XNU BSD fchdir(2) (13).
SysResult sys_fchdir(Thread& t, int32_t fd) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_fchdir, {fd}));
}

/// chmod implements XNU BSD chmod(2) (15): the mode keeps its 12 permission bits (ALLPERMS).
SysResult sys_chmod(Thread& t, TraceeAddr path, int32_t mode) {
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_fchmodat, {kLinuxAtFdcwd, in_path(p), mode & 07777}); });
}

/// fchmod implements XNU BSD fchmod(2) (124).
SysResult sys_fchmod(Thread& t, int32_t fd, int32_t mode) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_fchmod, {fd, mode & 07777}));
}

/// fchown implements XNU BSD fchown(2) (123); -1 leaves an id unchanged, as on Linux.
SysResult sys_fchown(Thread& t, int32_t fd, int32_t uid, int32_t gid) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_fchown, {fd, uint32_t(uid), uint32_t(gid)}));
}

/// readlink implements XNU BSD readlink(2) (58).
SysResult sys_readlink(Thread& t, TraceeAddr path, TraceeAddr buf, int32_t count) {
    if (count < 0) return SysResult::error(xnu::XNU_EINVAL);
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_readlinkat, {kLinuxAtFdcwd, in_path(p), buf, count}); });
}

namespace {
// access(2) modes: F_OK 0, X_OK 1, W_OK 2, R_OK 4 (same on Linux). XNU's extended bits (_READ_OK and the rest,
// 1 << 9 and up, xnu bsd/sys/unistd.h) ask finer questions; each implies one of the classic bits.
int access_mode(int amode, int* lmode) {
    constexpr int kExtended = 0x7ff00;  // _READ_OK .. _APPEND_OK, _EXECUTE_OK, _DELETE_OK, _ATTRIB, _XATTR...
    if (amode & ~(7 | kExtended)) return xnu::XNU_EINVAL;
    int m = amode & 7;
    if (amode & (1 << 9)) m |= 4;                                             // _READ_OK
    if (amode & ((1 << 10) | (1 << 13) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 17) | (1 << 18))) m |= 2;
    if (amode & ((1 << 11) | (1 << 12))) m |= 1;                              // _EXECUTE_OK
    *lmode = m;
    return 0;
}
}  // namespace

/// access implements XNU BSD access(2) (33): checked with the real ids, as POSIX says.
SysResult sys_access(Thread& t, TraceeAddr path, int32_t amode) {
    int lmode;
    XNU_TRY(access_mode(amode, &lmode));
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_faccessat2, {kLinuxAtFdcwd, in_path(p), lmode, 0}); });
}

/// faccessat implements XNU BSD faccessat(2) (466): AT_EACCESS and AT_SYMLINK_NOFOLLOW.
SysResult sys_faccessat(Thread& t, int32_t fd, TraceeAddr path, int32_t amode, int32_t flag) {
    int lmode;
    XNU_TRY(access_mode(amode, &lmode));
    if (flag & ~(xnu::XNU_AT_EACCESS | xnu::XNU_AT_SYMLINK_NOFOLLOW | xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY))
        return SysResult::error(xnu::XNU_EINVAL);
    int lflags = (flag & xnu::XNU_AT_EACCESS ? 0x200 : 0) | (flag & xnu::XNU_AT_SYMLINK_NOFOLLOW ? 0x100 : 0);
    return one_path(t, path, [&](Path& p) { return t.sys(SYS_faccessat2, {linux_dirfd(fd), in_path(p), lmode, lflags}); });
}

/// umask implements XNU BSD umask(2) (60). XNU keeps all 12 bits (07777) and returns them; Linux keeps 9, so
/// the full value lives here and Linux gets its low 9 bits.
SysResult sys_umask(Thread& t, int32_t newmask) {
    uint32_t mask = uint32_t(newmask) & 07777;
    t.sys(SYS_umask, {mask & 0777});
    return SysResult::ok(process_state().umask.exchange(mask));
}

}  // namespace xnu_sys
