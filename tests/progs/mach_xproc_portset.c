/* A port set fed by two processes: the parent puts two service ports in a set; two children each send 30
 * messages to their own service; one receive on the set at a time takes them all, each message naming the port
 * it came to (msgh_local_port), each port's messages in their order, oldest first across the set.
 * Facts: xnu osfmk/ipc/ipc_pset.c, osfmk/ipc/ipc_mqueue.c (ipc_mqueue_receive on a set), osfmk/ipc/mach_port.c
 * (mach_port_insert_member). */
#include "xnu.h"

#include <mach/message.h>

#define EACH 30

struct msg { mach_msg_header_t h; long who, seq; };
struct rcv { struct msg m; mach_msg_trailer_t t; char pad[32]; };

static void sender(const char* name, long who) {
    unsigned dest;
    if (t_bootstrap(404, name, &dest, 0)) BSD(exit, 2);
    for (long i = 0; i < EACH; i++) {
        struct msg m;
        memset(&m, 0, sizeof m);
        m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
        m.h.msgh_size = sizeof m;
        m.h.msgh_remote_port = dest;
        m.who = who;
        m.seq = i;
        if (t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0)) BSD(exit, 3);
    }
    BSD(exit, 0);
}

int main(void) {
    char a[64], b[64];
    t_unique_name(a, "org.macrun.test.pset.a.");
    t_unique_name(b, "org.macrun.test.pset.b.");
    unsigned pa, pb, set;
    CHECK(t_bootstrap(402, a, &pa, 0) == 0 && t_bootstrap(402, b, &pb, 0) == 0, "two service ports");
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_PORT_SET, &set);
    CHECK(MACH(port_insert_member, t_task_self(), pa, set) == 0 && MACH(port_insert_member, t_task_self(), pb, set) == 0,
          "both in one port set");
    long c1 = t_fork();
    if (c1 == 0) sender(a, 1);
    long c2 = t_fork();
    if (c2 == 0) sender(b, 2);
    long next[3] = {0, 0, 0};
    int ok = 1, n = 0;
    for (; n < 2 * EACH; n++) {
        struct rcv r;
        memset(&r, 0, sizeof r);
        if (t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set, 10000)) break;
        long who = r.m.who;
        if (who < 1 || who > 2 || r.m.h.msgh_local_port != (who == 1 ? pa : pb) || r.m.seq != next[who]++) ok = 0;
    }
    CHECK(n == 2 * EACH, "60 messages through the set");
    CHECK(ok && next[1] == EACH && next[2] == EACH, "each naming its port, each port's in order");
    int s1 = -1, s2 = -1;
    CHECK(BSD(wait4, c1, &s1, 0, 0).val == c1 && BSD(wait4, c2, &s2, 0, 0).val == c2 && s1 == 0 && s2 == 0,
          "both senders exit 0");
    return t_done();
}
