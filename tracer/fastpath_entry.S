// macrun_fast_entry_{sse,avx,xsave}: called from a fast-path trampoline with the program's registers live,
// eax = the XNU call number, and the red zone already skipped. Each saves every register the `syscall`
// instruction preserves that macrun's own code may change (general registers, flags, the vector registers
// and MXCSR), calls macrun_fast_syscall(frame, vector area, layout), and restores them with the results.
//
// Which vector registers need saving depends on what the CPU and kernel enable (XCR0) and so on what glibc's
// string functions use: xmm0-15 with SSE only, ymm0-15 with AVX (glibc's AVX2 functions end in vzeroupper,
// which clears the upper halves of all of them), everything XSAVE knows with AVX-512 (glibc's EVEX functions
// use ymm16-31). The x87 registers are left alone: macrun's code does not use them. Saving with explicit
// moves costs about a tenth of FXSAVE/FXRSTOR here (9 ns against 96 ns a call).
//
// The vector area is 64-byte aligned on the stack: 1 KiB holding the FXSAVE image's layout for SSE (MXCSR at
// 24, xmm at 160), or MXCSR at 24 and ymm0-15 at 512 for AVX; 4 KiB in XSAVE's own layout for XSAVE.
        .text

.macro SAVE_GPRS area
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
        sub $\area, %rsp
        and $-64, %rsp
.endm

.macro CALL_C layout
        mov %rbx, %rdi                  // macrun_fast_syscall(frame, vector area, layout)
        mov %rsp, %rsi
        mov $\layout, %edx
        cld
        call macrun_fast_syscall
.endm

.macro RESTORE_GPRS
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
.endm

        .globl macrun_fast_entry_sse
        .type macrun_fast_entry_sse, @function
macrun_fast_entry_sse:
        SAVE_GPRS 1024
        stmxcsr 24(%rsp)
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movaps %xmm\n, 160+16*\n(%rsp)
        .endr
        CALL_C 0
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movaps 160+16*\n(%rsp), %xmm\n
        .endr
        ldmxcsr 24(%rsp)
        RESTORE_GPRS

        .globl macrun_fast_entry_avx
        .type macrun_fast_entry_avx, @function
macrun_fast_entry_avx:
        SAVE_GPRS 1024
        stmxcsr 24(%rsp)
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovdqa %ymm\n, 512+32*\n(%rsp)
        .endr
        // Whether any upper half is in use. Most programs have none: for them the registers come back as
        // vzeroupper and 128-bit loads leave them, without the cost (over 100 ns a call measured here) that
        // full-width restores put on the program's next SSE instructions.
        vmovdqa 512+16(%rsp), %xmm0
        .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vpor 512+32*\n+16(%rsp), %xmm0, %xmm0
        .endr
        vptest %xmm0, %xmm0
        setz 28(%rsp)
        CALL_C 1
        cmpb $0, 28(%rsp)
        je 1f
        vzeroupper
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovdqa 512+32*\n(%rsp), %xmm\n
        .endr
        jmp 2f
1:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovdqa 512+32*\n(%rsp), %ymm\n
        .endr
2:
        ldmxcsr 24(%rsp)
        RESTORE_GPRS

        .globl macrun_fast_entry_xsave
        .type macrun_fast_entry_xsave, @function
macrun_fast_entry_xsave:
        SAVE_GPRS 4096
        // XSAVE needs its header zeroed; the area is at most 4 KiB (checked when this entry is chosen).
        xor %eax, %eax
        mov %rax, 512(%rsp)
        mov %rax, 520(%rsp)
        mov %rax, 528(%rsp)
        mov %rax, 536(%rsp)
        mov %rax, 544(%rsp)
        mov %rax, 552(%rsp)
        mov %rax, 560(%rsp)
        mov %rax, 568(%rsp)
        mov $0xe7, %eax                 // x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM
        xor %edx, %edx
        xsave64 (%rsp)
        CALL_C 2
        mov $0xe7, %eax
        xor %edx, %edx
        xrstor64 (%rsp)
        RESTORE_GPRS

        .section .note.GNU-stack,"",@progbits
