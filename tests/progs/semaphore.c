/* Mach semaphores: semaphore_create / semaphore_destroy (MIG 3418 / 3419 on the task port) and the traps
 * semaphore_signal (33), signal_all (34), signal_thread (35), wait (36), wait_signal (37), timedwait (38),
 * timedwait_signal (39), between threads made with bsdthread_create: a wait blocks until a signal; a signal
 * without waiters is remembered, signal_all without waiters is not; signal_thread wakes that thread or says
 * KERN_NOT_WAITING; {0, 0} polls; timeouts give KERN_OPERATION_TIMED_OUT; destroying a semaphore sends its
 * waiters away with KERN_TERMINATED and takes the send right the call moved; the errors.
 * Facts: xnu osfmk/kern/sync_sema.c (semaphore_create, semaphore_destroy, semaphore_signal_internal,
 * semaphore_wait_internal, semaphore_*_trap, port_name_to_semaphore, semaphore_convert_wait_result),
 * osfmk/mach/task.defs (semaphore_create 3418, semaphore_destroy 3419, semaphore_consume_ref_t),
 * osfmk/mach/clock_types.h (BAD_MACH_TIMESPEC). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>
#include <mach/sync_policy.h>

static unsigned sem, sem2;
static volatile int result = -1, pings;
static volatile unsigned worker_thread;

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }
static long now_ms(void) {
    long tv[2] = {0, 0};
    BSD(gettimeofday, tv, 0, 0);
    return tv[0] * 1000 + (int)tv[1] / 1000;
}
static void wait_for_result(void) {
    for (int i = 0; i < 400 && __atomic_load_n(&result, __ATOMIC_SEQ_CST) == -1; i++) sleep_ms(5);
}

static void waiter(void* arg) {
    (void)arg;
    worker_thread = (unsigned)MACH0(thread_self);
    __atomic_store_n(&result, MACH(semaphore_wait, sem), __ATOMIC_SEQ_CST);
}

static void ponger(void* arg) {
    (void)arg;
    /* Wait on sem2, signal sem, 100 times. */
    int bad = 0;
    if (MACH(semaphore_wait, sem2) != 0) bad++;
    for (int i = 0; i < 100; i++) {
        pings++;
        if (MACH(semaphore_wait_signal, sem2, sem) != 0) bad++;
    }
    MACH(semaphore_signal, sem);
    __atomic_store_n(&result, bad, __ATOMIC_SEQ_CST);
}

