/* Calls through libsystem_kernel-shaped stubs many times: results, errnos (carry flag) and the second return
 * register must stay exact once the in-process backend has rewritten the call sites into direct calls. */
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
    return t_done();
}
