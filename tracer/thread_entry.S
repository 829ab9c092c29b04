// Thread creation and exit for the in-process backend.
        .text

// long macrun_clone_thread(flags, child_stack): clone(2) with a new stack. The parent returns the child's tid
// (or -errno); the child starts with rsp = child_stack, where a ThreadStart block was placed, and calls
// macrun_thread_start(block), which never returns.
        .globl macrun_clone_thread
        .type macrun_clone_thread, @function
macrun_clone_thread:
        mov $56, %eax                   // SYS_clone(flags, stack, ptid, ctid, tls)
        xor %edx, %edx
        xor %r10d, %r10d
        xor %r8d, %r8d
        syscall
        test %rax, %rax
        jnz 1f
        mov %rsp, %rdi
        and $-16, %rsp
        call macrun_thread_start
        hlt
1:      ret

// macrun_enter_regs(const Regs* r): loads every general register, the flags and rsp from r and jumps to r->rip.
// Layout: rax rdx rdi rsi r10 r8 r9 rsp rip rflags rbx rcx rbp r11 r12 r13 r14 r15 (tracer/thread.hpp Regs).
        .globl macrun_enter_regs
        .type macrun_enter_regs, @function
macrun_enter_regs:
        mov %rdi, %r11
        mov 56(%r11), %rsp              // the new thread's stack
        pushq 64(%r11)                  // rip, for the final ret
        pushq 72(%r11)                  // rflags
        mov 0(%r11), %rax
        mov 8(%r11), %rdx
        mov 16(%r11), %rdi
        mov 24(%r11), %rsi
        mov 32(%r11), %r10
        mov 40(%r11), %r8
        mov 48(%r11), %r9
        mov 80(%r11), %rbx
        mov 88(%r11), %rcx
        mov 96(%r11), %rbp
        mov 112(%r11), %r12
        mov 120(%r11), %r13
        mov 128(%r11), %r14
        mov 136(%r11), %r15
        mov 104(%r11), %r11
        popfq
        ret

// macrun_unmap_and_exit(addr, len): munmap then exit(0) of this thread, touching no stack in between (the
// stack being unmapped may be the one in use).
        .globl macrun_unmap_and_exit
        .type macrun_unmap_and_exit, @function
macrun_unmap_and_exit:
        test %rsi, %rsi
        jz 1f
        mov $11, %eax                   // SYS_munmap
        syscall
1:      mov $60, %eax                   // SYS_exit (this thread only)
        xor %edi, %edi
        syscall
        hlt

        .section .note.GNU-stack,"",@progbits
