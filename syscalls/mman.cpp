// Memory mappings: mmap, munmap, mprotect, madvise, msync, minherit.
#include <sys/mman.h>
#include <sys/stat.h>

#include "common.hpp"

namespace xnu_sys {
namespace {
constexpr uint64_t kPageMask = 4095;

uint64_t page_round(uint64_t v) { return (v + kPageMask) & ~kPageMask; }

// vm_map_range_overflows(): a range whose end wraps around the address space is EINVAL everywhere in
// xnu bsd/kern/kern_mman.c.
bool range_overflows(uint64_t addr, uint64_t len) { return addr + len < addr || page_round(addr + len) < addr + len; }

// The bits an anonymous mapping may carry in its fd argument: a VM tag and Mach VM flags (VM_FLAGS_ALIAS_MASK,
// VM_FLAGS_SUPERPAGE_MASK, VM_FLAGS_PURGABLE, VM_FLAGS_4GB_CHUNK; xnu osfmk/mach/vm_statistics.h).
constexpr uint32_t kAnonFdFlags = 0xff000000u | 0x70000u | 0x2u | 0x4u;

// Whether [addr, addr+len) is mapped throughout: Linux's msync(MS_ASYNC) does nothing but walk the range and
// answers ENOMEM for a hole.
int64_t probe_mapped(Thread& t, uint64_t addr, uint64_t len) {
    return len ? t.sys(SYS_msync, {addr & ~kPageMask, page_round(addr + len) - (addr & ~kPageMask), MS_ASYNC}) : 0;
}
}  // namespace

/// mmap implements XNU BSD mmap(2) (197), with the argument checks of xnu bsd/kern/kern_mman.c in its order:
/// unknown flags, MAP_UNIX03's stricter rules (libc always sets it), then the descriptor. Without MAP_UNIX03 a
/// length of 0 is a successful no-op returning 0, and an unaligned file offset maps its page and returns a
/// pointer to the byte.
SysResult sys_mmap(Thread& t, TraceeAddr addr, uint64_t len, int32_t prot, int32_t flags, int32_t fd, int64_t pos) {
    int lprot = 0, lflags = 0;
    // XNU masks the protection with VM_PROT_ALL; unknown map flags are refused for programs built with a
    // 2020 or later SDK (proc_2020_fall_os_sdk_or_later()).
    prot &= xnu::XNU_PROT_ALL;
    if (!xlate::prot_to_linux(prot, &lprot) || !xlate::mapflags_to_linux(flags, &lflags))
        return SysResult::error(xnu::XNU_EINVAL);
    const uint64_t file_pos = uint64_t(pos);
    if (range_overflows(addr.addr, len) || file_pos + len < file_pos || page_round(file_pos + len) < file_pos + len)
        return SysResult::error(xnu::XNU_EINVAL);
    if ((flags & xnu::XNU_MAP_UNIX03) && ((file_pos & kPageMask) || len == 0)) return SysResult::error(xnu::XNU_EINVAL);
    uint64_t pageoff = file_pos & kPageMask;
    uint64_t where = addr.addr;
    if (flags & xnu::XNU_MAP_FIXED) {
        // The address must have the same offset within its page as the file position.
        where -= pageoff;
        if (where & kPageMask) return SysResult::error(xnu::XNU_EINVAL);
    }
    const bool anon = flags & xnu::XNU_MAP_ANON;
    if (anon) {
        // fd is -1 or a VM tag with Mach VM flags; anything else is refused. Linux has no tags: dropped.
        if (fd != -1 && (uint32_t(fd) & kAnonFdFlags) != uint32_t(fd)) return SysResult::error(xnu::XNU_EINVAL);
        fd = -1;
        pageoff = 0;
    } else {
        if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
        struct ::stat st;
        int64_t r = t.sys(SYS_fstat, {fd, out(st)});
        if (r < 0) return from_linux(r);
        // Only vnodes map: regular files, and character devices, which XNU then refuses with ENODEV (no
        // /dev/zero mappings); pipes, sockets and directories are EINVAL.
        if (S_ISCHR(st.st_mode)) return SysResult::error(xnu::XNU_ENODEV);
        if (!S_ISREG(st.st_mode)) return SysResult::error(xnu::XNU_EINVAL);
    }
    if (len == 0) return SysResult::ok(0);  // XNU leaves the result register at 0
    uint64_t map_len = page_round(len + pageoff);
    if (!(flags & xnu::XNU_MAP_FIXED)) where = page_round(where);  // a hint is a strict lower bound, rounded up
    int64_t r = t.sys(SYS_mmap, {where, map_len, lprot, lflags, fd, anon ? 0 : file_pos - pageoff});
    if (r < 0 && r > -4096) return from_linux(r);
    return SysResult::ok(uint64_t(r) + pageoff);
}

/// munmap implements XNU BSD munmap(2) (73): unmapping a range that is not mapped is not an error.
SysResult sys_munmap(Thread& t, TraceeAddr addr, uint64_t len) {
    if ((addr.addr & kPageMask) || len == 0 || range_overflows(addr.addr, len)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_munmap, {addr, len}));
}

