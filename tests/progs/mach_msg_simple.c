/* mach_msg with simple messages between two threads (created with bsdthread_create): a receive that blocks
 * until the other thread sends, messages delivered in order with the header as the receiver sees it (remote and
 * local ports swapped, bits MACH_MSGH_BITS(reply, dest)), the default trailer and the seqno trailer, rights
 * accounting for COPY_SEND and MOVE_SEND destinations, and a receive timeout.
 * Facts: xnu osfmk/ipc/mach_msg.c (mach_msg2_trap), ipc_kmsg.c (ipc_kmsg_copyin_header,
 * ipc_kmsg_copyout_header, ipc_kmsg_deflate_trailer), ipc_mqueue.c (ipc_mqueue_post, ipc_mqueue_receive),
 * libsyscall mach/mach_msg.c (mach_msg: mach_msg2 with MACH64_SEND_MQ_CALL). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct msg {
    mach_msg_header_t head;
    unsigned payload[4];
};
struct rcv {
    mach_msg_header_t head;
    unsigned payload[4];
    mach_msg_seqno_trailer_t trailer;
    char slack[64];
};

static unsigned port_a, port_b;
static volatile int worker_ready, worker_done, worker_errors;

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }

static void worker(void* arg) {
    (void)arg;
    /* 1: wait until the main thread is blocked receiving on A, then send it three messages. */
    worker_ready = 1;
    sleep_ms(100);
    for (unsigned i = 0; i < 3; i++) {
        struct msg m;
        memset(&m, 0, sizeof m);
        m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
        m.head.msgh_size = sizeof m;
        m.head.msgh_remote_port = port_a;
        m.head.msgh_id = 1000 + (int)i;
        for (int j = 0; j < 4; j++) m.payload[j] = i * 16 + (unsigned)j;
        if (t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0) != 0) worker_errors++;
    }
    /* 2: block receiving on B until the main thread sends. */
    struct rcv r;
    memset(&r, 0, sizeof r);
    int kr = t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port_b, 0);
    if (kr != 0 || r.head.msgh_id != 2000 || r.payload[0] != 0xfeed) worker_errors++;
    __atomic_store_n(&worker_done, 1, __ATOMIC_SEQ_CST);
}

int main(void) {
    unsigned task = t_task_self();
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port_a) == 0, "allocate port A");
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port_b) == 0, "allocate port B");
    CHECK(MACH(port_insert_right, task, port_a, port_a, MACH_MSG_TYPE_MAKE_SEND) == 0, "make a send right to A");
    CHECK(MACH(port_insert_right, task, port_b, port_b, MACH_MSG_TYPE_MAKE_SEND) == 0, "make a send right to B");
    CHECK(t_port_type(port_a) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(port_a, MACH_PORT_RIGHT_SEND) == 1,
          "A: send and receive, one send reference");

    CHECK(t_spawn(worker, 0) == 0, "start the worker thread");
    while (!worker_ready) sleep_ms(1);
    struct rcv r;
    unsigned prev_seqno = 0;
    int order_ok = 1, layout_ok = 1, payload_ok = 1, trailer_ok = 1;
    for (unsigned i = 0; i < 3; i++) {
        memset(&r, 0xa5, sizeof r);
        int kr = t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
                                    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
                            0, sizeof r, port_a, 0);
        CHECK(kr == 0, i == 0 ? "a blocking receive returns once the other thread sends" : "receive the next message");
        order_ok &= r.head.msgh_id == 1000 + (int)i;
        layout_ok &= r.head.msgh_size == sizeof(struct msg) &&
                     r.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) && r.head.msgh_remote_port == 0 &&
                     r.head.msgh_local_port == port_a && r.head.msgh_voucher_port == 0;
        for (int j = 0; j < 4; j++) payload_ok &= r.payload[j] == i * 16 + (unsigned)j;
        trailer_ok &= r.trailer.msgh_trailer_type == MACH_MSG_TRAILER_FORMAT_0 &&
                      r.trailer.msgh_trailer_size == sizeof(mach_msg_seqno_trailer_t) &&
                      (i == 0 || r.trailer.msgh_seqno == prev_seqno + 1);
        prev_seqno = r.trailer.msgh_seqno;
    }
    CHECK(order_ok, "messages arrive in the order they were sent");
    CHECK(layout_ok, "received header: size 40, bits MACH_MSGH_BITS(0, PORT_SEND), remote 0, local A");
    CHECK(payload_ok, "payloads intact");
    CHECK(trailer_ok, "seqno trailer: format 0, size 12, sequence numbers increase by one");
    CHECK(worker_errors == 0, "the worker's sends all succeeded");
    CHECK(t_refs(port_a, MACH_PORT_RIGHT_SEND) == 1, "COPY_SEND destinations left A's send references alone");

    /* The worker now blocks receiving on B; wake it with a message (MOVE_SEND consumes a reference). */
    sleep_ms(50);
    MACH(port_mod_refs, task, port_b, MACH_PORT_RIGHT_SEND, 1);
    CHECK(t_refs(port_b, MACH_PORT_RIGHT_SEND) == 2, "B: two send references");
    struct msg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
    m.head.msgh_remote_port = port_b;
    m.head.msgh_id = 2000;
    m.payload[0] = 0xfeed;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0) == 0, "send to B with MOVE_SEND");
    CHECK(t_refs(port_b, MACH_PORT_RIGHT_SEND) == 1, "MOVE_SEND took one send reference away");
    for (int i = 0; i < 2000 && !__atomic_load_n(&worker_done, __ATOMIC_SEQ_CST); i++) sleep_ms(1);
    CHECK(worker_done && worker_errors == 0, "the worker's blocking receive got the message");

    /* Default trailer: 8 bytes after the message. */
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
    m.head.msgh_remote_port = port_a;
    m.head.msgh_id = 3000;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0) == 0, "send with MAKE_SEND_ONCE");
    memset(&r, 0xa5, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port_a, 0) == 0, "receive it");
    CHECK(r.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE), "bits: local PORT_SEND_ONCE");
    CHECK(r.trailer.msgh_trailer_type == 0 && r.trailer.msgh_trailer_size == sizeof(mach_msg_trailer_t),
          "default trailer: format 0, size 8");
    CHECK(*(unsigned*)&r.trailer.msgh_seqno == 0xa5a5a5a5u, "nothing written past the 8-byte trailer");

    /* Nothing queued: a receive with a timeout returns MACH_RCV_TIMED_OUT. */
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port_a, 0) == MACH_RCV_TIMED_OUT,
          "empty queue, zero timeout: MACH_RCV_TIMED_OUT");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port_a, 20) == MACH_RCV_TIMED_OUT,
          "empty queue, 20 ms: MACH_RCV_TIMED_OUT");
    return t_done();
}
