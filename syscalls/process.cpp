// Processes: fork, wait4/waitid, execve, process groups and sessions (posix_spawn: spawn.cpp).
#include <climits>
#include <cstdlib>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common.hpp"
#include "mach/task.hpp"
#include "trace.hpp"
#include "base/host.hpp"
#include "base/page.hpp"

namespace xnu_sys {

// Shared with posix_spawn (spawn.cpp, which declares them too).
using ExecHook = int (*)(Thread& t, void* ctx);
SysResult exec_image(Thread& t, TraceeAddr fname, TraceeAddr argp, TraceeAddr envp, ExecHook hook, void* hook_ctx);

namespace {

// wait4/waitid option bits (xnu bsd/sys/wait.h) and idtype_t values (P_ALL, P_PID, P_PGID: the same as Linux's).
constexpr int kWNohang = 0x01, kWUntraced = 0x02, kWExited = 0x04, kWStopped = 0x08, kWContinued = 0x10,
              kWNowait = 0x20;
constexpr int kWStopval = 0177;  // _WSTOPPED: the low 7 bits of a stopped (or continued) status
constexpr int kWCoreflag = 0200;

// Darwin's siginfo_t as a 64-bit process receives it (xnu bsd/sys/signal.h user64_siginfo), fields in order
// (si_signo, si_errno, si_code, si_pid, si_uid, si_status, si_addr, si_value, si_band, __pad[7]; the si_
// prefix is dropped: glibc defines those names as macros).
struct XnuSiginfo {
    int32_t signo, errno_, code, pid;
    uint32_t uid;
    int32_t status;
    uint64_t addr, value, band;
    uint64_t pad[7];
};
static_assert(sizeof(XnuSiginfo) == 104);

// A Linux signal number as the program knows it. A signal Darwin does not have (a real-time one) keeps its
// Linux number, so that the status still says "killed by a signal".
int xnu_sig(int linux_sig) {
    int x = xlate::signal_to_xnu(linux_sig);
    return x ? x : linux_sig;
}

bool reaped(int cld_code) { return cld_code == CLD_EXITED || cld_code == CLD_KILLED || cld_code == CLD_DUMPED; }

// The status word wait4 stores, from what Linux's waitid reported (xnu kern_exit.c wait4_nocancel and
// bsd/sys/wait.h): W_EXITCODE(ret, sig), the core flag, W_STOPCODE(sig), and W_STOPCODE(SIGCONT) for a
// continued child where Linux has 0xffff. Layout as on Linux, Darwin signal numbers.
int wait_status(const siginfo_t& si) {
    switch (si.si_code) {
        case CLD_EXITED: return (si.si_status & 0xff) << 8;
        case CLD_KILLED: return xnu_sig(si.si_status);
        case CLD_DUMPED: return xnu_sig(si.si_status) | kWCoreflag;
        case CLD_CONTINUED: return xnu::XNU_SIGCONT << 8 | kWStopval;
        default: return xnu_sig(si.si_status) << 8 | kWStopval;  // CLD_STOPPED, CLD_TRAPPED
    }
}

// XNU reports a child's state change and consumes it only once the results are copied out: a bad status or
// siginfo pointer is EFAULT and leaves the child waitable (xnu kern_exit.c: copyout fails -> "goto out",
// before reap_child_locked). So the event is first looked at with Linux's WNOWAIT, then consumed.
// Returns 0 (si.si_pid == 0: WNOHANG and nothing to report) or a Linux -errno (ECHILD, EINTR).
int64_t peek_child(Thread& t, int idtype, int id, int states, bool nohang, siginfo_t& si) {
    si = {};
    return t.sys(SYS_waitid, {idtype, id, out(si), states | WNOWAIT | (nohang ? WNOHANG : 0), nullptr});
}

// Consumes the event peek_child saw; `ru` gets the child's resource usage when it is reaped. False when
// another thread took it first.
bool consume_child(Thread& t, const siginfo_t& seen, struct ::rusage* ru) {
    int state = reaped(seen.si_code) ? WEXITED : seen.si_code == CLD_CONTINUED ? WCONTINUED : WSTOPPED;
    siginfo_t si{};
    base::LinuxArg ru_arg = ru ? out(*ru) : base::LinuxArg(nullptr);
    int64_t r = t.sys(SYS_waitid, {P_PID, seen.si_pid, out(si), state | WNOHANG, ru_arg});
    bool ok = r == 0 && si.si_pid == seen.si_pid;
    // A child that ended without saying so to the Mach kernel (killed by a signal) loses its task now, with
    // every right it held: its senders' rights become dead names.
    if (ok && state == WEXITED) mach::task_reaped(t, seen.si_pid);
    return ok;
}

// Whether the program's memory at p takes n bytes (what copyout would find), probed by writing back what is
// there.
int check_writable(Thread& t, TraceeAddr p, size_t n) {
    uint8_t buf[256];
    if (n > sizeof buf) return xnu::XNU_EFAULT;
    XNU_TRY_ERRNO(t.read(p, buf, n));
    return t.write(p, buf, n);
}


// wait4 as xnu kern_exit.c wait4_nocancel: pid 0 is the caller's group, INT_MIN (whose group would be
// -INT_MIN) EINVAL; options other than WNOHANG, WUNTRACED and WCONTINUED are ignored, not refused; the resource
// usage is written only for a child that is reaped.
SysResult do_wait4(Thread& t, int32_t pid, TraceeAddr status, int32_t options, TraceeAddr rusage) {
    if (pid == INT_MIN) return SysResult::error(xnu::XNU_EINVAL);
    int idtype = P_ALL, id = 0;
    if (pid > 0) idtype = P_PID, id = pid;
    else if (pid < -1) idtype = P_PGID, id = -pid;
    else if (pid == 0) idtype = P_PGID, id = int(t.sys(SYS_getpgid, {0}));
    int states = WEXITED | (options & kWUntraced ? WSTOPPED : 0) | (options & kWContinued ? WCONTINUED : 0);
    for (;;) {
        siginfo_t si;
        int64_t r = peek_child(t, idtype, id, states, options & kWNohang, si);
        if (r < 0) return from_linux(r);
        if (si.si_pid == 0) return SysResult::ok(0);  // WNOHANG: *status is left alone
        int st = wait_status(si);
        if (!status.null()) XNU_TRY(t.write(status, &st, sizeof st));
        bool want_ru = reaped(si.si_code) && !rusage.null();
        if (want_ru) XNU_TRY(check_writable(t, rusage, sizeof(xnu::rusage)));
        struct ::rusage ru {};
        if (!consume_child(t, si, want_ru ? &ru : nullptr)) continue;
        if (want_ru) {
            xnu::rusage x = xlate::rusage_to_xnu(ru);
            XNU_TRY(t.write(rusage, &x, sizeof x));
        }
        return SysResult::ok(uint64_t(si.si_pid));
    }
}

// waitid as xnu kern_exit.c waitid_nocancel.
SysResult do_waitid(Thread& t, int32_t idtype, int32_t id, TraceeAddr infop, int32_t options) {
    // Only WUNTRACED is not a waitid option (EINVAL), as is no option at all.
    constexpr int kKnown = kWNohang | kWExited | kWStopped | kWContinued | kWNowait;
    if (options == 0 || (options & ~kKnown)) return SysResult::error(xnu::XNU_EINVAL);
    bool by_id = idtype == P_PID || idtype == P_PGID;
    if (by_id && id < 0) return SysResult::error(xnu::XNU_EINVAL);
    // XNU compares the id with each child's pid or group: 0 matches none (Linux reads P_PGID 0 as the caller's
    // group, and refuses P_PID 0).
    if (by_id && id == 0) return SysResult::error(xnu::XNU_ECHILD);
    // XNU's switch on idtype has no default case: any other value matches every child, like P_ALL.
    if (!by_id) idtype = P_ALL, id = 0;
    int states = (options & kWExited ? WEXITED : 0) | (options & kWStopped ? WSTOPPED : 0) |
                 (options & kWContinued ? WCONTINUED : 0);
    bool nohang = options & kWNohang;
    siginfo_t si;
    if (states == 0) {
        // Asked about no kind of event: XNU still counts the matching children (ECHILD without any), then
        // returns 0 (WNOHANG) or sleeps until a signal interrupts it.
        int64_t r = peek_child(t, idtype, id, WEXITED | WSTOPPED | WCONTINUED, true, si);
        if (r < 0) return from_linux(r);
        if (nohang) return SysResult::ok(0);
        return from_linux(t.sys(SYS_pause));
    }
    for (;;) {
        int64_t r = peek_child(t, idtype, id, states, nohang, si);
        if (r < 0) return from_linux(r);
        if (si.si_pid == 0) return SysResult::ok(0);  // WNOHANG: *infop is left alone, as XNU does
        // XNU zeroes the structure and fills in these fields only (si_uid stays 0). A continued child's
        // si_pid is p_contproc, the child itself when the default SIGCONT action resumed it (kern_sig.c).
        XnuSiginfo x{};
        x.signo = xnu::XNU_SIGCHLD;
        x.pid = si.si_pid;
        x.code = si.si_code == CLD_TRAPPED ? CLD_STOPPED : si.si_code;
        switch (si.si_code) {
            case CLD_EXITED: x.status = si.si_status & 0xff; break;
            case CLD_CONTINUED: x.status = xnu::XNU_SIGCONT; break;
            default: x.status = xnu_sig(si.si_status);
        }
        XNU_TRY(t.write(infop, &x, sizeof x));
        if ((options & kWNowait) || consume_child(t, si, nullptr)) return SysResult::ok(0);
    }
}

// ---- execve ---------------------------------------------------------------------------------------------

constexpr uint32_t kMhMagic = 0xfeedface, kMhMagic64 = 0xfeedfacf, kMhCigam = 0xcefaedfe, kMhCigam64 = 0xcffaedfe;
constexpr uint32_t kFatMagic = 0xcafebabe;  // big-endian on disk
constexpr uint32_t kMhExecute = 2, kCpuTypeX86_64 = 0x01000007;
constexpr size_t kShSize = 512;  // xnu bsd/sys/imgact.h IMG_SHSIZE: the longest "#!" line

uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
uint32_t be32(const uint8_t* p) { return __builtin_bswap32(le32(p)); }

enum class Image { MachO, Native, Script };

// The checks exec_check_permissions makes before any byte is read (xnu bsd/kern/kern_exec.c), then the first
// page, zero-filled past the end of the file as XNU's ip_vdata is. All as the program (its credentials, its
// working directory). *size gets the file's size; *unreadable is set when the file may be executed but not
// read (macrun cannot look inside: Linux is left to run it).
int read_head(Thread& t, const char* path, uint8_t* head, int64_t* size, bool* unreadable) {
    struct ::stat st {};
    base::LinuxArg p = in(path, strlen(path) + 1);
    int64_t r = t.sys(SYS_newfstatat, {-100, p, out(st), 0});
    if (r < 0) return xnu_err(r);
    if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) return xnu::XNU_EACCES;
    r = t.sys(SYS_faccessat2, {-100, p, X_OK, AT_EACCESS});
    if (r < 0) return xnu_err(r);
    if (st.st_size == 0) return xnu::XNU_ENOEXEC;
    *size = st.st_size;
    memset(head, 0, base::kPageSize);
    int64_t fd = t.sys(SYS_openat, {-100, p, O_RDONLY | O_CLOEXEC});
    *unreadable = fd < 0;
    if (fd < 0) return 0;
    r = t.sys(SYS_pread64, {fd, out(head, base::kPageSize), base::kPageSize, 0});
    t.sys(SYS_close, {fd});
    return r < 0 ? xnu_err(r) : 0;
}

// Which image activator of xnu's execsw would claim the file (exec_mach_imgact, exec_fat_imgact,
// exec_shell_imgact; no claim is ENOEXEC). ELF files, which XNU would refuse, are what the host runs.
int classify(Thread& t, const char* path, const uint8_t* head, int64_t size, Image* kind) {
    uint32_t m = le32(head);
    if (m == kMhCigam || m == kMhCigam64) return xnu::XNU_EBADARCH;  // reverse-endian Mach-O
    if (m == kMhMagic64 || m == kMhMagic) {
        if (le32(head + 12) != kMhExecute) return xnu::XNU_ENOEXEC;  // not claimed (a dylib, a bundle...)
        // 32-bit executables are refused on x86_64 (validate_potential_simulator_binary); another CPU is
        // refused by grade_binary.
        if (m == kMhMagic || le32(head + 4) != kCpuTypeX86_64) return xnu::XNU_EBADARCH;
        *kind = Image::MachO;
        return 0;
    }
    if (be32(head) == kFatMagic) {
        // xnu bsd/kern/mach_fat.c fatfile_validate_fatarches, then the best architecture for the host.
        uint32_t nfat = be32(head + 4);
        if (nfat > (base::kPageSize - 8) / 20) return xnu::XNU_EBADMACHO;
        uint64_t header_end = 8 + uint64_t(nfat) * 20;
        const uint8_t* best = nullptr;
        for (uint32_t i = 0; i < nfat; i++) {
            const uint8_t* a = head + 8 + i * 20;
            uint64_t begin = be32(a + 8), end = begin + be32(a + 12);
            if (begin < header_end || end > UINT32_MAX || int64_t(end) > size) return xnu::XNU_EBADMACHO;
            for (uint32_t j = i + 1; j < nfat; j++) {
                const uint8_t* b = head + 8 + j * 20;
                uint64_t jbegin = be32(b + 8), jend = jbegin + be32(b + 12);
                if (!memcmp(a, b, 8) || jend > UINT32_MAX) return xnu::XNU_EBADMACHO;  // same cputype/subtype
                if (begin <= jbegin ? end > jbegin : begin < jend) return xnu::XNU_EBADMACHO;  // overlapping
            }
            if (be32(a) == kCpuTypeX86_64) best = a;
        }
        if (!best) return xnu::XNU_EBADARCH;
        // The slice must be a thin executable of the architecture the fat header named.
        uint8_t slice[16] = {};
        int64_t fd = t.sys(SYS_openat, {-100, in(path, strlen(path) + 1), O_RDONLY | O_CLOEXEC});
        if (fd < 0) return xnu_err(fd);
        int64_t r = t.sys(SYS_pread64, {fd, out(slice, sizeof slice), sizeof slice, be32(best + 8)});
        t.sys(SYS_close, {fd});
        if (r < 0) return xnu_err(r);
        m = le32(slice);
        if (m == kMhCigam || m == kMhCigam64) return xnu::XNU_EBADARCH;
        if ((m != kMhMagic64 && m != kMhMagic) || le32(slice + 12) != kMhExecute) return xnu::XNU_ENOEXEC;
        if (le32(slice + 4) != be32(best) || le32(slice + 8) != be32(best + 4)) return xnu::XNU_EBADARCH;
        *kind = Image::MachO;
        return 0;
    }
    if (head[0] == '#' && head[1] == '!') {
        *kind = Image::Script;
        return 0;
    }
    if (!memcmp(head, "\x7f" "ELF", 4)) {
        *kind = Image::Native;
        return 0;
    }
    return xnu::XNU_ENOEXEC;
}

bool is_ws(char c) { return c == ' ' || c == '\t'; }
bool is_eol(char c) { return c == '#' || c == '\n'; }

// The "#!" line as exec_shell_imgact reads it: the interpreter and its arguments between the first and the
// last non-blank character before the first '#' or newline, which must come within IMG_SHSIZE bytes. On
// success [*begin, *end) is that text.
int parse_shebang(const uint8_t* head, const char** begin, const char** end) {
    const char* v = reinterpret_cast<const char*>(head);
    const char* p = v + 2;
    for (; p < v + kShSize; p++) {
        if (is_eol(*p)) return xnu::XNU_ENOEXEC;  // "#!\n": no interpreter
        if (!is_ws(*p)) break;
    }
    if (p == v + kShSize) return xnu::XNU_ENOEXEC;
    *begin = p;
    for (; p < v + kShSize && !is_eol(*p); p++) {}
    if (p == v + kShSize) return xnu::XNU_ENOEXEC;  // no end of line within the limit
    while (is_eol(*p) || is_ws(*p)) p--;
    *end = p + 1;
    return 0;
}

// The argument block execve builds, counted against ARG_MAX as xnu exec_extract_strings does: each string with
// its NUL, 8 bytes per pointer, 8 per terminating NULL, and the tail padded to 8 bytes. Everything lives in
// one private mapping (handlers may run inside a signal handler: no malloc), laid out so that the pointer
// table, macrun's own strings and the program's strings end up contiguous, which is the block that is copied
// to the program and passed to Linux's execve.
class ArgBlock {
  public:
    static constexpr size_t kMaxPtrs = xnu::XNU_ARG_MAX / 9 + 64;  // every string costs at least 9 bytes
    static constexpr size_t kTable = (kMaxPtrs + 16) * 8;
    static constexpr size_t kOwn = 4 * base::kPageSize;  // macrun's own strings (options, a path of at most 1 KiB)
    static constexpr size_t kStrings = xnu::XNU_ARG_MAX + 16;
    static constexpr size_t kOffsets = kMaxPtrs * 4;
    static constexpr size_t kSize = kTable + kOwn + kStrings + kOffsets;

