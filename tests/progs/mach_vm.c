/* The Mach VM traps mach_vm_allocate, mach_vm_deallocate, mach_vm_protect and mach_vm_map on the caller's own
 * task: zero-filled memory anywhere or at a fixed address, overlap refused without VM_FLAGS_OVERWRITE, the
 * alignment mask of mach_vm_map, protections that really take effect (checked by a child that faults), holes,
 * bad flags, bad targets and unreadable or unwritable address pointers.
 * Facts: xnu osfmk/kern/mach_kernelrpc.c (the traps' MACH_SEND_INVALID_DEST default and copyin/copyout),
 * osfmk/vm/vm_user.c (mach_vm_allocate_kernel: size 0 succeeds at 0), osfmk/vm/vm_map.c (vm_map_enter,
 * vm_map_protect), osfmk/mach/vm_statistics.h (VM_FLAGS_*), osfmk/mach/kern_return.h. */
#include "xnu.h"

#define VM_FLAGS_FIXED 0x0
#define VM_FLAGS_ANYWHERE 0x1
#define VM_FLAGS_OVERWRITE 0x4000
#define VM_FLAGS_TAG(t) ((unsigned)(t) << 24)
#define KERN_SUCCESS 0
#define KERN_INVALID_ADDRESS 1
#define KERN_NO_SPACE 3
#define KERN_INVALID_ARGUMENT 4
#define MACH_SEND_INVALID_DEST 0x10000003
#define PAGE 4096UL

/* Whether a byte at p can be read / written: a child touches it and is killed by a signal if it cannot. */
static int touch_ok(volatile unsigned char* p, int write) {
    long pid = t_fork();
    if (pid == 0) {
        if (write) *p = 7;
        else (void)*p;
        t_exit(0);
    }
    int status = -1;
    BSD(wait4, pid, &status, 0, 0);
    return status == 0;
}

