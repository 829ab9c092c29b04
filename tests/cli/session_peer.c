/* Two programs started apart, meeting through the bootstrap server of a named session (macrun --session):
 * `session_peer server NAME` checks in the service NAME, says "ready" on stdout and answers one request;
 * `session_peer client NAME` looks the service up and makes one RPC. Exit 0 when all went right; the client
 * exits 3 when the service is unknown (BOOTSTRAP_UNKNOWN_SERVICE). */
#include "xnu.h"

#include <mach/message.h>

struct msg { mach_msg_header_t h; long v; };
struct rcv { struct msg m; mach_msg_trailer_t t; char pad[64]; };

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    unsigned port;
    if (!strcmp(argv[1], "server")) {
        if (t_bootstrap(402, argv[2], &port, 0)) return 4;
        BSD(write, 1, "ready\n", 6);
        struct rcv r;
        memset(&r, 0, sizeof r);
        if (t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 20000)) return 5;
        unsigned reply = r.m.h.msgh_remote_port;
        r.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        r.m.h.msgh_size = sizeof r.m;
        r.m.h.msgh_remote_port = reply;
        r.m.h.msgh_local_port = 0;
        r.m.v += 1;
        return t_mach_msg(&r, MACH_SEND_MSG, sizeof r.m, 0, 0, 0) ? 6 : 0;
    }
    int kr = t_bootstrap(404, argv[2], &port, 0);
    if (kr == 1102) return 3;
    if (kr) return 7;
    unsigned reply = (unsigned)MACH0(mach_reply_port);
    struct rcv r;
    memset(&r, 0, sizeof r);
    r.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    r.m.h.msgh_size = sizeof r.m;
    r.m.h.msgh_remote_port = port;
    r.m.h.msgh_local_port = reply;
    r.m.v = 41;
    if (t_mach_msg(&r, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof r.m, sizeof r, reply, 20000)) return 8;
    return r.m.v == 42 ? 0 : 9;
}
