/* The mach_port subsystem as MIG messages to the task port (what libsystem_kernel sends for the calls that have
 * no trap): mach_port_names, get_set_status, move_member, set_mscount, get_srights, insert_right,
 * extract_right, request_notification, construct, destruct, guard, unguard. Requests and replies use the
 * SDK's own MIG structs (__Request__*_t, __Reply__*_t from <mach/mach_port.h>), so the layouts checked are
 * Apple's. Arrays come back out of line, mapped into the caller. Every routine's error paths, and a request of
 * the wrong size (MIG_BAD_ARGUMENTS, as every MIG server checks msgh_size).
 * Facts: xnu osfmk/mach/mach_port.defs (routine order: ids 3200 + n), osfmk/ipc/mach_port.c (mach_port_names,
 * mach_port_get_set_status, mach_port_move_member, mach_port_set_mscount, mach_port_get_srights,
 * mach_port_insert_right, mach_port_extract_right, mach_port_request_notification, mach_port_construct,
 * mach_port_destruct, mach_port_guard, mach_port_unguard), osfmk/mach/mig_errors.h. */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>

_Static_assert(sizeof(__Request__mach_port_names_t) == 24, "names request: the header alone (no arguments, no NDR)");
_Static_assert(sizeof(__Reply__mach_port_names_t) == 76, "names reply: two OOL descriptors, NDR, two counts");
_Static_assert(sizeof(__Request__mach_port_request_notification_t) == 60, "request_notification request");
_Static_assert(sizeof(__Request__mach_port_insert_right_t) == 52, "insert_right request");
_Static_assert(sizeof(__Reply__mach_port_extract_right_t) == 40, "extract_right reply: a port descriptor");
_Static_assert(sizeof(__Request__mach_port_construct_t) == 60, "construct request: options out of line");

static unsigned task;

/* Zeroes the message and sets the request's NDR record (a request with no arguments has none). */
#define SIMPLE(m, id) (memset(&(m), 0, sizeof(m)), T_NDR((m).req.NDR), 0)
#define BARE(m) memset(&(m), 0, sizeof(m))
#define call(m, id, size, room) t_mig_to(m, task, id, size, room)

