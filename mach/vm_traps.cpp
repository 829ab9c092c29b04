// The Mach VM traps: _kernelrpc_mach_vm_allocate/deallocate/protect/map (xnu osfmk/kern/mach_kernelrpc.c,
// osfmk/vm/vm_user.c, vm_map.c). They act on the caller's own address space through Linux mmap, munmap and
// mprotect run as the tracee; another task's name fails with MACH_SEND_INVALID_DEST, as XNU's traps do (libsystem
// then falls back to the MIG routine, which macrun's task server does not carry).
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstdio>
#include <cstring>

#include "handlers.gen.hpp"
#include "syscalls/abi/translate.hpp"
#include "mach/common_mach.hpp"

namespace xnu_sys {
using namespace mach;

namespace {

constexpr uint64_t kPageMask = 4095;
// MACH_VM_MAX_ADDRESS for x86_64 (xnu osfmk/mach/i386/vm_param.h).
constexpr uint64_t kVmMaxAddress = 0x00007FFFFFE00000ull;
// Linux's default vm.mmap_min_addr; the loader's __PAGEZERO reservation starts there.
constexpr uint64_t kLowestMappable = 0x10000;

// vm_statistics.h flag bits.
constexpr int32_t VM_FLAGS_ANYWHERE = 0x1;
constexpr int32_t VM_FLAGS_PURGABLE = 0x2;
constexpr int32_t VM_FLAGS_4GB_CHUNK = 0x4;
constexpr int32_t VM_FLAGS_RANDOM_ADDR = 0x8;
constexpr int32_t VM_FLAGS_NO_CACHE = 0x10;
constexpr int32_t VM_FLAGS_OVERWRITE = 0x4000;
constexpr int32_t VM_FLAGS_SUPERPAGE_MASK = 0x70000;
constexpr int32_t VM_FLAGS_SUPERPAGE_SHIFT = 16;
constexpr int32_t VM_FLAGS_RETURN_DATA_ADDR = 0x100000;
constexpr int32_t VM_FLAGS_RETURN_4K_DATA_ADDR = 0x800000;
constexpr uint32_t VM_FLAGS_ALIAS_MASK = 0xFF000000u;
// VM_FLAGS_USER_ALLOCATE and VM_FLAGS_USER_MAP: what mach_vm_allocate and mach_vm_map accept from user space.
constexpr uint32_t kUserAllocate = VM_FLAGS_ANYWHERE | VM_FLAGS_PURGABLE | VM_FLAGS_4GB_CHUNK | VM_FLAGS_RANDOM_ADDR |
                                   VM_FLAGS_NO_CACHE | VM_FLAGS_OVERWRITE | VM_FLAGS_SUPERPAGE_MASK | VM_FLAGS_ALIAS_MASK;
constexpr uint32_t kUserMap = kUserAllocate | VM_FLAGS_RETURN_4K_DATA_ADDR | VM_FLAGS_RETURN_DATA_ADDR;
// SUPERPAGE_SIZE_ANY and SUPERPAGE_SIZE_2MB (xnu osfmk/mach/vm_statistics.h): 2 MiB pages on x86_64.
constexpr int32_t SUPERPAGE_SIZE_ANY = 1, SUPERPAGE_SIZE_2MB = 2;
constexpr uint64_t kSuperpageMask = (2ull << 20) - 1;

// vm_prot_t bits (xnu osfmk/mach/vm_prot.h).
constexpr uint32_t VM_PROT_ALL = 0x7;

uint64_t trunc_page(uint64_t v) { return v & ~kPageMask; }

// The pages covering [addr, addr+size): false when the end wraps around (KERN_INVALID_ARGUMENT in XNU's
// range sanitizing).
bool page_range(uint64_t addr, uint64_t size, uint64_t* start, uint64_t* end) {
    uint64_t e = addr + size;
    if (e < addr || e + kPageMask < e) return false;
    *start = trunc_page(addr), *end = (e + kPageMask) & ~kPageMask;
    return true;
}

// The Linux protection for a vm_prot_t already masked to VM_PROT_ALL (the project's one translation table).
int linux_prot(int32_t prot) {
    int lprot = PROT_NONE;
    xlate::prot_to_linux(prot & int32_t(VM_PROT_ALL), &lprot);
    return lprot;
}

// A Linux mmap/munmap/mprotect failure in kern_return_t terms: a range already in use is KERN_NO_SPACE, one
// outside the map or below the lowest mappable address (where macOS has __PAGEZERO) likewise; an address
// Linux calls invalid is KERN_INVALID_ADDRESS, an unmapped page under mprotect too.
kern_return_t kr_from_linux(int64_t r) {
    switch (-r) {
        case EEXIST:
        case EPERM: return KERN_NO_SPACE;
        case ENOMEM: return KERN_NO_SPACE;
        case EACCES: return KERN_PROTECTION_FAILURE;
        default: return KERN_INVALID_ADDRESS;
    }
}

// The core of mach_vm_allocate and mach_vm_map for anonymous memory (vm_map_enter): zero-filled pages at
// *addr (fixed) or anywhere, aligned to mask+1 when anywhere. size is already rounded and non-zero.
kern_return_t vm_enter(Thread& t, uint64_t* addr, uint64_t size, uint64_t mask, int32_t flags, int32_t cur_prot) {
    const bool anywhere = flags & VM_FLAGS_ANYWHERE;
    const int32_t superpage = (flags & VM_FLAGS_SUPERPAGE_MASK) >> VM_FLAGS_SUPERPAGE_SHIFT;
    if (superpage) {
        // Superpages come whole, and only as the one size x86_64 has.
        if (superpage != SUPERPAGE_SIZE_ANY && superpage != SUPERPAGE_SIZE_2MB) return KERN_INVALID_ARGUMENT;
        if (size & kSuperpageMask) return KERN_INVALID_ARGUMENT;
        mask |= kSuperpageMask;
    }
    mask |= kPageMask;
    const int prot = linux_prot(cur_prot);
    if (!anywhere) {
        // VM_FLAGS_OVERWRITE replaces what is there; otherwise any overlap is KERN_NO_SPACE.
        uint64_t start = *addr;
        if (start & mask) return KERN_INVALID_ADDRESS;  // vm_map_enter: a fixed address must satisfy the mask
        if (start + size < start || start + size > kVmMaxAddress) return KERN_INVALID_ADDRESS;
        // Below Linux's mmap_min_addr the loader cannot reserve __PAGEZERO; the range counts as in use there,
        // as it is on macOS (and as Linux itself refuses it to an unprivileged process).
        if (start < kLowestMappable) return KERN_NO_SPACE;
        const int lflags = MAP_PRIVATE | MAP_ANONYMOUS | ((flags & VM_FLAGS_OVERWRITE) ? MAP_FIXED : MAP_FIXED_NOREPLACE);
        int64_t r = t.sys(SYS_mmap, {start, size, prot, lflags, -1, 0});
        if (r < 0 && r > -4096) return kr_from_linux(r);
        return KERN_SUCCESS;
    }
    if (flags & VM_FLAGS_OVERWRITE) return KERN_INVALID_ARGUMENT;  // only meaningful with a fixed address
    if (size + mask < size) return KERN_NO_SPACE;
    // Linux aligns to pages only: reserve size + mask, then give back the unaligned head and the tail.
    const uint64_t span = mask > kPageMask ? size + mask + 1 - 4096 : size;
    int64_t r = t.sys(SYS_mmap, {0, span, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0});
    if (r < 0 && r > -4096) return KERN_NO_SPACE;
    uint64_t base = uint64_t(r), start = (base + mask) & ~mask;
    if (start > base) t.sys(SYS_munmap, {base, start - base});
    if (base + span > start + size) t.sys(SYS_munmap, {start + size, base + span - start - size});
    *addr = start;
    return KERN_SUCCESS;
}

// What mach_vm_allocate and mach_vm_map share: the in/out address read from the caller (unreadable is the
// traps' MACH_SEND_INVALID_DEST default), the flag and size checks, the mapping, and the address written back
// on success only (a failing copyout's errno becomes the result, as in xnu mach_kernelrpc.c).
kern_return_t allocating_trap(Thread& t, TraceeAddr addr_ptr, uint64_t size, uint64_t mask, int32_t flags,
                              uint32_t allowed, int32_t prot, bool empty_ok) {
    uint64_t addr = 0;
    if (t.read(addr_ptr, &addr, sizeof addr) != 0) return MACH_SEND_INVALID_DEST;
    const uint64_t rounded = (size + kPageMask) & ~kPageMask;
    kern_return_t kr;
    if (uint32_t(flags) & ~allowed) {
        kr = KERN_INVALID_ARGUMENT;
    } else if (size == 0) {
        addr = 0, kr = empty_ok ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
    } else if (rounded == 0) {
        kr = KERN_INVALID_ARGUMENT;  // the size wrapped while rounding
    } else {
        if (!(flags & VM_FLAGS_ANYWHERE)) addr = trunc_page(addr);
        kr = vm_enter(t, &addr, rounded, mask, flags, prot);
    }
    if (kr == KERN_SUCCESS && t.write(addr_ptr, &addr, sizeof addr) != 0) kr = EFAULT;
    return kr;
}

// The common start of every VM trap: the target must be the caller's own task port (MACH_SEND_INVALID_DEST
// otherwise, the traps' default result).
#define VM_TARGET_OR_FAIL(target)                                                                             \
    Task* task = current_task(t);                                                                             \
    if (!task) return kr_result(KERN_RESOURCE_SHORTAGE);                                                       \
    {                                                                                                         \
        IpcLock lock(t);                                                                                      \
        if (!name_to_current_task(task, target)) return trap_finish(t, task, lock, MACH_SEND_INVALID_DEST);   \
    }

}  // namespace

/// _kernelrpc_mach_vm_allocate_trap implements XNU Mach trap 10 (mach_vm_allocate): zero-filled memory,
/// read/write, anywhere or at the fixed address read from *addr; the chosen address is written back. An empty
/// allocation succeeds at address 0 (mach_vm_allocate_kernel).
SysResult mach_kernelrpc_mach_vm_allocate_trap(Thread& t, uint32_t target, TraceeAddr addr_ptr, uint64_t size,
                                               int32_t flags) {
    VM_TARGET_OR_FAIL(target);
    return trap_finish(t, task, allocating_trap(t, addr_ptr, size, 0, flags, kUserAllocate, 3 /* VM_PROT_DEFAULT */, true));
}

/// _kernelrpc_mach_vm_deallocate_trap implements XNU Mach trap 12 (mach_vm_deallocate): the pages covering
/// [address, address+size) go; holes in the range are not an error.
SysResult mach_kernelrpc_mach_vm_deallocate_trap(Thread& t, uint32_t target, TraceeAddr address, uint64_t size) {
    VM_TARGET_OR_FAIL(target);
    if (size == 0) return trap_finish(t, task, KERN_SUCCESS);
    uint64_t start, end;
    if (!page_range(address.addr, size, &start, &end)) return trap_finish(t, task, KERN_INVALID_ARGUMENT);
    // vm_map_remove clips the range to the map.
    if (end > kVmMaxAddress) end = kVmMaxAddress;
    if (start >= end) return trap_finish(t, task, KERN_SUCCESS);
    int64_t r = t.sys(SYS_munmap, {start, end - start});
    return trap_finish(t, task, r < 0 ? KERN_INVALID_ADDRESS : KERN_SUCCESS);
}

/// _kernelrpc_mach_vm_protect_trap implements XNU Mach trap 14 (mach_vm_protect). A range with a hole is
/// KERN_INVALID_ADDRESS. With set_maximum the new protection becomes the ceiling, so the current protection
/// keeps only the bits it allows; Linux keeps no ceiling, so a later raise above it is not refused.
SysResult mach_kernelrpc_mach_vm_protect_trap(Thread& t, uint32_t target, TraceeAddr address, uint64_t size,
                                              int32_t set_maximum, uint32_t new_protection) {
    VM_TARGET_OR_FAIL(target);
    // VM_PROT_COPY (0x10) asks for a private copy; anonymous private pages already are one.
    constexpr uint32_t VM_PROT_COPY = 0x10;
    if (new_protection & ~(VM_PROT_ALL | VM_PROT_COPY)) return trap_finish(t, task, KERN_INVALID_ARGUMENT);
    if (size == 0) return trap_finish(t, task, KERN_SUCCESS);
    uint64_t start, end;
    if (!page_range(address.addr, size, &start, &end)) return trap_finish(t, task, KERN_INVALID_ARGUMENT);
    if (end > kVmMaxAddress) return trap_finish(t, task, KERN_INVALID_ADDRESS);
    const int32_t prot = int32_t(new_protection & VM_PROT_ALL);
    if (!set_maximum) {
        int64_t r = t.sys(SYS_mprotect, {start, end - start, linux_prot(prot)});
        return trap_finish(t, task, r < 0 ? (r == -ENOMEM ? KERN_INVALID_ADDRESS : kr_from_linux(r)) : KERN_SUCCESS);
    }
    // Lowering the ceiling: every mapping in the range keeps current & new. The mappings come from the
    // process's maps file, read by the supervisor.
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", t.pid());
    FILE* f = fopen(path, "re");
    if (!f) return trap_finish(t, task, KERN_FAILURE);
    char line[512];
    uint64_t covered = start;
    kern_return_t kr = KERN_SUCCESS;
    while (kr == KERN_SUCCESS && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
        if (hi <= start || lo >= end) continue;
        if (lo > covered) kr = KERN_INVALID_ADDRESS;
        const uint64_t a = lo < start ? start : lo, b = hi > end ? end : hi;
        const int32_t cur = (perms[0] == 'r' ? 1 : 0) | (perms[1] == 'w' ? 2 : 0) | (perms[2] == 'x' ? 4 : 0);
        if (kr == KERN_SUCCESS && (cur & ~prot)) {
            int64_t r = t.sys(SYS_mprotect, {a, b - a, linux_prot(cur & prot)});
            if (r < 0) kr = kr_from_linux(r);
        }
        covered = b;
    }
    fclose(f);
    if (kr == KERN_SUCCESS && covered < end) kr = KERN_INVALID_ADDRESS;
    return trap_finish(t, task, kr);
}

/// _kernelrpc_mach_vm_map_trap implements XNU Mach trap 15 (mach_vm_map of anonymous memory, no object):
/// like mach_vm_allocate with an alignment mask and a chosen current protection (the maximum is VM_PROT_ALL);
/// an empty mapping is refused (vm_map_enter_mem_object).
SysResult mach_kernelrpc_mach_vm_map_trap(Thread& t, uint32_t target, TraceeAddr addr_ptr, uint64_t size,
                                          uint64_t mask, int32_t flags, uint32_t cur_protection) {
    VM_TARGET_OR_FAIL(target);
    if (cur_protection & ~VM_PROT_ALL) return trap_finish(t, task, KERN_INVALID_ARGUMENT);
    return trap_finish(t, task, allocating_trap(t, addr_ptr, size, mask, flags, kUserMap, int32_t(cur_protection), false));
}

}  // namespace xnu_sys
