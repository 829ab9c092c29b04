/* Queue limits and timeouts: a port queues MACH_PORT_QLIMIT_DEFAULT (5) messages; the next send with
 * MACH_SEND_TIMEOUT fails with MACH_SEND_TIMED_OUT, at once (timeout 0) or after the timeout, and the message
 * comes back to the sender's buffer with its rights returned (a pseudo-receive); without a timeout the sender
 * blocks until a receive makes room; a send-once destination ignores the limit; a raised limit lets a waiting
 * sender in; limit 0 refuses every send; MACH_RCV_TIMEOUT on an empty queue.
 * Facts: xnu osfmk/ipc/ipc_mqueue.c (ipc_mqueue_send_locked, ipc_mqueue_release_msgcount,
 * ipc_mqueue_set_qlimit_locked, ipc_mqueue_receive_on_thread_and_unlock), osfmk/ipc/mach_msg.c
 * (mach_msg_trap_send: mach_msg_receive_pseudo on a failed send), osfmk/ipc/ipc_kmsg.c (ipc_kmsg_copyout_pseudo),
 * osfmk/ipc/mach_port.c (mach_port_set_attributes, mach_port_get_attributes MACH_PORT_LIMITS_INFO). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct msg {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d;
    int n;
};
struct rcv {
    struct msg m;
    mach_msg_trailer_t t;
};

static unsigned port, carried;
static volatile int blocked_sender_done;

static long now_ms(void) {
    long tv[2] = {0, 0};
    BSD(gettimeofday, tv, 0, 0);
    return tv[0] * 1000 + (int)tv[1] / 1000;
}
static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }

static void fill(struct msg* m, int n) {
    memset(m, 0, sizeof *m);
    m->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m->head.msgh_remote_port = port;
    m->head.msgh_id = n;
    m->body.msgh_descriptor_count = 1;
    m->d.name = carried;
    m->d.disposition = MACH_MSG_TYPE_COPY_SEND;
    m->d.type = MACH_MSG_PORT_DESCRIPTOR;
    m->n = n;
}

static unsigned msgcount(void) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, t_task_self(), port, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return s.mps_msgcount;
}

static void blocked_sender(void* arg) {
    (void)arg;
    struct msg m;
    MACH(port_mod_refs, t_task_self(), port, MACH_PORT_RIGHT_SEND, 1);
    fill(&m, 99);
    t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0); /* no timeout: waits for room */
    __atomic_store_n(&blocked_sender_done, 1, __ATOMIC_SEQ_CST);
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &carried);
    MACH(port_insert_right, task, carried, carried, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_insert_right, task, port, port, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_mod_refs, task, port, MACH_PORT_RIGHT_SEND, 20);
    int limit[1] = {0};
    unsigned cnt = 1;
    CHECK(MACH(port_get_attributes, task, port, MACH_PORT_LIMITS_INFO, limit, &cnt) == 0 && cnt == 1 && limit[0] == 5,
          "MACH_PORT_LIMITS_INFO: queue limit 5");

    struct msg m;
    int ok = 1;
    for (int i = 0; i < 5; i++) {
        fill(&m, i);
        ok &= t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 0) == 0;
    }
    CHECK(ok && msgcount() == 5, "five messages fit");
    unsigned send_refs = (unsigned)t_refs(port, MACH_PORT_RIGHT_SEND), carried_refs = (unsigned)t_refs(carried, MACH_PORT_RIGHT_SEND);
    fill(&m, 5);
    m.d.disposition = MACH_MSG_TYPE_MOVE_SEND;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 0) == MACH_SEND_TIMED_OUT,
          "the sixth, timeout 0: MACH_SEND_TIMED_OUT");
    CHECK(t_refs(port, MACH_PORT_RIGHT_SEND) == (int)send_refs && t_refs(carried, MACH_PORT_RIGHT_SEND) == (int)carried_refs,
          "the MOVE_SEND rights it carried came back (references unchanged)");
    CHECK(m.head.msgh_remote_port == port && m.head.msgh_local_port == 0 && m.d.name == carried &&
              m.head.msgh_bits == (MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, 0) | MACH_MSGH_BITS_COMPLEX) &&
              m.head.msgh_size == sizeof m && m.n == 5,
          "the message was written back: remote and descriptor names, bits MACH_MSGH_BITS(PORT_SEND, 0) | COMPLEX");

    fill(&m, 6);
    long t0 = now_ms();
    int kr = t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 60);
    long waited = now_ms() - t0;
    CHECK(kr == MACH_SEND_TIMED_OUT && waited >= 55, "timeout 60 ms: MACH_SEND_TIMED_OUT after waiting");

    /* A send-once destination is not held to the limit. */
    unsigned so;
    MACH(port_insert_right, task, 0x70003, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    so = 0x70003;
    fill(&m, 7);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
    m.head.msgh_remote_port = so;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 0) == 0 && msgcount() == 6,
          "a send-once destination ignores the limit: 6 queued");

    /* Without a timeout the sender waits for room. */
    CHECK(t_spawn(blocked_sender, 0) == 0, "a thread sends to the full port without a timeout");
    sleep_ms(80);
    CHECK(!blocked_sender_done, "it is still waiting");
    struct rcv r;
    CHECK(t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0) == 0 && r.m.n == 0, "receive the oldest message");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0) == 0 && r.m.n == 1, "and the next: now there is room");
    for (int i = 0; i < 200 && !__atomic_load_n(&blocked_sender_done, __ATOMIC_SEQ_CST); i++) sleep_ms(5);
    CHECK(blocked_sender_done, "the waiting sender got its slot");
    CHECK(msgcount() == 5, "5 queued");
    int order = 1;
    for (int want = 2; want <= 4; want++) order &= t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0) == 0 && r.m.n == want;
    order &= t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0) == 0 && r.m.n == 7;
    order &= t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0) == 0 && r.m.n == 99;
    CHECK(order, "in order: 2, 3, 4, the send-once one, the waiting sender's");
    /* Each received message copied a send right to `carried` out: drop them. */
    MACH(port_mod_refs, task, carried, MACH_PORT_RIGHT_SEND, -(t_refs(carried, MACH_PORT_RIGHT_SEND) - 1));

    /* Limit 0: nothing can be queued. Raising it lets a waiting sender in. */
    int zero = 0;
    CHECK(MACH(port_get_attributes, task, port, 99, limit, &cnt) == KERN_INVALID_ARGUMENT, "unknown flavor: KERN_INVALID_ARGUMENT");
    int big = 1025;
    CHECK(t_mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, &big, 1) == KERN_INVALID_VALUE,
          "limit 1025 (over MACH_PORT_QLIMIT_MAX): KERN_INVALID_VALUE");
    CHECK(t_mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, &zero, 1) == 0, "set the queue limit to 0");
    fill(&m, 8);
    CHECK(t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 0) == MACH_SEND_TIMED_OUT,
          "limit 0, empty queue: MACH_SEND_TIMED_OUT");
    blocked_sender_done = 0;
    t_spawn(blocked_sender, 0);
    sleep_ms(50);
    CHECK(!blocked_sender_done, "a sender waits on the zero limit");
    int one = 1;
    t_mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, &one, 1);
    for (int i = 0; i < 200 && !__atomic_load_n(&blocked_sender_done, __ATOMIC_SEQ_CST); i++) sleep_ms(5);
    CHECK(blocked_sender_done && msgcount() == 1, "raising the limit to 1 let it in");

    /* Receive timeouts. */
    t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0);
    t0 = now_ms();
    kr = t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 40);
    waited = now_ms() - t0;
    CHECK(kr == MACH_RCV_TIMED_OUT && waited >= 35, "MACH_RCV_TIMEOUT 40 ms on an empty queue: MACH_RCV_TIMED_OUT");
    return t_done();
}
