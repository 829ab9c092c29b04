// posix_spawn (BSD 244): XNU spawns in the kernel; macrun forks, applies in the child what XNU applies to the
// new process, in XNU's order, and starts the image through execve's own path (process.cpp exec_image). A
// failure anywhere comes back to the caller as the call's errno, with no child left, through a close-on-exec
// pipe. Layouts: xnu bsd/sys/spawn_internal.h (xnu-11417); semantics: bsd/kern/kern_exec.c posix_spawn and
// exec_handle_file_actions, bsd/kern/kern_descrip.c fdt_exec.
//
// In process the handler forks and returns twice, as fork does. Under ptrace the handler runs in the
// supervisor and can only inject calls into the calling thread, while the child of an injected clone is a
// copy of that thread that resumes wherever the thread resumes. So the call is made in two halves: the first
// forks and sends both the thread and its child to a three-instruction stub in a page of the program's, which
// makes the call again from two different addresses; the supervisor then knows which thread is the child
// (it runs the child's side, injected into it) and which the caller (it waits for the child's verdict and
// returns to the program's own call site).
#include <algorithm>
#include <csignal>
#include <cstddef>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common.hpp"
#include "signal.hpp"
#include "base/page.hpp"

namespace xnu_sys {

// process.cpp
using ExecHook = int (*)(Thread& t, void* ctx);
SysResult exec_image(Thread& t, TraceeAddr fname, TraceeAddr argp, TraceeAddr envp, ExecHook hook, void* hook_ctx);

namespace {

// struct user__posix_spawn_args_desc, what `adesc` points at: copied in whole.
struct ArgsDesc {
    uint64_t attr_size, attrp;
    uint64_t file_actions_size, file_actions;
    uint64_t port_actions_size, port_actions;
    uint64_t mac_extensions_size, mac_extensions;
    uint64_t coal_info_size, coal_info;
    uint64_t persona_info_size, persona_info;
    uint64_t posix_cred_info_size, posix_cred_info;
    uint64_t subsystem_root_path_size, subsystem_root_path;
    uint64_t conclave_id_size, conclave_id;
};
static_assert(sizeof(ArgsDesc) == 144);

// struct _posix_spawnattr up to psa_ports: XNU copies in exactly that much (192 bytes in xnu-11417) whenever
// attr_size is not 0, whatever its value.
struct SpawnAttr {
    int16_t flags, flags_padding;
    uint32_t sigdefault, sigmask;  // Darwin signal sets
    int32_t pgroup;
    int32_t binprefs[4];
    int32_t pcontrol, apptype;
    uint8_t rest[192 - 40];
};
static_assert(sizeof(SpawnAttr) == 192 && offsetof(SpawnAttr, apptype) == 36);

// psa_flags (bsd/sys/spawn.h). Bits XNU does not know are ignored, not refused; the private ASLR, nano
// allocator and data-execution bits change nothing macrun can reproduce and are ignored too.
constexpr int kResetIds = 0x0001, kSetPgroup = 0x0002, kSetSigDef = 0x0004, kSetSigMask = 0x0008,
              kSetExec = 0x0040, kStartSuspended = 0x0080, kSetSid = 0x0400, kCloexecDefault = 0x4000;
// psa_apptype: a driver needs an entitlement (exec_validate_spawnattr_policy).
constexpr int kProcTypeMask = 0xf00, kProcTypeDriver = 0x700;

// _psfa_action_t and struct _posix_spawn_file_actions {int psfa_act_alloc, psfa_act_count; actions[]}.
enum : int32_t { kOpen = 0, kClose = 1, kDup2 = 2, kInherit = 3, kFileportDup2 = 4, kChdir = 5, kFchdir = 6 };
struct PsfaAction {
    int32_t type;
    int32_t filedes;
    union {
        struct {
            int32_t oflag;
            uint16_t mode;  // mode_t
            char path[xnu::XNU_PATH_MAX];
        } open;
        struct {
            int32_t newfiledes;
        } dup2;
        struct {
            char path[xnu::XNU_PATH_MAX];
        } chdir;
    };
};
static_assert(sizeof(PsfaAction) == 1040 && offsetof(PsfaAction, open.path) == 14 &&
              offsetof(PsfaAction, chdir.path) == 8);
// What is read of each action: everything but the path, which is handed to open/chdir where it lies.
struct ActionHead {
    int32_t type, filedes, arg;  // arg: psfao_oflag or psfad_newfiledes
    uint16_t mode;
};
constexpr uint64_t kActionsHeader = 8;

// The other blocks' sizes (PS_PORT_ACTIONS_SIZE, PS_MAC_EXTENSIONS_SIZE and the fixed structures).
constexpr uint64_t kPortActionSize = 24, kMacExtensionSize = 144, kCoalInfoSize = 48, kPersonaInfoSize = 88,
                   kPosixCredInfoSize = 340;

constexpr uint32_t sigbit(int xnu_sig) { return 1u << (xnu_sig - 1); }
constexpr uint32_t kCantMask = sigbit(xnu::XNU_SIGKILL) | sigbit(xnu::XNU_SIGSTOP);  // sigcantmask

// The kernel's struct sigaction.
struct KSigaction {
    uint64_t handler, flags, restorer, mask;
};

// What the call asks for, once its arguments have passed XNU's checks.
struct Plan {
    TraceeAddr pid, path, argv, envp;
    TraceeAddr actions;  // the first _psfa_action_t in the program's memory, or null
    int32_t nactions = 0;
    int32_t max_fd = -1;  // the highest descriptor an action names (below RLIMIT_NOFILE), or -1
    int32_t flags = 0;    // psa_flags; 0 without attributes
    uint32_t sigdefault = 0, sigmask = 0;
    int32_t pgroup = 0;
};

uint64_t nofile_limit(Thread& t) {
    struct ::rlimit rl {};
    if (t.sys(SYS_prlimit64, {0, RLIMIT_NOFILE, nullptr, out(rl)}) < 0) return 256;
    return rl.rlim_cur;
}

// Whether n bytes at p can be copied in, page by page.
int check_readable(Thread& t, TraceeAddr p, uint64_t n) {
    uint8_t buf[512];
    for (uint64_t off = 0; off < n;) {
        uint64_t len = std::min<uint64_t>(sizeof buf, n - off);
        XNU_TRY_ERRNO(t.read(p + off, buf, len));
        // One read per page is enough: skip to the next page boundary.
        uint64_t next = ((p.addr + off) & ~(base::kPageSize - 1)) + base::kPageSize - p.addr;
        off = std::max(off + len, next);
    }
    return 0;
}

// The file actions block: its size against RLIMIT_NOFILE and its own count, then the descriptors it names.
int parse_file_actions(Thread& t, const ArgsDesc& d, Plan& p) {
    uint64_t limit = nofile_limit(t), max_size;
    if (__builtin_mul_overflow(limit, sizeof(PsfaAction), &max_size) ||
        __builtin_add_overflow(max_size, kActionsHeader, &max_size))
        max_size = 0;  // PS_ACTION_SIZE overflowed: 0, which refuses any size
    if (d.file_actions_size < kActionsHeader + sizeof(PsfaAction) || max_size == 0 || d.file_actions_size > max_size)
        return xnu::XNU_EINVAL;
    TraceeAddr block(d.file_actions);
    XNU_TRY_ERRNO(check_readable(t, block, d.file_actions_size));
    int32_t head[2];
    XNU_TRY_ERRNO(t.read(block, head, sizeof head));
    if (head[1] < 0 || kActionsHeader + uint64_t(head[1]) * sizeof(PsfaAction) != d.file_actions_size)
        return xnu::XNU_EINVAL;
    p.actions = block + kActionsHeader;
    p.nactions = head[1];
    for (int32_t i = 0; i < p.nactions; i++) {
        ActionHead a;
        XNU_TRY_ERRNO(t.read(p.actions + uint64_t(i) * sizeof(PsfaAction), &a, sizeof a));
        int fd = a.type == kDup2 || a.type == kFileportDup2 ? std::max(a.filedes, a.arg) : a.filedes;
        p.max_fd = std::max(p.max_fd, fd);
    }
    // A descriptor at or past the limit can neither exist nor be made.
    p.max_fd = int32_t(std::min<int64_t>(p.max_fd, int64_t(std::min<uint64_t>(limit, INT32_MAX)) - 1));
    return 0;
}

// A block XNU validates and then hands to a part of the kernel macrun does not have.
int check_block(Thread& t, uint64_t addr, uint64_t size, uint64_t entry_size, uint64_t min, uint64_t max) {
    if (size < min || size > max) return xnu::XNU_EINVAL;
    XNU_TRY_ERRNO(check_readable(t, TraceeAddr(addr), size));
    int32_t head[2];
    XNU_TRY_ERRNO(t.read(TraceeAddr(addr), head, sizeof head));
    uint64_t want = kActionsHeader + uint64_t(uint32_t(head[1])) * entry_size;
    return head[1] < 0 || want != size ? xnu::XNU_EINVAL : 0;
}

// Copies in and checks what posix_spawn reads before it creates the process, in XNU's order. Features
// macrun cannot provide (Mach port actions, MAC policy data, personas, credentials, coalitions, starting
// suspended) are refused with ENOTSUP once XNU's own checks have passed.
int parse(Thread& t, TraceeAddr adesc, Plan& p) {
    if (adesc.null()) return 0;
    ArgsDesc d;
    XNU_TRY_ERRNO(t.read(adesc, &d, sizeof d));
    SpawnAttr a{};
    const bool have_attr = d.attr_size != 0;
    if (have_attr) XNU_TRY_ERRNO(t.read(TraceeAddr(d.attrp), &a, sizeof a));
    if (d.file_actions_size != 0) XNU_TRY_ERRNO(parse_file_actions(t, d, p));
    const char* unsupported = nullptr;
    if (d.port_actions_size != 0) {
        XNU_TRY_ERRNO(check_block(t, d.port_actions, d.port_actions_size, kPortActionSize,
                                  kActionsHeader + kPortActionSize, base::kPageSize));
        unsupported = "posix_spawn with Mach port actions";
    }
    if (d.persona_info_size != 0 && d.persona_info != 0) {
        if (d.persona_info_size != kPersonaInfoSize) return xnu::XNU_ERANGE;
        XNU_TRY_ERRNO(check_readable(t, TraceeAddr(d.persona_info), kPersonaInfoSize));
        unsupported = "posix_spawn into a persona";
    }
    if (d.posix_cred_info_size != 0 && d.posix_cred_info != 0) {
        if (d.posix_cred_info_size != kPosixCredInfoSize) return xnu::XNU_ERANGE;
        if (t.sys(SYS_geteuid) != 0) return xnu::XNU_EPERM;  // kauth_cred_issuser
        XNU_TRY_ERRNO(check_readable(t, TraceeAddr(d.posix_cred_info), kPosixCredInfoSize));
        unsupported = "posix_spawn with POSIX credentials";
    }
    if (d.mac_extensions_size != 0) {
        // spawn_copyin_macpolicyinfo: the count may describe less than the block.
        if (d.mac_extensions_size < kActionsHeader + kMacExtensionSize || d.mac_extensions_size > base::kPageSize)
            return xnu::XNU_EINVAL;
        XNU_TRY_ERRNO(check_readable(t, TraceeAddr(d.mac_extensions), d.mac_extensions_size));
        int32_t head[2];
        XNU_TRY_ERRNO(t.read(TraceeAddr(d.mac_extensions), head, sizeof head));
        if (head[1] < 0 || kActionsHeader + uint64_t(head[1]) * kMacExtensionSize > d.mac_extensions_size)
            return xnu::XNU_EINVAL;
        unsupported = "posix_spawn with MAC policy extensions";
    }
    // A subsystem root path needs an entitlement, without which XNU ignores it; conclaves do not exist on
    // x86_64 Macs (CONFIG_EXCLAVES): both are ignored.
    if (have_attr) {
        if ((a.apptype & kProcTypeMask) == kProcTypeDriver) return xnu::XNU_EPERM;
        p.flags = uint16_t(a.flags);
        p.sigdefault = a.sigdefault;
        p.sigmask = a.sigmask;
        p.pgroup = a.pgroup;
        if (!(p.flags & kSetExec) && d.coal_info != 0) {
            // Coalition ids (psci_info[COALITION_TYPE_RESOURCE, _JETSAM].psci_id): a request that names none is
            // EINVAL, as is one without a resource coalition once the others have been looked up.
            uint64_t c[kCoalInfoSize / 8] = {};
            XNU_TRY_ERRNO(t.read(TraceeAddr(d.coal_info), c, std::min<uint64_t>(d.coal_info_size, sizeof c)));
            if (c[0] == 0 && c[3] == 0) return xnu::XNU_EINVAL;
            unsupported = "posix_spawn into a coalition";
        }
        if (p.flags & kStartSuspended) unsupported = "posix_spawn with POSIX_SPAWN_START_SUSPENDED";
    }
    if (unsupported) {
        report_unimplemented(SysClass::Bsd, 244, unsupported);
        return xnu::XNU_ENOTSUP;
    }
    return 0;
}

// A set of descriptors [0, max_fd] (the ones POSIX_SPAWN_CLOEXEC_DEFAULT lets through), in memory of its own:
// handlers may run in a signal handler.
class FdSet {
  public:
    explicit FdSet(int max_fd) {
        if (max_fd < 0) return;
        n_ = max_fd + 1;
        len_ = (size_t(n_) + 63) / 64 * 8;
        void* m = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        bits_ = m == MAP_FAILED ? nullptr : static_cast<uint64_t*>(m);
    }
    ~FdSet() {
        if (bits_) munmap(bits_, len_);
    }
    FdSet(const FdSet&) = delete;
    FdSet& operator=(const FdSet&) = delete;
    void add(int fd) {
        if (bits_ && fd >= 0 && fd < n_) bits_[fd / 64] |= 1ULL << (fd % 64);
    }
    bool has(int fd) const { return bits_ && fd >= 0 && fd < n_ && (bits_[fd / 64] >> (fd % 64) & 1); }

