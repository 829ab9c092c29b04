/* Signals that arrive in the middle of Mach calls, with handlers that make Mach calls themselves: one thread
 * keeps calling the kernel (MIG requests to the task port, port allocations through traps) while another
 * sends it SIGUSR1 two thousand times with __pthread_kill. Each handler run allocates and destroys a port and
 * asks the kernel for a reference count. Nothing may deadlock or be lost: every signal sent is handled (they
 * are sent one at a time, each after the previous was handled), and the space holds what it held before.
 * Where a signal lands is up to the scheduler; the deferral of one that lands while its thread holds the IPC
 * lock is tested directly in tests/unit/test_klock.cpp.
 * Facts: xnu bsd/kern/kern_sig.c (__pthread_kill), osfmk/ipc/mach_port.c; a Mach call in a signal handler is
 * allowed on macOS (they are plain system calls there). */
#include "xnu.h"

#include <signal.h>

enum { X_pthread_kill = 328 };
#define ROUNDS 2000

static unsigned task, main_port;
static volatile int handled, sent, failures, done;

static void on_usr1(int sig, siginfo_t* si, void* uc) {
    (void)sig, (void)si, (void)uc;
    unsigned p = 0, refs = 0;
    if (MACH(port_allocate, task, 1 /* MACH_PORT_RIGHT_RECEIVE */, &p) != 0) failures++;
    if (t_mach_port_get_refs(task, p, 1 /* MACH_PORT_RIGHT_RECEIVE */, &refs) != 0 || refs != 1) failures++;
    if (MACH(port_mod_refs, task, p, 1, -1) != 0) failures++;
    handled++;
}

static void sender(void* arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int before = handled;
        if (BSD(pthread_kill, main_port, SIGUSR1).err) break;
        sent++;
        while (handled == before) MACH(swtch_pri, 0);
    }
    done = 1;
}

int main(void) {
    task = t_task_self();
    main_port = (unsigned)MACH0(thread_self);
    EXPECT_OK(t_sigaction(SIGUSR1, (void*)on_usr1, SA_SIGINFO | SA_RESTART, 0, 0), "a SIGUSR1 handler");
    unsigned type_before = t_port_type(task);
    CHECK(t_spawn(sender, 0) == 0, "the sending thread");
    long calls = 0;
    while (!done) {
        unsigned refs, p;
        if (t_mach_port_get_refs(task, task, 0 /* MACH_PORT_RIGHT_SEND */, &refs) != 0) failures++;
        if (MACH(port_allocate, task, 1, &p) != 0 || MACH(port_mod_refs, task, p, 1, -1) != 0) failures++;
        calls++;
    }
    CHECK(sent == ROUNDS && handled == ROUNDS, "every signal sent during Mach calls was handled");
    CHECK(failures == 0, "every Mach call in the loop and in the handlers succeeded");
    CHECK(calls > 0 && t_port_type(task) == type_before, "the caller's space is as it was");
    return t_done();
}
