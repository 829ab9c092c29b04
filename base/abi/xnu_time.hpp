// XNU (macOS x86_64) ABI, part of xnu.hpp: Time and resources.
#pragma once

#include "xnu_base.hpp"

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// Time (xnu bsd/sys/_types/_timespec.h, _timeval.h, bsd/sys/time.h)
// ---------------------------------------------------------------------------------------------------------
struct timespec {
    time_t tv_sec;
    std::int64_t tv_nsec;  // long
};
static_assert(sizeof(timespec) == 16);
static_assert(offsetof(timespec, tv_sec) == 0);
static_assert(offsetof(timespec, tv_nsec) == 8);

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
    std::int32_t pad_;  // alignment padding; the kernel does not promise to zero it
};
static_assert(sizeof(timeval) == 16);
static_assert(offsetof(timeval, tv_sec) == 0);
static_assert(offsetof(timeval, tv_usec) == 8);

struct itimerval {
    timeval it_interval;
    timeval it_value;
};
static_assert(sizeof(itimerval) == 32);
static_assert(offsetof(itimerval, it_interval) == 0);
static_assert(offsetof(itimerval, it_value) == 16);

struct timezone {
    std::int32_t tz_minuteswest;
    std::int32_t tz_dsttime;
};
static_assert(sizeof(timezone) == 8);
static_assert(offsetof(timezone, tz_minuteswest) == 0);
static_assert(offsetof(timezone, tz_dsttime) == 4);

constexpr int XNU_ITIMER_REAL = 0;
constexpr int XNU_ITIMER_VIRTUAL = 1;
constexpr int XNU_ITIMER_PROF = 2;

// ---------------------------------------------------------------------------------------------------------
// Resources (xnu bsd/sys/resource.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_RUSAGE_SELF = 0;
constexpr int XNU_RUSAGE_CHILDREN = -1;

constexpr int XNU_RLIMIT_CPU = 0;
constexpr int XNU_RLIMIT_FSIZE = 1;
constexpr int XNU_RLIMIT_DATA = 2;
constexpr int XNU_RLIMIT_STACK = 3;
constexpr int XNU_RLIMIT_CORE = 4;
constexpr int XNU_RLIMIT_AS = 5;
constexpr int XNU_RLIMIT_RSS = XNU_RLIMIT_AS;  // alias, unlike Linux where RSS is its own limit
constexpr int XNU_RLIMIT_MEMLOCK = 6;
constexpr int XNU_RLIMIT_NPROC = 7;
constexpr int XNU_RLIMIT_NOFILE = 8;
constexpr int XNU_RLIM_NLIMITS = 9;
// _RLIMIT_POSIX_FLAG: libc ors it into the resource of setrlimit() for POSIX-conformant error behaviour.
constexpr int XNU_RLIMIT_POSIX_FLAG = 0x1000;
constexpr rlim_t XNU_RLIM_INFINITY = (std::uint64_t{1} << 63) - 1;  // not all ones as on Linux
constexpr rlim_t XNU_RLIM_SAVED_MAX = XNU_RLIM_INFINITY;
constexpr rlim_t XNU_RLIM_SAVED_CUR = XNU_RLIM_INFINITY;

constexpr int XNU_PRIO_PROCESS = 0;
constexpr int XNU_PRIO_PGRP = 1;
constexpr int XNU_PRIO_USER = 2;
constexpr int XNU_PRIO_DARWIN_THREAD = 3;
constexpr int XNU_PRIO_DARWIN_PROCESS = 4;
constexpr int XNU_PRIO_MIN = -20;
constexpr int XNU_PRIO_MAX = 20;
constexpr int XNU_PRIO_DARWIN_BG = 0x1000;
constexpr int XNU_PRIO_DARWIN_NONUI = 0x1001;

struct rlimit {
    rlim_t rlim_cur;
    rlim_t rlim_max;
};
static_assert(sizeof(rlimit) == 16);
static_assert(offsetof(rlimit, rlim_cur) == 0);
static_assert(offsetof(rlimit, rlim_max) == 8);

struct rusage {
    timeval ru_utime;
    timeval ru_stime;
    std::int64_t ru_maxrss;  // bytes on XNU (Linux reports KiB)
    std::int64_t ru_ixrss;
    std::int64_t ru_idrss;
    std::int64_t ru_isrss;
    std::int64_t ru_minflt;
    std::int64_t ru_majflt;
    std::int64_t ru_nswap;
    std::int64_t ru_inblock;
    std::int64_t ru_oublock;
    std::int64_t ru_msgsnd;
    std::int64_t ru_msgrcv;
    std::int64_t ru_nsignals;
    std::int64_t ru_nvcsw;
    std::int64_t ru_nivcsw;
};
static_assert(sizeof(rusage) == 144);
static_assert(offsetof(rusage, ru_utime) == 0);
static_assert(offsetof(rusage, ru_stime) == 16);
static_assert(offsetof(rusage, ru_maxrss) == 32);
static_assert(offsetof(rusage, ru_ixrss) == 40);
static_assert(offsetof(rusage, ru_idrss) == 48);
static_assert(offsetof(rusage, ru_isrss) == 56);
static_assert(offsetof(rusage, ru_minflt) == 64);
static_assert(offsetof(rusage, ru_majflt) == 72);
static_assert(offsetof(rusage, ru_nswap) == 80);
static_assert(offsetof(rusage, ru_inblock) == 88);
static_assert(offsetof(rusage, ru_oublock) == 96);
static_assert(offsetof(rusage, ru_msgsnd) == 104);
static_assert(offsetof(rusage, ru_msgrcv) == 112);
static_assert(offsetof(rusage, ru_nsignals) == 120);
static_assert(offsetof(rusage, ru_nvcsw) == 128);
static_assert(offsetof(rusage, ru_nivcsw) == 136);

}  // namespace xnu
