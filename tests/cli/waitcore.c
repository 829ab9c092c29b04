/* A child that dumps core (RLIMIT_CORE raised, then a null read): the parent's wait4 status carries the core
 * flag (WCOREFLAG 0200) and signal 11. Exits 0 when it does; 1 when the status has no core flag; 2 otherwise.
 * Facts: xnu bsd/sys/wait.h (WCOREFLAG), bsd/kern/kern_exit.c. */
#include "xnu.h"

int main(void) {
    struct xres r = BSD0(fork);
    if (r.val2 == 1) {
        struct { unsigned long cur, max; } lim = {0x7fffffffffffffffUL, 0x7fffffffffffffffUL};
        BSD(setrlimit, 4 /* RLIMIT_CORE */, &lim);
        volatile int* p = 0;
        return *p;
    }
    int status = 0;
    BSD(wait4, r.val, &status, 0, 0);
    t_printf("status %x\n", status);
    if ((status & 0x7f) != 11) return 2;
    return (status & 0x80) ? 0 : 1;
}
