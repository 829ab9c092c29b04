/* thread_get_special_reply_port (Mach trap 50): each call returns a new name that holds the receive right and
 * one send right; earlier ones stay valid; the port carries a message sent with a send-once right made from
 * it (the shape of a synchronous reply) and goes away when its rights are released.
 * Facts: xnu osfmk/kern/ipc_tt.c (thread_get_special_reply_port: IPC_PORT_INIT_MAKE_SEND_RIGHT),
 * osfmk/mach/port.h (MACH_PORT_TYPE_*), osfmk/ipc/ipc_kmsg.c (MAKE_SEND_ONCE from a receive right). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct rcv {
    mach_msg_header_t head;
    mach_msg_trailer_t trailer;
    char slack[64];
};

int main(void) {
    unsigned task = t_task_self();
    unsigned a = (unsigned)MACH0(special_reply);
    CHECK(MACH_PORT_VALID(a), "a special reply port is returned");
    CHECK(t_port_type(a) == MACH_PORT_TYPE_SEND_RECEIVE, "its name holds the receive right and a send right");
    CHECK(t_refs(a, MACH_PORT_RIGHT_SEND) == 1 && t_refs(a, MACH_PORT_RIGHT_RECEIVE) == 1, "one reference each");

    unsigned b = (unsigned)MACH0(special_reply);
    CHECK(MACH_PORT_VALID(b) && b != a, "a second call returns a new port");
    CHECK(t_port_type(a) == MACH_PORT_TYPE_SEND_RECEIVE, "the first one stays valid");

    /* A reply sent through a send-once right made from the receive right arrives on the port. */
    mach_msg_header_t m = {0};
    m.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
    m.msgh_size = sizeof m;
    m.msgh_remote_port = b;
    m.msgh_id = 4242;
    CHECK(t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0) == MACH_MSG_SUCCESS, "send to it with MAKE_SEND_ONCE");
    struct rcv r;
    memset(&r, 0, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, b, 100) == MACH_MSG_SUCCESS &&
              r.head.msgh_id == 4242 && r.head.msgh_local_port == b,
          "the message arrives on the special reply port");

    /* Releasing both rights destroys the port; the name is then invalid. */
    CHECK(MACH(port_deallocate, task, a) == KERN_SUCCESS, "release the send right");
    CHECK(t_port_type(a) == MACH_PORT_TYPE_RECEIVE, "the receive right is left");
    CHECK(MACH(port_mod_refs, task, a, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS, "release the receive right");
    unsigned type = 0;
    CHECK(MACH(port_type, task, a, &type) == KERN_INVALID_NAME, "the name is gone");
    CHECK(MACH(port_mod_refs, task, b, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS, "destroy the second port");
    CHECK(t_port_type(b) == MACH_PORT_TYPE_DEAD_NAME && t_refs(b, MACH_PORT_RIGHT_DEAD_NAME) == 1,
          "its send right under the same name becomes a dead name with one reference");
    return t_done();
}
