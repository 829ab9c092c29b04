// XNU (macOS x86_64) ABI, part of xnu.hpp: Memory mappings: mmap, madvise, msync, minherit.
#pragma once

#include "xnu_base.hpp"

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// mmap and friends (xnu bsd/sys/mman.h, osfmk/mach/vm_inherit.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_PROT_NONE = 0x00;
constexpr int XNU_PROT_READ = 0x01;
constexpr int XNU_PROT_WRITE = 0x02;
constexpr int XNU_PROT_EXEC = 0x04;
constexpr int XNU_PROT_ALL = 0x07;  // VM_PROT_ALL; mmap() silently masks prot with it

constexpr int XNU_MAP_SHARED = 0x0001;
constexpr int XNU_MAP_PRIVATE = 0x0002;
constexpr int XNU_MAP_COPY = XNU_MAP_PRIVATE;  // obsolete alias
constexpr int XNU_MAP_FIXED = 0x0010;
constexpr int XNU_MAP_RENAME = 0x0020;
constexpr int XNU_MAP_NORESERVE = 0x0040;
constexpr int XNU_MAP_RESERVED0080 = 0x0080;  // was MAP_INHERIT; still accepted and ignored
constexpr int XNU_MAP_NOEXTEND = 0x0100;
constexpr int XNU_MAP_HASSEMAPHORE = 0x0200;
constexpr int XNU_MAP_NOCACHE = 0x0400;
constexpr int XNU_MAP_JIT = 0x0800;
constexpr int XNU_MAP_FILE = 0x0000;
constexpr int XNU_MAP_ANON = 0x1000;
constexpr int XNU_MAP_ANONYMOUS = XNU_MAP_ANON;
constexpr int XNU_MAP_RESILIENT_CODESIGN = 0x2000;
constexpr int XNU_MAP_RESILIENT_MEDIA = 0x4000;
constexpr int XNU_MAP_32BIT = 0x8000;  // macOS only: address below 4 GiB
constexpr int XNU_MAP_TRANSLATED_ALLOW_EXECUTE = 0x20000;
constexpr int XNU_MAP_UNIX03 = 0x40000;  // set by libc: stricter argument checking
constexpr int XNU_MAP_TPRO = 0x80000;
constexpr std::uint64_t XNU_MAP_FAILED = ~std::uint64_t{0};  // (void*)-1 as a guest address

constexpr int XNU_MCL_CURRENT = 0x0001;
constexpr int XNU_MCL_FUTURE = 0x0002;

constexpr int XNU_MS_ASYNC = 0x0001;
constexpr int XNU_MS_INVALIDATE = 0x0002;
constexpr int XNU_MS_KILLPAGES = 0x0004;
constexpr int XNU_MS_DEACTIVATE = 0x0008;
constexpr int XNU_MS_SYNC = 0x0010;

constexpr int XNU_MADV_NORMAL = 0;  // POSIX_MADV_* share these numbers
constexpr int XNU_MADV_RANDOM = 1;
constexpr int XNU_MADV_SEQUENTIAL = 2;
constexpr int XNU_MADV_WILLNEED = 3;
constexpr int XNU_MADV_DONTNEED = 4;
constexpr int XNU_MADV_FREE = 5;
constexpr int XNU_MADV_ZERO_WIRED_PAGES = 6;
constexpr int XNU_MADV_FREE_REUSABLE = 7;
constexpr int XNU_MADV_FREE_REUSE = 8;
constexpr int XNU_MADV_CAN_REUSE = 9;
constexpr int XNU_MADV_PAGEOUT = 10;
constexpr int XNU_MADV_ZERO = 11;  // newer xnu only

constexpr int XNU_MINCORE_INCORE = 0x1;
constexpr int XNU_MINCORE_REFERENCED = 0x2;
constexpr int XNU_MINCORE_MODIFIED = 0x4;
constexpr int XNU_MINCORE_REFERENCED_OTHER = 0x8;
constexpr int XNU_MINCORE_MODIFIED_OTHER = 0x10;
constexpr int XNU_MINCORE_PAGED_OUT = 0x20;
constexpr int XNU_MINCORE_COPIED = 0x40;
constexpr int XNU_MINCORE_ANONYMOUS = 0x80;

// minherit(2) takes Mach inheritance values
constexpr int XNU_VM_INHERIT_SHARE = 0;
constexpr int XNU_VM_INHERIT_COPY = 1;
constexpr int XNU_VM_INHERIT_NONE = 2;
constexpr int XNU_VM_INHERIT_DONATE_COPY = 3;
constexpr int XNU_VM_INHERIT_DEFAULT = XNU_VM_INHERIT_COPY;
constexpr int XNU_VM_INHERIT_LAST_VALID = XNU_VM_INHERIT_NONE;

}  // namespace xnu
