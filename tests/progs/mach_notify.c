/* Port notifications (mach_port_request_notification, Mach trap 77): no-senders (fires at once when there are
 * no senders and sync <= the make-send count, else when the last send right goes, with the make-send count),
 * dead-name (when the port dies; the dead name gets one more user reference for it), port-deleted (the right
 * went away first), port-destroyed (the receive right comes back in a message instead of dying), the previous
 * request's send-once right handed back, and the errors.
 * Facts: xnu osfmk/ipc/mach_kernelrpc.c (_kernelrpc_mach_port_request_notification_trap),
 * osfmk/ipc/mach_port.c (mach_port_request_notification), osfmk/ipc/ipc_port.c (ipc_port_nsrequest,
 * ipc_port_destroy, ipc_port_dnnotify), osfmk/ipc/ipc_right.c (ipc_right_request_alloc, ipc_right_check,
 * ipc_right_dealloc), osfmk/mach/notify.h (message layouts). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

static unsigned notify;

/* Seven arguments: `previous` is the 7th, on the stack. */
static int request_with(unsigned name, int id, unsigned sync, unsigned poly, unsigned* previous) {
    return (int)xmach8(MT_port_request_notification, t_task_self(), name, id, sync, notify, poly, (long)previous, 0);
}
static int request(unsigned name, int id, unsigned sync, unsigned* previous) {
    return request_with(name, id, sync, MACH_MSG_TYPE_MAKE_SEND_ONCE, previous);
}

