// The kernel's MIG servers for the ports macrun's kernel owns (xnu osfmk/kern/ipc_kobject.c
// ipc_kobject_server, and the servers MIG generates from osfmk/mach/task.defs and mach_port.defs).
//
// Message layouts are MIG's, LP64 user side, #pragma pack(4): a request is the header, [body count and port
// descriptors,] NDR record and arguments; a reply is the header (id = request id + 100, sent to the request's
// reply port with the reply disposition), NDR, RetCode and out arguments, or, when a port is returned, the
// header, body count and port descriptor alone. Any failure is a mig_reply_error_t (36 bytes).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>

#include "common_mach.hpp"
#include "syscalls/trace.hpp"
#include "tracer/raw_syscall.hpp"

namespace mach {
namespace {

struct MigCtx {
    IpcLock& lock;
    Task* task;
    Port* port;
    Kmsg* req;
    Kmsg* reply = nullptr;
};

using Routine = kern_return_t (*)(MigCtx&);

uint32_t u32(const Kmsg* km, uint32_t off) {
    uint32_t v = 0;
    if (off + 4 <= km->body_size) memcpy(&v, km->body + off, 4);
    return v;
}
uint64_t u64(const Kmsg* km, uint32_t off) {
    uint64_t v = 0;
    if (off + 8 <= km->body_size) memcpy(&v, km->body + off, 8);
    return v;
}

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

bool simple_request(const Kmsg* req, uint32_t size) {
    return !(req->bits & MACH_MSGH_BITS_COMPLEX) && kmsg_user_size(req) == size;
}

Task* port_task(Port* port) { return port->kotype == Kotype::Task ? static_cast<Task*>(port->kobject) : nullptr; }
Space* port_space(Port* port) {
    Task* t = port_task(port);
    return t ? t->space : nullptr;
}

// ---- task_info ----

using tracer::raw_syscall;

// Reads a small /proc file of the task's process into buf (NUL-terminated). False if it cannot.
bool read_proc(int pid, const char* what, char* buf, size_t cap) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, what);
    long fd = raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long n = raw_syscall(SYS_read, fd, reinterpret_cast<long>(buf), long(cap - 1));
    raw_syscall(SYS_close, fd);
    if (n < 0) return false;
    buf[n] = 0;
    return true;
}

// utime + stime (clock ticks) from a /proc stat line: fields 14 and 15, after the parenthesised name.
bool stat_times(const char* stat, uint64_t* utime, uint64_t* stime) {
    const char* p = strrchr(stat, ')');
    if (!p) return false;
    p++;
    uint64_t v[16] = {};
    int field = 2;  // the state is field 3
    while (*p && field < 15) {
        while (*p == ' ') p++;
        field++;
        if (field >= 14 && field <= 15) v[field] = strtoull(p, nullptr, 10);
        while (*p && *p != ' ') p++;
    }
    *utime = v[14];
    *stime = v[15];
    return field >= 15;
}

struct LinuxDirent64 {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
    char name[1];
};

struct Usage {
    uint64_t virt = 0, resident = 0, resident_max = 0;
    time_value_t user{}, system{};       // of the threads that have ended
    time_value_t live_user{}, live_system{};  // of the live threads
};