/// mprotect implements XNU BSD mprotect(2) (74). Bits other than VM_PROT_ALL are stripped, not refused
/// (xnu vm_sanitize_prot_bsd()); VM_PROT_TRUSTED (code signing of JIT pages) has no meaning here.
SysResult sys_mprotect(Thread& t, TraceeAddr addr, uint64_t len, int32_t prot) {
    int lprot = 0;
    xlate::prot_to_linux(prot & xnu::XNU_PROT_ALL, &lprot);
    if ((addr.addr & kPageMask) || range_overflows(addr.addr, len)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_mprotect, {addr, len, lprot}));
}

/// madvise implements XNU BSD madvise(2) (75). XNU's MADV_DONTNEED is only advice (contents stay), unlike
/// Linux's, so it becomes MADV_COLD; MADV_FREE and MADV_FREE_REUSABLE allow the pages to be discarded. The range
/// is widened to whole pages, and one with a hole is EINVAL (KERN_INVALID_ADDRESS from vm_map_behavior_set()).
SysResult sys_madvise(Thread& t, TraceeAddr addr, uint64_t len, int32_t behav) {
    int advice;
    switch (behav) {
        case xnu::XNU_MADV_NORMAL: advice = MADV_NORMAL; break;
        case xnu::XNU_MADV_RANDOM: advice = MADV_RANDOM; break;
        case xnu::XNU_MADV_SEQUENTIAL: advice = MADV_SEQUENTIAL; break;
        case xnu::XNU_MADV_WILLNEED: advice = MADV_WILLNEED; break;
        case xnu::XNU_MADV_DONTNEED: advice = MADV_COLD; break;
        case xnu::XNU_MADV_FREE:
        case xnu::XNU_MADV_FREE_REUSABLE: advice = MADV_FREE; break;
        case xnu::XNU_MADV_ZERO_WIRED_PAGES:
        case xnu::XNU_MADV_FREE_REUSE:
        case xnu::XNU_MADV_CAN_REUSE: advice = -1; break;  // bookkeeping for macOS's pager; nothing to do here
        case xnu::XNU_MADV_PAGEOUT: return SysResult::error(xnu::XNU_ENOTSUP);  // needs a MACH_ASSERT kernel
        default: return SysResult::error(xnu::XNU_EINVAL);
    }
    if (range_overflows(addr.addr, len)) return SysResult::error(xnu::XNU_EINVAL);
    uint64_t start = addr.addr & ~kPageMask, end = page_round(addr.addr + len);
    if (start == end) return SysResult::ok(0);
    int64_t r = advice < 0 ? probe_mapped(t, start, end - start) : t.sys(SYS_madvise, {start, end - start, advice});
    if (r == -EINVAL && advice >= 0) {
        // Linux refuses MADV_FREE on shared or file mappings and MADV_COLD on locked ones; XNU treats all of
        // these as advice. Still report a hole.
        r = probe_mapped(t, start, end - start);
    }
    if (r == -ENOMEM) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(r);
}

/// msync implements XNU BSD msync(2) (65): MS_SYNC is 0x10 on XNU, 4 on Linux. XNU refuses an unaligned
/// address, a length of 0 and MS_SYNC|MS_ASYNC, and ignores unknown bits; a hole in the range is ENOMEM.
SysResult sys_msync(Thread& t, TraceeAddr addr, uint64_t len, int32_t flags) {
    if ((addr.addr & kPageMask) || len == 0 || range_overflows(addr.addr, len)) return SysResult::error(xnu::XNU_EINVAL);
    if ((flags & xnu::XNU_MS_ASYNC) && (flags & xnu::XNU_MS_SYNC)) return SysResult::error(xnu::XNU_EINVAL);
    int lflags = flags & xnu::XNU_MS_INVALIDATE ? MS_INVALIDATE : 0;
    // XNU syncs asynchronously for MS_ASYNC, not at all for MS_KILLPAGES/MS_DEACTIVATE, else synchronously.
    if (flags & (xnu::XNU_MS_ASYNC | xnu::XNU_MS_KILLPAGES | xnu::XNU_MS_DEACTIVATE)) lflags |= MS_ASYNC;
    else lflags |= MS_SYNC;
    return from_linux(t.sys(SYS_msync, {addr, len, lflags}));
}


/// minherit implements XNU BSD minherit(2) (250): VM_INHERIT_NONE and VM_INHERIT_COPY map to Linux's
/// MADV_DONTFORK and MADV_DOFORK. VM_INHERIT_SHARE (a private mapping shared with the child) has no Linux form;
/// the child gets a copy. XNU widens the range to pages and does not mind holes (osfmk/vm/vm_map.c
/// vm_map_inherit()).
SysResult sys_minherit(Thread& t, TraceeAddr addr, uint64_t len, int32_t inherit) {
    if (range_overflows(addr.addr, len) || inherit < 0 || inherit > xnu::XNU_VM_INHERIT_LAST_VALID)
        return SysResult::error(xnu::XNU_EINVAL);
    uint64_t start = addr.addr & ~kPageMask, end = page_round(addr.addr + len);
    if (start == end) return SysResult::ok(0);
    int64_t r = t.sys(SYS_madvise, {start, end - start, inherit == xnu::XNU_VM_INHERIT_NONE ? MADV_DONTFORK : MADV_DOFORK});
    return r == -ENOMEM ? SysResult::ok(0) : from_linux(r);
}

}  // namespace xnu_sys
