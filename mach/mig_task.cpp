// The task subsystem's routines (xnu osfmk/mach/task.defs) and the semaphore routines it carries.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/syscall.h>

#include "mig_server.hpp"
#include "syscalls/trace.hpp"
#include "tracer/raw_syscall.hpp"

namespace mach::mig {

// ---- task_info ----

using tracer::raw_syscall;

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
