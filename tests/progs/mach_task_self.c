/* The self ports and pid <-> task: task_self_trap (28), thread_self_trap (27) and host_self_trap (29) give send
 * rights, one more user reference per call under the same name; each thread has its own thread port; the
 * kernel ports refuse to move their receive right; pid_for_task (46) and task_for_pid (45) as an unprivileged
 * process sees them (its own pid only). Port names are index << 8 | generation.
 * Facts: xnu osfmk/kern/ipc_tt.c (task_self_trap, thread_self_trap, host_self_trap, retrieve_task_self_fast,
 * port_name_to_current_task_noref), bsd/kern/kern_proc.c (pid_for_task, task_for_pid), osfmk/ipc/ipc_object.c
 * (ipc_object_copyout: an existing send right's name is reused). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

static volatile unsigned other_thread;
static volatile int other_done, other_release;

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }
static void other(void* arg) {
    (void)arg;
    other_thread = (unsigned)MACH0(thread_self);
    __atomic_store_n(&other_done, 1, __ATOMIC_SEQ_CST);
    /* Stay alive until checked: the port dies with the thread. */
    while (!__atomic_load_n(&other_release, __ATOMIC_SEQ_CST)) sleep_ms(1);
}

int main(void) {
    unsigned task = (unsigned)MACH0(task_self);
    t_task_self_ = task;
    CHECK(t_port_type(task) == MACH_PORT_TYPE_SEND && t_refs(task, MACH_PORT_RIGHT_SEND) == 1, "task port: send, 1 ref");
    unsigned th = (unsigned)MACH0(thread_self), th2 = (unsigned)MACH0(thread_self);
    CHECK(th && th == th2 && th != task, "thread_self_trap twice: one name, not the task's");
    CHECK(t_port_type(th) == MACH_PORT_TYPE_SEND && t_refs(th, MACH_PORT_RIGHT_SEND) == 2, "a send right with 2 references");
    unsigned host = (unsigned)MACH0(host_self), host2 = (unsigned)MACH0(host_self);
    CHECK(host && host == host2 && t_refs(host, MACH_PORT_RIGHT_SEND) == 2, "host_self_trap twice: one name, 2 references");
    t_spawn(other, 0);
    for (int i = 0; i < 200 && !__atomic_load_n(&other_done, __ATOMIC_SEQ_CST); i++) sleep_ms(5);
    CHECK(other_thread && other_thread != th && t_port_type(other_thread) == MACH_PORT_TYPE_SEND,
          "another thread gets a thread port of its own");
    __atomic_store_n(&other_release, 1, __ATOMIC_SEQ_CST);

    /* Kernel ports: send rights move, the receive right is the kernel's. */
    CHECK(MACH(port_mod_refs, task, th, MACH_PORT_RIGHT_SEND, -2) == 0 && t_port_type(th) == 0,
          "the thread port's send right can be dropped");
    unsigned th3 = (unsigned)MACH0(thread_self);
    CHECK(th3 == ((th & ~0xffu) | 0x07) && t_refs(th3, MACH_PORT_RIGHT_SEND) == 1,
          "asked for again: the freed entry comes back with the next generation, 1 reference");
    CHECK(MACH(port_mod_refs, task, task, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_INVALID_RIGHT,
          "no receive right for the task port: KERN_INVALID_RIGHT");

    /* pid_for_task, task_for_pid. */
    int pid = 0;
    long mypid = BSD0(getpid).val;
    CHECK(MACH(pid_for_task, task, &pid) == KERN_SUCCESS && pid == mypid, "pid_for_task(mach_task_self()): getpid()");
    pid = 0;
    CHECK(MACH(pid_for_task, host, &pid) == KERN_FAILURE && pid == -1, "pid_for_task(the host port): KERN_FAILURE, -1");
    CHECK(MACH(pid_for_task, 0, &pid) == KERN_FAILURE, "pid_for_task(MACH_PORT_NULL): KERN_FAILURE");
    unsigned t = 0x1234;
    CHECK(MACH(task_for_pid, task, mypid, &t) == KERN_SUCCESS && t == task, "task_for_pid(own pid): the task port's name");
    CHECK(t_refs(task, MACH_PORT_RIGHT_SEND) == 2, "one more user reference on it");
    t = 0x1234;
    CHECK(MACH(task_for_pid, task, 1, &t) == KERN_FAILURE && t == 0, "task_for_pid(1) unprivileged: KERN_FAILURE, MACH_PORT_NULL");
    t = 0x1234;
    CHECK(MACH(task_for_pid, task, 0, &t) == KERN_FAILURE && t == 0, "task_for_pid(0): KERN_FAILURE");
    CHECK(MACH(task_for_pid, host, mypid, &t) == KERN_FAILURE, "task_for_pid with a target that is no task: KERN_FAILURE");

    /* Port names are index << 8 | generation: MACH_PORT_NULL and MACH_PORT_DEAD never name a right. */
    CHECK((task >> 8) != 0 && task != ~0u, "names have a nonzero index");
    CHECK(t_port_type(0) == 0 && t_port_type(~0u) == MACH_PORT_TYPE_DEAD_NAME,
          "mach_port_type: MACH_PORT_NULL is KERN_INVALID_NAME, MACH_PORT_DEAD a dead name");
    return t_done();
}
