/* Port rights in message bodies: MOVE_RECEIVE, MOVE_SEND, COPY_SEND, MAKE_SEND, MAKE_SEND_ONCE and
 * MOVE_SEND_ONCE port descriptors, what each takes from the sender and what the receiver gets (the right type
 * in the descriptor's disposition, a name merged with an existing one for send and receive rights, a name of
 * its own for a send-once right), with the user references and make-send counts after each step; MACH_PORT_NULL
 * and MACH_PORT_DEAD pass through. A descriptor that cannot be copied in fails the send with
 * MACH_SEND_INVALID_RIGHT, and the rights already taken for the message (its header's too) are destroyed.
 * Facts: xnu osfmk/ipc/ipc_kmsg.c (ipc_kmsg_copyin_port_descriptor, ipc_kmsg_copyin_body,
 * ipc_kmsg_copyout_port), osfmk/ipc/ipc_right.c (ipc_right_copyin, ipc_right_copyout),
 * osfmk/ipc/ipc_object.c (ipc_object_copyin_type, ipc_object_copyout), osfmk/ipc/ipc_port.c
 * (ipc_port_clear_receiver: the make-send count restarts when a receive right moves). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct pmsg {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d[3];
};
struct prcv {
    struct pmsg m;
    mach_msg_trailer_t trailer;
};

static unsigned box;  /* where the messages go */

static int send_ports(unsigned n, const unsigned* names, const unsigned* disps) {
    struct pmsg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.head.msgh_remote_port = box;
    m.body.msgh_descriptor_count = n;
    for (unsigned i = 0; i < n; i++) {
        m.d[i].name = names[i];
        m.d[i].disposition = disps[i];
        m.d[i].type = MACH_MSG_PORT_DESCRIPTOR;
    }
    return t_mach_msg(&m, MACH_SEND_MSG, sizeof(mach_msg_header_t) + 4 + n * sizeof(mach_msg_port_descriptor_t), 0, 0, 0);
}

static struct prcv r;
static int receive(void) {
    memset(&r, 0, sizeof r);
    return t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, box, 0);
}