// What XNU's basic-info flavors report: the map size, resident memory (now and at most), and the times of the
// task's terminated threads (_task_fill_times: recount_task_terminated_times), here the process's total less
// what its live threads used, in the kernel's clock ticks.
bool task_usage(Task* task, Usage* u) {
    int pid = task->pid;
    char buf[4096];
    if (!read_proc(pid, "statm", buf, sizeof buf)) return false;
    unsigned long long size = 0, rss = 0;
    if (sscanf(buf, "%llu %llu", &size, &rss) != 2) return false;
    u->virt = size * 4096;
    u->resident = rss * 4096;
    // The ledger's lifetime maximum: Linux's VmHWM is updated lazily, so it is also kept at least as high as any
    // resident size reported before.
    u->resident_max = std::max(task->resident_max, u->resident);
    if (read_proc(pid, "status", buf, sizeof buf))
        if (const char* p = strstr(buf, "VmHWM:")) u->resident_max = std::max<uint64_t>(u->resident_max, strtoull(p + 6, nullptr, 10) * 1024);
    task->resident_max = u->resident_max;
    uint64_t ut = 0, st = 0;
    if (!read_proc(pid, "stat", buf, sizeof buf) || !stat_times(buf, &ut, &st)) return false;
    uint64_t lut = 0, lst = 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    long dfd = raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        char dents[4096];
        long n;
        while ((n = raw_syscall(SYS_getdents64, dfd, reinterpret_cast<long>(dents), sizeof dents)) > 0) {
            for (long off = 0; off < n;) {
                auto* d = reinterpret_cast<LinuxDirent64*>(dents + off);
                if (d->name[0] != '.') {
                    char what[64], tb[1024];
                    snprintf(what, sizeof what, "task/%s/stat", d->name);
                    uint64_t tu = 0, ts = 0;
                    if (read_proc(pid, what, tb, sizeof tb) && stat_times(tb, &tu, &ts)) {
                        ut = ut > tu ? ut - tu : 0;
                        st = st > ts ? st - ts : 0;
                        lut += tu, lst += ts;
                    }
                }
                off += d->reclen;
            }
        }
        raw_syscall(SYS_close, dfd);
    }
    // USER_HZ is 100 on every Linux/x86 ABI: one tick is 10 ms.
    auto ticks = [](uint64_t t) { return time_value_t{int32_t(t / 100), int32_t((t % 100) * 10000)}; };
    u->user = ticks(ut), u->system = ticks(st);
    u->live_user = ticks(lut), u->live_system = ticks(lst);
    return true;
}

kern_return_t task_info(Task* task, uint32_t flavor, uint32_t* out, uint32_t* count) {
    if (!task) return KERN_INVALID_ARGUMENT;
    Usage u;
    switch (flavor) {
        case TASK_BASIC_INFO_64: {
            if (*count < TASK_BASIC_INFO_64_COUNT) return KERN_INVALID_ARGUMENT;
            if (!task_usage(task, &u)) return KERN_FAILURE;
            task_basic_info_64_t i{0, u.virt, u.resident, u.user, u.system, POLICY_TIMESHARE};
            memcpy(out, &i, sizeof i);
            *count = TASK_BASIC_INFO_64_COUNT;
            return KERN_SUCCESS;
        }
        case TASK_BASIC_INFO_32: {
            constexpr uint32_t n = 8;  // TASK_BASIC_INFO_32_COUNT
            if (*count < n) return KERN_INVALID_ARGUMENT;
            if (!task_usage(task, &u)) return KERN_FAILURE;
            uint32_t i[n] = {0, uint32_t(u.virt), uint32_t(std::min<uint64_t>(u.resident, UINT32_MAX)),
                             uint32_t(u.user.seconds), uint32_t(u.user.microseconds), uint32_t(u.system.seconds),
                             uint32_t(u.system.microseconds), uint32_t(POLICY_TIMESHARE)};
            memcpy(out, i, sizeof i);
            *count = n;
            return KERN_SUCCESS;
        }
        case MACH_TASK_BASIC_INFO: {
            if (*count < MACH_TASK_BASIC_INFO_COUNT) return KERN_INVALID_ARGUMENT;
            if (!task_usage(task, &u)) return KERN_FAILURE;
            mach_task_basic_info_t i{u.virt, u.resident, u.resident_max, u.user, u.system, POLICY_TIMESHARE, 0};
            memcpy(out, &i, sizeof i);
            *count = MACH_TASK_BASIC_INFO_COUNT;
            return KERN_SUCCESS;
        }
        case TASK_THREAD_TIMES_INFO: {
            if (*count < TASK_THREAD_TIMES_INFO_COUNT) return KERN_INVALID_ARGUMENT;
            if (!task_usage(task, &u)) return KERN_FAILURE;
            time_value_t t[2] = {u.live_user, u.live_system};
            memcpy(out, t, sizeof t);
            *count = TASK_THREAD_TIMES_INFO_COUNT;
            return KERN_SUCCESS;
        }
        case TASK_AUDIT_TOKEN:
            // The same token the task's messages carry in their audit trailers.
            if (*count < TASK_AUDIT_TOKEN_COUNT) return KERN_INVALID_ARGUMENT;
            memcpy(out, &task->audit_token, sizeof task->audit_token);
            *count = TASK_AUDIT_TOKEN_COUNT;
            return KERN_SUCCESS;
        case TASK_DYLD_INFO:
            // The address of the dyld_all_image_infos comes with macrun's own dyld; no made-up zeros.
            xnu_sys::report_unimplemented(xnu_sys::SysClass::Mach, 3405, "task_info flavor TASK_DYLD_INFO");
            return KERN_INVALID_ARGUMENT;
        default: return KERN_INVALID_ARGUMENT;
    }
}

