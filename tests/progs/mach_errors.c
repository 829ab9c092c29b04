/* mach_msg's error paths, in XNU's order: the destination's disposition is checked before its name (a null
 * destination with a bad disposition is MACH_SEND_INVALID_HEADER, with a good one MACH_SEND_INVALID_DEST), the
 * reply and voucher fields, sizes, unreadable and unwritable buffers, bad descriptor types, receive names; the
 * legacy mach_msg_trap refuses to send from a 64-bit process built with a recent SDK (fatal EXC_GUARD, checked
 * in a child); a dead destination.
 * Facts: xnu osfmk/ipc/ipc_kmsg.c (ipc_kmsg_copyin_header_validate, ipc_kmsg_copyin_header_rights,
 * ipc_kmsg_measure_descriptors_from_user, ipc_kmsg_get_and_inflate_from_user, ipc_kmsg_put_to_user),
 * osfmk/ipc/mach_msg.c (mach_msg_trap_send, mach_msg_copyin_user_header), osfmk/ipc/ipc_mqueue.c
 * (ipc_mqueue_copyin), osfmk/ipc/ipc_policy.c (ipc_policy_allow_legacy_send_trap,
 * ipc_policy_allow_legacy_mach_msg_trap_for_platform), osfmk/ipc/ipc_policy.h (IPC_KMSG_MAX_BODY_SPACE). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct msg {
    mach_msg_header_t head;
    int data[2];
};

static unsigned port;

static int send_hdr(unsigned bits, unsigned remote, unsigned local, unsigned voucher) {
    struct msg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = bits;
    m.head.msgh_remote_port = remote;
    m.head.msgh_local_port = local;
    m.head.msgh_voucher_port = voucher;
    return t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
}

static unsigned queued(void) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, t_task_self(), port, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return s.mps_msgcount;
}

static void legacy_send(void) {
    unsigned task = (unsigned)MACH0(task_self), p;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    struct msg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
    m.head.msgh_remote_port = p;
    m.head.msgh_id = 1234;
    t_mach_msg_trap(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0, 0);
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port);
    unsigned set, dead, send_only, holder;
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &set);
    MACH(port_allocate, task, MACH_PORT_RIGHT_DEAD_NAME, &dead);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &holder);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &send_only);
    MACH(port_insert_right, task, send_only, send_only, MACH_MSG_TYPE_MAKE_SEND);
    /* A live port of which this space holds only a send right: its receive right travels in a message queued
     * on `holder` (one name per port in a space: the receive right cannot sit under another name). */
    struct {
        mach_msg_header_t head;
        mach_msg_body_t body;
        mach_msg_port_descriptor_t d;
    } carry;
    memset(&carry, 0, sizeof carry);
    carry.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    carry.head.msgh_remote_port = holder;
    carry.body.msgh_descriptor_count = 1;
    carry.d.name = send_only;
    carry.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
    carry.d.type = MACH_MSG_PORT_DESCRIPTOR;
    CHECK(t_mach_msg(&carry, MACH_SEND_MSG, sizeof carry, 0, 0, 0) == 0 && t_port_type(send_only) == MACH_PORT_TYPE_SEND,
          "setup: a send right whose receive right is in transit");

    /* The destination. */
    CHECK(send_hdr(MACH_MSGH_BITS(0, 0), 0, 0, 0) == MACH_SEND_INVALID_HEADER,
          "null destination, disposition 0: MACH_SEND_INVALID_HEADER (the disposition is checked first)");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 0, 0, 0) == MACH_SEND_INVALID_DEST,
          "null destination, COPY_SEND: MACH_SEND_INVALID_DEST");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), ~0u, 0, 0) == MACH_SEND_INVALID_DEST,
          "MACH_PORT_DEAD: MACH_SEND_INVALID_DEST");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0), port, 0, 0) == MACH_SEND_INVALID_HEADER,
          "MOVE_RECEIVE destination: MACH_SEND_INVALID_HEADER");
    CHECK(send_hdr(MACH_MSGH_BITS(22, 0), port, 0, 0) == MACH_SEND_INVALID_HEADER, "disposition 22: MACH_SEND_INVALID_HEADER");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 0x7703, 0, 0) == MACH_SEND_INVALID_DEST,
          "an unknown name: MACH_SEND_INVALID_DEST");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), dead, 0, 0) == MACH_SEND_INVALID_DEST,
          "a dead name: MACH_SEND_INVALID_DEST");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), set, 0, 0) == MACH_SEND_INVALID_DEST,
          "a port set: MACH_SEND_INVALID_DEST");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), port, 0, 0) == MACH_SEND_INVALID_DEST,
          "COPY_SEND with only a receive right: MACH_SEND_INVALID_DEST");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), send_only, 0, 0) == MACH_SEND_INVALID_DEST,
          "MAKE_SEND with only a send right: MACH_SEND_INVALID_DEST");

    /* The reply port. */
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), port, send_only, 0) == MACH_SEND_INVALID_HEADER,
          "a reply name with disposition 0: MACH_SEND_INVALID_HEADER");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_RECEIVE), port, send_only, 0) ==
              MACH_SEND_INVALID_HEADER,
          "reply disposition MOVE_RECEIVE: MACH_SEND_INVALID_HEADER");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), port, 0x7703, 0) ==
              MACH_SEND_INVALID_REPLY,
          "an unknown reply name: MACH_SEND_INVALID_REPLY");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), port, send_only, 0) ==
              MACH_SEND_INVALID_REPLY,
          "MAKE_SEND_ONCE reply without the receive right: MACH_SEND_INVALID_REPLY");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_COPY_SEND), send_only, send_only, 0) ==
              MACH_SEND_INVALID_DEST,
          "the same name as destination and reply with a send-once move: MACH_SEND_INVALID_DEST");
    CHECK(queued() == 0, "nothing queued so far");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_COPY_SEND), port, dead, 0) == MACH_SEND_INVALID_REPLY,
          "a dead name as reply port: MACH_SEND_INVALID_REPLY (it denotes no port right)");
    struct {
        struct msg m;
        mach_msg_trailer_t t;
    } r;

    /* Vouchers: none exist, so any voucher name is refused. */
    CHECK(send_hdr(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MAKE_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0), port, 0, send_only) ==
              MACH_SEND_INVALID_VOUCHER,
          "a send right that is no voucher: MACH_SEND_INVALID_VOUCHER");
    CHECK(send_hdr(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MAKE_SEND, 0, MACH_MSG_TYPE_MAKE_SEND, 0), port, 0, 0) ==
              MACH_SEND_INVALID_VOUCHER,
          "voucher disposition MAKE_SEND: MACH_SEND_INVALID_VOUCHER");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), port, 0, 0x12345) == 0,
          "with no voucher disposition the voucher field is just data");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0) == 0 && r.m.head.msgh_voucher_port == 0x12345,
          "and arrives as it was sent");

    /* Sizes and buffers. */
    struct msg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
    m.head.msgh_remote_port = port;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG, 20, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL, "send size 20: MACH_SEND_MSG_TOO_SMALL");
    CHECK(t_mach_msg(&m, MACH_SEND_MSG, 30, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL, "send size 30: MACH_SEND_MSG_TOO_SMALL");
    CHECK(t_mach_msg(&m, MACH_SEND_MSG, 64u << 20, 0, 0, 0) == MACH_SEND_TOO_LARGE, "64 MiB: MACH_SEND_TOO_LARGE");
    unsigned long mb_ss = T_MSG2_PACK(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), 32);
    CHECK(t_mach_msg2_trap(BAD_PTR, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL, mb_ss, T_MSG2_PACK(port, 0), 0, 0, 0, 0) ==
              MACH_SEND_INVALID_DATA,
          "mach_msg2 with an unreadable body: MACH_SEND_INVALID_DATA");
    mb_ss = T_MSG2_PACK(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), 24);
    CHECK(t_mach_msg2_trap(BAD_PTR, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL, mb_ss, T_MSG2_PACK(port, 0), 0, 0, 0, 0) == 0,
          "a bare 24-byte header needs no buffer at all (it travels in the arguments)");
    CHECK(queued() == 1, "it was queued");
    CHECK(t_mach_msg2_trap(BAD_PTR, MACH_RCV_MSG, 0, 0, 0, T_MSG2_PACK(0, port), T_MSG2_PACK(64, 0), 0) == MACH_RCV_INVALID_DATA,
          "receive into an unwritable buffer: MACH_RCV_INVALID_DATA");
    CHECK(queued() == 0, "the message is lost");
    struct {
        mach_msg_header_t head;
        mach_msg_body_t body;
        mach_msg_port_descriptor_t d;
    } c;
    memset(&c, 0, sizeof c);
    c.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    c.head.msgh_remote_port = port;
    c.body.msgh_descriptor_count = 1;
    c.d.type = 7;
    CHECK(t_mach_msg(&c, MACH_SEND_MSG, sizeof c, 0, 0, 0) == MACH_SEND_INVALID_TYPE, "descriptor type 7: MACH_SEND_INVALID_TYPE");
    CHECK(t_mach_msg(&c, MACH_SEND_MSG, 28, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL, "a descriptor in no room: MACH_SEND_MSG_TOO_SMALL");
    CHECK(t_mach_msg(&c, MACH_SEND_MSG, 24, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL, "complex without a count: MACH_SEND_MSG_TOO_SMALL");

    /* Receive names. */
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, 0, 0) == MACH_RCV_INVALID_NAME,
          "receive on MACH_PORT_NULL: MACH_RCV_INVALID_NAME");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, 0x7703, 0) == MACH_RCV_INVALID_NAME,
          "on an unknown name: MACH_RCV_INVALID_NAME");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, send_only, 0) == MACH_RCV_INVALID_NAME,
          "on a send right: MACH_RCV_INVALID_NAME");

    /* A port whose receive right died (with the message carrying it): its send right is found dead when next used,
     * and becomes a dead name. */
    MACH(port_mod_refs, task, holder, MACH_PORT_RIGHT_RECEIVE, -1);
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_COPY_SEND), port, send_only, 0) == 0,
          "a send right to a dead port as reply port: sent");
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0) == 0 && r.m.head.msgh_remote_port == ~0u,
          "it arrives as MACH_PORT_DEAD");
    CHECK(t_port_type(send_only) == MACH_PORT_TYPE_DEAD_NAME, "the send right is a dead name now");
    CHECK(send_hdr(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), send_only, 0, 0) == MACH_SEND_INVALID_DEST,
          "sending to it: MACH_SEND_INVALID_DEST");

    /* The legacy mach_msg_trap may not send an arbitrary message from a 64-bit process. */
    long pid = t_fork();
    if (pid == 0) {
        legacy_send();
        t_exit(0);
    }
    int status = 0;
    BSD(wait4, pid, &status, 0, 0);
    CHECK((status & 0x7f) == 9, "mach_msg_trap send of id 1234: a fatal EXC_GUARD, the child is killed (SIGKILL)");
    return t_done();
}
