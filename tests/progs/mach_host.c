/* The host port's MIG routines (mach_host subsystem, base 200) and the clock's (base 1000): host_info
 * (HOST_BASIC_INFO new and old sizes, HOST_SCHED_INFO), host_kernel_version, _host_page_size,
 * host_statistics (HOST_VM_INFO and its REV0 size, HOST_CPU_LOAD_INFO, HOST_LOAD_INFO), host_statistics64
 * (HOST_VM_INFO64), host_processor_info (out-of-line per-CPU records), host_get_clock_service and
 * clock_get_time. Values are compared with what the BSD side says (sysctl hw.ncpu, hw.memsize,
 * kern.version, gettimeofday), layouts with the SDK's MIG structs. Error paths: short counts, unknown
 * flavors and clocks, host requests sent to the task port.
 * Facts: xnu osfmk/mach/mach_host.defs, clock.defs, osfmk/kern/host.c (host_info, host_statistics,
 * host_statistics64, host_processor_info), osfmk/kern/clock_oldops.c (host_get_clock_service, clock_get_time),
 * osfmk/mach/host_info.h, vm_statistics.h, processor_info.h. */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/clock.h>
#include <mach/host_info.h>
#include <mach/mach_host.h>
#include <mach/mig_errors.h>
#include <mach/processor_info.h>
#include <mach/vm_statistics.h>

_Static_assert(sizeof(host_basic_info_data_t) == 48, "host_basic_info");
#define HOST_BASIC_INFO_OLD_COUNT 5 /* xnu osfmk/mach/host_info.h, kernel-private: the first five fields */
_Static_assert(sizeof(vm_statistics64_data_t) == 152, "vm_statistics64");
_Static_assert(sizeof(__Reply___host_page_size_t) == 44, "_host_page_size reply");
_Static_assert(sizeof(__Reply__host_processor_info_t) == 60, "host_processor_info reply");

static unsigned host;

