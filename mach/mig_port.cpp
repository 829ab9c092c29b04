// The mach_port subsystem's routines (xnu osfmk/mach/mach_port.defs), over the calls the traps share
// (mach_port.cpp).
#include <algorithm>

#include "mig_server.hpp"

namespace mach::mig {

#define NEED_SPACE()                                  \
    Space* space = port_space(c.port);                \
    if (!space) return KERN_INVALID_TASK

namespace {

// The shape most mach_port routines share: a simple request of `size` bytes to a task port, a call on its
// space, and a reply carrying `out` (nothing when Out is void): status_call for a bare status, value_call
// for one out argument.
template <typename Fn>
kern_return_t status_call(MigCtx& c, uint32_t size, Fn fn) {
    if (!simple_request(c.req, size)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    if (kern_return_t kr = fn(space)) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

template <typename T, typename Fn>
kern_return_t value_call(MigCtx& c, uint32_t size, Fn fn) {
    if (!simple_request(c.req, size)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    T out{};
    if (kern_return_t kr = fn(space, &out)) return kr;
    c.reply = simple_reply(c, &out, sizeof out);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

}  // namespace

kern_return_t r_mach_port_type(MigCtx& c) {
    return value_call<uint32_t>(c, 36, [&](Space* sp, uint32_t* type) { return mp_type(sp, u32(c.req, 8), type); });
}

kern_return_t r_mach_port_allocate_name(MigCtx& c) {
    return status_call(c, 40, [&](Space* sp) {
        mach_port_name_t name = u32(c.req, 12);
        return mp_allocate_full(sp, u32(c.req, 8), true, &name);
    });
}

kern_return_t r_mach_port_allocate(MigCtx& c) {
    return value_call<mach_port_name_t>(c, 36, [&](Space* sp, mach_port_name_t* name) {
        return mp_allocate_full(sp, u32(c.req, 8), false, name);
    });
}

kern_return_t r_mach_port_destroy(MigCtx& c) {
    return status_call(c, 36, [&](Space* sp) { return mp_destroy(sp, u32(c.req, 8)); });
}

kern_return_t r_mach_port_deallocate(MigCtx& c) {
    return status_call(c, 36, [&](Space* sp) { return mp_deallocate(sp, u32(c.req, 8)); });
}

kern_return_t r_mach_port_get_refs(MigCtx& c) {
    return value_call<uint32_t>(c, 40, [&](Space* sp, uint32_t* refs) {
        return mp_get_refs(sp, u32(c.req, 8), u32(c.req, 12), refs);
    });
}

kern_return_t r_mach_port_mod_refs(MigCtx& c) {
    return status_call(c, 44, [&](Space* sp) {
        return mp_mod_refs(sp, u32(c.req, 8), u32(c.req, 12), int32_t(u32(c.req, 16)));
    });
}

kern_return_t r_mach_port_get_attributes(MigCtx& c) {
    if (!simple_request(c.req, 44)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    uint32_t count = std::min(u32(c.req, 16), kPortInfoMax);
    uint32_t info[kPortInfoMax] = {};
    kern_return_t kr = mp_get_attributes(space, u32(c.req, 8), int32_t(u32(c.req, 12)), info, &count);
    if (kr != KERN_SUCCESS) return kr;
    uint8_t payload[4 + sizeof info];
    memcpy(payload, &count, 4);
    memcpy(payload + 4, info, count * 4);
    c.reply = simple_reply(c, payload, 4 + count * 4);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_set_attributes(MigCtx& c) {
    Kmsg* req = c.req;
    uint32_t size = kmsg_user_size(req);
    if ((req->bits & MACH_MSGH_BITS_COMPLEX) || size < 44 || size > 44 + 4 * kPortInfoMax) return MIG_BAD_ARGUMENTS;
    uint32_t count = u32(req, 16);
    if (count > kPortInfoMax || size != 44 + 4 * count) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    uint32_t info[kPortInfoMax] = {};
    memcpy(info, req->body + 20, count * 4);
    kern_return_t kr = mp_set_attributes(space, u32(req, 8), int32_t(u32(req, 12)), info, count);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_insert_member(MigCtx& c) {
    return status_call(c, 40, [&](Space* sp) { return mp_insert_member(sp, u32(c.req, 8), u32(c.req, 12)); });
}

kern_return_t r_mach_port_extract_member(MigCtx& c) {
    return status_call(c, 40, [&](Space* sp) { return mp_extract_member(sp, u32(c.req, 8), u32(c.req, 12)); });
}

kern_return_t r_mach_port_get_context(MigCtx& c) {
    return value_call<uint64_t>(c, 36, [&](Space* sp, uint64_t* ctx) { return mp_get_context(sp, u32(c.req, 8), ctx); });
}

kern_return_t r_mach_port_set_context(MigCtx& c) {
    return status_call(c, 44, [&](Space* sp) { return mp_set_context(sp, u32(c.req, 8), u64(c.req, 12)); });
}

// Request: the header alone (a routine with no arguments has no NDR record).
kern_return_t r_mach_port_names(MigCtx& c) {
    if (!simple_request(c.req, 24)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    uint32_t n;
    kern_return_t kr = mp_names(space, nullptr, nullptr, &n);
    if (kr != KERN_SUCCESS) return kr;
    auto* names = static_cast<mach_port_name_t*>(n ? kalloc(n * 4) : nullptr);
    auto* types = static_cast<uint32_t*>(n ? kalloc(n * 4) : nullptr);
    if (n && (!names || !types)) {
        kfree(names), kfree(types);
        return KERN_RESOURCE_SHORTAGE;
    }
    mp_names(space, names, types, &n);
    // Reply: two out-of-line arrays, then NDR, namesCnt, typesCnt.
    Kmsg* r = new_reply(c.req, 2, 16);
    if (!r) {
        kfree(names), kfree(types);
        return KERN_RESOURCE_SHORTAGE;
    }
    reply_ool(r, 0, names, n * 4);
    reply_ool(r, 1, types, n * 4);
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &n, 4);
    memcpy(r->body + 12, &n, 4);
    c.reply = r;
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_get_set_status(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    mach_port_name_t name = u32(c.req, 8);
    uint32_t n;
    kern_return_t kr = mp_get_set_status(space, name, nullptr, &n);
    if (kr != KERN_SUCCESS) return kr;
    auto* members = static_cast<mach_port_name_t*>(n ? kalloc(n * 4) : nullptr);
    if (n && !members) return KERN_RESOURCE_SHORTAGE;
    mp_get_set_status(space, name, members, &n);
    Kmsg* r = new_reply(c.req, 1, 12);
    if (!r) {
        kfree(members);
        return KERN_RESOURCE_SHORTAGE;
    }
    reply_ool(r, 0, members, n * 4);
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &n, 4);
    c.reply = r;
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_set_mscount(MigCtx& c) {
    return status_call(c, 40, [&](Space* sp) { return mp_set_mscount(sp, u32(c.req, 8), u32(c.req, 12)); });
}

kern_return_t r_mach_port_get_srights(MigCtx& c) {
    return value_call<uint32_t>(c, 36, [&](Space* sp, uint32_t* n) { return mp_get_srights(sp, u32(c.req, 8), n); });
}

kern_return_t r_mach_port_move_member(MigCtx& c) {
    return status_call(c, 40, [&](Space* sp) { return mp_move_member(sp, u32(c.req, 8), u32(c.req, 12)); });
}

// Request: header, body, the notify port descriptor, NDR, name, msgid, sync (60 bytes); reply: the previous
// send-once right in a port descriptor.
kern_return_t r_mach_port_request_notification(MigCtx& c) {
    if (!complex_request(c.req, 60, 1)) return MIG_BAD_ARGUMENTS;
    KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR) return MIG_TYPE_ERROR;
    if (ip_valid(d.port) && d.disposition != MACH_MSG_TYPE_PORT_SEND_ONCE) return MIG_TYPE_ERROR;
    NEED_SPACE();
    int32_t msgid = int32_t(u32(c.req, 12));
    if (msgid == 0102 /* MACH_NOTIFY_SEND_POSSIBLE */)
        base::report_unimplemented(base::SysClass::Mach, 3213, "mach_port_request_notification(MACH_NOTIFY_SEND_POSSIBLE)");
    Port* prev = nullptr;
    kern_return_t kr = mp_request_notification(space, u32(c.req, 8), msgid, u32(c.req, 16), d.port, &prev);
    if (kr != KERN_SUCCESS) return kr;  // the notify right is destroyed with the request
    d.port = nullptr;
    return port_reply(c, prev, MACH_MSG_TYPE_PORT_SEND_ONCE);
}

// Request: header, body, the right's descriptor (any disposition), NDR, name (52 bytes).
kern_return_t r_mach_port_insert_right(MigCtx& c) {
    if (!complex_request(c.req, 52, 1)) return MIG_BAD_ARGUMENTS;
    KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR) return MIG_TYPE_ERROR;
    NEED_SPACE();
    kern_return_t kr = mp_insert_right(space, u32(c.req, 8), d.port, d.disposition);
    if (kr != KERN_SUCCESS) return kr;
    d.port = nullptr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_extract_right(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    Port* port;
    mach_msg_type_name_t type;
    kern_return_t kr = mp_extract_right(space, u32(c.req, 8), u32(c.req, 12), &port, &type);
    if (kr != KERN_SUCCESS) return kr;
    return port_reply(c, port, type);
}

// Request: header, body, the options out of line, NDR, context (60 bytes).
kern_return_t r_mach_port_construct(MigCtx& c) {
    if (!complex_request(c.req, 60, 1)) return MIG_BAD_ARGUMENTS;
    KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_OOL_DESCRIPTOR || d.count != sizeof(mach_port_options_t) || !d.data) return MIG_TYPE_ERROR;
    NEED_SPACE();
    mach_port_options_t options;
    memcpy(&options, d.data, sizeof options);
    mach_port_name_t name;
    kern_return_t kr = mp_construct(space, options, u64(c.req, 8), &name);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, &name, 4);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_destruct(MigCtx& c) {
    return status_call(c, 48, [&](Space* sp) {
        return mp_destruct(sp, u32(c.req, 8), int32_t(u32(c.req, 12)), u64(c.req, 16));
    });
}

kern_return_t r_mach_port_guard(MigCtx& c) {
    return status_call(c, 48, [&](Space* sp) { return mp_guard(sp, u32(c.req, 8), u64(c.req, 12), u32(c.req, 20) != 0); });
}

kern_return_t r_mach_port_unguard(MigCtx& c) {
    return status_call(c, 44, [&](Space* sp) { return mp_unguard(sp, u32(c.req, 8), u64(c.req, 12)); });
}

}  // namespace mach::mig

namespace mach::mig {

// mach_port_peek (ipc_mqueue_peek): the message with sequence number `request_seqnop` (0: the first queued) of
// a receive right's queue, left where it is: its sequence number, size, id and the trailer a receive with
// `trailer_type` would get (at most the audit trailer). Request: NDR, name, trailer_type, request_seqnop,
// trailer_infopCnt (48 bytes); reply: NDR, RetCode, request_seqnop, msg_sizep, msg_idp, trailer_infopCnt and
// the trailer, cut to its count.
kern_return_t r_mach_port_peek(MigCtx& c) {
    if (!simple_request(c.req, 48)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    const mach_port_name_t name = u32(c.req, 8);
    const uint32_t trailer_type = u32(c.req, 12);
    uint32_t seqno = u32(c.req, 16);
    const uint32_t room = std::min(u32(c.req, 20), MAX_TRAILER_SIZE);
    const uint32_t tsize = requested_trailer_size(trailer_type);
    if (rcv_trailer_elements(trailer_type) > MACH_RCV_TRAILER_AUDIT || tsize > room) return KERN_INVALID_VALUE;
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    Port* port;
    if (kern_return_t kr = port_translate_receive(space, name, &port)) return kr;
    if (space->task) mk_timer_fire_due(space->task);
    // The queued messages carry sequence numbers port->seqno, port->seqno + 1, ... in queue order.
    if (seqno == 0) seqno = port->seqno;
    if (seqno < port->seqno) return KERN_FAILURE;
    Kmsg* km = port->qhead;
    for (uint32_t i = port->seqno; km && i < seqno; i++) km = km->next;
    if (!km) return KERN_FAILURE;
    mach_msg_max_trailer_t tr{};
    tr.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
    tr.msgh_trailer_size = tsize;
    tr.msgh_seqno = seqno;
    tr.msgh_sender = km->sender;
    tr.msgh_audit = km->audit;
    uint8_t payload[16 + MAX_TRAILER_SIZE];
    const uint32_t size = kmsg_user_size(km);
    const int32_t id = km->id;
    memcpy(payload, &seqno, 4);
    memcpy(payload + 4, &size, 4);
    memcpy(payload + 8, &id, 4);
    memcpy(payload + 12, &tsize, 4);
    memcpy(payload + 16, &tr, tsize);
    c.reply = simple_reply(c, payload, 16 + ((tsize + 3) & ~3u));
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

}  // namespace mach::mig
