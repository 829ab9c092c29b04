/* munmap(2): whole and partial unmapping, holes, alignment, zero and wrapping lengths. */
/* Semantics: xnu bsd/kern/kern_mman.c munmap(). */
#include "xnu.h"

#include <sys/mman.h>

#define PAGE 4096

int main(void) {
    struct xres r = EXPECT_OK(BSD(mmap, 0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap 3 pages");
    char* p = (char*)r.val;
    memset(p, 'x', 3 * PAGE);
    int fds[2];
    r = BSD0(pipe);
    fds[0] = (int)r.val, fds[1] = (int)r.val2;

    /* Unmapping the middle page leaves the others usable; a system call touching the hole gets EFAULT. */
    EXPECT_OK(BSD(munmap, p + PAGE, PAGE), "munmap the middle page");
    CHECK(p[0] == 'x' && p[2 * PAGE] == 'x', "the neighbours survive");
    EXPECT_ERR(BSD(write, fds[1], p + PAGE, 1), EFAULT, "write from the unmapped page");
    EXPECT_OK(BSD(write, fds[1], p, 1), "write from the first page");

    /* Unmapping a range that is already unmapped is not an error. */
    EXPECT_OK(BSD(munmap, p + PAGE, PAGE), "munmap the hole again");
    EXPECT_OK(BSD(munmap, p, 3 * PAGE), "munmap a range spanning the hole");
    EXPECT_ERR(BSD(write, fds[1], p, 1), EFAULT, "write from the unmapped first page");

    /* Argument checks. */
    EXPECT_ERR(BSD(munmap, p + 1, PAGE), EINVAL, "munmap an unaligned address");
    EXPECT_ERR(BSD(munmap, p, 0), EINVAL, "munmap length 0");
    EXPECT_ERR(BSD(munmap, 0x7ffffffff000UL, ~0xfffUL), EINVAL, "munmap a range that wraps around");
    return t_done();
}
