// The mach_vm subsystem's routines (xnu osfmk/mach/mach_vm.defs, base 4800), over the operations of vm.cpp.
// They act on the caller's own task; the target is the task port the request was sent to. The IPC lock is
// let go while memory is touched (the calls run as the calling thread, which may block or fault).
#include <algorithm>

#include "mig_server.hpp"
#include "vm.hpp"

namespace mach::mig {

namespace {

constexpr int VM_REGION_BASIC_INFO_64 = 9, VM_REGION_BASIC_INFO = 10;
constexpr int32_t VM_PROT_ALL = 7;
constexpr int VM_INHERIT_COPY = 1, VM_INHERIT_SHARE = 0;
constexpr uint32_t kRegionInfoMax = 10;  // the reply's info array (vm_region_info_t in mach_vm.defs)

// vm_region_basic_info_64 and vm_region_basic_info (osfmk/mach/vm_region.h, #pragma pack(4)).
struct __attribute__((packed, aligned(4))) region_basic_info_64_t {
    int32_t protection, max_protection;
    uint32_t inheritance, shared, reserved;
    uint64_t offset;
    int32_t behavior;
    uint16_t user_wired_count;
};
static_assert(sizeof(region_basic_info_64_t) == 36 && offsetof(region_basic_info_64_t, offset) == 20);
struct __attribute__((packed, aligned(4))) region_basic_info_t {
    int32_t protection, max_protection;
    uint32_t inheritance, shared, reserved, offset;
    int32_t behavior;
    uint16_t user_wired_count;
};
static_assert(sizeof(region_basic_info_t) == 32);

// The task the request names must be the caller's (macrun's VM calls reach only the calling process).
kern_return_t own_task(MigCtx& c) {
    Task* target = port_task(c.port);
    if (!target) return KERN_INVALID_ARGUMENT;
    if (target != c.task) {
        base::report_unimplemented(base::SysClass::Mach, 4800, "mach_vm routines on another task");
        return KERN_INVALID_ARGUMENT;
    }
    return KERN_SUCCESS;
}

// Runs `fn` with the IPC lock let go.
template <typename Fn>
kern_return_t unlocked(MigCtx& c, Fn fn) {
    c.lock.release();
    kern_return_t kr = fn(c.lock.thread());
    c.lock.reacquire();
    return kr;
}

kern_return_t status_reply(MigCtx& c, kern_return_t kr) {
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, nullptr, 0);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t address_reply(MigCtx& c, kern_return_t kr, uint64_t address) {
    if (kr != KERN_SUCCESS) return kr;
    c.reply = simple_reply(c, &address, 8);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

}  // namespace

// Request: NDR, address, size, flags (52 bytes); reply: the address.
kern_return_t r_mach_vm_allocate(MigCtx& c) {
    if (!simple_request(c.req, 52)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8), size = u64(c.req, 16);
    int32_t flags = int32_t(u32(c.req, 24));
    kern_return_t kr = unlocked(c, [&](Thread& t) { return vm_allocate(t, &addr, size, flags); });
    return address_reply(c, kr, addr);
}

kern_return_t r_mach_vm_deallocate(MigCtx& c) {
    if (!simple_request(c.req, 48)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8), size = u64(c.req, 16);
    return status_reply(c, unlocked(c, [&](Thread& t) { return vm_deallocate(t, addr, size); }));
}

kern_return_t r_mach_vm_protect(MigCtx& c) {
    if (!simple_request(c.req, 56)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8), size = u64(c.req, 16);
    bool set_max = u32(c.req, 24) != 0;
    uint32_t prot = u32(c.req, 28);
    return status_reply(c, unlocked(c, [&](Thread& t) { return vm_protect(t, addr, size, set_max, prot); }));
}

// Reply: the bytes out of line (a virtual copy keeping the source's offset in its page), NDR, the count.
kern_return_t r_mach_vm_read(MigCtx& c) {
    if (!simple_request(c.req, 48)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8), size = u64(c.req, 16);
    if (size > UINT32_MAX) return KERN_INVALID_ARGUMENT;  // the count is a mach_msg_type_number_t
    uint8_t* data = nullptr;
    kern_return_t kr = unlocked(c, [&](Thread& t) { return vm_read(t, addr, size, &data); });
    if (kr != KERN_SUCCESS) return kr;
    Kmsg* r = new_reply(c.req, 1, 12);
    if (!r) {
        kfree(data);
        return KERN_RESOURCE_SHORTAGE;
    }
    reply_ool(r, 0, data, uint32_t(size));
    r->descs[0].uaddr = addr;
    uint32_t count = uint32_t(size);
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &count, 4);
    c.reply = r;
    return KERN_SUCCESS;
}

// Request: header, body, the data out of line, NDR, address, dataCnt (64 bytes).
kern_return_t r_mach_vm_write(MigCtx& c) {
    if (!complex_request(c.req, 64, 1)) return MIG_BAD_ARGUMENTS;
    const KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_OOL_DESCRIPTOR || d.count != u32(c.req, 16)) return MIG_TYPE_ERROR;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8);
    return status_reply(c, unlocked(c, [&](Thread& t) { return vm_write(t, addr, d.data, d.count); }));
}

