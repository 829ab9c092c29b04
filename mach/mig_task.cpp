// The task subsystem's routines (xnu osfmk/mach/task.defs) and the semaphore routines it carries.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/syscall.h>

#include "mig_server.hpp"
#include "base/diag.hpp"
#include "base/raw_syscall.hpp"

namespace mach::mig {

// ---- task_info ----

using base::raw_syscall;

bool read_proc(int pid, const char* what, char* buf, size_t cap) {
    char path[64];
    if (pid > 0) snprintf(path, sizeof path, "/proc/%d/%s", pid, what);
    else snprintf(path, sizeof path, "/proc/%s", what);
    long fd = raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long n = raw_syscall(SYS_read, fd, reinterpret_cast<long>(buf), long(cap - 1));
    raw_syscall(SYS_close, fd);
    if (n < 0) return false;
    buf[n] = 0;
    return true;
}

namespace {

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

// USER_HZ is 100 on every Linux/x86 ABI: one tick is 10 ms.
time_value_t ticks_to_time(uint64_t t) { return time_value_t{int32_t(t / 100), int32_t((t % 100) * 10000)}; }

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
    auto ticks = ticks_to_time;
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
            base::report_unimplemented(base::SysClass::Mach, 3405, "task_info flavor TASK_DYLD_INFO");
            return KERN_INVALID_ARGUMENT;
        default: return KERN_INVALID_ARGUMENT;
    }
}

}  // namespace

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
    return port_reply(c, port, MACH_MSG_TYPE_PORT_SEND);
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

}  // namespace mach::mig

// ---- task special ports, threads (osfmk/kern/ipc_tt.c, osfmk/kern/task.c, thread.c) ----

namespace mach::mig {

namespace {

constexpr int TASK_KERNEL_PORT = 1, TASK_HOST_PORT = 2, TASK_NAME_PORT = 3, TASK_BOOTSTRAP_PORT = 4,
              TASK_INSPECT_PORT = 5, TASK_READ_PORT = 6, TASK_ACCESS_PORT = 9, TASK_DEBUG_CONTROL_PORT = 10,
              TASK_RESOURCE_NOTIFY_PORT = 11;
constexpr int THREAD_BASIC_INFO = 3, THREAD_IDENTIFIER_INFO = 4, THREAD_EXTENDED_INFO = 5;
constexpr uint32_t THREAD_INFO_MAX = 32;
constexpr int TH_STATE_RUNNING = 1, TH_STATE_STOPPED = 2, TH_STATE_WAITING = 3, TH_STATE_UNINTERRUPTIBLE = 4,
              TH_STATE_HALTED = 5;

// osfmk/mach/thread_info.h, #pragma pack(4).
struct __attribute__((packed, aligned(4))) thread_basic_info_t {
    time_value_t user_time, system_time;
    int32_t cpu_usage, policy, run_state, flags, suspend_count, sleep_time;
};
static_assert(sizeof(thread_basic_info_t) == 40);
struct __attribute__((packed, aligned(4))) thread_identifier_info_t {
    uint64_t thread_id, thread_handle, dispatch_qaddr;
};
static_assert(sizeof(thread_identifier_info_t) == 24);

bool is_special_port_settable(int which) {
    return which == TASK_BOOTSTRAP_PORT || which == TASK_ACCESS_PORT || which == TASK_DEBUG_CONTROL_PORT ||
           which == TASK_RESOURCE_NOTIFY_PORT;
}

// The threads of a task's process, in /proc order (creation order, the main thread first). Returns how many
// tids were put in `tids` (at most cap).
uint32_t task_tids(Task* task, int* tids, uint32_t cap) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", task->pid);
    long dfd = raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return 0;
    uint32_t n = 0;
    char dents[4096];
    long got;
    while ((got = raw_syscall(SYS_getdents64, dfd, reinterpret_cast<long>(dents), sizeof dents)) > 0) {
        for (long off = 0; off < got;) {
            auto* d = reinterpret_cast<LinuxDirent64*>(dents + off);
            if (d->name[0] != '.' && n < cap) tids[n++] = atoi(d->name);
            off += d->reclen;
        }
    }
    raw_syscall(SYS_close, dfd);
    std::sort(tids, tids + n);
    return n;
}

}  // namespace

