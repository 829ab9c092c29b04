#include "cli/start.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/commpage.hpp"
#include "mach/kglobals.hpp"
#include "loader/code_map.hpp"
#include "loader/macho.hpp"
#include "loader/map.hpp"
#include "syscalls/common.hpp"
#include "syscalls/signal.hpp"
#include "syscalls/trace.hpp"
#include "base/runtime.hpp"
#include "tracer/backend.hpp"

extern "C" [[noreturn]] void macrun_enter_thread(uint64_t rip, uint64_t rsp);
extern "C" [[noreturn]] void macrun_enter_main(uint64_t entry, uint64_t rsp, uint64_t argc, uint64_t argv,
                                                uint64_t envp, uint64_t apple);

namespace cli {
namespace {

int fail(const std::string& path, const std::string& why, int status = 126) {
    fmt::print(stderr, "macrun: {}: {}\n", path, why);
    return status;
}

// Moves a descriptor macrun keeps for itself out of the program's way (high number, close-on-exec) and
// records it as reserved.
int reserve_fd(int fd, int slot) {
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    // Near the top of the usual 1,024 descriptors, below a larger limit: the kernel grows the descriptor table
    // up to the number taken, and growing it to a limit of tens of thousands costs more than all the rest of
    // setting up the descriptors.
    const uint64_t top = rl.rlim_cur > 1024 ? 1024 : rl.rlim_cur;
    int floor = top > 64 ? int(top) - 8 : 32;
    int hi = fcntl(fd, F_DUPFD_CLOEXEC, floor);
    if (hi < 0) hi = fcntl(fd, F_DUPFD_CLOEXEC, 32);
    base::g_runtime.reserved_fds[slot] = hi;
    return hi;
}

}  // namespace

int exec_macho(const ExecOptions& opts) {
    const std::string& path = opts.path;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(path, strerror(errno), errno == ENOENT ? 127 : 126);
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return fail(path, "not a regular file");
    if (st.st_size == 0) return fail(path, "empty file");
    void* file = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (file == MAP_FAILED) return fail(path, fmt::format("cannot read: {}", strerror(errno)));

    macho::ParseOptions no_names;
    no_names.symbol_names = false;
    macho::ParseResult parsed = macho::parse({static_cast<const uint8_t*>(file), size_t(st.st_size)}, no_names);
    // Where the image's functions start, for a backend that rewrites call sites of any shape.
    loader::CodeMap code;
    if (parsed.image && opts.fastpath && opts.backend->learn_code)
        code = loader::code_map(*parsed.image, {static_cast<const uint8_t*>(file), size_t(st.st_size)});
    munmap(file, size_t(st.st_size));
    if (!parsed.image) return fail(path, parsed.error);
    const macho::Image& img = *parsed.image;
    if (img.filetype != macho::MH_EXECUTE)
        return fail(path, fmt::format("is a {}, not an executable", macho::filetype_name(img.filetype)));
    if (!img.dylibs.empty()) {
        std::string names;
        for (auto& d : img.dylibs) names += (names.empty() ? "" : ", ") + d.name;
        return fail(path, fmt::format("needs the dynamic linker ({}) to load {}; macrun cannot run dynamically "
                                      "linked programs yet",
                                      img.dylinker.empty() ? "/usr/lib/dyld" : img.dylinker, names));
    }

    // Where macrun writes: the trace and its own diagnostics, on descriptors the program cannot touch.
    base::g_runtime.diag_fd = reserve_fd(STDERR_FILENO, 0);
    if (base::g_runtime.diag_fd < 0) base::g_runtime.diag_fd = STDERR_FILENO;
    if (!opts.trace_file.empty()) {
        int tfd = opts.trace_file == "-" ? dup(STDERR_FILENO)
                                         : open(opts.trace_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (tfd < 0) return fail(opts.trace_file, fmt::format("cannot open trace file: {}", strerror(errno)), 1);
        base::g_runtime.trace_fd = reserve_fd(tfd, 1);
        close(tfd);
    } else if (opts.trace_fd >= 0 && fcntl(opts.trace_fd, F_SETFD, FD_CLOEXEC) == 0) {
        // Passed on by a traced program's execve: kept at its number, which a ptrace supervisor also uses.
        base::g_runtime.trace_fd = base::g_runtime.reserved_fds[1] = opts.trace_fd;
    }
    base::g_runtime.no_fastpath_option = !opts.fastpath;
    // In process, the session's Mach kernel: the region handed on by the macrun that exec'd this one, or a new
    // one. Mapped now, before the program's limits (RLIMIT_FSIZE, RLIMIT_AS) can stand in the way; its
    // descriptor is kept out of the program's sight.
    const tracer::Backend& be = *opts.backend;
    if (be.caps.handlers_in_program) {
        base::g_runtime.mach_fd = opts.mach_fd;
        snprintf(base::g_runtime.session, sizeof base::g_runtime.session, "%s", opts.session.c_str());
        mach::kg();
        int fd = base::g_runtime.mach_fd;
        base::g_runtime.mach_fd = reserve_fd(fd, 2);
        if (base::g_runtime.mach_fd >= 0 && base::g_runtime.mach_fd != fd) close(fd);
        else base::g_runtime.mach_fd = fd;
    }
    // The absolute path, resolved now: what proc_pidpath reports, whatever the program's cwd becomes.
    char resolved[PATH_MAX];
    snprintf(base::g_runtime.exec_path, sizeof base::g_runtime.exec_path, "%s",
             realpath(path.c_str(), resolved) ? resolved : path.c_str());
    base::init_process_state();
    xnu_sys::adopt_inherited_dispositions();
    // The process is the program now: ps, /proc/PID/comm and XNU's p_comm show its name, not macrun's.
    std::string base = path.substr(path.rfind('/') + 1);
    prctl(PR_SET_NAME, base.substr(0, 15).c_str());

    loader::Mapped mapped;
    if (std::string err = loader::map_image(img, fd, mapped); !err.empty()) return fail(path, err);
    close(fd);
    if (std::string err = loader::map_commpage(); !err.empty()) return fail(path, err);

    rlimit rl{};
    getrlimit(RLIMIT_STACK, &rl);
    uint64_t stack_size = (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (64u << 20)) ? (8u << 20) : rl.rlim_cur;
    if (img.main_stacksize > stack_size) stack_size = (img.main_stacksize + 4095) & ~4095ULL;
    uint64_t top = 0;
    if (std::string err = loader::allocate_stack(stack_size, top); !err.empty()) return fail(path, err);
    loader::StackImage stack;
    loader::build_stack(top, opts.argv, opts.envp, loader::apple_strings(path, top, stack_size), 0, stack);
    base::g_runtime.args_area = stack.strings;
    base::g_runtime.args_area_end = stack.strings_end;
    base::g_runtime.argc = int(stack.argc);

    // Set before the backend takes over: a supervisor forked from here runs the handlers with them.
    base::g_runtime.fastpath = opts.fastpath && be.rewrites_call_sites;
    base::g_runtime.backend = be.name;
    base::g_runtime.caps = be.caps;
    if (base::g_runtime.fastpath && be.learn_code) be.learn_code(code, mapped.slide);
    const char* step = "";
    if (int rc = be.take_over(&step))
        return fail(path, fmt::format("cannot set up the {} backend ({}): {}", be.name, step, strerror(-rc)), 1);

    char event[1200];
    snprintf(event, sizeof event, "exec %s (backend %s%s, slide %#llx, entry %#llx)", path.c_str(),
             base::g_runtime.backend, base::g_runtime.fastpath ? " with fast path" : "", static_cast<unsigned long long>(mapped.slide),
             static_cast<unsigned long long>(mapped.entry));
    base::trace_event(nullptr, event);

    loader::seal_commpage();
    if (img.unixthread) macrun_enter_thread(mapped.entry, stack.sp);
    macrun_enter_main(mapped.entry, stack.sp, stack.argc, stack.argv, stack.envp, stack.apple);
}

}  // namespace cli
