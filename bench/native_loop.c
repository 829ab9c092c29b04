/* The native reference for xnu_loop: the same loops with raw Linux system calls. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    long n = atol(argv[2]);
    int fd = open("/dev/null", O_WRONLY);
    struct stat st;
    char c = 'x';
    long t0 = now_ns();
    if (!strcmp(argv[1], "getpid"))
        for (long i = 0; i < n; i++) syscall(SYS_getpid);
    else if (!strcmp(argv[1], "write1"))
        for (long i = 0; i < n; i++) syscall(SYS_write, fd, &c, 1);
    else if (!strcmp(argv[1], "fstat"))
        for (long i = 0; i < n; i++) syscall(SYS_fstat, fd, &st);
    else
        return 2;
    printf("%ld\n", (now_ns() - t0) / n);
    return 0;
}