static int names(mach_port_name_t** nv, mach_port_type_t** tv, unsigned* count) {
    union { __Request__mach_port_names_t req; __Reply__mach_port_names_t rep; char buf[256]; } m;
    BARE(m);
    int r = call(&m, 3200, sizeof m.req, sizeof m);
    if (r) return r;
    if (!(m.rep.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || m.rep.Head.msgh_size != sizeof m.rep ||
        m.rep.msgh_body.msgh_descriptor_count != 2)
        return -1;
    if (m.rep.names.type != MACH_MSG_OOL_DESCRIPTOR || m.rep.types.type != MACH_MSG_OOL_DESCRIPTOR) return -2;
    if (m.rep.namesCnt != m.rep.typesCnt || m.rep.names.size != m.rep.namesCnt * 4) return -3;
    *nv = m.rep.names.address;
    *tv = m.rep.types.address;
    *count = m.rep.namesCnt;
    return 0;
}

/* The type mach_port_names reports for `name`, or 0 if the name is not listed. */
static mach_port_type_t listed(unsigned name) {
    mach_port_name_t* nv;
    mach_port_type_t* tv;
    unsigned n, i;
    mach_port_type_t t = 0;
    if (names(&nv, &tv, &n)) return ~0u;
    for (i = 0; i < n; i++)
        if (nv[i] == name) t = tv[i];
    MACH(vm_deallocate, task, (long)nv, n * 4);
    MACH(vm_deallocate, task, (long)tv, n * 4);
    return t;
}

static int set_status(unsigned set, mach_port_name_t* out, unsigned* count) {
    union { __Request__mach_port_get_set_status_t req; __Reply__mach_port_get_set_status_t rep; char buf[256]; } m;
    SIMPLE(m, 0);
    m.req.name = set;
    int r = call(&m, 3211, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.members.type != MACH_MSG_OOL_DESCRIPTOR) return -1;
    *count = m.rep.membersCnt;
    if (m.rep.membersCnt) {
        memcpy(out, m.rep.members.address, m.rep.membersCnt * 4);
        MACH(vm_deallocate, task, (long)m.rep.members.address, m.rep.membersCnt * 4);
    }
    return 0;
}

static int has(const mach_port_name_t* v, unsigned n, unsigned name) {
    for (unsigned i = 0; i < n; i++)
        if (v[i] == name) return 1;
    return 0;
}

static int move_member(unsigned member, unsigned after) {
    union { __Request__mach_port_move_member_t req; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.member = member;
    m.req.after = after;
    return call(&m, 3212, sizeof m.req, sizeof m);
}

static int set_mscount(unsigned name, unsigned mscount) {
    union { __Request__mach_port_set_mscount_t req; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    m.req.mscount = mscount;
    return call(&m, 3210, sizeof m.req, sizeof m);
}

static int get_srights(unsigned name, unsigned* srights) {
    union { __Request__mach_port_get_srights_t req; __Reply__mach_port_get_srights_t rep; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    int r = call(&m, 3222, sizeof m.req, sizeof m);
    if (r == 0) *srights = m.rep.srights;
    return r;
}

static int insert_right(unsigned name, unsigned poly, unsigned disposition) {
    union { __Request__mach_port_insert_right_t req; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.msgh_body.msgh_descriptor_count = 1;
    m.req.poly.name = poly;
    m.req.poly.disposition = disposition;
    m.req.poly.type = MACH_MSG_PORT_DESCRIPTOR;
    m.req.name = name;
    return call(&m, 3214, sizeof m.req, sizeof m);
}

static int extract_right(unsigned name, unsigned msgt, unsigned* out, unsigned* disposition) {
    union { __Request__mach_port_extract_right_t req; __Reply__mach_port_extract_right_t rep; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    m.req.msgt_name = msgt;
    int r = call(&m, 3215, sizeof m.req, sizeof m);
    if (r) return r;
    if (!(m.rep.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || m.rep.Head.msgh_size != sizeof m.rep ||
        m.rep.poly.type != MACH_MSG_PORT_DESCRIPTOR)
        return -1;
    *out = m.rep.poly.name;
    *disposition = m.rep.poly.disposition;
    return 0;
}

static int request_notification(unsigned name, int msgid, unsigned sync, unsigned notify, unsigned poly,
                                unsigned* previous) {
    union { __Request__mach_port_request_notification_t req; __Reply__mach_port_request_notification_t rep;
            char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.msgh_body.msgh_descriptor_count = 1;
    m.req.notify.name = notify;
    m.req.notify.disposition = poly;
    m.req.notify.type = MACH_MSG_PORT_DESCRIPTOR;
    m.req.name = name;
    m.req.msgid = msgid;
    m.req.sync = sync;
    int r = call(&m, 3213, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.previous.type != MACH_MSG_PORT_DESCRIPTOR) return -1;
    *previous = m.rep.previous.name;
    return 0;
}

static int construct(mach_port_options_t* o, unsigned long context, unsigned* name) {
    union { __Request__mach_port_construct_t req; __Reply__mach_port_construct_t rep; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.msgh_body.msgh_descriptor_count = 1;
    m.req.options.address = o;
    m.req.options.size = sizeof *o;
    m.req.options.deallocate = 0;
    m.req.options.copy = MACH_MSG_VIRTUAL_COPY;
    m.req.options.type = MACH_MSG_OOL_DESCRIPTOR;
    m.req.context = context;
    int r = call(&m, 3231, sizeof m.req, sizeof m);
    if (r == 0) *name = m.rep.name;
    return r;
}

static int destruct(unsigned name, int srdelta, unsigned long guard) {
    union { __Request__mach_port_destruct_t req; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    m.req.srdelta = srdelta;
    m.req.guard = guard;
    return call(&m, 3232, sizeof m.req, sizeof m);
}

static int guard(unsigned name, unsigned long g, int strict) {
    union { __Request__mach_port_guard_t req; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    m.req.guard = g;
    m.req.strict = strict;
    return call(&m, 3233, sizeof m.req, sizeof m);
}

static int unguard(unsigned name, unsigned long g) {
    union { __Request__mach_port_unguard_t req; char buf[128]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    m.req.guard = g;
    return call(&m, 3234, sizeof m.req, sizeof m);
}

static int peek(unsigned name, unsigned type, unsigned* seqno, unsigned* size, int* id, unsigned char* trailer,
                unsigned* count) {
    union { __Request__mach_port_peek_t req; __Reply__mach_port_peek_t rep; char buf[256]; } m;
    SIMPLE(m, 0);
    m.req.name = name;
    m.req.trailer_type = type;
    m.req.request_seqnop = *seqno;
    m.req.trailer_infopCnt = *count;
    int r = call(&m, 3209, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep - 68 + ((m.rep.trailer_infopCnt + 3) & ~3u)) return -1;
    *seqno = m.rep.request_seqnop;
    *size = m.rep.msg_sizep;
    *id = m.rep.msg_idp;
    *count = m.rep.trailer_infopCnt;
    memcpy(trailer, m.rep.trailer_infop, *count);
    return 0;
}

static mach_port_status_t status(unsigned name) {
    mach_port_status_t s;
    unsigned count = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0xff, sizeof s);
    MACH(port_get_attributes, task, name, MACH_PORT_RECEIVE_STATUS, &s, &count);
    return s;
}

int main(void) {
    task = t_task_self();
    unsigned r1, r2, r3, s1, s2;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &r1);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &r2);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &r3);
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &s1);
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &s2);

    /* mach_port_names */
    mach_port_name_t* nv;
    mach_port_type_t* tv;
    unsigned n;
    CHECK(names(&nv, &tv, &n) == 0, "mach_port_names: two out-of-line arrays, counts agree with the sizes");
    CHECK(has(nv, n, r1) && has(nv, n, s1) && has(nv, n, task), "the receive rights, the set and the task port are listed");
    int types_ok = 1;
    for (unsigned i = 0; i < n; i++) {
        mach_port_type_t t;
        t_mach_port_type(task, nv[i], &t);
        if (t != tv[i]) types_ok = 0;
    }
    CHECK(types_ok, "each type is what mach_port_type says of that name");
    CHECK(MACH(vm_deallocate, task, (long)nv, n * 4) == 0 && MACH(vm_deallocate, task, (long)tv, n * 4) == 0,
          "the arrays are the caller's memory to deallocate");
    CHECK(listed(r1) == MACH_PORT_TYPE_RECEIVE && listed(s1) == MACH_PORT_TYPE_PORT_SET, "receive and port-set types");
    unsigned dead;
    MACH(port_allocate, task, MACH_PORT_RIGHT_DEAD_NAME, &dead);
    CHECK(listed(dead) == MACH_PORT_TYPE_DEAD_NAME, "a dead name is listed as one");
    MACH(port_deallocate, task, dead);
    CHECK(listed(dead) == 0, "a deallocated name is no longer listed");
    {
        union { __Request__mach_port_names_t req; char buf[256]; } m;
        BARE(m);
        CHECK(call(&m, 3200, sizeof m.req + 4, sizeof m) == MIG_BAD_ARGUMENTS, "a request 4 bytes too long: MIG_BAD_ARGUMENTS");
    }

    /* mach_port_get_set_status and mach_port_move_member */
    mach_port_name_t members[16];
    unsigned count = 99;
    CHECK(set_status(s1, members, &count) == 0 && count == 0, "an empty set: no members");
    MACH(port_insert_member, task, r1, s1);
    MACH(port_insert_member, task, r2, s1);
    CHECK(set_status(s1, members, &count) == 0 && count == 2 && has(members, 2, r1) && has(members, 2, r2),
          "two members, by their receive-right names");
    CHECK(set_status(r1, members, &count) == KERN_INVALID_RIGHT, "get_set_status of a port: KERN_INVALID_RIGHT");
    CHECK(set_status(0x7777703, members, &count) == KERN_INVALID_NAME, "of an unknown name: KERN_INVALID_NAME");
    CHECK(set_status(MACH_PORT_NULL, members, &count) == KERN_INVALID_RIGHT, "of MACH_PORT_NULL: KERN_INVALID_RIGHT");
    CHECK(move_member(r1, s2) == 0, "move_member(r1, s2)");
    CHECK(set_status(s1, members, &count) == 0 && count == 1 && members[0] == r2, "s1 keeps r2 only");
    CHECK(set_status(s2, members, &count) == 0 && count == 1 && members[0] == r1, "s2 holds r1");
    CHECK(move_member(r1, MACH_PORT_NULL) == 0 && set_status(s2, members, &count) == 0 && count == 0,
          "move_member(r1, MACH_PORT_NULL) takes it out of every set");
    CHECK(move_member(r1, r2) == KERN_INVALID_RIGHT, "moving into a port (not a set): KERN_INVALID_RIGHT");
    CHECK(move_member(s1, s2) == KERN_INVALID_RIGHT, "moving a set: KERN_INVALID_RIGHT");
    CHECK(move_member(0x7777703, s2) == KERN_INVALID_NAME, "moving an unknown name: KERN_INVALID_NAME");

    /* insert_right, extract_right, set_mscount, get_srights */
    unsigned sr = 99;
    CHECK(get_srights(r1, &sr) == 0 && sr == 0, "get_srights: no send rights yet");
    CHECK(insert_right(r1, r1, MACH_MSG_TYPE_MAKE_SEND) == 0, "insert_right(MAKE_SEND) by MIG");
    CHECK(t_port_type(r1) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(r1, MACH_PORT_RIGHT_SEND) == 1, "send+receive, 1 reference");
    CHECK(get_srights(r1, &sr) == 0 && sr == 1 && status(r1).mps_mscount == 1, "one send right, make-send count 1");
    CHECK(insert_right(0x50003, r1, MACH_MSG_TYPE_COPY_SEND) == KERN_RIGHT_EXISTS,
          "the send right under another name: KERN_RIGHT_EXISTS");
    CHECK(t_refs(r1, MACH_PORT_RIGHT_SEND) == 1 && t_port_type(0x50003) == 0, "and the copied right was destroyed");
    CHECK(insert_right(r2, r1, 99) == MACH_SEND_INVALID_RIGHT, "a bad disposition fails when the request is sent");
    {
        /* The send-once reply right made for that request was destroyed with it: its port gets a send-once
           notification, which must not be taken for the next reply. */
        struct { mach_send_once_notification_t n; mach_msg_trailer_t t; char pad[64]; } so;
        memset(&so, 0, sizeof so);
        CHECK(t_mach_msg(&so, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof so, t_mig_reply_, 0) == 0 &&
                  so.n.not_header.msgh_id == MACH_NOTIFY_SEND_ONCE,
              "the reply port receives a send-once notification");
    }
    CHECK(get_srights(r2, &sr) == 0 && sr == 0, "nothing reached r2");
    CHECK(get_srights(task, &sr) == KERN_INVALID_RIGHT, "get_srights of a send right: KERN_INVALID_RIGHT");
    CHECK(get_srights(MACH_PORT_NULL, &sr) == KERN_INVALID_RIGHT, "get_srights(MACH_PORT_NULL): KERN_INVALID_RIGHT");

    unsigned got, disp;
    CHECK(extract_right(r1, MACH_MSG_TYPE_COPY_SEND, &got, &disp) == 0 && got == r1 && disp == MACH_MSG_TYPE_PORT_SEND,
          "extract_right(COPY_SEND): a send right, copied back out under the same name");
    CHECK(t_refs(r1, MACH_PORT_RIGHT_SEND) == 2 && get_srights(r1, &sr) == 0 && sr == 1,
          "2 user references, still one send right (one entry holds it)");
    CHECK(extract_right(r1, MACH_MSG_TYPE_MAKE_SEND_ONCE, &got, &disp) == 0 && got != r1 &&
          disp == MACH_MSG_TYPE_PORT_SEND_ONCE && t_port_type(got) == MACH_PORT_TYPE_SEND_ONCE,
          "extract_right(MAKE_SEND_ONCE): a send-once right under a new name");
    CHECK(status(r1).mps_sorights == 1, "the port counts it");
    MACH(port_deallocate, task, got);
    CHECK(extract_right(r1, 15, &got, &disp) == KERN_INVALID_VALUE, "a disposition that is no right: KERN_INVALID_VALUE");
    CHECK(extract_right(0x7777703, MACH_MSG_TYPE_COPY_SEND, &got, &disp) == KERN_INVALID_NAME,
          "an unknown name: KERN_INVALID_NAME");
    CHECK(extract_right(MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, &got, &disp) == KERN_INVALID_RIGHT,
          "MACH_PORT_NULL: KERN_INVALID_RIGHT");
    CHECK(extract_right(r2, MACH_MSG_TYPE_COPY_SEND, &got, &disp) == KERN_INVALID_RIGHT,
          "COPY_SEND of a receive right without send rights: KERN_INVALID_RIGHT");

    CHECK(set_mscount(r1, 7) == 0 && status(r1).mps_mscount == 7, "set_mscount(7): the status says 7");
    CHECK(set_mscount(task, 1) == KERN_INVALID_RIGHT, "set_mscount of a send right: KERN_INVALID_RIGHT");
    CHECK(set_mscount(0x7777703, 1) == KERN_INVALID_NAME, "set_mscount of an unknown name: KERN_INVALID_NAME");

    /* request_notification by MIG: the previous request comes back in the reply; a no-senders request fires;
       a failed request destroys the send-once right it carried (which notifies its port). */
    unsigned notify, prev = 77, r4;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &r4);
    CHECK(request_notification(r4, MACH_NOTIFY_NO_SENDERS, 1, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == 0 &&
              prev == MACH_PORT_NULL,
          "no-senders request on r4 (sync 1, above its make-send count: not fired yet), no previous request");
    CHECK(status(notify).mps_sorights == 1, "r4 holds a send-once right to the notify port");
    CHECK(request_notification(r4, MACH_NOTIFY_NO_SENDERS, 1, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == 0 &&
              prev != MACH_PORT_NULL && t_port_type(prev) == MACH_PORT_TYPE_SEND_ONCE,
          "a second one: the previous send-once right comes back in the reply");
    CHECK(status(notify).mps_sorights == 2, "two send-once rights now: r4's and the returned one");
    MACH(port_deallocate, task, prev);  /* sends a send-once notification */
    struct { mach_send_once_notification_t n; mach_msg_trailer_t t; char pad[64]; } so;
    memset(&so, 0, sizeof so);
    CHECK(t_mach_msg(&so, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof so, notify, 0) == 0 &&
              so.n.not_header.msgh_id == MACH_NOTIFY_SEND_ONCE,
          "deallocating the returned right: a send-once notification");
    CHECK(request_notification(r4, MACH_NOTIFY_PORT_DESTROYED, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == 0 &&
              prev == MACH_PORT_NULL,
          "port-destroyed request on r4");
    CHECK(request_notification(r4, 0177, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_INVALID_VALUE,
          "an unknown notification id: KERN_INVALID_VALUE");
    memset(&so, 0, sizeof so);
    CHECK(t_mach_msg(&so, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof so, notify, 0) == 0 &&
              so.n.not_header.msgh_id == MACH_NOTIFY_SEND_ONCE,
          "the failed request's send-once right was destroyed: a send-once notification");
    CHECK(request_notification(0x7777703, MACH_NOTIFY_NO_SENDERS, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) ==
              KERN_INVALID_NAME,
          "a request on an unknown name: KERN_INVALID_NAME");
    memset(&so, 0, sizeof so);
    t_mach_msg(&so, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof so, notify, 0);
    CHECK(status(notify).mps_sorights == 2, "after its notification is received: r4's two requests hold the rest");

    MACH(port_insert_right, task, r3, r3, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(request_notification(r3, MACH_NOTIFY_NO_SENDERS, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == 0,
          "no-senders request on r3, which has a send right");
    CHECK(MACH(port_mod_refs, task, r3, MACH_PORT_RIGHT_SEND, -1) == 0, "the last send right goes");
    struct { mach_no_senders_notification_t n; mach_msg_trailer_t t; char pad[64]; } ns;
    memset(&ns, 0, sizeof ns);
    CHECK(t_mach_msg(&ns, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof ns, notify, 0) == 0 &&
              ns.n.not_header.msgh_id == MACH_NOTIFY_NO_SENDERS && ns.n.not_count == 1,
          "the no-senders notification arrives, make-send count 1");

    /* mach_port_peek: look at queued messages without taking them. */
    {
        unsigned q;
        MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &q);
        unsigned sq = 0, sz = 0, cnt = 68;
        int id = 0;
        unsigned char tr[68];
        CHECK(peek(q, 0, &sq, &sz, &id, tr, &cnt) == KERN_FAILURE, "peek at an empty queue: KERN_FAILURE");
        for (int i = 0; i < 3; i++) {
            struct { mach_msg_header_t h; int pad[2]; } m;
            memset(&m, 0, sizeof m);
            m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
            m.h.msgh_size = sizeof m;
            m.h.msgh_remote_port = q;
            m.h.msgh_id = 11 + i;
            t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
        }
        unsigned base = status(q).mps_seqno;
        sq = 0, cnt = 68;
        CHECK(peek(q, 0, &sq, &sz, &id, tr, &cnt) == 0 && sq == base && id == 11 && sz == 32 && cnt == 8,
              "seqno 0: the first message (its seqno, size, id) with the minimal trailer");
        sq = base + 2, cnt = 68;
        CHECK(peek(q, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), &sq, &sz, &id, tr, &cnt) == 0 && id == 13 &&
                  cnt == sizeof(mach_msg_audit_trailer_t) &&
                  ((mach_msg_audit_trailer_t*)tr)->msgh_audit.val[5] == (unsigned)BSD0(getpid).val &&
                  ((mach_msg_audit_trailer_t*)tr)->msgh_seqno == base + 2,
              "by seqno, with the audit trailer");
        sq = base + 3, cnt = 68;
        CHECK(peek(q, 0, &sq, &sz, &id, tr, &cnt) == KERN_FAILURE, "past the last one: KERN_FAILURE");
        sq = 0, cnt = 68;
        CHECK(peek(q, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX), &sq, &sz, &id, tr, &cnt) == KERN_INVALID_VALUE,
              "a trailer beyond the audit one: KERN_INVALID_VALUE");
        sq = 0, cnt = 20;
        CHECK(peek(q, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), &sq, &sz, &id, tr, &cnt) == KERN_INVALID_VALUE,
              "no room for the trailer asked for: KERN_INVALID_VALUE");
        sq = 0, cnt = 68;
        CHECK(peek(task, 0, &sq, &sz, &id, tr, &cnt) == KERN_INVALID_RIGHT, "a send right: KERN_INVALID_RIGHT");
        struct { mach_msg_header_t h; int pad[2]; mach_msg_trailer_t t; } r;
        t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, q, 0);
        sq = 0, cnt = 68;
        CHECK(r.h.msgh_id == 11 && peek(q, 0, &sq, &sz, &id, tr, &cnt) == 0 && id == 12 && sq == base + 1,
              "the queue was left as it was: the first receive takes 11, then 12 is first");
    }

    /* construct and destruct, guard and unguard */
    mach_port_options_t o;
    memset(&o, 0, sizeof o);
    o.flags = MPO_INSERT_SEND_RIGHT | MPO_CONTEXT_AS_GUARD | MPO_QLIMIT;
    o.mpl.mpl_qlimit = 9;
    unsigned c;
    CHECK(construct(&o, 0x1234, &c) == 0, "mach_port_construct by MIG, the options out of line");
    CHECK(t_port_type(c) == MACH_PORT_TYPE_SEND_RECEIVE && status(c).mps_qlimit == 9,
          "a receive right with a send right, queue limit 9");
    CHECK(destruct(c, -1, 0x1234) == 0 && t_port_type(c) == 0, "destruct with the guard and srdelta -1: gone");
    o.flags = 0;
    CHECK(construct(&o, 0, &c) == 0 && t_port_type(c) == MACH_PORT_TYPE_RECEIVE, "no flags: a bare receive right");
    CHECK(guard(c, 0x99, 0) == 0, "guard");
    CHECK(guard(c, 0x98, 0) == KERN_INVALID_ARGUMENT, "guarding a guarded port: KERN_INVALID_ARGUMENT");
    CHECK(unguard(c, 0x99) == 0, "unguard with the guard");
    CHECK(guard(task, 1, 0) == KERN_INVALID_RIGHT, "guarding a send right: KERN_INVALID_RIGHT");
    CHECK(destruct(c, 0, 0) == 0 && t_port_type(c) == 0, "destruct of an unguarded port");
    CHECK(destruct(0x7777703, 0, 0) == KERN_INVALID_NAME, "destruct of an unknown name: KERN_INVALID_NAME");
    return t_done();
}
