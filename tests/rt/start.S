// _start for the static test programs: XNU enters an LC_UNIXTHREAD program with rsp at argc. Calls
// main(argc, argv, envp, apple) and exits through BSD exit (1) with its result.
        .text
        .globl _start
_start:
        mov (%rsp), %rdi            // argc
        lea 8(%rsp), %rsi           // argv
        lea 8(%rsi,%rdi,8), %rdx    // envp = argv + argc + 1
        mov %rdx, %rcx
1:      cmpq $0, (%rcx)             // apple follows envp's NULL
        lea 8(%rcx), %rcx
        jne 1b
        and $-16, %rsp
        call _main
        mov %eax, %edi
        mov $0x2000001, %eax
        syscall
        hlt
