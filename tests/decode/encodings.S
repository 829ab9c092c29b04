// Instructions of many shapes for tests/decode_diff.sh, which compares the x86-64 length decoder with
// llvm-objdump over every Mach-O the build makes: compiled test programs use few encodings, this file the
// rest (prefixes, every immediate size, moffs, rip-relative forms, the 0F/0F38/0F3A maps, VEX, EVEX, x87,
// system instructions). Built into build/tests/decode/encodings; never run. Each group is a function of its
// own, so a refused instruction ends only its group. .byte lines are encodings an assembler does not choose
// but a program may hold.
        .text
        .globl _start
_start:
        ret

        .globl _legacy_prefixes
_legacy_prefixes:
        lock cmpxchgq %rcx, (%rdi)
        lock incl (%rdi)
        lock addl $1, data(%rip)
        rep stosq
        rep movsb
        repne scasb
        movq %fs:0x28, %rax
        movq %gs:0, %rax
        movl (%edi), %eax
        movl 8(%esp), %eax
        .byte 0x66, 0x90                                            // xchg ax, ax
        .byte 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0     // nopw cs:[rax + rax]
        .byte 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x90  // 15 bytes
        pause
        ret

        .globl _modrm_forms
_modrm_forms:
        movl (%rdi), %eax
        movl 8(%rdi), %eax
        movl 0x100(%rdi), %eax
        movl (%rsp), %eax
        movl 8(%rsp), %eax
        movl 0x100(%rsp), %eax
        movl (%r12), %eax
        movl 0x12345678, %eax
        movl 0(,%rax,8), %eax
        movl 16(%rbp,%rax,8), %eax
        movl 0(%rbp), %eax
        movl 0(%r13), %eax
        movl (%r13,%r14,2), %r15d
        leal (%rdi,%rdi,2), %eax
        movslq %edi, %rax
        xchgb %al, (%rdi)
        shll %eax
        shll %cl, %eax
        incb %al
        popq (%rax)
        leave
        cwtl
        cqto
        pushfq
        movsb
        xlatb
        int3
        int $0x80
        inb $0x60, %al
        inb %dx, %al
        ret

        .globl _immediates
_immediates:
        addb $1, %al
        addl $0x12345678, %eax
        addw $0x1234, %ax
        addq $0x12345678, %rax
        addl $1, %eax
        addl $0x12345678, %ecx
        addw $0x1234, %cx
        subq $0x1f8, %rsp
        cmpb $10, (%rdi)
        pushq $1
        pushq $0x12345678
        pushw $0x1234
        imull $0x12345678, %eax, %eax
        imulw $8, %ax, %ax
        shlb $4, %al
        shrq $63, %rax
        movb $1, %al
        movl $0x12345678, %eax
        movw $0x1234, %ax
        movabsq $0x1122334455667788, %rax
        movabsq $0x1122334455667788, %r15
        movl $0x12345678, %r8d
        movb $1, (%rax)
        movl $0x12345678, (%rax)
        movw $0x1234, (%rax)
        movq $-1, %rax
        testb $1, %cl
        notb %cl
        mulb %cl
        testb $1, 8(%rsp)
        testl $0x12345678, %ecx
        testw $0x1234, %cx
        testq $0x12345678, %rcx
        negl %eax
        divq %rcx
        idivl 8(%rsp)
        testb $1, %al
        testl $0x12345678, %eax
        testw $0x1234, %ax
        enter $16, $0
        enter $16, $1
        movabsb 0x1122334455667788, %al
        movabsq 0x1122334455667788, %rax
        movabsw %ax, 0x1122334455667788
        .byte 0x67, 0xa0, 0x44, 0x33, 0x22, 0x11                    // mov al, [moffs32]
        .byte 0x66, 0x48, 0x05, 0x78, 0x56, 0x34, 0x12              // add rax, imm32: REX.W over 66
        .byte 0x66, 0x48, 0x81, 0xc0, 0x78, 0x56, 0x34, 0x12        // add rax, imm32
        .byte 0x66, 0x48, 0xf7, 0xc1, 0x78, 0x56, 0x34, 0x12        // test rcx, imm32
        .byte 0x66, 0x48, 0xc7, 0xc0, 0x78, 0x56, 0x34, 0x12        // mov rax, imm32
        .byte 0x66, 0x48, 0x68, 0x78, 0x56, 0x34, 0x12              // push imm32
        .byte 0x66, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8              // mov rax, imm64
        ret

        .globl _rip_relative
