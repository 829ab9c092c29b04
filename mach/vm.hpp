// Mach VM operations on the calling thread's own address space (xnu osfmk/vm/vm_user.c), shared by the
// _kernelrpc_mach_vm_* traps and the mach_vm MIG routines. Each returns a kern_return_t as XNU's would.
#pragma once

#include "ipc.hpp"
#include "base/thread.hpp"

namespace mach {

using base::Thread;

// mach_vm_allocate: zero-filled read/write pages, anywhere or at *addr; *addr is the result. An empty
// allocation succeeds at 0.
kern_return_t vm_allocate(Thread& t, uint64_t* addr, uint64_t size, int32_t flags);
// mach_vm_map of anonymous memory (no memory object): like vm_allocate with an alignment mask and a current
// protection; empty is KERN_INVALID_ARGUMENT.
kern_return_t vm_map_anon(Thread& t, uint64_t* addr, uint64_t size, uint64_t mask, int32_t flags, uint32_t cur_prot);
kern_return_t vm_deallocate(Thread& t, uint64_t address, uint64_t size);
// With set_maximum, the protection becomes a ceiling (the current protection keeps only what it allows; Linux
// keeps no ceiling, so a later raise is not refused).
kern_return_t vm_protect(Thread& t, uint64_t address, uint64_t size, bool set_maximum, uint32_t new_protection);
// Every page of [start, end) mapped (else KERN_INVALID_ADDRESS) with at least `need` (a vm_prot_t; else
// KERN_PROTECTION_FAILURE).
kern_return_t vm_check_range(Thread& t, uint64_t start, uint64_t end, int32_t need);
// mach_vm_read: a kalloc'd copy of the range in *data (null when size is 0).
kern_return_t vm_read(Thread& t, uint64_t address, uint64_t size, uint8_t** data);
// mach_vm_write: the bytes into a writable range.
kern_return_t vm_write(Thread& t, uint64_t address, const uint8_t* data, uint64_t size);
// mach_vm_copy and mach_vm_read_overwrite within the task: a readable source, a writable destination.
kern_return_t vm_copy(Thread& t, uint64_t src, uint64_t size, uint64_t dst);

// What mach_vm_region reports of one region.
struct VmRegion {
    int32_t protection = 0;
    bool shared = false;
    uint64_t offset = 0;  // into the mapped file
    bool file = false;    // backed by a file (Linux's inode field is not 0)
    // Pages, from /proc/PID/smaps (vm_region_usage): in memory, dirty, swapped out.
    uint32_t resident = 0, dirty = 0, swapped = 0;
};
// The region containing *address, or the next one above it (KERN_INVALID_ADDRESS if none).
kern_return_t vm_region(Thread& t, uint64_t* address, uint64_t* size, VmRegion* info);
// The page counts of the region starting at `address` (from smaps): what mach_vm_region_recurse reports.
void vm_region_usage(Thread& t, uint64_t address, VmRegion* info);

}  // namespace mach