    ArgBlock() {
        void* m = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        base_ = m == MAP_FAILED ? nullptr : static_cast<char*>(m);
    }
    ~ArgBlock() {
        if (base_) munmap(base_, kSize);
    }
    bool ok() const { return base_ != nullptr; }

    // A string of the program's (copyinstr: EFAULT, or E2BIG when it does not fit in what is left).
    int add_user(Thread& t, TraceeAddr p) {
        if (avail_ <= 0) return xnu::XNU_E2BIG;
        char* dst = strings() + used_;
        int e = t.read_cstr(p, dst, size_t(avail_));
        if (e == xnu::XNU_ENAMETOOLONG) return xnu::XNU_E2BIG;
        if (e) return e;
        return counted(strlen(dst) + 1);
    }
    // A string from the "#!" line or the script's path.
    int add(const char* s, size_t len) {
        if (avail_ <= 0 || int64_t(len + 1) > avail_) return xnu::XNU_E2BIG;
        memcpy(strings() + used_, s, len);
        strings()[used_ + len] = 0;
        return counted(len + 1);
    }
    // A NULL-terminated pointer array of the program's: argv (`skip_first`: a script's argv[0] gives way to
    // the script's path) or envp. A null array is an empty one.
    int add_vector(Thread& t, TraceeAddr vec, bool skip_first, size_t* count) {
        for (uint64_t i = 0; !vec.null(); i++) {
            uint64_t p;
            XNU_TRY_ERRNO(t.read(vec + i * 8, &p, sizeof p));
            if (p == 0) break;
            if (i == 0 && skip_first) continue;
            XNU_TRY_ERRNO(add_user(t, TraceeAddr(p)));
            ++*count;
        }
        return terminate();
    }
    int terminate() {
        if (avail_ < 8) return xnu::XNU_E2BIG;
        avail_ -= 8;
        return 0;
    }
    int pad_tail() { return avail_ < int64_t((8 - used_ % 8) % 8) ? xnu::XNU_E2BIG : 0; }