kern_return_t r_mach_vm_copy(MigCtx& c) {
    if (!simple_request(c.req, 56)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t src = u64(c.req, 8), size = u64(c.req, 16), dst = u64(c.req, 24);
    return status_reply(c, unlocked(c, [&](Thread& t) { return vm_copy(t, src, size, dst); }));
}

// Reply: how many bytes were copied.
kern_return_t r_mach_vm_read_overwrite(MigCtx& c) {
    if (!simple_request(c.req, 56)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t src = u64(c.req, 8), size = u64(c.req, 16), dst = u64(c.req, 24);
    kern_return_t kr = unlocked(c, [&](Thread& t) { return vm_copy(t, src, size, dst); });
    return address_reply(c, kr, size);
}

// Request: header, body, the memory object's descriptor, NDR, address, size, mask, flags, offset, copy,
// cur_protection, max_protection, inheritance (100 bytes). Only anonymous memory (a null object).
kern_return_t r_mach_vm_map(MigCtx& c) {
    if (!complex_request(c.req, 100, 1)) return MIG_BAD_ARGUMENTS;
    const KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR) return MIG_TYPE_ERROR;
    if (kern_return_t kr = own_task(c)) return kr;
    if (ip_valid(d.port)) {
        base::report_unimplemented(base::SysClass::Mach, 4811, "mach_vm_map of a memory object");
        return KERN_INVALID_ARGUMENT;
    }
    uint64_t addr = u64(c.req, 8), size = u64(c.req, 16), mask = u64(c.req, 24);
    int32_t flags = int32_t(u32(c.req, 32));
    uint32_t cur = u32(c.req, 48), max = u32(c.req, 52);
    if ((cur | max) & ~uint32_t(VM_PROT_ALL)) return KERN_INVALID_ARGUMENT;
    kern_return_t kr = unlocked(c, [&](Thread& t) { return vm_map_anon(t, &addr, size, mask, flags, cur & max); });
    return address_reply(c, kr, addr);
}

// Request: NDR, address, flavor, infoCnt (48 bytes). Reply: the object-name port descriptor (always null),
// NDR, address, size, infoCnt and the info.
kern_return_t r_mach_vm_region(MigCtx& c) {
    if (!simple_request(c.req, 48)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8), size = 0;
    int flavor = int32_t(u32(c.req, 16));
    uint32_t count = std::min(u32(c.req, 20), kRegionInfoMax);
    uint32_t need = flavor == VM_REGION_BASIC_INFO_64 ? sizeof(region_basic_info_64_t) / 4
                    : flavor == VM_REGION_BASIC_INFO  ? sizeof(region_basic_info_t) / 4
                                                      : 0;
    if (!need) {
        if (flavor >= 11 && flavor <= 13)  // top, extended, and the older extended info
            base::report_unimplemented(base::SysClass::Mach, 4816, "mach_vm_region flavor (top/extended info)");
        return KERN_INVALID_ARGUMENT;
    }
    if (count < need) return KERN_INVALID_ARGUMENT;
    VmRegion reg;
    kern_return_t kr = unlocked(c, [&](Thread& t) { return vm_region(t, &addr, &size, &reg); });
    if (kr != KERN_SUCCESS) return kr;
    uint8_t info[4 * kRegionInfoMax] = {};
    // Maximum protection: Linux keeps none, so every region reports VM_PROT_ALL; private mappings are
    // inherited by copy, shared ones shared.
    const uint32_t inherit = reg.shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
    if (flavor == VM_REGION_BASIC_INFO_64) {
        region_basic_info_64_t i{reg.protection, VM_PROT_ALL, inherit, reg.shared, 0, reg.offset, 0, 0};
        memcpy(info, &i, sizeof i);
    } else {
        region_basic_info_t i{reg.protection, VM_PROT_ALL, inherit, reg.shared, 0, uint32_t(reg.offset), 0, 0};
        memcpy(info, &i, sizeof i);
    }
    Kmsg* r = new_reply(c.req, 1, 8 + 8 + 8 + 4 + need * 4);
    if (!r) return KERN_RESOURCE_SHORTAGE;
    r->descs[0].type = MACH_MSG_PORT_DESCRIPTOR;
    r->descs[0].disposition = MACH_MSG_TYPE_PORT_SEND;
    r->descs[0].port = nullptr;
    r->descs_in = 1;
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &addr, 8);
    memcpy(r->body + 16, &size, 8);
    memcpy(r->body + 24, &need, 4);
    memcpy(r->body + 28, info, need * 4);
    c.reply = r;
    return KERN_SUCCESS;
}

}  // namespace mach::mig