static unsigned mscount(unsigned name) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0, sizeof s);
    MACH(port_get_attributes, t_task_self(), name, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return s.mps_mscount;
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &box);
    unsigned p, n, d;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);

    /* MAKE_SEND: the sender keeps its receive right; the receiver gets a send right, under the port's name. */
    n = p, d = MACH_MSG_TYPE_MAKE_SEND;
    CHECK(send_ports(1, &n, &d) == 0, "send MAKE_SEND");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_RECEIVE && mscount(p) == 1, "sender: still receive only, make-send count 1");
    CHECK(receive() == 0, "receive it");
    CHECK(r.m.d[0].disposition == MACH_MSG_TYPE_PORT_SEND && r.m.d[0].name == p && r.m.d[0].type == MACH_MSG_PORT_DESCRIPTOR,
          "descriptor: PORT_SEND under the port's own name");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "now send+receive, 1 ref");
    CHECK(r.m.head.msgh_size == sizeof(mach_msg_header_t) + 4 + sizeof(mach_msg_port_descriptor_t),
          "message size: header + count + one 12-byte descriptor");

    /* COPY_SEND: the sender keeps its reference; the receiver's merges: 2. */
    n = p, d = MACH_MSG_TYPE_COPY_SEND;
    CHECK(send_ports(1, &n, &d) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "send COPY_SEND: sender still has 1");
    receive();
    CHECK(r.m.d[0].name == p && t_refs(p, MACH_PORT_RIGHT_SEND) == 2, "received: the same name, 2 references");
    /* MOVE_SEND: one reference travels. */
    n = p, d = MACH_MSG_TYPE_MOVE_SEND;
    CHECK(send_ports(1, &n, &d) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "send MOVE_SEND: 1 left");
    receive();
    CHECK(r.m.d[0].disposition == MACH_MSG_TYPE_PORT_SEND && t_refs(p, MACH_PORT_RIGHT_SEND) == 2, "received back: 2");
    MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -1);
    n = p, d = MACH_MSG_TYPE_MOVE_SEND;
    CHECK(send_ports(1, &n, &d) == 0 && t_port_type(p) == MACH_PORT_TYPE_RECEIVE, "MOVE_SEND of the last reference");
    receive();
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "it comes back");

    /* MAKE_SEND_ONCE and MOVE_SEND_ONCE: a name of its own. */
    n = p, d = MACH_MSG_TYPE_MAKE_SEND_ONCE;
    CHECK(send_ports(1, &n, &d) == 0, "send MAKE_SEND_ONCE");
    receive();
    unsigned so = r.m.d[0].name;
    CHECK(r.m.d[0].disposition == MACH_MSG_TYPE_PORT_SEND_ONCE && so != p && t_port_type(so) == MACH_PORT_TYPE_SEND_ONCE,
          "received: PORT_SEND_ONCE under a new name");
    n = so, d = MACH_MSG_TYPE_MOVE_SEND_ONCE;
    CHECK(send_ports(1, &n, &d) == 0 && t_port_type(so) == 0, "send it on with MOVE_SEND_ONCE: the name goes");
    receive();
    CHECK(r.m.d[0].disposition == MACH_MSG_TYPE_PORT_SEND_ONCE && t_port_type(r.m.d[0].name) == MACH_PORT_TYPE_SEND_ONCE,
          "received again under a name of its own");
    MACH(port_deallocate, task, r.m.d[0].name);
    {
        struct prcv note;
        t_mach_msg(&note, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof note, p, 0); /* the send-once notification */
    }

    /* MOVE_RECEIVE with a send right under the name: the name stays, send only, until the right comes back. */
    n = p, d = MACH_MSG_TYPE_MOVE_RECEIVE;
    CHECK(send_ports(1, &n, &d) == 0, "send MOVE_RECEIVE (a send right stays)");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND, "sender: only the send right is left under the name");
    receive();
    CHECK(r.m.d[0].disposition == MACH_MSG_TYPE_PORT_RECEIVE && r.m.d[0].name == p, "received: PORT_RECEIVE, same name");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "send+receive again");
    CHECK(mscount(p) == 0, "the make-send count restarted when the receive right moved");
    /* MOVE_RECEIVE alone: a new name. */
    unsigned q;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &q);
    n = q, d = MACH_MSG_TYPE_MOVE_RECEIVE;
    CHECK(send_ports(1, &n, &d) == 0 && t_port_type(q) == 0, "MOVE_RECEIVE of a bare receive right: its name goes");
    receive();
    CHECK(r.m.d[0].name != q && t_port_type(r.m.d[0].name) == MACH_PORT_TYPE_RECEIVE, "received under a new name");
    q = r.m.d[0].name;

    /* Null and dead names travel as they are. */
    unsigned ns[3] = {0, ~0u, q}, ds[3] = {MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND};
    CHECK(send_ports(3, ns, ds) == 0, "three descriptors: MACH_PORT_NULL, MACH_PORT_DEAD, MAKE_SEND");
    receive();
    CHECK(r.m.body.msgh_descriptor_count == 3 && r.m.d[0].name == 0 && r.m.d[1].name == ~0u && r.m.d[2].name == q,
          "received: NULL, DEAD, the port");
    CHECK(r.m.d[0].disposition == MACH_MSG_TYPE_PORT_SEND && r.m.d[1].disposition == MACH_MSG_TYPE_PORT_SEND,
          "with their dispositions converted (COPY_SEND and MOVE_SEND: PORT_SEND)");

    /* A bad descriptor: MACH_SEND_INVALID_RIGHT; what was copied in before it is destroyed. */
    unsigned r1;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &r1);
    MACH(port_insert_right, task, r1, r1, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_mod_refs, task, r1, MACH_PORT_RIGHT_SEND, 1);
    unsigned bn[2] = {r1, 0x7703}, bd[2] = {MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_COPY_SEND};
    CHECK(send_ports(2, bn, bd) == MACH_SEND_INVALID_RIGHT, "second descriptor names nothing: MACH_SEND_INVALID_RIGHT");
    CHECK(t_refs(r1, MACH_PORT_RIGHT_SEND) == 1, "the first descriptor's MOVE_SEND reference is gone for good");
    bn[1] = r1;
    bd[1] = MACH_MSG_TYPE_MOVE_SEND_ONCE;
    CHECK(send_ports(2, bn, bd) == MACH_SEND_INVALID_RIGHT, "MOVE_SEND_ONCE of a send right: MACH_SEND_INVALID_RIGHT");
    CHECK(t_port_type(r1) == MACH_PORT_TYPE_RECEIVE, "again the moved send right was destroyed");
    bn[0] = r1;
    bd[0] = 15; /* MACH_MSG_TYPE_PORT_NAME is no right */
    CHECK(send_ports(1, bn, bd) == MACH_SEND_INVALID_RIGHT, "disposition MACH_MSG_TYPE_PORT_NAME: MACH_SEND_INVALID_RIGHT");
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, task, box, MACH_PORT_RECEIVE_STATUS, &s, &c);
    CHECK(s.mps_msgcount == 0, "nothing was queued by the failed sends");
    return t_done();
}
