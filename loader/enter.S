// Leaving macrun's own code for the program's first instruction.
        .text

// macrun_enter_thread(rip, rsp): start an LC_UNIXTHREAD program as XNU does: rsp at argc, every general
// register zero except the jump target.
        .globl macrun_enter_thread
        .type macrun_enter_thread, @function
macrun_enter_thread:
        mov %rdi, %r11
        mov %rsi, %rsp
        xor %eax, %eax
        xor %ebx, %ebx
        xor %ecx, %ecx
        xor %edx, %edx
        xor %esi, %esi
        xor %edi, %edi
        xor %ebp, %ebp
        xor %r8d, %r8d
        xor %r9d, %r9d
        xor %r10d, %r10d
        xor %r12d, %r12d
        xor %r13d, %r13d
        xor %r14d, %r14d
        xor %r15d, %r15d
        cld
        jmp *%r11

// macrun_enter_main(entry, rsp, argc, argv, envp, apple): call an LC_MAIN entry as dyld would, as
// main(argc, argv, envp, apple), then exit with its return value through the XNU exit call (BSD 1). The call
// is made from the `syscall` at the end of the commpage's text page (loader/commpage.hpp,
// kCommpageSyscallGadget), outside macrun's own text: trapped calls must come from the program's side, where
// Syscall User Dispatch and the seccomp filter see them.
        .globl macrun_enter_main
        .type macrun_enter_main, @function
macrun_enter_main:
        mov %rdi, %r11
        mov %rsi, %rsp
        mov %rdx, %rdi
        mov %rcx, %rsi
        mov %r8, %rdx
        mov %r9, %rcx
        xor %ebp, %ebp
        cld
        call *%r11
        mov %eax, %edi
        mov $0x2000001, %eax
        movabs $0x7fffffe01ffc, %r11
        jmp *%r11

        .section .note.GNU-stack,"",@progbits
