/* Many clients, one server: three child processes each make 200 RPCs to one service port of the parent (the
 * request carries a send-once right to the child's reply port, MIG style); the parent serves them all with one
 * receive-and-reply loop. Every answer reaches the process that asked, with its own payload plus one.
 * Facts: xnu osfmk/ipc/mach_msg.c (mach_msg with MACH_SEND_MSG | MACH_RCV_MSG), osfmk/ipc/ipc_right.c (a
 * send-once right is consumed by the reply). */
#include "xnu.h"

#include <mach/message.h>

#define CLIENTS 3
#define CALLS 200

struct msg { mach_msg_header_t h; long v; };
struct rcv { struct msg m; mach_msg_trailer_t t; char pad[32]; };

static int client(const char* name, long base) {
    unsigned dest;
    if (t_bootstrap(404, name, &dest, 0)) return 2;
    unsigned reply = (unsigned)MACH0(mach_reply_port);
    for (long i = 0; i < CALLS; i++) {
        struct rcv m;
        memset(&m, 0, sizeof m);
        m.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
        m.m.h.msgh_size = sizeof m.m;
        m.m.h.msgh_remote_port = dest;
        m.m.h.msgh_local_port = reply;
        m.m.h.msgh_id = 500;
        m.m.v = base + i;
        if (t_mach_msg(&m, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof m.m, sizeof m, reply, 10000)) return 3;
        if (m.m.h.msgh_id != 600 || m.m.v != base + i + 1) return 4;
    }
    return 0;
}

int main(void) {
    char name[64];
    t_unique_name(name, "org.macrun.test.rpcmany.");
    unsigned svc;
    CHECK(t_bootstrap(402, name, &svc, 0) == 0, "a service port");
    long kids[CLIENTS];
    for (int k = 0; k < CLIENTS; k++) {
        kids[k] = t_fork();
        if (kids[k] == 0) BSD(exit, client(name, (k + 1) * 100000L));
    }
    int served = 0;
    struct rcv m;
    memset(&m, 0, sizeof m);
    int mr = t_mach_msg(&m, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m, svc, 10000);
    while (mr == 0) {
        served++;
        unsigned reply = m.m.h.msgh_remote_port;
        m.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        m.m.h.msgh_size = sizeof m.m;
        m.m.h.msgh_remote_port = reply;
        m.m.h.msgh_local_port = 0;
        m.m.h.msgh_id = 600;
        m.m.v++;
        if (served == CLIENTS * CALLS) {
            mr = t_mach_msg(&m, MACH_SEND_MSG, sizeof m.m, 0, 0, 0);
            break;
        }
        mr = t_mach_msg(&m, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof m.m, sizeof m, svc, 10000);
    }
    CHECK(mr == 0 && served == CLIENTS * CALLS, "600 requests from three processes, each answered");
    int ok = 1;
    for (int k = 0; k < CLIENTS; k++) {
        int st = -1;
        if (BSD(wait4, kids[k], &st, 0, 0).val != kids[k] || st != 0) ok = 0;
    }
    CHECK(ok, "every client got its own answers (each exits 0)");
    return t_done();
}
