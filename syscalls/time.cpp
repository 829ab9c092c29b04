// Time: gettimeofday.
#include <ctime>

#include "common.hpp"

namespace xnu_sys {

/// gettimeofday implements XNU BSD gettimeofday(2) (116). The third argument, when given, receives
/// mach_absolute_time() for the same instant (xnu bsd/kern/kern_time.c); macrun's timebase is 1 ns counted on
/// CLOCK_MONOTONIC_RAW, the same clock the commpage's nanotime data follows.
SysResult sys_gettimeofday(Thread& t, TraceeAddr tp, TraceeAddr tzp, TraceeAddr mach_absolute_time) {
    struct timespec rt, mono;
    t.sys(SYS_clock_gettime, {CLOCK_REALTIME, out(rt)});
    if (!mach_absolute_time.null()) t.sys(SYS_clock_gettime, {CLOCK_MONOTONIC_RAW, out(mono)});
    if (!tp.null()) {
        xnu::timeval tv{};
        tv.tv_sec = rt.tv_sec;
        tv.tv_usec = int32_t(rt.tv_nsec / 1000);
        XNU_TRY(t.write(tp, &tv, sizeof tv));
    }
    if (!tzp.null()) {
        xnu::timezone tz{};  // the kernel keeps no time zone: zeros, as macOS reports
        XNU_TRY(t.write(tzp, &tz, sizeof tz));
    }
    if (!mach_absolute_time.null()) {
        uint64_t abs = uint64_t(mono.tv_sec) * 1000000000ULL + uint64_t(mono.tv_nsec);
        XNU_TRY(t.write(mach_absolute_time, &abs, sizeof abs));
    }
    return SysResult::ok(0);
}

}  // namespace xnu_sys
