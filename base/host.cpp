#include "base/host.hpp"

#include <cpuid.h>
#include <sys/platform/x86.h>
#include <cstring>
#include <ctime>
#include <sched.h>
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

// The CPUID leaves the facts are made of. glibc executed CPUID for them already at start-up (its cpu
// features, for its string functions) and keeps the registers: read them there (sys/platform/x86.h), not
// again from the CPU.
struct CpuidLeaves {
    unsigned l1c = 0, l1d = 0;  // leaf 1 ecx, edx
    unsigned l7b = 0;           // leaf 7 ebx
    unsigned e1c = 0;           // leaf 0x80000001 ecx
};

const CpuidLeaves& cpuid_leaves() {
    static const CpuidLeaves leaves = [] {
        CpuidLeaves l;
        const cpuid_feature* f = __x86_get_cpuid_feature_leaf(CPUID_INDEX_1);
        l.l1c = f->cpuid_array[cpuid_register_index_ecx];
        l.l1d = f->cpuid_array[cpuid_register_index_edx];
        l.l7b = __x86_get_cpuid_feature_leaf(CPUID_INDEX_7)->cpuid_array[cpuid_register_index_ebx];
        l.e1c = __x86_get_cpuid_feature_leaf(CPUID_INDEX_80000001)->cpuid_array[cpuid_register_index_ecx];
        return l;
    }();
    return leaves;
}

uint64_t capabilities(const CpuidLeaves& l, uint32_t ncpus) {
    uint64_t caps = k64Bit | kCache64 | kFastThreadLocalStorage;
    const unsigned c = l.l1c, d = l.l1d, b = l.l7b;
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
    if (b & bit_AVX2) caps |= kHasAVX2_0;
    if (b & bit_BMI) caps |= kHasBMI1;
    if (b & bit_BMI2) caps |= kHasBMI2;
    if (b & (1u << 9)) caps |= kHasENFSTRG;  // ERMS: enhanced REP MOVSB/STOSB
    if (b & bit_ADX) caps |= kHasADX;
    if (b & bit_RDSEED) caps |= kHasRDSEED;
    if (b & bit_AVX512F) caps |= kHasAVX512F;
    if (ncpus == 1) caps |= kUP;
    caps |= uint64_t(ncpus > 255 ? 255 : ncpus) << kNumCPUsShift;
    return caps;
}

// cpuid_set_generic_info (xnu osfmk/i386/cpuid.c): the "x86_64h" subtype needs FMA, SSE4.2, MOVBE, POPCNT and
// AVX (leaf 1), LZCNT (leaf 0x80000001) and BMI1, AVX2, BMI2 (leaf 7); otherwise CPU_SUBTYPE_X86_ARCH1.
int32_t cpu_subtype(const CpuidLeaves& l) {
    const unsigned c = l.l1c, b = l.l7b;
    bool ok = (c & bit_FMA) && (c & bit_SSE4_2) && (c & bit_MOVBE) && (c & bit_POPCNT) && (c & bit_AVX) &&
              (l.e1c & bit_LZCNT) && (b & bit_BMI) && (b & bit_AVX2) && (b & bit_BMI2);
    return ok ? 8 : 4;
}

uint64_t g_window_tsc = 0, g_window_ns = 0;  // where the measuring window opened
uint64_t g_tsc_hz = 0;

}  // namespace

uint64_t now_ns(int clock) {
    timespec ts;
    clock_gettime(clockid_t(clock), &ts);
    return uint64_t(ts.tv_sec) * 1000000000ULL + uint64_t(ts.tv_nsec);
}

void tsc_window_open() {
    g_window_ns = now_ns(CLOCK_MONOTONIC_RAW);
    g_window_tsc = __rdtsc();
}

void set_tsc_hz(uint64_t hz) { g_tsc_hz = hz; }

uint64_t tsc_hz() {
    if (g_tsc_hz) return g_tsc_hz;
    if (!g_window_ns) tsc_window_open();
    // Both clocks run through the whole window, so what happened in it (page faults, preemption) does not
    // matter; clock_gettime goes through the vDSO, so the error is a few tens of ns in the window (0.01% in
    // 200 us), the precision a busy-wait of that length gave, at no cost once start-up itself lasts that long.
    uint64_t t1, c1;
    do {
        t1 = now_ns(CLOCK_MONOTONIC_RAW);
        c1 = __rdtsc();
    } while (t1 - g_window_ns < kMinTscWindowNs);
    return g_tsc_hz = (c1 - g_window_tsc) * 1000000000ULL / (t1 - g_window_ns);
}

const char* cpu_brand() {
    static char brand[49] = {};
    static bool done = false;
    if (done) return brand;
    done = true;
    unsigned regs[12] = {};
    unsigned a, b, c, d;
    __cpuid(0x80000000, a, b, c, d);
    if (a < 0x80000004) return strcpy(brand, "Unknown CPU");
    for (unsigned i = 0; i < 3; i++) __cpuid(0x80000002 + i, regs[i * 4], regs[i * 4 + 1], regs[i * 4 + 2], regs[i * 4 + 3]);
    const char* s = reinterpret_cast<const char*>(regs);
    size_t n = strnlen(s, 48);
    while (n && s[n - 1] == ' ') n--;
    size_t start = 0;
    while (start < n && s[start] == ' ') start++;
    memcpy(brand, s + start, n - start);
    return brand;
}

const HostFacts& host_facts() {
    static const HostFacts facts = [] {
        HostFacts f;
        // The CPUs this process may run on, as nproc and Go's runtime count them (one system call; the
        // online count is a file to read).
        cpu_set_t set;
        f.ncpus = sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0 ? uint32_t(CPU_COUNT(&set)) : 1;
        f.memsize = uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
        const CpuidLeaves& l = cpuid_leaves();
        f.cpu_capabilities = capabilities(l, f.ncpus);
        f.cpu_subtype = cpu_subtype(l);
        return f;
    }();
    return facts;
}

}  // namespace base
