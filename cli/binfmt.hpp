#pragma once
namespace cli {
// `macrun binfmt install [--systemd[=FILE]] | uninstall | status`: registration with binfmt_misc, so that a
// Mach-O file runs as ./prog from any shell. Returns the exit status.
int binfmt(int argc, char** argv);
// The name binfmt_misc calls macrun by (a symbolic link beside the executable): argv is then
// [macrun-binfmt, full path of the program, the program's argv[0], its arguments...] (flag P).
inline constexpr const char* kBinfmtName = "macrun-binfmt";
}  // namespace cli
