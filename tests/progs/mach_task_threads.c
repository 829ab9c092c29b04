/* The task and thread MIG routines a runtime asks about itself: task_threads (the threads' send rights in an
 * out-of-line port array), thread_info (THREAD_BASIC_INFO, THREAD_IDENTIFIER_INFO) on the caller and on a
 * blocked second thread, task_get_special_port / task_set_special_port (kernel, host, bootstrap and access
 * ports; what cannot be set), and the errors: short counts, unknown flavors and ports, a thread port that
 * died with its thread. Layouts are the SDK's MIG structs.
 * Facts: xnu osfmk/mach/task.defs, thread_act.defs, osfmk/kern/task.c (task_threads_internal),
 * osfmk/kern/thread.c (thread_info_internal, thread_dispatchqaddr), osfmk/kern/ipc_tt.c
 * (task_get_special_port_internal, task_set_special_port, task_set_special_port_internal),
 * osfmk/mach/thread_info.h. */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/mig_errors.h>
#include <mach/task.h>
#include <mach/task_special_ports.h>
#include <mach/thread_act.h>
#include <mach/thread_info.h>

_Static_assert(sizeof(__Reply__task_threads_t) == 56, "task_threads reply: an OOL port array, NDR, count");
_Static_assert(sizeof(__Request__task_set_special_port_t) == 52, "task_set_special_port request");
_Static_assert(sizeof(thread_basic_info_data_t) == 40 && sizeof(thread_identifier_info_data_t) == 24, "thread infos");

