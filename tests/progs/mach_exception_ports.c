/* Task exception ports as the task subsystem keeps them: task_set_exception_ports (3413) files a send right
 * with a behavior and a thread-state flavor for each exception in a mask, task_get_exception_ports (3414)
 * gives them back grouped by (port, behavior, flavor) with the mask each covers (32 port descriptors, the
 * arrays packed to the count), task_swap_exception_ports (3415) does both at once; bad masks, behaviors and
 * flavors are KERN_INVALID_ARGUMENT; a forked child inherits its parent's handlers. (Faults still arrive as
 * signals: macrun does not send exception messages yet, and says so once.)
 * Facts: xnu osfmk/kern/ipc_tt.c (task_set_exception_ports, task_get_exception_ports_internal,
 * task_swap_exception_ports), osfmk/kern/ipc_tt.c ipc_task_init (a child copies its parent's exc_actions),
 * osfmk/mach/exception_types.h, osfmk/mach/i386/thread_status.h (VALID_THREAD_STATE_FLAVOR). */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/exception_types.h>
#include <mach/mig_errors.h>
#include <mach/task.h>
#include <mach/thread_status.h>

_Static_assert(sizeof(__Request__task_set_exception_ports_t) == 60, "set request");
_Static_assert(sizeof(__Request__task_get_exception_ports_t) == 36, "get request");

static int set(int id, unsigned mask, unsigned port, int disposition, int behavior, int flavor, void* reply) {
    union { __Request__task_set_exception_ports_t req; __Reply__task_swap_exception_ports_t rep; char buf[1024]; } m;
    memset(&m, 0, sizeof m);
    m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.msgh_body.msgh_descriptor_count = 1;
    m.req.new_port.name = port;
    m.req.new_port.disposition = disposition;
    m.req.new_port.type = MACH_MSG_PORT_DESCRIPTOR;
    T_NDR(m.req.NDR);
    m.req.exception_mask = mask;
    m.req.behavior = behavior;
    m.req.new_flavor = flavor;
    int r = t_mig_to(&m, t_task_self(), id, sizeof m.req, sizeof m);
    if (r == 0 && reply) memcpy(reply, &m, sizeof m.rep);
    return r;
}

struct handlers {
    unsigned count, masks[32], ports[32];
    int behaviors[32], flavors[32];
};

