// proc_info (336): the calls libproc makes (proc_listpids, proc_pidinfo, proc_pidpath, proc_name).
#include <dirent.h>
#include <cstdlib>
#include <fcntl.h>

#include "common.hpp"
#include "procfs.hpp"

namespace xnu_sys {
namespace {

SysResult list_pids(Thread& t, uint32_t type, TraceeAddr buffer, int32_t buffersize) {
    if (type != uint32_t(xnu::XNU_PROC_ALL_PIDS)) {
        report_unimplemented(SysClass::Bsd, 336, "proc_info(LISTPIDS) with a filter");
        return SysResult::error(xnu::XNU_ENOTSUP);
    }
    int64_t fd = t.sys(SYS_openat, {-100, in("/proc", 6), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0});
    if (fd < 0) return from_linux(fd);
    alignas(8) char buf[4096];
    int32_t pids[256];
    uint64_t count = 0, written = 0;
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
            pids[count % 256] = int32_t(pid);
            count++;
            if (count % 256 == 0 && !buffer.null()) {
                uint64_t room = uint64_t(std::max(buffersize, 0)) / 4;
                uint64_t n_out = std::min<uint64_t>(256, room > written ? room - written : 0);
                if (n_out && t.write(buffer + written * 4, pids, n_out * 4) != 0) {
                    t.sys(SYS_close, {fd});
                    return SysResult::error(xnu::XNU_EFAULT);
                }
                written += n_out;
            }
        }
    }
    t.sys(SYS_close, {fd});
    if (!buffer.null() && count % 256) {
        uint64_t room = uint64_t(std::max(buffersize, 0)) / 4;
        uint64_t n_out = std::min<uint64_t>(count % 256, room > written ? room - written : 0);
        XNU_TRY(t.write(buffer + written * 4, pids, n_out * 4));
        written += n_out;
    }
    // With no buffer libproc asks for the size needed; otherwise the bytes filled.
    return SysResult::ok(buffer.null() ? count * 4 : written * 4);
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
    std::memcpy(b.pbi_comm, s.comm, std::min(sizeof b.pbi_comm, strlen(s.comm)));
    std::memcpy(b.pbi_name, s.comm, std::min(sizeof b.pbi_name, strlen(s.comm)));
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
SysResult give(Thread& t, const T& v, TraceeAddr buffer, int32_t buffersize) {
    if (buffersize < int32_t(sizeof v)) return SysResult::error(xnu::XNU_ENOMEM);
    XNU_TRY(t.write(buffer, &v, sizeof v));
    return SysResult::ok(sizeof v);
}

SysResult pid_path(Thread& t, int pid, TraceeAddr buffer, int32_t buffersize) {
    char path[xnu::XNU_PATH_MAX * 4] = {};
    size_t len;
    if (pid == t.pid() && tracer::g_runtime.exec_path[0]) {
        // The program's own path is the Mach-O file, not macrun: make it absolute as XNU reports it.
        const char* p = tracer::g_runtime.exec_path;
        if (p[0] != '/') {
            int64_t n = t.sys(SYS_getcwd, {out(path, sizeof path - 1), sizeof path - 1});
            if (n < 0) return from_linux(n);
            len = strlen(path);
            snprintf(path + len, sizeof path - len, "/%s", p);
        } else {
            snprintf(path, sizeof path, "%s", p);
        }
    } else {
        char link[64];
        snprintf(link, sizeof link, "/proc/%d/exe", pid);
        int64_t n = t.sys(SYS_readlinkat, {-100, in(link, strlen(link) + 1), out(path, sizeof path - 1), sizeof path - 1});
        if (n < 0) return SysResult::error(n == -ENOENT ? xnu::XNU_ESRCH : xlate::errno_to_xnu(int(-n)));
        path[n] = '\0';
    }
    len = strlen(path);
    if (buffersize < int32_t(len + 1)) return SysResult::error(xnu::XNU_ENOMEM);
    XNU_TRY(t.write(buffer, path, len + 1));
    return SysResult::ok(len);
}

SysResult pid_info(Thread& t, int pid, int flavor, TraceeAddr buffer, int32_t buffersize) {
    if (flavor == xnu::XNU_PROC_PIDPATHINFO) return pid_path(t, pid, buffer, buffersize);
    ProcSnapshot s;
    if (read_proc(t, pid, s) != 0) return SysResult::error(xnu::XNU_ESRCH);
    switch (flavor) {
        case xnu::XNU_PROC_PIDTBSDINFO: {
            xnu::proc_bsdinfo b{};
            fill_bsdinfo(s, b);
            return give(t, b, buffer, buffersize);
        }
        case xnu::XNU_PROC_PIDT_SHORTBSDINFO: {
            xnu::proc_bsdshortinfo b{};
            b.pbsi_pid = uint32_t(s.pid);
            b.pbsi_ppid = uint32_t(s.ppid);
            b.pbsi_pgid = uint32_t(s.pgid);
            b.pbsi_status = uint32_t(xnu_pstat(s.state));
            std::memcpy(b.pbsi_comm, s.comm, std::min(sizeof b.pbsi_comm, strlen(s.comm)));
            b.pbsi_flags = 0x10;
            b.pbsi_uid = s.uid[1];
            b.pbsi_gid = s.gid[1];
            b.pbsi_ruid = s.uid[0];
            b.pbsi_rgid = s.gid[0];
            b.pbsi_svuid = s.uid[2];
            b.pbsi_svgid = s.gid[2];
            return give(t, b, buffer, buffersize);
        }
        case xnu::XNU_PROC_PIDTASKINFO: {
            xnu::proc_taskinfo ti{};
            fill_taskinfo(s, ti);
            return give(t, ti, buffer, buffersize);
        }
        case xnu::XNU_PROC_PIDTASKALLINFO: {
            xnu::proc_taskallinfo a{};
            fill_bsdinfo(s, a.pbsd);
            fill_taskinfo(s, a.ptinfo);
            return give(t, a, buffer, buffersize);
        }
        default:
            report_unimplemented(SysClass::Bsd, 336, "proc_info(PIDINFO) flavor");
            return SysResult::error(xnu::XNU_ENOTSUP);
    }
}

}  // namespace

/// proc_info implements XNU BSD proc_info (336): LISTPIDS (all) and PIDINFO flavors TBSDINFO,
/// SHORTBSDINFO, TASKINFO, TASKALLINFO, PATHINFO (xnu bsd/kern/proc_info.c).
SysResult sys_proc_info(Thread& t, int32_t callnum, int32_t pid, uint32_t flavor, uint64_t arg, TraceeAddr buffer,
                        int32_t buffersize) {
    (void)arg;
    switch (callnum) {
        case xnu::XNU_PROC_INFO_CALL_LISTPIDS: return list_pids(t, uint32_t(pid), buffer, buffersize);
        case xnu::XNU_PROC_INFO_CALL_PIDINFO: return pid_info(t, pid, int(flavor), buffer, buffersize);
        default:
            if (callnum <= 0 || callnum > xnu::XNU_PROC_INFO_CALL_DELEGATE_TERMINATE) return SysResult::error(xnu::XNU_EINVAL);
            report_unimplemented(SysClass::Bsd, 336, "proc_info call");
            return SysResult::error(xnu::XNU_ENOTSUP);
    }
}

}  // namespace xnu_sys