  private:
    uint64_t* bits_ = nullptr;
    size_t len_ = 0;
    int n_ = 0;
};

// POSIX_SPAWN_SETEXEC: XNU builds the new image in a clone of the process and only switches to it once it
// is complete, so a failure leaves the caller as it was. Here the caller itself is changed, and this log
// undoes it: each step records the state it is about to change, and rollback() replays the records
// backwards. Saved descriptors are close-on-exec copies above every descriptor the actions name.
class UndoLog {
  public:
    UndoLog(int max_fd, size_t cap) : min_save_(max_fd + 1), cap_(cap) {
        void* m = mmap(nullptr, cap * sizeof(Rec), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        recs_ = m == MAP_FAILED ? nullptr : static_cast<Rec*>(m);
    }
    ~UndoLog() {
        if (recs_) munmap(recs_, cap_ * sizeof(Rec));
    }
    UndoLog(const UndoLog&) = delete;
    UndoLog& operator=(const UndoLog&) = delete;
    bool ok() const { return recs_ != nullptr; }

    // Descriptor fd is about to be opened onto, replaced or closed.
    void save_fd(Thread& t, int fd) {
        if (fd < 0 || hidden_fd(fd)) return;  // the action fails without touching anything
        int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFD});
        if (fl < 0) return push({Rec::Fd, fd, -1, 0});
        int64_t s = t.sys(SYS_fcntl, {fd, F_DUPFD_CLOEXEC, min_save_});
        if (s >= 0) push({Rec::Fd, fd, int(s), int(fl)});
    }
    // Descriptor fd was closed before the action opened it.
    void was_closed(int fd) { push({Rec::Fd, fd, -1, 0}); }
    // Its close-on-exec flag is about to change.
    void save_flags(Thread& t, int fd) {
        int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFD});
        if (fl >= 0 && !hidden_fd(fd)) push({Rec::Flags, fd, -1, int(fl)});
    }
    // The working directory is about to change.
    void save_cwd(Thread& t) {
        static const char kDot[] = ".";
        int64_t d = t.sys(SYS_openat, {-100, in(kDot, sizeof kDot), O_PATH | O_DIRECTORY | O_CLOEXEC});
        if (d < 0) return;
        int64_t s = t.sys(SYS_fcntl, {d, F_DUPFD_CLOEXEC, min_save_});
        t.sys(SYS_close, {d});
        if (s >= 0) push({Rec::Cwd, -1, int(s), 0});
    }

    void rollback(Thread& t) {
        for (size_t i = n_; i-- > 0;) {
            const Rec& r = recs_[i];
            switch (r.kind) {
                case Rec::Fd:
                    if (r.saved < 0) {
                        t.sys(SYS_close, {r.fd});
                    } else {
                        t.sys(SYS_dup3, {r.saved, r.fd, r.flags & FD_CLOEXEC ? O_CLOEXEC : 0});
                        t.sys(SYS_close, {r.saved});
                    }
                    break;
                case Rec::Flags: t.sys(SYS_fcntl, {r.fd, F_SETFD, r.flags}); break;
                case Rec::Cwd:
                    t.sys(SYS_fchdir, {r.saved});
                    t.sys(SYS_close, {r.saved});
                    break;
            }
        }
        n_ = 0;
    }

  private:
    struct Rec {
        enum Kind : int32_t { Fd, Flags, Cwd } kind;
        int32_t fd, saved, flags;  // saved: the copy, or -1 for a descriptor that was closed
    };
    void push(const Rec& r) {
        if (recs_ && n_ < cap_) recs_[n_++] = r;
    }
    int min_save_;
    Rec* recs_ = nullptr;
    size_t n_ = 0, cap_;
};

