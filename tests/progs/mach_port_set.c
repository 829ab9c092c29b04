/* Port sets: mach_port_insert_member / extract_member / move_member (Mach traps 22, 23, 20); a receive on the
 * set takes the oldest message of its members and says which member in msgh_local_port; messages queued before
 * a port joins are delivered through the set; a blocked receive on the set wakes when a member gets a message; a
 * port can be in several sets; receiving on a member directly still works; destroying the set sends a blocked
 * receiver away with MACH_RCV_PORT_CHANGED; the errors (KERN_ALREADY_IN_SET, KERN_NOT_IN_SET, KERN_INVALID_RIGHT,
 * MACH_RCV_INVALID_NAME); MACH_PORT_RECEIVE_STATUS says whether a port is in a set.
 * Facts: xnu osfmk/ipc/mach_port.c (mach_port_insert_member, mach_port_extract_member, mach_port_move_member,
 * mach_port_get_status_helper), osfmk/ipc/ipc_mqueue.c (ipc_mqueue_add_locked, ipc_mqueue_receive_on_thread_and_unlock,
 * ipc_mqueue_changed, ipc_mqueue_copyin), osfmk/ipc/ipc_pset.c (ipc_pset_destroy). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct msg {
    mach_msg_header_t head;
    int n;
};
struct rcv {
    struct msg m;
    mach_msg_trailer_t t;
};

static unsigned set, a, b;
static volatile int waiter_result = -1, waiter_from;

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }

static int send_to(unsigned port, int n) {
    struct msg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
    m.head.msgh_remote_port = port;
    m.head.msgh_id = n;
    m.n = n;
    return t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
}

static void waiter(void* arg) {
    unsigned on = (unsigned)(long)arg;
    struct rcv r;
    memset(&r, 0, sizeof r);
    int kr = t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, on, 0);
    waiter_from = kr == 0 ? (int)r.m.head.msgh_local_port : 0;
    __atomic_store_n(&waiter_result, kr, __ATOMIC_SEQ_CST);
}

static int in_set(unsigned port) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, t_task_self(), port, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return (int)s.mps_pset;
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &set);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &a);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &b);

    CHECK(send_to(b, 1) == 0, "a message queued on B before it joins");
    CHECK(MACH(port_insert_member, task, a, set) == 0, "insert A into the set");
    CHECK(MACH(port_insert_member, task, b, set) == 0, "insert B");
    CHECK(MACH(port_insert_member, task, a, set) == KERN_ALREADY_IN_SET, "A again: KERN_ALREADY_IN_SET");
    CHECK(in_set(a) == 1 && in_set(b) == 1, "MACH_PORT_RECEIVE_STATUS: mps_pset says 1 (no set names leak)");
    CHECK(send_to(a, 2) == 0 && send_to(b, 3) == 0 && send_to(a, 4) == 0, "queue 2 on A, 3 on B, 4 on A");
    struct rcv r;
    int order[4] = {0}, from[4] = {0};
    for (int i = 0; i < 4; i++) {
        memset(&r, 0, sizeof r);
        if (t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set, 0) == 0) {
            order[i] = r.m.n;
            from[i] = (int)r.m.head.msgh_local_port;
        }
    }
    CHECK(order[0] == 1 && order[1] == 2 && order[2] == 3 && order[3] == 4, "the set delivers the oldest first: 1 2 3 4");
    CHECK(from[0] == (int)b && from[1] == (int)a && from[2] == (int)b && from[3] == (int)a,
          "msgh_local_port names the member each came from");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set, 0) == MACH_RCV_TIMED_OUT, "then empty");

    /* A member can still be received from directly. */
    send_to(a, 5);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, a, 0) == 0 && r.m.n == 5, "receive on A itself");

    /* A blocked receive on the set wakes for a message to a member. */
    waiter_result = -1;
    t_spawn(waiter, (void*)(long)set);
    sleep_ms(50);
    CHECK(waiter_result == -1, "a thread blocks receiving on the set");
    send_to(b, 6);
    for (int i = 0; i < 200 && __atomic_load_n(&waiter_result, __ATOMIC_SEQ_CST) == -1; i++) sleep_ms(5);
    CHECK(waiter_result == 0 && waiter_from == (int)b, "a message to B wakes it, from B");

    /* A port in two sets. */
    unsigned set2;
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &set2);
    CHECK(MACH(port_insert_member, task, a, set2) == 0, "A joins a second set");
    send_to(a, 7);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set2, 0) == 0 && r.m.n == 7, "either set receives it");
    /* move_member: into set2 only; MACH_PORT_NULL: out of every set. */
    CHECK(MACH(port_move_member, task, b, set2) == 0, "move B to the second set");
    send_to(b, 8);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set, 0) == MACH_RCV_TIMED_OUT,
          "B's message is not in the first set any more");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set2, 0) == 0 && r.m.n == 8, "but in the second");
    CHECK(MACH(port_move_member, task, b, 0) == 0 && in_set(b) == 0, "move B to MACH_PORT_NULL: in no set");
    CHECK(MACH(port_move_member, task, b, 0) == KERN_NOT_IN_SET, "again: KERN_NOT_IN_SET");

    /* extract_member. */
    CHECK(MACH(port_extract_member, task, a, set) == 0, "extract A from the first set");
    CHECK(MACH(port_extract_member, task, a, set) == KERN_NOT_IN_SET, "again: KERN_NOT_IN_SET");
    CHECK(in_set(a) == 1, "A is still in the second set");
    MACH(port_extract_member, task, a, set2);
    CHECK(in_set(a) == 0, "and after extracting it from that one too, in none");

    /* Errors. */
    CHECK(MACH(port_insert_member, task, set, set2) == KERN_INVALID_RIGHT, "a set into a set: KERN_INVALID_RIGHT");
    CHECK(MACH(port_insert_member, task, a, b) == KERN_INVALID_RIGHT, "into a port that is no set: KERN_INVALID_RIGHT");
    CHECK(MACH(port_insert_member, task, a, 0x7703) == KERN_INVALID_NAME, "into an unknown name: KERN_INVALID_NAME");
    CHECK(MACH(port_insert_member, task, 0, set) == KERN_INVALID_RIGHT, "MACH_PORT_NULL: KERN_INVALID_RIGHT");
    MACH(port_insert_right, task, a, a, MACH_MSG_TYPE_MAKE_SEND);
    unsigned dead;
    MACH(port_allocate, task, MACH_PORT_RIGHT_DEAD_NAME, &dead);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, dead, 0) == MACH_RCV_INVALID_NAME,
          "receive on a dead name: MACH_RCV_INVALID_NAME");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, task, 0) == MACH_RCV_INVALID_NAME,
          "receive on a send right: MACH_RCV_INVALID_NAME");

    /* Destroying the set sends a blocked receiver away. */
    MACH(port_insert_member, task, a, set);
    waiter_result = -1;
    t_spawn(waiter, (void*)(long)set);
    sleep_ms(50);
    CHECK(MACH(port_mod_refs, task, set, MACH_PORT_RIGHT_PORT_SET, -1) == 0, "destroy the set while a thread waits on it");
    for (int i = 0; i < 200 && __atomic_load_n(&waiter_result, __ATOMIC_SEQ_CST) == -1; i++) sleep_ms(5);
    CHECK(waiter_result == MACH_RCV_PORT_CHANGED, "the waiter returns MACH_RCV_PORT_CHANGED");
    CHECK(in_set(a) == 0, "its member is in no set now");
    return t_done();
}
