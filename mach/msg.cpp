// mach_msg sends and receives (xnu osfmk/ipc/mach_msg.c, ipc_kmsg.c).
//
// A send runs in three steps: the message is captured from user memory with no lock held (header, descriptors,
// body, auxiliary data, and the out-of-line memory the descriptors name), its rights are copied in and it is
// sent under the IPC lock, and memory a descriptor asked to deallocate is unmapped afterwards. A receive takes
// a message under the lock and copies its rights out there, then maps its out-of-line memory into the
// receiver and writes the message out with no lock held (mapping memory runs a call as the thread: under ptrace
// that yields, which must never happen with the lock held).
#include "msg.hpp"

#include <cstring>
#include <memory>
#include <sys/mman.h>

#include "kobject.hpp"
#include "base/page.hpp"

namespace mach {
namespace {

uint64_t trunc_page(uint64_t a) { return a & ~(base::kPageSize - 1); }
uint64_t round_page(uint64_t a) { return (a + base::kPageSize - 1) & ~(base::kPageSize - 1); }

struct Range {
    uint64_t addr, len;
};

// Memory the sender asked to deallocate (vm_map_copyin with src_destroy), unmapped once the lock is gone.
struct Deallocs {
    Range* r = nullptr;
    uint32_t n = 0, cap = 0;
    void add(uint64_t addr, uint64_t size) {
        if (!size) return;
        if (n == cap) {
            uint32_t ncap = cap ? cap * 2 : 8;
            auto* nr = static_cast<Range*>(kalloc(sizeof(Range) * ncap));
            if (!nr) return;
            if (r) memcpy(nr, r, sizeof(Range) * n);
            kfree(r);
            r = nr;
            cap = ncap;
        }
        r[n++] = Range{trunc_page(addr), round_page(addr + size) - trunc_page(addr)};
    }
    void run(base::Thread& t) {
        for (uint32_t i = 0; i < n; i++) t.sys(SYS_munmap, {r[i].addr, r[i].len});
        kfree(r);
        r = nullptr;
        n = cap = 0;
    }
};

bool desc_type_valid(uint32_t type, uint64_t options) {
    switch (type) {
        case MACH_MSG_PORT_DESCRIPTOR:
        case MACH_MSG_OOL_DESCRIPTOR:
        case MACH_MSG_OOL_PORTS_DESCRIPTOR: return true;
        case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
        case MACH_MSG_GUARDED_PORT_DESCRIPTOR: return !(options & (MACH64_SEND_KOBJECT_CALL | MACH64_SEND_DK_CALL));
        default: return false;
    }
}

// ---- step 1: capture (ipc_kmsg_get_and_inflate_from_user, ipc_validate_kmsg_schema_from_user) ----
//
// With no lock held, in this order (the order of the checks: a message with several faults reports the first
// one met): measure (the descriptors' user bytes are read and their types checked, which gives the kernel
// size), allocate the kernel message once, inflate the descriptors into their kernel form, copy the body and
// the auxiliary data in, check the limits, and read the out-of-line memory and port names. One owner holds
// the kernel message until it is handed on: every failure discards it there, none frees by hand.

// Frees the captured memory of descriptors that were never copied in (after an early failure).
void free_uncopied(Kmsg* km) {
    for (uint32_t i = km->descs_in; i < km->dsc_count; i++) {
        KDesc& d = km->descs[i];
        if (d.type == MACH_MSG_OOL_DESCRIPTOR || d.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) kfree(d.data);
        else if (d.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) kfree(d.ports);
        d.data = nullptr;
    }
}

// A captured message that goes no further: the memory its descriptors read, then its buffer. It holds no
// right (header rights that were copied in are destroyed before this).
void discard_captured(Kmsg* km) {
    free_uncopied(km);
    kmsg_free(km);
}

struct DiscardCaptured {
    void operator()(Kmsg* km) const { discard_captured(km); }
};
// The owner of a message being captured; release() hands it on.
using CapturedKmsg = std::unique_ptr<Kmsg, DiscardCaptured>;

// What measuring a message finds, and what inflating its descriptors adds.
struct Measure {
    uint32_t upos = 0;        // where the descriptors (or, without them, the body) start in the user message
    uint32_t dsc_usize = 0;   // the descriptors' user size
    uint32_t body_size = 0;   // the bytes after the descriptors
    KOwned<uint8_t[]> raw;    // the descriptors' user bytes (up to 16 a descriptor); null without descriptors
    uint64_t vm_size = 0;     // out-of-line memory staged in the kernel (large physical copies)
    uint64_t port_count = 0;  // the rights the descriptors name
};

// Measure: the descriptors' user bytes, their types, and the body's size.
mach_msg_return_t measure_from_user(base::Thread& t, const SendArgs& a, uint64_t options, Measure& m) {
    m.upos = (a.header.msgh_bits & MACH_MSGH_BITS_COMPLEX) ? sizeof(mach_msg_base_t) : sizeof(mach_msg_header_t);
    const uint32_t avail = a.msg_size - m.upos;
    const uint32_t dsc_count = a.dsc_count;
    if ((options & MACH64_SEND_KOBJECT_CALL) && dsc_count > IPC_KOBJECT_DESC_MAX) return MACH_SEND_TOO_LARGE;
    if (dsc_count) {
        const uint32_t copy = uint32_t(std::min<uint64_t>(uint64_t(dsc_count) * 16, avail));
        m.raw.reset(static_cast<uint8_t*>(kalloc(copy)));
        if (!m.raw) return MACH_SEND_NO_BUFFER;
        if (t.read(base::TraceeAddr(a.msg_addr + m.upos), m.raw.get(), copy) != 0) return MACH_SEND_INVALID_DATA;
        // ipc_kmsg_measure_descriptors_from_user
        for (uint32_t i = 0; i < dsc_count; i++) {
            if (m.dsc_usize + 12 > copy) return MACH_SEND_MSG_TOO_SMALL;
            uint32_t type = m.raw[m.dsc_usize + kUserDescTypeOffset];
            if (!desc_type_valid(type, options)) return MACH_SEND_INVALID_TYPE;
            m.dsc_usize += user_desc_size(type);
            if (m.dsc_usize > copy) return MACH_SEND_MSG_TOO_SMALL;
        }
    }
    m.body_size = avail - m.dsc_usize;
    return MACH_MSG_SUCCESS;
}

// One user descriptor (its bytes at `u`, its type already in d.type) into its kernel form
// (ipc_kmsg_inflate_*_descriptor).
mach_msg_return_t inflate_descriptor(KDesc& d, const uint8_t* u, Measure& m) {
    switch (d.type) {
        case MACH_MSG_PORT_DESCRIPTOR: {
            port_descriptor_t pd;
            memcpy(&pd, u, sizeof pd);
            d.uname = pd.name;
            d.disposition = pd.disposition;
            m.port_count++;
            break;
        }
        case MACH_MSG_OOL_DESCRIPTOR:
        case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
            ool_descriptor_t od;
            memcpy(&od, u, sizeof od);
            if (od.copy != MACH_MSG_PHYSICAL_COPY && od.copy != MACH_MSG_VIRTUAL_COPY) return MACH_SEND_INVALID_TYPE;
            if (od.size > MSG_OOL_SIZE_SMALL && od.copy == MACH_MSG_PHYSICAL_COPY && !od.deallocate)
                m.vm_size += round_page(od.size);
            d.uaddr = od.address;
            d.count = od.size;
            d.deallocate = od.deallocate;
            d.copy = od.copy;
            break;
        }
        case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
            ool_ports_descriptor_t pd;
            memcpy(&pd, u, sizeof pd);
            d.uaddr = pd.address;
            d.count = pd.count;
            d.deallocate = pd.deallocate;
            d.copy = pd.copy;
            d.disposition = pd.disposition;
            m.port_count += pd.count;
            break;
        }
        case MACH_MSG_GUARDED_PORT_DESCRIPTOR: {
            guarded_port_descriptor_t gd;
            memcpy(&gd, u, sizeof gd);
            m.port_count++;
            if (gd.disposition != MACH_MSG_TYPE_MOVE_RECEIVE || !gd.flags || (gd.flags & ~MACH_MSG_GUARD_FLAGS_MASK) ||
                ((gd.flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && gd.context != 0))
                return MACH_SEND_INVALID_TYPE;
            d.uaddr = gd.context;
            d.guard_flags = gd.flags;
            d.disposition = gd.disposition;
            d.uname = gd.name;
            break;
        }
        default: break;
    }
    return MACH_MSG_SUCCESS;
}

// Inflate: each user descriptor into its kernel form, in order; the first bad one ends it.
mach_msg_return_t inflate_descriptors(Kmsg* km, Measure& m) {
    uint32_t pos = 0;
    for (uint32_t i = 0; i < km->dsc_count; i++) {
        KDesc& d = km->descs[i];
        const uint8_t* u = m.raw.get() + pos;
        d.type = u[kUserDescTypeOffset];
        pos += user_desc_size(d.type);
        if (mach_msg_return_t mr = inflate_descriptor(d, u, m); mr != MACH_MSG_SUCCESS) return mr;
    }
    return MACH_MSG_SUCCESS;
}

// The body after the descriptors, and the auxiliary data (its header is the kernel's: the size, nothing else).
mach_msg_return_t copy_body_from_user(base::Thread& t, const SendArgs& a, const Measure& m, Kmsg* km) {
    if (km->body_size && t.read(base::TraceeAddr(a.msg_addr + m.upos + m.dsc_usize), km->body, km->body_size) != 0)
        return MACH_SEND_INVALID_DATA;
    if (a.aux_size) {
        mach_msg_aux_header_t ah{a.aux_size, 0};
        memcpy(km->aux, &ah, sizeof ah);
        if (a.aux_size > sizeof ah &&
            t.read(base::TraceeAddr(a.aux_addr + sizeof ah), km->aux + sizeof ah, a.aux_size - sizeof ah) != 0)
            return MACH_SEND_INVALID_DATA;
    }
    return MACH_MSG_SUCCESS;
}

// The out-of-line memory or port names of one descriptor, read now (outside the lock). What this returns is
// not the send's result: it is kept in the descriptor, and an unreadable region is reported when its
// descriptor's turn comes (copyin_body), as XNU's vm_map_copyin would. Nothing is kept on failure.
mach_msg_return_t copy_ool_from_user(base::Thread& t, KDesc& d) {
    if ((d.type == MACH_MSG_OOL_DESCRIPTOR || d.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) && d.count) {
        KOwned<uint8_t[]> data(static_cast<uint8_t*>(kalloc(d.count)));
        if (!data) return MACH_MSG_VM_KERNEL;
        if (t.read(base::TraceeAddr(d.uaddr), data.get(), d.count) != 0) return MACH_SEND_INVALID_MEMORY;
        d.data = data.release();
    } else if (d.type == MACH_MSG_OOL_PORTS_DESCRIPTOR && d.count) {
        // The names wait in the array of ports until copyin_body turns them into rights.
        KOwned<Port*[]> ports(static_cast<Port**>(kalloc(sizeof(Port*) * d.count)));
        KOwned<mach_port_name_t[]> names(static_cast<mach_port_name_t*>(kalloc(sizeof(mach_port_name_t) * d.count)));
        if (!ports || !names) return MACH_MSG_VM_KERNEL;
        if (t.read(base::TraceeAddr(d.uaddr), names.get(), sizeof(mach_port_name_t) * d.count) != 0)
            return MACH_SEND_INVALID_MEMORY;
        for (uint32_t j = 0; j < d.count; j++) ports[j] = reinterpret_cast<Port*>(uintptr_t(names[j]));
        d.ports = ports.release();
    }
    return MACH_MSG_SUCCESS;
}

mach_msg_return_t get_from_user(base::Thread& t, const SendArgs& a, uint64_t options, Kmsg** out) {
    Measure m;
    mach_msg_return_t mr = measure_from_user(t, a, options, m);
    if (mr != MACH_MSG_SUCCESS) return mr;
    CapturedKmsg km(kmsg_alloc(a.dsc_count, m.body_size, a.aux_size));
    if (!km) return MACH_SEND_NO_BUFFER;
    km->bits = a.header.msgh_bits & MACH_MSGH_BITS_USER;
    km->uremote = a.header.msgh_remote_port;
    km->ulocal = a.header.msgh_local_port;
    km->voucher_name = a.header.msgh_voucher_port;
    km->id = a.header.msgh_id;
    mr = inflate_descriptors(km.get(), m);
    m.raw.reset();  // the user form has served
    if (mr != MACH_MSG_SUCCESS) return mr;
    mr = copy_body_from_user(t, a, m, km.get());
    if (mr != MACH_MSG_SUCCESS) return mr;
    if (m.port_count > IPC_KMSG_MAX_OOL_PORT_COUNT) return MACH_SEND_TOO_LARGE;
    if (m.vm_size + m.port_count * 8 > IPC_KMSG_MAX_VM_SPACE) return MACH_MSG_VM_KERNEL;
    for (uint32_t i = 0; i < km->dsc_count; i++) km->descs[i].preread_error = copy_ool_from_user(t, km->descs[i]);
    *out = km.release();
    return MACH_MSG_SUCCESS;
}

// ---- step 2: rights (ipc_kmsg_copyin_header, ipc_validate_kmsg_header_from_user, ipc_kmsg_copyin_body) ----

mach_msg_return_t copyin_header(Space* space, Kmsg* km) {
    const uint32_t bits = km->bits;
    const mach_port_name_t reply_name = km->ulocal, dest_name = km->uremote;
    const uint32_t reply_type = msgh_local(bits), dest_type = msgh_remote(bits);
    uint32_t voucher_type = msgh_voucher(bits);
    mach_port_name_t voucher_name = MACH_PORT_NULL;

    // ipc_kmsg_copyin_header_validate
    if (reply_type == 0) {
        if (reply_name != MACH_PORT_NULL) return MACH_SEND_INVALID_HEADER;
    } else if (!type_port_any_send(reply_type)) {
        return MACH_SEND_INVALID_HEADER;
    }
    switch (voucher_type) {
        case 0: break;
        case MACH_MSG_TYPE_MOVE_SEND:
        case MACH_MSG_TYPE_COPY_SEND:
            voucher_name = km->voucher_name;
            if (voucher_name != MACH_PORT_DEAD) break;
            [[fallthrough]];
        default: return MACH_SEND_INVALID_VOUCHER;
    }
    if (!type_port_any_send(dest_type)) return MACH_SEND_INVALID_HEADER;
    if (!port_valid(dest_name)) return MACH_SEND_INVALID_DEST;
    if (dest_name == voucher_name && dest_type != MACH_MSG_TYPE_MOVE_SEND && dest_type != MACH_MSG_TYPE_COPY_SEND)
        return MACH_SEND_INVALID_DEST;
    if (dest_name == reply_name &&
        (dest_type == MACH_MSG_TYPE_MOVE_SEND_ONCE || reply_type == MACH_MSG_TYPE_MOVE_SEND_ONCE))
        return MACH_SEND_INVALID_DEST;
    if (port_valid(reply_name) && reply_name == voucher_name) return MACH_SEND_INVALID_REPLY;

    // ipc_kmsg_copyin_header_rights
    if (!space->active) return MACH_SEND_INVALID_DEST;
    if (voucher_name != MACH_PORT_NULL) {
        // No voucher objects exist in macrun: any name fails the IKOT_VOUCHER check.
        guard_exception(space, voucher_name, 0, kGUARD_EXC_SEND_INVALID_VOUCHER);
        return MACH_SEND_INVALID_VOUCHER;
    }
    Entry* dest_entry = entry_lookup(space, dest_name);
    if (!dest_entry || !(dest_entry->bits & MACH_PORT_TYPE_PORT_RIGHTS)) return MACH_SEND_INVALID_DEST;
    if (port_valid(reply_name)) {
        Entry* reply_entry = reply_name == dest_name ? dest_entry : entry_lookup(space, reply_name);
        if (!reply_entry || !(reply_entry->bits & MACH_PORT_TYPE_PORT_RIGHTS) ||
            !right_copyin_check_reply(space, reply_entry, reply_type)) {
            guard_exception(space, reply_name, 0, kGUARD_EXC_SEND_INVALID_REPLY);
            return MACH_SEND_INVALID_REPLY;
        }
    }
    // ipc_kmsg_copyin_dest_disposition: the same name as destination and reply moves or copies jointly.
    uint32_t copy_dest_type = dest_type, xtra = 0;
    if (dest_name == reply_name && !(dest_type == MACH_MSG_TYPE_MAKE_SEND || dest_type == MACH_MSG_TYPE_MAKE_SEND_ONCE ||
                                     reply_type == MACH_MSG_TYPE_MAKE_SEND || reply_type == MACH_MSG_TYPE_MAKE_SEND_ONCE)) {
        if (dest_type == MACH_MSG_TYPE_MOVE_SEND && reply_type == MACH_MSG_TYPE_MOVE_SEND) {
            xtra = COPYIN_DEST_EXTRA_MOVE;
        } else if ((dest_type == MACH_MSG_TYPE_MOVE_SEND && reply_type == MACH_MSG_TYPE_COPY_SEND) ||
                   (dest_type == MACH_MSG_TYPE_COPY_SEND && reply_type == MACH_MSG_TYPE_MOVE_SEND)) {
            xtra = COPYIN_DEST_EXTRA_COPY;
            copy_dest_type = MACH_MSG_TYPE_MOVE_SEND;
        } else {
            xtra = COPYIN_DEST_EXTRA_COPY;
            copy_dest_type = MACH_MSG_TYPE_COPY_SEND;
        }
    }
    Port* dest_port;
    if (right_copyin(space, dest_name, dest_entry, copy_dest_type, COPYIN_ALLOW_DEAD_SEND_ONCE | xtra, &dest_port) !=
            KERN_SUCCESS ||
        !ip_valid(dest_port))
        return MACH_SEND_INVALID_DEST;
    Port* reply_port;
    if (reply_name == dest_name && xtra) {
        reply_port = dest_port;
    } else if (port_valid(reply_name)) {
        Entry* reply_entry = entry_lookup(space, reply_name);
        MACH_ASSERT(reply_entry);
        kern_return_t kr = right_copyin(space, reply_name, reply_entry, reply_type, COPYIN_DEADOK, &reply_port);
        MACH_ASSERT(kr == KERN_SUCCESS);
    } else {
        reply_port = reply_name == MACH_PORT_DEAD ? IP_DEAD : nullptr;
    }
    km->remote = dest_port;
    km->local = reply_port;
    km->header_rights_in = 1 | (ip_valid(reply_port) ? 2 : 0);
    km->bits = msgh_bits_set(object_copyin_type(dest_type), object_copyin_type(reply_type), voucher_type, bits);
    return MACH_MSG_SUCCESS;
}

bool allow_send_only_kobject_calls(Task* task) {
    uint32_t platform, sdk;
    task_platform(task, &platform, &sdk);
    return platform == 1 && sdk != 0 && (sdk >> 16) <= 14;
}

// ipc_validate_kmsg_dest_from_user (mach_msg2 only): the call's kind must match the destination's.
mach_msg_return_t validate_dest(Task* task, Kmsg* km, uint64_t options) {
    if (options & MACH64_SEND_ANY) return MACH_MSG_SUCCESS;
    Port* port = km->remote;
    if (port->kotype == Kotype::Timer) {
        if (!(options & MACH64_SEND_MQ_CALL)) return MACH_SEND_INVALID_OPTIONS;
    } else if (ip_is_kobject(port)) {
        if (!(options & MACH64_SEND_KOBJECT_CALL)) return MACH_SEND_INVALID_OPTIONS;
        if (!(options & MACH_RCV_MSG) && (ip_valid(km->local) || !allow_send_only_kobject_calls(task)))
            return MACH_SEND_INVALID_OPTIONS;
    } else if (!(options & MACH64_SEND_MQ_CALL)) {
        return MACH_SEND_INVALID_OPTIONS;
    }
    return MACH_MSG_SUCCESS;
}

mach_msg_return_t copyin_port(Space* space, KDesc& d, Port* dest, uint32_t* bits) {
    uint32_t result = object_copyin_type(d.disposition);
    if (port_valid(d.uname)) {
        if (d.type == MACH_MSG_GUARDED_PORT_DESCRIPTOR) {
            // ipc_right_copyin_check_guard_locked, before the receive right moves.
            Entry* e = entry_lookup(space, d.uname);
            if (e && (e->bits & MACH_PORT_TYPE_RECEIVE)) {
                auto* p = static_cast<Port*>(e->obj);
                bool ok = ((d.guard_flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && !p->guarded && !d.uaddr) ||
                          (p->guarded && p->context == d.uaddr);
                if (!ok) {
                    guard_exception(space, d.uname, p->context, kGUARD_EXC_INCORRECT_GUARD);
                    return MACH_SEND_INVALID_RIGHT;
                }
            }
        }
        Port* port;
        kern_return_t kr = object_copyin(space, d.uname, d.disposition, 0, &port);
        if (kr != KERN_SUCCESS) {
            if (kr == KERN_INVALID_RIGHT) guard_exception(space, d.uname, 0, kGUARD_EXC_SEND_INVALID_RIGHT);
            return MACH_SEND_INVALID_RIGHT;
        }
        if (d.type == MACH_MSG_GUARDED_PORT_DESCRIPTOR) d.guard_flags |= MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
        // ipc_port_check_circularity, for the direct case: a receive right sent to itself.
        if (result == MACH_MSG_TYPE_PORT_RECEIVE && port == dest) *bits |= MACH_MSGH_BITS_CIRCULAR;
        d.port = port;
    } else {
        d.port = d.uname == MACH_PORT_DEAD ? IP_DEAD : nullptr;
    }
    d.disposition = uint8_t(result);
    return MACH_MSG_SUCCESS;
}

// ipc_kmsg_copyin_body. On failure every right and all memory the message held is gone (the header's too).
mach_msg_return_t copyin_body(Space* space, Kmsg* km, Deallocs& deallocs) {
    for (uint32_t i = 0; i < km->dsc_count; i++) {
        KDesc& d = km->descs[i];
        mach_msg_return_t mr = MACH_MSG_SUCCESS;
        switch (d.type) {
            case MACH_MSG_PORT_DESCRIPTOR:
            case MACH_MSG_GUARDED_PORT_DESCRIPTOR: mr = copyin_port(space, d, km->remote, &km->bits); break;
            case MACH_MSG_OOL_DESCRIPTOR:
            case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
                mr = d.preread_error;
                if (mr == MACH_MSG_SUCCESS && d.deallocate) deallocs.add(d.uaddr, d.count);
                break;
            case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
                if (d.preread_error) {
                    mr = d.preread_error;
                    break;
                }
                if (d.deallocate) deallocs.add(d.uaddr, uint64_t(d.count) * 4);
                uint32_t result = object_copyin_type(d.disposition);
                for (uint32_t j = 0; j < d.count && mr == MACH_MSG_SUCCESS; j++) {
                    auto name = mach_port_name_t(reinterpret_cast<uintptr_t>(d.ports[j]));
                    if (!port_valid(name)) {
                        d.ports[j] = name == MACH_PORT_DEAD ? IP_DEAD : nullptr;
                        continue;
                    }
                    Port* port;
                    kern_return_t kr = object_copyin(space, name, d.disposition, 0, &port);
                    if (kr != KERN_SUCCESS) {
                        for (uint32_t k = 0; k < j; k++)
                            if (ip_valid(d.ports[k])) object_destroy(d.ports[k], result);
                        kfree(d.ports);
                        d.ports = nullptr;
                        if (kr == KERN_INVALID_RIGHT) guard_exception(space, name, 0, kGUARD_EXC_SEND_INVALID_RIGHT);
                        mr = MACH_SEND_INVALID_RIGHT;
                        break;
                    }
                    if (result == MACH_MSG_TYPE_PORT_RECEIVE && port == km->remote) km->bits |= MACH_MSGH_BITS_CIRCULAR;
                    d.ports[j] = port;
                }
                d.disposition = uint8_t(result);
                break;
            }
            default: break;
        }
        if (mr != MACH_MSG_SUCCESS) {
            kmsg_clean_header(km);
            kmsg_clean_descriptors(km, i);
            km->descs_in = i;
            free_uncopied(km);
            return mr;
        }
        km->descs_in = i + 1;
    }
    return MACH_MSG_SUCCESS;
}

// ---- receive side: copyout (ipc_kmsg_copyout_header, ipc_kmsg_copyout_descriptors) ----

mach_msg_return_t copyout_port(Space* space, Port* port, mach_msg_type_name_t disp, mach_port_name_t* name) {
    if (!ip_valid(port)) {
        *name = port == IP_DEAD ? MACH_PORT_DEAD : MACH_PORT_NULL;
        return MACH_MSG_SUCCESS;
    }
    kern_return_t kr = object_copyout(space, port, disp, name);
    if (kr == KERN_SUCCESS) return MACH_MSG_SUCCESS;
    if (kr == KERN_INVALID_CAPABILITY) {
        *name = MACH_PORT_DEAD;
        return MACH_MSG_SUCCESS;
    }
    *name = MACH_PORT_NULL;
    return kr == KERN_RESOURCE_SHORTAGE ? MACH_MSG_IPC_KERNEL : MACH_MSG_IPC_SPACE;
}

mach_msg_return_t copyout_header(Space* space, Kmsg* km, uint64_t option) {
    const uint32_t mbits = km->bits;
    Port* dest = km->remote;
    Port* reply = km->local;
    const uint32_t dest_type = msgh_remote(mbits), reply_type = msgh_local(mbits);
    uint32_t voucher_type = msgh_voucher(mbits);
    mach_port_name_t reply_name, dest_name, voucher_name;
    Port* release_reply = nullptr;
    if (!space->active) return MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
    if (ip_valid(reply)) {
        if (!reply->active) {
            release_reply = reply;
            reply_name = MACH_PORT_DEAD;
        } else {
            Entry* e;
            mach_port_name_t n;
            if (!(reply_type != MACH_MSG_TYPE_PORT_SEND_ONCE && right_reverse(space, reply, &n, &e)) &&
                entry_alloc(space, nullptr, &n, &e) != KERN_SUCCESS)
                return MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
            right_copyout(space, reply, reply_type, n, e);
            reply_name = n;
        }
    } else {
        reply_name = reply == IP_DEAD ? MACH_PORT_DEAD : MACH_PORT_NULL;
    }
    if (voucher_type != 0) {
        // No voucher object ever travels (none exist): the disposition is dropped unless MACH_RCV_VOUCHER.
        if (!(option & MACH_RCV_VOUCHER)) voucher_type = 0;
        voucher_name = MACH_PORT_NULL;
    } else {
        voucher_name = km->voucher_name;
    }
    if (dest->active) {
        object_copyout_dest(space, dest, dest_type, &dest_name);
    } else {
        // Dead destination: MACH_PORT_DEAD, unless the reply port died first (then MACH_PORT_NULL).
        uint64_t dest_death = dest->death_time;
        port_release(dest);
        if (ip_valid(reply))
            dest_name = (reply->active || dest_death < reply->death_time) ? MACH_PORT_DEAD : MACH_PORT_NULL;
        else
            dest_name = MACH_PORT_DEAD;
    }
    if (release_reply) {
        if (reply_type == MACH_MSG_TYPE_PORT_SEND_ONCE) port_release_send_once(release_reply);
        else port_release_send(release_reply);
    }
    km->remote = km->local = nullptr;
    km->header_rights_in = 0;
    km->out_bits = msgh_bits_set(reply_type, dest_type, voucher_type, mbits);
    km->out_local = dest_name;
    km->out_remote = reply_name;
    km->out_voucher = voucher_name;
    return MACH_MSG_SUCCESS;
}

// Port rights in the descriptors (the memory comes later, without the lock). `pseudo`: the sender takes its
// own message back, guarded descriptors included.
mach_msg_return_t copyout_descriptor_rights(Space* space, Kmsg* km, uint64_t option, bool pseudo, uint64_t rcv_addr) {
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    for (uint32_t i = 0; i < km->descs_in; i++) {
        KDesc& d = km->descs[i];
        switch (d.type) {
            case MACH_MSG_PORT_DESCRIPTOR:
                mr |= copyout_port(space, d.port, d.disposition, &d.uname);
                d.port = nullptr;
                break;
            case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
                if (!pseudo && !(option & MACH_RCV_GUARDED_DESC)) {
                    // A receiver that did not opt in gets nothing: the right is destroyed.
                    if (ip_valid(d.port)) object_destroy(d.port, d.disposition);
                    d.uaddr = 0;
                    d.uname = MACH_PORT_NULL;
                } else {
                    Port* p = d.port;
                    mr |= copyout_port(space, p, d.disposition, &d.uname);
                    if (ip_valid(p) && port_valid(d.uname) && p->receiver == space &&
                        (d.guard_flags & MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE)) {
                        // ipc_right_copyout: guarded (not strictly) with the receive buffer's address.
                        p->guarded = true;
                        p->strict_guard = false;
                        if (!pseudo) p->immovable_receive = true;
                        p->context = rcv_addr;
                        d.uaddr = rcv_addr;
                        d.guard_flags &= ~MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
                    }
                }
                d.port = nullptr;
                break;
            case MACH_MSG_OOL_PORTS_DESCRIPTOR:
                if (d.ports) {
                    // The names replace the ports in place (4 bytes each in an array of 8-byte pointers).
                    auto* names = reinterpret_cast<mach_port_name_t*>(d.ports);
                    for (uint32_t j = 0; j < d.count; j++) {
                        Port* p = d.ports[j];
                        mach_port_name_t n;
                        mr |= copyout_port(space, p, d.disposition, &n);
                        names[j] = n;
                    }
                }
                break;
            default: break;
        }
    }
    return mr;
}

// Maps out-of-line memory and port-name arrays into the receiver (ipc_kmsg_copyout_ool_descriptor,
// ipc_kmsg_copyout_ool_ports_descriptor). No lock held.
mach_msg_return_t copyout_memory(base::Thread& t, Kmsg* km) {
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    for (uint32_t i = 0; i < km->descs_in; i++) {
        KDesc& d = km->descs[i];
        const void* src = nullptr;
        uint64_t len = 0, off = 0;
        if (d.type == MACH_MSG_OOL_DESCRIPTOR || d.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) {
            if (!d.data) {
                d.uaddr = 0;
                d.count = 0;
                continue;
            }
            src = d.data;
            len = d.count;
            // Large copies move as VM entries and keep their offset in the page; small ones (and physical
            // copies staged in the kernel) land page-aligned.
            if (d.count > MSG_OOL_SIZE_SMALL && !(d.copy == MACH_MSG_PHYSICAL_COPY && !d.deallocate))
                off = d.uaddr & (base::kPageSize - 1);
        } else if (d.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
            if (!d.ports || !d.count) {
                d.uaddr = 0;
                continue;
            }
            src = d.ports;
            len = uint64_t(d.count) * 4;
        } else {
            continue;
        }
        int64_t addr = t.sys(SYS_mmap, {0, round_page(off + len), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0});
        if ((addr < 0 && addr > -4096) || t.write(base::TraceeAddr(uint64_t(addr) + off), src, len) != 0) {
            mr |= MACH_MSG_VM_SPACE;
            d.uaddr = 0;
            if (d.type != MACH_MSG_OOL_PORTS_DESCRIPTOR) d.count = 0;
        } else {
            d.uaddr = uint64_t(addr) + off;
        }
        kfree(d.data);  // (the ports array too: same union)
        d.data = nullptr;
    }
    return mr;
}

struct PutInfo {
    bool pseudo = false;  // the sender's own message back: no trailer
    bool bare = false;    // a receive error: the header alone
    uint64_t option = 0;
    uint32_t seqno = 0;
    uint64_t context = 0;
};

// ipc_kmsg_put_to_user: writes the message (and its trailer) to the receive buffer; frees the message.
mach_msg_return_t put_to_user(base::Thread& t, Kmsg* km, const RecvArgs& rb, const PutInfo& pi, mach_msg_return_t mr) {
    uint32_t size = pi.bare ? uint32_t(sizeof(mach_msg_header_t)) : kmsg_user_size(km);
    uint32_t tsize = pi.pseudo ? 0 : requested_trailer_size(pi.option);
    auto* buf = static_cast<uint8_t*>(kalloc(size + tsize));
    if (!buf) {
        mr = MACH_RCV_INVALID_DATA;
    } else {
        mach_msg_header_t h{pi.pseudo ? km->bits : km->out_bits, size, km->out_remote, km->out_local, km->out_voucher, km->id};
        if (pi.pseudo) h.msgh_bits &= MACH_MSGH_BITS_USER;
        memcpy(buf, &h, sizeof h);
        uint32_t pos = sizeof h;
        if (!pi.bare && (km->bits & MACH_MSGH_BITS_COMPLEX)) {
            memcpy(buf + pos, &km->dsc_count, 4);
            pos += 4;
            for (uint32_t i = 0; i < km->dsc_count; i++) {
                const KDesc& d = km->descs[i];
                switch (d.type) {
                    case MACH_MSG_PORT_DESCRIPTOR: {
                        port_descriptor_t u{d.uname, 0, 0, d.disposition, d.type};
                        memcpy(buf + pos, &u, sizeof u);
                        break;
                    }
                    case MACH_MSG_OOL_DESCRIPTOR:
                    case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
                        ool_descriptor_t u{d.uaddr, uint8_t(d.copy == MACH_MSG_VIRTUAL_COPY), d.copy, 0, d.type, d.count};
                        memcpy(buf + pos, &u, sizeof u);
                        break;
                    }
                    case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
                        ool_ports_descriptor_t u{d.uaddr, 1, MACH_MSG_VIRTUAL_COPY, d.disposition, d.type, d.count};
                        memcpy(buf + pos, &u, sizeof u);
                        break;
                    }
                    case MACH_MSG_GUARDED_PORT_DESCRIPTOR: {
                        guarded_port_descriptor_t u{d.uaddr, d.guard_flags, d.disposition, d.type, d.uname};
                        memcpy(buf + pos, &u, sizeof u);
                        break;
                    }
                    default: break;
                }
                pos += user_desc_size(d.type);
            }
        }
        if (!pi.bare) {
            memcpy(buf + pos, km->body, km->body_size);
            pos += km->body_size;
        }
        if (tsize) {
            mach_msg_max_trailer_t tr{};
            tr.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
            tr.msgh_trailer_size = tsize;
            tr.msgh_seqno = pi.seqno;
            tr.msgh_sender = km->sender;
            tr.msgh_audit = km->audit;
            tr.msgh_context = pi.context;
            memcpy(buf + pos, &tr, tsize);
        }
        if (size > rb.msg_size) {
            mr = MACH_RCV_INVALID_DATA;
        } else {
            uint32_t usize = std::min(size + tsize, rb.msg_size);  // avoid smashing a mis-sized buffer
            if (t.write(base::TraceeAddr(rb.msg_addr), buf, usize) != 0) mr = MACH_RCV_INVALID_DATA;
        }
        kfree(buf);
    }
    if (mr != MACH_RCV_INVALID_DATA && rb.aux_addr) {
        // The auxiliary data, or an empty header that says there is none.
        mach_msg_aux_header_t eof{0, 0};
        const void* aux = km->aux_size ? static_cast<const void*>(km->aux) : &eof;
        uint32_t aux_size = km->aux_size ? km->aux_size : uint32_t(sizeof eof);
        if (aux_size <= rb.aux_size && t.write(base::TraceeAddr(rb.aux_addr), aux, aux_size) != 0)
            mr = MACH_RCV_INVALID_DATA;
    }
    for (uint32_t i = 0; i < km->descs_in; i++) {
        KDesc& d = km->descs[i];
        if (d.type == MACH_MSG_OOL_DESCRIPTOR || d.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR ||
            d.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
            kfree(d.data);
    }
    kmsg_free(km);
    return mr;
}