    // One of macrun's own strings (not counted: it is not the program's). Returns it, or null when full.
    const char* own(const char* s) {
        size_t n = strlen(s) + 1;
        if (own_used_ + n > kOwn) return nullptr;
        char* d = base_ + kTable + own_used_;
        memcpy(d, s, n);
        own_used_ += n;
        return d;
    }
    const char* string(size_t i) const { return strings() + offsets()[i]; }

    // Lays out the pointer table (argv: `pre` then strings [0, argc); envp: `pre_env` then the rest) right
    // before macrun's strings, copies the block into fresh memory of the program's and returns the program's
    // addresses of argv and envp, and of `path`. Returns 0 or an XNU errno.
    int emit(Thread& t, const char* const* pre, size_t npre, size_t argc, const char* const* pre_env, size_t npre_env,
             const char* path, uint64_t* argv, uint64_t* envp, uint64_t* path_addr) {
        size_t nptr = npre + argc + 1 + npre_env + (n_ - argc) + 1;
        auto* table = reinterpret_cast<uint64_t*>(base_ + kTable) - nptr;
        char* start = reinterpret_cast<char*>(table);
        size_t len = size_t(strings() + used_ - start);
        int64_t mem = t.sys(SYS_mmap, {0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0});
        if (mem < 0) return xnu_err(mem);
        block_ = uint64_t(mem), block_len_ = len;
        auto at = [&](const char* local) { return uint64_t(mem) + uint64_t(local - start); };
        size_t k = 0;
        for (size_t i = 0; i < npre; i++) table[k++] = at(pre[i]);
        for (size_t i = 0; i < argc; i++) table[k++] = at(string(i));
        table[k++] = 0;
        for (size_t i = 0; i < npre_env; i++) table[k++] = at(pre_env[i]);
        for (size_t i = argc; i < n_; i++) table[k++] = at(string(i));
        table[k++] = 0;
        *argv = at(start), *envp = at(start) + (npre + argc + 1) * 8, *path_addr = at(path);
        return t.write(TraceeAddr(uint64_t(mem)), start, len);
    }
    // Gives back the program's copy after a failed execve.
    void release(Thread& t) {
        if (block_) t.sys(SYS_munmap, {block_, block_len_});
        block_ = 0;
    }
    size_t count() const { return n_; }

