/* execv: runs execve(argv[1], argv + 1, envp) and exits 127 when it fails (integration tests of exec chains). */
#include "xnu.h"

int main(int argc, char** argv, char** envp) {
    if (argc < 2) return 2;
    struct xres r = BSD(execve, argv[1], argv + 1, envp);
    t_printf("execv: %s: errno %d\n", argv[1], r.err);
    return 127;
}