// ipc_kmsg_copyout_dest_to_user: the destination is copied out, everything else destroyed; a bare header is
// what the receiver gets (the "other" header bits, complex included, stay as they were).
void copyout_dest_to_user(Space* space, Kmsg* km) {
    const uint32_t mbits = km->bits;
    const uint32_t dest_type = msgh_remote(mbits), reply_type = msgh_local(mbits);
    mach_port_name_t dest_name, reply_name;
    if (km->remote->active) {
        object_copyout_dest(space, km->remote, dest_type, &dest_name);
    } else {
        port_release(km->remote);
        dest_name = MACH_PORT_DEAD;
    }
    if (ip_valid(km->local)) {
        object_destroy(km->local, reply_type);
        reply_name = MACH_PORT_NULL;
    } else {
        reply_name = km->local == IP_DEAD ? MACH_PORT_DEAD : MACH_PORT_NULL;
    }
    km->remote = km->local = nullptr;
    km->header_rights_in = 0;
    kmsg_clean_descriptors(km, km->descs_in);
    km->descs_in = 0;
    km->aux_size = 0;
    km->out_bits = msgh_bits_set(reply_type, dest_type, msgh_voucher(mbits), mbits);
    km->out_local = dest_name;
    km->out_remote = reply_name;
    km->out_voucher = km->voucher_name;
    km->sender = security_token_t{{0, 1}};
    km->audit = audit_token_t{};
}

}  // namespace

