// The Mach VM traps: _kernelrpc_mach_vm_allocate/deallocate/protect/map (xnu osfmk/kern/mach_kernelrpc.c),
// over the operations of vm.cpp. The target must be the caller's own task port; any other name fails with
// MACH_SEND_INVALID_DEST, the traps' default result in XNU.
#include <cerrno>

#include "mach_traps.gen.hpp"
#include "mach/common_mach.hpp"
#include "mach/vm.hpp"

namespace xnu_sys {
using namespace mach;

namespace {

// The in/out address of the allocating traps: read from the caller (unreadable is the traps'
// MACH_SEND_INVALID_DEST default), written back on success only (a failing copyout's errno becomes the
// result, as in mach_kernelrpc.c).
template <typename Fn>
kern_return_t with_address(Thread& t, TraceeAddr addr_ptr, Fn fn) {
    uint64_t addr = 0;
    if (t.read(addr_ptr, &addr, sizeof addr) != 0) return MACH_SEND_INVALID_DEST;
    kern_return_t kr = fn(&addr);
    if (kr == KERN_SUCCESS && t.write(addr_ptr, &addr, sizeof addr) != 0) kr = EFAULT;
    return kr;
}

// The target check, with the lock released at once: the VM operations run calls as the thread (mmap,
// mprotect, munmap), and under ptrace such a call yields, which must never happen with the lock held (see
// msg.cpp, which maps memory for the same reason without the lock).
#define VM_TARGET_OR_FAIL(target) \
    TASK_OR_FAIL();               \
    {                             \
        TARGET_OR_FAIL(target);   \
    }

}  // namespace

/// _kernelrpc_mach_vm_allocate_trap implements XNU Mach trap 10 (mach_vm_allocate): zero-filled memory,
/// read/write, anywhere or at the fixed address read from *addr; the chosen address is written back. An empty
/// allocation succeeds at address 0 (mach_vm_allocate_kernel).
SysResult mach_kernelrpc_mach_vm_allocate_trap(Thread& t, uint32_t target, TraceeAddr addr_ptr, uint64_t size,
                                               int32_t flags) {
    VM_TARGET_OR_FAIL(target);
    return trap_finish(t, task, with_address(t, addr_ptr, [&](uint64_t* a) { return vm_allocate(t, a, size, flags); }));
}

/// _kernelrpc_mach_vm_deallocate_trap implements XNU Mach trap 12 (mach_vm_deallocate): the pages covering
/// [address, address+size) go; holes in the range are not an error.
SysResult mach_kernelrpc_mach_vm_deallocate_trap(Thread& t, uint32_t target, TraceeAddr address, uint64_t size) {
    VM_TARGET_OR_FAIL(target);
    return trap_finish(t, task, vm_deallocate(t, address.addr, size));
}

/// _kernelrpc_mach_vm_protect_trap implements XNU Mach trap 14 (mach_vm_protect). A range with a hole is
/// KERN_INVALID_ADDRESS. With set_maximum the new protection becomes the ceiling, so the current protection
/// keeps only the bits it allows; Linux keeps no ceiling, so a later raise above it is not refused.
SysResult mach_kernelrpc_mach_vm_protect_trap(Thread& t, uint32_t target, TraceeAddr address, uint64_t size,
                                              int32_t set_maximum, uint32_t new_protection) {
    VM_TARGET_OR_FAIL(target);
    return trap_finish(t, task, vm_protect(t, address.addr, size, set_maximum != 0, new_protection));
}

/// _kernelrpc_mach_vm_map_trap implements XNU Mach trap 15 (mach_vm_map of anonymous memory, no object):
/// like mach_vm_allocate with an alignment mask and a chosen current protection (the maximum is VM_PROT_ALL);
/// an empty mapping is refused (vm_map_enter_mem_object).
SysResult mach_kernelrpc_mach_vm_map_trap(Thread& t, uint32_t target, TraceeAddr addr_ptr, uint64_t size,
                                          uint64_t mask, int32_t flags, uint32_t cur_protection) {
    VM_TARGET_OR_FAIL(target);
    return trap_finish(t, task, with_address(t, addr_ptr, [&](uint64_t* a) {
                           return vm_map_anon(t, a, size, mask, flags, cur_protection);
                       }));
}

}  // namespace xnu_sys
