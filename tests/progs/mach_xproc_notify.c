/* Rights and notifications between processes: a forked child's space holds none of its parent's rights; the
 * parent gives a second child the only send right to one of its ports and an array of send rights out of line
 * (MACH_MSG_OOL_PORTS_DESCRIPTOR); the child answers with a send-once right to a port of its own and exits.
 * The exit releases what it held: the parent's port gets its no-senders notification (make-send count 1), the
 * out-of-line rights are released, and the parent's send-once right to the child's port is a dead name.
 * Facts: xnu osfmk/ipc/ipc_kmsg.c (ipc_kmsg_copyin_ool_ports_descriptor, copyout), osfmk/ipc/ipc_port.c
 * (ipc_port_nsrequest, ipc_notify_no_senders: mscount in not_count), osfmk/kern/ipc_tt.c (a new task's
 * space holds none of its parent's rights). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>

struct gift {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t only;
    mach_msg_ool_ports_descriptor_t many;
};
struct gift_rcv { struct gift g; mach_msg_trailer_t t; char pad[32]; };
struct back { mach_msg_header_t h; long v; };
struct back_rcv { struct back b; mach_msg_trailer_t t; char pad[32]; };

int main(void) {
    unsigned task = t_task_self();
    char name[64];
    t_unique_name(name, "org.macrun.test.notify.");
    unsigned svc, only, notify, many[3];
    CHECK(t_bootstrap(402, name, &svc, 0) == 0, "a service port");
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &only);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);
    for (int i = 0; i < 3; i++) MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &many[i]);
    unsigned prev = 0;
    CHECK((int)xmach8(MT_port_request_notification, task, only, MACH_NOTIFY_NO_SENDERS, 1, notify,
                      MACH_MSG_TYPE_MAKE_SEND_ONCE, (long)&prev, 0) == 0,
          "a no-senders request on the port the child will hold");

    long c = t_fork();
    if (c == 0) BSD(exit, t_port_type(svc) == 0 && t_port_type(only) == 0 && t_port_type(many[0]) == 0 ? 0 : 1);
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "a forked child's space holds none of the parent's names");

    c = t_fork();
    if (c == 0) {
        unsigned me;
        if (t_bootstrap(404, name, &me, 0)) BSD(exit, 2);
        /* Ask for the gift: a message with a send right for the answer. */
        unsigned mine;
        MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
        struct back b;
        memset(&b, 0, sizeof b);
        b.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
        b.h.msgh_size = sizeof b;
        b.h.msgh_remote_port = me;
        b.h.msgh_local_port = mine;
        b.h.msgh_id = 1;
        if (t_mach_msg(&b, MACH_SEND_MSG, sizeof b, 0, 0, 0)) BSD(exit, 3);
        struct gift_rcv g;
        memset(&g, 0, sizeof g);
        if (t_mach_msg(&g, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof g, mine, 10000)) BSD(exit, 4);
        if (g.g.only.disposition != MACH_MSG_TYPE_PORT_SEND || t_port_type(g.g.only.name) != MACH_PORT_TYPE_SEND) BSD(exit, 5);
        if (g.g.many.count != 3 || g.g.many.disposition != MACH_MSG_TYPE_PORT_SEND) BSD(exit, 6);
        unsigned* names = (unsigned*)g.g.many.address;
        for (int i = 0; i < 3; i++)
            if (t_port_type(names[i]) != MACH_PORT_TYPE_SEND) BSD(exit, 7);
        /* Answer with a send-once right to a port of the child's own, then exit holding everything. */
        unsigned own;
        MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &own);
        memset(&b, 0, sizeof b);
        b.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
        b.h.msgh_size = sizeof b;
        b.h.msgh_remote_port = me;
        b.h.msgh_local_port = own;
        b.h.msgh_id = 2;
        if (t_mach_msg(&b, MACH_SEND_MSG, sizeof b, 0, 0, 0)) BSD(exit, 8);
        /* Stay until the parent has looked at the answer, then exit holding everything. */
        struct back_rcv bye;
        if (t_mach_msg(&bye, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof bye, mine, 10000)) BSD(exit, 9);
        BSD(exit, 0);
    }

    struct back_rcv b;
    memset(&b, 0, sizeof b);
    CHECK(t_mach_msg(&b, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof b, svc, 10000) == 0 && b.b.h.msgh_id == 1 &&
              MACH_MSGH_BITS_REMOTE(b.b.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND,
          "the child's request, with a send right for the answer");
    struct gift g;
    memset(&g, 0, sizeof g);
    g.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    g.h.msgh_size = sizeof g;
    g.h.msgh_remote_port = b.b.h.msgh_remote_port;
    g.body.msgh_descriptor_count = 2;
    g.only.name = only;
    g.only.disposition = MACH_MSG_TYPE_MAKE_SEND;
    g.only.type = MACH_MSG_PORT_DESCRIPTOR;
    g.many.address = many;
    g.many.count = 3;
    g.many.disposition = MACH_MSG_TYPE_MAKE_SEND;
    g.many.copy = MACH_MSG_PHYSICAL_COPY;
    g.many.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
    CHECK(t_mach_msg(&g, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof g, 0, 0, 10000) == 0,
          "the gift: one send right inline, three out of line");
    memset(&b, 0, sizeof b);
    CHECK(t_mach_msg(&b, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof b, svc, 10000) == 0 && b.b.h.msgh_id == 2 &&
              MACH_MSGH_BITS_REMOTE(b.b.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
              t_port_type(b.b.h.msgh_remote_port) == MACH_PORT_TYPE_SEND_ONCE,
          "the answer: a send-once right to the child's port");
    unsigned so = b.b.h.msgh_remote_port;
    struct back bye;
    memset(&bye, 0, sizeof bye);
    bye.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
    bye.h.msgh_size = sizeof bye;
    bye.h.msgh_remote_port = g.h.msgh_remote_port;
    bye.h.msgh_id = 3;
    CHECK(t_mach_msg(&bye, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof bye, 0, 0, 10000) == 0, "goodbye to the child");
    st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "the child checked every right it got and exited");

    struct { mach_no_senders_notification_t n; mach_msg_trailer_t t; char pad[32]; } ns;
    memset(&ns, 0, sizeof ns);
    CHECK(t_mach_msg(&ns, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof ns, notify, 10000) == 0 &&
              ns.n.not_header.msgh_id == MACH_NOTIFY_NO_SENDERS && ns.n.not_count == 1,
          "its exit released the only send right: no-senders, make-send count 1");
    mach_port_status_t s;
    unsigned count = MACH_PORT_RECEIVE_STATUS_COUNT;
    int released = 1;
    for (int i = 0; i < 3; i++) {
        MACH(port_get_attributes, task, many[i], MACH_PORT_RECEIVE_STATUS, &s, &count);
        if (s.mps_srights || s.mps_mscount != 1) released = 0;
    }
    CHECK(released, "and the three out-of-line rights: no send rights left, each made once");
    CHECK(t_port_type(so) == MACH_PORT_TYPE_DEAD_NAME, "the send-once right to the dead child's port is a dead name");
    CHECK(MACH(port_deallocate, task, so) == 0 && t_port_type(so) == 0, "which deallocates like one");
    return t_done();
}
