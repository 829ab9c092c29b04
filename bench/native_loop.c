/* The native reference for xnu_loop: the same loops with raw Linux system calls. `rpc`: the Linux analog of a
 * Mach RPC between two threads, a request and a reply over two pipes (one write and one read per side per
 * round trip, the waits in the kernel as mach_msg's are). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int req[2], rep[2];

static void* server(void* arg) {
    (void)arg;
    long v;
    while (read(req[0], &v, sizeof v) == sizeof v) {
        v++;
        if (write(rep[1], &v, sizeof v) != sizeof v) break;
    }
    return NULL;
}

static long rpc(long n) {
    pthread_t th;
    if (pipe(req) || pipe(rep) || pthread_create(&th, NULL, server, NULL)) return -1;
    long t0 = now_ns();
    for (long i = 0; i < n; i++) {
        long v = i;
        if (write(req[1], &v, sizeof v) != sizeof v || read(rep[0], &v, sizeof v) != sizeof v || v != i + 1) return -1;
    }
    return now_ns() - t0;
}

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    long n = atol(argv[2]);
    int fd = open("/dev/null", O_WRONLY);
    struct stat st;
    char c = 'x';
    if (!strcmp(argv[1], "rpc")) {
        long ns = rpc(n);
        if (ns < 0) return 1;
        printf("%ld\n", ns / n);
        return 0;
    }
    if (!strcmp(argv[1], "idle")) {
        char b;
        while (read(0, &b, 1) > 0) {}
        return 0;
    }
    if (!strcmp(argv[1], "forkwait")) {
        long t0 = now_ns();
        for (long i = 0; i < n; i++) {
            pid_t pid = fork();
            if (pid == 0) _exit(0);
            int status = -1;
            if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) return 1;
        }
        printf("%ld\n", (now_ns() - t0) / n);
        return 0;
    }
    if (!strcmp(argv[1], "forkexec")) {
        if (argc < 4) return 2;
        char* child_argv[] = {argv[3], NULL};
        char* child_envp[] = {NULL};
        long t0 = now_ns();
        for (long i = 0; i < n; i++) {
            pid_t pid = fork();
            if (pid == 0) {
                execve(argv[3], child_argv, child_envp);
                _exit(127);
            }
            int status = -1;
            if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) return 1;
        }
        printf("%ld\n", (now_ns() - t0) / n);
        return 0;
    }
    long t0 = now_ns();
    if (!strcmp(argv[1], "getpid_xor") || !strcmp(argv[1], "getpid_reg"))
        for (long i = 0; i < n; i++) syscall(SYS_getpid);
    else if (!strcmp(argv[1], "getpid"))
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