// The file actions, in order, as exec_handle_file_actions performs them with the open, dup2, close, chdir
// and fchdir calls themselves (handlers of those calls here); the first failure is the call's error. The
// descriptors an open, dup2 or inherit action leaves are the ones POSIX_SPAWN_CLOEXEC_DEFAULT keeps.
int apply_file_actions(Thread& t, const Plan& p, FdSet& inherit, UndoLog* undo) {
    for (int32_t i = 0; i < p.nactions; i++) {
        TraceeAddr at = p.actions + uint64_t(i) * sizeof(PsfaAction);
        ActionHead a;
        XNU_TRY_ERRNO(t.read(at, &a, sizeof a));
        SysResult r = SysResult::ok(0);
        switch (a.type) {
            case kOpen: {
                // The file is opened at the lowest free descriptor and moved if that is not the one asked for.
                // The mode is masked with the umask and ACCESSPERMS, as open itself does.
                if (undo) undo->save_fd(t, a.filedes);
                r = sys_open(t, at + offsetof(PsfaAction, open.path), a.arg, a.mode);
                if (r.failed()) break;
                int orig = int(r.value);
                if (orig != a.filedes) {
                    if (undo) undo->was_closed(orig);
                    r = sys_dup2(t, uint32_t(orig), uint32_t(a.filedes));
                    if (!r.failed()) r = sys_close(t, orig);
                }
                inherit.add(a.filedes);
                break;
            }
            case kClose:
                if (undo) undo->save_fd(t, a.filedes);
                r = sys_close(t, a.filedes);
                break;
            case kDup2:
                if (undo) undo->save_fd(t, a.arg);
                r = sys_dup2(t, uint32_t(a.filedes), uint32_t(a.arg));
                inherit.add(a.arg);
                break;
            case kInherit: {
                // The descriptor must exist; it loses its close-on-exec flag.
                int64_t fl = hidden_fd(a.filedes) ? -EBADF : t.sys(SYS_fcntl, {a.filedes, F_GETFD});
                if (fl < 0) {
                    r = SysResult::error(xnu::XNU_EBADF);
                    break;
                }
                if (undo) undo->save_flags(t, a.filedes);
                r = from_linux(t.sys(SYS_fcntl, {a.filedes, F_SETFD, fl & ~FD_CLOEXEC}));
                inherit.add(a.filedes);
                break;
            }
            case kChdir:
                if (undo) undo->save_cwd(t);
                r = sys_chdir(t, at + offsetof(PsfaAction, chdir.path));
                break;
            case kFchdir:
                if (undo) undo->save_cwd(t);
                r = sys_fchdir(t, a.filedes);
                break;
            // A fileport is a Mach port name, and no name is one under macrun: the copyin of the send right
            // fails, EINVAL.
            case kFileportDup2:
            default: r = SysResult::error(xnu::XNU_EINVAL);
        }
        if (r.failed()) return r.err;
    }
    return 0;
}

