/* madvise(2): MADV_DONTNEED keeps the contents, advice values, unaligned starts, holes, MADV_PAGEOUT. */
/* Semantics: xnu bsd/kern/kern_mman.c madvise(), osfmk/vm/vm_map.c vm_map_behavior_set(). */
#include "xnu.h"

#include <sys/mman.h>

#define PAGE 4096

int main(void) {
    struct xres r = EXPECT_OK(BSD(mmap, 0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap 4 pages");
    unsigned char* p = (unsigned char*)r.val;
    for (int i = 0; i < 4 * PAGE; i++) p[i] = (unsigned char)(i % 251 + 1);

    EXPECT_OK(BSD(madvise, p, 4 * PAGE, MADV_DONTNEED), "madvise MADV_DONTNEED");
    int same = 1;
    for (int i = 0; i < 4 * PAGE; i++) same &= p[i] == (unsigned char)(i % 251 + 1);
    CHECK(same, "MADV_DONTNEED does not discard the contents");

    EXPECT_OK(BSD(madvise, p, 4 * PAGE, MADV_NORMAL), "madvise MADV_NORMAL");
    EXPECT_OK(BSD(madvise, p, 4 * PAGE, MADV_RANDOM), "madvise MADV_RANDOM");
    EXPECT_OK(BSD(madvise, p, 4 * PAGE, MADV_SEQUENTIAL), "madvise MADV_SEQUENTIAL");
    EXPECT_OK(BSD(madvise, p, 4 * PAGE, MADV_WILLNEED), "madvise MADV_WILLNEED");
    EXPECT_OK(BSD(madvise, p + 100, PAGE, MADV_WILLNEED), "madvise an unaligned start (rounded by XNU)");
    EXPECT_OK(BSD(madvise, p, PAGE, MADV_FREE), "madvise MADV_FREE");
    EXPECT_OK(BSD(madvise, p + PAGE, PAGE, MADV_FREE_REUSABLE), "madvise MADV_FREE_REUSABLE");
    EXPECT_OK(BSD(madvise, p + PAGE, PAGE, MADV_FREE_REUSE), "madvise MADV_FREE_REUSE");
    CHECK(p[3 * PAGE] == (unsigned char)(3 * PAGE % 251 + 1), "pages outside the freed range are untouched");

    EXPECT_ERR(BSD(madvise, p, PAGE, 99), EINVAL, "madvise an unknown advice");
    EXPECT_ERR(BSD(madvise, p, PAGE, -1), EINVAL, "madvise advice -1");
    /* Release kernels have no MADV_PAGEOUT (it needs MACH_ASSERT). */
    EXPECT_ERR(BSD(madvise, p, PAGE, MADV_PAGEOUT), ENOTSUP, "madvise MADV_PAGEOUT");

    /* A range with a hole: the VM answers KERN_INVALID_ADDRESS, which madvise reports as EINVAL. */
    EXPECT_OK(BSD(munmap, p + 2 * PAGE, PAGE), "munmap the third page");
    EXPECT_ERR(BSD(madvise, p, 4 * PAGE, MADV_NORMAL), EINVAL, "madvise MADV_NORMAL over a hole");
    EXPECT_ERR(BSD(madvise, p, 4 * PAGE, MADV_DONTNEED), EINVAL, "madvise MADV_DONTNEED over a hole");
    return t_done();
}
