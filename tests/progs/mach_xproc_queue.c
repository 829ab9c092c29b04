/* Queues between processes: a child sends to a port of its parent's (found through the bootstrap server)
 * until the queue is full (limit 5), then blocks in mach_msg; the parent sees the queue at its limit, and each
 * message it takes wakes the child in the other process to send the next. 200 messages arrive in order.
 * MACH_SEND_TIMEOUT with a zero timeout on a full queue fails at once with MACH_SEND_TIMED_OUT.
 * Facts: xnu osfmk/ipc/ipc_mqueue.c (ipc_mqueue_send: a full queue blocks the sender unless it gave a
 * timeout; ipc_mqueue_release_msgcount wakes one waiting sender), osfmk/mach/port.h (MACH_PORT_QLIMIT_DEFAULT
 * 5). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

#define COUNT 200

struct msg { mach_msg_header_t h; long seq; };
struct rcv { struct msg m; mach_msg_trailer_t t; char pad[32]; };

static unsigned queued(unsigned port) {
    mach_port_status_t s;
    unsigned count = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0, sizeof s);
    MACH(port_get_attributes, t_task_self(), port, MACH_PORT_RECEIVE_STATUS, &s, &count);
    return s.mps_msgcount;
}

int main(void) {
    char name[64];
    t_unique_name(name, "org.macrun.test.queue.");
    unsigned port;
    CHECK(t_bootstrap(402, name, &port, 0) == 0, "a service port for the child");

    struct xres go = BSD0(pipe);
    long c = t_fork();
    if (c == 0) {
        unsigned dest;
        if (t_bootstrap(404, name, &dest, 0)) BSD(exit, 2);
        struct msg m;
        for (long i = 0; i < COUNT; i++) {
            memset(&m, 0, sizeof m);
            m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
            m.h.msgh_size = sizeof m;
            m.h.msgh_remote_port = dest;
            m.h.msgh_id = 7;
            m.seq = i;
            if (t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0)) BSD(exit, 3);
        }
        /* Once the parent has taken all 200, fill the queue again: then a zero timeout fails at once. */
        char b;
        BSD(read, (int)go.val, &b, 1);
        int full = 0;
        for (int tries = 0; tries < 1000 && !full; tries++) {
            m.h.msgh_remote_port = dest;
            m.seq = -1;
            int r = t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 0);
            if (r == MACH_SEND_TIMED_OUT) full = 1;
            else if (r) BSD(exit, 4);
        }
        BSD(exit, full ? 0 : 5);
    }

    T_WAIT_UNTIL(queued(port) >= MACH_PORT_QLIMIT_DEFAULT, 10);
    int waited = queued(port) == MACH_PORT_QLIMIT_DEFAULT;
    CHECK(waited, "the child filled the queue to its limit of 5 and waits");
    int in_order = 1;
    struct rcv r;
    for (long i = 0; i < COUNT; i++) {
        memset(&r, 0, sizeof r);
        if (t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 10000) || r.m.seq != i) {
            in_order = 0;
            break;
        }
    }
    CHECK(in_order, "200 messages from the other process, each take waking its sender, in order");
    BSD(write, (int)go.val2, "g", 1);
    /* Leave the queue full until the child has seen MACH_SEND_TIMED_OUT, then drain what it added. */
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0,
          "the child then found the queue full: MACH_SEND_TIMED_OUT with a zero timeout");
    unsigned left = queued(port);
    CHECK(left == MACH_PORT_QLIMIT_DEFAULT, "five of its extra messages are still queued");
    while (t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0) == 0) {}
    CHECK(queued(port) == 0, "and can be received after it exited");
    return t_done();
}