int main(void) {
    unsigned task = t_task_self();
    CHECK(t_semaphore_create(task, &sem, SYNC_POLICY_FIFO, 0) == 0, "semaphore_create(FIFO, 0)");
    CHECK(sem && t_port_type(sem) == MACH_PORT_TYPE_SEND && t_refs(sem, MACH_PORT_RIGHT_SEND) == 1,
          "the reply carried a send right: one reference");
    CHECK(t_semaphore_create(task, &sem2, SYNC_POLICY_FIFO, 1) == 0 && sem2 != sem, "a second semaphore, value 1");

    /* Counts. */
    CHECK(MACH(semaphore_timedwait, sem, 0, 0) == KERN_OPERATION_TIMED_OUT, "timedwait {0,0} at 0: KERN_OPERATION_TIMED_OUT");
    CHECK(MACH(semaphore_signal, sem) == 0, "signal with nobody waiting");
    CHECK(MACH(semaphore_timedwait, sem, 0, 0) == 0, "the count was kept: timedwait {0,0} succeeds");
    CHECK(MACH(semaphore_timedwait, sem, 0, 0) == KERN_OPERATION_TIMED_OUT, "once");
    CHECK(MACH(semaphore_signal_all, sem) == 0, "signal_all with nobody waiting");
    CHECK(MACH(semaphore_timedwait, sem, 0, 0) == KERN_OPERATION_TIMED_OUT, "is not remembered");
    CHECK(MACH(semaphore_signal_thread, sem, 0) == KERN_NOT_WAITING, "signal_thread(any) with nobody waiting: KERN_NOT_WAITING");
    CHECK(MACH(semaphore_timedwait, sem, 0, 0) == KERN_OPERATION_TIMED_OUT, "nor is that");
    CHECK(MACH(semaphore_wait, sem2) == 0, "wait on the semaphore made with value 1: immediate");
    long t0 = now_ms();
    int kr = MACH(semaphore_timedwait, sem, 0, 50 * 1000 * 1000);
    CHECK(kr == KERN_OPERATION_TIMED_OUT && now_ms() - t0 >= 45, "timedwait 50 ms: KERN_OPERATION_TIMED_OUT after 50 ms");
    CHECK(MACH(semaphore_timedwait, sem, 0, 1000000000) == KERN_INVALID_VALUE, "nsec 1e9: KERN_INVALID_VALUE");

    /* A waiting thread and signal / signal_thread. */
    t_spawn(waiter, 0);
    sleep_ms(50);
    CHECK(result == -1, "a thread waits on the semaphore");
    CHECK(MACH(semaphore_signal, sem) == 0, "signal");
    wait_for_result();
    CHECK(result == 0, "the waiter returns KERN_SUCCESS");
    CHECK(MACH(semaphore_timedwait, sem, 0, 0) == KERN_OPERATION_TIMED_OUT, "the signal went to the waiter, not the count");
    unsigned me = (unsigned)MACH0(thread_self);
    result = -1;
    t_spawn(waiter, 0);
    sleep_ms(50);
    CHECK(MACH(semaphore_signal_thread, sem, me) == KERN_NOT_WAITING, "signal_thread(a thread that is not waiting): KERN_NOT_WAITING");
    CHECK(MACH(semaphore_signal_thread, sem, task) == KERN_INVALID_ARGUMENT, "signal_thread(not a thread): KERN_INVALID_ARGUMENT");
    CHECK(MACH(semaphore_signal_thread, sem, worker_thread) == 0, "signal_thread(the waiting thread)");
    wait_for_result();
    CHECK(result == 0, "woke exactly that thread");

    /* signal_all wakes every waiter. */
    result = -1;
    t_spawn(waiter, 0);
    sleep_ms(30);
    int first = -1;
    t_spawn(waiter, 0);
    sleep_ms(50);
    CHECK(MACH(semaphore_signal_all, sem) == 0, "signal_all with two waiters");
    wait_for_result();
    first = result;
    sleep_ms(50);
    CHECK(first == 0 && result == 0, "both returned KERN_SUCCESS");

    /* wait_signal ping-pong. */
    result = -1;
    t_spawn(ponger, 0);
    int bad = 0;
    for (int i = 0; i < 100; i++)
        if (MACH(semaphore_wait_signal, sem, sem2) != 0) bad++;
    if (MACH(semaphore_wait_signal, sem, sem2) != 0) bad++;
    wait_for_result();
    CHECK(bad == 0 && result == 0 && pings == 100, "100 rounds of semaphore_wait_signal between two threads");

    /* Errors. */
    unsigned recv;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &recv);
    CHECK(MACH(semaphore_signal, 0x7703) == KERN_INVALID_NAME, "an unknown name: KERN_INVALID_NAME");
    CHECK(MACH(semaphore_signal, 0) == KERN_INVALID_NAME, "MACH_PORT_NULL: KERN_INVALID_NAME");
    CHECK(MACH(semaphore_signal, recv) == KERN_INVALID_RIGHT, "a receive right: KERN_INVALID_RIGHT");
    CHECK(MACH(semaphore_wait, task) == KERN_INVALID_CAPABILITY, "a send right to something else: KERN_INVALID_CAPABILITY");
    CHECK(MACH(semaphore_wait_signal, sem, 0) == KERN_INVALID_NAME, "wait_signal with a null signal semaphore: KERN_INVALID_NAME");
    unsigned s3;
    CHECK(t_semaphore_create(task, &s3, SYNC_POLICY_FIFO, -1) == KERN_INVALID_ARGUMENT, "value -1: KERN_INVALID_ARGUMENT");
    CHECK(t_semaphore_create(task, &s3, 8, 0) == KERN_INVALID_ARGUMENT, "policy 8: KERN_INVALID_ARGUMENT");
    MACH(port_insert_right, task, recv, recv, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(t_semaphore_destroy(task, recv) == KERN_INVALID_ARGUMENT, "semaphore_destroy(not a semaphore): KERN_INVALID_ARGUMENT");
    CHECK(t_port_type(recv) == MACH_PORT_TYPE_RECEIVE, "the send right moved into that request was destroyed");

    /* Destroy with a waiter. */
    result = -1;
    t_spawn(waiter, 0);
    sleep_ms(50);
    CHECK(t_semaphore_destroy(task, sem) == 0, "semaphore_destroy while a thread waits");
    wait_for_result();
    CHECK(result == KERN_TERMINATED, "the waiter returns KERN_TERMINATED");
    CHECK(t_port_type(sem) == 0, "the send right moved into the call is gone, and the name with it");
    CHECK(MACH(semaphore_signal, sem) == KERN_INVALID_NAME, "signal it: KERN_INVALID_NAME");
    /* A second send right to a destroyed semaphore: the port is dead, the name a dead name. */
    unsigned s4;
    t_semaphore_create(task, &s4, SYNC_POLICY_FIFO, 0);
    MACH(port_mod_refs, task, s4, MACH_PORT_RIGHT_SEND, 1);
    CHECK(t_semaphore_destroy(task, s4) == 0 && t_refs(s4, MACH_PORT_RIGHT_SEND) == 1, "destroy one of two references");
    CHECK(MACH(semaphore_signal, s4) == KERN_TERMINATED, "signal the destroyed semaphore: KERN_TERMINATED");
    CHECK(MACH(semaphore_wait, s4) == KERN_TERMINATED, "wait on it: KERN_TERMINATED");
    return t_done();
}