kern_return_t r_task_info(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    uint32_t flavor = u32(c.req, 8);
    uint32_t count = std::min<uint32_t>(u32(c.req, 12), TASK_INFO_MAX);
    uint32_t out[32] = {};
    count = std::min<uint32_t>(count, 32);
    kern_return_t kr = task_info(port_task(c.port), flavor, out, &count);
    if (kr != KERN_SUCCESS) return kr;
    uint8_t payload[4 + sizeof out];
    memcpy(payload, &count, 4);
    memcpy(payload + 4, out, count * 4);
    c.reply = simple_reply(c, payload, 4 + count * 4);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

// ---- semaphores ----

kern_return_t r_semaphore_create(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    Semaphore* s;
    kern_return_t kr = semaphore_create(port_task(c.port), int32_t(u32(c.req, 8)), int32_t(u32(c.req, 12)), &s);
    if (kr != KERN_SUCCESS) return kr;
    Port* port = semaphore_to_port(s);
    if (!port) return KERN_RESOURCE_SHORTAGE;
    Kmsg* r = new_reply(c.req, 1, 0);
    if (!r) {
        port_release_send(port);
        return KERN_RESOURCE_SHORTAGE;
    }
    r->descs[0].type = MACH_MSG_PORT_DESCRIPTOR;
    r->descs[0].disposition = MACH_MSG_TYPE_PORT_SEND;
    r->descs[0].port = port;
    r->descs_in = 1;
    c.reply = r;
    return KERN_SUCCESS;
}

kern_return_t r_semaphore_destroy(MigCtx& c) {
    Kmsg* req = c.req;
    if (!(req->bits & MACH_MSGH_BITS_COMPLEX) || kmsg_user_size(req) != 40 || req->dsc_count != 1)
        return MIG_BAD_ARGUMENTS;
    KDesc& d = req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR || d.disposition != MACH_MSG_TYPE_PORT_SEND) return MIG_TYPE_ERROR;
    Semaphore* s = port_to_semaphore(d.port);
    kern_return_t kr = semaphore_destroy(port_task(c.port), s);
    if (kr != KERN_SUCCESS) return kr;
    // The server consumes the send right it was given (semaphore_consume_ref_t).
    if (ip_valid(d.port)) port_release_send(d.port);
    d.port = nullptr;
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

// ---- mach_port subsystem (osfmk/mach/mach_port.defs) ----

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

struct MigEntry {
    int32_t id;
    const char* name;
    Routine fn;  // null: a routine XNU has that macrun does not serve yet (MIG_BAD_ID, said once)
};

const MigEntry kRoutines[] = {
    {3200, "mach_port_names", nullptr},
    {3201, "mach_port_type", r_mach_port_type},
    {3202, "mach_port_rename", nullptr},
    {3203, "mach_port_allocate_name", r_mach_port_allocate_name},
    {3204, "mach_port_allocate", r_mach_port_allocate},
    {3205, "mach_port_destroy", r_mach_port_destroy},
    {3206, "mach_port_deallocate", r_mach_port_deallocate},
    {3207, "mach_port_get_refs", r_mach_port_get_refs},
    {3208, "mach_port_mod_refs", r_mach_port_mod_refs},
    {3209, "mach_port_peek", nullptr},
    {3210, "mach_port_set_mscount", nullptr},
    {3211, "mach_port_get_set_status", nullptr},
    {3212, "mach_port_move_member", nullptr},
    {3213, "mach_port_request_notification", nullptr},
    {3214, "mach_port_insert_right", nullptr},
    {3215, "mach_port_extract_right", nullptr},
    {3216, "mach_port_set_seqno", nullptr},
    {3217, "mach_port_get_attributes", r_mach_port_get_attributes},
    {3218, "mach_port_set_attributes", r_mach_port_set_attributes},
    {3219, "mach_port_allocate_qos", nullptr},
    {3220, "mach_port_allocate_full", nullptr},
    {3222, "mach_port_get_srights", nullptr},
    {3223, "mach_port_space_info", nullptr},
    {3226, "mach_port_insert_member", r_mach_port_insert_member},
    {3227, "mach_port_extract_member", r_mach_port_extract_member},
    {3228, "mach_port_get_context", r_mach_port_get_context},
    {3229, "mach_port_set_context", r_mach_port_set_context},
    {3231, "mach_port_construct", nullptr},
    {3232, "mach_port_destruct", nullptr},
    {3233, "mach_port_guard", nullptr},
    {3234, "mach_port_unguard", nullptr},
    {3401, "task_terminate", nullptr},
    {3402, "task_threads", nullptr},
    {3405, "task_info", r_task_info},
    {3406, "task_set_info", nullptr},
    {3407, "task_suspend", nullptr},
    {3408, "task_resume", nullptr},
    {3409, "task_get_special_port", nullptr},
    {3410, "task_set_special_port", nullptr},
    {3413, "task_set_exception_ports", nullptr},
    {3414, "task_get_exception_ports", nullptr},
    {3415, "task_swap_exception_ports", nullptr},
    {3418, "semaphore_create", r_semaphore_create},
    {3419, "semaphore_destroy", r_semaphore_destroy},
    {3420, "task_policy_set", nullptr},
    {3421, "task_policy_get", nullptr},
    {3603, "thread_get_state", nullptr},
    {3604, "thread_set_state", nullptr},
    {3612, "thread_info", nullptr},
    {200, "host_info", nullptr},
    {206, "host_get_clock_service", nullptr},
    {4800, "mach_vm_allocate", nullptr},
    {4801, "mach_vm_deallocate", nullptr},
    {4802, "mach_vm_protect", nullptr},
    {4806, "mach_vm_read", nullptr},
    {4810, "mach_vm_write", nullptr},
    {4811, "mach_vm_copy", nullptr},
};

const MigEntry* find_routine(int32_t id) {
    for (const MigEntry& e : kRoutines)
        if (e.id == id) return &e;
    return nullptr;
}

// MIG subsystems by base id, for the one-time message about an id macrun does not serve.
const char* subsystem_of(int32_t id) {
    struct Sub {
        int32_t base;
        const char* name;
    };
    static const Sub kSubs[] = {{200, "mach_host"},  {400, "host_priv"},  {600, "host_security"},
                                {1000, "clock"},     {2400, "processor"}, {3200, "mach_port"},
                                {3400, "task"},      {3600, "thread_act"}, {3800, "vm_map"},
                                {4000, "processor_set"}, {4800, "mach_vm"}, {5400, "mach_voucher"},
                                {617000, "lock_set"}, {617200, "semaphore"}};
    for (const Sub& s : kSubs)
        if (id >= s.base && id < s.base + 100) return s.name;
    return "unknown";
}

void report_bad_id(int32_t id, const char* routine) {
    static std::atomic<uint64_t> said[64];
    uint32_t bit = uint32_t(id) % 4096;
    uint64_t mask = 1ull << (bit % 64);
    if (said[bit / 64].fetch_or(mask) & mask) return;
    char text[200];
    snprintf(text, sizeof text, "MIG message id %d (%s subsystem%s%s) to a kernel port is not served: replying MIG_BAD_ID",
             id, subsystem_of(id), routine ? ", routine " : "", routine ? routine : "");
    xnu_sys::trace_note(text);
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
    if (!e || !e->fn) {
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
    if (!ip_valid(rp) || ip_in_space(rp, &g_kernel_space)) {
        kmsg_destroy(reply);
        return nullptr;
    }
    return reply;
}

}  // namespace mach
