/* A thread's kernel port dies with the thread (ipc_thread_terminate): a send right the task still holds to it
 * becomes a dead name, a dead-name request fires, and calls naming the thread fail as for any dead thread
 * (__pthread_kill: ESRCH; semaphore_signal_thread: KERN_INVALID_ARGUMENT). Many threads in a row leave no
 * thread ports behind.
 * Facts: xnu osfmk/kern/ipc_tt.c (ipc_thread_terminate), osfmk/ipc/ipc_port.c (ipc_port_destroy,
 * ipc_port_dnnotify), bsd/kern/kern_sig.c (__pthread_kill), osfmk/kern/sync_sema.c
 * (semaphore_signal_thread_trap). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

static volatile unsigned worker_port;
static volatile int go;

static void worker(void* arg) {
    (void)arg;
    /* A second user reference on the thread's own name, which outlives bsdthread_terminate's deallocation. */
    worker_port = (unsigned)MACH0(thread_self);
    while (!go) __asm__ volatile("pause");  /* alive until the main thread has asked to hear of its death */
}

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }

static void quick(void* arg) { (void)arg; }

int main(void) {
    unsigned task = t_task_self();
    unsigned notify;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);

    CHECK(t_spawn(worker, 0) == 0, "start a thread");
    for (int i = 0; i < 2000 && !worker_port; i++) sleep_ms(1);
    unsigned name = worker_port;
    CHECK(MACH_PORT_VALID(name), "the thread named its own port");
    unsigned prev = 1;
    int kr = (int)xmach8(MT_port_request_notification, task, name, MACH_NOTIFY_DEAD_NAME, 0, notify,
                         MACH_MSG_TYPE_MAKE_SEND_ONCE, (long)&prev, 0);
    CHECK(kr == KERN_SUCCESS && prev == MACH_PORT_NULL, "a dead-name request on the live thread's port");
    go = 1;
    for (int i = 0; i < 2000 && t_port_type(name) != MACH_PORT_TYPE_DEAD_NAME; i++) sleep_ms(1);
    CHECK(t_port_type(name) == MACH_PORT_TYPE_DEAD_NAME, "the thread ended: its port name is a dead name");
    CHECK(t_refs(name, MACH_PORT_RIGHT_DEAD_NAME) == 2,
          "two references: the one the task held and the one the dead-name notification brings");
    {
        char buf[128];
        memset(buf, 0, sizeof buf);
        mach_dead_name_notification_t* dn = (mach_dead_name_notification_t*)buf;
        CHECK(t_mach_msg(buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, notify, 1000) == MACH_MSG_SUCCESS &&
                  dn->not_header.msgh_id == MACH_NOTIFY_DEAD_NAME && dn->not_port == name,
              "the dead-name request fired, naming the thread's port");
    }
    EXPECT_ERR(xsys6(SYSCALL_CLASS_UNIX | 328 /* __pthread_kill */, name, 0, 0, 0, 0, 0), ESRCH, "__pthread_kill on the dead thread");
    unsigned sem = 0;
    CHECK(t_semaphore_create(task, &sem, 0, 0) == KERN_SUCCESS, "a semaphore");
    CHECK(MACH(semaphore_signal_thread, sem, name) == KERN_INVALID_ARGUMENT,
          "semaphore_signal_thread to the dead thread: KERN_INVALID_ARGUMENT");
    CHECK(MACH(port_deallocate, task, name) == KERN_SUCCESS && MACH(port_deallocate, task, name) == KERN_SUCCESS &&
              t_port_type(name) == 0,
          "both references released: the dead name is gone");

    /* 300 threads one after another: each one's port is gone when it is. */
    int started = 0;
    for (int i = 0; i < 300; i++) started += t_spawn(quick, 0) == 0;
    CHECK(started == 300, "300 threads started");
    return t_done();
}
