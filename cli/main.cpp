// macrun's command line: run, inspect, syscalls, conform.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "base/host.hpp"
#include "loader/commpage.hpp"
#include "cli/binfmt.hpp"
#include "cli/conform.hpp"
#include "cli/inspect.hpp"
#include "cli/start.hpp"
#include "syscalls/table.hpp"

extern char** environ;

namespace {

void usage(FILE* out) {
    fmt::print(out,
               "usage: macrun [OPTIONS] run PROGRAM [ARGS...]   run a macOS x86_64 program\n"
               "       macrun [OPTIONS] PROGRAM [ARGS...]       the same (as binfmt_misc calls it)\n"
               "       macrun inspect FILE                      what the loader sees in a Mach-O file\n"
               "       macrun syscalls [--missing]              the XNU call support table\n"
               "       macrun binfmt install [--systemd[=FILE]] | uninstall | status\n"
               "                                                run Mach-O files as ./prog (binfmt_misc)\n"
               "       macrun conform DIR [--junit FILE] [--timeout SECONDS]\n"
               "                                                run Mach-O conformance programs, print TAP\n"
               "options:\n"
               "  --trace[=FILE]        print every XNU call, decoded, to stderr or FILE\n"
               "  --backend=NAME        how calls are intercepted:\n");
    for (const tracer::Backend& b : tracer::backends()) fmt::print(out, "                          {:<8} {}\n", b.name, b.what);
    fmt::print(out,
               "  --no-fastpath         inproc: keep every call on the SIGSYS path (no call-site rewriting)\n"
               "  --session=NAME        inproc: join the Mach session NAME (or MACRUN_SESSION=NAME): programs\n"
               "                        started apart share one Mach kernel and bootstrap server\n"
               "                        (/dev/shm/macrun.UID.NAME)\n"
               "  -h, --help            this text\n");
}

int print_syscalls(bool missing_only) {
    int counts[4] = {};
    for (const auto& e : xnu_sys::all_entries()) {
        counts[int(e.support)]++;
        if (missing_only && e.support != xnu_sys::Support::Missing) continue;
        const char* level = e.support == xnu_sys::Support::Full        ? "implemented"
                            : e.support == xnu_sys::Support::Partial   ? "partial"
                            : e.support == xnu_sys::Support::XnuEnosys ? "ENOSYS on xnu too"
                                                                       : "missing";
        fmt::print("{:<13} {:>4}  {:<40} {}{}{}\n", base::class_name(e.cls), e.nr, e.name(), level,
                   *e.note() ? ": " : "", e.note());
    }
    fmt::print("{} implemented, {} partial, {} missing, {} ENOSYS on xnu too\n", counts[0], counts[1], counts[2],
               counts[3]);
    return 0;
}

// Runs the program with this process's environment. MACRUN_TRACE_FD: a traced Mach-O program started the
// Linux program that started this macrun (directly, or through binfmt_misc); the variable is macrun's, never
// the program's.
int run(cli::ExecOptions& opts) {
    for (char** e = environ; *e; e++) {
        if (!strncmp(*e, "MACRUN_MACH_FD=", 15)) {
            // The Mach kernel of the session a Mach-O program started the Linux program in.
            int fd = atoi(*e + 15);
            if (opts.mach_fd < 0 && fd > 2) opts.mach_fd = fd;
            continue;
        }
        if (!strncmp(*e, "MACRUN_SESSION=", 15) && opts.session.empty()) opts.session = *e + 15;
        if (!strncmp(*e, "MACRUN_COMMPAGE_RETRY=", 22)) continue;
        if (!strncmp(*e, "MACRUN_TRACE_FD=", 16)) {
            int fd = atoi(*e + 16);
            if (opts.trace_fd < 0 && opts.trace_file.empty()) opts.trace_fd = fd;
            else if (fd > 2 && fd != opts.trace_fd) close(fd);  // tracing elsewhere: not the program's to see
            continue;
        }
        opts.envp.emplace_back(*e);
    }
    // A session name is part of a file name: letters, digits, '.', '_' and '-' only.
    if (!opts.session.empty()) {
        bool ok = opts.session.size() <= 100 && opts.session != "." && opts.session != "..";
        for (char c : opts.session) ok = ok && (isalnum(uint8_t(c)) || c == '.' || c == '_' || c == '-');
        if (!ok) {
            fprintf(stderr, "macrun: invalid session name '%s' (letters, digits, '.', '_' and '-', at most 100)\n",
                    opts.session.c_str());
            return 2;
        }
    }
    return cli::exec_macho(opts);
}

}  // namespace

