/* Machdep call 3 (thread_fast_set_cthread_self64) via syscall: %gs base, returns 0x0f, bad base is 0. */
/* Semantics: xnu osfmk/i386/bsd_i386_native.c, pcb_native.c machine_thread_set_tsd_base(). */
#include "xnu.h"

static unsigned long tsd_a[8] = {0x1111, 0x2222}, tsd_b[8] = {0xaaaa, 0xbbbb};

static unsigned long gs_load(long off) {
    unsigned long v;
    __asm__ volatile("movq %%gs:(%1), %0" : "=r"(v) : "r"(off));
    return v;
}

int main(void) {
    struct xres r = xsys6(SYSCALL_CLASS_MDEP | 3, (long)tsd_a, 0, 0, 0, 0, 0);
    CHECK(r.val == 0x0f, "returns USER_CTHREAD (0x0f)");
    CHECK(gs_load(0) == 0x1111 && gs_load(8) == 0x2222, "%gs:0 and %gs:8 read the TSD");
    __asm__ volatile("movq %0, %%gs:16" : : "r"(0x3333UL) : "memory");
    CHECK(tsd_a[2] == 0x3333, "a store through %gs lands in the TSD");

    r = xsys6(SYSCALL_CLASS_MDEP | 3, (long)tsd_b, 0, 0, 0, 0, 0);
    CHECK(r.val == 0x0f && gs_load(0) == 0xaaaa, "the base can be moved");
    r = xsys6(SYSCALL_CLASS_MDEP | 3, (long)0x8000000000000000UL, 0, 0, 0, 0, 0);
    CHECK(r.val == 0x0f, "a non-canonical base is taken as 0, still 0x0f");
    r = xsys6(SYSCALL_CLASS_MDEP | 3, (long)tsd_a, 0, 0, 0, 0, 0);
    CHECK(r.val == 0x0f && gs_load(8) == 0x2222, "and can be set again");
    CHECK(BSD0(getpid).val > 0, "system calls still work with %gs set");
    CHECK(gs_load(0) == 0x1111, "and leave %gs alone");
    return t_done();
}
