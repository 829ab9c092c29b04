/* Benchmark body (static Mach-O): `xnu_loop CALL N` makes N XNU calls through libsystem_kernel-shaped stubs (getpid, write1 = 1 byte to
 * /dev/null, fstat) and prints the mean cost in nanoseconds, timed with gettimeofday around the loop.
 * `rpc`: N Mach RPC round trips, client -> server thread -> reply, each side one mach_msg2_trap per message as
 * MIG clients and servers make them (the client sends and receives in one call with a send-once reply right;
 * the server replies and receives the next request in one call). `mig`: N MIG calls to the kernel
 * (mach_port_get_refs on the task port), answered by macrun's own server. `getpid_xor`, `getpid_reg`: getpid
 * through stubs of other shapes than Apple's (rt/stubs.S). `forkexec N PATH`: N times fork, execve(PATH), wait4.
 * `forkwait N`: N times fork, exit, wait4. `idle`: reads stdin to its end. */
#include "xnu.h"

#include <sys/stat.h>

static long now_us(void) {
    struct { long sec; int usec; int pad; } tv;
    BSD(gettimeofday, &tv, 0, 0);
    return tv.sec * 1000000L + tv.usec;
}

/* mach_msg2_trap through the libsystem-shaped stub, header at the start of `msg` (no descriptors). */
static int msg2(void* msg, unsigned long options, unsigned send_size, unsigned rcv_size, unsigned rcv_name) {
    const struct t_msg_header* h = (const struct t_msg_header*)msg;
    return stub_mach_msg2_trap(msg, options, T_MSG2_PACK(h->bits, send_size), T_MSG2_PACK(h->remote, h->local),
                               T_MSG2_PACK(h->voucher, h->id), T_MSG2_PACK(0, rcv_name), T_MSG2_PACK(rcv_size, 0), 0);
}

struct rpc_msg { struct t_msg_header h; long payload; char trailer[64]; };
static unsigned server_port;

/* The server: receive a request, then in one call reply to it and receive the next. */
static void server(void* arg) {
    (void)arg;
    struct rpc_msg m;
    memset(&m, 0, sizeof m);
    if (msg2(&m, 2 /* MACH_RCV_MSG */ | T_MACH64_SEND_MQ_CALL, 0, sizeof m, server_port)) return;
    for (;;) {
        unsigned reply = m.h.remote;
        m.h.bits = 18; /* MACH_MSG_TYPE_MOVE_SEND_ONCE */
        m.h.size = 32;
        m.h.remote = reply;
        m.h.local = 0;
        m.h.id += 100;
        m.payload++;
        if (msg2(&m, 3 | T_MACH64_SEND_MQ_CALL, 32, sizeof m, server_port)) return;
    }
}

static long rpc_loop(long n) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, 1 /* MACH_PORT_RIGHT_RECEIVE */, &server_port);
    MACH(port_insert_right, task, server_port, server_port, 20 /* MACH_MSG_TYPE_MAKE_SEND */);
    unsigned reply = stub_mach_reply_port();
    if (t_spawn(server, 0)) return -1;
    struct rpc_msg m;
    memset(&m, 0, sizeof m);
    long t0 = now_us();
    for (long i = 0; i < n; i++) {
        m.h.bits = 19 | (21 << 8); /* COPY_SEND to the server, MAKE_SEND_ONCE for the reply */
        m.h.size = 32;
        m.h.remote = server_port;
        m.h.local = reply;
        m.h.id = 500;
        if (msg2(&m, 3 | T_MACH64_SEND_MQ_CALL, 32, sizeof m, reply) || m.payload != i + 1) return -1;
    }
    return now_us() - t0;
}

static long mig_loop(long n) {
    unsigned task = t_task_self(), refs;
    long t0 = now_us();
    for (long i = 0; i < n; i++)
        if (t_mach_port_get_refs(task, task, 0 /* MACH_PORT_RIGHT_SEND */, &refs)) return -1;
    return now_us() - t0;
}

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    long n = 0;
    for (const char* p = argv[2]; *p; p++) n = n * 10 + (*p - '0');
    int fd = (int)BSD(open, "/dev/null", O_WRONLY, 0).val;
    struct stat st;
    char c = 'x';
    if (!strcmp(argv[1], "rpc") || !strcmp(argv[1], "mig")) {
        long us = argv[1][0] == 'r' ? rpc_loop(n) : mig_loop(n);
        if (us < 0) return 1;
        t_printf("%ld\n", us * 1000 / n);
        return 0;
    }
    if (!strcmp(argv[1], "idle")) {  /* blocks reading stdin until it ends */
        char b;
        while (BSD(read, 0, &b, 1).val > 0) {}
        return 0;
    }
    if (!strcmp(argv[1], "forkwait")) {  /* fork + exit + wait4, N times */
        long t0 = now_us();
        for (long i = 0; i < n; i++) {
            long pid = t_fork();
            if (pid == 0) BSD(exit, 0);
            int status = -1;
            if (pid < 0 || BSD(wait4, pid, &status, 0, 0).err || status != 0) return 1;
        }
        t_printf("%ld\n", (now_us() - t0) * 1000 / n);
        return 0;
    }
    if (!strcmp(argv[1], "forkexec")) {
        /* fork + execve(PATH) + wait4, N times: the cost of starting a program from a program. */
        if (argc < 4) return 2;
        char* child_argv[] = {argv[3], 0};
        char* child_envp[] = {0};
        long t0 = now_us();
        for (long i = 0; i < n; i++) {
            long pid = t_fork();
            if (pid == 0) {
                BSD(execve, argv[3], child_argv, child_envp);
                BSD(exit, 127);
            }
            int status = -1;
            if (pid < 0 || BSD(wait4, pid, &status, 0, 0).err || status != 0) return 1;
        }
        t_printf("%ld\n", (now_us() - t0) * 1000 / n);
        return 0;
    }
    long t0 = now_us();
    if (!strcmp(argv[1], "getpid_xor"))
        for (long i = 0; i < n; i++) stub_getpid_xor();
    else if (!strcmp(argv[1], "getpid_reg"))
        for (long i = 0; i < n; i++) stub_syscall_reg(0x2000014, 0);
    else if (!strcmp(argv[1], "getpid"))
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
