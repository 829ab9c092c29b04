// Descriptor operations: dup, dup2, pipe, fcntl.
#include <fcntl.h>
#include <linux/falloc.h>

#include "common.hpp"

namespace xnu_sys {
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

SysResult fcntl_preallocate(Thread& t, int fd, TraceeAddr arg) {
    xnu::fstore fs;
    XNU_TRY(t.read(arg, &fs, sizeof fs));
    constexpr uint32_t kAllocateContig = 2, kAllocateAll = 4;  // F_ALLOCATECONTIG, F_ALLOCATEALL
    if (fs.fst_flags & ~(kAllocateContig | kAllocateAll | 0x10 /* F_ALLOCATEPERSIST */)) return SysResult::error(xnu::XNU_EINVAL);
    if (fs.fst_length <= 0 || fs.fst_offset < 0) return SysResult::error(xnu::XNU_EINVAL);
    int64_t start = fs.fst_offset;
    if (fs.fst_posmode == xnu::XNU_F_PEOFPOSMODE) {
        struct { uint64_t a[18]; } st;  // Linux struct stat: st_size at byte 48
        int64_t r = t.sys(SYS_fstat, {fd, out(&st, sizeof st)});
        if (r < 0) return from_linux(r);
        start += int64_t(st.a[6]);
    } else if (fs.fst_posmode != xnu::XNU_F_VOLPOSMODE) {
        return SysResult::error(xnu::XNU_EINVAL);
    }
    // F_PREALLOCATE reserves space without changing the file's size.
    int64_t r = t.sys(SYS_fallocate, {fd, FALLOC_FL_KEEP_SIZE, start, fs.fst_length});
    if (r < 0) return from_linux(r);
    fs.fst_bytesalloc = fs.fst_length;
    XNU_TRY(t.write(arg, &fs, sizeof fs));
    return SysResult::ok(0);
}

SysResult do_fcntl(Thread& t, int fd, int cmd, int64_t arg) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    TraceeAddr p(static_cast<uint64_t>(arg));
    switch (cmd) {
        case xnu::XNU_F_DUPFD:
        case xnu::XNU_F_DUPFD_CLOEXEC: {
            if (arg < 0) return SysResult::error(xnu::XNU_EINVAL);
            return from_linux(t.sys(SYS_fcntl, {fd, cmd == xnu::XNU_F_DUPFD ? F_DUPFD : F_DUPFD_CLOEXEC, int(arg)}));
        }
        case xnu::XNU_F_GETFD: return from_linux(t.sys(SYS_fcntl, {fd, F_GETFD}));
        case xnu::XNU_F_SETFD: return from_linux(t.sys(SYS_fcntl, {fd, F_SETFD, int(arg) & FD_CLOEXEC}));
        case xnu::XNU_F_GETFL: {
            int64_t r = t.sys(SYS_fcntl, {fd, F_GETFL});
            if (r < 0) return from_linux(r);
            return SysResult::ok(uint32_t(xlate::oflags_to_xnu(int(r))));
        }
        case xnu::XNU_F_SETFL: {
            // Only the status flags F_SETFL may change (xnu FCNTLFLAGS); others are ignored, as XNU ignores them.
            int settable = int(arg) & (xnu::XNU_O_NONBLOCK | xnu::XNU_O_APPEND | xnu::XNU_O_ASYNC | xnu::XNU_O_FSYNC);
            int lflags = 0;
            xlate::oflags_to_linux(settable, &lflags);
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
        case xnu::XNU_F_BARRIERFSYNC: return from_linux(t.sys(SYS_fsync, {fd}));
        case xnu::XNU_F_NOCACHE:
        case xnu::XNU_F_RDAHEAD: {
            // Caching and read-ahead hints: posix_fadvise is Linux's form of the same advice.
            int64_t r = t.sys(SYS_fcntl, {fd, F_GETFD});
            if (r < 0) return from_linux(r);
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
            if (arg) word.fetch_or(bit);
            else word.fetch_and(~bit);
            return SysResult::ok(0);
        }
        default: {
            const char* name = xlate::fcntl_cmd_name(cmd);
            if (name) report_unimplemented(SysClass::Bsd, 92, name);
            return SysResult::error(xnu::XNU_EINVAL);
        }
    }
}

}  // namespace

/// dup implements XNU BSD dup(2) (41).
SysResult sys_dup(Thread& t, uint32_t fd) {
    if (hidden_fd(int(fd))) return SysResult::error(xnu::XNU_EBADF);
    return from_linux(t.sys(SYS_dup, {fd}));
}

/// dup2 implements XNU BSD dup2(2) (90). Neither end may be one of macrun's own descriptors.
SysResult sys_dup2(Thread& t, uint32_t from, uint32_t to) {
    if (hidden_fd(int(from)) || hidden_fd(int(to))) return SysResult::error(xnu::XNU_EBADF);
    if (from == to) {
        int64_t r = t.sys(SYS_fcntl, {from, F_GETFD});
        return r < 0 ? from_linux(r) : SysResult::ok(to);
    }
    return from_linux(t.sys(SYS_dup3, {from, to, 0}));
}

/// pipe implements XNU BSD pipe(2) (42): the two descriptors come back in rax and rdx.
SysResult sys_pipe(Thread& t) {
    int fds[2];
    int64_t r = t.sys(SYS_pipe2, {out(fds, sizeof fds), 0});
    if (r < 0) return from_linux(r);
    return SysResult::ok2(uint64_t(fds[0]), uint64_t(fds[1]));
}

/// fcntl implements XNU BSD fcntl(2) (92) for the commands macOS programs use.
SysResult sys_fcntl(Thread& t, int32_t fd, int32_t cmd, int64_t arg) { return do_fcntl(t, fd, cmd, arg); }
SysResult sys_fcntl_nocancel(Thread& t, int32_t fd, int32_t cmd, int64_t arg) { return do_fcntl(t, fd, cmd, arg); }

}  // namespace xnu_sys
