/* mmap(2): anonymous and file mappings, MAP_FIXED, length 0 and offsets with/without MAP_UNIX03, errors. */
/* Semantics: xnu bsd/kern/kern_mman.c mmap(). */
#include "xnu.h"

#include <mach/vm_statistics.h>
#include <sys/mman.h>

#define PAGE 4096

static struct xres map(void* addr, size_t len, int prot, int flags, int fd, long off) {
    return BSD(mmap, addr, len, prot, flags, fd, off);
}

int main(void) {
    /* Anonymous private memory: page aligned, zero filled, writable. */
    struct xres r = EXPECT_OK(map(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap anon 2 pages");
    unsigned char* p = (unsigned char*)r.val;
    CHECK(r.val && (r.val & (PAGE - 1)) == 0, "anonymous mapping is page aligned");
    int zero = 1;
    for (int i = 0; i < 2 * PAGE; i++) zero &= p[i] == 0;
    CHECK(zero, "anonymous mapping is zero filled");
    p[0] = 1, p[2 * PAGE - 1] = 2;
    CHECK(p[0] == 1 && p[2 * PAGE - 1] == 2, "anonymous mapping is writable");

    /* MAP_FIXED replaces the middle page of a 3-page mapping and nothing else. */
    r = EXPECT_OK(map(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap anon 3 pages");
    unsigned char* q = (unsigned char*)r.val;
    memset(q, 0x5a, 3 * PAGE);
    r = EXPECT_OK(map(q + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0),
                  "mmap MAP_FIXED over the middle page");
    CHECK(r.val == (long)(q + PAGE), "MAP_FIXED returns exactly the requested address");
    CHECK(q[PAGE] == 0 && q[2 * PAGE - 1] == 0, "MAP_FIXED page is fresh (zero)");
    CHECK(q[PAGE - 1] == 0x5a && q[2 * PAGE] == 0x5a, "MAP_FIXED leaves the neighbours alone");
    EXPECT_ERR(map(q + 1, PAGE, PROT_READ, MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0), EINVAL,
               "mmap MAP_FIXED at an unaligned address");

    /* Length 0: refused under MAP_UNIX03 (what libc passes), else a successful no-op returning 0. */
    EXPECT_ERR(map(0, 0, PROT_READ, MAP_ANON | MAP_PRIVATE | MAP_UNIX03, -1, 0), EINVAL, "mmap len 0 with MAP_UNIX03");
    r = EXPECT_OK(map((void*)0x200000000, 0, PROT_READ, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap len 0 without MAP_UNIX03");
    CHECK(r.val == 0, "mmap len 0 without MAP_UNIX03 returns 0, not the hint");
    /* MAP_UNIX03 also needs MAP_PRIVATE or MAP_SHARED; without it neither is needed. */
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_ANON | MAP_UNIX03, -1, 0), EINVAL, "mmap MAP_UNIX03 without PRIVATE/SHARED");
    EXPECT_OK(map(0, PAGE, PROT_READ, MAP_ANON, -1, 0), "mmap anon without PRIVATE/SHARED");

    /* Flag and protection bits: unknown map flags are refused, unknown protection bits ignored. */
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_ANON | MAP_PRIVATE | 0x100000, -1, 0), EINVAL, "mmap with an unknown flag");
    EXPECT_OK(map(0, PAGE, PROT_READ | 0x100, MAP_ANON | MAP_PRIVATE, -1, 0), "mmap with an unknown PROT bit");
    /* An anonymous mapping's fd is -1 or a VM tag; anything else is EINVAL. */
    EXPECT_OK(map(0, PAGE, PROT_READ, MAP_ANON | MAP_PRIVATE, VM_MAKE_TAG(VM_MEMORY_APPLICATION_SPECIFIC_1), 0),
              "mmap anon with a VM tag as fd");
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_ANON | MAP_PRIVATE, 5, 0), EINVAL, "mmap anon with fd 5");

    /* A file: two pages of a known pattern. */
    int fd = (int)EXPECT_OK(BSD(open, "mmap.dat", O_RDWR | O_CREAT | O_TRUNC, 0644), "open mmap.dat").val;
    static unsigned char buf[2 * PAGE];
    for (int i = 0; i < 2 * PAGE; i++) buf[i] = (unsigned char)(i * 7 + (i >> 12));
    CHECK(BSD(write, fd, buf, sizeof buf).val == (long)sizeof buf, "write 2 pages");
    r = EXPECT_OK(map(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE), "mmap file offset 4096");
    CHECK(!r.err && !memcmp((void*)r.val, buf + PAGE, PAGE), "file mapping shows the second page");
    r = EXPECT_OK(map(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), "mmap file private rw");
    if (!r.err) ((unsigned char*)r.val)[0] ^= 0xff;
    unsigned char first = 0;
    BSD(pread, fd, &first, 1, 0);
    CHECK(first == buf[0], "a private file mapping does not write through");

    /* Unaligned offsets: EINVAL under MAP_UNIX03; otherwise XNU maps the page and points into it. */
    EXPECT_ERR(map(0, 100, PROT_READ, MAP_PRIVATE | MAP_UNIX03, fd, 100), EINVAL, "mmap unaligned offset with MAP_UNIX03");
    r = EXPECT_OK(map(0, 100, PROT_READ, MAP_PRIVATE, fd, PAGE + 100), "mmap unaligned offset without MAP_UNIX03");
    CHECK((r.val & (PAGE - 1)) == 100, "the result keeps the offset within the page");
    CHECK(!r.err && !memcmp((void*)r.val, buf + PAGE + 100, 100), "and points at that byte of the file");

    /* Descriptor errors. */
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_SHARED, 999, 0), EBADF, "mmap fd 999");
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_SHARED, -1, 0), EBADF, "mmap fd -1 without MAP_ANON");
    r = BSD0(pipe);
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_SHARED, (int)r.val, 0), EINVAL, "mmap a pipe");
    int ro = (int)EXPECT_OK(BSD(open, "mmap.dat", O_RDONLY), "open read-only").val;
    EXPECT_ERR(map(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES, "mmap shared writable of a read-only fd");
    EXPECT_OK(map(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0), "mmap private writable of a read-only fd");
    int wo = (int)EXPECT_OK(BSD(open, "mmap.dat", O_WRONLY), "open write-only").val;
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES, "mmap readable of a write-only fd");
    int dev = (int)EXPECT_OK(BSD(open, "/dev/zero", O_RDWR), "open /dev/zero").val;
    EXPECT_ERR(map(0, PAGE, PROT_READ, MAP_PRIVATE, dev, 0), ENODEV, "mmap /dev/zero (a character device)");
    r = EXPECT_OK(map((void*)0x300000000, 0, PROT_READ, MAP_SHARED, fd, 0), "mmap file len 0 without MAP_UNIX03");
    CHECK(r.val == 0, "file len 0 returns 0");
    EXPECT_ERR(map(0, 0, PROT_READ, MAP_SHARED, 999, 0), EBADF, "mmap len 0 still checks the fd");
    return t_done();
}
