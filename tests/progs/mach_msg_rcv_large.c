/* A message too large for the receive buffer. With MACH_RCV_LARGE the receive fails with MACH_RCV_TOO_LARGE,
 * the message stays queued, and only msgh_size is rewritten: the size the message needs, trailer not counted
 * (MACH_RCV_LARGE_IDENTITY also writes the port it is on into msgh_local_port); a bigger buffer then gets it.
 * Without MACH_RCV_LARGE the message is dequeued and destroyed (its rights too) and the receiver gets a bare
 * header (msgh_size 24, the destination's name, the other header bits kept) followed by a kernel trailer.
 * The trailer counts in "too large": a buffer of exactly the message size is too small.
 * Facts: xnu osfmk/ipc/ipc_mqueue.c (ipc_mqueue_msg_too_large, ipc_mqueue_select_on_thread_locked),
 * osfmk/ipc/mach_msg.c (mach_msg_receive_too_large, mach_msg_receive_error), osfmk/ipc/ipc_kmsg.c
 * (ipc_kmsg_copyout_dest_to_user, ipc_kmsg_put_to_user). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct big {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d;
    char data[200];
};

static unsigned port, carried;

static int send_big(int id) {
    struct big m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.head.msgh_remote_port = port;
    m.head.msgh_id = id;
    m.body.msgh_descriptor_count = 1;
    m.d.name = carried;
    m.d.disposition = MACH_MSG_TYPE_MAKE_SEND;
    m.d.type = MACH_MSG_PORT_DESCRIPTOR;
    memset(m.data, 'x', sizeof m.data);
    return t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
}

static unsigned queued(void) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, t_task_self(), port, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return s.mps_msgcount;
}

static unsigned srights(unsigned name) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, t_task_self(), name, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return (unsigned)s.mps_srights;
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &carried);
    const unsigned size = sizeof(struct big); /* 24 + 4 + 12 + 200 = 240 */

    CHECK(send_big(1) == 0, "queue a 240-byte message carrying a send right");
    char buf[512];
    mach_msg_header_t* h = (mach_msg_header_t*)buf;
    memset(buf, 0x77, sizeof buf);
    CHECK(t_mach_msg(buf, MACH_RCV_MSG | MACH_RCV_LARGE, 0, 100, port, 0) == MACH_RCV_TOO_LARGE,
          "100-byte buffer, MACH_RCV_LARGE: MACH_RCV_TOO_LARGE");
    CHECK(h->msgh_size == size, "msgh_size says what the message needs: 240 (no trailer)");
    CHECK(h->msgh_bits == 0x77777777u && h->msgh_local_port == 0x77777777u && h->msgh_id == 0x77777777,
          "nothing else was written");
    CHECK(queued() == 1, "the message is still queued");
    memset(buf, 0x77, sizeof buf);
    CHECK(t_mach_msg(buf, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY, 0, 100, port, 0) == MACH_RCV_TOO_LARGE,
          "with MACH_RCV_LARGE_IDENTITY too");
    CHECK(h->msgh_size == size && h->msgh_local_port == port, "msgh_local_port names the port it waits on");
    CHECK(t_mach_msg(buf, MACH_RCV_MSG | MACH_RCV_LARGE, 0, size, port, 0) == MACH_RCV_TOO_LARGE,
          "a buffer of exactly 240 bytes: too small, the trailer needs 8 more");
    CHECK(t_mach_msg(buf, MACH_RCV_MSG | MACH_RCV_LARGE, 0, size + 8, port, 0) == 0, "248 bytes: received");
    CHECK(h->msgh_size == size && h->msgh_id == 1 && queued() == 0, "the whole message");
    struct big* b = (struct big*)buf;
    CHECK(b->d.name == carried && srights(carried) == 1, "with its send right");
    MACH(port_deallocate, task, carried);

    /* Without MACH_RCV_LARGE: destroyed, a bare header instead. */
    CHECK(send_big(2) == 0, "queue another");
    CHECK(srights(carried) == 1, "its send right exists (in the message)");
    memset(buf, 0x77, sizeof buf);
    CHECK(t_mach_msg(buf, MACH_RCV_MSG, 0, 100, port, 0) == MACH_RCV_TOO_LARGE, "100-byte buffer: MACH_RCV_TOO_LARGE");
    CHECK(queued() == 0, "the message was taken off the queue");
    CHECK(srights(carried) == 0, "and destroyed with the right it carried");
    CHECK(h->msgh_size == sizeof(mach_msg_header_t) && h->msgh_id == 2 && h->msgh_local_port == port &&
              h->msgh_remote_port == 0,
          "a bare header: size 24, the id, local = the port, remote 0");
    CHECK(h->msgh_bits == (MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) | MACH_MSGH_BITS_COMPLEX),
          "bits: MACH_MSGH_BITS(0, PORT_SEND), the complex bit kept");
    mach_msg_trailer_t* tr = (mach_msg_trailer_t*)(buf + sizeof(mach_msg_header_t));
    CHECK(tr->msgh_trailer_type == 0 && tr->msgh_trailer_size == 8, "then a trailer");
    CHECK((unsigned char)buf[sizeof(mach_msg_header_t) + 8] == 0x77, "and nothing more");

    /* A large receive buffer: the trailer lands right after the message, whatever the buffer size. */
    CHECK(send_big(3) == 0 && t_mach_msg(buf, MACH_RCV_MSG, 0, sizeof buf, port, 0) == 0, "a 512-byte buffer");
    CHECK(((mach_msg_trailer_t*)(buf + size))->msgh_trailer_size == 8, "trailer at offset 240");
    return t_done();
}
