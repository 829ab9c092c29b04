/* Benchmark body (static Mach-O): `xnu_loop CALL N` makes N XNU calls through libsystem_kernel-shaped stubs (getpid, write1 = 1 byte to
 * /dev/null, fstat) and prints the mean cost in nanoseconds, timed with gettimeofday around the loop. */
#include "xnu.h"

#include <sys/stat.h>

static long now_us(void) {
    struct { long sec; int usec; int pad; } tv;
    BSD(gettimeofday, &tv, 0, 0);
    return tv.sec * 1000000L + tv.usec;
}

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    long n = 0;
    for (const char* p = argv[2]; *p; p++) n = n * 10 + (*p - '0');
    int fd = (int)BSD(open, "/dev/null", O_WRONLY, 0).val;
    struct stat st;
    char c = 'x';
    long t0 = now_us();
    if (!strcmp(argv[1], "getpid"))
        for (long i = 0; i < n; i++) stub_getpid();
    else if (!strcmp(argv[1], "write1"))
        for (long i = 0; i < n; i++) stub_write(fd, &c, 1);
    else if (!strcmp(argv[1], "fstat"))
        for (long i = 0; i < n; i++) stub_fstat64(fd, &st);
    else
        return 2;
    long t1 = now_us();
    t_printf("%ld\n", (t1 - t0) * 1000 / n);
    return t_done() == 0 ? 0 : 1;
}