// POSIX_SPAWN_RESETIDS: user and group ids (real, effective and saved) become the real ones, and the group list
// that one group (xnu kern_credential.c kauth_cred_model_setuidgid). An unprivileged process cannot change its
// group list on Linux; it keeps it.
void reset_ids(Thread& t) {
    uint32_t u[3] = {}, g[3] = {};
    t.sys(SYS_getresuid, {out(u[0]), out(u[1]), out(u[2])});
    t.sys(SYS_getresgid, {out(g[0]), out(g[1]), out(g[2])});
    t.sys(SYS_setgroups, {1, in(g[0])});
    t.sys(SYS_setresgid, {g[0], g[0], g[0]});
    t.sys(SYS_setresuid, {u[0], u[0], u[0]});
}

// POSIX_SPAWN_CLOEXEC_DEFAULT: every descriptor but the ones the actions made or inherited is closed by the
// exec (fdt_exec); macrun's own keep their flags.
int cloexec_default(Thread& t, const FdSet& inherit, UndoLog* undo) {
    static const char kFdDir[] = "/proc/self/fd";
    int64_t dir = t.sys(SYS_openat, {-100, in(kFdDir, sizeof kFdDir), O_RDONLY | O_DIRECTORY | O_CLOEXEC});
    if (dir < 0) return xnu_err(dir);
    char buf[2048];
    int64_t n;
    while ((n = t.sys(SYS_getdents64, {dir, out(buf, sizeof buf), sizeof buf})) > 0) {
        for (int64_t off = 0; off < n;) {
            uint16_t reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);  // struct linux_dirent64: d_reclen, then d_type, d_name
            const char* name = buf + off + 19;
            off += reclen;
            if (name[0] < '0' || name[0] > '9') continue;
            int fd = 0;
            for (const char* c = name; *c >= '0' && *c <= '9'; c++) fd = fd * 10 + (*c - '0');
            if (fd == dir || hidden_fd(fd) || inherit.has(fd)) continue;
            int64_t fl = t.sys(SYS_fcntl, {fd, F_GETFD});
            if (fl < 0 || (fl & FD_CLOEXEC)) continue;
            if (undo) undo->save_flags(t, fd);
            t.sys(SYS_fcntl, {fd, F_SETFD, fl | FD_CLOEXEC});
        }
    }
    t.sys(SYS_close, {dir});
    return n < 0 ? xnu_err(n) : 0;
}

