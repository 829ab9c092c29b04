/* gettimeofday (116): timeval, zero time zone, mach_absolute_time as 3rd argument, returns 0, EFAULT. */
/* Semantics: xnu bsd/kern/kern_time.c gettimeofday(). */
#include "xnu.h"

#include <sys/time.h>

/* mach_absolute_time() as libsyscall computes it from the commpage (xnu osfmk/i386/cpu_capabilities.h). */
static unsigned long commpage_abs(void) {
    const volatile unsigned char* cp = (const volatile unsigned char*)0x7fffffe00000UL;
    for (;;) {
        unsigned gen = *(const volatile unsigned*)(cp + 0x68);
        if (!gen) continue;
        unsigned lo, hi;
        __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi));
        unsigned long tsc = ((unsigned long)hi << 32 | lo) - *(const volatile unsigned long*)(cp + 0x50);
        tsc <<= *(const volatile unsigned*)(cp + 0x5c);
        unsigned __int128 ns = (unsigned __int128)tsc * *(const volatile unsigned*)(cp + 0x58);
        unsigned long abs = (unsigned long)(ns >> 32) + *(const volatile unsigned long*)(cp + 0x60);
        if (gen == *(const volatile unsigned*)(cp + 0x68)) return abs;
    }
}

int main(void) {
    struct timeval tv = {0, -1};
    struct xres r = EXPECT_OK(BSD(gettimeofday, &tv, 0, 0), "gettimeofday(&tv, NULL, NULL)");
    CHECK(r.val == 0, "returns 0 (the time is in the struct, not in rax)");
    CHECK(tv.tv_sec > 1600000000L, "tv_sec is a plausible date (after 2020)");
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000, "tv_usec in 0..999999");

    struct timeval tv2;
    BSD(gettimeofday, &tv2, 0, 0);
    CHECK(tv2.tv_sec > tv.tv_sec || (tv2.tv_sec == tv.tv_sec && tv2.tv_usec >= tv.tv_usec), "time does not go backwards");

    struct timezone tz = {-1, -1};
    EXPECT_OK(BSD(gettimeofday, 0, &tz, 0), "gettimeofday(NULL, &tz, NULL)");
    CHECK(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0, "the kernel time zone is zero");

    unsigned long before = commpage_abs(), abs = 0;
    EXPECT_OK(BSD(gettimeofday, &tv, 0, &abs), "gettimeofday(&tv, NULL, &mach_time)");
    unsigned long after = commpage_abs();
    t_printf("# commpage %lu, syscall %lu, commpage %lu\n", before, abs, after);
    CHECK(abs != 0, "mach_absolute_time is filled in");
    /* Same clock as the commpage's: allow 50 ms of slack for a TSC rate measured at startup. */
    CHECK(abs + 50000000UL >= before && abs <= after + 50000000UL, "mach_absolute_time agrees with the commpage");

    unsigned long abs_only = 0;
    EXPECT_OK(BSD(gettimeofday, 0, 0, &abs_only), "gettimeofday(NULL, NULL, &mach_time)");
    CHECK(abs_only >= abs, "mach_absolute_time is monotonic");
    EXPECT_OK(BSD(gettimeofday, 0, 0, 0), "gettimeofday(NULL, NULL, NULL)");

    EXPECT_ERR(BSD(gettimeofday, BAD_PTR, 0, 0), EFAULT, "gettimeofday into a bad timeval");
    EXPECT_ERR(BSD(gettimeofday, &tv, BAD_PTR, 0), EFAULT, "gettimeofday into a bad timezone");
    EXPECT_ERR(BSD(gettimeofday, &tv, 0, BAD_PTR), EFAULT, "gettimeofday into a bad mach_time pointer");
    return t_done();
}
