/* A semaphore passed to another process: the parent creates one (semaphore_create), sends a send right to it
 * in a message to a forked child found through the bootstrap server, and waits on it; the child signals it 50
 * times with semaphore_signal, each signal waking the parent in the other process, then once more with
 * semaphore_signal_all. A timed wait with nothing to take times out (KERN_OPERATION_TIMED_OUT).
 * Facts: xnu osfmk/kern/sync_sema.c (semaphore_signal, semaphore_wait, semaphore_timedwait), osfmk/mach/task.defs
 * (semaphore_create 3418), osfmk/kern/ipc_sync.c (port_name_to_semaphore: any send right to the port). */
#include "xnu.h"

#include <mach/message.h>

#define ROUNDS 50


int main(void) {
    char name[64];
    t_unique_name(name, "org.macrun.test.sema.");
    unsigned svc, sem;
    CHECK(t_bootstrap(402, name, &svc, 0) == 0, "a service port");
    CHECK(t_semaphore_create(t_task_self(), &sem, 0 /* SYNC_POLICY_FIFO */, 0) == 0, "a semaphore at 0");

    long c = t_fork();
    if (c == 0) {
        unsigned dest, s;
        if (t_bootstrap(404, name, &dest, 0)) BSD(exit, 2);
        if (t_ask_right(dest, &s, 0, 10000)) BSD(exit, 4);
        for (int i = 0; i < ROUNDS; i++) {
            if (MACH(semaphore_signal, s)) BSD(exit, 5);
            for (int k = 0; k < 20; k++) MACH(swtch_pri, 0);
        }
        if (MACH(semaphore_signal_all, s)) BSD(exit, 6);
        BSD(exit, 0);
    }
    unsigned reply;
    CHECK(t_take_ask(svc, &reply, 10000) == 0, "the child asks");
    CHECK(t_give_right(reply, sem, MACH_MSG_TYPE_COPY_SEND) == 0, "a send right to the semaphore goes to the child");
    int woken = 0;
    for (int i = 0; i < ROUNDS; i++)
        if (MACH(semaphore_wait, sem) == 0) woken++;
    CHECK(woken == ROUNDS, "50 waits, each ended by a signal from the other process");
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "the child signalled and exited");
    CHECK(MACH(semaphore_timedwait, sem, 0, 20000000) == KERN_OPERATION_TIMED_OUT,
          "signal_all with nobody waiting left nothing: a timed wait times out");
    CHECK(t_semaphore_destroy(t_task_self(), sem) == 0, "semaphore_destroy");
    return t_done();
}