_rip_relative:
        leaq data(%rip), %rax
        movl data(%rip), %eax
        movl data(%eip), %eax
        movl $1, data(%rip)
        movq $-1, data(%rip)
        cmpb $0, data(%rip)
        cmpw $0x1234, data(%rip)
        testl $0x12345678, data(%rip)
        lock cmpxchgq %rcx, data(%rip)
        movdqa data(%rip), %xmm0
        pcmpistri $12, data(%rip), %xmm0
        vmovaps data(%rip), %xmm0
        vpalignr $8, data(%rip), %xmm0, %xmm0
        vmovaps data(%rip), %zmm0
        fldl data(%rip)
        pushq data(%rip)
        callq *data(%rip)
        jmpq *data(%rip)

        .globl _branches
_branches:
        jmp 1f
1:      je 2f
        jg 1b
2:      je _start
        jne _branches
        callq _start
        jrcxz 3f
        jecxz 3f
3:      loop 3b
        loopne 3b
        loope 3b
        xbegin 4f
4:      xabort $1
        xend
        callq *%rax
        callq *%r11
        callq *0x100(,%rax,8)
        lcallq *(%rdi)
        jmpq *%rax
        notrack jmpq *%rax
        jmpq *0x100(,%rax,8)
        ljmpq *(%rdi)
        pushq (%rdi)
        .byte 0xf2, 0xe8, 0, 0, 0, 0                                // bnd call
        .byte 0xf3, 0xc3                                            // rep ret
        .byte 0xf2, 0xc3                                            // bnd ret
        retq $8
        lretq
        lretq $8
        iretq
        hlt
        ud2
        ud1l %eax, %eax
        ret

        .globl _system
_system:
        syscall
        .byte 0x41, 0x0f, 0x05                                      // syscall with a REX
        sysenter
        sysretq
        cpuid
        rdtsc
        rdtscp
        xgetbv
        mfence
        lfence
        sfence
        clflush (%rax)
        xsave 0x40(%rsp)
        xrstor64 (%rsp)
        xsaveopt (%rsp)
        fxsave64 (%rsp)
        rdrandl %eax
        rdseedq %rax
        sldt %eax
        movq %cr0, %rax
        movq %rax, %cr3
        movq %dr7, %rax
        vmread %rax, %rcx
        vmwrite %rcx, %rax
        rdfsbaseq %rax
        wrgsbaseq %rax
        ret

        .globl _map_0f
_map_0f:
        nopl (%rax)
        nopl 0(%rax)
        nopl 0(%rax,%rax)
        nopl 0x100(%rax)
        nopw 0x100(%rax,%rax)
        endbr64
        movzbl %al, %eax
        movsbq (%rdi), %rax
        cmovel %ecx, %eax
        sete %al
        btl %ecx, %eax
        shldl $4, %eax, %ecx
        shrdl $4, %eax, %ecx
        shldl %cl, %eax, %ecx
        btl $3, %eax
        btsq $63, (%rdi)
        imulq %rcx, %rax
        popcntq %rcx, %rax
        tzcntl %ecx, %eax
        lzcntq %rcx, %rax
        bswapl %eax
        bswapq %r8
        xaddl %eax, (%rdi)
        cmpxchg16b (%rdi)
        prefetchw (%rax)
        prefetcht0 (%rax)
        prefetchnta 0x40(%rdi)
        movaps %xmm1, %xmm0
        pxor %xmm0, %xmm0
        movsd 8(%rsp), %xmm0
        movq %rax, %xmm0
        cmpps $0, %xmm1, %xmm0
        shufps $0x44, %xmm1, %xmm0
        pshufd $0x1b, %xmm1, %xmm0
        psrlw $4, %xmm0
        psrad $4, %xmm0
        psrldq $4, %xmm0
        pinsrw $1, %eax, %xmm0
        pextrw $1, %xmm0, %eax
        pshufw $0x1b, %mm1, %mm0
        emms
        cvtsi2sdq %rax, %xmm0
        cvttsd2si %xmm0, %rax
        ucomisd %xmm1, %xmm0
        movnti %eax, (%rdi)
        pshufb %mm1, %mm0
        pshufb %xmm1, %xmm0
        adcxl %ecx, %eax
        movbel (%rdi), %eax
        crc32l %ecx, %eax
        crc32b %cl, %eax
        aesenc 16(%rsp), %xmm0
        sha256rnds2 %xmm0, %xmm1, %xmm2
        palignr $8, %xmm1, %xmm0
        pextrd $1, %xmm0, %eax
        pextrq $1, %xmm0, %rax
        pclmulqdq $0x11, %xmm1, %xmm0
        palignr $8, 0x100(%rsp), %xmm0
        roundsd $4, %xmm1, %xmm0
        sha1rnds4 $1, %xmm1, %xmm0
        ret

        .globl _vex
