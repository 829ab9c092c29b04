#include "procfs.hpp"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>

namespace xnu_sys {
namespace {

// Reads a whole small /proc file through the tracee into buf (NUL-terminated). Returns its length or -errno.
int64_t slurp(Thread& t, const char* path, char* buf, size_t cap) {
    int64_t fd = t.sys(SYS_openat, {-100, in(path, strlen(path) + 1), O_RDONLY | O_CLOEXEC, 0});
    if (fd < 0) return fd;
    int64_t n = t.sys(SYS_read, {fd, out(buf, cap - 1), cap - 1});
    t.sys(SYS_close, {fd});
    if (n < 0) return n;
    buf[n] = '\0';
    return n;
}

uint64_t boot_time_sec(Thread& t) {
    char buf[4096];
    if (slurp(t, "/proc/stat", buf, sizeof buf) < 0) return 0;
    const char* p = strstr(buf, "btime ");
    return p ? strtoull(p + 6, nullptr, 10) : 0;
}

}  // namespace

char xnu_pstat(char s) {
    switch (s) {
        case 'R': return xnu::XNU_SRUN;
        case 'T':
        case 't': return xnu::XNU_SSTOP;
        case 'Z':
        case 'X': return xnu::XNU_SZOMB;
        default: return xnu::XNU_SSLEEP;
    }
}

int32_t xnu_tdev(int tty_nr) {
    if (tty_nr == 0) return -1;
    unsigned major = (unsigned(tty_nr) >> 8) & 0xfff, minor = (unsigned(tty_nr) & 0xff) | ((unsigned(tty_nr) >> 12) & 0xfff00);
    return int32_t((major << 24) | (minor & 0xffffff));
}

int read_proc(Thread& t, int pid, ProcSnapshot& s) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (slurp(t, path, buf, sizeof buf) < 0) return xnu::XNU_ESRCH;
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
    char* open = strchr(buf, '(');
    char* close = strrchr(buf, ')');
    if (!open || !close || close < open) return xnu::XNU_ESRCH;
    s.pid = pid;
    const char* cname = open + 1;
    size_t clen = size_t(close - open - 1);
    if (pid == t.pid() && base::g_runtime.exec_path[0]) {
        // XNU's p_comm and p_name are the last path component of the executable (bsd/kern/kern_exec.c).
        const char* p = base::g_runtime.exec_path;
        cname = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
        clen = strlen(cname);
    }
    memcpy(s.comm, cname, std::min<size_t>(clen, sizeof s.comm - 1));
    s.comm[std::min<size_t>(clen, sizeof s.comm - 1)] = '\0';
    memcpy(s.name, cname, std::min<size_t>(clen, sizeof s.name - 1));
    s.name[std::min<size_t>(clen, sizeof s.name - 1)] = '\0';
    unsigned long long f[40] = {};
    char state = 0;
    int n = sscanf(close + 2,
                   "%c %llu %llu %llu %llu %llu %*u %llu %*u %llu %*u %llu %llu %*d %*d %*d %llu %llu %*d %llu %llu %llu",
                   &state, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12],
                   &f[13]);
    if (n < 15) return xnu::XNU_ESRCH;
    s.state = state;
    s.ppid = int(f[0]);
    s.pgid = int(f[1]);
    s.sid = int(f[2]);
    s.tty_nr = int(f[3]);
    s.tpgid = int(f[4]);
    s.minflt = f[5];
    s.majflt = f[6];
    long hz = 100;  // USER_HZ, fixed at 100 in the Linux ABI
    s.utime_ns = f[7] * (1000000000ULL / uint64_t(hz));
    s.stime_ns = f[8] * (1000000000ULL / uint64_t(hz));
    s.nice = int(int64_t(f[9]));
    s.nthreads = int(f[10]);
    uint64_t start_ticks = f[11];
    s.vsize = f[12];
    s.rss = f[13] * 4096;
    uint64_t bt = boot_time_sec(t);
    uint64_t start_us = start_ticks * (1000000ULL / uint64_t(hz));
    s.start_sec = bt + start_us / 1000000;
    s.start_usec = start_us % 1000000;

    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (slurp(t, path, buf, sizeof buf) > 0) {
        if (const char* u = strstr(buf, "\nUid:")) sscanf(u + 5, "%u %u %u", &s.uid[0], &s.uid[1], &s.uid[2]);
        if (const char* g = strstr(buf, "\nGid:")) sscanf(g + 5, "%u %u %u", &s.gid[0], &s.gid[1], &s.gid[2]);
    }
    return 0;
}

}  // namespace xnu_sys