// What runs between image activation and the new program's first instruction: XNU does it to the new process
// once the image is in place (posix_spawn, after exec_activate_image), macrun just before the Linux execve.
struct ExecCtx {
    const Plan* plan;
    const FdSet* inherit;
    UndoLog* undo;  // POSIX_SPAWN_SETEXEC: the caller itself execs, and must be restorable
    bool old_mask_saved = false;
    uint64_t old_mask = 0;
    uint32_t defaulted = 0;  // signals SETSIGDEF took from SIG_IGN to SIG_DFL
    KSigaction old_actions[32] = {};
};

// A process group or session that cannot be had: a spawned child dies unseen and the call fails; with
// POSIX_SPAWN_SETEXEC the exec is already done for XNU, which kills the process (exec_failure_reason,
// psignal_with_reason SIGKILL).
int after_activation_failed(Thread& t, const ExecCtx& c, int err) {
    if (c.undo) t.sys(SYS_kill, {t.sys(SYS_getpid), SIGKILL});
    return err;
}

int before_exec(Thread& t, void* ctx) {
    ExecCtx& c = *static_cast<ExecCtx*>(ctx);
    const Plan& p = *c.plan;
    // XNU resets the ids before image activation; a caller that execs itself cannot get them back, so it
    // resets them only once the image has passed every check.
    if (c.undo && (p.flags & kResetIds)) reset_ids(t);
    if (p.flags & kSetPgroup) {
        SysResult r = sys_setpgid(t, int32_t(t.sys(SYS_getpid)), p.pgroup);
        if (r.failed()) return after_activation_failed(t, c, r.err);
    }
    if (p.flags & kSetSid) {
        SysResult r = sys_setsid(t);
        if (r.failed()) return after_activation_failed(t, c, r.err);
    }
    if (p.flags & kSetSigMask) {
        // The new program's mask; signals Linux has and Darwin does not keep their state.
        uint64_t cur = 0;
        t.sys(SYS_rt_sigprocmask, {SIG_BLOCK, nullptr, out(cur), 8});
        c.old_mask = cur, c.old_mask_saved = true;
        uint64_t mask = (cur & ~xlate::sigmask_to_linux(0xffffffffu)) | xlate::sigmask_to_linux(p.sigmask & ~kCantMask);
        t.sys(SYS_rt_sigprocmask, {SIG_SETMASK, in(mask), nullptr, 8});
    }
    if (p.flags & kSetSigDef) {
        // A caught signal goes back to SIG_DFL at the exec anyway (and a Darwin SIG_IGN that macrun keeps
        // virtually, for its own signals, does not survive it): what is left to do is SIG_IGN -> SIG_DFL.
        for (int s = 1; s < xnu::XNU_NSIG; s++) {
            int lsig = xlate::signal_to_linux(s);
            if (!(p.sigdefault & sigbit(s)) || (sigbit(s) & kCantMask) || lsig == 0) continue;
            KSigaction old{}, dfl{};
            if (t.sys(SYS_rt_sigaction, {lsig, nullptr, out(old), 8}) != 0 || old.handler != uint64_t(SIG_IGN)) continue;
            c.old_actions[s] = old;
            c.defaulted |= sigbit(s);
            t.sys(SYS_rt_sigaction, {lsig, in(dfl), nullptr, 8});
        }
    }
    if (p.flags & kCloexecDefault) XNU_TRY_ERRNO(cloexec_default(t, *c.inherit, c.undo));
    return 0;
}

