#pragma once
namespace cli {
// `macrun conform DIR [--junit FILE] [--timeout SECONDS] [--backend=B]`: runs every Mach-O executable in DIR
// under macrun, each in a fresh temporary working directory with a time limit; a program passes when it exits
// with status 0. Prints TAP and a final "N passed, N failed" line; writes JUnit XML when asked.
int conform(int argc, char** argv, const char* self);
}  // namespace cli