static char buf[256];
static int get(void) {
    memset(buf, 0, sizeof buf);
    return t_mach_msg(buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, notify, 0);
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);
    unsigned p, prev = 0x1234;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    mach_no_senders_notification_t* ns = (mach_no_senders_notification_t*)buf;

    /* No senders. */
    CHECK(request(p, MACH_NOTIFY_NO_SENDERS, 0, &prev) == 0 && prev == 0, "no-senders request, sync 0: no previous");
    CHECK(get() == 0 && ns->not_header.msgh_id == MACH_NOTIFY_NO_SENDERS, "it fires at once: no senders, 0 <= make-send count 0");
    CHECK(ns->not_header.msgh_size == 36 && ns->not_count == 0 && ns->not_header.msgh_local_port == notify,
          "mach_no_senders_notification_t: 36 bytes, not_count 0, on the notify port");
    CHECK(request(p, MACH_NOTIFY_NO_SENDERS, 1, &prev) == 0 && prev == 0, "again with sync 1: armed");
    CHECK(get() == MACH_RCV_TIMED_OUT, "nothing yet");
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(get() == MACH_RCV_TIMED_OUT, "send rights exist: nothing");
    MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -2);
    CHECK(get() == 0 && ns->not_header.msgh_id == MACH_NOTIFY_NO_SENDERS && ns->not_count == 2,
          "the last send right went: notification with the make-send count 2");
    CHECK(request(p, MACH_NOTIFY_NO_SENDERS, 5, &prev) == 0 && prev == 0, "armed with sync 5");
    CHECK(request(p, MACH_NOTIFY_NO_SENDERS, 5, &prev) == 0 && prev != 0 && t_port_type(prev) == MACH_PORT_TYPE_SEND_ONCE,
          "re-arming hands back the previous send-once right");
    MACH(port_deallocate, task, prev);
    CHECK(get() == 0 && ((mach_msg_header_t*)buf)->msgh_id == MACH_NOTIFY_SEND_ONCE, "(which, dropped, says send-once)");

    /* Dead name. A space names a port's send and receive rights with one name, so the receive right goes into a
     * message queued on another port (in transit), and dies with it. */
    unsigned s, holder;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &holder);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &s);
    MACH(port_insert_right, task, s, s, MACH_MSG_TYPE_MAKE_SEND);
    struct {
        mach_msg_header_t head;
        mach_msg_body_t body;
        mach_msg_port_descriptor_t d;
    } carry;
    memset(&carry, 0, sizeof carry);
    carry.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    carry.head.msgh_remote_port = holder;
    carry.body.msgh_descriptor_count = 1;
    carry.d.name = s;
    carry.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
    carry.d.type = MACH_MSG_PORT_DESCRIPTOR;
    CHECK(t_mach_msg(&carry, MACH_SEND_MSG, sizeof carry, 0, 0, 0) == 0 && t_port_type(s) == MACH_PORT_TYPE_SEND,
          "the receive right travels in a queued message: only the send right is left");
    CHECK(request(s, MACH_NOTIFY_DEAD_NAME, 0, &prev) == 0 && prev == 0, "dead-name request on the send right");
    CHECK(t_port_type(s) == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST), "mach_port_type shows MACH_PORT_TYPE_DNREQUEST");
    MACH(port_mod_refs, task, holder, MACH_PORT_RIGHT_RECEIVE, -1); /* destroys the queued message and the right in it */
    mach_dead_name_notification_t* dn = (mach_dead_name_notification_t*)buf;
    CHECK(get() == 0 && dn->not_header.msgh_id == MACH_NOTIFY_DEAD_NAME && dn->not_port == s && dn->not_header.msgh_size == 36,
          "the port died: MACH_NOTIFY_DEAD_NAME naming the send right");
    CHECK(t_port_type(s) == MACH_PORT_TYPE_DEAD_NAME && t_refs(s, MACH_PORT_RIGHT_DEAD_NAME) == 2,
          "a dead name now, with one more user reference for the notification");
    MACH(port_mod_refs, task, s, MACH_PORT_RIGHT_DEAD_NAME, -2);

    /* Port deleted: the send right goes before the port dies. */
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &holder);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &s);
    MACH(port_insert_right, task, s, s, MACH_MSG_TYPE_MAKE_SEND);
    carry.head.msgh_remote_port = holder;
    carry.d.name = s;
    t_mach_msg(&carry, MACH_SEND_MSG, sizeof carry, 0, 0, 0);
    request(s, MACH_NOTIFY_DEAD_NAME, 0, &prev);
    MACH(port_deallocate, task, s);
    mach_port_deleted_notification_t* pd = (mach_port_deleted_notification_t*)buf;
    CHECK(get() == 0 && pd->not_header.msgh_id == MACH_NOTIFY_PORT_DELETED && pd->not_port == s,
          "deallocating it: MACH_NOTIFY_PORT_DELETED naming it");
    MACH(port_mod_refs, task, holder, MACH_PORT_RIGHT_RECEIVE, -1);
    CHECK(get() == MACH_RCV_TIMED_OUT, "and no dead-name notification when the port dies later");

    /* Port destroyed: the receive right comes back, queue intact. */
    unsigned q;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &q);
    struct {
        mach_msg_header_t head;
        int v;
    } m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
    m.head.msgh_remote_port = q;
    m.head.msgh_id = 4242;
    t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
    CHECK(request(q, MACH_NOTIFY_PORT_DESTROYED, 1, &prev) == KERN_INVALID_VALUE, "port-destroyed with sync 1: KERN_INVALID_VALUE");
    CHECK(request(q, MACH_NOTIFY_PORT_DESTROYED, 0, &prev) == 0, "port-destroyed request");
    CHECK(request(q, MACH_NOTIFY_PORT_DESTROYED, 0, &prev) == KERN_FAILURE, "a second one: KERN_FAILURE");
    MACH(port_mod_refs, task, q, MACH_PORT_RIGHT_RECEIVE, -1);
    CHECK(t_port_type(q) == 0, "destroying the receive right empties its name");
    mach_port_destroyed_notification_t* pdn = (mach_port_destroyed_notification_t*)buf;
    /* The two refused requests destroyed the send-once rights they were given: two send-once notifications. */
    int so = 0;
    for (int i = 0; i < 2; i++) so += get() == 0 && ((mach_msg_header_t*)buf)->msgh_id == MACH_NOTIFY_SEND_ONCE;
    CHECK(so == 2, "each refused request's send-once right came back as MACH_NOTIFY_SEND_ONCE");
    CHECK(get() == 0 && pdn->not_header.msgh_id == MACH_NOTIFY_PORT_DESTROYED &&
              (pdn->not_header.msgh_bits & MACH_MSGH_BITS_COMPLEX) && pdn->not_body.msgh_descriptor_count == 1 &&
              pdn->not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE,
          "MACH_NOTIFY_PORT_DESTROYED carries the receive right");
    unsigned back = pdn->not_port.name;
    CHECK(t_port_type(back) == MACH_PORT_TYPE_RECEIVE, "it arrives under a new name");
    memset(&m, 0, sizeof m);
    CHECK(t_mach_msg(&m, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m + 8, back, 0) == 0 && m.head.msgh_id == 4242,
          "with the message that was queued on it");

    /* Errors. */
    CHECK(request(p, 99, 0, &prev) == KERN_INVALID_VALUE, "notification id 99: KERN_INVALID_VALUE");
    CHECK(request_with(p, MACH_NOTIFY_NO_SENDERS, 0, MACH_MSG_TYPE_MAKE_SEND, &prev) == MACH_SEND_INVALID_DEST,
          "a notify right that is not send-once: MACH_SEND_INVALID_DEST");
    CHECK(request(0x7703, MACH_NOTIFY_NO_SENDERS, 0, &prev) == KERN_INVALID_NAME, "no-senders on an unknown name: KERN_INVALID_NAME");
    CHECK(request(task, MACH_NOTIFY_NO_SENDERS, 0, &prev) == KERN_INVALID_RIGHT, "no-senders on a send right: KERN_INVALID_RIGHT");
    CHECK(request(0, MACH_NOTIFY_DEAD_NAME, 0, &prev) == KERN_INVALID_ARGUMENT, "dead-name on MACH_PORT_NULL: KERN_INVALID_ARGUMENT");
    unsigned dead;
    MACH(port_allocate, task, MACH_PORT_RIGHT_DEAD_NAME, &dead);
    CHECK(request(dead, MACH_NOTIFY_DEAD_NAME, 0, &prev) == KERN_INVALID_ARGUMENT, "dead-name on a dead name: KERN_INVALID_ARGUMENT");
    return t_done();
}
