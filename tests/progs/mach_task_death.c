/* A task that dies without a word: a child checks in a service with the bootstrap server and blocks in a
 * receive; the parent looks the service up, asks for a dead-name notification, and kills the child with
 * SIGKILL. Once the child is reaped its task is gone with every right it held: the parent's send right is a
 * dead name, the notification arrives, sending to it fails with MACH_SEND_INVALID_DEST, and the service is no
 * longer found. A second child is stopped and continued while it waits: its task survives that.
 * Facts: xnu osfmk/kern/task.c (task_terminate_internal -> ipc_space_terminate), osfmk/ipc/ipc_port.c
 * (ipc_port_destroy: dead-name requests fire), osfmk/ipc/ipc_kmsg.c (a send to a dead name:
 * MACH_SEND_INVALID_DEST). */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/task.h>
#include <mach/task_special_ports.h>
#include <signal.h>


static int bs_call(int id, const char* name, unsigned* port) { return t_bootstrap(id, name, port, 0); }

/* The child: check in, say so on the pipe, wait for a message that never comes. */
static void child(const char* name, int ready) {
    unsigned svc;
    if (bs_call(402, name, &svc)) BSD(exit, 3);
    BSD(write, ready, "r", 1);
    struct { mach_msg_header_t h; char pad[256]; } m;
    for (;;) t_mach_msg(&m, MACH_RCV_MSG, 0, sizeof m, svc, 0);
}

static long spawn(const char* name) {
    struct xres p = BSD0(pipe);
    long c = t_fork();
    if (c == 0) child(name, (int)p.val2);
    char b;
    BSD(read, (int)p.val, &b, 1);
    BSD(close, (int)p.val);
    BSD(close, (int)p.val2);
    return c;
}

int main(void) {
    unsigned notify;
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify);
    char name[64];
    t_unique_name(name, "org.macrun.test.death.");

    long c = spawn(name);
    unsigned svc = 0, prev = 0;
    CHECK(bs_call(404, name, &svc) == 0 && t_port_type(svc) == MACH_PORT_TYPE_SEND, "the child's service is found");
    CHECK((int)xmach8(MT_port_request_notification, t_task_self(), svc, MACH_NOTIFY_DEAD_NAME, 0, notify,
                      MACH_MSG_TYPE_MAKE_SEND_ONCE, (long)&prev, 0) == 0,
          "a dead-name request on it");

    /* Stopped and continued: still alive, still receiving. */
    BSD(kill, c, SIGSTOP);
    int st = 0;
    CHECK(BSD(wait4, c, &st, 0x2 /* WUNTRACED */, 0).val == c && (st & 0xff) == 0x7f, "the child stops");
    BSD(kill, c, SIGCONT);
    struct { mach_msg_header_t h; long v; } m;
    memset(&m, 0, sizeof m);
    m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
    m.h.msgh_size = sizeof m;
    m.h.msgh_remote_port = svc;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 1000) == 0, "a stopped task's port takes messages");
    CHECK(t_port_type(svc) == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST), "its right is still a send right (with the request)");

    BSD(kill, c, SIGKILL);
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && (st & 0x7f) == SIGKILL, "SIGKILL: the child dies");
    struct { mach_dead_name_notification_t n; mach_msg_trailer_t t; char pad[32]; } dn;
    memset(&dn, 0, sizeof dn);
    CHECK(t_mach_msg(&dn, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof dn, notify, 5000) == 0 &&
              dn.n.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME && dn.n.not_port == svc,
          "once reaped, its task is gone: MACH_NOTIFY_DEAD_NAME");
    CHECK(t_port_type(svc) == MACH_PORT_TYPE_DEAD_NAME, "the send right is a dead name");
    m.h.msgh_remote_port = svc;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 1000) == MACH_SEND_INVALID_DEST,
          "sending to it: MACH_SEND_INVALID_DEST");
    unsigned again;
    CHECK(bs_call(404, name, &again) == 1102, "the service is gone: BOOTSTRAP_UNKNOWN_SERVICE");
    return t_done();
}
