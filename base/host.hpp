// Facts about the host that several layers report to the program: the commpage, sysctl's hw.* and the Mach
// host_info routines read the same values, computed once per process.
#pragma once

#include <cstdint>
#include <string>

namespace base {

struct HostFacts {
    uint32_t ncpus = 1;
    uint64_t memsize = 0;
    uint64_t cpu_capabilities = 0;
    uint64_t tsc_hz = 0;
    int32_t cpu_subtype = 4;  // CPU_SUBTYPE_X86_64_H (8) on a CPU with Haswell's feature set, else X86_ARCH1 (4)
    std::string brand;  // CPUID brand string
};
const HostFacts& host_facts();

// A clock_gettime clock (CLOCK_MONOTONIC, ...) in nanoseconds.
uint64_t now_ns(int clock);

}  // namespace base
