/* The indirect system call (BSD 0, xnu unix_syscall64): the number in rdi (its low 32 bits), the arguments
 * shifted to rsi, rdx, r10, r8, r9; results and errors exactly as for the direct call. */
#include "xnu.h"

int main(void) {
    char buf[16];
    struct xres r = EXPECT_OK(BSD(syscall, X_getpid), "syscall(SYS_getpid)");
    CHECK(r.val == BSD0(getpid).val, "same pid as the direct call");
    r = EXPECT_OK(BSD(syscall, 0xffffffff00000000L | X_getpid), "the number is the low 32 bits of rdi");
    CHECK(r.val == BSD0(getpid).val, "getpid again");

    r = EXPECT_OK(BSD(syscall, X_open, "f", O_RDWR | O_CREAT, 0644), "syscall(SYS_open, 3 args)");
    int fd = (int)r.val;
    CHECK(fd >= 3, "a descriptor");
    r = EXPECT_OK(BSD(syscall, X_write, fd, "hello", 5), "syscall(SYS_write)");
    CHECK(r.val == 5, "5 bytes");
    r = EXPECT_OK(BSD(syscall, X_lseek, fd, 1, SEEK_SET), "syscall(SYS_lseek)");
    CHECK(r.val == 1, "offset 1");
    r = EXPECT_OK(BSD(syscall, X_pread, fd, buf, 3, 2), "syscall(SYS_pread, 4 args: r8 holds the offset)");
    CHECK(r.val == 3 && !memcmp(buf, "llo", 3), "bytes 2..4");
    r = EXPECT_OK(BSD(syscall, X_read, fd, buf, sizeof buf), "syscall(SYS_read) from the lseek offset");
    CHECK(r.val == 4 && !memcmp(buf, "ello", 4), "bytes 1..4");

    struct xres p = EXPECT_OK(BSD(syscall, X_pipe), "syscall(SYS_pipe)");
    CHECK(p.val >= 3 && p.val2 > p.val, "both pipe descriptors, rax and rdx");
    CHECK(BSD(syscall, X_write, p.val2, "z", 1).val == 1, "write to the pipe");
    CHECK(BSD(syscall, X_read, p.val, buf, 1).val == 1 && buf[0] == 'z', "read from the pipe");

    EXPECT_ERR(BSD(syscall, X_close, -1), EBADF, "errors come back with the carry flag");
    EXPECT_ERR(BSD(syscall, X_open, "missing", O_RDONLY), ENOENT, "syscall(SYS_open) of a missing file");
    EXPECT_ERR(BSD(syscall, X_read, fd, buf, 0x80000000UL), EINVAL, "syscall(SYS_read) nbyte 2^31");
    EXPECT_OK(BSD(syscall, X_close, 0xdead000000000000L | (unsigned)fd), "int args still truncated");
    EXPECT_ERR(BSD(syscall, X_close, fd), EBADF, "closed");
    return t_done();
}
