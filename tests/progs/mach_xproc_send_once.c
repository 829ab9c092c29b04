/* Send-once rights between processes: a child given a send-once right to a parent's port uses it once (the
 * message arrives with a send-once reply bit pattern), a second child exits without using its right: the
 * right is destroyed with the child's space and its port gets MACH_NOTIFY_SEND_ONCE. Using a send-once right
 * twice is impossible: after the first send the name is gone.
 * Facts: xnu osfmk/ipc/ipc_right.c (ipc_right_destroy of a send-once right: ipc_notify_send_once),
 * osfmk/mach/notify.h (MACH_NOTIFY_SEND_ONCE 0107). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>

struct note { mach_msg_header_t h; long v; };
struct note_rcv { struct note n; mach_msg_trailer_t t; char pad[32]; };

static unsigned svc, target;

/* A child: ask for a send-once right to the target port; use it (or not), then exit. */
static int child(const char* name, int use) {
    unsigned dest, so, disp;
    if (t_bootstrap(404, name, &dest, 0)) return 2;
    if (t_ask_right(dest, &so, &disp, 10000)) return 4;
    if (disp != MACH_MSG_TYPE_PORT_SEND_ONCE || t_port_type(so) != MACH_PORT_TYPE_SEND_ONCE) return 5;
    if (!use) return 0;
    struct note n;
    memset(&n, 0, sizeof n);
    n.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
    n.h.msgh_size = sizeof n;
    n.h.msgh_remote_port = so;
    n.v = 777;
    if (t_mach_msg(&n, MACH_SEND_MSG, sizeof n, 0, 0, 0)) return 6;
    if (t_port_type(so) != 0) return 7;  /* used up: the name is gone */
    n.h.msgh_remote_port = so;
    if (t_mach_msg(&n, MACH_SEND_MSG, sizeof n, 0, 0, 0) != MACH_SEND_INVALID_DEST) return 8;
    return 0;
}

/* The parent's side: answer one request with a send-once right to the target. */
static void give(void) {
    unsigned reply;
    CHECK(t_take_ask(svc, &reply, 10000) == 0, "a child asks");
    CHECK(t_give_right(reply, target, MACH_MSG_TYPE_MAKE_SEND_ONCE) == 0, "it gets a send-once right to the target port");
}

static unsigned sorights(void) {
    mach_port_status_t s;
    unsigned count = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0, sizeof s);
    MACH(port_get_attributes, t_task_self(), target, MACH_PORT_RECEIVE_STATUS, &s, &count);
    return s.mps_sorights;
}

int main(int argc, char** argv) {
    (void)argc, (void)argv;
    char name[64];
    t_unique_name(name, "org.macrun.test.sendonce.");
    CHECK(t_bootstrap(402, name, &svc, 0) == 0, "a service port");
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &target);

    long c = t_fork();
    if (c == 0) BSD(exit, child(name, 1));
    give();
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "the first child used its right once, and only once");
    struct note_rcv r;
    memset(&r, 0, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, target, 10000) == 0 && r.n.v == 777 &&
              MACH_MSGH_BITS_LOCAL(r.n.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
          "its message arrives through the send-once right");
    CHECK(sorights() == 0, "no send-once right to the target is left");

    c = t_fork();
    if (c == 0) BSD(exit, child(name, 0));
    give();
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "the second child exits holding its right");
    struct { mach_send_once_notification_t n; mach_msg_trailer_t t; char pad[32]; } so;
    memset(&so, 0, sizeof so);
    CHECK(t_mach_msg(&so, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof so, target, 10000) == 0 &&
              so.n.not_header.msgh_id == MACH_NOTIFY_SEND_ONCE,
          "the right died with it: MACH_NOTIFY_SEND_ONCE on the target port");
    CHECK(sorights() == 0, "and none is left");
    return t_done();
}
