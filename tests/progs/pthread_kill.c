/* Thread ports and __pthread_kill: a thread starts with a send right to its own port in rsi (the name
 * thread_self_trap also returns), and __pthread_kill(port, sig) sends the signal to that thread only.
 * Facts: libpthread kern/kern_support.c (_bsdthread_create copies out the thread port, passes it in rsi),
 * xnu bsd/kern/kern_sig.c (__pthread_kill: ESRCH for a name that is no thread of the task, EINVAL for a bad
 * signal). */
#include "xnu.h"

#include <signal.h>
#include <sys/mman.h>

enum { X_bsdthread_create = 360, X_bsdthread_register = 366, X_pthread_kill = 328, X_poll_ = 230 };
#define PTHREAD_START_CUSTOM 0x01000000

static volatile unsigned start_port, self_port;
static volatile long worker_tid, handler_tid;
static volatile int signalled, finished;

static void on_usr1(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)si, (void)uc;
    handler_tid = BSD0(thread_selfid).val;
    signalled = 1;
}

/* The registered start routine: XNU's registers are the SysV argument registers. */
__attribute__((force_align_arg_pointer)) static void start(void* pthread, unsigned port, void* func, void* arg,
                                                           void* stack, unsigned flags) {
    (void)pthread, (void)func, (void)arg, (void)stack, (void)flags;
    start_port = port;
    self_port = (unsigned)xsys6(SYSCALL_CLASS_MACH | 27, 0, 0, 0, 0, 0, 0).val;  /* thread_self_trap */
    worker_tid = BSD0(thread_selfid).val;
    while (!signalled) xsys6(SYSCALL_CLASS_UNIX | X_poll_, 0, 0, 1, 0, 0, 0);
    finished = 1;
    xsys6(SYSCALL_CLASS_UNIX | 361, 0, 0, port, 0, 0, 0);  /* bsdthread_terminate */
}

int main(void) {
    struct { unsigned long version, dq, qos; unsigned tsd, rtk, mts, pad; unsigned long hint; unsigned mdp, pad2; } d = {56};
    register long r10 __asm__("r10") = (long)&d;
    register long r8 __asm__("r8") = 56;
    register long r9 __asm__("r9") = 0;
    long rax, rdx = 4096;
    __asm__ volatile("sub $16, %%rsp\n\tmovq $0, 8(%%rsp)\n\tsub $8, %%rsp\n\tsyscall\n\tadd $24, %%rsp"
                     : "=a"(rax), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(SYSCALL_CLASS_UNIX | X_bsdthread_register), "D"((long)start), "S"(0L)
                     : "rcx", "r11", "memory");
    EXPECT_OK(t_sigaction(SIGUSR1, on_usr1, SA_SIGINFO, 0, 0), "sigaction(SIGUSR1)");
    static char pthread[4096];
    char* stack = (char*)BSD(mmap, 0, 128 * 1024, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0).val;
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_bsdthread_create, 0, 0, (long)(stack + 128 * 1024), (long)pthread,
                    PTHREAD_START_CUSTOM, 0), "bsdthread_create");
    while (!worker_tid) xsys6(SYSCALL_CLASS_UNIX | X_poll_, 0, 0, 1, 0, 0, 0);
    CHECK(start_port != 0 && (start_port & 3) == 3, "the thread starts with a port name in rsi");
    CHECK(self_port == start_port, "thread_self_trap in the thread names the same port");

    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_pthread_kill, 0x7777703, SIGUSR1, 0, 0, 0, 0), ESRCH, "__pthread_kill of a name that is no thread: ESRCH");
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_pthread_kill, start_port, 99, 0, 0, 0, 0), EINVAL, "__pthread_kill with signal 99: EINVAL");
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_pthread_kill, start_port, 0, 0, 0, 0, 0), "__pthread_kill with signal 0");
    EXPECT_OK(xsys6(SYSCALL_CLASS_UNIX | X_pthread_kill, start_port, SIGUSR1, 0, 0, 0, 0), "__pthread_kill(port, SIGUSR1)");
    while (!finished) xsys6(SYSCALL_CLASS_UNIX | X_poll_, 0, 0, 1, 0, 0, 0);
    CHECK(handler_tid == worker_tid, "the handler ran on that thread");
    CHECK(handler_tid != BSD0(thread_selfid).val, "not on the main thread");
    return t_done();
}
