// Mach VM on the caller's own address space (xnu osfmk/vm/vm_user.c, vm_map.c): the operations (mach::vm_*,
// declared in vm.hpp) run Linux mmap, munmap, mprotect and copies as the tracee, and read the process's maps
// file where XNU would look at its map entries. The _kernelrpc_mach_vm_* traps (osfmk/kern/mach_kernelrpc.c)
// are thin wrappers here; the MIG routines of the mach_vm subsystem (mig_vm.cpp) use the same operations.
// Another task's name fails the traps with MACH_SEND_INVALID_DEST, as XNU's do.
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstdio>
#include <cstring>

#include "base/abi/translate.hpp"
#include "mach/common_mach.hpp"
#include "mach/vm.hpp"

namespace mach {

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

// What mach_vm_allocate and mach_vm_map share: the flag and size checks and the mapping.
kern_return_t allocate(Thread& t, uint64_t* addr, uint64_t size, uint64_t mask, int32_t flags, uint32_t allowed,
                       int32_t prot, bool empty_ok) {
    const uint64_t rounded = (size + kPageMask) & ~kPageMask;
    if (uint32_t(flags) & ~allowed) return KERN_INVALID_ARGUMENT;
    if (size == 0) {
        *addr = 0;
        return empty_ok ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
    }
    if (rounded == 0) return KERN_INVALID_ARGUMENT;  // the size wrapped while rounding
    if (!(flags & VM_FLAGS_ANYWHERE)) *addr = trunc_page(*addr);
    return vm_enter(t, addr, rounded, mask, flags, prot);
}

// One line of /proc/<pid>/maps.
struct MapLine {
    uint64_t lo, hi, offset;
    int32_t prot;
    bool shared, file;
};

// The mappings of the process, in address order, through `fn` (false from fn stops). False if the maps file
// cannot be read.
template <typename Fn>
bool each_mapping(Thread& t, Fn fn) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", t.pid());
    FILE* f = fopen(path, "re");
    if (!f) return false;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi, off, inode = 0;
        char perms[8], dev[16];
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu", &lo, &hi, perms, &off, dev, &inode) < 4) continue;
        MapLine m{lo, hi, off, (perms[0] == 'r' ? 1 : 0) | (perms[1] == 'w' ? 2 : 0) | (perms[2] == 'x' ? 4 : 0),
                  perms[3] == 's', inode != 0};
        if (!fn(m)) break;
    }
    fclose(f);
    return true;
}

}  // namespace

// vm_map_copyin / vm_map_copy_overwrite's checks: every page of [start, end) mapped (KERN_INVALID_ADDRESS) with
// at least `need` (KERN_PROTECTION_FAILURE).
kern_return_t vm_check_range(Thread& t, uint64_t start, uint64_t end, int32_t need) {
    if (end < start || end > kVmMaxAddress) return KERN_INVALID_ADDRESS;
    if (start == end) return KERN_SUCCESS;
    uint64_t covered = start;
    kern_return_t kr = KERN_SUCCESS;
    if (!each_mapping(t, [&](const MapLine& m) {
            if (m.hi <= covered) return true;
            if (m.lo > covered) {
                kr = KERN_INVALID_ADDRESS;
                return false;
            }
            if ((m.prot & need) != need) {
                kr = KERN_PROTECTION_FAILURE;
                return false;
            }
            covered = m.hi;
            return covered < end;
        }))
        return KERN_FAILURE;
    if (kr == KERN_SUCCESS && covered < end) kr = KERN_INVALID_ADDRESS;
    return kr;
}

kern_return_t vm_allocate(Thread& t, uint64_t* addr, uint64_t size, int32_t flags) {
    return allocate(t, addr, size, 0, flags, kUserAllocate, 3 /* VM_PROT_DEFAULT */, true);
}

kern_return_t vm_map_anon(Thread& t, uint64_t* addr, uint64_t size, uint64_t mask, int32_t flags, uint32_t cur_prot) {
    if (cur_prot & ~VM_PROT_ALL) return KERN_INVALID_ARGUMENT;
    return allocate(t, addr, size, mask, flags, kUserMap, int32_t(cur_prot), false);
}

