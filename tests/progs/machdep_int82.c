/* Machdep call 3 through `int $0x82` (eax = 3), with macrun's 64-bit register convention. */
/* Semantics: macrun-only; real XNU routes int $0x82 to the 32-bit machdep_syscall() (osfmk/x86_64/idt64.s). */
#include "xnu.h"

static unsigned long tsd[8] = {0x4242, 0x4343};

int main(void) {
    long rax = 3;
    __asm__ volatile("int $0x82" : "+a"(rax) : "D"(tsd) : "rcx", "r11", "memory");
    CHECK(rax == 0x0f, "int $0x82 with eax=3 returns 0x0f");
    unsigned long v;
    __asm__ volatile("movq %%gs:8, %0" : "=r"(v));
    CHECK(v == 0x4343, "%gs:8 reads the TSD set through int $0x82");
    return t_done();
}
