/* mach_port_allocate (_kernelrpc_mach_port_allocate_trap, Mach trap 16) and mach_port_allocate_name (MIG 3203):
 * receive rights, port sets and dead names; names are index << 8 | generation, the generation of a fresh entry
 * ends in 0x03 and grows by 4 when the entry is reused; bad targets, rights and pointers.
 * Facts: xnu osfmk/ipc/mach_kernelrpc.c (_kernelrpc_mach_port_allocate_trap), osfmk/ipc/mach_port.c
 * (mach_port_allocate_full, mach_port_allocate_name), osfmk/ipc/ipc_entry.c (ipc_entry_claim, ipc_entry_alloc_name,
 * ipc_entry_name_mask), osfmk/ipc/ipc_entry.h (ipc_entry_new_gen), osfmk/kern/ipc_tt.c (task_self_trap). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

static int mig_allocate_name(unsigned task, unsigned right, unsigned name) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned right, name; } req;
            char buf[128]; } m;
    memset(&m, 0, sizeof m);
    m.req.head.remote = task;
    m.req.head.id = 3203;
    m.req.ndr = t_ndr_record;
    m.req.right = right;
    m.req.name = name;
    return t_mig_call(&m, sizeof m.req, sizeof m);
}

int main(void) {
    unsigned task = (unsigned)MACH0(task_self);
    t_task_self_ = task; /* what t_refs uses, without another task_self_trap */
    CHECK(task != 0 && (task & 0xff) == 0x03, "task_self_trap gives a name whose fresh generation ends in 0x03");
    CHECK(t_port_type(task) == MACH_PORT_TYPE_SEND, "the task port name is a send right");
    CHECK(t_refs(task, MACH_PORT_RIGHT_SEND) == 1, "with one user reference");
    CHECK((unsigned)MACH0(task_self) == task, "task_self_trap again: the same name");
    CHECK(t_refs(task, MACH_PORT_RIGHT_SEND) == 2, "and one more user reference");

    unsigned names[4];
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &names[0]) == KERN_SUCCESS, "allocate a receive right");
    CHECK(t_port_type(names[0]) == MACH_PORT_TYPE_RECEIVE, "type: MACH_PORT_TYPE_RECEIVE");
    CHECK(t_refs(names[0], MACH_PORT_RIGHT_RECEIVE) == 1 && t_refs(names[0], MACH_PORT_RIGHT_SEND) == 0,
          "receive refs 1, send refs 0");
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &names[1]) == KERN_SUCCESS, "allocate a port set");
    CHECK(t_port_type(names[1]) == MACH_PORT_TYPE_PORT_SET, "type: MACH_PORT_TYPE_PORT_SET");
    CHECK(t_refs(names[1], MACH_PORT_RIGHT_PORT_SET) == 1, "port-set refs 1");
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_DEAD_NAME, &names[2]) == KERN_SUCCESS, "allocate a dead name");
    CHECK(t_port_type(names[2]) == MACH_PORT_TYPE_DEAD_NAME, "type: MACH_PORT_TYPE_DEAD_NAME");
    CHECK(t_refs(names[2], MACH_PORT_RIGHT_DEAD_NAME) == 1, "dead-name refs 1");
    names[3] = (unsigned)MACH0(mach_reply_port);
    CHECK(t_port_type(names[3]) == MACH_PORT_TYPE_RECEIVE, "mach_reply_port: a receive right");
    int fresh = 1, distinct = 1;
    for (int i = 0; i < 4; i++) {
        fresh &= (names[i] & 0xff) == 0x03 && names[i] >> 8 != 0;
        for (int j = 0; j < i; j++) distinct &= names[i] >> 8 != names[j] >> 8;
        distinct &= names[i] >> 8 != task >> 8;
    }
    CHECK(fresh, "every name of a fresh entry: index << 8 | 0x03");
    CHECK(distinct, "each in an entry of its own");

    /* Reuse: the freed entry comes back first, its generation 4 higher. */
    CHECK(MACH(port_mod_refs, task, names[0], MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS, "destroy the receive right");
    CHECK(t_port_type(names[0]) == 0, "its name is gone");
    unsigned again;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &again);
    CHECK(again == ((names[0] & ~0xffu) | 0x07), "the next allocation reuses the entry: generation 0x07");
    CHECK(t_refs(names[0], MACH_PORT_RIGHT_RECEIVE) == -1, "the old name no longer denotes anything");

    /* Errors. */
    unsigned n = 0;
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_SEND, &n) == KERN_INVALID_VALUE, "MACH_PORT_RIGHT_SEND: KERN_INVALID_VALUE");
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_SEND_ONCE, &n) == KERN_INVALID_VALUE, "send-once: KERN_INVALID_VALUE");
    CHECK(MACH(port_allocate, task, 6, &n) == KERN_INVALID_VALUE, "right 6: KERN_INVALID_VALUE");
    CHECK(MACH(port_allocate, 0, MACH_PORT_RIGHT_RECEIVE, &n) == MACH_SEND_INVALID_DEST,
          "target MACH_PORT_NULL: MACH_SEND_INVALID_DEST");
    CHECK(MACH(port_allocate, again, MACH_PORT_RIGHT_RECEIVE, &n) == MACH_SEND_INVALID_DEST,
          "target a receive right: MACH_SEND_INVALID_DEST");
    CHECK(MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, BAD_PTR) == KERN_MEMORY_ERROR,
          "unwritable name pointer: KERN_MEMORY_ERROR");

    /* mach_port_allocate_name (MIG): names must carry the kernel's generation bits. */
    CHECK(mig_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, 0x12303) == KERN_SUCCESS, "allocate_name 0x12303");
    CHECK(t_port_type(0x12303) == MACH_PORT_TYPE_RECEIVE, "the name denotes a receive right");
    CHECK(mig_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, 0x12303) == KERN_NAME_EXISTS, "again: KERN_NAME_EXISTS");
    CHECK(mig_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, 0x12304) == KERN_INVALID_VALUE,
          "0x12304 (generation bits not set): KERN_INVALID_VALUE");
    CHECK(mig_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, 0) == KERN_INVALID_VALUE, "MACH_PORT_NULL: KERN_INVALID_VALUE");
    CHECK(mig_allocate_name(task, MACH_PORT_RIGHT_PORT_SET, 0x13403) == KERN_SUCCESS, "allocate_name a port set");
    CHECK(t_port_type(0x13403) == MACH_PORT_TYPE_PORT_SET, "type: MACH_PORT_TYPE_PORT_SET");
    CHECK(mig_allocate_name(task, 9, 0x14503) == KERN_INVALID_VALUE, "bad right: KERN_INVALID_VALUE");
    return t_done();
}
