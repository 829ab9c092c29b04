/* mach_port_construct / mach_port_destruct (Mach traps 24, 25), mach_port_guard / unguard (41, 42) and the port
 * context (MIG mach_port_get_context / set_context): options (a send right made with the port, a queue limit,
 * the context as a guard, strict guards that hide the context), destruct with a send-reference delta and the
 * guard, and the guard violations: the non-fatal ones return an error, the fatal ones (destroying a guarded
 * port with the wrong guard, unguarding with the wrong guard) kill the process, checked in children.
 * Facts: xnu osfmk/ipc/mach_port.c (mach_port_construct, mach_port_destruct, mach_port_guard_locked,
 * mach_port_unguard_locked, mach_port_get_context, mach_port_set_context), osfmk/ipc/ipc_right.c
 * (ipc_right_destruct, ipc_right_delta), osfmk/mach/port.h (MPO_*, mach_port_guard_exception_codes,
 * MAX_FATAL_kGUARD_EXC_CODE), osfmk/ipc/ipc_policy.c (mach_port_guard_exception). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

static int get_context(unsigned name, unsigned long* ctx) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int ret; unsigned long ctx; } rep;
            char buf[128]; } m;
    memset(&m, 0, sizeof m);
    m.req.head.remote = t_task_self();
    m.req.head.id = 3228;
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    int r = t_mig_call(&m, sizeof m.req, sizeof m);
    if (r == 0) *ctx = m.rep.ctx;
    return r;
}
static int set_context(unsigned name, unsigned long ctx) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name; unsigned long ctx; } req;
            char buf[128]; } m;
    memset(&m, 0, sizeof m);
    m.req.head.remote = t_task_self();
    m.req.head.id = 3229;
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    m.req.ctx = ctx;
    return t_mig_call(&m, sizeof m.req, sizeof m);
}
static mach_port_status_t status(unsigned name) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0, sizeof s);
    MACH(port_get_attributes, t_task_self(), name, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return s;
}

static unsigned guarded_port(unsigned long guard, unsigned flags) {
    mach_port_options_t o;
    unsigned name = 0;
    memset(&o, 0, sizeof o);
    o.flags = MPO_CONTEXT_AS_GUARD | flags;
    MACH(port_construct, t_task_self(), &o, guard, &name);
    return name;
}
static int in_child(void (*fn)(void)) {
    long pid = t_fork();
    if (pid == 0) {
        /* A forked child has a Mach space of its own: the parent's cached names mean nothing there (libSystem's
         * fork handler resets mach_task_self_ the same way). */
        t_task_self_ = 0;
        t_mig_reply_ = 0;
        fn();
        t_exit(0);
    }
    int status = 0;
    BSD(wait4, pid, &status, 0, 0);
    return status;
}
static void destruct_wrong_guard(void) { MACH(port_destruct, t_task_self(), guarded_port(0x1111, 0), 0, 0x2222); }
static void mod_refs_guarded(void) { MACH(port_mod_refs, t_task_self(), guarded_port(0x1111, 0), MACH_PORT_RIGHT_RECEIVE, -1); }
static void unguard_wrong(void) { MACH(port_unguard, t_task_self(), guarded_port(0x1111, 0), 0x3333); }
static void unguard_unguarded(void) {
    unsigned p;
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &p);
    MACH(port_unguard, t_task_self(), p, 0);
}
static void set_context_strict(void) { set_context(guarded_port(0x1111, MPO_STRICT), 1); }
static void destruct_right(void) { MACH(port_destruct, t_task_self(), guarded_port(0x1111, 0), 0, 0x1111); }