  private:
    char* strings() const { return base_ + kTable + kOwn; }
    uint32_t* offsets() const { return reinterpret_cast<uint32_t*>(base_ + kTable + kOwn + kStrings); }
    int counted(size_t len) {
        if (n_ >= kMaxPtrs) return xnu::XNU_E2BIG;
        offsets()[n_++] = uint32_t(used_);
        used_ += len;
        avail_ -= int64_t(len);
        return terminate();  // the pointer to it
    }

    char* base_ = nullptr;
    size_t used_ = 0, own_used_ = 0, n_ = 0;
    int64_t avail_ = xnu::XNU_ARG_MAX;  // NCARGS
    uint64_t block_ = 0, block_len_ = 0;
};

}  // namespace

// execve's whole path: XNU's checks in XNU's order, then the Linux execve. `hook`, when given, runs once every
// check has passed and the new image's arguments are in place, just before the Linux execve: posix_spawn
// applies there what XNU applies after image activation (process group, session, signal state); an errno it
// returns fails the call.
SysResult exec_image(Thread& t, TraceeAddr fname, TraceeAddr argp, TraceeAddr envp, ExecHook hook, void* hook_ctx) {
    // exec_save_path copies the path in first (EFAULT, ENAMETOOLONG); namei refuses "" (ENOENT).
    Path path;
    XNU_TRY(read_path(t, fname, path));
    static_assert(kShSize + 1 <= sizeof(Path::s));
    uint8_t head[base::kPageSize];
    int64_t size = 0;
    bool unreadable = false;
    Image kind = Image::Native;
    XNU_TRY(read_head(t, path.s, head, &size, &unreadable));
    if (!unreadable) XNU_TRY(classify(t, path.s, head, size, &kind));

    ArgBlock args;
    if (!args.ok()) return SysResult::error(xnu::XNU_ENOMEM);
    // What is started: the file itself, or for a script its interpreter (looked up and checked the same way;
    // a script as interpreter is ENOEXEC, as XNU interprets only once).
    Path target = path;
    const bool script = kind == Image::Script;
    if (script) {
        const char *b, *e;
        XNU_TRY(parse_shebang(head, &b, &e));
        // The line is used as a C string from here on (exec_extract_strings stops at a NUL).
        if (const void* z = memchr(b, 0, size_t(e - b))) e = static_cast<const char*>(z);
        const char* w = b;
        while (w < e && !is_ws(*w)) w++;
        memcpy(target.s, b, size_t(w - b));
        target.s[w - b] = 0;
        // argv: the "#!" line split at blanks, the script's path as given, then argv[1...].
        for (const char* tok = b; tok < e;) {
            const char* tend = tok;
            while (tend < e && !is_ws(*tend)) tend++;
            XNU_TRY(args.add(tok, size_t(tend - tok)));
            for (tok = tend; tok < e && is_ws(*tok);) tok++;
        }
        XNU_TRY(args.add(path.s, path.len()));
        XNU_TRY(read_head(t, target.s, head, &size, &unreadable));
        if (!unreadable) {
            XNU_TRY(classify(t, target.s, head, size, &kind));
            if (kind == Image::Script) return SysResult::error(xnu::XNU_ENOEXEC);
        }
    }
    size_t argc = args.count(), envc = 0;
    XNU_TRY(args.add_vector(t, argp, script, &argc));
    XNU_TRY(args.add_vector(t, envp, false, &envc));
    XNU_TRY(args.pad_tail());
    if (kind == Image::Script) kind = Image::Native;  // an interpreter macrun cannot read: Linux decides

    // A Mach-O starts under a new macrun with the same backend and options: /proc/self/exe is macrun in
    // either backend. A Linux program gets the program's own vectors. With --trace on, the trace descriptor
    // survives the exec; a Linux program gets its number in MACRUN_TRACE_FD, so that a macrun it starts
    // traces into the same place.
    const int trace_fd = base::g_runtime.trace_fd;
    // In process the session's Mach kernel goes along too (a Linux program carries it in MACRUN_MACH_FD for a
    // Mach-O program it may start), so the new image's task stays in the same kernel as its parent's.
    const int mach_fd = base::g_runtime.caps.handlers_in_program ? base::g_runtime.mach_fd : -1;
    char backend_opt[32], trace_opt[32], trace_env[48], mach_opt[32], mach_env[48], tsc_opt[48];
    // The TSC frequency this process measured or was given: the new image converts mach_absolute_time alike,
    // and does not measure again (base/host.hpp).
    const unsigned long long tsc = base::tsc_hz();
    snprintf(tsc_opt, sizeof tsc_opt, "--tsc-hz=%llu", tsc);
    snprintf(mach_opt, sizeof mach_opt, "--mach-fd=%d", mach_fd);
    snprintf(mach_env, sizeof mach_env, "MACRUN_MACH_FD=%d", mach_fd);
    snprintf(backend_opt, sizeof backend_opt, "--backend=%s", base::g_runtime.backend);
    snprintf(trace_opt, sizeof trace_opt, "--trace-fd=%d", trace_fd);
    snprintf(trace_env, sizeof trace_env, "MACRUN_TRACE_FD=%d", trace_fd);
    const char* pre[10];
    const char* pre_env[2];
    size_t npre = 0, npre_env = 0;
    const char* exe;
    if (kind == Image::MachO) {
        exe = args.own("/proc/self/exe");
        pre[npre++] = args.own("macrun");
        pre[npre++] = args.own(backend_opt);
        if (base::g_runtime.no_fastpath_option) pre[npre++] = args.own("--no-fastpath");
        if (trace_fd >= 0) pre[npre++] = args.own(trace_opt);
        if (mach_fd >= 0) pre[npre++] = args.own(mach_opt);
        pre[npre++] = args.own(tsc_opt);
        pre[npre++] = args.own("--whole-argv");
        pre[npre++] = args.own("run");
        // A path that starts with '-' would read as an option.
        char prog[sizeof target.s + 2];
        snprintf(prog, sizeof prog, "%s%s", target.s[0] == '-' ? "./" : "", target.s);
        pre[npre++] = args.own(prog);
    } else {
        exe = args.own(target.s);
        if (trace_fd >= 0) pre_env[npre_env++] = args.own(trace_env);
        if (mach_fd >= 0) pre_env[npre_env++] = args.own(mach_env);
    }
    uint64_t argv_addr = 0, envp_addr = 0, exe_addr = 0;
    XNU_TRY(args.emit(t, pre, npre, argc, pre_env, npre_env, exe, &argv_addr, &envp_addr, &exe_addr));
    if (hook) {
        if (int e = hook(t, hook_ctx)) {
            args.release(t);
            return SysResult::error(e);
        }
    }

    if (mach_fd >= 0) t.sys(SYS_fcntl, {mach_fd, F_SETFD, 0});
    if (trace_fd >= 0) {
        t.sys(SYS_fcntl, {trace_fd, F_SETFD, 0});
        if (kind == Image::Native) {
            char event[sizeof target.s + 32];
            snprintf(event, sizeof event, "exec %s (Linux program)", target.s);
            trace_event(&t, event);
        }
    }
    int64_t r = t.sys(SYS_execve, {exe_addr, argv_addr, envp_addr});
    // In process nothing comes back. Under ptrace the supervisor sees the new image's first return; the new
    // macrun records its program's path in its own process, and the supervisor records it here, for
    // proc_pidpath (its copy is per process; the working directory is the one the path was relative to).
    if (r == 0) {
        char where[sizeof target.s + 64];
        char* resolved = reinterpret_cast<char*>(head);  // PATH_MAX bytes, free now
        static_assert(sizeof head >= PATH_MAX);
        if (target.s[0] == '/') snprintf(where, sizeof where, "%s", target.s);
        else snprintf(where, sizeof where, "/proc/%d/cwd/%s", t.pid(), target.s);
        if (kind == Image::MachO && realpath(where, resolved))
            snprintf(base::g_runtime.exec_path, sizeof base::g_runtime.exec_path, "%s", resolved);
        return SysResult::just_return();
    }
    if (trace_fd >= 0) t.sys(SYS_fcntl, {trace_fd, F_SETFD, FD_CLOEXEC});
    args.release(t);
    return from_linux(r);
}

