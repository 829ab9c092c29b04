// Facts about the host that several layers report to the program: the commpage, sysctl's hw.* and machdep.*
// and the Mach host_info routines read the same values, computed once per process.
//
// CPUID is cheap on bare metal and costs about 5 us under a hypervisor (each one exits to it), so the facts
// are read with as few CPUID instructions as possible, and the brand string only when asked for.
#pragma once

#include <cstdint>

namespace base {

struct HostFacts {
    uint32_t ncpus = 1;
    uint64_t memsize = 0;
    uint64_t cpu_capabilities = 0;
    int32_t cpu_subtype = 4;  // CPU_SUBTYPE_X86_64_H (8) on a CPU with Haswell's feature set, else X86_ARCH1 (4)
};
const HostFacts& host_facts();

// The CPUID brand string (machdep.cpu.brand_string).
const char* cpu_brand();

// The TSC frequency in Hz: the value handed on by the macrun that exec'd this one (set_tsc_hz), so that every
// process of a session converts mach_absolute_time alike; else measured against CLOCK_MONOTONIC_RAW over
// macrun's own start-up: the window opens at tsc_window_open() (the first thing macrun does) and closes at
// the first call here, which waits only for what the window lacks of kMinTscWindowNs. (CPUID's leaves for it,
// 0x15 and a hypervisor's 0x40000010, cost two CPUID exits under a hypervisor, more than the measurement.)
uint64_t tsc_hz();
void tsc_window_open();
void set_tsc_hz(uint64_t hz);
inline constexpr uint64_t kMinTscWindowNs = 200000;

// A clock_gettime clock (CLOCK_MONOTONIC, ...) in nanoseconds.
uint64_t now_ns(int clock);

}  // namespace base