/* Unpacks a get/swap reply: 32 descriptors, NDR, count, then masks, behaviors and flavors packed to count. */
static int unpack(const void* reply, struct handlers* h) {
    const __Reply__task_get_exception_ports_t* r = reply;
    if (!(r->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || r->msgh_body.msgh_descriptor_count != 32) return -1;
    h->count = r->masksCnt;
    if (h->count > 32 || r->Head.msgh_size != sizeof *r - 3 * 4 * (32 - h->count)) return -2;
    const unsigned* arrays = r->masks;
    for (unsigned i = 0; i < h->count; i++) {
        h->masks[i] = arrays[i];
        h->behaviors[i] = (int)arrays[h->count + i];
        h->flavors[i] = (int)arrays[2 * h->count + i];
        h->ports[i] = r->old_handlers[i].name;
    }
    return 0;
}

static int get(unsigned mask, struct handlers* h) {
    union { __Request__task_get_exception_ports_t req; __Reply__task_get_exception_ports_t rep; char buf[1024]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.exception_mask = mask;
    int r = t_mig_to(&m, t_task_self(), 3414, sizeof m.req, sizeof m);
    return r ? r : unpack(&m, h);
}

int main(void) {
    struct handlers h;
    CHECK(get(EXC_MASK_ALL, &h) == 0 && h.count == 1 && h.masks[0] == EXC_MASK_ALL && h.ports[0] == MACH_PORT_NULL,
          "no handlers yet: one entry, every exception, no port");
    unsigned a, b;
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &a);
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &b);
    CHECK(set(3413, EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION, a, MACH_MSG_TYPE_MAKE_SEND,
              EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES, x86_THREAD_STATE64, 0) == 0,
          "handler a for bad access and bad instruction");
    CHECK(set(3413, EXC_MASK_BREAKPOINT, b, MACH_MSG_TYPE_MAKE_SEND, EXCEPTION_DEFAULT, THREAD_STATE_NONE, 0) == 0,
          "handler b for breakpoints");
    CHECK(t_port_type(a) == MACH_PORT_TYPE_RECEIVE, "the task holds its own send rights, not the caller's name");
    CHECK(get(EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION | EXC_MASK_BREAKPOINT | EXC_MASK_ARITHMETIC, &h) == 0 &&
              h.count == 3,
          "three groups: a, b, and none");
    int found_a = 0, found_b = 0, found_none = 0;
    for (unsigned i = 0; i < h.count; i++) {
        if (h.ports[i] == a && h.masks[i] == (EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION) &&
            h.behaviors[i] == (int)(EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES) && h.flavors[i] == x86_THREAD_STATE64)
            found_a = 1;
        if (h.ports[i] == b && h.masks[i] == EXC_MASK_BREAKPOINT && h.behaviors[i] == EXCEPTION_DEFAULT) found_b = 1;
        if (h.ports[i] == MACH_PORT_NULL && h.masks[i] == EXC_MASK_ARITHMETIC) found_none = 1;
    }
    CHECK(found_a && found_b && found_none, "each with its mask, behavior and flavor");
    CHECK(t_refs(a, MACH_PORT_RIGHT_SEND) == 1 && t_refs(b, MACH_PORT_RIGHT_SEND) == 1,
          "the reply's send rights came back under the ports' names");

    /* Errors */
    CHECK(set(3413, 1u << 20, a, MACH_MSG_TYPE_MAKE_SEND, EXCEPTION_DEFAULT, 0, 0) == KERN_INVALID_ARGUMENT,
          "a mask bit no exception has: KERN_INVALID_ARGUMENT");
    CHECK(set(3413, EXC_MASK_SOFTWARE, a, MACH_MSG_TYPE_MAKE_SEND, 9, 0, 0) == KERN_INVALID_ARGUMENT,
          "an unknown behavior: KERN_INVALID_ARGUMENT");
    CHECK(set(3413, EXC_MASK_SOFTWARE, a, MACH_MSG_TYPE_MAKE_SEND, EXCEPTION_DEFAULT, 14, 0) == KERN_INVALID_ARGUMENT,
          "a flavor x86 does not have: KERN_INVALID_ARGUMENT");
    CHECK(get(1u << 20, &h) == KERN_INVALID_ARGUMENT, "get with a bad mask: KERN_INVALID_ARGUMENT");

    /* Swap: the old handler back, the new one in. */
    union { __Reply__task_swap_exception_ports_t rep; char buf[1024]; } sw;
    CHECK(set(3415, EXC_MASK_BREAKPOINT, a, MACH_MSG_TYPE_MAKE_SEND, EXCEPTION_DEFAULT, THREAD_STATE_NONE, &sw) == 0 &&
              unpack(&sw, &h) == 0 && h.count == 1 && h.ports[0] == b && h.masks[0] == EXC_MASK_BREAKPOINT,
          "task_swap_exception_ports: b comes back for breakpoints");
    CHECK(get(EXC_MASK_BREAKPOINT, &h) == 0 && h.count == 1 && h.ports[0] == a, "and a handles them now");

    /* A forked child inherits the handlers. */
    long c = t_fork();
    if (c == 0) {
        struct handlers k;
        if (get(EXC_MASK_BAD_ACCESS, &k) || k.count != 1 || k.ports[0] == MACH_PORT_NULL) BSD(exit, 1);
        if (t_port_type(k.ports[0]) != MACH_PORT_TYPE_SEND) BSD(exit, 2);
        BSD(exit, 0);
    }
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0, "a forked child has its parent's handlers (a send right to a)");

    /* Clearing: MACH_PORT_NULL for every exception. */
    CHECK(set(3413, EXC_MASK_ALL, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, EXCEPTION_DEFAULT, 0, 0) == 0 &&
              get(EXC_MASK_ALL, &h) == 0 && h.count == 1 && h.ports[0] == MACH_PORT_NULL,
          "set to MACH_PORT_NULL: no handlers again");
    return t_done();
}