mach_msg_return_t msg_send(base::Thread& t, Task* task, const SendArgs& a, uint64_t options, uint32_t timeout_ms) {
    // mach_msg_trap_send: sizes and the descriptor count first.
    if (a.msg_size < sizeof(mach_msg_header_t) || (a.msg_size & 3)) return MACH_SEND_MSG_TOO_SMALL;
    if (a.msg_size > IPC_KMSG_MAX_BODY_SPACE) return MACH_SEND_TOO_LARGE;
    if (a.header.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
        if (a.msg_size < sizeof(mach_msg_base_t)) return MACH_SEND_MSG_TOO_SMALL;
        if (a.dsc_count > (a.msg_size - sizeof(mach_msg_base_t)) / 12) return MACH_SEND_MSG_TOO_SMALL;
    } else if (a.dsc_count != 0) {
        return MACH_SEND_TOO_LARGE;
    }
    Kmsg* km;
    mach_msg_return_t mr = get_from_user(t, a, options, &km);
    if (mr != MACH_MSG_SUCCESS) return mr;
    km->sender = task->sec_token;
    km->audit = task->audit_token;

    Deallocs deallocs;
    IpcLock lock(t);
    Space* space = task->space;
    mr = copyin_header(space, km);
    if (mr == MACH_MSG_SUCCESS && (options & MACH64_MACH_MSG2)) {
        mr = validate_dest(task, km, options);
        if (mr != MACH_MSG_SUCCESS) {
            guard_exception(space, 0, options, kGUARD_EXC_INVALID_OPTIONS);
            kmsg_clean_header(km);
        }
    }
    if (mr != MACH_MSG_SUCCESS) {
        discard_captured(km);
        return mr;
    }
    if (km->bits & MACH_MSGH_BITS_COMPLEX) {
        mr = copyin_body(space, km, deallocs);
        if (mr != MACH_MSG_SUCCESS) {
            kmsg_free(km);
            lock.release();
            deallocs.run(t);
            return mr;
        }
    } else {
        km->descs_in = 0;
    }
    if (km->bits & MACH_MSGH_BITS_CIRCULAR) {
        // ipc_kmsg_send: a receive right sent to itself would loop forever; the message is destroyed.
        kmsg_destroy(km);
        lock.release();
        deallocs.run(t);
        return MACH_MSG_SUCCESS;
    }
    mr = kmsg_send(lock, task, km, options, timeout_ms);
    if (mr == MACH_MSG_SUCCESS) {
        lock.release();
        deallocs.run(t);
        return mr;
    }
    // mach_msg_receive_pseudo: the sender gets its message back, rights in its own space again.
    mach_msg_return_t pmr = MACH_MSG_SUCCESS;
    mach_port_name_t dest_name, reply_name;
    pmr |= copyout_port(space, km->remote, msgh_remote(km->bits), &dest_name);
    pmr |= copyout_port(space, km->local, msgh_local(km->bits), &reply_name);
    km->remote = km->local = nullptr;
    km->header_rights_in = 0;
    km->out_remote = dest_name;
    km->out_local = reply_name;
    km->out_voucher = km->voucher_name;
    pmr |= copyout_descriptor_rights(space, km, 0, true, a.msg_addr);
    lock.release();
    pmr |= copyout_memory(t, km);
    PutInfo pi;
    pi.pseudo = true;
    RecvArgs rb;
    rb.msg_addr = a.msg_addr;
    rb.msg_size = a.msg_size;
    put_to_user(t, km, rb, pi, pmr);
    deallocs.run(t);
    return mr | pmr;
}

