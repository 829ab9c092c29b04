/* msync(2): MS_SYNC writes a shared file mapping back; flag combinations, alignment, length 0, holes. */
/* Semantics: xnu bsd/kern/kern_mman.c msync_nocancel(). */
#include "xnu.h"

#include <sys/mman.h>

#define PAGE 4096

int main(void) {
    int fd = (int)EXPECT_OK(BSD(open, "msync.dat", O_RDWR | O_CREAT | O_TRUNC, 0644), "create msync.dat").val;
    EXPECT_OK(BSD(ftruncate, fd, 2 * PAGE), "ftruncate 2 pages");
    struct xres r = EXPECT_OK(BSD(mmap, 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), "mmap shared");
    char* p = (char*)r.val;
    memcpy(p + 10, "hello", 5);

    EXPECT_OK(BSD(msync, p, 2 * PAGE, MS_SYNC), "msync MS_SYNC");
    char back[5] = {0};
    BSD(pread, fd, back, 5, 10);
    CHECK(!memcmp(back, "hello", 5), "the file holds the mapped data");

    EXPECT_OK(BSD(msync, p, PAGE, MS_ASYNC), "msync MS_ASYNC");
    EXPECT_OK(BSD(msync, p, PAGE, MS_INVALIDATE), "msync MS_INVALIDATE");
    EXPECT_OK(BSD(msync, p, PAGE, 0), "msync with no flags (synchronous)");
    EXPECT_OK(BSD(msync, p, 100, MS_SYNC), "msync a length that is not a page multiple");
    EXPECT_ERR(BSD(msync, p, PAGE, MS_SYNC | MS_ASYNC), EINVAL, "msync MS_SYNC|MS_ASYNC");
    EXPECT_ERR(BSD(msync, p + 1, PAGE, MS_SYNC), EINVAL, "msync an unaligned address");
    EXPECT_ERR(BSD(msync, p, 0, MS_SYNC), EINVAL, "msync length 0");

    /* Anonymous memory can be synced too; a range with a hole is ENOMEM. */
    r = EXPECT_OK(BSD(mmap, 0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap anon");
    EXPECT_OK(BSD(msync, r.val, 3 * PAGE, MS_SYNC), "msync anonymous memory");
    EXPECT_OK(BSD(munmap, r.val + PAGE, PAGE), "munmap the middle page");
    EXPECT_ERR(BSD(msync, r.val, 3 * PAGE, MS_SYNC), ENOMEM, "msync a range with a hole");
    return t_done();
}
