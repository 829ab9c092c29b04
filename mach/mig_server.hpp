// What the kernel-object MIG servers share (mig.cpp holds the table and the dispatcher; one file per
// subsystem: mig_task.cpp, mig_port.cpp, ...). Every routine runs under the IPC lock, takes the request and
// leaves its reply in ctx.reply, or returns an error that the dispatcher turns into a mig_reply_error_t.
#pragma once

#include <cstring>

#include "common_mach.hpp"

namespace mach::mig {

struct MigCtx {
    IpcLock& lock;
    Task* task;   // the caller's task
    Port* port;   // the kernel port the request was sent to
    Kmsg* req;
    Kmsg* reply = nullptr;
};

using Routine = kern_return_t (*)(MigCtx&);

// Request arguments at a body offset (the body starts with the NDR record); 0 past the end.
inline uint32_t u32(const Kmsg* km, uint32_t off) {
    uint32_t v = 0;
    if (off + 4 <= km->body_size) memcpy(&v, km->body + off, 4);
    return v;
}
inline uint64_t u64(const Kmsg* km, uint32_t off) {
    uint64_t v = 0;
    if (off + 8 <= km->body_size) memcpy(&v, km->body + off, 8);
    return v;
}

// A request with no descriptors and exactly `size` bytes as the sender wrote it.
inline bool simple_request(const Kmsg* req, uint32_t size) {
    return !(req->bits & MACH_MSGH_BITS_COMPLEX) && kmsg_user_size(req) == size;
}

// A complex request of exactly `size` bytes carrying `n` descriptors.
inline bool complex_request(const Kmsg* req, uint32_t size, uint32_t n) {
    return (req->bits & MACH_MSGH_BITS_COMPLEX) && req->dsc_count == n && kmsg_user_size(req) == size;
}

inline Task* port_task(Port* port) {
    return port->kotype == Kotype::Task ? static_cast<Task*>(port->kobject) : nullptr;
}
inline Space* port_space(Port* port) {
    Task* t = port_task(port);
    return t ? t->space : nullptr;
}

// The reply shell: to the request's reply port, with its disposition; the reply right moves into it.
Kmsg* new_reply(Kmsg* req, uint32_t dsc_count, uint32_t body_size);
// A simple reply: NDR, RetCode 0 and `n` bytes of out arguments.
Kmsg* simple_reply(MigCtx& c, const void* payload, uint32_t n);

// Replies with one right (of type MACH_MSG_TYPE_PORT_*, moved into the reply; null or dead allowed) in a port
// descriptor, as MIG returns a port. On failure the right is destroyed.
kern_return_t port_reply(MigCtx& c, Port* port, mach_msg_type_name_t type);
// Puts `bytes` bytes of kalloc'd memory (taken over; may be null when bytes is 0) into out-of-line descriptor i
// of reply r, as MIG's servers return arrays: a virtual copy the receiver finds mapped.
void reply_ool(Kmsg* r, uint32_t i, void* data, uint32_t bytes);

// Reads a small /proc file of process `pid` (0: of the system, /proc/what) into buf (NUL-terminated). False
// if it cannot.
bool read_proc(int pid, const char* what, char* buf, size_t cap);

// The bootstrap server's calls (bootstrap.cpp), for a request to the bootstrap port.
kern_return_t bootstrap_routine(MigCtx& c);

// The routines, by subsystem file.
kern_return_t r_clock_get_time(MigCtx& c);
kern_return_t r_host_get_clock_service(MigCtx& c);
kern_return_t r_host_info(MigCtx& c);
kern_return_t r_host_kernel_version(MigCtx& c);
kern_return_t r_host_page_size(MigCtx& c);
kern_return_t r_host_processor_info(MigCtx& c);
kern_return_t r_host_statistics(MigCtx& c);
kern_return_t r_host_statistics64(MigCtx& c);
kern_return_t r_mach_port_allocate(MigCtx& c);
kern_return_t r_mach_port_allocate_name(MigCtx& c);
kern_return_t r_mach_port_construct(MigCtx& c);
kern_return_t r_mach_port_deallocate(MigCtx& c);
kern_return_t r_mach_port_destroy(MigCtx& c);
kern_return_t r_mach_port_destruct(MigCtx& c);
kern_return_t r_mach_port_extract_member(MigCtx& c);
kern_return_t r_mach_port_extract_right(MigCtx& c);
kern_return_t r_mach_port_get_attributes(MigCtx& c);
kern_return_t r_mach_port_get_context(MigCtx& c);
kern_return_t r_mach_port_get_refs(MigCtx& c);
kern_return_t r_mach_port_get_set_status(MigCtx& c);
kern_return_t r_mach_port_get_srights(MigCtx& c);
kern_return_t r_mach_port_guard(MigCtx& c);
kern_return_t r_mach_port_insert_member(MigCtx& c);
kern_return_t r_mach_port_insert_right(MigCtx& c);
kern_return_t r_mach_port_mod_refs(MigCtx& c);
kern_return_t r_mach_port_move_member(MigCtx& c);
kern_return_t r_mach_port_names(MigCtx& c);
kern_return_t r_mach_port_peek(MigCtx& c);
kern_return_t r_mach_port_request_notification(MigCtx& c);
kern_return_t r_mach_port_set_attributes(MigCtx& c);
kern_return_t r_mach_port_set_context(MigCtx& c);
kern_return_t r_mach_port_set_mscount(MigCtx& c);
kern_return_t r_mach_port_type(MigCtx& c);
kern_return_t r_mach_port_unguard(MigCtx& c);
kern_return_t r_mach_vm_allocate(MigCtx& c);
kern_return_t r_mach_vm_copy(MigCtx& c);
kern_return_t r_mach_vm_deallocate(MigCtx& c);
kern_return_t r_mach_vm_map(MigCtx& c);
kern_return_t r_mach_vm_protect(MigCtx& c);
kern_return_t r_mach_vm_read(MigCtx& c);
kern_return_t r_mach_vm_read_overwrite(MigCtx& c);
kern_return_t r_mach_vm_region(MigCtx& c);
kern_return_t r_mach_vm_region_recurse(MigCtx& c);
kern_return_t r_mach_vm_write(MigCtx& c);
kern_return_t r_semaphore_create(MigCtx& c);
kern_return_t r_semaphore_destroy(MigCtx& c);
kern_return_t r_task_get_exception_ports(MigCtx& c);
kern_return_t r_task_get_special_port(MigCtx& c);
kern_return_t r_task_info(MigCtx& c);
kern_return_t r_task_set_exception_ports(MigCtx& c);
kern_return_t r_task_set_special_port(MigCtx& c);
kern_return_t r_task_swap_exception_ports(MigCtx& c);
kern_return_t r_task_threads(MigCtx& c);
kern_return_t r_thread_info(MigCtx& c);

}  // namespace mach::mig
