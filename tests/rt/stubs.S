// System call stubs in the exact shape of Apple's libsystem_kernel (mov $N,%eax; mov %rcx,%r10; syscall;
// jae ok), for tests and benchmarks that exercise what real programs execute. Each returns the result, or
// -errno when the carry flag is set.
        .text
#define STUB(name, number)          \
        .globl _stub_##name;        \
        .p2align 4;                 \
_stub_##name:                       \
        mov $(0x2000000 | number), %eax; \
        mov %rcx, %r10;             \
        syscall;                    \
        jae 1f;                     \
        neg %rax;                   \
1:      ret

STUB(getpid, 20)
STUB(write, 4)
STUB(read, 3)
STUB(close, 6)
STUB(open, 5)
STUB(fstat64, 339)
STUB(lseek, 199)
STUB(getuid, 24)

// pipe returns its two descriptors in rax and rdx; the stub stores them through its argument.
        .globl _stub_pipe
        .p2align 4
_stub_pipe:
        mov %rdi, %r8
        mov $0x200002a, %eax
        mov %rcx, %r10
        syscall
        jae 1f
        neg %rax
        ret
1:      mov %eax, (%r8)
        mov %edx, 4(%r8)
        xor %eax, %eax
        ret