// Undoes before_exec's signal changes after a failed exec (POSIX_SPAWN_SETEXEC).
void revert_signals(Thread& t, const ExecCtx& c) {
    if (c.old_mask_saved) t.sys(SYS_rt_sigprocmask, {SIG_SETMASK, in(c.old_mask), nullptr, 8});
    for (int s = 1; s < xnu::XNU_NSIG; s++)
        if (c.defaulted & sigbit(s)) t.sys(SYS_rt_sigaction, {xlate::signal_to_linux(s), in(c.old_actions[s]), nullptr, 8});
}

// Moves the error pipe's write end above every descriptor the file actions name, so that none of them finds
// it (the program does not know it is there).
int move_above(Thread& t, int fd, int max_fd) {
    if (fd > max_fd) return fd;
    int64_t moved = t.sys(SYS_fcntl, {fd, F_DUPFD_CLOEXEC, max_fd + 1});
    if (moved < 0) return fd;
    t.sys(SYS_close, {fd});
    return int(moved);
}

// The child's side, run as the child: the file actions, POSIX_SPAWN_RESETIDS, then execve's path with the
// attributes applied after the image checks. Returns the errno that fails the spawn, or 0 once the exec is
// done (under ptrace; in process a successful exec does not return). *err_fd is where the errno is to go.
int child_side(Thread& t, const Plan& p, int rd, int* err_fd) {
    t.sys(SYS_close, {rd});
    *err_fd = move_above(t, *err_fd, p.max_fd);
    FdSet inherit(p.flags & kCloexecDefault ? p.max_fd : -1);
    XNU_TRY_ERRNO(apply_file_actions(t, p, inherit, nullptr));
    if (p.flags & kResetIds) reset_ids(t);
    ExecCtx c{&p, &inherit, nullptr};
    SysResult r = exec_image(t, p.path, p.argv, p.envp, before_exec, &c);
    return r.failed() ? r.err : 0;
}

