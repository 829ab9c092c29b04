/* ulock_wait / ulock_wait2 / ulock_wake: the primitives under os_unfair_lock and pthread mutexes.
 * Facts: xnu bsd/kern/sys_ulock.c (a wait returns the waiters still waiting; waking nobody is ENOENT;
 * ULF_NO_ERRNO returns -errno; flags and alignment are checked), bsd/sys/ulock.h.
 * Four threads increment a counter under a lock built on compare-and-wait. */
#include "xnu.h"

#include <sys/mman.h>

enum { X_ulock_wait = 515, X_ulock_wake = 516, X_ulock_wait2 = 544, X_bsdthread_create = 360,
       X_bsdthread_register = 366, X_poll_ = 230 };
#define UL_COMPARE_AND_WAIT 1
#define UL_COMPARE_AND_WAIT64 5
#define ULF_WAKE_ALL 0x100
#define ULF_NO_ERRNO 0x1000000
#define PTHREAD_START_CUSTOM 0x01000000
#define NTHREADS 4
#define ROUNDS 20000

static struct xres wait_(unsigned op, void* addr, unsigned long value, unsigned timeout_us) {
    return xsys6(SYSCALL_CLASS_UNIX | X_ulock_wait, op, (long)addr, (long)value, timeout_us, 0, 0);
}
static struct xres wake_(unsigned op, void* addr) {
    return xsys6(SYSCALL_CLASS_UNIX | X_ulock_wake, op, (long)addr, 0, 0, 0, 0);
}

/* A lock: 0 free, 1 held, 2 held with waiters (the classic futex mutex). */
static volatile unsigned lockword;
static void lock(void) {
    unsigned c = 0;
    if (__atomic_compare_exchange_n(&lockword, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
    if (c != 2) c = __atomic_exchange_n(&lockword, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        wait_(UL_COMPARE_AND_WAIT, (void*)&lockword, 2, 0);
        c = __atomic_exchange_n(&lockword, 2, __ATOMIC_ACQUIRE);
    }
}
static void unlock(void) {
    if (__atomic_exchange_n(&lockword, 0, __ATOMIC_RELEASE) == 2) wake_(UL_COMPARE_AND_WAIT, (void*)&lockword);
}

static volatile long counter;
static volatile int done;
static void worker(void* arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        lock();
        counter = counter + 1;
        unlock();
    }
    __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
}

int main(void) {
    static unsigned word = 7;
    static unsigned long word64 = 0x100000007UL;

    EXPECT_ERR(wake_(UL_COMPARE_AND_WAIT, &word), ENOENT, "ulock_wake with no waiter: ENOENT");
    struct xres r = wake_(UL_COMPARE_AND_WAIT | ULF_NO_ERRNO, &word);
    CHECK(!r.err && r.val == -ENOENT, "ULF_NO_ERRNO: -ENOENT in rax, carry clear");
    r = wait_(UL_COMPARE_AND_WAIT, &word, 8, 0);
    CHECK(!r.err && r.val == 0, "a wait whose value has changed returns at once, 0 waiters left");
    EXPECT_ERR(wait_(UL_COMPARE_AND_WAIT, &word, 7, 2000), ETIMEDOUT, "a wait with a 2 ms timeout: ETIMEDOUT");
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | X_ulock_wait2, UL_COMPARE_AND_WAIT64, (long)&word64, (long)word64, 1000000, 0, 0), ETIMEDOUT,
               "ulock_wait2, 64-bit word, 1 ms timeout: ETIMEDOUT");
    EXPECT_ERR(wait_(99, &word, 7, 0), EINVAL, "unknown opcode: EINVAL");
    EXPECT_ERR(wait_(UL_COMPARE_AND_WAIT, 0, 7, 0), EINVAL, "null address: EINVAL");
    EXPECT_ERR(wait_(UL_COMPARE_AND_WAIT, (char*)&word + 1, 7, 0), EINVAL, "misaligned address: EINVAL");
    EXPECT_ERR(wait_(UL_COMPARE_AND_WAIT64, (char*)&word64 + 4, 7, 0), EINVAL, "a 64-bit word on a 4-byte boundary: EINVAL");
    EXPECT_ERR(wait_(UL_COMPARE_AND_WAIT | 0x800, &word, 7, 0), EINVAL, "a wake flag on a wait: EINVAL");
    EXPECT_ERR(wait_(UL_COMPARE_AND_WAIT, BAD_PTR, 7, 0), EFAULT, "an unmapped word: EFAULT");
    EXPECT_ERR(wake_(UL_COMPARE_AND_WAIT | ULF_WAKE_ALL | 0x200, &word), EINVAL, "WAKE_ALL with WAKE_THREAD: EINVAL");

    /* Threads (the protocol of bsdthread.c, without TSD). */
    struct { unsigned long version, dq, qos; unsigned tsd, rtk, mts, pad; unsigned long hint; unsigned mdp, pad2; } d = {56};
    register long r10 __asm__("r10") = (long)&d;
    register long r8 __asm__("r8") = 56;
    register long r9 __asm__("r9") = 0;
    long rax, rdx = 4096;
    __asm__ volatile("sub $16, %%rsp\n\tmovq $0, 8(%%rsp)\n\tsub $8, %%rsp\n\tsyscall\n\tadd $24, %%rsp"
                     : "=a"(rax), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(SYSCALL_CLASS_UNIX | X_bsdthread_register), "D"((long)t_thread_start), "S"(0L)
                     : "rcx", "r11", "memory");
    static char pthreads[NTHREADS][4096];
    for (int i = 0; i < NTHREADS; i++) {
        char* stack = (char*)BSD(mmap, 0, 128 * 1024, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0).val;
        xsys6(SYSCALL_CLASS_UNIX | X_bsdthread_create, (long)worker, 0, (long)(stack + 128 * 1024), (long)pthreads[i],
              PTHREAD_START_CUSTOM, 0);
    }
    while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < NTHREADS) xsys6(SYSCALL_CLASS_UNIX | X_poll_, 0, 0, 1, 0, 0, 0);
    CHECK(counter == NTHREADS * ROUNDS, "4 threads x 20,000 increments under a ulock-based lock: nothing lost");
    return t_done();
}