kern_return_t vm_deallocate(Thread& t, uint64_t address, uint64_t size) {
    if (size == 0) return KERN_SUCCESS;
    uint64_t start, end;
    if (!page_range(address, size, &start, &end)) return KERN_INVALID_ARGUMENT;
    // vm_map_remove clips the range to the map.
    if (end > kVmMaxAddress) end = kVmMaxAddress;
    if (start >= end) return KERN_SUCCESS;
    return t.sys(SYS_munmap, {start, end - start}) < 0 ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

kern_return_t vm_protect(Thread& t, uint64_t address, uint64_t size, bool set_maximum, uint32_t new_protection) {
    // VM_PROT_COPY (0x10) asks for a private copy; anonymous private pages already are one.
    constexpr uint32_t VM_PROT_COPY = 0x10;
    if (new_protection & ~(VM_PROT_ALL | VM_PROT_COPY)) return KERN_INVALID_ARGUMENT;
    if (size == 0) return KERN_SUCCESS;
    uint64_t start, end;
    if (!page_range(address, size, &start, &end)) return KERN_INVALID_ARGUMENT;
    if (end > kVmMaxAddress) return KERN_INVALID_ADDRESS;
    const int32_t prot = int32_t(new_protection & VM_PROT_ALL);
    if (!set_maximum) {
        int64_t r = t.sys(SYS_mprotect, {start, end - start, linux_prot(prot)});
        return r < 0 ? (r == -ENOMEM ? KERN_INVALID_ADDRESS : kr_from_linux(r)) : KERN_SUCCESS;
    }
    // Lowering the ceiling: every mapping in the range keeps current & new.
    uint64_t covered = start;
    kern_return_t kr = KERN_SUCCESS;
    if (!each_mapping(t, [&](const MapLine& m) {
            if (m.hi <= start) return true;
            if (m.lo >= end) return false;
            if (m.lo > covered) {
                kr = KERN_INVALID_ADDRESS;
                return false;
            }
            const uint64_t a = m.lo < start ? start : m.lo, b = m.hi > end ? end : m.hi;
            if (m.prot & ~prot) {
                int64_t r = t.sys(SYS_mprotect, {a, b - a, linux_prot(m.prot & prot)});
                if (r < 0) {
                    kr = kr_from_linux(r);
                    return false;
                }
            }
            covered = b;
            return true;
        }))
        return KERN_FAILURE;
    if (kr == KERN_SUCCESS && covered < end) kr = KERN_INVALID_ADDRESS;
    return kr;
}

// Copies within the task go through a bounce buffer in the supervisor, a page-sized piece at a time for large
// ranges so memory use stays bounded; the ranges are checked first, so a copy fails before it writes anything.
kern_return_t vm_copy_within(Thread& t, uint64_t src, uint64_t size, uint64_t dst) {
    static constexpr uint64_t kChunk = 1 << 20;
    uint8_t* buf = static_cast<uint8_t*>(kalloc(size < kChunk ? size : kChunk));
    if (!buf) return KERN_RESOURCE_SHORTAGE;
    kern_return_t kr = KERN_SUCCESS;
    for (uint64_t done = 0; done < size && kr == KERN_SUCCESS;) {
        uint64_t n = size - done < kChunk ? size - done : kChunk;
        if (t.read(TraceeAddr(src + done), buf, n) != 0) kr = KERN_INVALID_ADDRESS;
        else if (t.write(TraceeAddr(dst + done), buf, n) != 0) kr = KERN_INVALID_ADDRESS;
        done += n;
    }
    kfree(buf);
    return kr;
}

kern_return_t vm_read(Thread& t, uint64_t address, uint64_t size, uint8_t** data) {
    *data = nullptr;
    if (size == 0) return KERN_SUCCESS;
    if (address + size < address) return KERN_INVALID_ADDRESS;
    kern_return_t kr = vm_check_range(t, trunc_page(address), (address + size + kPageMask) & ~kPageMask, 1);
    if (kr != KERN_SUCCESS) return kr;
    uint8_t* buf = static_cast<uint8_t*>(kalloc(size));
    if (!buf) return KERN_RESOURCE_SHORTAGE;
    if (t.read(TraceeAddr(address), buf, size) != 0) {
        kfree(buf);
        return KERN_INVALID_ADDRESS;
    }
    *data = buf;
    return KERN_SUCCESS;
}

kern_return_t vm_write(Thread& t, uint64_t address, const uint8_t* data, uint64_t size) {
    if (size == 0) return KERN_SUCCESS;
    if (address + size < address) return KERN_INVALID_ADDRESS;
    kern_return_t kr = vm_check_range(t, trunc_page(address), (address + size + kPageMask) & ~kPageMask, 2);
    if (kr != KERN_SUCCESS) return kr;
    return t.write(TraceeAddr(address), data, size) != 0 ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

kern_return_t vm_copy(Thread& t, uint64_t src, uint64_t size, uint64_t dst) {
    if (size == 0) return KERN_SUCCESS;
    if (src + size < src || dst + size < dst) return KERN_INVALID_ADDRESS;
    kern_return_t kr = vm_check_range(t, trunc_page(src), (src + size + kPageMask) & ~kPageMask, 1);
    if (kr == KERN_SUCCESS) kr = vm_check_range(t, trunc_page(dst), (dst + size + kPageMask) & ~kPageMask, 2);
    return kr == KERN_SUCCESS ? vm_copy_within(t, src, size, dst) : kr;
}

kern_return_t vm_region(Thread& t, uint64_t* address, uint64_t* size, VmRegion* info) {
    const uint64_t want = *address;
    bool found = false;
    if (!each_mapping(t, [&](const MapLine& m) {
            if (m.hi <= want || m.lo >= kVmMaxAddress) return m.lo < kVmMaxAddress;
            *address = m.lo;
            *size = m.hi - m.lo;
            info->protection = m.prot;
            info->shared = m.shared;
            info->offset = m.offset;
            info->file = m.file;
            found = true;
            return false;
        }))
        return KERN_FAILURE;
    return found ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
}

void vm_region_usage(Thread& t, uint64_t address, VmRegion* info) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/smaps", t.pid());
    FILE* f = fopen(path, "re");
    if (!f) return;
    char line[512];
    bool in = false;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi, kb;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            if (in) break;
            in = lo == address;
            continue;
        }
        if (!in) continue;
        if (sscanf(line, "Rss: %lu kB", &kb) == 1) info->resident = uint32_t(kb / 4);
        else if (sscanf(line, "Private_Dirty: %lu kB", &kb) == 1) info->dirty += uint32_t(kb / 4);
        else if (sscanf(line, "Shared_Dirty: %lu kB", &kb) == 1) info->dirty += uint32_t(kb / 4);
        else if (sscanf(line, "Swap: %lu kB", &kb) == 1) info->swapped = uint32_t(kb / 4);
    }
    fclose(f);
}

}  // namespace mach
