/* Exits with the status given as argv[1] (integration test of exit status propagation). */
#include "xnu.h"

int main(int argc, char** argv) {
    int v = 0;
    if (argc > 1)
        for (const char* p = argv[1]; *p; p++) v = v * 10 + (*p - '0');
    return v;
}
