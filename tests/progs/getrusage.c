/* getrusage(2): RUSAGE_SELF/RUSAGE_CHILDREN, timevals, ru_maxrss in bytes, bad who and pointer. */
/* Semantics: xnu bsd/kern/kern_resource.c getrusage(). */
#include "xnu.h"

#include <sys/resource.h>

int main(void) {
    struct rusage a, b, c;
    memset(&a, 0xff, sizeof a);
    EXPECT_OK(BSD(getrusage, RUSAGE_SELF, &a), "getrusage(RUSAGE_SELF)");
    CHECK(a.ru_utime.tv_usec >= 0 && a.ru_utime.tv_usec < 1000000, "ru_utime.tv_usec in range");
    CHECK(a.ru_stime.tv_usec >= 0 && a.ru_stime.tv_usec < 1000000, "ru_stime.tv_usec in range");
    CHECK(a.ru_utime.tv_sec >= 0 && a.ru_stime.tv_sec >= 0, "times are not negative");
    /* A running process uses at least some hundreds of KiB; XNU reports bytes. */
    CHECK(a.ru_maxrss >= 128 * 1024, "ru_maxrss is in bytes");
    CHECK(a.ru_minflt >= 0 && a.ru_nvcsw >= 0, "counters are not negative");

    /* Work until the kernel has charged some user time (its split between user and system time is sampled
       at clock ticks, so a loaded machine may need more than one slice of work to show it). */
    volatile unsigned long spin = 0;
    int rounds = 0;
    do {
        for (unsigned long i = 0; i < 20000000; i++) spin += i;
        BSD(getrusage, RUSAGE_SELF, &b);
    } while (b.ru_utime.tv_sec == 0 && b.ru_utime.tv_usec == 0 && ++rounds < 50);
    CHECK(spin > 0, "did some work");
    EXPECT_OK(BSD(getrusage, RUSAGE_SELF, &b), "getrusage again after some work");
    long ta = a.ru_utime.tv_sec * 1000000L + a.ru_utime.tv_usec + a.ru_stime.tv_sec * 1000000L + a.ru_stime.tv_usec;
    long tb = b.ru_utime.tv_sec * 1000000L + b.ru_utime.tv_usec + b.ru_stime.tv_sec * 1000000L + b.ru_stime.tv_usec;
    CHECK(tb >= ta, "CPU time does not go backwards");
    CHECK(b.ru_utime.tv_sec * 1000000L + b.ru_utime.tv_usec > 0, "some user time was used");

    EXPECT_OK(BSD(getrusage, RUSAGE_CHILDREN, &c), "getrusage(RUSAGE_CHILDREN)");
    EXPECT_ERR(BSD(getrusage, 1, &c), EINVAL, "getrusage(1): there is no RUSAGE_THREAD");
    EXPECT_ERR(BSD(getrusage, 7, &c), EINVAL, "getrusage(7)");
    EXPECT_ERR(BSD(getrusage, RUSAGE_SELF, BAD_PTR), EFAULT, "getrusage into a bad pointer");
    return t_done();
}