mach_msg_return_t msg_receive(base::Thread& t, Task* task, const RecvArgs& a, uint64_t options, uint32_t timeout_ms) {
    IpcLock lock(t);
    ReceiveResult r = mqueue_receive(lock, task, t.tid(), a.name, options, a.msg_size, timeout_ms);
    if (r.state == MACH_RCV_INVALID_NAME) {
        guard_exception(task->space, a.name, 0, kGUARD_EXC_RCV_INVALID_NAME);
        return r.state;
    }
    if (!r.kmsg) {
        lock.release();
        if (r.state == MACH_RCV_TOO_LARGE) {
            // mach_msg_receive_too_large: the message stays queued; the size it needs (without the trailer)
            // goes in msgh_size, and with MACH_RCV_LARGE_IDENTITY the port it is on in msgh_local_port.
            mach_msg_return_t mr = r.state;
            if ((options & MACH_RCV_LARGE_IDENTITY) && a.msg_size >= offsetof(mach_msg_header_t, msgh_voucher_port) &&
                t.write(base::TraceeAddr(a.msg_addr + offsetof(mach_msg_header_t, msgh_local_port)), &r.receiver_name, 4) != 0)
                mr = MACH_RCV_INVALID_DATA;
            if (a.msg_size >= offsetof(mach_msg_header_t, msgh_remote_port) &&
                t.write(base::TraceeAddr(a.msg_addr + offsetof(mach_msg_header_t, msgh_size)), &r.msize, 4) != 0)
                mr = MACH_RCV_INVALID_DATA;
            return mr;
        }
        return r.state;
    }
    Kmsg* km = r.kmsg;
    PutInfo pi;
    pi.option = options;
    pi.seqno = r.seqno;
    mach_msg_return_t mr = r.state;
    if (mr == MACH_MSG_SUCCESS) {
        mr = copyout_header(task->space, km, options);
        if (mr == MACH_MSG_SUCCESS) {
            pi.context = r.context;
            mr = copyout_descriptor_rights(task->space, km, options, false, a.msg_addr);
            lock.release();
            mr |= copyout_memory(t, km);
            if (mr != MACH_MSG_SUCCESS) mr |= MACH_RCV_BODY_ERROR;
            return put_to_user(t, km, a, pi, mr);
        }
    }
    // MACH_RCV_TOO_LARGE without MACH_RCV_LARGE, or the header could not be copied out (mach_msg_receive_error).
    copyout_dest_to_user(task->space, km);
    lock.release();
    pi.bare = true;
    return put_to_user(t, km, a, pi, mr);
}

}  // namespace mach