int main(void) {
    unsigned task = (unsigned)MACH0(task_self);
    t_task_self_ = task;
    mach_port_options_t o;
    unsigned p = 0;

    /* Options. */
    memset(&o, 0, sizeof o);
    o.flags = MPO_INSERT_SEND_RIGHT | MPO_QLIMIT;
    o.mpl.mpl_qlimit = 9;
    CHECK(MACH(port_construct, task, &o, 0xabc, &p) == 0, "construct with MPO_INSERT_SEND_RIGHT | MPO_QLIMIT 9, context 0xabc");
    mach_port_status_t s = status(p);
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(p, MACH_PORT_RIGHT_SEND) == 1 && s.mps_mscount == 1,
          "a send right came with it (make-send count 1)");
    CHECK(s.mps_qlimit == 9 && !(s.mps_flags & MACH_PORT_STATUS_FLAG_GUARDED), "queue limit 9, not guarded");
    unsigned long ctx = 0;
    CHECK(get_context(p, &ctx) == 0 && ctx == 0xabc, "the context is 0xabc");
    CHECK(set_context(p, 0xdef) == 0 && get_context(p, &ctx) == 0 && ctx == 0xdef, "set_context 0xdef");
    o.mpl.mpl_qlimit = 1025;
    CHECK(MACH(port_construct, task, &o, 0, &p) == KERN_INVALID_VALUE, "queue limit 1025: KERN_INVALID_VALUE");
    CHECK(MACH(port_construct, task, BAD_PTR, 0, &p) == KERN_MEMORY_ERROR, "unreadable options: KERN_MEMORY_ERROR");
    o.flags = 0x1000 | 0x2000;
    CHECK(MACH(port_construct, task, &o, 0, &p) == KERN_INVALID_ARGUMENT, "two reply-port kinds: KERN_INVALID_ARGUMENT");

    /* Guards. */
    unsigned g = guarded_port(0x5555, 0);
    s = status(g);
    CHECK(g && (s.mps_flags & MACH_PORT_STATUS_FLAG_GUARDED) && !(s.mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD),
          "MPO_CONTEXT_AS_GUARD: guarded");
    CHECK(get_context(g, &ctx) == 0 && ctx == 0x5555, "the guard is the context");
    unsigned sg = guarded_port(0x6666, MPO_STRICT);
    CHECK(status(sg).mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD, "MPO_STRICT: strictly guarded");
    CHECK(get_context(sg, &ctx) == 0 && ctx == 0, "a strict guard hides the context (0)");
    CHECK(MACH(port_guard, task, g, 0x7777, 0) == KERN_INVALID_ARGUMENT, "guard an already guarded port: KERN_INVALID_ARGUMENT");
    CHECK(MACH(port_unguard, task, g, 0x5555) == 0 && !(status(g).mps_flags & MACH_PORT_STATUS_FLAG_GUARDED),
          "unguard with the right guard");
    CHECK(MACH(port_guard, task, g, 0x8888, 1) == 0 && (status(g).mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD),
          "guard it again, strictly");
    CHECK(MACH(port_guard, task, 0, 1, 0) == KERN_INVALID_NAME, "guard MACH_PORT_NULL: KERN_INVALID_NAME");
    CHECK(MACH(port_guard, task, task, 1, 0) == KERN_INVALID_RIGHT, "guard a send right: KERN_INVALID_RIGHT");

    /* Destruct. */
    memset(&o, 0, sizeof o);
    o.flags = MPO_INSERT_SEND_RIGHT;
    MACH(port_construct, task, &o, 0, &p);
    MACH(port_mod_refs, task, p, MACH_PORT_RIGHT_SEND, 2);
    CHECK(MACH(port_destruct, task, p, 1, 0) == KERN_INVALID_VALUE, "destruct with srdelta +1: KERN_INVALID_VALUE");
    CHECK(MACH(port_destruct, task, p, -4, 0) == KERN_INVALID_VALUE, "srdelta -4 of 3: KERN_INVALID_VALUE");
    CHECK(MACH(port_destruct, task, p, -1, 0) == 0, "destruct, srdelta -1");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_DEAD_NAME && t_refs(p, MACH_PORT_RIGHT_DEAD_NAME) == 2,
          "the port is gone; its 2 remaining send references are a dead name");
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    CHECK(MACH(port_destruct, task, p, -1, 0) == KERN_INVALID_RIGHT, "srdelta without a send right: KERN_INVALID_RIGHT");
    CHECK(MACH(port_destruct, task, p, 0, 0) == 0 && t_port_type(p) == 0, "srdelta 0: the receive right goes, the name too");
    CHECK(MACH(port_destruct, task, task, 0, 0) == KERN_INVALID_RIGHT, "destruct a send right: KERN_INVALID_RIGHT");
    CHECK(MACH(port_destruct, task, 0, 0, 0) == KERN_INVALID_NAME, "destruct MACH_PORT_NULL: KERN_INVALID_NAME");

    /* Fatal guard violations end the process (checked in children). */
    CHECK(in_child(destruct_right) == 0, "destruct with the right guard: fine");
    CHECK((in_child(destruct_wrong_guard) & 0x7f) == 9, "destruct a guarded port with the wrong guard: killed (kGUARD_EXC_DESTROY)");
    CHECK((in_child(mod_refs_guarded) & 0x7f) == 9, "mod_refs -1 on a guarded receive right: killed");
    CHECK((in_child(unguard_wrong) & 0x7f) == 9, "unguard with the wrong guard: killed (kGUARD_EXC_INCORRECT_GUARD)");
    CHECK((in_child(unguard_unguarded) & 0x7f) == 9, "unguard an unguarded port: killed (kGUARD_EXC_UNGUARDED)");
    CHECK((in_child(set_context_strict) & 0x7f) == 9, "set_context on a strictly guarded port: killed (kGUARD_EXC_SET_CONTEXT)");
    return t_done();
}
