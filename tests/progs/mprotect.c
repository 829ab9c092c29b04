/* mprotect(2): return values and effects seen through system calls (no faults), alignment, holes, maxprot. */
/* Semantics: xnu bsd/kern/kern_mman.c mprotect(). */
#include "xnu.h"

#include <sys/mman.h>

#define PAGE 4096

int main(void) {
    struct xres r = EXPECT_OK(BSD(mmap, 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap 2 pages");
    char* p = (char*)r.val;
    memset(p, 'a', 2 * PAGE);
    r = BSD0(pipe);
    int rd = (int)r.val, wr = (int)r.val2;

    EXPECT_OK(BSD(mprotect, p, PAGE, PROT_READ), "mprotect PROT_READ");
    EXPECT_OK(BSD(write, wr, p, 1), "the kernel can read a read-only page (write from it)");
    EXPECT_ERR(BSD(read, rd, p, 1), EFAULT, "the kernel cannot write a read-only page (read into it)");
    CHECK(p[0] == 'a', "contents are kept");

    EXPECT_OK(BSD(mprotect, p, PAGE, PROT_NONE), "mprotect PROT_NONE");
    EXPECT_ERR(BSD(write, wr, p, 1), EFAULT, "a PROT_NONE page cannot be read either");
    EXPECT_OK(BSD(mprotect, p, 2 * PAGE, PROT_READ | PROT_WRITE), "mprotect back to read-write");
    BSD(write, wr, "b", 1);
    EXPECT_OK(BSD(read, rd, p, 2), "read into the page again");
    CHECK(p[0] == 'a' && p[1] == 'b', "the data survived the protection changes");

    EXPECT_ERR(BSD(mprotect, p + 8, PAGE, PROT_READ), EINVAL, "mprotect an unaligned address");
    EXPECT_OK(BSD(mprotect, p, 0, PROT_READ), "mprotect length 0");
    EXPECT_OK(BSD(mprotect, p, PAGE, PROT_READ | PROT_WRITE | 0x100), "unknown protection bits are ignored");
    EXPECT_OK(BSD(munmap, p + PAGE, PAGE), "munmap the second page");
    EXPECT_ERR(BSD(mprotect, p, 2 * PAGE, PROT_READ), ENOMEM, "mprotect a range with a hole");

    /* A shared mapping of a read-only descriptor cannot become writable. */
    int fd = (int)EXPECT_OK(BSD(open, "mprotect.dat", O_RDWR | O_CREAT | O_TRUNC, 0644), "create mprotect.dat").val;
    BSD(ftruncate, fd, PAGE);
    int ro = (int)EXPECT_OK(BSD(open, "mprotect.dat", O_RDONLY), "open read-only").val;
    r = EXPECT_OK(BSD(mmap, 0, PAGE, PROT_READ, MAP_SHARED, ro, 0), "mmap shared read-only");
    EXPECT_ERR(BSD(mprotect, r.val, PAGE, PROT_READ | PROT_WRITE), EACCES, "mprotect it writable");
    return t_done();
}