/// fork implements XNU BSD fork(2) (2): the parent gets the child's pid and rdx 0; the child gets its own pid
/// and rdx 1 (xnu osfmk/i386/bsd_i386.c thread_set_child), which libsyscall's __fork turns into 0.
SysResult sys_fork(Thread& t) {
    int64_t r = t.fork_process();
    if (r < 0) return from_linux(r);  // EAGAIN (process limit), ENOMEM
    if (r > 0) {
        char text[64];
        snprintf(text, sizeof text, "fork: child %lld", static_cast<long long>(r));
        trace_event(&t, text);
        return SysResult::ok2(uint64_t(r), 0);
    }
    // The child, where handlers run in the program's process (a supervisor gives the child its registers).
    return SysResult::ok2(uint64_t(t.pid()), 1);
}

/// wait4 implements XNU BSD wait4(2) (7): Darwin status words and signal numbers, rusage in XNU's layout.
SysResult sys_wait4(Thread& t, int32_t pid, TraceeAddr status, int32_t options, TraceeAddr rusage) {
    return do_wait4(t, pid, status, options, rusage);
}

/// waitid implements XNU BSD waitid(2) (173): Darwin's siginfo layout and option bits.
SysResult sys_waitid(Thread& t, int32_t idtype, int32_t id, TraceeAddr infop, int32_t options) {
    return do_waitid(t, idtype, id, infop, options);
}

