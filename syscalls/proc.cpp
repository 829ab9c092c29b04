// Process identity and resources: exit, getpid and friends, getgroups, issetugid, kill, thread_selfid,
// getrlimit/setrlimit, getrusage, getentropy, csops.
#include <sys/auxv.h>
#include <sys/resource.h>

#include "common.hpp"
#include "mach/task.hpp"

namespace xnu_sys {
namespace {

// XNU RLIMIT_* (bsd/sys/resource.h) to Linux's numbering; XNU's RLIMIT_AS and RLIMIT_RSS are one limit.
int rlimit_to_linux(uint32_t which) {
    switch (which & ~uint32_t(xnu::XNU_RLIMIT_POSIX_FLAG)) {
        case xnu::XNU_RLIMIT_CPU: return RLIMIT_CPU;
        case xnu::XNU_RLIMIT_FSIZE: return RLIMIT_FSIZE;
        case xnu::XNU_RLIMIT_DATA: return RLIMIT_DATA;
        case xnu::XNU_RLIMIT_STACK: return RLIMIT_STACK;
        case xnu::XNU_RLIMIT_CORE: return RLIMIT_CORE;
        case xnu::XNU_RLIMIT_AS: return RLIMIT_AS;
        case xnu::XNU_RLIMIT_MEMLOCK: return RLIMIT_MEMLOCK;
        case xnu::XNU_RLIMIT_NPROC: return RLIMIT_NPROC;
        case xnu::XNU_RLIMIT_NOFILE: return RLIMIT_NOFILE;
        default: return -1;
    }
}

// RLIM_INFINITY is 2^63-1 on XNU and all ones on Linux.
uint64_t rlim_to_xnu(uint64_t v) { return v == RLIM_INFINITY || v > uint64_t(xnu::XNU_RLIM_INFINITY) ? uint64_t(xnu::XNU_RLIM_INFINITY) : v; }
uint64_t rlim_to_linux(uint64_t v) { return v >= uint64_t(xnu::XNU_RLIM_INFINITY) ? RLIM_INFINITY : v; }

// Whether `pid` names an existing process (XNU's csops and friends answer ESRCH otherwise).
bool process_exists(Thread& t, int pid) {
    if (pid == 0 || pid == t.pid()) return true;
    int64_t r = t.sys(SYS_kill, {pid, 0});
    return r == 0 || r == -EPERM;
}

}  // namespace

/// exit implements XNU BSD exit(2) (1): the whole process ends with the status's low 8 bits.
SysResult sys_exit(Thread& t, int32_t rval) {
    mach::task_exit(t);
    t.sys(SYS_exit_group, {rval});
    return SysResult::just_return();  // not reached
}

/// getpid, getppid, getuid, geteuid, getgid, getegid implement XNU BSD 20, 39, 24, 25, 47, 43.
SysResult sys_getpid(Thread& t) { return from_linux(t.sys(SYS_getpid)); }
SysResult sys_getppid(Thread& t) { return from_linux(t.sys(SYS_getppid)); }
SysResult sys_getuid(Thread& t) { return from_linux(t.sys(SYS_getuid)); }
SysResult sys_geteuid(Thread& t) { return from_linux(t.sys(SYS_geteuid)); }
SysResult sys_getgid(Thread& t) { return from_linux(t.sys(SYS_getgid)); }
SysResult sys_getegid(Thread& t) { return from_linux(t.sys(SYS_getegid)); }

/// getgroups implements XNU BSD getgroups(2) (79): size 0 asks for the count; a smaller array is EINVAL. XNU
/// keeps the effective gid in cr_groups[0] (xnu bsd/kern/kern_credential.c), so the list always starts with it,
/// followed by the supplementary groups, at most NGROUPS in all.
SysResult sys_getgroups(Thread& t, uint32_t gidsetsize, TraceeAddr gidset) {
    uint32_t host[xnu::XNU_NGROUPS * 4];
    int64_t n = t.sys(SYS_getgroups, {sizeof host / sizeof host[0], out(host, sizeof host)});
    if (n == -EINVAL) n = 0;  // more groups than fit: the first ones are enough, XNU keeps only NGROUPS
    if (n < 0) return from_linux(n);
    uint32_t groups[xnu::XNU_NGROUPS];
    groups[0] = uint32_t(t.sys(SYS_getegid));
    uint32_t count = 1;
    for (int64_t i = 0; i < n && count < xnu::XNU_NGROUPS; i++)
        if (host[i] != groups[0]) groups[count++] = host[i];
    if (gidsetsize == 0) return SysResult::ok(count);
    if (gidsetsize < count) return SysResult::error(xnu::XNU_EINVAL);
    XNU_TRY(t.write(gidset, groups, sizeof groups[0] * count));
    return SysResult::ok(count);
}

/// issetugid implements XNU BSD issetugid(2) (327): 1 when the program runs with privileges it was not
/// started with (Linux's AT_SECURE for the loader).
SysResult sys_issetugid(Thread&) { return SysResult::ok(getauxval(AT_SECURE) ? 1 : 0); }

/// kill implements XNU BSD kill(2) (37) with Darwin signal numbers. SIGEMT and SIGINFO have no Linux
/// counterpart and are refused with ENOTSUP rather than sent as something else.
SysResult sys_kill(Thread& t, int32_t pid, int32_t signum, int32_t posix) {
    (void)posix;
    if (signum < 0 || signum >= xnu::XNU_NSIG) return SysResult::error(xnu::XNU_EINVAL);
    int lsig = signum == 0 ? 0 : xlate::signal_to_linux(signum);
    if (signum != 0 && lsig == 0) return SysResult::error(xnu::XNU_ENOTSUP);
    return from_linux(t.sys(SYS_kill, {pid, lsig}));
}

/// thread_selfid implements XNU BSD thread_selfid (372): a unique 64-bit id for the calling thread.
SysResult sys_thread_selfid(Thread& t) { return from_linux(t.sys(SYS_gettid)); }

/// getrlimit implements XNU BSD getrlimit(2) (194).
SysResult sys_getrlimit(Thread& t, uint32_t which, TraceeAddr rlp) {
    int res = rlimit_to_linux(which);
    if (res < 0) return SysResult::error(xnu::XNU_EINVAL);
    struct { uint64_t cur, max; } l;
    int64_t r = t.sys(SYS_prlimit64, {0, res, nullptr, out(&l, sizeof l)});
    if (r < 0) return from_linux(r);
    xnu::rlimit x{};
    x.rlim_cur = rlim_to_xnu(l.cur);
    x.rlim_max = rlim_to_xnu(l.max);
    XNU_TRY(t.write(rlp, &x, sizeof x));
    return SysResult::ok(0);
}

/// setrlimit implements XNU BSD setrlimit(2) (195): a soft limit above the hard one is EINVAL.
SysResult sys_setrlimit(Thread& t, uint32_t which, TraceeAddr rlp) {
    int res = rlimit_to_linux(which);
    if (res < 0) return SysResult::error(xnu::XNU_EINVAL);
    xnu::rlimit x{};
    XNU_TRY(t.read(rlp, &x, sizeof x));
    if (x.rlim_cur > x.rlim_max) return SysResult::error(xnu::XNU_EINVAL);
    struct { uint64_t cur, max; } l{rlim_to_linux(x.rlim_cur), rlim_to_linux(x.rlim_max)};
    return from_linux(t.sys(SYS_prlimit64, {0, res, in(&l, sizeof l), nullptr}));
}

/// getrusage implements XNU BSD getrusage(2) (117).
SysResult sys_getrusage(Thread& t, int32_t who, TraceeAddr rusage) {
    if (who != xnu::XNU_RUSAGE_SELF && who != xnu::XNU_RUSAGE_CHILDREN) return SysResult::error(xnu::XNU_EINVAL);
    struct ::rusage l;
    int64_t r = t.sys(SYS_getrusage, {who, out(l)});
    if (r < 0) return from_linux(r);
    xnu::rusage x = xlate::rusage_to_xnu(l);
    XNU_TRY(t.write(rusage, &x, sizeof x));
    return SysResult::ok(0);
}

/// getentropy implements XNU BSD getentropy(2) (500): at most 256 bytes (xnu bsd/kern/kern_random.c).
SysResult sys_getentropy(Thread& t, TraceeAddr buffer, uint64_t size) {
    if (size > 256) return SysResult::error(xnu::XNU_EINVAL);
    uint8_t bytes[256];
    int64_t r = t.sys(SYS_getrandom, {out(bytes, size), size, 0});
    if (r < 0) return from_linux(r);
    XNU_TRY(t.write(buffer, bytes, size));
    return SysResult::ok(0);
}

namespace {
// csops(2) for a program that carries no code signature: CS_OPS_STATUS reports no flags; the operations that
// return signature data find none (xnu bsd/kern/kern_proc.c answers those with EINVAL or ENOENT... here EINVAL).
SysResult do_csops(Thread& t, int pid, uint32_t ops, TraceeAddr useraddr, uint64_t usersize) {
    if (!process_exists(t, pid)) return SysResult::error(xnu::XNU_ESRCH);
    switch (ops) {
        case 0: {  // CS_OPS_STATUS: XNU writes the word whenever there is a buffer, whatever usersize says
            uint32_t flags = 0;
            if (!useraddr.null()) XNU_TRY(t.write(useraddr, &flags, sizeof flags));
            return SysResult::ok(0);
        }
        case 1:   // CS_OPS_MARKINVALID
        case 2:   // CS_OPS_MARKHARD
        case 3:   // CS_OPS_MARKKILL
        case 8:   // CS_OPS_MARKRESTRICT
            return SysResult::ok(0);
        case 6: {  // CS_OPS_PIDOFFSET
            if (usersize < 8) return SysResult::error(xnu::XNU_EINVAL);
            uint64_t off = 0;
            XNU_TRY(t.write(useraddr, &off, sizeof off));
            return SysResult::ok(0);
        }
        default: return SysResult::error(xnu::XNU_EINVAL);
    }
}
}  // namespace

/// csops implements XNU BSD csops (169) for an unsigned program.
SysResult sys_csops(Thread& t, int32_t pid, uint32_t ops, TraceeAddr useraddr, uint64_t usersize) {
    return do_csops(t, pid, ops, useraddr, usersize);
}
/// csops_audittoken implements XNU BSD csops_audittoken (170); the audit token is not checked.
SysResult sys_csops_audittoken(Thread& t, int32_t pid, uint32_t ops, TraceeAddr useraddr, uint64_t usersize, TraceeAddr) {
    return do_csops(t, pid, ops, useraddr, usersize);
}

}  // namespace xnu_sys
