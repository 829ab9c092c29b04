// What XNU reports about a process (kinfo_proc, proc_bsdinfo, proc_taskinfo), read from Linux's /proc.
#pragma once

#include <cstdint>

#include "common.hpp"

namespace xnu_sys {

struct ProcSnapshot {
    int pid = 0, ppid = 0, pgid = 0, sid = 0, tty_nr = 0, tpgid = 0;
    char state = 0;          // Linux state letter
    char comm[17] = {};      // XNU p_comm: up to MAXCOMLEN characters
    char name[33] = {};      // XNU p_name: up to 2*MAXCOMLEN characters
    uint32_t uid[3] = {}, gid[3] = {};  // real, effective, saved
    int nthreads = 0, nice = 0;
    uint64_t start_sec = 0, start_usec = 0;  // since the epoch
    uint64_t vsize = 0, rss = 0;             // bytes
    uint64_t utime_ns = 0, stime_ns = 0;
    uint64_t minflt = 0, majflt = 0;
};

// Reads /proc/PID/{stat,status} as the tracee. Returns 0, or ESRCH when there is no such process. The calling
// process is named after its Mach-O executable, as XNU names it at exec, not after macrun.
int read_proc(Thread& t, int pid, ProcSnapshot& out);

// XNU's p_stat for a Linux state letter (SRUN, SSLEEP, SSTOP, SZOMB).
char xnu_pstat(char linux_state);
// XNU's dev_t for a Linux tty number (major << 24 | minor), or NODEV (-1) for none.
int32_t xnu_tdev(int tty_nr);

}  // namespace xnu_sys