/// execve implements XNU BSD execve(2) (59): a Mach-O runs under a new macrun, a Linux program natively.
SysResult sys_execve(Thread& t, TraceeAddr fname, TraceeAddr argp, TraceeAddr envp) {
    return exec_image(t, fname, argp, envp, nullptr, nullptr);
}

/// getpgrp implements XNU BSD getpgrp(2) (81).
SysResult sys_getpgrp(Thread& t) { return from_linux(t.sys(SYS_getpgid, {0})); }

/// getpgid implements XNU BSD getpgid(2) (151): ESRCH for no such process.
SysResult sys_getpgid(Thread& t, int32_t pid) { return from_linux(t.sys(SYS_getpgid, {pid})); }

/// getsid implements XNU BSD getsid(2) (310): ESRCH for no such process.
SysResult sys_getsid(Thread& t, int32_t pid) { return from_linux(t.sys(SYS_getsid, {pid})); }

/// setsid implements XNU BSD setsid(2) (147): EPERM for a group leader or when a group has the caller's pid.
SysResult sys_setsid(Thread& t) { return from_linux(t.sys(SYS_setsid)); }

/// setpgid implements XNU BSD setpgid(2) (82).
SysResult sys_setpgid(Thread& t, int32_t pid, int32_t pgid) {
    if (pgid < 0) {
        // XNU vets the target first (ESRCH: not the caller or its child; EPERM: another session; EACCES: a
        // child that has exec'd; EPERM: a session leader) and the group only then; Linux refuses a negative
        // group before anything. Linux's checks of the target run through a setpgid that changes nothing.
        int64_t cur = t.sys(SYS_getpgid, {pid});
        if (cur < 0) return SysResult::error(xnu::XNU_ESRCH);
        int64_t r = t.sys(SYS_setpgid, {pid, cur});
        if (r < 0) return SysResult::error(r == -EINVAL ? xnu::XNU_ESRCH : xnu_err(r));
        return SysResult::error(xnu::XNU_EINVAL);
    }
    // Linux says EINVAL for a thread that is not a process leader; XNU knows no such pid.
    int64_t r = t.sys(SYS_setpgid, {pid, pgid});
    return r == -EINVAL ? SysResult::error(xnu::XNU_ESRCH) : from_linux(r);
}

}  // namespace xnu_sys