int main(void) {
    unsigned task = t_task_self();
    unsigned long addr = 0;

    CHECK(MACH(vm_allocate, task, &addr, 3 * PAGE, VM_FLAGS_ANYWHERE) == KERN_SUCCESS, "allocate 3 pages anywhere");
    CHECK(addr != 0 && (addr & (PAGE - 1)) == 0, "the address written back is page aligned");
    unsigned char* p = (unsigned char*)addr;
    int zero = 1;
    for (unsigned long i = 0; i < 3 * PAGE; i++) zero &= p[i] == 0;
    CHECK(zero, "the new memory is zero-filled");
    p[0] = 1, p[3 * PAGE - 1] = 2;
    CHECK(p[0] == 1 && p[3 * PAGE - 1] == 2, "the new memory is writable (VM_PROT_DEFAULT)");

    /* A fixed allocation over memory in use: KERN_NO_SPACE, the contents untouched; with OVERWRITE it replaces
     * the pages with zero-filled ones. */
    unsigned long fixed = addr + PAGE;
    CHECK(MACH(vm_allocate, task, &fixed, PAGE, VM_FLAGS_FIXED) == KERN_NO_SPACE, "fixed over a mapping: KERN_NO_SPACE");
    CHECK(p[0] == 1, "a refused fixed allocation changes nothing");
    p[PAGE] = 9;
    fixed = addr + PAGE;
    CHECK(MACH(vm_allocate, task, &fixed, PAGE, VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE) == KERN_SUCCESS,
          "fixed with VM_FLAGS_OVERWRITE");
    CHECK(fixed == addr + PAGE && p[PAGE] == 0 && p[0] == 1, "overwrite replaced exactly that page with zeroes");
    unsigned long any_ow = 0;
    CHECK(MACH(vm_allocate, task, &any_ow, PAGE, VM_FLAGS_ANYWHERE | VM_FLAGS_OVERWRITE) == KERN_INVALID_ARGUMENT,
          "OVERWRITE with ANYWHERE: KERN_INVALID_ARGUMENT");

    /* Tags in the alias byte are accepted; unknown flag bits are not. */
    unsigned long tagged = 0;
    CHECK(MACH(vm_allocate, task, &tagged, PAGE, VM_FLAGS_ANYWHERE | VM_FLAGS_TAG(240)) == KERN_SUCCESS,
          "a VM tag in the alias bits is accepted");
    CHECK(MACH(vm_deallocate, task, tagged, PAGE) == KERN_SUCCESS, "deallocate the tagged page");
    unsigned long bad = 0;
    CHECK(MACH(vm_allocate, task, &bad, PAGE, VM_FLAGS_ANYWHERE | 0x200) == KERN_INVALID_ARGUMENT,
          "an unknown flag bit: KERN_INVALID_ARGUMENT");
    CHECK(bad == 0, "a failed allocation writes nothing back");

    /* Sizes: 0 succeeds at address 0; a size that wraps when rounded is refused. */
    unsigned long z = 0x1234000;
    CHECK(MACH(vm_allocate, task, &z, 0, VM_FLAGS_ANYWHERE) == KERN_SUCCESS && z == 0, "size 0: success at 0");
    unsigned long huge = 0;
    CHECK(MACH(vm_allocate, task, &huge, ~0UL - 100, VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT,
          "a size that wraps when rounded: KERN_INVALID_ARGUMENT");
    unsigned long big = 0;
    CHECK(MACH(vm_allocate, task, &big, 1UL << 62, VM_FLAGS_ANYWHERE) == KERN_NO_SPACE, "2^62 bytes: KERN_NO_SPACE");
    unsigned long high = 0x7fffffe00000UL - PAGE;
    CHECK(MACH(vm_allocate, task, &high, 2 * PAGE, VM_FLAGS_FIXED) == KERN_INVALID_ADDRESS,
          "fixed past MACH_VM_MAX_ADDRESS: KERN_INVALID_ADDRESS");
    unsigned long low = 0x2000;
    CHECK(MACH(vm_allocate, task, &low, PAGE, VM_FLAGS_FIXED) == KERN_NO_SPACE, "fixed inside __PAGEZERO: KERN_NO_SPACE");
    low = 0x10000000;
    CHECK(MACH(vm_allocate, task, &low, PAGE, VM_FLAGS_FIXED) == KERN_NO_SPACE, "fixed at 256 MiB, in __PAGEZERO too");

    /* The target must be the caller's own task port; the address pointer must be readable, then writable. */
    unsigned long a2 = 0;
    CHECK(MACH(vm_allocate, 0, &a2, PAGE, VM_FLAGS_ANYWHERE) == MACH_SEND_INVALID_DEST, "target MACH_PORT_NULL");
    unsigned reply = (unsigned)MACH0(mach_reply_port);
    CHECK(MACH(vm_allocate, reply, &a2, PAGE, VM_FLAGS_ANYWHERE) == MACH_SEND_INVALID_DEST, "target not a task port");
    CHECK(MACH(vm_deallocate, reply, addr, PAGE) == MACH_SEND_INVALID_DEST, "deallocate on a foreign target");
    CHECK(MACH(vm_protect, reply, addr, PAGE, 0, 1) == MACH_SEND_INVALID_DEST, "protect on a foreign target");
    CHECK(MACH(vm_allocate, task, BAD_PTR, PAGE, VM_FLAGS_ANYWHERE) == MACH_SEND_INVALID_DEST,
          "unreadable address pointer: MACH_SEND_INVALID_DEST (the trap's default)");
    CHECK(MACH(vm_allocate, task, (void*)"\0\0\0\0\0\0\0", PAGE, VM_FLAGS_ANYWHERE) == 14,
          "unwritable address pointer: the copyout's EFAULT");

    /* Protection: read-only pages refuse writes, VM_PROT_NONE refuses reads; restoring works. */
    CHECK(touch_ok(p, 1), "a default page takes a write");
    CHECK(MACH(vm_protect, task, addr, PAGE, 0, 1) == KERN_SUCCESS, "protect read-only");
    CHECK(!touch_ok(p, 1) && touch_ok(p, 0), "a read-only page refuses a write and allows a read");
    CHECK(MACH(vm_protect, task, addr, PAGE, 0, 0) == KERN_SUCCESS, "protect VM_PROT_NONE");
    CHECK(!touch_ok(p, 0), "a VM_PROT_NONE page refuses a read");
    CHECK(MACH(vm_protect, task, addr, PAGE, 0, 3) == KERN_SUCCESS && p[0] == 1, "protect read/write again");
    CHECK(MACH(vm_protect, task, addr, PAGE, 0, 0x100) == KERN_INVALID_ARGUMENT, "an unknown protection bit");
    CHECK(MACH(vm_protect, task, addr, 0, 0, 0) == KERN_SUCCESS && touch_ok(p, 1), "size 0 changes nothing");
    /* set_maximum lowers the ceiling: the current protection keeps only what the ceiling allows. */
    CHECK(MACH(vm_protect, task, addr + 2 * PAGE, PAGE, 1, 1) == KERN_SUCCESS, "set the maximum to read");
    CHECK(!touch_ok(p + 2 * PAGE, 1) && touch_ok(p + 2 * PAGE, 0), "the current protection dropped write");

    /* Holes: deallocating a range with holes succeeds; protecting one is KERN_INVALID_ADDRESS. */
    CHECK(MACH(vm_deallocate, task, addr + PAGE, PAGE) == KERN_SUCCESS, "deallocate the middle page");
    CHECK(MACH(vm_protect, task, addr, 3 * PAGE, 0, 3) == KERN_INVALID_ADDRESS, "protect across a hole");
    unsigned long refill = addr + PAGE;
    CHECK(MACH(vm_allocate, task, &refill, PAGE, VM_FLAGS_FIXED) == KERN_SUCCESS && refill == addr + PAGE,
          "a fixed allocation fits the hole exactly");
    CHECK(MACH(vm_deallocate, task, addr, 3 * PAGE) == KERN_SUCCESS, "deallocate all three pages");
    CHECK(MACH(vm_deallocate, task, addr, 3 * PAGE) == KERN_SUCCESS, "deallocating unmapped memory succeeds");
    CHECK(!touch_ok(p, 0), "deallocated memory is gone");
    CHECK(MACH(vm_deallocate, task, addr, 0) == KERN_SUCCESS, "deallocate size 0");
    CHECK(MACH(vm_deallocate, task, ~0UL - PAGE, 2 * PAGE) == KERN_INVALID_ARGUMENT, "a range that wraps");

    /* mach_vm_map (anonymous): the mask aligns the address; cur_protection applies. */
    unsigned long m = 0;
    CHECK(MACH(vm_map, task, &m, PAGE, 0xfffff, VM_FLAGS_ANYWHERE, 1) == KERN_SUCCESS, "vm_map with a 1 MiB mask");
    CHECK(m != 0 && (m & 0xfffff) == 0, "the mapping is 1 MiB aligned");
    CHECK(touch_ok((unsigned char*)m, 0) && !touch_ok((unsigned char*)m, 1), "cur_protection VM_PROT_READ applies");
    CHECK(MACH(vm_deallocate, task, m, PAGE) == KERN_SUCCESS, "deallocate the vm_map mapping");
    unsigned long m0 = 0;
    CHECK(MACH(vm_map, task, &m0, 0, 0, VM_FLAGS_ANYWHERE, 3) == KERN_INVALID_ARGUMENT, "vm_map of size 0");
    CHECK(MACH(vm_map, task, &m0, PAGE, 0, VM_FLAGS_ANYWHERE, 8) == KERN_INVALID_ARGUMENT, "vm_map, bad protection");
    unsigned long mf = 0x300001000UL;
    CHECK(MACH(vm_map, task, &mf, PAGE, 0xfffff, VM_FLAGS_FIXED, 3) == KERN_INVALID_ADDRESS,
          "vm_map at a fixed address the mask does not allow");
    return t_done();
}
