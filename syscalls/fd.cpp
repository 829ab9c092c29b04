// Descriptor operations: dup, dup2, pipe, fcntl.
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/file.h>
#include <sys/resource.h>

#include "common.hpp"
#include "trace_names.hpp"

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

// F_SETNOSIGPIPE belongs to the open file (xnu FG_NOSIGPIPE in the fileglob), so a new descriptor for the same
// file inherits the mark of the one it was duplicated from.
void copy_nosigpipe(int from, int64_t to) {
    if (from < 0 || from >= 1024 || to < 0 || to >= 1024) return;
    auto& ps = process_state();
    bool set = ps.nosigpipe[from / 64].load(std::memory_order_relaxed) & (1ULL << (from % 64));
    if (set) ps.nosigpipe[to / 64].fetch_or(1ULL << (to % 64), std::memory_order_relaxed);
    else ps.nosigpipe[to / 64].fetch_and(~(1ULL << (to % 64)), std::memory_order_relaxed);
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

/// getdtablesize implements XNU BSD getdtablesize(2) (89): the descriptor limit (RLIMIT_NOFILE's soft value,
/// xnu proc_limitgetcur_nofile), at most INT_MAX.
SysResult sys_getdtablesize(Thread& t) {
    struct { uint64_t cur, max; } lim{};
    int64_t r = t.sys(SYS_prlimit64, {0, RLIMIT_NOFILE, nullptr, out(lim)});
    if (r < 0) return from_linux(r);
    return SysResult::ok(lim.cur > uint64_t(INT32_MAX) ? uint64_t(INT32_MAX) : lim.cur);
}

/// fcntl implements XNU BSD fcntl(2) (92) for the commands macOS programs use.
SysResult sys_fcntl(Thread& t, int32_t fd, int32_t cmd, int64_t arg) { return do_fcntl(t, fd, cmd, arg); }

}  // namespace xnu_sys
