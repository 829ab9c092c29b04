/* The commpage at 0x7fffffe00000: signature, version, CPUs and memory vs sysctl, nanotime, read-only. */
/* Semantics: xnu osfmk/i386/cpu_capabilities.h, commpage/commpage.c; libsyscall/wrappers/mach_absolute_time.s. */
#include "xnu.h"

#include <sys/time.h>

#define CP ((const volatile unsigned char*)0x7fffffe00000UL)
#define U8(off) (*(const volatile unsigned char*)(CP + (off)))
#define U16(off) (*(const volatile unsigned short*)(CP + (off)))
#define U32(off) (*(const volatile unsigned*)(CP + (off)))
#define U64(off) (*(const volatile unsigned long*)(CP + (off)))

static unsigned long mach_abs(void) {
    for (;;) {
        unsigned gen = U32(0x68); /* _COMM_PAGE_NT_GENERATION: 0 while the kernel updates */
        if (!gen) continue;
        unsigned lo, hi;
        __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi));
        unsigned long delta = (((unsigned long)hi << 32) | lo) - U64(0x50); /* _COMM_PAGE_NT_TSC_BASE */
        delta <<= U32(0x5c);                                             /* _COMM_PAGE_NT_SHIFT */
        unsigned long ns = (unsigned long)(((unsigned __int128)delta * U32(0x58)) >> 32) + U64(0x60);
        if (gen == U32(0x68)) return ns;
    }
}

static int sysctl_int(const char* name) {
    int v = -1;
    size_t len = sizeof v;
    BSD(sysctlbyname, name, strlen(name), &v, &len, 0, 0);
    return v;
}

int main(void) {
    CHECK(!memcmp((const void*)CP, "commpage 64-bit", 16), "signature \"commpage 64-bit\"");
    CHECK(U16(0x1e) == 14, "_COMM_PAGE_VERSION is 14");
    unsigned long caps = U64(0x10);
    CHECK(caps & 0x200, "_cpu_capabilities has k64Bit");
    int ncpu = sysctl_int("hw.ncpu");
    /* For the command-line checks (tests/integration.sh): the CPU count and the TSC frequency macrun reports. */
    long freq = 0;
    size_t flen = sizeof freq;
    BSD(sysctlbyname, "hw.cpufrequency", 15, &freq, &flen, 0, 0);
    t_printf("# hw.ncpu %d\n# hw.cpufrequency %ld\n", ncpu, freq);
    CHECK(ncpu >= 1 && U8(0x22) == (ncpu > 255 ? 255 : ncpu), "_COMM_PAGE_NCPUS matches hw.ncpu");
    CHECK(((caps >> 16) & 0xff) == U8(0x22), "kNumCPUs in _cpu_capabilities matches");
    CHECK(U8(0x34) == sysctl_int("hw.activecpu"), "_COMM_PAGE_ACTIVE_CPUS matches hw.activecpu");
    CHECK(U16(0x26) == 64, "_COMM_PAGE_CACHE_LINESIZE is 64");
    unsigned long mem = 0;
    size_t len = sizeof mem;
    BSD(sysctlbyname, "hw.memsize", 10, &mem, &len, 0, 0);
    CHECK(mem && U64(0x38) == mem, "_COMM_PAGE_MEMORY_SIZE matches hw.memsize");
    CHECK(U8(0x4e) == 12, "_COMM_PAGE_USER_PAGE_SHIFT_64 is 12");

    CHECK(U32(0x68) != 0, "_COMM_PAGE_NT_GENERATION is nonzero");
    CHECK(U32(0x58) != 0, "_COMM_PAGE_NT_SCALE is nonzero");
    unsigned long a = mach_abs(), b = mach_abs(), c = mach_abs();
    CHECK(a && a <= b && b <= c, "mach_absolute_time is monotonic");
    /* Sleep 50 ms with select: the commpage clock advances by about as much (it counts nanoseconds). */
    struct timeval tv = {0, 50000};
    unsigned long t0 = mach_abs();
    BSD(select, 0, 0, 0, 0, &tv);
    unsigned long dt = mach_abs() - t0;
    t_printf("# 50 ms sleep = %lu ns of mach_absolute_time\n", dt);
    CHECK(dt >= 45000000UL && dt < 1000000000UL, "mach_absolute_time advances in nanoseconds");
    unsigned long boot_usec = U64(0xc8);
    struct timeval now;
    BSD(gettimeofday, &now, 0, 0);
    CHECK(boot_usec > 1000000000UL * 1000000UL && boot_usec / 1000000 <= (unsigned long)now.tv_sec,
          "_COMM_PAGE_BOOTTIME_USEC is in the past");

    /* The page is read-only: the kernel refuses to write into it. */
    struct xres p = BSD0(pipe);
    BSD(write, p.val2, "x", 1);
    EXPECT_ERR(BSD(read, p.val, (void*)CP, 1), EFAULT, "read() into the commpage");
    return t_done();
}