// The child could not become the new program: it tells the caller why and goes.
void child_failed(Thread& t, int err_fd, int err) {
    t.sys(SYS_write, {err_fd, in(err), sizeof err});
    t.sys(SYS_exit_group, {127});
}

// The caller's side: the child's errno, or the end of the pipe when the exec closed it. A failed child is
// reaped here, so that no child remains; a successful one's pid goes to *pid, where a bad address is ignored
// (xnu copies it out and drops the error).
SysResult await_child(Thread& t, const Plan& p, int child, int rd) {
    int err = 0;
    size_t got = 0;
    while (got < sizeof err) {
        int64_t r = t.sys(SYS_read, {rd, out(reinterpret_cast<char*>(&err) + got, sizeof err - got), sizeof err - got});
        if (r == -EINTR) continue;
        if (r <= 0) break;
        got += size_t(r);
    }
    t.sys(SYS_close, {rd});
    if (got == sizeof err) {
        while (t.sys(SYS_wait4, {child, nullptr, 0, nullptr}) == -EINTR) {}
        return SysResult::error(err ? err : xnu::XNU_EIO);
    }
    if (!p.pid.null()) {
        int32_t v = child;
        (void)t.write(p.pid, &v, sizeof v);
    }
    return SysResult::ok(0);
}

