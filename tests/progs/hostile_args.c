/* Hostile arguments: garbage in the high half of int arguments, unmapped/kernel pointers are EFAULT. */
/* Semantics: XNU reads only the low 32 bits of a register for an int argument. */
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#undef BSD /* <sys/param.h> defines BSD as 199506; xnu.h defines BSD() */
#include "xnu.h"

#define HI 0xdeadbeef00000000L

int main(void) {
    long pid = BSD0(getpid).val;
    EXPECT_OK(BSD(kill, pid | HI, 0 | HI, 1), "kill with garbage above pid and signal");
    struct rlimit lim;
    EXPECT_OK(BSD(getrlimit, RLIMIT_NOFILE | HI, &lim), "getrlimit with garbage above the resource");
    struct rusage ru;
    EXPECT_OK(BSD(getrusage, RUSAGE_SELF | HI, &ru), "getrusage with garbage above who");
    struct xres m = EXPECT_OK(BSD(mmap, 0, 4096, PROT_READ | PROT_WRITE | HI, MAP_ANON | MAP_PRIVATE | HI, -1 & 0x12345678ffffffffL, 0),
                              "mmap with garbage above prot, flags and fd (-1)");
    EXPECT_OK(BSD(madvise, m.val, 4096, MADV_NORMAL | HI), "madvise with garbage above the advice");
    EXPECT_OK(BSD(mprotect, m.val, 4096, PROT_READ | HI), "mprotect with garbage above prot");
    struct xres p = BSD0(pipe);
    struct pollfd f = {(int)p.val2, POLLOUT, 0};
    struct xres r = EXPECT_OK(BSD(poll, &f, 1 | HI, 0 | HI), "poll with garbage above nfds and timeout");
    CHECK(r.val == 1 && f.revents == POLLOUT, "and it polled one descriptor without waiting");
    int mib[2] = {CTL_HW, HW_NCPU}, ncpu = 0;
    size_t len = sizeof ncpu;
    EXPECT_OK(BSD(sysctl, mib, 2 | HI, &ncpu, &len, 0, 0), "sysctl with garbage above namelen");

    /* Unmapped (inside __PAGEZERO), kernel and non-canonical pointers. */
    void* bad[] = {BAD_PTR, (void*)0xffffff8000000000UL, (void*)0x8000000000000000UL};
    for (int i = 0; i < 3; i++) {
        t_printf("# pointer %lx\n", (unsigned long)bad[i]);
        EXPECT_ERR(BSD(gettimeofday, bad[i], 0, 0), EFAULT, "gettimeofday");
        EXPECT_ERR(BSD(getrusage, RUSAGE_SELF, bad[i]), EFAULT, "getrusage");
        EXPECT_ERR(BSD(getrlimit, RLIMIT_NOFILE, bad[i]), EFAULT, "getrlimit");
        EXPECT_ERR(BSD(sysctl, mib, 2, &ncpu, bad[i], 0, 0), EFAULT, "sysctl with a bad oldlenp");
        EXPECT_ERR(BSD(sysctl, bad[i], 2, &ncpu, &len, 0, 0), EFAULT, "sysctl with a bad name");
        len = sizeof ncpu;
        EXPECT_ERR(BSD(sysctl, mib, 2, bad[i], &len, 0, 0), EFAULT, "sysctl with a bad old buffer");
        len = sizeof ncpu;
        EXPECT_ERR(BSD(sysctlbyname, bad[i], 7, &ncpu, &len, 0, 0), EFAULT, "sysctlbyname with a bad name");
        EXPECT_ERR(BSD(getentropy, bad[i], 8), EFAULT, "getentropy");
        EXPECT_ERR(BSD(poll, bad[i], 1, 0), EFAULT, "poll");
    }

    /* A struct that starts in a mapped page and runs into an unmapped one. */
    m = EXPECT_OK(BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap 2 pages");
    BSD(munmap, m.val + 4096, 4096);
    char* edge = (char*)m.val + 4096 - 8;
    EXPECT_ERR(BSD(getrusage, RUSAGE_SELF, edge), EFAULT, "getrusage across the end of a mapping");
    EXPECT_ERR(BSD(gettimeofday, edge - 4, 0, 0), EFAULT, "gettimeofday across the end of a mapping");
    EXPECT_OK(BSD(gettimeofday, edge - 8, 0, 0), "gettimeofday just inside the mapping");
    return t_done();
}
