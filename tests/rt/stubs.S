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

// The signal trampoline a Darwin program gives sigaction (libplatform's _sigtramp plays this part): XNU
// enters it with rdi = handler, rsi = infostyle, rdx = signal, rcx = siginfo, r8 = ucontext, r9 = token and
// rsp as just after a call. It calls handler(signal, siginfo, ucontext) and returns through sigreturn.
        .globl _t_sigtramp
        .p2align 4
_t_sigtramp:
        push %rbp                       // 16-byte alignment for the handler's call
        mov %rsi, %r12
        mov %r8, %r13
        mov %r9, %r14
        mov %rdi, %rax
        mov %edx, %edi
        mov %rcx, %rsi
        mov %r8, %rdx
        call *%rax
        mov %r13, %rdi
        mov %r12d, %esi
        mov %r14, %rdx
        mov $0x20000b8, %eax            // sigreturn (184)
        syscall
        hlt

// The thread-start routine a program registers with bsdthread_register (libpthread's _thread_start plays
// this part): XNU starts a new thread here with rdi = pthread, rsi = thread port, rdx = function, rcx =
// argument, r8 = stack, r9 = flags. Calls function(argument), then ends the thread with
// bsdthread_terminate(0, 0, port, 0).
        .globl _t_thread_start
        .p2align 4
_t_thread_start:
        mov %rsi, %r13
        and $-16, %rsp
        mov %rcx, %rdi
        call *%rdx
        xor %edi, %edi
        xor %esi, %esi
        mov %r13d, %edx
        xor %r10d, %r10d
        mov $0x2000169, %eax            // bsdthread_terminate (361)
        syscall
        hlt

// Mach trap stubs: libsystem_kernel's shape for class 1 (the result is the kern_return_t in rax). A trap with
// more than six arguments (mach_msg2_trap) finds the rest on the stack above the return address.
#define MACH_STUB(name, number)     \
        .globl _stub_##name;        \
        .p2align 4;                 \
_stub_##name:                       \
        mov $(0x1000000 | number), %eax; \
        mov %rcx, %r10;             \
        syscall;                    \
        ret

MACH_STUB(mach_msg2_trap, 47)
MACH_STUB(mach_reply_port, 26)

// Stubs of other shapes than Apple's, as other toolchains and runtimes write them: the number set earlier and
// another instruction right before `syscall`; and the number passed in a register (Go's syscall.Syscall shape).
        .globl _stub_getpid_xor
        .p2align 4
_stub_getpid_xor:
        mov $0x2000014, %eax
        xor %r9d, %r9d
        syscall
        jae 1f
        neg %rax
1:      ret

        .globl _stub_syscall_reg
        .p2align 4
_stub_syscall_reg:
        mov %rdi, %rax
        mov %rsi, %rdi
        syscall
        jae 1f
        neg %rax
1:      ret

// Two calls of other shapes in one function, the first after a 7-byte rip-relative lea: once the first site
// is rewritten, the bytes after its jump are leftovers, and the second site's rewrite must still find the
// instruction boundaries. Returns the pid, or -1 if the two results differ.
        .globl _stub_getpid_twice
        .p2align 4
_stub_getpid_twice:
        mov $0x2000014, %eax
        lea 0(%rip), %r11
        syscall
        mov %rax, %r8
        mov $0x2000014, %eax
        xor %r9d, %r9d
        syscall
        cmp %rax, %r8
        je 1f
        mov $-1, %rax
1:      ret
