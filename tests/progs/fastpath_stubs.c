/* Calls through libsystem_kernel-shaped stubs many times: results, errnos (carry flag) and the second return
 * register must stay exact once the in-process backend has rewritten the call sites into direct calls. The same
 * through stubs of other shapes (another instruction before `syscall`, the number in a register), whose sites
 * are rewritten by moving the instructions before the `syscall`; through such a site a call that must trap
 * (fork) still works; and the vector registers the `syscall` instruction preserves survive every call. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    long pid = BSD0(getpid).val;
    int same = 1;
    for (int i = 0; i < 5000; i++) same &= stub_getpid() == pid;
    CHECK(same, "getpid through a stub, 5000 times, always the pid");

    long bad = 0;
    for (int i = 0; i < 100; i++) bad += stub_write(-1, "x", 1) == -EBADF;
    CHECK(bad == 100, "write(-1) through a stub: EBADF (carry flag) every time");

    int fds[2] = {-1, -1};
    CHECK(stub_pipe(fds) == 0 && fds[0] >= 0 && fds[1] > fds[0], "pipe through a stub: two descriptors from rax and rdx");
    long ok = 1;
    for (int i = 0; i < 1000; i++) {
        char c = (char)i, d = 0;
        ok &= stub_write(fds[1], &c, 1) == 1 && stub_read(fds[0], &d, 1) == 1 && d == c;
    }
    CHECK(ok, "1000 one-byte round trips through a pipe");
    CHECK(stub_lseek(fds[0], 0, 0) == -ESPIPE, "lseek on a pipe: ESPIPE");

    struct stat st;
    CHECK(stub_fstat64(fds[0], &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "fstat64 of a pipe: S_IFIFO");
    CHECK(stub_fstat64(fds[0], BAD_PTR) == -EFAULT, "fstat64 into unmapped memory: EFAULT");
    CHECK(stub_close(fds[0]) == 0 && stub_close(fds[0]) == -EBADF, "close twice: 0 then EBADF");
    stub_close(fds[1]);

    /* Registers the syscall instruction preserves must survive the call. */
    long r12 = 0x1234567812345678L, out = 0;
    __asm__ volatile("mov %1, %%r12\n\tcall _stub_getpid\n\tmov %%r12, %0" : "=r"(out) : "r"(r12) : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "memory");
    CHECK(out == r12, "r12 survives a stub call");

    /* Other shapes. */
    same = 1;
    for (int i = 0; i < 5000; i++) same &= stub_getpid_xor() == pid;
    CHECK(same, "getpid through `xor %r9d,%r9d; syscall`, 5000 times, always the pid");
    same = 1;
    for (int i = 0; i < 5000; i++) same &= stub_getpid_twice() == pid;
    CHECK(same, "two sites of other shapes in one function (the first after a rip-relative lea), 5000 times");
    same = 1;
    for (int i = 0; i < 5000; i++) same &= stub_syscall_reg(0x2000014, 0) == pid;
    CHECK(same, "getpid with the number in a register, 5000 times, always the pid");
    bad = 0;
    for (int i = 0; i < 100; i++) bad += stub_syscall_reg(0x2000006, -1) == -EBADF;
    CHECK(bad == 100, "close(-1) through the same site: EBADF every time");
    /* fork sets the child's registers itself (rdx = 1): through the rewritten site it must trap as before. */
    long r = stub_syscall_reg(0x2000002, 0);
    if (r == BSD0(getpid).val) BSD(exit, 7);  /* the child: fork returned its own pid */
    int status = 0;
    CHECK(r > 0 && BSD(wait4, r, &status, 0, 0).val == r && (status >> 8) == 7,
          "fork through the same site: the child runs on and exits 7");
    CHECK(stub_syscall_reg(0x2000014, 0) == pid, "and getpid through it still works after");

    /* A child rewrites a site the parent has not used yet: the rewrite must be the child's alone (it opens its
     * own /proc/self/mem), and the parent's copy of the site must still work as the parent first uses it. */
    long uid = BSD0(getuid).val;
    r = t_fork();
    if (r == 0) {
        int ok_child = 1;
        for (int i = 0; i < 100; i++) ok_child &= stub_getuid() == uid;
        BSD(exit, ok_child ? 0 : 1);
    }
    status = -1;
    CHECK(r > 0 && BSD(wait4, r, &status, 0, 0).val == r && status == 0, "a child's calls through a fresh stub");
    same = 1;
    for (int i = 0; i < 100; i++) same &= stub_getuid() == uid;
    CHECK(same, "the parent's calls through the same stub, after the child rewrote its copy");

    /* xmm registers survive calls through both kinds of rewritten site. */
    static const unsigned char pattern[16] __attribute__((aligned(16))) = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    unsigned char back[2][16] __attribute__((aligned(16)));
    __asm__ volatile("movdqa (%2), %%xmm8\n\tmovdqa (%2), %%xmm15\n\t"
                     "call _stub_getpid\n\tcall _stub_getpid_xor\n\t"
                     "movdqa %%xmm8, (%0)\n\tmovdqa %%xmm15, (%1)"
                     : : "r"(back[0]), "r"(back[1]), "r"(pattern)
                     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm8", "xmm15", "memory");
    CHECK(!memcmp(back[0], pattern, 16) && !memcmp(back[1], pattern, 16), "xmm8 and xmm15 survive stub calls");
    /* With AVX (the commpage's capabilities, kHasAVX1_0), the upper halves of the ymm registers survive too. */
    unsigned long caps = *(volatile unsigned long*)0x7fffffe00010UL;
    if (caps & 0x01000000UL) {
        unsigned char wide[32] __attribute__((aligned(32))), wide_back[32] __attribute__((aligned(32)));
        for (int i = 0; i < 32; i++) wide[i] = (unsigned char)(0xa0 + i);
        struct stat wst;
        long wfd = 1;
        void* wbuf = &wst;
        __asm__ volatile("vmovdqa (%3), %%ymm9\n\tcall _stub_fstat64\n\tvmovdqa %%ymm9, (%2)\n\tvzeroupper"
                         : "+D"(wfd), "+S"(wbuf)
                         : "r"(wide_back), "r"(wide)
                         : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "xmm9", "memory");
        CHECK(!memcmp(wide, wide_back, 32), "ymm9, upper half included, survives an fstat64 through a stub");
    }
    return t_done();
}