// Request: the header alone; reply: the threads' send rights in an out-of-line port array, NDR, the count.
kern_return_t r_task_threads(MigCtx& c) {
    if (!simple_request(c.req, 24)) return MIG_BAD_ARGUMENTS;
    Task* task = port_task(c.port);
    if (!task) return KERN_INVALID_ARGUMENT;
    int tids[1024];
    uint32_t n = task_tids(task, tids, 1024);
    if (n == 0) return KERN_FAILURE;
    auto* ports = static_cast<Port**>(kalloc(n * sizeof(Port*)));
    if (!ports) return KERN_RESOURCE_SHORTAGE;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        ThreadObj* th = thread_object(task, tids[i]);
        if (!th) continue;
        port_make_send(th->port);
        ports[k++] = th->port;
    }
    Kmsg* r = new_reply(c.req, 1, 12);
    if (!r) {
        for (uint32_t i = 0; i < k; i++) port_release_send(ports[i]);
        kfree(ports);
        return KERN_RESOURCE_SHORTAGE;
    }
    KDesc& d = r->descs[0];
    d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
    d.disposition = MACH_MSG_TYPE_PORT_SEND;
    d.copy = MACH_MSG_VIRTUAL_COPY;
    d.count = k;
    d.ports = ports;
    r->descs_in = 1;
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &k, 4);
    c.reply = r;
    return KERN_SUCCESS;
}

// task_get_special_port_from_user: a send right to the port `which` names, MACH_PORT_NULL when none is set.
kern_return_t r_task_get_special_port(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    Task* task = port_task(c.port);
    if (!task) return KERN_INVALID_ARGUMENT;
    int which = int32_t(u32(c.req, 8));
    Port* port = nullptr;
    switch (which) {
        case TASK_KERNEL_PORT: port = task->self_port; port_make_send(port); break;
        case TASK_HOST_PORT: port = task->host_port; port_make_send(port); break;
        case TASK_NAME_PORT:
        case TASK_INSPECT_PORT:
        case TASK_READ_PORT:
            // The name, inspect and read flavors of the task port are separate kernel objects in XNU.
            base::report_unimplemented(base::SysClass::Mach, 3409,
                                          "task_get_special_port(TASK_NAME_PORT/INSPECT/READ)");
            return KERN_INVALID_ARGUMENT;
        default:
            if (!is_special_port_settable(which)) return KERN_INVALID_ARGUMENT;
            port = task->special_ports[which];
            if (ip_valid(port)) {
                if (port->active) port_copy_send(port);
                else port = IP_DEAD;  // ipc_port_copy_send of a dead port
            }
    }
    return port_reply(c, port, MACH_MSG_TYPE_PORT_SEND);
}

// Request: header, body, the port's descriptor (a send right), NDR, which (52 bytes). The right is consumed on
// success; the task's kernel and host ports cannot be replaced (KERN_NO_ACCESS: SIP), nor a set access port.
kern_return_t r_task_set_special_port(MigCtx& c) {
    if (!complex_request(c.req, 52, 1)) return MIG_BAD_ARGUMENTS;
    KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR || (ip_valid(d.port) && d.disposition != MACH_MSG_TYPE_PORT_SEND))
        return MIG_TYPE_ERROR;
    Task* task = port_task(c.port);
    if (!task) return KERN_INVALID_ARGUMENT;
    int which = int32_t(u32(c.req, 8));
    if (which == TASK_KERNEL_PORT || which == TASK_HOST_PORT) return KERN_NO_ACCESS;
    if (!is_special_port_settable(which)) return KERN_INVALID_ARGUMENT;
    Port*& slot = task->special_ports[which];
    if (which == TASK_ACCESS_PORT && ip_valid(slot)) return KERN_NO_ACCESS;
    Port* old = slot;
    slot = d.port;
    d.port = nullptr;
    if (ip_valid(old)) port_release_send(old);
    c.reply = simple_reply(c, nullptr, 0);
    return KERN_SUCCESS;
}

