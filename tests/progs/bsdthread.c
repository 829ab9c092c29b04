/* Threads through libpthread's kernel protocol: bsdthread_register (once), bsdthread_create with
 * PTHREAD_START_CUSTOM (registers at start, the TSD base in %gs), bsdthread_terminate. Eight threads make
 * 100,000 system calls each through a libsystem-shaped stub (the call sites are rewritten while all of them
 * run) and every result must be right.
 * Facts: libpthread kern/kern_support.c (_bsdthread_register, _bsdthread_create, _bsdthread_terminate). */
#include "xnu.h"

#include <sys/mman.h>

enum { X_bsdthread_create = 360, X_bsdthread_register = 366, X_poll_ = 230 };
#define PTHREAD_START_CUSTOM 0x01000000
#define TSD_OFFSET 224
#define NTHREADS 8
#define CALLS 100000

struct reg_data {
    unsigned long version, dispatch_queue_offset, main_qos;
    unsigned tsd_offset, return_to_kernel_offset, mach_thread_self_offset, pad;
    unsigned long stack_addr_hint;
    unsigned mutex_default_policy, pad2;
};

struct worker {
    int index;
    long pid;
    volatile long tid, gs_word, good_calls;
    volatile int started_regs_ok;
};

static volatile int done;
static struct worker workers[NTHREADS];

static void work(struct worker* w) {
    long gs0;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(gs0));
    w->gs_word = gs0;
    w->tid = BSD0(thread_selfid).val;
    long good = 0;
    for (int i = 0; i < CALLS; i++) good += stub_getpid() == w->pid;
    w->good_calls = good;
    __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
}

static struct xres create(void* func, void* arg, void* stack, void* pthread, unsigned flags) {
    return xsys6(SYSCALL_CLASS_UNIX | X_bsdthread_create, (long)func, (long)arg, (long)stack, (long)pthread, flags, 0);
}

static struct xres reg(struct reg_data* d) {
    /* bsdthread_register has 7 arguments: the 7th (tsd_offset) lives on the stack, read by the kernel at rsp+8. */
    struct xres r;
    register long r10 __asm__("r10") = (long)d;
    register long r8 __asm__("r8") = d ? (long)sizeof *d : 0;
    register long r9 __asm__("r9") = 0;
    long rax, rdx = 4096;
    unsigned char cf;
    __asm__ volatile("sub $16, %%rsp\n\tmovq $0, 8(%%rsp)\n\tsub $8, %%rsp\n\tsyscall\n\tsetc %2\n\tadd $24, %%rsp"
                     : "=a"(rax), "+d"(rdx), "=r"(cf), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(SYSCALL_CLASS_UNIX | X_bsdthread_register), "D"((long)t_thread_start), "S"(0L)
                     : "rcx", "r11", "memory");
    r.val = rax, r.val2 = rdx, r.err = cf ? (int)rax : 0;
    return r;
}

int main(void) {
    long pid = BSD0(getpid).val;
    static char pthreads[NTHREADS][4096] __attribute__((aligned(4096)));

    EXPECT_ERR(create(work, &workers[0], 0, pthreads[0], PTHREAD_START_CUSTOM), EINVAL, "bsdthread_create before bsdthread_register: EINVAL");
    struct reg_data d = {sizeof d, 0, 0, TSD_OFFSET, 0, 0, 0, 0, 0, 0};
    EXPECT_OK(reg(&d), "bsdthread_register(pthsize 4096, TSD offset 224)");
    CHECK(d.version == sizeof d, "the registration data comes back with its version");
    EXPECT_ERR(reg(&d), EINVAL, "a second bsdthread_register: EINVAL");
    EXPECT_ERR(create(work, &workers[0], 0, pthreads[0], 0), EINVAL, "bsdthread_create without PTHREAD_START_CUSTOM: EINVAL");

    for (int i = 0; i < NTHREADS; i++) {
        workers[i].index = i;
        workers[i].pid = pid;
        *(long*)(pthreads[i] + TSD_OFFSET) = 0x1000 + i;  /* %gs:0 of thread i */
        char* stack = (char*)BSD(mmap, 0, 256 * 1024, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0).val;
        struct xres r = create(work, &workers[i], stack + 256 * 1024, pthreads[i], PTHREAD_START_CUSTOM);
        CHECK(!r.err && r.val == (long)pthreads[i], "bsdthread_create returns the pthread");
    }
    while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < NTHREADS)
        xsys6(SYSCALL_CLASS_UNIX | X_poll_, 0, 0, 1, 0, 0, 0);

    int gs_ok = 1, calls_ok = 1, tids_ok = 1;
    long main_tid = BSD0(thread_selfid).val;
    for (int i = 0; i < NTHREADS; i++) {
        gs_ok &= workers[i].gs_word == 0x1000 + i;
        calls_ok &= workers[i].good_calls == CALLS;
        tids_ok &= workers[i].tid > 0 && workers[i].tid != main_tid;
        for (int j = 0; j < i; j++) tids_ok &= workers[i].tid != workers[j].tid;
    }
    CHECK(gs_ok, "each thread's %gs base is its pthread + TSD offset");
    CHECK(calls_ok, "8 threads x 100,000 calls: every result correct");
    CHECK(tids_ok, "every thread has its own thread id");
    return t_done();
}
