// The host's MIG routines (xnu osfmk/mach/mach_host.defs, base 200) and the clock's (clock.defs, base 1000),
// served from what Linux says of the machine: /proc/meminfo, /proc/vmstat, /proc/stat, /proc/loadavg.
// Counters that Linux does not keep (zero-fill, reactivations, copy-on-write faults, the compressor's) are 0.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "base/host.hpp"
#include "mig_server.hpp"
#include "base/release.hpp"
#include "base/page.hpp"

namespace mach::mig {

namespace {

constexpr uint32_t HOST_INFO_MAX = 68;     // integers a host_info reply holds (mach_host.h __Reply__host_info_t)
constexpr uint32_t HOST_INFO64_MAX = 256;  // and a host_statistics64 reply
constexpr int32_t CPU_TYPE_X86 = 7;        // host_info reports the family; libc ORs in CPU_ARCH_ABI64 itself
using base::kPageSize;

Port* port_host(Port* port) { return port->kotype == Kotype::Host ? port : nullptr; }

// A value in kB from /proc/meminfo ("Name:   1234 kB"), or 0.
uint64_t meminfo_kb(const char* text, const char* name) {
    const char* p = strstr(text, name);
    return p ? strtoull(p + strlen(name), nullptr, 10) : 0;
}
// A counter from /proc/vmstat ("name 1234"), or 0.
uint64_t vmstat(const char* text, const char* name) {
    size_t n = strlen(name);
    for (const char* p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : nullptr)
        if (!strncmp(p, name, n) && p[n] == ' ') return strtoull(p + n + 1, nullptr, 10);
    return 0;
}

struct VmCounts {
    uint64_t free = 0, active = 0, inactive = 0, wired = 0, speculative = 0, purgeable = 0;
    uint64_t pageins = 0, pageouts = 0, faults = 0, swapins = 0, swapouts = 0, external = 0, internal = 0;
};

// Pages as XNU's VM counts them, mapped from Linux's: free is MemFree; active and inactive are the LRU lists;
// wired is what cannot be paged (unevictable pages, unreclaimable slab, kernel stacks, page tables); file
// pages are "external", anonymous ones "internal".
bool vm_counts(VmCounts* v) {
    static char mem[8192], vm[16384];
    if (!read_proc(0, "meminfo", mem, sizeof mem) || !read_proc(0, "vmstat", vm, sizeof vm)) return false;
    auto pages = [](uint64_t kb) { return kb * 1024 / kPageSize; };
    v->free = pages(meminfo_kb(mem, "MemFree:"));
    v->active = pages(meminfo_kb(mem, "Active:"));
    v->inactive = pages(meminfo_kb(mem, "Inactive:"));
    v->wired = pages(meminfo_kb(mem, "Unevictable:") + meminfo_kb(mem, "SUnreclaim:") +
                     meminfo_kb(mem, "KernelStack:") + meminfo_kb(mem, "PageTables:"));
    v->external = pages(meminfo_kb(mem, "Active(file):") + meminfo_kb(mem, "Inactive(file):"));
    v->internal = pages(meminfo_kb(mem, "Active(anon):") + meminfo_kb(mem, "Inactive(anon):"));
    v->pageins = vmstat(vm, "pgmajfault");
    v->pageouts = vmstat(vm, "pgpgout") * 1024 / kPageSize;
    v->faults = vmstat(vm, "pgfault");
    v->swapins = vmstat(vm, "pswpin");
    v->swapouts = vmstat(vm, "pswpout");
    return true;
}

// CPU ticks (USER_HZ, 100 a second as XNU's hz) of line `cpu` ("cpu" for all, "cpu3" for one) of /proc/stat,
// in XNU's order: user, system, idle, nice. Interrupt time counts as system, I/O wait as idle.
bool cpu_ticks(const char* line, uint32_t out[4]) {
    static char st[65536];
    if (!read_proc(0, "stat", st, sizeof st)) return false;
    size_t n = strlen(line);
    for (const char* p = st; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : nullptr) {
        if (strncmp(p, line, n) || p[n] != ' ') continue;
        unsigned long long v[8] = {};
        if (sscanf(p + n, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                   &v[7]) < 4)
            return false;
        out[CPU_STATE_USER] = uint32_t(v[0]);
        out[CPU_STATE_NICE] = uint32_t(v[1]);
        out[CPU_STATE_SYSTEM] = uint32_t(v[2] + v[5] + v[6] + v[7]);
        out[CPU_STATE_IDLE] = uint32_t(v[3] + v[4]);
        return true;
    }
    return false;
}

// host_statistics (host_statistics_from_user): the flavors of host_info_t.
kern_return_t host_statistics(int flavor, uint32_t* out, uint32_t* count) {
    switch (flavor) {
        case HOST_LOAD_INFO: {
            if (*count < HOST_LOAD_INFO_COUNT) return KERN_FAILURE;
            char buf[256];
            double l[3] = {};
            if (!read_proc(0, "loadavg", buf, sizeof buf) || sscanf(buf, "%lf %lf %lf", &l[0], &l[1], &l[2]) != 3)
                return KERN_FAILURE;
            // The mach factor is the CPUs' spare capacity: CPUs less the load, never below 0 (LOAD_SCALE 1000).
            double ncpus = base::host_facts().ncpus;
            host_load_info_t i;
            for (int k = 0; k < 3; k++) {
                i.avenrun[k] = int32_t(l[k] * 1000);
                i.mach_factor[k] = int32_t(std::max(0.0, ncpus - l[k]) * 1000);
            }
            memcpy(out, &i, sizeof i);
            *count = HOST_LOAD_INFO_COUNT;
            return KERN_SUCCESS;
        }
        case HOST_VM_INFO: {
            if (*count < HOST_VM_INFO_REV0_COUNT) return KERN_FAILURE;
            VmCounts v;
            if (!vm_counts(&v)) return KERN_FAILURE;
            vm_statistics_t s{};
            s.free_count = uint32_t(v.free), s.active_count = uint32_t(v.active), s.inactive_count = uint32_t(v.inactive);
            s.wire_count = uint32_t(v.wired), s.pageins = uint32_t(v.pageins), s.pageouts = uint32_t(v.pageouts);
            s.faults = uint32_t(v.faults);
            // REV0 callers get the first 12 fields; REV1 adds purgeable_count and purges, REV2 speculative_count.
            uint32_t n = std::min(*count, HOST_VM_INFO_COUNT);
            if (n < HOST_VM_INFO_COUNT && n != 14) n = HOST_VM_INFO_REV0_COUNT;
            memcpy(out, &s, n * 4);
            *count = n;
            return KERN_SUCCESS;
        }
        case HOST_CPU_LOAD_INFO: {
            if (*count < HOST_CPU_LOAD_INFO_COUNT) return KERN_FAILURE;
            if (!cpu_ticks("cpu", out)) return KERN_FAILURE;
            *count = HOST_CPU_LOAD_INFO_COUNT;
            return KERN_SUCCESS;
        }
        default: return KERN_INVALID_ARGUMENT;
    }
}

kern_return_t host_info(int flavor, uint32_t* out, uint32_t* count) {
    const base::HostFacts& h = base::host_facts();
    switch (flavor) {
        case HOST_BASIC_INFO: {
            if (*count < HOST_BASIC_INFO_OLD_COUNT) return KERN_FAILURE;
            host_basic_info_t i{};
            i.max_cpus = i.avail_cpus = int32_t(h.ncpus);
            i.memory_size = uint32_t(std::min<uint64_t>(h.memsize, 0x80000000u));
            i.cpu_type = CPU_TYPE_X86;
            i.cpu_subtype = h.cpu_subtype;
            i.cpu_threadtype = 0;  // CPU_THREADTYPE_NONE
            i.physical_cpu = i.physical_cpu_max = i.logical_cpu = i.logical_cpu_max = int32_t(h.ncpus);
            i.max_mem = h.memsize;
            *count = *count >= HOST_BASIC_INFO_COUNT ? HOST_BASIC_INFO_COUNT : HOST_BASIC_INFO_OLD_COUNT;
            memcpy(out, &i, *count * 4);
            return KERN_SUCCESS;
        }
        case HOST_SCHED_INFO: {
            if (*count < HOST_SCHED_INFO_COUNT) return KERN_FAILURE;
            host_sched_info_t i{10, 10};  // std_quantum_us / 1000: XNU's 10 ms quantum
            memcpy(out, &i, sizeof i);
            *count = HOST_SCHED_INFO_COUNT;
            return KERN_SUCCESS;
        }
        case HOST_RESOURCE_SIZES:
        case HOST_PRIORITY_INFO:
        case HOST_PREFERRED_USER_ARCH:
            base::report_unimplemented(base::SysClass::Mach, 200, "host_info flavor (resource sizes, priority, preferred arch)");
            return KERN_INVALID_ARGUMENT;
        default: return KERN_INVALID_ARGUMENT;
    }
}

// Host routines whose reply is NDR, RetCode, a count and that many integers (CountInOut). A request to a port
// that is not the host's: `no_host` (host_info: KERN_INVALID_ARGUMENT, host_statistics: KERN_INVALID_HOST).
kern_return_t counted_reply(MigCtx& c, kern_return_t (*fn)(int, uint32_t*, uint32_t*), uint32_t max,
                            kern_return_t no_host) {
    if (!simple_request(c.req, 40)) return MIG_BAD_ARGUMENTS;
    if (!port_host(c.port)) return no_host;
    uint32_t count = std::min(u32(c.req, 12), max);
    uint32_t out[HOST_INFO64_MAX] = {};
    kern_return_t kr = fn(int32_t(u32(c.req, 8)), out, &count);
    if (kr != KERN_SUCCESS) return kr;
    uint8_t payload[4 + sizeof out];
    memcpy(payload, &count, 4);
    memcpy(payload + 4, out, count * 4);
    c.reply = simple_reply(c, payload, 4 + count * 4);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t host_statistics64(int flavor, uint32_t* out, uint32_t* count) {
    if (flavor != HOST_VM_INFO64) return host_statistics(flavor, out, count);
    if (*count < HOST_VM_INFO64_COUNT) return KERN_FAILURE;
    VmCounts v;
    if (!vm_counts(&v)) return KERN_FAILURE;
    vm_statistics64_t s{};
    s.free_count = uint32_t(v.free), s.active_count = uint32_t(v.active), s.inactive_count = uint32_t(v.inactive);
    s.wire_count = uint32_t(v.wired);
    s.pageins = v.pageins, s.pageouts = v.pageouts, s.faults = v.faults;
    s.swapins = v.swapins, s.swapouts = v.swapouts;
    s.external_page_count = uint32_t(v.external), s.internal_page_count = uint32_t(v.internal);
    memcpy(out, &s, sizeof s);
    *count = HOST_VM_INFO64_COUNT;
    return KERN_SUCCESS;
}

}  // namespace

kern_return_t r_host_info(MigCtx& c) { return counted_reply(c, host_info, HOST_INFO_MAX, KERN_INVALID_ARGUMENT); }
kern_return_t r_host_statistics(MigCtx& c) {
    return counted_reply(c, host_statistics, HOST_INFO_MAX, KERN_INVALID_HOST);
}
kern_return_t r_host_statistics64(MigCtx& c) {
    return counted_reply(c, host_statistics64, HOST_INFO64_MAX, KERN_INVALID_HOST);
}

// Reply: NDR, RetCode, then the string inline as MIG sends a c_string: offset, count (with the NUL), bytes
// (the message is cut after the bytes, rounded up to 4).
kern_return_t r_host_kernel_version(MigCtx& c) {
    if (!simple_request(c.req, 24)) return MIG_BAD_ARGUMENTS;
    if (!port_host(c.port)) return KERN_INVALID_ARGUMENT;
    uint8_t payload[8 + 512] = {};
    uint32_t n = uint32_t(std::min<size_t>(strlen(base::kKernVersion) + 1, 512));
    memcpy(payload + 4, &n, 4);
    memcpy(payload + 8, base::kKernVersion, n - 1);
    c.reply = simple_reply(c, payload, 8 + ((n + 3) & ~3u));
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t r_host_page_size(MigCtx& c) {
    if (!simple_request(c.req, 24)) return MIG_BAD_ARGUMENTS;
    if (!port_host(c.port)) return KERN_INVALID_ARGUMENT;
    uint64_t size = kPageSize;
    c.reply = simple_reply(c, &size, 8);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

// Reply: an out-of-line array of per-processor records, then NDR, the processor count and the array's count.
kern_return_t r_host_processor_info(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    if (!port_host(c.port)) return KERN_INVALID_ARGUMENT;
    uint32_t ncpus = base::host_facts().ncpus;
    int flavor = int32_t(u32(c.req, 8));
    uint32_t per;
    switch (flavor) {
        case PROCESSOR_BASIC_INFO: per = PROCESSOR_BASIC_INFO_COUNT; break;
        case PROCESSOR_CPU_LOAD_INFO: per = PROCESSOR_CPU_LOAD_INFO_COUNT; break;
        default: return KERN_INVALID_ARGUMENT;
    }
    uint32_t total = ncpus * per;
    auto* info = static_cast<uint32_t*>(kalloc(total * 4));
    if (!info) return KERN_RESOURCE_SHORTAGE;
    for (uint32_t i = 0; i < ncpus; i++) {
        uint32_t* rec = info + i * per;
        if (flavor == PROCESSOR_BASIC_INFO) {
            processor_basic_info_t b{CPU_TYPE_X86, base::host_facts().cpu_subtype, 1, int32_t(i), i == 0};
            memcpy(rec, &b, sizeof b);
        } else {
            char line[16];
            snprintf(line, sizeof line, "cpu%u", i);
            if (!cpu_ticks(line, rec)) memset(rec, 0, per * 4);
        }
    }
    Kmsg* r = new_reply(c.req, 1, 16);
    if (!r) {
        kfree(info);
        return KERN_RESOURCE_SHORTAGE;
    }
    reply_ool(r, 0, info, total * 4);
    memcpy(r->body, &NDR_record, 8);
    memcpy(r->body + 8, &ncpus, 4);
    memcpy(r->body + 12, &total, 4);
    c.reply = r;
    return KERN_SUCCESS;
}

// Reply: a send right to the clock's port.
kern_return_t r_host_get_clock_service(MigCtx& c) {
    if (!simple_request(c.req, 36)) return MIG_BAD_ARGUMENTS;
    if (!port_host(c.port)) return KERN_INVALID_ARGUMENT;
    int32_t id = int32_t(u32(c.req, 8));
    if (id != SYSTEM_CLOCK && id != CALENDAR_CLOCK) return KERN_INVALID_ARGUMENT;
    Task* task = static_cast<Task*>(c.port->kobject);
    Port*& p = task->clock_ports[id];
    if (!p && !(p = port_alloc_kobject(Kotype::Clock, reinterpret_cast<void*>(uintptr_t(id)))))
        return KERN_RESOURCE_SHORTAGE;
    port_make_send(p);
    return port_reply(c, p, MACH_MSG_TYPE_PORT_SEND);
}

// clock_get_time: the system clock counts from boot (CLOCK_MONOTONIC, which, like XNU's, stops during sleep),
// the calendar clock is the time of day.
kern_return_t r_clock_get_time(MigCtx& c) {
    if (!simple_request(c.req, 24)) return MIG_BAD_ARGUMENTS;
    if (c.port->kotype != Kotype::Clock) return KERN_INVALID_ARGUMENT;
    bool calendar = reinterpret_cast<uintptr_t>(c.port->kobject) == CALENDAR_CLOCK;
    timespec ts;
    clock_gettime(calendar ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
    mach_timespec_t t{uint32_t(ts.tv_sec), int32_t(ts.tv_nsec)};
    c.reply = simple_reply(c, &t, sizeof t);
    return c.reply ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

}  // namespace mach::mig
