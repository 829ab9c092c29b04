// Kernel messages: allocation, destruction, kernel-made messages (xnu osfmk/ipc/ipc_kmsg.c, ipc_notify.c).
#include "ipc_kmsg.hpp"

#include <cstring>

#include "ipc_mqueue.hpp"

namespace mach {

Kmsg* kmsg_alloc(uint32_t dsc_count, uint32_t body_size, uint32_t aux_size) {
    size_t total = sizeof(Kmsg) + sizeof(KDesc) * dsc_count + body_size + aux_size;
    void* p = kalloc(total);
    if (!p) return nullptr;
    Kmsg* km = new (p) Kmsg();
    auto* descs = reinterpret_cast<KDesc*>(km + 1);
    for (uint32_t i = 0; i < dsc_count; i++) new (&descs[i]) KDesc();
    km->descs = dsc_count ? descs : nullptr;
    km->dsc_count = dsc_count;
    km->body = reinterpret_cast<uint8_t*>(descs + dsc_count);
    km->body_size = body_size;
    km->aux = aux_size ? km->body + body_size : nullptr;
    km->aux_size = aux_size;
    return km;
}

void kmsg_free(Kmsg* km) { kfree(km); }

uint32_t kmsg_user_size(const Kmsg* km) {
    uint32_t size = sizeof(mach_msg_header_t) + km->body_size;
    if (km->bits & MACH_MSGH_BITS_COMPLEX) {
        size += 4;
        for (uint32_t i = 0; i < km->dsc_count; i++) size += user_desc_size(km->descs[i].type);
    }
    return size;
}

void kmsg_clean_header(Kmsg* km) {
    if (km->header_rights_in & 1) {
        if (ip_valid(km->remote)) object_destroy(km->remote, msgh_remote(km->bits));
    }
    if (km->header_rights_in & 2) {
        if (ip_valid(km->local)) object_destroy(km->local, msgh_local(km->bits));
    }
    km->remote = km->local = nullptr;
    km->header_rights_in = 0;
}

/// ipc_kmsg_clean_descriptors: destroys the rights and memory of the first `n` descriptors.
void kmsg_clean_descriptors(Kmsg* km, uint32_t n) {
    for (uint32_t i = 0; i < n && i < km->dsc_count; i++) {
        KDesc& d = km->descs[i];
        switch (d.type) {
            case MACH_MSG_PORT_DESCRIPTOR:
            case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
                if (ip_valid(d.port)) object_destroy(d.port, d.disposition);
                d.port = nullptr;
                break;
            case MACH_MSG_OOL_DESCRIPTOR:
            case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
                kfree(d.data);
                d.data = nullptr;
                break;
            case MACH_MSG_OOL_PORTS_DESCRIPTOR:
                if (d.ports) {
                    for (uint32_t j = 0; j < d.count; j++)
                        if (ip_valid(d.ports[j])) object_destroy(d.ports[j], d.disposition);
                    kfree(d.ports);
                }
                d.ports = nullptr;
                break;
            default: break;
        }
    }
}

/// Contract: consumes the message and everything it holds.
void kmsg_destroy(Kmsg* km) {
    kmsg_clean_header(km);
    kmsg_clean_descriptors(km, km->descs_in);
    kmsg_free(km);
}

/// Contract: consumes the message; its remote right was already disposed of by the caller.
void kmsg_destroy_skip_remote(Kmsg* km) {
    km->header_rights_in &= ~1u;
    km->remote = nullptr;
    kmsg_destroy(km);
}

/// Contract: takes over `remote` (a right of type `remote_type`, with its reference).
Kmsg* kmsg_kernel(Port* remote, mach_msg_type_name_t remote_type, int32_t id, uint32_t body_size) {
    Kmsg* km = kmsg_alloc(0, body_size, 0);
    if (!km) return nullptr;
    km->bits = msgh_bits_set(remote_type, 0, 0, 0);
    km->remote = remote;
    km->header_rights_in = 1;
    km->id = id;
    km->sender = security_token_t{{0, 1}};  // KERNEL_SECURITY_TOKEN_VALUE
    km->audit = audit_token_t{};           // KERNEL_AUDIT_TOKEN_VALUE
    return km;
}

void kmsg_post_kernel(Kmsg* km) {
    Port* port = km->remote;
    MACH_ASSERT(ip_valid(port));
    if (!port->active || port->msgcount >= MACH_PORT_QLIMIT_KERNEL) {
        kmsg_destroy(km);
        return;
    }
    port->msgcount++;
    mqueue_post(port, km);
}

}  // namespace mach