// thread_info: THREAD_BASIC_INFO and THREAD_IDENTIFIER_INFO, from /proc/<pid>/task/<tid>/stat.
kern_return_t r_thread_info(MigCtx& c) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    if (c.port->kotype != Kotype::Thread || !c.port->kobject) return KERN_INVALID_ARGUMENT;
    auto* th = static_cast<ThreadObj*>(c.port->kobject);
    int flavor = int32_t(u32(c.req, 8));
    uint32_t count = std::min(u32(c.req, 12), THREAD_INFO_MAX);
    uint8_t payload[4 + 4 * THREAD_INFO_MAX] = {};
    switch (flavor) {
        case THREAD_BASIC_INFO: {
            if (count < sizeof(thread_basic_info_t) / 4) return KERN_INVALID_ARGUMENT;
            char what[64], stat[1024];
            snprintf(what, sizeof what, "task/%d/stat", th->tid);
            uint64_t ut = 0, st = 0;
            if (!read_proc(c.task->pid, what, stat, sizeof stat) || !stat_times(stat, &ut, &st)) return KERN_INVALID_ARGUMENT;
            const char* p = strrchr(stat, ')');
            char state = p && p[1] == ' ' ? p[2] : 'R';
            thread_basic_info_t i{};
            i.user_time = ticks_to_time(ut);
            i.system_time = ticks_to_time(st);
            i.policy = POLICY_TIMESHARE;
            switch (state) {
                case 'R': i.run_state = TH_STATE_RUNNING; break;
                case 'D': i.run_state = TH_STATE_UNINTERRUPTIBLE; break;
                case 'T':
                case 't': i.run_state = TH_STATE_STOPPED; break;
                case 'Z':
                case 'X': i.run_state = TH_STATE_HALTED; break;
                default: i.run_state = TH_STATE_WAITING; break;
            }
            // The thread making the call is running it (XNU reports the caller as TH_STATE_RUNNING).
            if (th->tid == c.lock.thread().tid()) i.run_state = TH_STATE_RUNNING;
            count = sizeof i / 4;
            memcpy(payload + 4, &i, sizeof i);
            break;
        }
        case THREAD_IDENTIFIER_INFO: {
            if (count < sizeof(thread_identifier_info_t) / 4) return KERN_INVALID_ARGUMENT;
            uint32_t dq = base::process_state().dispatch_queue_offset;
            thread_identifier_info_t i{uint64_t(th->tid), th->tsd_base, th->tsd_base && dq ? th->tsd_base + dq : 0};
            count = sizeof i / 4;
            memcpy(payload + 4, &i, sizeof i);
            break;
        }
        case THREAD_EXTENDED_INFO:
            base::report_unimplemented(base::SysClass::Mach, 3612, "thread_info flavor THREAD_EXTENDED_INFO");
            return KERN_INVALID_ARGUMENT;
        default: return KERN_INVALID_ARGUMENT;
    }
    memcpy(payload, &count, 4);
    c.reply = simple_reply(c, payload, 4 + count * 4);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

}  // namespace mach::mig

// ---- task exception ports (osfmk/kern/ipc_tt.c, osfmk/mach/exception_types.h) ----