_vex:
        vzeroupper
        vzeroall
        vmovdqa %xmm1, %xmm0
        vmovdqa (%rdi), %ymm0
        vmovdqa %ymm0, 32(%rsp)
        vmovdqa (%r8), %ymm0
        vmovq %rax, %xmm0
        vpshufd $0x1b, %xmm1, %xmm0
        vpsrldq $4, %xmm0, %xmm0
        vcmpps $0, %xmm1, %xmm0, %xmm0
        vshufps $0x44, %xmm1, %xmm0, %xmm0
        vpinsrw $1, %eax, %xmm0, %xmm0
        vpextrw $1, %xmm0, %eax
        vbroadcastss (%rdi), %ymm0
        vpshufb %xmm1, %xmm0, %xmm0
        andnl %ecx, %eax, %eax
        bextrq %rcx, %rax, %rdx
        shlxq %rcx, %rax, %rdx
        pdepq %rcx, %rax, %rdx
        vinsertf128 $1, %xmm1, %ymm0, %ymm0
        vpalignr $8, %xmm1, %xmm0, %xmm0
        rorxq $5, %rcx, %rax
        vpalignr $8, 0x100(%rsp), %xmm0, %xmm0
        vfmadd231ps %ymm2, %ymm1, %ymm0
        vpermq $0x1b, %ymm1, %ymm0
        vgatherdps %ymm2, (%rdi,%ymm1,4), %ymm0
        vcvtph2ps %xmm1, %ymm0
        vcvtps2ph $0, %ymm1, %xmm0
        vaesenc %ymm2, %ymm1, %ymm0
        vpclmulqdq $0x11, %ymm2, %ymm1, %ymm0
        vmaskmovps (%rdi), %ymm1, %ymm0
        vblendvps %ymm3, %ymm2, %ymm1, %ymm0
        kmovw %k1, %eax
        ret

        .globl _evex
_evex:
        vmovaps %zmm1, %zmm0
        vmovaps 64(%rdi), %zmm0
        vmovaps 0x100(%rdi), %zmm0
        vmovaps (%rsp), %zmm0
        vpshufd $0x1b, %zmm1, %zmm0
        vshufps $0x44, %zmm1, %zmm0, %zmm0
        vpbroadcastd %xmm1, %zmm0
        vextractf32x4 $1, %zmm0, %xmm1
        vaddps (%rdi){1to16}, %zmm1, %zmm0 {%k1} {z}
        vpternlogd $0x96, %zmm2, %zmm1, %zmm0
        vpcmpd $1, %zmm1, %zmm0, %k1
        vmovdqu8 %zmm1, %zmm0 {%k1}
        vaddpd {rn-sae}, %zmm2, %zmm1, %zmm0
        vpaddd %xmm17, %xmm16, %xmm31
        vaddph %zmm2, %zmm1, %zmm0
        vrcpph %zmm1, %zmm0
        vfmadd132ph 64(%rdi), %zmm1, %zmm0
        vcvtsh2ss %xmm1, %xmm0, %xmm0
        ret

        .globl _x87
_x87:
        fldz
        fxch %st(1)
        faddp %st, %st(1)
        fnstsw %ax
        fwait
        flds -8(%rbp)
        fldt (%rsp)
        fstpl 8(%rsp)
        fnstcw -2(%rsp)
        fistpll (%rsp)
        fiaddl 0x100(%rsp)
        fsincos
        fucomip %st(1), %st
        fcmovbe %st(1), %st
        ret

        .data
data:
        .quad 0, 0, 0, 0, 0, 0, 0, 0
