/* mach_port_mod_refs (Mach trap 19), mach_port_deallocate (trap 18) and mach_port_destroy (MIG 3205): user
 * references of send rights and dead names, their limits (underflow is KERN_INVALID_VALUE, overflow pegs the
 * count at MACH_PORT_UREFS_MAX, after which only -MAX changes it), receive and port-set rights (delta 0 or -1),
 * a receive right destroyed under a send right turns the name into a dead name, and the error codes.
 * Facts: xnu osfmk/ipc/mach_port.c (mach_port_mod_refs, mach_port_deallocate, mach_port_destroy,
 * mach_port_get_refs), osfmk/ipc/ipc_right.c (ipc_right_delta, ipc_right_dealloc, ipc_right_destroy),
 * osfmk/ipc/port.h (MACH_PORT_UREFS_OVERFLOW, MACH_PORT_UREFS_UNDERFLOW). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

static int mig_destroy(unsigned task, unsigned name) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name; } req;
            char buf[128]; } m;
    memset(&m, 0, sizeof m);
    m.req.head.remote = task;
    m.req.head.id = 3205;
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    return t_mig_call(&m, sizeof m.req, sizeof m);
}

int main(void) {
    unsigned task = t_task_self();
    unsigned p;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);

    /* Send references. */
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 1) == KERN_INVALID_RIGHT,
          "+1 send on a receive-only name: KERN_INVALID_RIGHT");
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "make-send: 1 send reference");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 4) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 5, "+4: 5");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 0) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 5, "+0: 5");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -6) == KERN_INVALID_VALUE, "-6 of 5: KERN_INVALID_VALUE");
    CHECK(t_refs(p, MACH_PORT_RIGHT_SEND) == 5, "unchanged");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -3) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 2, "-3: 2");
    CHECK(MACH(port_deallocate, task, p) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "deallocate: 1");
    CHECK(MACH(port_deallocate, task, p) == 0, "deallocate the last send reference");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_RECEIVE, "the receive right stays");
    CHECK(MACH(port_deallocate, task, p) == KERN_INVALID_RIGHT, "deallocate a receive right: KERN_INVALID_RIGHT");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -1) == KERN_INVALID_RIGHT,
          "-1 send without a send right: KERN_INVALID_RIGHT");

    /* Overflow pegs at MACH_PORT_UREFS_MAX (0xffff). */
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 0x10000) == KERN_INVALID_VALUE,
          "+0x10000 (more than MACH_PORT_UREFS_MAX): KERN_INVALID_VALUE");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 0xfffe) == 0, "+0xfffe");
    CHECK(t_refs(p, MACH_PORT_RIGHT_SEND) == 0xffff, "pegged at 0xffff");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 5) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 0xffff,
          "+5 on a pegged count: still 0xffff");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -1) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 0xffff,
          "-1 on a pegged count: still 0xffff");
    CHECK(MACH(port_deallocate, task, p) == 0 && t_refs(p, MACH_PORT_RIGHT_SEND) == 0xffff,
          "deallocate on a pegged count: still 0xffff");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -0xffff) == 0, "-0xffff removes them all");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_RECEIVE, "receive right alone again");

    /* Receive rights: 0 and -1 only. */
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_RECEIVE, 0) == 0, "receive +0: KERN_SUCCESS");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_RECEIVE, 1) == KERN_INVALID_VALUE, "receive +1: KERN_INVALID_VALUE");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_RECEIVE, -2) == KERN_INVALID_VALUE, "receive -2: KERN_INVALID_VALUE");
    /* Destroying the receive right under a send right leaves a dead name with the send references. */
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 2);
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_RECEIVE, -1) == 0, "receive -1 with 3 send references");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_DEAD_NAME, "the name is a dead name now");
    CHECK(t_refs(p, MACH_PORT_RIGHT_DEAD_NAME) == 3, "with the 3 user references");
    CHECK(t_refs(p, MACH_PORT_RIGHT_SEND) == 0, "and no send right");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_INVALID_RIGHT,
          "receive -1 on it: KERN_INVALID_RIGHT");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, -1) == KERN_INVALID_RIGHT,
          "send -1 on a dead name: KERN_INVALID_RIGHT");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_DEAD_NAME, 2) == 0 && t_refs(p, MACH_PORT_RIGHT_DEAD_NAME) == 5,
          "dead name +2: 5");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_DEAD_NAME, -6) == KERN_INVALID_VALUE, "dead name -6: KERN_INVALID_VALUE");
    CHECK(MACH(port_deallocate, task, p) == 0 && t_refs(p, MACH_PORT_RIGHT_DEAD_NAME) == 4, "deallocate a dead name: 4");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_DEAD_NAME, -4) == 0, "dead name -4");
    CHECK(t_port_type(p) == 0, "the name is gone");
    CHECK(MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_DEAD_NAME, -1) == KERN_INVALID_NAME, "then: KERN_INVALID_NAME");

    /* Port sets: 0 and -1. */
    unsigned set;
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &set);
    CHECK(MACH(port_mod_refs, task, set, MACH_PORT_RIGHT_PORT_SET, 0) == 0, "port set +0");
    CHECK(MACH(port_mod_refs, task, set, MACH_PORT_RIGHT_PORT_SET, 1) == KERN_INVALID_VALUE, "port set +1: KERN_INVALID_VALUE");
    CHECK(MACH(port_mod_refs, task, set, MACH_PORT_RIGHT_SEND, 1) == KERN_INVALID_RIGHT, "send +1 on a set: KERN_INVALID_RIGHT");
    CHECK(MACH(port_deallocate, task, set) == 0 && t_port_type(set) == 0, "deallocate destroys the port set");

    /* Argument errors. */
    CHECK(MACH(port_mod_refs, task, 0, MACH_PORT_RIGHT_SEND, -1) == 0, "MACH_PORT_NULL, send: KERN_SUCCESS");
    CHECK(MACH(port_mod_refs, task, ~0u, MACH_PORT_RIGHT_SEND_ONCE, 1) == 0, "MACH_PORT_DEAD, send-once: KERN_SUCCESS");
    CHECK(MACH(port_mod_refs, task, 0, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_INVALID_NAME, "MACH_PORT_NULL, receive: KERN_INVALID_NAME");
    CHECK(MACH(port_mod_refs, task, 0x7703, MACH_PORT_RIGHT_SEND, 1) == KERN_INVALID_NAME, "unknown name: KERN_INVALID_NAME");
    CHECK(MACH(port_mod_refs, task, task, 6, 1) == KERN_INVALID_VALUE, "right 6: KERN_INVALID_VALUE");
    CHECK(MACH(port_mod_refs, task, task, MACH_PORT_RIGHT_LABELH, 1) == KERN_INVALID_RIGHT, "MACH_PORT_RIGHT_LABELH: KERN_INVALID_RIGHT");
    CHECK(MACH(port_deallocate, task, 0) == 0 && MACH(port_deallocate, task, ~0u) == 0, "deallocate NULL and DEAD: KERN_SUCCESS");
    CHECK(MACH(port_deallocate, task, 0x7703) == KERN_INVALID_NAME, "deallocate an unknown name: KERN_INVALID_NAME");
    CHECK(MACH(port_mod_refs, 0x7703, task, MACH_PORT_RIGHT_SEND, 1) == MACH_SEND_INVALID_DEST, "bad target: MACH_SEND_INVALID_DEST");

    /* mach_port_destroy takes every right the name has. */
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 3);
    CHECK(mig_destroy(task, p) == 0, "mach_port_destroy a send+receive name");
    CHECK(t_port_type(p) == 0, "nothing left under the name");
    CHECK(mig_destroy(task, p) == KERN_INVALID_NAME, "again: KERN_INVALID_NAME");
    CHECK(mig_destroy(task, 0) == 0, "MACH_PORT_NULL: KERN_SUCCESS");
    return t_done();
}
