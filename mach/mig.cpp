// The kernel's MIG servers for the ports macrun's kernel owns (xnu osfmk/kern/ipc_kobject.c
// ipc_kobject_server, and the servers MIG generates from osfmk/mach/task.defs and mach_port.defs).
//
// Message layouts are MIG's, LP64 user side, #pragma pack(4): a request is the header, [body count and port
// descriptors,] NDR record and arguments; a reply is the header (id = request id + 100, sent to the request's
// reply port with the reply disposition), NDR, RetCode and out arguments, or, when a port is returned, the
// header, body count and port descriptor alone. Any failure is a mig_reply_error_t (36 bytes).
#include <algorithm>
#include <atomic>
#include <iterator>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>

#include "mig_server.hpp"
#include "base/diag.hpp"
#include "base/raw_syscall.hpp"

namespace mach {
namespace mig {

// The reply shell: to the request's reply port, with its disposition; the reply right moves into it.
Kmsg* new_reply(Kmsg* req, uint32_t dsc_count, uint32_t body_size) {
    Kmsg* r = kmsg_alloc(dsc_count, body_size, 0);
    if (!r) return nullptr;
    r->bits = msgh_bits_set(msgh_local(req->bits), 0, 0, dsc_count ? MACH_MSGH_BITS_COMPLEX : 0);
    r->remote = req->local;
    if (ip_valid(req->local)) r->header_rights_in = 1;
    req->local = nullptr;
    req->header_rights_in &= ~2u;
    r->id = req->id + 100;
    r->sender = security_token_t{{0, 1}};
    return r;
}

// A simple reply: NDR, RetCode 0 and `payload` bytes of out arguments.
Kmsg* simple_reply(MigCtx& c, const void* payload, uint32_t n) {
    Kmsg* r = new_reply(c.req, 0, 12 + n);
    if (!r) return nullptr;
    memcpy(r->body, &NDR_record, 8);
    memset(r->body + 8, 0, 4);
    if (n) memcpy(r->body + 12, payload, n);
    return r;
}

kern_return_t port_reply(MigCtx& c, Port* port, mach_msg_type_name_t type) {
    Kmsg* r = new_reply(c.req, 1, 0);
    if (!r) {
        if (ip_valid(port)) object_destroy(port, type);
        return KERN_RESOURCE_SHORTAGE;
    }
    r->descs[0].type = MACH_MSG_PORT_DESCRIPTOR;
    r->descs[0].disposition = uint8_t(type);
    r->descs[0].port = port;
    r->descs_in = 1;
    c.reply = r;
    return KERN_SUCCESS;
}

void reply_ool(Kmsg* r, uint32_t i, void* data, uint32_t bytes) {
    KDesc& d = r->descs[i];
    d.type = MACH_MSG_OOL_DESCRIPTOR;
    d.copy = MACH_MSG_VIRTUAL_COPY;
    d.count = bytes;
    d.uaddr = 0;
    d.data = static_cast<uint8_t*>(bytes ? data : nullptr);
    if (!bytes) kfree(data);
    r->descs_in = std::max(r->descs_in, i + 1);
}

}  // namespace mig

namespace {

using namespace mig;

struct MigEntry {
    int32_t id;
    const char* name;
    Routine fn;  // null: a routine XNU has that macrun does not serve yet (MIG_BAD_ID, said once)
};

// MIG subsystems by base id (each .defs file's `subsystem NAME BASE`): a routine's id is BASE + its index.
struct Subsystem {
    int32_t base;
    const char* name;
};
constexpr Subsystem kSubsystems[] = {{200, "mach_host"},     {400, "host_priv"},  {600, "host_security"},
                                     {1000, "clock"},        {2400, "processor"}, {3200, "mach_port"},
                                     {3400, "task"},         {3600, "thread_act"}, {3800, "vm_map"},
                                     {4000, "processor_set"}, {4800, "mach_vm"},  {5400, "mach_voucher"},
                                     {617000, "lock_set"},   {617200, "semaphore"}};

constexpr const Subsystem* subsystem_of(int32_t id) {
    for (const Subsystem& s : kSubsystems)
        if (id >= s.base && id < s.base + 100) return &s;
    return nullptr;
}

// Every routine macrun knows, by id. Checked when macrun is compiled: ascending ids (so no id twice, and a
// binary search finds them), each inside a known subsystem.
constexpr MigEntry kRoutines[] = {
    {200, "host_info", r_host_info},
    {201, "host_kernel_version", r_host_kernel_version},
    {202, "_host_page_size", r_host_page_size},
    {204, "host_processor_info", r_host_processor_info},
    {206, "host_get_clock_service", r_host_get_clock_service},
    {216, "host_statistics", r_host_statistics},
    {219, "host_statistics64", r_host_statistics64},
    {1000, "clock_get_time", r_clock_get_time},
    {3200, "mach_port_names", r_mach_port_names},
    {3201, "mach_port_type", r_mach_port_type},
    {3202, "mach_port_rename", nullptr},
    {3203, "mach_port_allocate_name", r_mach_port_allocate_name},
    {3204, "mach_port_allocate", r_mach_port_allocate},
    {3205, "mach_port_destroy", r_mach_port_destroy},
    {3206, "mach_port_deallocate", r_mach_port_deallocate},
    {3207, "mach_port_get_refs", r_mach_port_get_refs},
    {3208, "mach_port_mod_refs", r_mach_port_mod_refs},
    {3209, "mach_port_peek", r_mach_port_peek},
    {3210, "mach_port_set_mscount", r_mach_port_set_mscount},
    {3211, "mach_port_get_set_status", r_mach_port_get_set_status},
    {3212, "mach_port_move_member", r_mach_port_move_member},
    {3213, "mach_port_request_notification", r_mach_port_request_notification},
    {3214, "mach_port_insert_right", r_mach_port_insert_right},
    {3215, "mach_port_extract_right", r_mach_port_extract_right},
    {3216, "mach_port_set_seqno", nullptr},
    {3217, "mach_port_get_attributes", r_mach_port_get_attributes},
    {3218, "mach_port_set_attributes", r_mach_port_set_attributes},
    {3219, "mach_port_allocate_qos", nullptr},
    {3220, "mach_port_allocate_full", nullptr},
    {3222, "mach_port_get_srights", r_mach_port_get_srights},
    {3223, "mach_port_space_info", nullptr},
    {3226, "mach_port_insert_member", r_mach_port_insert_member},
    {3227, "mach_port_extract_member", r_mach_port_extract_member},
    {3228, "mach_port_get_context", r_mach_port_get_context},
    {3229, "mach_port_set_context", r_mach_port_set_context},
    {3231, "mach_port_construct", r_mach_port_construct},
    {3232, "mach_port_destruct", r_mach_port_destruct},
    {3233, "mach_port_guard", r_mach_port_guard},
    {3234, "mach_port_unguard", r_mach_port_unguard},
    {3401, "task_terminate", nullptr},
    {3402, "task_threads", r_task_threads},
    {3405, "task_info", r_task_info},
    {3406, "task_set_info", nullptr},
    {3407, "task_suspend", nullptr},
    {3408, "task_resume", nullptr},
    {3409, "task_get_special_port", r_task_get_special_port},
    {3410, "task_set_special_port", r_task_set_special_port},
    {3413, "task_set_exception_ports", r_task_set_exception_ports},
    {3414, "task_get_exception_ports", r_task_get_exception_ports},
    {3415, "task_swap_exception_ports", r_task_swap_exception_ports},
    {3418, "semaphore_create", r_semaphore_create},
    {3419, "semaphore_destroy", r_semaphore_destroy},
    {3420, "task_policy_set", nullptr},
    {3421, "task_policy_get", nullptr},
    {3603, "thread_get_state", nullptr},
    {3604, "thread_set_state", nullptr},
    {3612, "thread_info", r_thread_info},
    // vm_map.defs (subsystem 3800): on LP64 vm_address_t and vm_size_t are 64 bits, so these requests have
    // exactly the mach_vm forms' layouts and are served by the same routines.
    {3800, "vm_region", r_mach_vm_region},
    {3801, "vm_allocate", r_mach_vm_allocate},
    {3802, "vm_deallocate", r_mach_vm_deallocate},
    {3803, "vm_protect", r_mach_vm_protect},
    {3804, "vm_inherit", nullptr},
    {3805, "vm_read", r_mach_vm_read},
    {3806, "vm_read_list", nullptr},
    {3807, "vm_write", r_mach_vm_write},
    {3808, "vm_copy", r_mach_vm_copy},
    {3809, "vm_read_overwrite", r_mach_vm_read_overwrite},
    {3810, "vm_msync", nullptr},
    {3811, "vm_behavior_set", nullptr},
    {3812, "vm_map", r_mach_vm_map},
    {3814, "vm_remap", nullptr},
    {3822, "vm_region_recurse_64", r_mach_vm_region_recurse},
    {3824, "vm_region_64", r_mach_vm_region},
    {3826, "vm_map_64", r_mach_vm_map},
    {3830, "vm_purgable_control", nullptr},
    {4800, "mach_vm_allocate", r_mach_vm_allocate},
    {4801, "mach_vm_deallocate", r_mach_vm_deallocate},
    {4802, "mach_vm_protect", r_mach_vm_protect},
    {4803, "mach_vm_inherit", nullptr},
    {4804, "mach_vm_read", r_mach_vm_read},
    {4805, "mach_vm_read_list", nullptr},
    {4806, "mach_vm_write", r_mach_vm_write},
    {4807, "mach_vm_copy", r_mach_vm_copy},
    {4808, "mach_vm_read_overwrite", r_mach_vm_read_overwrite},
    {4809, "mach_vm_msync", nullptr},
    {4810, "mach_vm_behavior_set", nullptr},
    {4811, "mach_vm_map", r_mach_vm_map},
    {4812, "mach_vm_machine_attribute", nullptr},
    {4813, "mach_vm_remap", nullptr},
    {4814, "mach_vm_page_query", nullptr},
    {4815, "mach_vm_region_recurse", r_mach_vm_region_recurse},
    {4816, "mach_vm_region", r_mach_vm_region},
    {4817, "_mach_make_memory_entry", nullptr},
    {4818, "mach_vm_purgable_control", nullptr},
    {4819, "mach_vm_page_info", nullptr},
    {4820, "mach_vm_page_range_query", nullptr},
};

constexpr bool routines_well_formed() {
    for (size_t i = 0; i < std::size(kRoutines); i++) {
        if (i && kRoutines[i].id <= kRoutines[i - 1].id) return false;
        if (!subsystem_of(kRoutines[i].id)) return false;
    }
    return true;
}
static_assert(routines_well_formed(), "MIG routine table: ids ascending, unique, inside known subsystems");

const MigEntry* find_routine(int32_t id) {
    const MigEntry* e = std::lower_bound(std::begin(kRoutines), std::end(kRoutines), id,
                                         [](const MigEntry& m, int32_t v) { return m.id < v; });
    return e != std::end(kRoutines) && e->id == id ? e : nullptr;
}

void report_bad_id(int32_t id, const char* routine) {
    static std::atomic<uint64_t> said[64];
    uint32_t bit = uint32_t(id) % 4096;
    uint64_t mask = 1ull << (bit % 64);
    if (said[bit / 64].fetch_or(mask) & mask) return;
    char text[200];
    snprintf(text, sizeof text, "MIG message id %d (%s subsystem%s%s) to a kernel port is not served: replying MIG_BAD_ID",
             id, subsystem_of(id) ? subsystem_of(id)->name : "unknown", routine ? ", routine " : "", routine ? routine : "");
    base::trace_note(text);
}

}  // namespace

const char* mig_routine_name(int32_t id) {
    const MigEntry* e = find_routine(id);
    if (e) return e->name;
    e = find_routine(id - 100);
    return e ? e->name : nullptr;
}

/// ipc_kobject_server: runs the routine for the request's id and returns its reply. Contract: consumes the
/// request (the destination right is released, the reply right moves into the reply, the rest goes to the
/// routine on success and is destroyed on failure).
Kmsg* kobject_server(IpcLock& lock, Task* task, Port* port, Kmsg* req) {
    MigCtx c{lock, task, port, req};
    const MigEntry* e = find_routine(req->id);
    kern_return_t kr;
    if (port->kotype == Kotype::Bootstrap) {
        kr = bootstrap_routine(c);
    } else if (!e || !e->fn) {
        report_bad_id(req->id, e ? e->name : nullptr);
        kr = MIG_BAD_ID;
    } else {
        kr = e->fn(c);
    }
    Kmsg* reply = c.reply;
    if (kr != KERN_SUCCESS) {
        if (reply) kmsg_destroy(reply);
        reply = new_reply(req, 0, 12);  // mig_reply_error_t
        if (reply) {
            memcpy(reply->body, &NDR_record, 8);
            memcpy(reply->body + 8, &kr, 4);
        }
    }
    // The destination right: released, never a send-once notification (that would come back here).
    if (msgh_remote(req->bits) == MACH_MSG_TYPE_PORT_SEND) port_release_send(req->remote);
    else port_release_send_once(req->remote);
    req->remote = nullptr;
    req->header_rights_in &= ~1u;
    kmsg_destroy(req);  // whatever the routine did not take
    if (!reply) return nullptr;
    Port* rp = reply->remote;
    if (!ip_valid(rp) || ip_in_space(rp, kernel_space())) {
        kmsg_destroy(reply);
        return nullptr;
    }
    return reply;
}

}  // namespace mach
