// macrun_fast_entry: called from a fast-path trampoline with the program's registers live, eax = the XNU call
// number, and the red zone already skipped. Saves every register the `syscall` instruction preserves (general
// registers, flags, x87/SSE state), calls macrun_fast_syscall(frame), and restores them with the results.
        .text
        .globl macrun_fast_entry
        .type macrun_fast_entry, @function
macrun_fast_entry:
        pushfq
        push %r15
        push %r14
        push %r13
        push %r12
        push %r11
        push %r10
        push %r9
        push %r8
        push %rdi
        push %rsi
        push %rbp
        push %rdx
        push %rcx
        push %rbx
        push %rax
        mov %rsp, %rbx                  // the frame: rax rbx rcx rdx rbp rsi rdi r8..r15 rflags retaddr
        sub $512, %rsp
        and $-64, %rsp
        fxsave64 (%rsp)
        mov %rbx, %rdi                  // macrun_fast_syscall(frame, fxsave image)
        mov %rsp, %rsi
        cld
        call macrun_fast_syscall
        fxrstor64 (%rsp)
        mov %rbx, %rsp
        pop %rax
        pop %rbx
        pop %rcx
        pop %rdx
        pop %rbp
        pop %rsi
        pop %rdi
        pop %r8
        pop %r9
        pop %r10
        pop %r11
        pop %r12
        pop %r13
        pop %r14
        pop %r15
        popfq
        ret

        .section .note.GNU-stack,"",@progbits
