#include "sud.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <elf.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

// Bounds of macrun's own code, from the linker (GNU ld).
extern "C" char __executable_start[], etext[];

namespace tracer::sud {
namespace {

// Linux's prctl numbers (include/uapi/linux/prctl.h), kept here for older headers.
constexpr int kPrSetSyscallUserDispatch = 59, kPrSysDispatchOn = 1;
constexpr char kFilterBlock = 1;  // SYSCALL_DISPATCH_FILTER_BLOCK

// One selector for every thread: it is never switched, since the allowed range covers macrun's code.
volatile char g_selector = kFilterBlock;
bool g_active;
uint64_t g_vdso_lo, g_vdso_hi;

void find_vdso() {
    auto base = getauxval(AT_SYSINFO_EHDR);
    if (!base) return;
    auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
    auto* ph = reinterpret_cast<const Elf64_Phdr*>(base + eh->e_phoff);
    uint64_t hi = base;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD) hi = std::max<uint64_t>(hi, base + ph[i].p_vaddr + ph[i].p_memsz);
    g_vdso_lo = base;
    g_vdso_hi = hi;
}

}  // namespace

int enable_current_thread() {
    if (!g_vdso_lo) find_vdso();
    auto lo = reinterpret_cast<unsigned long>(__executable_start);
    auto len = reinterpret_cast<unsigned long>(etext) - lo;
    if (prctl(kPrSetSyscallUserDispatch, kPrSysDispatchOn, lo, len, &g_selector) != 0) return -errno;
    g_active = true;
    return 0;
}

bool active() { return g_active; }

bool in_vdso(uint64_t addr) { return addr >= g_vdso_lo && addr < g_vdso_hi; }

void enable_or_die() {
    if (!g_active || enable_current_thread() == 0) return;
    static const char msg[] = "macrun: cannot turn on syscall user dispatch for a new thread or process\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    syscall(SYS_exit_group, 127);
}

}  // namespace tracer::sud
