// proc_info (336): the calls libproc makes (proc_listpids, proc_pidinfo, proc_pidpath, proc_name).
#include <dirent.h>
#include <cstdlib>
#include <fcntl.h>

#include "common.hpp"
#include "procfs.hpp"

namespace xnu_sys {
namespace {

// Whether process `pid` passes a LISTPIDS filter (proc_listpids() in xnu bsd/kern/proc_info.c). Unknown
// filter types match nothing.
bool pid_matches(Thread& t, int pid, uint32_t type, uint32_t typeinfo) {
    if (type == uint32_t(xnu::XNU_PROC_ALL_PIDS)) return true;
    ProcSnapshot s;
    if (read_proc(t, pid, s) != 0) return false;
    switch (type) {
        case xnu::XNU_PROC_PGRP_ONLY: return s.pgid == int(typeinfo);
        case xnu::XNU_PROC_TTY_ONLY: return s.tty_nr != 0 && uint32_t(xnu_tdev(s.tty_nr)) == typeinfo;
        case xnu::XNU_PROC_UID_ONLY: return s.uid[1] == typeinfo;
        case xnu::XNU_PROC_RUID_ONLY: return s.uid[0] == typeinfo;
        case xnu::XNU_PROC_PPID_ONLY: return s.ppid == int(typeinfo);
        default: return false;  // PROC_KDBG_ONLY: no process is traced by kdebug here
    }
}

// LISTPIDS: with no buffer, the size to allocate (room for 20 more processes than exist now); otherwise the
// bytes filled with the pids that pass the filter, as many as fit.
SysResult list_pids(Thread& t, uint32_t type, uint32_t typeinfo, TraceeAddr buffer, int32_t buffersize) {
    if (!buffer.null() && uint32_t(buffersize) < sizeof(int32_t)) return SysResult::error(xnu::XNU_ENOMEM);
    const uint64_t room = buffer.null() ? 0 : uint32_t(buffersize) / 4;
    int64_t fd = t.sys(SYS_openat, {-100, in("/proc", 6), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0});
    if (fd < 0) return from_linux(fd);
    alignas(8) char buf[4096];
    int32_t pids[256];
    uint64_t count = 0, written = 0, pending = 0;
    int err = 0;
    auto flush = [&] {
        if (pending && !err) err = t.write(buffer + written * 4, pids, pending * 4);
        written += pending;
        pending = 0;
    };
    for (;;) {
        int64_t n = t.sys(SYS_getdents64, {fd, out(buf, sizeof buf), sizeof buf});
        if (n <= 0) break;
        for (int64_t off = 0; off < n;) {
            uint16_t reclen;
            std::memcpy(&reclen, buf + off + 16, 2);  // struct linux_dirent64: d_reclen at 16, d_name at 19
            const char* name = buf + off + 19;
            off += reclen;
            char* end;
            long pid = strtol(name, &end, 10);
            if (*end || pid <= 0) continue;
            count++;
            if (buffer.null() || written + pending >= room || !pid_matches(t, int(pid), type, typeinfo)) continue;
            pids[pending++] = int32_t(pid);
            if (pending == 256) flush();
        }
    }
    t.sys(SYS_close, {fd});
    if (buffer.null()) return SysResult::ok((count + 20) * 4);
    flush();
    return err ? SysResult::error(err) : SysResult::ok(written * 4);
}

void fill_bsdinfo(const ProcSnapshot& s, xnu::proc_bsdinfo& b) {
    b.pbi_flags = 0x10;  // PROC_FLAG_LP64
    if (s.tty_nr) b.pbi_flags |= 0x2;  // PROC_FLAG_CONTROLT
    b.pbi_status = uint32_t(xnu_pstat(s.state));
    b.pbi_pid = uint32_t(s.pid);
    b.pbi_ppid = uint32_t(s.ppid);
    b.pbi_uid = s.uid[1];
    b.pbi_gid = s.gid[1];
    b.pbi_ruid = s.uid[0];
    b.pbi_rgid = s.gid[0];
    b.pbi_svuid = s.uid[2];
    b.pbi_svgid = s.gid[2];
    // XNU copies p_comm and p_name and forces a NUL into the last byte (proc_pidbsdinfo()).
    std::memcpy(b.pbi_comm, s.comm, std::min(sizeof b.pbi_comm - 1, strlen(s.comm)));
    std::memcpy(b.pbi_name, s.name, std::min(sizeof b.pbi_name - 1, strlen(s.name)));
    b.pbi_pgid = uint32_t(s.pgid);
    b.e_tdev = uint32_t(xnu_tdev(s.tty_nr));
    b.e_tpgid = uint32_t(s.tpgid);
    b.pbi_nice = s.nice;
    b.pbi_start_tvsec = s.start_sec;
    b.pbi_start_tvusec = s.start_usec;
}

void fill_taskinfo(const ProcSnapshot& s, xnu::proc_taskinfo& ti) {
    ti.pti_virtual_size = s.vsize;
    ti.pti_resident_size = s.rss;
    ti.pti_total_user = s.utime_ns;
    ti.pti_total_system = s.stime_ns;
    ti.pti_policy = 1;  // POLICY_TIMESHARE
    ti.pti_faults = int32_t(s.minflt + s.majflt);
    ti.pti_pageins = int32_t(s.majflt);
    ti.pti_threadnum = s.nthreads;
    ti.pti_numrunning = s.state == 'R' ? 1 : 0;
    ti.pti_priority = 31;
}

template <typename T>
SysResult give(Thread& t, const T& v, TraceeAddr buffer) {
    XNU_TRY(t.write(buffer, &v, sizeof v));
    return SysResult::ok(sizeof v);
}

// PROC_PIDPATHINFO: XNU copies out the whole buffer (the path, then zeros) and returns 0; libproc's
// proc_pidpath() takes strlen() itself.
SysResult pid_path(Thread& t, int pid, TraceeAddr buffer, int32_t buffersize) {
    char path[xnu::XNU_PATH_MAX * 4] = {};
    if (pid == t.pid() && base::g_runtime.exec_path[0]) {
        // The program's own path is the Mach-O file (resolved when it was started), not macrun.
        snprintf(path, sizeof path, "%s", base::g_runtime.exec_path);
    } else {
        char link[64];
        snprintf(link, sizeof link, "/proc/%d/exe", pid);
        int64_t n = t.sys(SYS_readlinkat, {-100, in(link, strlen(link) + 1), out(path, sizeof path - 1), sizeof path - 1});
        if (n < 0) return SysResult::error(n == -ENOENT ? xnu::XNU_ESRCH : xlate::errno_to_xnu(int(-n)));
        path[n] = '\0';
    }
    if (strlen(path) >= uint32_t(buffersize)) return SysResult::error(xnu::XNU_ENOSPC);  // build_path()
    XNU_TRY(t.write(buffer, path, uint32_t(buffersize)));
    return SysResult::ok(0);
}

// The buffer size proc_pidinfo() requires for a flavor, or 0 for a flavor number XNU does not know (EINVAL).
// Flavors macrun does not implement still get their argument checks before ENOTSUP.
uint32_t flavor_size(int flavor) {
    switch (flavor) {
        case xnu::XNU_PROC_PIDTASKALLINFO: return sizeof(xnu::proc_taskallinfo);
        case xnu::XNU_PROC_PIDTBSDINFO: return sizeof(xnu::proc_bsdinfo);
        case xnu::XNU_PROC_PIDTASKINFO: return sizeof(xnu::proc_taskinfo);
        case xnu::XNU_PROC_PIDT_SHORTBSDINFO: return sizeof(xnu::proc_bsdshortinfo);
        case xnu::XNU_PROC_PIDPATHINFO: return xnu::XNU_MAXPATHLEN;
        default:
            // 1..15 and 17..34 exist (bsd/sys/proc_info.h, proc_info_private.h); 16 is PROC_PID_RUSAGE, a
            // separate call. Their sizes are not checked here: 1 stands for "known".
            return (flavor >= 1 && flavor <= 34 && flavor != 16) ? 1 : 0;
    }
}

SysResult pid_info(Thread& t, int pid, int flavor, TraceeAddr buffer, int32_t buffersize) {
    uint32_t need = flavor_size(flavor);
    if (need == 0) return SysResult::error(xnu::XNU_EINVAL);
    if (uint32_t(buffersize) < need) return SysResult::error(xnu::XNU_ENOMEM);
    if (flavor == xnu::XNU_PROC_PIDPATHINFO) {
        if (buffersize > xnu::XNU_PATH_MAX * 4) return SysResult::error(xnu::XNU_EOVERFLOW);
        return pid_path(t, pid, buffer, buffersize);
    }
    ProcSnapshot s;
    if (read_proc(t, pid, s) != 0) return SysResult::error(xnu::XNU_ESRCH);
    switch (flavor) {
        case xnu::XNU_PROC_PIDTBSDINFO: {
            xnu::proc_bsdinfo b{};
            fill_bsdinfo(s, b);
            return give(t, b, buffer);
        }
        case xnu::XNU_PROC_PIDT_SHORTBSDINFO: {
            xnu::proc_bsdshortinfo b{};
            b.pbsi_pid = uint32_t(s.pid);
            b.pbsi_ppid = uint32_t(s.ppid);
            b.pbsi_pgid = uint32_t(s.pgid);
            b.pbsi_status = uint32_t(xnu_pstat(s.state));
            std::memcpy(b.pbsi_comm, s.comm, std::min(sizeof b.pbsi_comm - 1, strlen(s.comm)));
            b.pbsi_flags = 0x10;
            b.pbsi_uid = s.uid[1];
            b.pbsi_gid = s.gid[1];
            b.pbsi_ruid = s.uid[0];
            b.pbsi_rgid = s.gid[0];
            b.pbsi_svuid = s.uid[2];
            b.pbsi_svgid = s.gid[2];
            return give(t, b, buffer);
        }
        case xnu::XNU_PROC_PIDTASKINFO: {
            xnu::proc_taskinfo ti{};
            fill_taskinfo(s, ti);
            return give(t, ti, buffer);
        }
        case xnu::XNU_PROC_PIDTASKALLINFO: {
            xnu::proc_taskallinfo a{};
            fill_bsdinfo(s, a.pbsd);
            fill_taskinfo(s, a.ptinfo);
            return give(t, a, buffer);
        }
        default:
            report_unimplemented(SysClass::Bsd, 336, "proc_info(PIDINFO) flavor");
            return SysResult::error(xnu::XNU_ENOTSUP);
    }
}

}  // namespace

/// proc_info implements XNU BSD proc_info (336): LISTPIDS (all filters) and PIDINFO flavors TBSDINFO,
/// SHORTBSDINFO, TASKINFO, TASKALLINFO, PATHINFO (xnu bsd/kern/proc_info.c).
SysResult sys_proc_info(Thread& t, int32_t callnum, int32_t pid, uint32_t flavor, uint64_t arg, TraceeAddr buffer,
                        int32_t buffersize) {
    (void)arg;
    switch (callnum) {
        // LISTPIDS passes the filter type in pid and its argument in flavor.
        case xnu::XNU_PROC_INFO_CALL_LISTPIDS: return list_pids(t, uint32_t(pid), flavor, buffer, buffersize);
        case xnu::XNU_PROC_INFO_CALL_PIDINFO: return pid_info(t, pid, int(flavor), buffer, buffersize);
        default:
            if (callnum <= 0 || callnum > xnu::XNU_PROC_INFO_CALL_DELEGATE_TERMINATE) return SysResult::error(xnu::XNU_EINVAL);
            report_unimplemented(SysClass::Bsd, 336, "proc_info call");
            return SysResult::error(xnu::XNU_ENOTSUP);
    }
}

}  // namespace xnu_sys
