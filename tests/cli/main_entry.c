/* Linked with an LC_MAIN entry (no LC_UNIXTHREAD): macrun calls main(argc, argv, envp, apple) and exits with
 * its return value, as dyld would. Returns argc + 40. */
#include "xnu.h"

int main(int argc, char** argv, char** envp, char** apple) {
    if (!argv[0] || !envp || !apple || strncmp(apple[0], "executable_path=", 16)) return 1;
    return argc + 40;
}
