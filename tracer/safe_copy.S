// macrun_safe_copy(dst, src, n): memcpy that reports a bad address instead of crashing, the way a kernel's
// copyin/copyout does with an exception table: a fault on the `rep movsb` lands in the SIGSEGV/SIGBUS
// handler, which moves rip to macrun_safe_copy_fixup. Returns 0, or -1 on a fault.
        .text
        .globl macrun_safe_copy
        .globl macrun_safe_copy_insn
        .globl macrun_safe_copy_fixup
        .type macrun_safe_copy, @function
macrun_safe_copy:
        mov %rdx, %rcx
macrun_safe_copy_insn:
        rep movsb
        xor %eax, %eax
        ret
macrun_safe_copy_fixup:
        mov $-1, %rax
        ret

        .section .note.GNU-stack,"",@progbits
