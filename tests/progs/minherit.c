/* minherit(2): the three inheritance values, invalid values, unaligned and unmapped ranges. */
/* Semantics: xnu bsd/kern/kern_mman.c minherit(), osfmk/vm/vm_map.c vm_map_inherit(). */
#include "xnu.h"

#include <mach/vm_inherit.h>
#include <sys/mman.h>

#define PAGE 4096

int main(void) {
    struct xres r = EXPECT_OK(BSD(mmap, 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap 2 pages");
    char* p = (char*)r.val;
    EXPECT_OK(BSD(minherit, p, 2 * PAGE, VM_INHERIT_NONE), "minherit VM_INHERIT_NONE");
    EXPECT_OK(BSD(minherit, p, 2 * PAGE, VM_INHERIT_COPY), "minherit VM_INHERIT_COPY");
    EXPECT_OK(BSD(minherit, p, 2 * PAGE, VM_INHERIT_SHARE), "minherit VM_INHERIT_SHARE");
    EXPECT_OK(BSD(minherit, p + 10, PAGE, VM_INHERIT_COPY), "minherit an unaligned address (truncated)");
    EXPECT_OK(BSD(minherit, p, 0, VM_INHERIT_COPY), "minherit length 0");
    EXPECT_ERR(BSD(minherit, p, PAGE, VM_INHERIT_DONATE_COPY), EINVAL, "minherit VM_INHERIT_DONATE_COPY");
    EXPECT_ERR(BSD(minherit, p, PAGE, 77), EINVAL, "minherit an unknown value");
    EXPECT_OK(BSD(munmap, p, 2 * PAGE), "munmap");
    EXPECT_OK(BSD(minherit, p, 2 * PAGE, VM_INHERIT_NONE), "minherit an unmapped range");
    return t_done();
}
