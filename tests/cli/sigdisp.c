/* Exits with the disposition sigaction reports for the Darwin signal given as argv[1]: 0 SIG_DFL, 1 SIG_IGN,
 * 2 a handler. A signal ignored when the program was exec'd must read back as SIG_IGN (POSIX exec rules). */
#include "xnu.h"

int main(int argc, char** argv) {
    int sig = 0;
    if (argc > 1)
        for (const char* p = argv[1]; *p; p++) sig = sig * 10 + (*p - '0');
    struct t_sigaction_out old;
    if (xsys6(SYSCALL_CLASS_UNIX | 46, sig, 0, (long)&old, 0, 0, 0).err) return 3;
    return old.handler == 0 ? 0 : old.handler == (void*)1 ? 1 : 2;
}
