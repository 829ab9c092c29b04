/* A receive right that comes home: the parent asks for a port-destroyed notification on a port, moves its
 * receive right to a child, sends it a message meanwhile, and the child exits still holding it. Instead of
 * dying, the port comes back to the parent in a MACH_NOTIFY_PORT_DESTROYED message (a receive right in a port
 * descriptor), queue and all: the message sent while the child held it is still there.
 * Facts: xnu osfmk/ipc/ipc_port.c (ipc_port_destroy: a port with a pdrequest is sent to it, ipc_notify_
 * port_destroyed), osfmk/mach/notify.h (mach_port_destroyed_notification_t), osfmk/ipc/mach_port.c
 * (mach_port_request_notification: MACH_NOTIFY_PORT_DESTROYED needs the receive right). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>

struct note { mach_msg_header_t h; long v; };
struct note_rcv { struct note n; mach_msg_trailer_t t; char pad[32]; };

int main(void) {
    unsigned task = t_task_self();
    char name[64];
    t_unique_name(name, "org.macrun.test.pdestroyed.");
    unsigned svc, p, notify, prev = 0;
    CHECK(t_bootstrap(402, name, &svc, 0) == 0, "a service port");
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);
    CHECK((int)xmach8(MT_port_request_notification, task, p, MACH_NOTIFY_PORT_DESTROYED, 0, notify,
                      MACH_MSG_TYPE_MAKE_SEND_ONCE, (long)&prev, 0) == 0,
          "a port-destroyed request on the port");

    struct xres done = BSD0(pipe);
    long c = t_fork();
    if (c == 0) {
        unsigned dest, got, disp;
        if (t_bootstrap(404, name, &dest, 0)) BSD(exit, 2);
        if (t_ask_right(dest, &got, &disp, 10000)) BSD(exit, 4);
        if (disp != MACH_MSG_TYPE_PORT_RECEIVE || t_port_type(got) != MACH_PORT_TYPE_RECEIVE) BSD(exit, 5);
        char b;
        BSD(read, (int)done.val, &b, 1);  /* until the parent has sent its message to the port */
        BSD(exit, 0);                      /* still holding the receive right */
    }
    unsigned reply;
    CHECK(t_take_ask(svc, &reply, 10000) == 0, "the child asks");
    CHECK(t_give_right(reply, p, MACH_MSG_TYPE_MOVE_RECEIVE) == 0, "the receive right goes to the child");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND, "the parent keeps a send right");
    struct note n;
    memset(&n, 0, sizeof n);
    n.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
    n.h.msgh_size = sizeof n;
    n.h.msgh_remote_port = p;
    n.v = 4242;
    CHECK(t_mach_msg(&n, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof n, 0, 0, 1000) == 0, "a message to the port the child holds");
    BSD(write, (int)done.val2, "x", 1);
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "the child exits holding the receive right");
    struct { mach_port_destroyed_notification_t n; mach_msg_trailer_t t; char pad[32]; } pd;
    memset(&pd, 0, sizeof pd);
    CHECK(t_mach_msg(&pd, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof pd, notify, 10000) == 0 &&
              pd.n.not_header.msgh_id == MACH_NOTIFY_PORT_DESTROYED &&
              pd.n.not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE,
          "MACH_NOTIFY_PORT_DESTROYED brings the receive right back");
    unsigned back = pd.n.not_port.name;
    CHECK(back == p && t_port_type(p) == MACH_PORT_TYPE_SEND_RECEIVE,
          "under the parent's name for it, joined with its send right");
    struct note_rcv r;
    memset(&r, 0, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, p, 1000) == 0 && r.n.v == 4242,
          "with the message sent while the child held it");
    return t_done();
}
