#include "commpage.hpp"

#include <cpuid.h>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>
#include <x86intrin.h>

namespace loader {

using base::HostFacts;
using base::host_facts;
using base::now_ns;

namespace {

// Offsets into the data page (xnu osfmk/i386/cpu_capabilities.h, _COMM_PAGE_THIS_VERSION 14).
constexpr size_t kSignature = 0x000, kCapabilities64 = 0x010, kVersion = 0x01e, kCapabilities32 = 0x020,
                 kNcpus = 0x022, kCacheLinesize = 0x026, kActiveCpus = 0x034, kPhysicalCpus = 0x035,
                 kLogicalCpus = 0x036, kCpuClusters = 0x037, kMemorySize = 0x038, kCpuFamily = 0x040,
                 kKernelPageShift = 0x04d, kUserPageShift64 = 0x04e, kNtTscBase = 0x050, kNtScale = 0x058,
                 kNtShift = 0x05c, kNtNsBase = 0x060, kNtGeneration = 0x068, kGtodGeneration = 0x06c,
                 kApproxTimeSupported = 0x088, kBoottimeUsec = 0x0c8;
constexpr uint16_t kThisVersion = 14;
static_assert(kCommpageSyscallGadget == 0x7fffffe01ffcULL, "loader/enter.S jumps to the gadget by its address");

template <typename T>
void put(uint8_t* page, size_t off, T v) { std::memcpy(page + off, &v, sizeof v); }

}  // namespace

void fill_nanotime(uint8_t* page, uint64_t tsc_hz, uint64_t tsc_now, uint64_t ns_now) {
    // nanotime(): ns = ns_base + (((tsc - tsc_base) << shift) * scale >> 32). Choose shift so that scale
    // (1e9 / tsc_hz as 32.32 fixed point) fits in 32 bits even for a TSC slower than 1 GHz.
    uint32_t shift = 0;
    uint64_t hz = tsc_hz ? tsc_hz : 1000000000ULL;
    while ((1000000000ULL << 32) / (hz << shift) > 0xffffffffULL) shift++;
    uint64_t scale = (1000000000ULL << 32) / (hz << shift);
    put<uint64_t>(page, kNtTscBase, tsc_now);
    put<uint32_t>(page, kNtScale, uint32_t(scale));
    put<uint32_t>(page, kNtShift, shift);
    put<uint64_t>(page, kNtNsBase, ns_now);
    put<uint32_t>(page, kNtGeneration, 1);  // 0 means "being updated": Apple's readers spin on it
}

void fill_commpage(uint8_t* page, const HostFacts& f) {
    std::memset(page, 0, 4096);
    std::memcpy(page + kSignature, "commpage 64-bit", 16);
    put<uint64_t>(page, kCapabilities64, f.cpu_capabilities);
    put<uint16_t>(page, kVersion, kThisVersion);
    put<uint32_t>(page, kCapabilities32, uint32_t(f.cpu_capabilities));
    // ncpus overlaps the third byte of the 32-bit capabilities word, as on macOS.
    put<uint8_t>(page, kNcpus, uint8_t(f.ncpus > 255 ? 255 : f.ncpus));
    put<uint16_t>(page, kCacheLinesize, 64);
    put<uint8_t>(page, kActiveCpus, uint8_t(f.ncpus));
    put<uint8_t>(page, kPhysicalCpus, uint8_t(f.ncpus));
    put<uint8_t>(page, kLogicalCpus, uint8_t(f.ncpus));
    put<uint8_t>(page, kCpuClusters, 1);
    put<uint64_t>(page, kMemorySize, f.memsize);
    put<uint32_t>(page, kCpuFamily, 0);
    put<uint8_t>(page, kKernelPageShift, 12);
    put<uint8_t>(page, kUserPageShift64, 12);
    put<uint32_t>(page, kGtodGeneration, 0);  // 0: gettimeofday falls back to the system call
    put<uint8_t>(page, kApproxTimeSupported, 0);
    timespec boot_rt, mono;
    clock_gettime(CLOCK_REALTIME, &boot_rt);
    clock_gettime(CLOCK_BOOTTIME, &mono);
    int64_t boot_usec = (boot_rt.tv_sec - mono.tv_sec) * 1000000LL + (boot_rt.tv_nsec - mono.tv_nsec) / 1000;
    put<uint64_t>(page, kBoottimeUsec, uint64_t(boot_usec));
}

namespace {
bool g_reserved = false;
}

bool reserve_commpage() {
    if (g_reserved) return true;
    void* p = mmap(reinterpret_cast<void*>(kCommpageBase), 2 * 4096, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == reinterpret_cast<void*>(kCommpageBase)) return g_reserved = true;
    if (p != MAP_FAILED) munmap(p, 2 * 4096);  // a kernel without MAP_FIXED_NOREPLACE put it elsewhere
    return false;
}

std::string map_commpage() {
    // Over macrun's own reservation when it made one (MAP_FIXED replaces it), else where nothing is yet.
    void* p = mmap(reinterpret_cast<void*>(kCommpageBase), 2 * 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | (g_reserved ? MAP_FIXED : MAP_FIXED_NOREPLACE), -1, 0);
    if (p == MAP_FAILED || p != reinterpret_cast<void*>(kCommpageBase)) {
        if (p != MAP_FAILED) munmap(p, 2 * 4096);
        return fmt::format("cannot map the commpage at {:#x}: the address is in use", kCommpageBase);
    }
    fill_commpage(static_cast<uint8_t*>(p), host_facts());
    const uint8_t gadget[] = {0x0f, 0x05, 0xcc};  // syscall; int3
    std::memcpy(reinterpret_cast<void*>(kCommpageSyscallGadget), gadget, sizeof gadget);
    mprotect(static_cast<uint8_t*>(p) + 4096, 4096, PROT_READ | PROT_EXEC);
    return {};
}

void seal_commpage() {
    // mach_absolute_time counts from boot on macOS: base the nanotime data on CLOCK_MONOTONIC_RAW, which the
    // TSC tracks without NTP slewing.
    auto* page = reinterpret_cast<uint8_t*>(kCommpageBase);
    uint64_t hz = base::tsc_hz();
    fill_nanotime(page, hz, __rdtsc(), now_ns(CLOCK_MONOTONIC_RAW));
    mprotect(page, 4096, PROT_READ);
}

}  // namespace loader