namespace mach::mig {

namespace {

// vm_region_submap_info_64 (osfmk/mach/vm_region.h, #pragma pack(4)); its counts: V0 16, V1 17, V2 19.
struct __attribute__((packed, aligned(4))) submap_info_64_t {
    int32_t protection, max_protection;
    uint32_t inheritance;
    uint64_t offset;
    uint32_t user_tag, pages_resident, pages_shared_now_private, pages_swapped_out, pages_dirtied, ref_count;
    uint16_t shadow_depth;
    uint8_t external_pager, share_mode;
    int32_t is_submap, behavior;
    uint32_t object_id;
    uint16_t user_wired_count, pad;
    uint32_t pages_reusable;
    uint64_t object_id_full;
};
static_assert(sizeof(submap_info_64_t) == 76 && offsetof(submap_info_64_t, user_wired_count) == 60);
constexpr uint32_t kSubmapV0 = 16, kSubmapV1 = 17, kSubmapV2 = 19;
constexpr uint8_t SM_COW = 1, SM_PRIVATE = 2, SM_EMPTY = 3, SM_SHARED = 4;

}  // namespace

// mach_vm_region_recurse (and vm_region_recurse_64): request NDR, address, nesting_depth, infoCnt (48
// bytes); reply NDR, RetCode, address, size, nesting_depth, infoCnt and the info. There are no submaps here:
// the depth comes back as 0. Page counts are Linux's (smaps); a region's user tag (VM_FLAGS_ALIAS) is not
// kept, so it reads 0; the object id is the region's start.
kern_return_t r_mach_vm_region_recurse(MigCtx& c) {
    if (!simple_request(c.req, 48)) return MIG_BAD_ARGUMENTS;
    if (kern_return_t kr = own_task(c)) return kr;
    uint64_t addr = u64(c.req, 8), size = 0;
    uint32_t count = std::min(u32(c.req, 20), kSubmapV2);
    if (count < kSubmapV0) return KERN_INVALID_ARGUMENT;
    count = count >= kSubmapV2 ? kSubmapV2 : count >= kSubmapV1 ? kSubmapV1 : kSubmapV0;
    VmRegion reg;
    kern_return_t kr = unlocked(c, [&](Thread& t) {
        kern_return_t r = vm_region(t, &addr, &size, &reg);
        if (r == KERN_SUCCESS) vm_region_usage(t, addr, &reg);
        return r;
    });
    if (kr != KERN_SUCCESS) return kr;
    submap_info_64_t i{};
    i.protection = reg.protection;
    i.max_protection = VM_PROT_ALL;
    i.inheritance = reg.shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
    i.offset = reg.offset;
    i.pages_resident = reg.resident;
    i.pages_swapped_out = reg.swapped;
    i.pages_dirtied = reg.dirty;
    i.ref_count = 1;
    i.external_pager = reg.file;
    i.share_mode = reg.shared ? SM_SHARED : reg.file && !reg.dirty ? SM_COW : reg.resident ? SM_PRIVATE : SM_EMPTY;
    i.object_id = uint32_t(addr >> 12);
    i.object_id_full = addr;
    uint8_t payload[8 + 8 + 4 + 4 + sizeof i];
    uint32_t depth = 0;
    memcpy(payload, &addr, 8);
    memcpy(payload + 8, &size, 8);
    memcpy(payload + 16, &depth, 4);
    memcpy(payload + 20, &count, 4);
    memcpy(payload + 24, &i, count * 4);
    c.reply = simple_reply(c, payload, 24 + count * 4);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

}  // namespace mach::mig