/* host_info (200), host_statistics (216), host_statistics64 (219): same request and reply shapes. */
static int counted(unsigned port, int id, int flavor, int* out, unsigned* count) {
    union { __Request__host_info_t req; __Reply__host_statistics64_t rep; char buf[2048]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.flavor = flavor;
    m.req.host_info_outCnt = *count;
    int r = t_mig_to(&m, port, id, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != 40 + 4 * m.rep.host_info64_outCnt) return -1;
    *count = m.rep.host_info64_outCnt;
    memcpy(out, m.rep.host_info64_out, *count * 4);
    return 0;
}

static long sysctl_long(int a, int b, unsigned size) {
    int mib[2] = {a, b};
    long v = 0;
    unsigned long len = size;
    BSD(sysctl, mib, 2, &v, &len, 0, 0);
    return size == 4 ? (long)(int)v : v;
}

static int processor_info(int flavor, unsigned* ncpu, int** info, unsigned* cnt) {
    union { __Request__host_processor_info_t req; __Reply__host_processor_info_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.flavor = flavor;
    int r = t_mig_to(&m, host, 204, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.out_processor_info.type != MACH_MSG_OOL_DESCRIPTOR ||
        m.rep.out_processor_info.size != m.rep.out_processor_infoCnt * 4)
        return -1;
    *ncpu = m.rep.out_processor_count;
    *info = m.rep.out_processor_info.address;
    *cnt = m.rep.out_processor_infoCnt;
    return 0;
}

static int get_clock(int id, unsigned* port) {
    union { __Request__host_get_clock_service_t req; __Reply__host_get_clock_service_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.clock_id = id;
    int r = t_mig_to(&m, host, 206, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.clock_serv.disposition != MACH_MSG_TYPE_PORT_SEND) return -1;
    *port = m.rep.clock_serv.name;
    return 0;
}

static int clock_time(unsigned clock, mach_timespec_t* t) {
    union { __Request__clock_get_time_t req; __Reply__clock_get_time_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    int r = t_mig_to(&m, clock, 1000, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep) return -1;
    *t = m.rep.cur_time;
    return 0;
}

int main(void) {
    host = (unsigned)MACH0(host_self);
    CHECK(host != 0 && host != ~0u, "host_self_trap: a send right to the host port");
    long ncpu = sysctl_long(6, 3, 4), memsize = sysctl_long(6, 24, 8);

    /* host_info */
    int buf[256];
    unsigned count = HOST_BASIC_INFO_COUNT;
    host_basic_info_data_t* bi = (host_basic_info_data_t*)buf;
    CHECK(counted(host, 200, HOST_BASIC_INFO, buf, &count) == 0 && count == HOST_BASIC_INFO_COUNT,
          "host_info(HOST_BASIC_INFO): 12 integers");
    CHECK(bi->max_cpus == ncpu && bi->avail_cpus == ncpu && bi->logical_cpu == ncpu && bi->logical_cpu_max == ncpu,
          "CPU counts agree with hw.ncpu");
    CHECK(bi->max_mem == (unsigned long)memsize, "max_mem agrees with hw.memsize");
    CHECK(bi->memory_size == (memsize > 0x80000000L ? 0x80000000u : (unsigned)memsize), "memory_size is capped at 2 GiB");
    CHECK(bi->cpu_type == CPU_TYPE_X86 && (bi->cpu_subtype == CPU_SUBTYPE_X86_64_H || bi->cpu_subtype == CPU_SUBTYPE_X86_ARCH1),
          "cpu_type CPU_TYPE_X86, subtype x86_64h or ARCH1");
    count = 64;
    CHECK(counted(host, 200, HOST_BASIC_INFO, buf, &count) == 0 && count == HOST_BASIC_INFO_COUNT, "a larger count: 12 back");
    count = HOST_BASIC_INFO_OLD_COUNT;
    memset(buf, 0x55, sizeof buf);
    CHECK(counted(host, 200, HOST_BASIC_INFO, buf, &count) == 0 && count == HOST_BASIC_INFO_OLD_COUNT &&
              bi->max_cpus == ncpu,
          "the old count (5): the old structure");
    count = 4;
    CHECK(counted(host, 200, HOST_BASIC_INFO, buf, &count) == KERN_FAILURE, "a count below the old size: KERN_FAILURE");
    count = HOST_SCHED_INFO_COUNT;
    CHECK(counted(host, 200, HOST_SCHED_INFO, buf, &count) == 0 && count == 2 && buf[0] > 0 && buf[1] > 0,
          "HOST_SCHED_INFO: minimum timeout and quantum");
    count = 16;
    CHECK(counted(host, 200, 99, buf, &count) == KERN_INVALID_ARGUMENT, "an unknown flavor: KERN_INVALID_ARGUMENT");
    count = 16;
    CHECK(counted(t_task_self(), 200, HOST_BASIC_INFO, buf, &count) == KERN_INVALID_ARGUMENT,
          "host_info sent to the task port: KERN_INVALID_ARGUMENT");

    /* host_kernel_version and _host_page_size */
    {
        union { __Request__host_kernel_version_t req; __Reply__host_kernel_version_t rep; char buf[1024]; } m;
        memset(&m, 0, sizeof m);
        char kv[256] = {0};
        unsigned long len = sizeof kv;
        int mib[2] = {1, 4};
        BSD(sysctl, mib, 2, kv, &len, 0, 0);
        CHECK(t_mig_to(&m, host, 201, sizeof m.req, sizeof m) == 0 && m.rep.kernel_versionCnt == strlen(kv) + 1 &&
                  !strcmp(m.rep.kernel_version, kv),
              "host_kernel_version: kern.version, with its NUL counted");
        CHECK(m.rep.Head.msgh_size == 44 + ((m.rep.kernel_versionCnt + 3) & ~3u), "the reply ends after the string");
    }
    {
        union { __Request___host_page_size_t req; __Reply___host_page_size_t rep; char buf[256]; } m;
        memset(&m, 0, sizeof m);
        CHECK(t_mig_to(&m, host, 202, sizeof m.req, sizeof m) == 0 && m.rep.out_page_size == 4096, "_host_page_size: 4096");
        memset(&m, 0, sizeof m);
        CHECK(t_mig_to(&m, host, 202, sizeof m.req + 8, sizeof m) == MIG_BAD_ARGUMENTS, "a request too long: MIG_BAD_ARGUMENTS");
    }

    /* host_statistics and host_statistics64 */
    vm_statistics_data_t* vs = (vm_statistics_data_t*)buf;
    count = HOST_VM_INFO_COUNT;
    CHECK(counted(host, 216, HOST_VM_INFO, buf, &count) == 0 && count == HOST_VM_INFO_COUNT, "host_statistics(HOST_VM_INFO)");
    unsigned long pages = (unsigned long)memsize / 4096;
    CHECK(vs->free_count > 0 && vs->free_count < pages && vs->active_count + vs->inactive_count < pages,
          "free, active and inactive page counts within physical memory");
    count = HOST_VM_INFO_REV0_COUNT;
    CHECK(counted(host, 216, HOST_VM_INFO, buf, &count) == 0 && count == HOST_VM_INFO_REV0_COUNT, "the REV0 count: 12 back");
    count = 3;
    CHECK(counted(host, 216, HOST_VM_INFO, buf, &count) == KERN_FAILURE, "too small a count: KERN_FAILURE");
    count = HOST_CPU_LOAD_INFO_COUNT;
    CHECK(counted(host, 216, HOST_CPU_LOAD_INFO, buf, &count) == 0 && count == 4, "host_statistics(HOST_CPU_LOAD_INFO)");
    unsigned long before = (unsigned)buf[0] + (unsigned)buf[1] + (unsigned)buf[2] + (unsigned)buf[3];
    CHECK(before > 0, "the CPUs have ticked");
    count = HOST_LOAD_INFO_COUNT;
    CHECK(counted(host, 216, HOST_LOAD_INFO, buf, &count) == 0 && count == 6 && buf[0] >= 0 && buf[3] >= 0,
          "host_statistics(HOST_LOAD_INFO): load averages and mach factors");
    count = 16;
    CHECK(counted(t_task_self(), 216, HOST_VM_INFO, buf, &count) == KERN_INVALID_HOST,
          "host_statistics sent to the task port: KERN_INVALID_HOST");
    vm_statistics64_data_t* v64 = (vm_statistics64_data_t*)buf;
    count = HOST_VM_INFO64_COUNT;
    CHECK(counted(host, 219, HOST_VM_INFO64, buf, &count) == 0 && count == HOST_VM_INFO64_COUNT,
          "host_statistics64(HOST_VM_INFO64): 38 integers");
    CHECK(v64->free_count > 0 && v64->free_count < pages && v64->faults > 0, "free pages, and page faults have happened");
    CHECK(v64->internal_page_count + v64->external_page_count < pages, "anonymous and file pages within memory");
    count = HOST_CPU_LOAD_INFO_COUNT;
    CHECK(counted(host, 219, HOST_CPU_LOAD_INFO, buf, &count) == 0 && count == 4,
          "host_statistics64 answers host_statistics' flavors too");

    /* host_processor_info */
    unsigned n, cnt;
    int* info;
    CHECK(processor_info(PROCESSOR_BASIC_INFO, &n, &info, &cnt) == 0 && n == (unsigned)ncpu &&
              cnt == n * PROCESSOR_BASIC_INFO_COUNT,
          "host_processor_info(PROCESSOR_BASIC_INFO): one record per CPU, out of line");
    int ok = 1;
    for (unsigned i = 0; i < n; i++) {
        processor_basic_info_t p = (processor_basic_info_t)(info + i * PROCESSOR_BASIC_INFO_COUNT);
        if (p->cpu_type != CPU_TYPE_X86 || !p->running || p->slot_num != (int)i || p->is_master != (i == 0)) ok = 0;
    }
    CHECK(ok, "each CPU running, numbered in order, the first the master");
    CHECK(MACH(vm_deallocate, t_task_self(), (long)info, cnt * 4) == 0, "the records are ours to deallocate");
    CHECK(processor_info(PROCESSOR_CPU_LOAD_INFO, &n, &info, &cnt) == 0 && cnt == n * PROCESSOR_CPU_LOAD_INFO_COUNT,
          "host_processor_info(PROCESSOR_CPU_LOAD_INFO)");
    unsigned long total = 0;
    for (unsigned i = 0; i < cnt; i++) total += (unsigned)info[i];
    CHECK(total > 0, "the CPUs' ticks");
    MACH(vm_deallocate, t_task_self(), (long)info, cnt * 4);
    CHECK(processor_info(77, &n, &info, &cnt) == KERN_INVALID_ARGUMENT, "an unknown flavor: KERN_INVALID_ARGUMENT");

    /* host_get_clock_service and clock_get_time */
    unsigned sys_clock, cal_clock;
    CHECK(get_clock(SYSTEM_CLOCK, &sys_clock) == 0 && t_port_type(sys_clock) == MACH_PORT_TYPE_SEND,
          "host_get_clock_service(SYSTEM_CLOCK): a send right");
    unsigned again;
    CHECK(get_clock(SYSTEM_CLOCK, &again) == 0 && again == sys_clock && t_refs(sys_clock, MACH_PORT_RIGHT_SEND) == 2,
          "asked again: the same port, a second reference");
    CHECK(get_clock(CALENDAR_CLOCK, &cal_clock) == 0 && cal_clock != sys_clock, "CALENDAR_CLOCK: another port");
    CHECK(get_clock(7, &again) == KERN_INVALID_ARGUMENT, "an unknown clock: KERN_INVALID_ARGUMENT");
    mach_timespec_t t1, t2;
    long tv[2];
    CHECK(clock_time(cal_clock, &t1) == 0, "clock_get_time(calendar)");
    BSD(gettimeofday, tv, 0, 0);
    CHECK(t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000 && (long)t1.tv_sec <= tv[0] && tv[0] - (long)t1.tv_sec <= 2,
          "the calendar clock is the time of day");
    CHECK(clock_time(sys_clock, &t1) == 0 && clock_time(sys_clock, &t2) == 0, "clock_get_time(system) twice");
    CHECK((t2.tv_sec > t1.tv_sec || (t2.tv_sec == t1.tv_sec && t2.tv_nsec >= t1.tv_nsec)) && t1.tv_sec < tv[0],
          "the system clock runs forward and counts from boot");
    CHECK(clock_time(host, &t1) == KERN_INVALID_ARGUMENT, "clock_get_time sent to the host port: KERN_INVALID_ARGUMENT");
    return t_done();
}