// The commpage's address is fixed by the ABI, and the kernel may have put this process's own stack there (see
// loader::reserve_commpage): then macrun starts itself again, for a stack placed elsewhere, a few times at
// most. The count travels in MACRUN_COMMPAGE_RETRY, which the program never sees.
static void reserve_commpage_or_restart(char** argv) {
    if (loader::reserve_commpage()) return;
    const char* tries = getenv("MACRUN_COMMPAGE_RETRY");
    int n = tries ? atoi(tries) : 0;
    if (n >= 8) return;  // map_commpage reports the address as in use
    char value[16];
    snprintf(value, sizeof value, "%d", n + 1);
    setenv("MACRUN_COMMPAGE_RETRY", value, 1);
    execv("/proc/self/exe", argv);
}

int main(int argc, char** argv) {
    base::tsc_window_open();  // the TSC is measured over start-up (base/host.hpp)
    reserve_commpage_or_restart(argv);
    cli::ExecOptions opts;
    bool whole_argv = false;
    int i = 1;
    // Started by binfmt_misc (flags PF): the program's full path, then its own argv[0] and arguments.
    const char* base = strrchr(argv[0], '/');
    if (!strcmp(base ? base + 1 : argv[0], cli::kBinfmtName)) {
        if (argc < 3) {
            fmt::print(stderr, "macrun: started as {} without a program\n", cli::kBinfmtName);
            return 2;
        }
        opts.path = argv[1];
        for (int k = 2; k < argc; k++) opts.argv.emplace_back(argv[k]);
        return run(opts);
    }
    auto parse_option = [&](const char* a) -> int {  // 1 = consumed, 0 = not an option, -1 = error
        if (!strcmp(a, "--trace")) return opts.trace_file = "-", 1;
        if (!strncmp(a, "--trace=", 8)) return opts.trace_file = a + 8, 1;
        if (!strcmp(a, "--no-fastpath")) return opts.fastpath = false, 1;
        // Internal, for execve of a Mach-O by a program under macrun: the trace descriptor, the Mach kernel and
        // the TSC frequency it passes on, and ARGS given as the program's whole argv (argv[0] included,
        // possibly empty).
        if (!strncmp(a, "--trace-fd=", 11)) return opts.trace_fd = atoi(a + 11), 1;
        if (!strncmp(a, "--mach-fd=", 10)) return opts.mach_fd = atoi(a + 10), 1;
        if (!strncmp(a, "--tsc-hz=", 9)) return base::set_tsc_hz(strtoull(a + 9, nullptr, 10)), 1;
        if (!strncmp(a, "--session=", 10)) return opts.session = a + 10, 1;
        if (!strcmp(a, "--whole-argv")) return whole_argv = true, 1;
        if (!strncmp(a, "--backend=", 10) && tracer::find_backend(a + 10))
            return opts.backend = tracer::find_backend(a + 10), 1;
        if (!strncmp(a, "--backend", 9)) {
            std::string names;
            for (const tracer::Backend& b : tracer::backends()) names += fmt::format("{}--backend={}", names.empty() ? "" : " or ", b.name);
            fmt::print(stderr, "macrun: unknown backend in '{}' (use {})\n", a, names);
            return -1;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        }
        if (a[0] == '-' && a[1]) {
            fmt::print(stderr, "macrun: unknown option '{}'\n", a);
            usage(stderr);
            return -1;
        }
        return 0;
    };
    for (; i < argc; i++) {
        int r = parse_option(argv[i]);
        if (r < 0) return 2;
        if (r == 0) break;
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    std::string cmd = argv[i];
    if (cmd == "inspect") {
        if (i + 2 != argc) {
            fmt::print(stderr, "usage: macrun inspect FILE\n");
            return 2;
        }
        return cli::inspect(argv[i + 1]);
    }
    if (cmd == "syscalls") {
        bool missing = i + 1 < argc && !strcmp(argv[i + 1], "--missing");
        return print_syscalls(missing);
    }
    if (cmd == "conform") return cli::conform(argc - i - 1, argv + i + 1, argv[0]);
    if (cmd == "binfmt") return cli::binfmt(argc - i - 1, argv + i + 1);
    if (cmd == "run") {
        for (i++; i < argc; i++) {
            int r = parse_option(argv[i]);
            if (r < 0) return 2;
            if (r == 0) break;
        }
        if (i >= argc) {
            fmt::print(stderr, "macrun run: no program given\n");
            return 2;
        }
    }
    opts.path = argv[i];
    for (int k = whole_argv ? i + 1 : i; k < argc; k++) opts.argv.emplace_back(argv[k]);
    return run(opts);
}
