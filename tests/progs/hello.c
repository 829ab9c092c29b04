/* The bundled demo: a greeting through raw XNU system calls, no libSystem. */
#include "xnu.h"

int main(int argc, char** argv, char** envp, char** apple) {
    (void)envp;
    static const char msg[] = "Hello from a macOS program, running under macrun.\n";
    BSD(write, 1, msg, sizeof msg - 1);
    t_printf("argc=%d argv[0]=%s apple[0]=%s\n", argc, argv[0], apple[0]);
    return 0;
}
