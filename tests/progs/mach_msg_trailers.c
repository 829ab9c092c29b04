/* Receive trailers (format 0): for each number of trailer elements a receive may ask for, the trailer's size is
 * the SDK's own REQUESTED_TRAILER_SIZE of the option, and what it holds is right: the sequence number of the
 * message on its port, the sender's security token (euid, egid), the audit token (euid at val[1], pid at
 * val[5]), and the port's context; a buffer with room for the message but not its trailer is
 * MACH_RCV_TOO_LARGE.
 * Facts: xnu osfmk/mach/message.h (REQUESTED_TRAILER_SIZE, the trailer types), osfmk/ipc/ipc_kmsg.c
 * (ipc_kmsg_add_trailer), osfmk/ipc/mach_msg.c (mach_msg_receive_results). */
#include "xnu.h"

#include <mach/message.h>

struct msg { mach_msg_header_t h; long v; };
struct rcv { struct msg m; unsigned char trailer[128]; };

static unsigned port;

static void send_one(long v) {
    struct msg m;
    memset(&m, 0, sizeof m);
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
    m.h.msgh_size = sizeof m;
    m.h.msgh_remote_port = port;
    m.v = v;
    t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
}

int main(void) {
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name;
                                                        unsigned long ctx; } req;
            char buf[128]; } sc;
    memset(&sc, 0, sizeof sc);
    sc.req.ndr = t_ndr_record;
    sc.req.name = port;
    sc.req.ctx = 0x1122334455667788UL;
    CHECK(t_mig_to(&sc, t_task_self(), 3229, sizeof sc.req, sizeof sc) == 0, "mach_port_set_context");
    long uid = BSD0(geteuid).val, gid = BSD0(getegid).val, pid = BSD0(getpid).val;

    int sizes_ok = 1;
    for (int n = 0; n <= 8; n++) {
        send_one(n);
        struct rcv r;
        memset(&r, 0xee, sizeof r);
        int option = MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(n);
        if (t_mach_msg(&r, option, 0, sizeof r, port, 0) != 0) sizes_ok = 0;
        mach_msg_trailer_t* t = (mach_msg_trailer_t*)r.trailer;
        if (t->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 || t->msgh_trailer_size != REQUESTED_TRAILER_SIZE(option)) {
            t_printf("# %d elements: size %u, expected %u\n", n, t->msgh_trailer_size, (unsigned)REQUESTED_TRAILER_SIZE(option));
            sizes_ok = 0;
        }
        if (n >= 1 && ((mach_msg_seqno_trailer_t*)t)->msgh_seqno != (unsigned)n) sizes_ok = 0;
        if (n >= 2) {
            mach_msg_security_trailer_t* s = (mach_msg_security_trailer_t*)t;
            if (s->msgh_sender.val[0] != (unsigned)uid || s->msgh_sender.val[1] != (unsigned)gid) sizes_ok = 0;
        }
        if (n >= 3) {
            mach_msg_audit_trailer_t* a = (mach_msg_audit_trailer_t*)t;
            if (a->msgh_audit.val[1] != (unsigned)uid || a->msgh_audit.val[5] != (unsigned)pid) sizes_ok = 0;
        }
        if (n >= 4 && n != 5 && n != 6 && ((mach_msg_context_trailer_t*)t)->msgh_context != 0x1122334455667788UL) sizes_ok = 0;
    }
    CHECK(sizes_ok, "elements 0-8: REQUESTED_TRAILER_SIZE's size, seqno, sender, audit token and context all right");

    send_one(99);
    struct rcv r;
    memset(&r, 0, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0) == 0 && r.m.v == 99 &&
              ((mach_msg_trailer_t*)r.trailer)->msgh_trailer_size == sizeof(mach_msg_trailer_t),
          "asking for no elements: the minimal 8-byte trailer");
    struct { struct msg m; mach_msg_trailer_t t; } small;
    send_one(100);
    CHECK(t_mach_msg(&small, MACH_RCV_MSG | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0,
                     sizeof small.m + 8, port, 0) == MACH_RCV_TOO_LARGE,
          "room for the message but not its audit trailer: MACH_RCV_TOO_LARGE");
    return t_done();
}
