// Memory mappings: mmap, munmap, mprotect, madvise, msync, minherit.
#include <sys/mman.h>

#include "common.hpp"

namespace xnu_sys {
namespace {
constexpr uint64_t kPageMask = 4095;
}

/// mmap implements XNU BSD mmap(2) (197). A length of 0 is refused only with MAP_UNIX03, which libc always
/// sets (xnu bsd/kern/kern_mman.c); an anonymous mapping's fd carries a VM tag on macOS and is ignored here.
SysResult sys_mmap(Thread& t, TraceeAddr addr, uint64_t len, int32_t prot, int32_t flags, int32_t fd, int64_t pos) {
    int lprot = 0, lflags = 0;
    if (!xlate::prot_to_linux(prot, &lprot) || !xlate::mapflags_to_linux(flags, &lflags))
        return SysResult::error(xnu::XNU_EINVAL);
    bool anon = flags & xnu::XNU_MAP_ANON;
    if (len == 0) {
        if (flags & xnu::XNU_MAP_UNIX03) return SysResult::error(xnu::XNU_EINVAL);
        return SysResult::ok(addr.addr);
    }
    if ((flags & xnu::XNU_MAP_SHARED) && (flags & xnu::XNU_MAP_PRIVATE)) return SysResult::error(xnu::XNU_EINVAL);
    if (!anon) {
        if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
        if (uint64_t(pos) & kPageMask) return SysResult::error(xnu::XNU_EINVAL);
    } else {
        fd = -1;
        pos = 0;
    }
    if ((flags & xnu::XNU_MAP_FIXED) && (addr.addr & kPageMask)) return SysResult::error(xnu::XNU_EINVAL);
    int64_t r = t.sys(SYS_mmap, {addr, len, lprot, lflags, fd, pos});
    if (r < 0 && r > -4096) return from_linux(r);
    return SysResult::ok(uint64_t(r));
}

/// munmap implements XNU BSD munmap(2) (73).
SysResult sys_munmap(Thread& t, TraceeAddr addr, uint64_t len) {
    if ((addr.addr & kPageMask) || len == 0) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_munmap, {addr, len}));
}

/// mprotect implements XNU BSD mprotect(2) (74).
SysResult sys_mprotect(Thread& t, TraceeAddr addr, uint64_t len, int32_t prot) {
    int lprot = 0;
    if (!xlate::prot_to_linux(prot, &lprot)) return SysResult::error(xnu::XNU_EINVAL);
    if (addr.addr & kPageMask) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_mprotect, {addr, len, lprot}));
}

/// madvise implements XNU BSD madvise(2) (75). XNU's MADV_DONTNEED is only advice (contents stay), unlike
/// Linux's, so it is not passed on; MADV_FREE and MADV_FREE_REUSABLE allow the pages to be discarded.
SysResult sys_madvise(Thread& t, TraceeAddr addr, uint64_t len, int32_t behav) {
    if (addr.addr & kPageMask) return SysResult::error(xnu::XNU_EINVAL);
    int advice;
    switch (behav) {
        case xnu::XNU_MADV_NORMAL: advice = MADV_NORMAL; break;
        case xnu::XNU_MADV_RANDOM: advice = MADV_RANDOM; break;
        case xnu::XNU_MADV_SEQUENTIAL: advice = MADV_SEQUENTIAL; break;
        case xnu::XNU_MADV_WILLNEED: advice = MADV_WILLNEED; break;
        case xnu::XNU_MADV_DONTNEED: advice = MADV_COLD; break;
        case xnu::XNU_MADV_FREE:
        case xnu::XNU_MADV_FREE_REUSABLE: advice = MADV_FREE; break;
        case xnu::XNU_MADV_PAGEOUT: advice = MADV_PAGEOUT; break;
        case xnu::XNU_MADV_ZERO_WIRED_PAGES:
        case xnu::XNU_MADV_FREE_REUSE:
        case xnu::XNU_MADV_CAN_REUSE: advice = -1; break;  // bookkeeping for macOS's pager; nothing to do here
        default: return SysResult::error(xnu::XNU_EINVAL);
    }
    if (advice < 0) {
        // Still check that the range is mapped, as XNU does.
        unsigned char vec[1];
        int64_t r = t.sys(SYS_mincore, {addr, len ? 1 : 0, out(vec, sizeof vec)});
        return r == -ENOMEM ? SysResult::error(xnu::XNU_ENOMEM) : SysResult::ok(0);
    }
    int64_t r = t.sys(SYS_madvise, {addr, len, advice});
    if (r == -EINVAL && (advice == MADV_FREE || advice == MADV_COLD || advice == MADV_PAGEOUT)) return SysResult::ok(0);
    return from_linux(r);
}

/// msync implements XNU BSD msync(2) (65): MS_SYNC is 0x10 on XNU, 4 on Linux.
SysResult sys_msync(Thread& t, TraceeAddr addr, uint64_t len, int32_t flags) {
    if (addr.addr & kPageMask) return SysResult::error(xnu::XNU_EINVAL);
    int known = xnu::XNU_MS_ASYNC | xnu::XNU_MS_INVALIDATE | xnu::XNU_MS_SYNC | xnu::XNU_MS_KILLPAGES | xnu::XNU_MS_DEACTIVATE;
    if (flags & ~known) return SysResult::error(xnu::XNU_EINVAL);
    if ((flags & xnu::XNU_MS_ASYNC) && (flags & xnu::XNU_MS_SYNC)) return SysResult::error(xnu::XNU_EINVAL);
    int lflags = (flags & xnu::XNU_MS_ASYNC ? MS_ASYNC : 0) | (flags & xnu::XNU_MS_INVALIDATE ? MS_INVALIDATE : 0) |
                 (flags & xnu::XNU_MS_SYNC ? MS_SYNC : 0);
    if (!(lflags & (MS_ASYNC | MS_SYNC))) lflags |= MS_SYNC;  // XNU treats "neither" as synchronous
    return from_linux(t.sys(SYS_msync, {addr, len, lflags}));
}

SysResult sys_msync_nocancel(Thread& t, TraceeAddr addr, uint64_t len, int32_t flags) { return sys_msync(t, addr, len, flags); }

/// minherit implements XNU BSD minherit(2) (250): VM_INHERIT_NONE and VM_INHERIT_COPY map to Linux's
/// MADV_DONTFORK and MADV_DOFORK. VM_INHERIT_SHARE (a private mapping shared with the child) has no Linux form.
SysResult sys_minherit(Thread& t, TraceeAddr addr, uint64_t len, int32_t inherit) {
    if (addr.addr & kPageMask) return SysResult::error(xnu::XNU_EINVAL);
    switch (inherit) {
        case xnu::XNU_VM_INHERIT_NONE: return from_linux(t.sys(SYS_madvise, {addr, len, MADV_DONTFORK}));
        case xnu::XNU_VM_INHERIT_COPY: return from_linux(t.sys(SYS_madvise, {addr, len, MADV_DOFORK}));
        case xnu::XNU_VM_INHERIT_SHARE: return SysResult::error(xnu::XNU_ENOTSUP);
        default: return SysResult::error(xnu::XNU_EINVAL);
    }
}

}  // namespace xnu_sys