namespace mach::mig {

namespace {

constexpr uint32_t kExcTypes = 14;  // EXC_TYPES_COUNT: exceptions 1..13
// EXC_MASK_VALID: every exception type's bit (EXC_MASK_ALL with EXC_MASK_CRASH and EXC_MASK_CORPSE_NOTIFY).
constexpr uint32_t kExcMaskValid = ((1u << kExcTypes) - 1) & ~1u;
constexpr int32_t EXCEPTION_DEFAULT = 1, EXCEPTION_STATE_IDENTITY_PROTECTED = 5;
constexpr uint32_t MACH_EXCEPTION_MASK = 0xe0000000u;  // MACH_EXCEPTION_CODES | _ERRORS | _BACKTRACE_PREFERRED
constexpr uint32_t kMaxHandlers = 32;  // the reply's arrays (exception_handler_array_t)

// VALID_THREAD_STATE_FLAVOR (osfmk/mach/i386/thread_status.h): the x86 flavors, THREAD_STATE_NONE included.
bool valid_flavor(int32_t f) { return (f >= 1 && f <= 13) || (f >= 16 && f <= 25); }

kern_return_t check_handler(uint32_t mask, Port* port, int32_t behavior, int32_t flavor) {
    if (mask & ~kExcMaskValid) return KERN_INVALID_ARGUMENT;
    if (ip_valid(port)) {
        int32_t b = int32_t(uint32_t(behavior) & ~MACH_EXCEPTION_MASK);
        if (b < EXCEPTION_DEFAULT || b > EXCEPTION_STATE_IDENTITY_PROTECTED) return KERN_INVALID_ARGUMENT;
    }
    if (flavor != 0 && !valid_flavor(flavor)) return KERN_INVALID_ARGUMENT;
    return KERN_SUCCESS;
}

// The handlers covering `mask`, grouped as task_get_exception_ports returns them: one entry per distinct
// (port, behavior, flavor), with the mask of the exceptions it handles; a send right per entry.
struct Handlers {
    uint32_t count = 0;
    uint32_t masks[kMaxHandlers];
    Port* ports[kMaxHandlers];
    int32_t behaviors[kMaxHandlers], flavors[kMaxHandlers];
};

void collect(Task* task, uint32_t mask, Handlers* h) {
    for (uint32_t i = 1; i < kExcTypes; i++) {
        if (!(mask & (1u << i))) continue;
        const Task::ExceptionAction& a = task->exceptions[i];
        uint32_t j = 0;
        while (j < h->count && !(h->ports[j] == a.port && h->behaviors[j] == a.behavior && h->flavors[j] == a.flavor)) j++;
        if (j < h->count) {
            h->masks[j] |= 1u << i;
            continue;
        }
        h->masks[j] = 1u << i;
        h->ports[j] = a.port;
        h->behaviors[j] = a.behavior;
        h->flavors[j] = a.flavor;
        if (ip_valid(a.port)) port_copy_send(a.port);
        h->count++;
    }
}

// Reply: 32 port descriptors (the handlers', then null ones), NDR, the count, then the masks, behaviors and
// flavors, each array packed to the count as MIG packs variable arrays.
kern_return_t handlers_reply(MigCtx& c, Handlers& h) {
    Kmsg* r = new_reply(c.req, kMaxHandlers, 12 + 12 * h.count);
    if (!r) {
        for (uint32_t i = 0; i < h.count; i++)
            if (ip_valid(h.ports[i])) port_release_send(h.ports[i]);
        return KERN_RESOURCE_SHORTAGE;
    }
    for (uint32_t i = 0; i < kMaxHandlers; i++) {
        r->descs[i].type = MACH_MSG_PORT_DESCRIPTOR;
        r->descs[i].disposition = MACH_MSG_TYPE_PORT_SEND;
        r->descs[i].port = i < h.count ? h.ports[i] : nullptr;
    }
    r->descs_in = kMaxHandlers;
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &h.count, 4);
    memcpy(r->body + 12, h.masks, 4 * h.count);
    memcpy(r->body + 12 + 4 * h.count, h.behaviors, 4 * h.count);
    memcpy(r->body + 12 + 8 * h.count, h.flavors, 4 * h.count);
    c.reply = r;
    return KERN_SUCCESS;
}

// What a set or swap request asks for.
struct SetArgs {
    Task* task;
    uint32_t mask;
    Port* port;  // the new handler's send right (taken out of the request), or null
    int32_t behavior, flavor;
};

// Request: header, body, the new port's descriptor (a send right, or null), NDR, mask, behavior, flavor (60).
// On success the port's send right is the caller's to install.
kern_return_t set_request(MigCtx& c, SetArgs* a) {
    if (!complex_request(c.req, 60, 1)) return MIG_BAD_ARGUMENTS;
    KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR || (ip_valid(d.port) && d.disposition != MACH_MSG_TYPE_PORT_SEND))
        return MIG_TYPE_ERROR;
    a->task = port_task(c.port);
    if (!a->task) return KERN_INVALID_ARGUMENT;
    a->mask = u32(c.req, 8);
    a->behavior = int32_t(u32(c.req, 12));
    a->flavor = int32_t(u32(c.req, 16));
    a->port = d.port;
    if (kern_return_t kr = check_handler(a->mask, a->port, a->behavior, a->flavor)) return kr;
    if (ip_valid(a->port) && a->mask) {
        // What a handler would receive is not sent yet: faults still become signals directly. Said once.
        static std::atomic<bool> said{false};
        if (!said.exchange(true))
            base::trace_note("exception ports are kept and read back, but no exception message is sent to them "
                                "yet: faults arrive as signals");
    }
    d.port = nullptr;
    return KERN_SUCCESS;
}

// Installs the handler for the exceptions in `mask`; consumes the port's send right.
void install(Task* task, uint32_t mask, Port* port, int32_t behavior, int32_t flavor) {
    for (uint32_t i = 1; i < kExcTypes; i++) {
        if (!(mask & (1u << i))) continue;
        Task::ExceptionAction& a = task->exceptions[i];
        Port* old = a.port;
        if (ip_valid(port)) port_copy_send(port);
        a.port = ip_valid(port) ? port : nullptr;
        a.behavior = behavior;
        a.flavor = flavor;
        if (ip_valid(old)) port_release_send(old);
    }
    if (ip_valid(port)) port_release_send(port);
}

}  // namespace

kern_return_t r_task_set_exception_ports(MigCtx& c) {
    SetArgs a;
    if (kern_return_t kr = set_request(c, &a)) return kr;
    install(a.task, a.mask, a.port, a.behavior, a.flavor);
    c.reply = simple_reply(c, nullptr, 0);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

// Request: header, NDR, mask (36 bytes).
kern_return_t r_task_get_exception_ports(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    Task* task = port_task(c.port);
    if (!task) return KERN_INVALID_ARGUMENT;
    uint32_t mask = u32(c.req, 8);
    if (mask & ~kExcMaskValid) return KERN_INVALID_ARGUMENT;
    Handlers h;
    collect(task, mask, &h);
    return handlers_reply(c, h);
}

// The old handlers as task_get_exception_ports gives them, then the new one installed.
kern_return_t r_task_swap_exception_ports(MigCtx& c) {
    SetArgs a;
    if (kern_return_t kr = set_request(c, &a)) return kr;
    Handlers h;
    collect(a.task, a.mask, &h);
    install(a.task, a.mask, a.port, a.behavior, a.flavor);
    return handlers_reply(c, h);
}

}  // namespace mach::mig