// ---- the fork ----------------------------------------------------------------------------------------------

// What the two sides of the fork need: the plan and the pipe on which the child reports its failure (closed
// unwritten by a successful exec). Kept by the backend when the rest of the call runs as a repeated call.
struct SpawnState {
    Plan plan;
    int rd = -1, wr = -1;
};
static_assert(sizeof(SpawnState) <= Thread::kForkedCallState && std::is_trivially_copyable_v<SpawnState>);

using Side = Thread::ForkedCall::Side;

// The rest of the call on one side of the fork.
SysResult after_fork(Thread& t, const SpawnState& st, Thread::ForkedCall fc) {
    if (fc.side == Side::Child) {
        int err_fd = st.wr;
        if (int e = child_side(t, st.plan, st.rd, &err_fd)) child_failed(t, err_fd, e);
        return SysResult::just_return();  // exec'd (its start registers), or gone
    }
    t.sys(SYS_close, {st.wr});
    SysResult r = await_child(t, st.plan, int(fc.child), st.rd);
    t.end_forked_call();
    return r;
}

SysResult spawn_child(Thread& t, const Plan& p) {
    int fds[2];
    int64_t r = t.sys(SYS_pipe2, {out(fds, sizeof fds), O_CLOEXEC});
    if (r < 0) return from_linux(r);
    SpawnState st{p, fds[0], fds[1]};
    Thread::ForkedCall fc = t.fork_in_call(&st, sizeof st);
    if (fc.child < 0) {
        t.sys(SYS_close, {fds[0]});
        t.sys(SYS_close, {fds[1]});
        return from_linux(fc.child);  // EAGAIN, ENOMEM
    }
    if (fc.side == Side::Deferred) return SysResult::just_return();
    return after_fork(t, st, fc);
}

// ---- POSIX_SPAWN_SETEXEC -----------------------------------------------------------------------------------

SysResult spawn_exec(Thread& t, const Plan& p) {
    UndoLog undo(p.max_fd, 2 * size_t(p.nactions) + 4096);
    if (!undo.ok()) return SysResult::error(xnu::XNU_ENOMEM);
    FdSet inherit(p.flags & kCloexecDefault ? p.max_fd : -1);
    if (int e = apply_file_actions(t, p, inherit, &undo)) {
        undo.rollback(t);
        return SysResult::error(e);
    }
    ExecCtx c{&p, &inherit, &undo};
    SysResult r = exec_image(t, p.path, p.argv, p.envp, before_exec, &c);
    if (r.failed()) {
        revert_signals(t, c);
        undo.rollback(t);
    }
    return r;
}

}  // namespace

/// posix_spawn implements XNU BSD posix_spawn (244): a new process (or, with POSIX_SPAWN_SETEXEC, the caller)
/// gets the file actions and attributes XNU applies, in XNU's order, and the image execve would start.
SysResult sys_posix_spawn(Thread& t, TraceeAddr pid, TraceeAddr path, TraceeAddr adesc, TraceeAddr argv,
                          TraceeAddr envp) {
    SpawnState st;
    Thread::ForkedCall fc;
    if (t.resume_forked_call(&fc, &st, sizeof st)) return after_fork(t, st, fc);
    Plan p;
    p.pid = pid, p.path = path, p.argv = argv, p.envp = envp;
    XNU_TRY(parse(t, adesc, p));
    if (p.flags & kSetExec) return spawn_exec(t, p);
    return spawn_child(t, p);
}

}  // namespace xnu_sys
