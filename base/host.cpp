#include "base/host.hpp"

#include <cpuid.h>
#include <cstring>
#include <ctime>
#include <unistd.h>
#include <x86intrin.h>

namespace base {
namespace {

// _cpu_capabilities bits (xnu osfmk/i386/cpu_capabilities.h).
constexpr uint64_t kHasMMX = 0x1, kHasSSE = 0x2, kHasSSE2 = 0x4, kHasSSE3 = 0x8, kCache64 = 0x20,
                   kFastThreadLocalStorage = 0x80, kHasSupplementalSSE3 = 0x100, k64Bit = 0x200,
                   kHasSSE4_1 = 0x400, kHasSSE4_2 = 0x800, kHasAES = 0x1000, kUP = 0x8000, kNumCPUsShift = 16,
                   kHasAVX1_0 = 0x01000000, kHasRDRAND = 0x02000000, kHasF16C = 0x04000000,
                   kHasENFSTRG = 0x08000000, kHasFMA = 0x10000000, kHasAVX2_0 = 0x20000000, kHasBMI1 = 0x40000000,
                   kHasBMI2 = 0x80000000, kHasADX = 0x400000000ULL, kHasRDSEED = 0x800000000ULL,
                   kHasAVX512F = 0x4000000000ULL;

uint64_t capabilities(uint32_t ncpus) {
    unsigned a, b, c, d;
    uint64_t caps = k64Bit | kCache64 | kFastThreadLocalStorage;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (d & bit_MMX) caps |= kHasMMX;
        if (d & bit_SSE) caps |= kHasSSE;
        if (d & bit_SSE2) caps |= kHasSSE2;
        if (c & bit_SSE3) caps |= kHasSSE3;
        if (c & bit_SSSE3) caps |= kHasSupplementalSSE3;
        if (c & bit_SSE4_1) caps |= kHasSSE4_1;
        if (c & bit_SSE4_2) caps |= kHasSSE4_2;
        if (c & bit_AES) caps |= kHasAES;
        if (c & bit_AVX) caps |= kHasAVX1_0;
        if (c & bit_RDRND) caps |= kHasRDRAND;
        if (c & bit_F16C) caps |= kHasF16C;
        if (c & bit_FMA) caps |= kHasFMA;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & bit_AVX2) caps |= kHasAVX2_0;
        if (b & bit_BMI) caps |= kHasBMI1;
        if (b & bit_BMI2) caps |= kHasBMI2;
        if (b & (1u << 9)) caps |= kHasENFSTRG;  // ERMS: enhanced REP MOVSB/STOSB
        if (b & bit_ADX) caps |= kHasADX;
        if (b & bit_RDSEED) caps |= kHasRDSEED;
        if (b & bit_AVX512F) caps |= kHasAVX512F;
    }
    if (ncpus == 1) caps |= kUP;
    caps |= uint64_t(ncpus > 255 ? 255 : ncpus) << kNumCPUsShift;
    return caps;
}

// cpuid_set_generic_info (xnu osfmk/i386/cpuid.c): the "x86_64h" subtype needs FMA, SSE4.2, MOVBE, POPCNT and
// AVX (leaf 1), LZCNT (leaf 0x80000001) and BMI1, AVX2, BMI2 (leaf 7); otherwise CPU_SUBTYPE_X86_ARCH1.
int32_t cpu_subtype() {
    unsigned a, b, c, d;
    bool ok = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_FMA) && (c & bit_SSE4_2) && (c & bit_MOVBE) &&
              (c & bit_POPCNT) && (c & bit_AVX);
    ok = ok && __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_LZCNT);
    ok = ok && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_BMI) && (b & bit_AVX2) && (b & bit_BMI2);
    return ok ? 8 : 4;
}

// The TSC frequency: from the hypervisor's CPUID leaf when there is one, else CPUID 0x15, else measured
// against CLOCK_MONOTONIC_RAW.
uint64_t tsc_frequency() {
    unsigned a, b, c, d;
    __cpuid(0x40000000, a, b, c, d);
    if (a >= 0x40000010) {
        __cpuid(0x40000010, a, b, c, d);
        if (a) return uint64_t(a) * 1000;  // kHz
    }
    if (__get_cpuid_max(0, nullptr) >= 0x15) {
        __cpuid(0x15, a, b, c, d);
        if (a && b && c) return uint64_t(c) * b / a;
    }
    // Measured: a 250 us busy wait bounded by two (clock, TSC) pairs; clock_gettime goes through the vDSO, so
    // the error is a few tens of ns in 250 us (about 0.01%), and it costs far less than sleeping.
    uint64_t t0 = now_ns(CLOCK_MONOTONIC_RAW), c0 = __rdtsc(), t1;
    do t1 = now_ns(CLOCK_MONOTONIC_RAW);
    while (t1 - t0 < 250000);
    uint64_t c1 = __rdtsc();
    return (c1 - c0) * 1000000000ULL / (t1 - t0);
}

std::string cpu_brand() {
    unsigned regs[12];
    if (__get_cpuid_max(0x80000000, nullptr) < 0x80000004) return "Unknown CPU";
    for (unsigned i = 0; i < 3; i++) __cpuid(0x80000002 + i, regs[i * 4], regs[i * 4 + 1], regs[i * 4 + 2], regs[i * 4 + 3]);
    std::string s(reinterpret_cast<const char*>(regs), 48);
    s.resize(strnlen(s.c_str(), 48));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    return s;
}

}  // namespace

uint64_t now_ns(int clock) {
    timespec ts;
    clock_gettime(clockid_t(clock), &ts);
    return uint64_t(ts.tv_sec) * 1000000000ULL + uint64_t(ts.tv_nsec);
}

const HostFacts& host_facts() {
    static const HostFacts facts = [] {
        HostFacts f;
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        f.ncpus = n > 0 ? uint32_t(n) : 1;
        f.memsize = uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
        f.cpu_capabilities = capabilities(f.ncpus);
        f.cpu_subtype = cpu_subtype();
        f.tsc_hz = tsc_frequency();
        f.brand = cpu_brand();
        return f;
    }();
    return facts;
}

}  // namespace base
