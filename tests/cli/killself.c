/* Sends itself the Darwin signal given as argv[1] (15 = SIGTERM, 30 = SIGUSR1): death by signal must reach the shell. */
#include "xnu.h"

int main(int argc, char** argv) {
    int sig = 15;
    if (argc > 1) {
        sig = 0;
        for (const char* p = argv[1]; *p; p++) sig = sig * 10 + (*p - '0');
    }
    BSD(kill, BSD0(getpid).val, sig, 1);
    return 99;
}
