/* Raw Linux system calls made by Mach-O code (XNU class 0): macOS raises EXC_SYSCALL, to which no UNIX signal
 * corresponds, and the thread goes on with its registers as they were. Linux getpid (39) must not return a
 * pid and Linux exit (60) must not end the program. Exits 0 when both were ignored. */
#include "xnu.h"

int main(void) {
    long rax;
    __asm__ volatile("syscall" : "=a"(rax) : "a"(39L) : "rcx", "r11", "memory");
    if (rax != 39) return 1;
    __asm__ volatile("syscall" : "=a"(rax) : "a"(60L), "D"(7L) : "rcx", "r11", "memory");
    if (rax != 60) return 2;
    t_printf("still running\n");
    return t_done();
}
