// Kernel messages (xnu osfmk/ipc/ipc_kmsg.c): the header with its port rights, the descriptors in kernel form,
// the body bytes, and the sender's identity for the trailer. The user layout is rebuilt at receive time.
#pragma once

#include "ipc.hpp"
#include "base/thread.hpp"

namespace mach {

struct KDesc {
    uint8_t type = 0;         // MACH_MSG_*_DESCRIPTOR
    uint8_t disposition = 0;  // the user's disposition before copyin, the right type (MACH_MSG_TYPE_PORT_*) after
    uint8_t copy = 0;         // OOL: MACH_MSG_PHYSICAL_COPY or MACH_MSG_VIRTUAL_COPY
    uint8_t deallocate = 0;
    uint16_t guard_flags = 0;
    uint32_t count = 0;       // OOL memory: size in bytes; OOL ports: number of ports
    uint64_t uaddr = 0;       // OOL: the sender's address; guarded port: the context
    mach_port_name_t uname = 0;
    union {
        Port* port;           // port and guarded port descriptors
        uint8_t* data;        // OOL memory copied in (kalloc), null when count is 0
        Port** ports;         // OOL ports (kalloc array of count)
    };
    int32_t preread_error = 0;  // OOL memory that could not be read when the message was captured
    KDesc() : port(nullptr) {}
};

struct Kmsg {
    Kmsg* next = nullptr;
    uint32_t bits = 0;
    Port* remote = nullptr;
    Port* local = nullptr;
    mach_port_name_t voucher_name = 0;
    int32_t id = 0;
    uint32_t dsc_count = 0;
    KDesc* descs = nullptr;
    uint8_t* body = nullptr;  // the bytes after the descriptors
    uint32_t body_size = 0;
    uint8_t* aux = nullptr;   // auxiliary data (mach_msg2 vectors), starting with its mach_msg_aux_header_t
    uint32_t aux_size = 0;
    security_token_t sender{};
    audit_token_t audit{};
    uint64_t order = 0;       // global send order: a port set delivers its oldest message first
    bool timer_msg = false;   // an mk_timer expiry (a timer has at most one queued)
    uint32_t header_rights_in = 0;  // bit 0: remote copied in, bit 1: local copied in
    uint32_t descs_in = 0;    // how many descriptors hold rights/memory
    // The user's names before copyin, and the header as the receiver sees it after copyout.
    mach_port_name_t uremote = 0, ulocal = 0;
    uint32_t out_bits = 0;
    mach_port_name_t out_remote = 0, out_local = 0, out_voucher = 0;
};

// A message with room for `dsc_count` descriptors, `body_size` body bytes and `aux_size` aux bytes.
Kmsg* kmsg_alloc(uint32_t dsc_count, uint32_t body_size, uint32_t aux_size);
void kmsg_free(Kmsg* km);  // the buffer only (rights and memory must be gone)
// The size of the message as a 64-bit receiver sees it, without the trailer.
uint32_t kmsg_user_size(const Kmsg* km);
// Destroys every right and all memory in the message, then frees it. Under the IPC lock.
void kmsg_destroy(Kmsg* km);
void kmsg_destroy_skip_remote(Kmsg* km);  // the remote right was already disposed of
void kmsg_clean_header(Kmsg* km);          // destroys the header rights only
void kmsg_clean_descriptors(Kmsg* km, uint32_t n);

// A message the kernel sends (notifications, MIG replies): the header rights are given as ports in kernel
// form (remote is a send or send-once right the caller transfers).
Kmsg* kmsg_kernel(Port* remote, mach_msg_type_name_t remote_type, int32_t id, uint32_t body_size);

// Enqueues a kernel message on its destination (never blocks: kernel sends ignore queue limits, as
// MACH_SEND_ALWAYS does). Consumes the message. Under the IPC lock.
void kmsg_post_kernel(Kmsg* km);

}  // namespace mach