static int threads(unsigned** list, unsigned* n) {
    union { __Request__task_threads_t req; __Reply__task_threads_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    int r = t_mig_to(&m, t_task_self(), 3402, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.act_list.type != MACH_MSG_OOL_PORTS_DESCRIPTOR ||
        m.rep.act_list.count != m.rep.act_listCnt || m.rep.act_list.disposition != MACH_MSG_TYPE_PORT_SEND)
        return -1;
    *list = (unsigned*)m.rep.act_list.address;
    *n = m.rep.act_listCnt;
    return 0;
}

static int info(unsigned thread, int flavor, int* out, unsigned* count) {
    union { __Request__thread_info_t req; __Reply__thread_info_t rep; char buf[512]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.flavor = flavor;
    m.req.thread_info_outCnt = *count;
    int r = t_mig_to(&m, thread, 3612, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != 40 + 4 * m.rep.thread_info_outCnt) return -1;
    *count = m.rep.thread_info_outCnt;
    memcpy(out, m.rep.thread_info_out, *count * 4);
    return 0;
}

static int get_special(int which, unsigned* port) {
    union { __Request__task_get_special_port_t req; __Reply__task_get_special_port_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.which_port = which;
    int r = t_mig_to(&m, t_task_self(), 3409, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.special_port.type != MACH_MSG_PORT_DESCRIPTOR) return -1;
    *port = m.rep.special_port.name;
    return 0;
}

static int set_special(int which, unsigned port, unsigned disposition) {
    union { __Request__task_set_special_port_t req; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.msgh_body.msgh_descriptor_count = 1;
    m.req.special_port.name = port;
    m.req.special_port.disposition = disposition;
    m.req.special_port.type = MACH_MSG_PORT_DESCRIPTOR;
    T_NDR(m.req.NDR);
    m.req.which_port = which;
    return t_mig_to(&m, t_task_self(), 3410, sizeof m.req, sizeof m);
}

static volatile unsigned worker_port;
static volatile long worker_id;
static char tsd_main[256], tsd_worker[256];
static int gate[2];

static void worker(void* arg) {
    (void)arg;
    xsys6(SYSCALL_CLASS_MDEP | 3, (long)tsd_worker, 0, 0, 0, 0, 0);
    worker_id = BSD0(thread_selfid).val;
    worker_port = (unsigned)MACH0(thread_self);
    char b;
    BSD(read, gate[0], &b, 1);
}

int main(void) {
    unsigned self = (unsigned)MACH0(thread_self);
    unsigned *list, n;

    /* task_threads */
    CHECK(threads(&list, &n) == 0 && n == 1 && list[0] == self, "task_threads: one thread, named as thread_self names it");
    CHECK(t_refs(self, MACH_PORT_RIGHT_SEND) == 2, "the reply's right added a user reference");
    CHECK(MACH(vm_deallocate, t_task_self(), (long)list, n * 4) == 0, "the array is ours to deallocate");

    /* thread_info on the caller */
    int buf[64];
    unsigned count = THREAD_BASIC_INFO_COUNT;
    thread_basic_info_t bi = (thread_basic_info_t)buf;
    /* Some user time: work until the kernel has charged at least 10 ms (it samples at clock ticks). */
    int r = 0;
    for (int rounds = 0; rounds < 50; rounds++) {
        for (volatile unsigned long spin = 0; spin < 20000000UL; spin++) {}
        count = THREAD_BASIC_INFO_COUNT;
        r = info(self, THREAD_BASIC_INFO, buf, &count);
        if (r || bi->user_time.seconds * 1000000 + bi->user_time.microseconds >= 10000) break;
    }
    CHECK(r == 0 && count == THREAD_BASIC_INFO_COUNT, "thread_info(THREAD_BASIC_INFO)");
    CHECK(bi->run_state == TH_STATE_RUNNING && bi->policy == POLICY_TIMESHARE && bi->suspend_count == 0,
          "the caller is running, timeshare, not suspended");
    CHECK(bi->user_time.seconds * 1000000 + bi->user_time.microseconds >= 10000 && bi->user_time.microseconds < 1000000,
          "its user time counts the busy loop");
    t_printf("# user %d s %d us, system %d s %d us\n", bi->user_time.seconds, bi->user_time.microseconds,
             bi->system_time.seconds, bi->system_time.microseconds);
    count = 4;
    CHECK(info(self, THREAD_BASIC_INFO, buf, &count) == KERN_INVALID_ARGUMENT, "a short count: KERN_INVALID_ARGUMENT");
    count = 32;
    CHECK(info(self, 77, buf, &count) == KERN_INVALID_ARGUMENT, "an unknown flavor: KERN_INVALID_ARGUMENT");
    count = 32;
    CHECK(info(t_task_self(), THREAD_BASIC_INFO, buf, &count) == KERN_INVALID_ARGUMENT,
          "thread_info sent to the task port: KERN_INVALID_ARGUMENT");
    xsys6(SYSCALL_CLASS_MDEP | 3, (long)tsd_main, 0, 0, 0, 0, 0);
    thread_identifier_info_t ii = (thread_identifier_info_t)buf;
    count = THREAD_IDENTIFIER_INFO_COUNT;
    CHECK(info(self, THREAD_IDENTIFIER_INFO, buf, &count) == 0 && count == THREAD_IDENTIFIER_INFO_COUNT,
          "thread_info(THREAD_IDENTIFIER_INFO)");
    CHECK(ii->thread_id == (unsigned long)BSD0(thread_selfid).val, "thread_id is thread_selfid's");
    CHECK(ii->thread_handle == (unsigned long)tsd_main, "thread_handle is the TSD base the thread set");
    CHECK(ii->dispatch_qaddr == 0, "no dispatch queue offset registered: no queue address");

    /* A second thread, blocked in read(2) */
    struct xres p = BSD0(pipe);
    gate[0] = (int)p.val, gate[1] = (int)p.val2;
    CHECK(t_spawn(worker, 0) == 0, "a second thread");
    T_WAIT_UNTIL(worker_port != 0, 10);
    for (int i = 0; i < 200; i++) MACH(swtch_pri, 0); /* let it reach its read */
    CHECK(threads(&list, &n) == 0 && n == 2 && list[0] == self && list[1] == worker_port,
          "task_threads: two threads, in creation order");
    MACH(vm_deallocate, t_task_self(), (long)list, n * 4);
    count = THREAD_IDENTIFIER_INFO_COUNT;
    CHECK(info(worker_port, THREAD_IDENTIFIER_INFO, buf, &count) == 0 && ii->thread_id == (unsigned long)worker_id &&
              ii->thread_handle == (unsigned long)tsd_worker,
          "the other thread's id and handle");
    count = THREAD_BASIC_INFO_COUNT;
    T_WAIT_UNTIL((count = THREAD_BASIC_INFO_COUNT, info(worker_port, THREAD_BASIC_INFO, buf, &count) == 0 &&
                                                       bi->run_state == TH_STATE_WAITING),
                 10);
    CHECK(bi->run_state == TH_STATE_WAITING, "a thread blocked in read is TH_STATE_WAITING");
    BSD(write, gate[1], "x", 1);
    T_WAIT_UNTIL(t_port_type(worker_port) == MACH_PORT_TYPE_DEAD_NAME, 10);
    CHECK(t_port_type(worker_port) == MACH_PORT_TYPE_DEAD_NAME, "the thread ended: its port name is dead");
    count = THREAD_BASIC_INFO_COUNT;
    CHECK(info(worker_port, THREAD_BASIC_INFO, buf, &count) == MACH_SEND_INVALID_DEST,
          "thread_info to a dead thread: MACH_SEND_INVALID_DEST");

    /* Special ports */
    unsigned port;
    CHECK(get_special(TASK_KERNEL_PORT, &port) == 0 && port != 0, "TASK_KERNEL_PORT: a send right");
    int pid = 0;
    CHECK(MACH(pid_for_task, port, &pid) == 0 && pid == BSD0(getpid).val, "to our own task");
    CHECK(get_special(TASK_HOST_PORT, &port) == 0 && port == (unsigned)MACH0(host_self), "TASK_HOST_PORT: the host port");
    CHECK(get_special(99, &port) == KERN_INVALID_ARGUMENT, "an unknown special port: KERN_INVALID_ARGUMENT");
    unsigned rcv, got;
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &rcv);
    CHECK(set_special(TASK_BOOTSTRAP_PORT, rcv, MACH_MSG_TYPE_MAKE_SEND) == 0, "set TASK_BOOTSTRAP_PORT");
    CHECK(get_special(TASK_BOOTSTRAP_PORT, &got) == 0 && got == rcv && t_refs(rcv, MACH_PORT_RIGHT_SEND) == 1,
          "it comes back: a send right under the receive right's name");
    CHECK(set_special(TASK_KERNEL_PORT, rcv, MACH_MSG_TYPE_MAKE_SEND) == KERN_NO_ACCESS,
          "the kernel port cannot be replaced: KERN_NO_ACCESS");
    CHECK(set_special(TASK_HOST_PORT, rcv, MACH_MSG_TYPE_MAKE_SEND) == KERN_NO_ACCESS, "nor the host port");
    CHECK(set_special(42, rcv, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_ARGUMENT, "an unknown one: KERN_INVALID_ARGUMENT");
    CHECK(set_special(TASK_ACCESS_PORT, rcv, MACH_MSG_TYPE_MAKE_SEND) == 0, "set TASK_ACCESS_PORT");
    CHECK(set_special(TASK_ACCESS_PORT, rcv, MACH_MSG_TYPE_MAKE_SEND) == KERN_NO_ACCESS,
          "the access port is never overwritten: KERN_NO_ACCESS");
    MACH(port_mod_refs, t_task_self(), rcv, MACH_PORT_RIGHT_SEND, -1);
    MACH(port_mod_refs, t_task_self(), rcv, MACH_PORT_RIGHT_RECEIVE, -1);
    CHECK(get_special(TASK_BOOTSTRAP_PORT, &got) == 0 && got == MACH_PORT_DEAD, "once its port died: MACH_PORT_DEAD");
    CHECK(set_special(TASK_BOOTSTRAP_PORT, 0, MACH_MSG_TYPE_COPY_SEND) == 0 &&
              get_special(TASK_BOOTSTRAP_PORT, &got) == 0 && got == MACH_PORT_NULL,
          "set to MACH_PORT_NULL: none");
    return t_done();
}
