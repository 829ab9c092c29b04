// The mach_port subsystem's routines (xnu osfmk/mach/mach_port.defs), over the calls the traps share
// (mach_port.cpp).
#include <algorithm>

#include "mig_server.hpp"

namespace mach::mig {

#define NEED_SPACE()                                  \
    Space* space = port_space(c.port);                \
    if (!space) return KERN_INVALID_TASK

kern_return_t r_mach_port_type(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    uint32_t type;
    kern_return_t kr = mp_type(space, u32(c.req, 8), &type);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, &type, 4);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_allocate_name(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    mach_port_name_t name = u32(c.req, 12);
    kern_return_t kr = mp_allocate_full(space, u32(c.req, 8), true, &name);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_allocate(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    mach_port_name_t name;
    kern_return_t kr = mp_allocate_full(space, u32(c.req, 8), false, &name);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, &name, 4);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_destroy(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    kern_return_t kr = mp_destroy(space, u32(c.req, 8));
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_deallocate(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    kern_return_t kr = mp_deallocate(space, u32(c.req, 8));
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_get_refs(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    uint32_t refs;
    kern_return_t kr = mp_get_refs(space, u32(c.req, 8), u32(c.req, 12), &refs);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, &refs, 4);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_mod_refs(MigCtx& c) {
    if (!simple_request(c.req, 44)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    kern_return_t kr = mp_mod_refs(space, u32(c.req, 8), u32(c.req, 12), int32_t(u32(c.req, 16)));
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
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
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    kern_return_t kr = mp_insert_member(space, u32(c.req, 8), u32(c.req, 12));
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_extract_member(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    kern_return_t kr = mp_extract_member(space, u32(c.req, 8), u32(c.req, 12));
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_get_context(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    uint64_t ctx;
    kern_return_t kr = mp_get_context(space, u32(c.req, 8), &ctx);
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, &ctx, 8);
    return KERN_SUCCESS;
}

kern_return_t r_mach_port_set_context(MigCtx& c) {
    if (!simple_request(c.req, 44)) return MIG_BAD_ARGUMENTS;
    NEED_SPACE();
    kern_return_t kr = mp_set_context(space, u32(c.req, 8), u64(c.req, 12));
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

}  // namespace mach::mig
