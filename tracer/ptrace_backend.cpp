#include "ptrace_backend.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

#include "loader/commpage.hpp"
#include "ptrace_fiber.hpp"
#include "ptrace_forked_call.hpp"
#include "tracer/common.hpp"
#include "base/abi/xnu.hpp"
#include "syscalls/common.hpp"
#include "syscalls/dispatch.hpp"
#include "syscalls/signal.hpp"
#include "base/abi/xnu_signal.hpp"
#include "syscalls/trace.hpp"

namespace tracer {
namespace {

constexpr int kSyscallStop = SIGTRAP | 0x80;  // PTRACE_O_TRACESYSGOOD

// The kernel's internal "restart me" results (include/linux/errno.h): ERESTARTSYS, ERESTARTNOINTR,
// ERESTARTNOHAND, ERESTART_RESTARTBLOCK.
bool is_restart(int64_t r) { return r == -512 || r == -513 || r == -514 || r == -516; }

bool is_stop_signal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

// Registers of a stopped thread: user_regs_struct <-> Regs.
void to_regs(const user_regs_struct& u, Regs& r) {
    r = Regs{u.rax, u.rdx, u.rdi, u.rsi, u.r10, u.r8, u.r9, u.rsp, u.rip, u.eflags,
             u.rbx, u.rcx, u.rbp, u.r11, u.r12, u.r13, u.r14, u.r15};
}
void from_regs(const Regs& r, user_regs_struct& u) {
    u.rax = r.rax, u.rdx = r.rdx, u.rdi = r.rdi, u.rsi = r.rsi, u.r10 = r.r10, u.r8 = r.r8, u.r9 = r.r9;
    u.rsp = r.rsp, u.rip = r.rip, u.eflags = r.rflags, u.rbx = r.rbx, u.rcx = r.rcx, u.rbp = r.rbp;
    u.r11 = r.r11, u.r12 = r.r12, u.r13 = r.r13, u.r14 = r.r14, u.r15 = r.r15;
}

// A new thread or process made by a traced thread (its PTRACE_EVENT_FORK/VFORK/CLONE): known from now on. A
// `held` one stays at its first stop until release() (its creator's handler sets up its registers first).
void adopt_child(int parent, int event, int child, bool held);
void release(int child);

// A thread stopped at a seccomp event. Linux calls are injected: the thread itself executes them, one at a
// time, with In/Out buffers staged below its red zone.
class PtraceThread final : public Thread {
  public:
    // `at_syscall` is true at a seccomp stop (the thread sits in a system call whose number can be replaced)
    // and false at a signal stop, where injected calls run through the commpage's `syscall` gadget.
    PtraceThread(int pid, int tid, const user_regs_struct& u, bool at_syscall = true)
        : Thread(pid, tid), entry_(u), cur_(u), at_syscall_(at_syscall) {
        to_regs(u, regs_);
    }

    bool dead() const { return dead_; }

    int64_t linux_call(long nr, const LinuxArg* args, size_t nargs) override {
        if (dead_) return -ESRCH;
        // Stage buffers under the red zone of the thread's stack, below anything the handler has placed there
        // (a signal frame moves regs_.rsp down).
        uint64_t sp = (std::min<uint64_t>(entry_.rsp, regs_.rsp) - 128) & ~uint64_t(15);
        uint64_t addr[6] = {};
        for (size_t i = 0; i < nargs && i < 6; i++) {
            const LinuxArg& a = args[i];
            if (a.kind == LinuxArg::Kind::Value) {
                addr[i] = a.value;
                continue;
            }
            sp = (sp - a.len) & ~uint64_t(15);
            addr[i] = sp;
            if (a.kind != LinuxArg::Kind::Out && write(TraceeAddr(sp), a.local, a.len) != 0) return -EFAULT;
        }
        user_regs_struct u = cur_;
        bool from_user_code = !at_syscall_ && !at_exit_;
        if (at_exit_) {
            u.rip -= 2;  // back over `syscall`, to run it again with the new number
            u.rax = uint64_t(nr);
        } else if (from_user_code) {
            u.rip = loader::kCommpageSyscallGadget;
            u.rax = uint64_t(nr);
        }
        u.orig_rax = uint64_t(nr);
        u.rdi = addr[0], u.rsi = addr[1], u.rdx = addr[2], u.r10 = addr[3], u.r8 = addr[4], u.r9 = addr[5];
        ptrace(PTRACE_SETREGS, tid_, nullptr, &u);
        if ((at_exit_ || from_user_code) && step(false) == Stop::Dead) return -ESRCH;  // the call's entry stop
        if (step(false) == Stop::Dead) return -ESRCH;                                   // its exit stop
        ptrace(PTRACE_GETREGS, tid_, nullptr, &cur_);
        // Interrupted by a signal. When the program catches it, XNU's rules decide between EINTR and a
        // restart (only ERESTARTSYS with SA_RESTART, or ERESTARTNOINTR, restart); any other signal (Ctrl-Z,
        // then SIGCONT) leaves the kernel to restart the call by itself. Follow it to the end either way.
        while (is_restart(int64_t(cur_.rax))) {
            Stop st = step(true);
            if (st == Stop::Dead) return -ESRCH;
            if (st == Stop::Caught) {
                int64_t code = int64_t(cur_.rax);
                int flags = xnu_sys::action_of(pending_[npending_ - 1].sig).flags;
                if (code == -513 || (code == -512 && (flags & xnu::XNU_SA_RESTART))) {
                    if (step(false) == Stop::Dead || step(false) == Stop::Dead) return -ESRCH;  // restarted call
                    ptrace(PTRACE_GETREGS, tid_, nullptr, &cur_);
                    continue;
                }
                cur_.rax = uint64_t(-EINTR);  // stopped at the signal, after the call: the result is EINTR
                ptrace(PTRACE_SETREGS, tid_, nullptr, &cur_);
                break;
            }
            if (step(false) == Stop::Dead) return -ESRCH;  // the restarted call's exit
            ptrace(PTRACE_GETREGS, tid_, nullptr, &cur_);
        }
        at_exit_ = true;
        int64_t result = int64_t(cur_.rax);
        for (size_t i = 0; i < nargs && i < 6; i++) {
            const LinuxArg& a = args[i];
            if (a.kind == LinuxArg::Kind::Out || a.kind == LinuxArg::Kind::InOut) read(TraceeAddr(addr[i]), a.local, a.len);
        }
        return result;
    }

    int read(TraceeAddr src, void* dst, size_t n) override {
        if (n == 0) return 0;
        iovec local{dst, n}, remote{reinterpret_cast<void*>(src.addr), n};
        return process_vm_readv(tid_, &local, 1, &remote, 1, 0) == ssize_t(n) ? 0 : xnu::XNU_EFAULT;
    }
    int write(TraceeAddr dst, const void* src, size_t n) override {
        if (n == 0) return 0;
        iovec local{const_cast<void*>(src), n}, remote{reinterpret_cast<void*>(dst.addr), n};
        return process_vm_writev(tid_, &local, 1, &remote, 1, 0) == ssize_t(n) ? 0 : xnu::XNU_EFAULT;
    }

    int64_t create_thread(uint64_t stack, uint64_t gs_base) override;
    void start_thread(int64_t tid, const Regs& start) override;
    void exit_thread(uint64_t addr, uint64_t len) override {
        if (addr && len) sys(SYS_munmap, {addr, len});
        sys(SYS_exit, {0});
    }

    // The child stops at its first instruction and is given its registers by the supervisor (adopt_child).
    int64_t fork_process() override { return sys(SYS_clone, {SIGCHLD, 0, 0, 0, 0}); }
    ForkedCall fork_in_call(const void* state, size_t len) override {
        return ptrace_fork::fork_in_call(*this, state, len);
    }
    bool resume_forked_call(ForkedCall* call, void* state, size_t len) override {
        return ptrace_fork::resume(*this, call, state, len);
    }
    void end_forked_call() override { ptrace_fork::end(*this); }

    uint64_t linux_sigmask() override {
        uint64_t m = 0;
        ptrace(PTRACE_GETSIGMASK, tid_, reinterpret_cast<void*>(8), &m);
        return m;
    }
    void set_linux_sigmask(uint64_t mask) override { ptrace(PTRACE_SETSIGMASK, tid_, reinterpret_cast<void*>(8), &mask); }
    bool get_fxsave(uint8_t* image) override {
        user_fpregs_struct f;
        if (ptrace(PTRACE_GETFPREGS, tid_, nullptr, &f) != 0) return false;
        memcpy(image, &f, 512);
        return true;
    }
    bool set_fxsave(const uint8_t* image) override {
        user_fpregs_struct f;
        memcpy(&f, image, 512);
        f.mxcsr &= 0xffff;
        return ptrace(PTRACE_SETFPREGS, tid_, nullptr, &f) == 0;
    }

    // Writes the final registers and resumes the thread.
    void finish() {
        if (dead_) return;
        if (exec_) {  // execve replaced the image: its registers are the new program's start state
            ptrace(PTRACE_CONT, tid_, nullptr, nullptr);
            return;
        }
        // Signals that arrived during the call are handed to the program now, as it leaves the call.
        for (int i = 0; i < npending_; i++) xnu_sys::deliver_signal(*this, pending_[i]);
        npending_ = 0;
        user_regs_struct u = cur_;
        from_regs(regs_, u);
        if (at_syscall_ && !at_exit_) u.orig_rax = uint64_t(-1);  // nothing was injected: skip the XNU call itself
        ptrace(PTRACE_SETREGS, tid_, nullptr, &u);
        ptrace(PTRACE_CONT, tid_, nullptr, nullptr);
    }

    // Starts the threads and processes made during the call (see the definition).
    void settle_children(const Regs& base, uint32_t eax);

    // Writes the final registers of a thread stopped for a signal, leaving it stopped.
    void finish_stopped() {
        if (dead_) return;
        user_regs_struct u = cur_;
        from_regs(regs_, u);
        ptrace(PTRACE_SETREGS, tid_, nullptr, &u);
    }

  private:
    enum class Stop { Syscall, Caught, Dead };

    // Resumes the thread to its next syscall stop. A signal the program catches is recorded for delivery when
    // the XNU call is over; with `stop_on_caught` the thread is left at that signal's stop. Other signals go to
    // the kernel's default handling at once; group stops wait for SIGCONT.
    Stop step(bool stop_on_caught) {
        int sig = 0;
        bool resume = true;
        for (;;) {
            if (resume && ptrace(PTRACE_SYSCALL, tid_, nullptr, reinterpret_cast<void*>(long(sig))) != 0)
                return dead_ = true, Stop::Dead;
            sig = 0;
            resume = true;
            int st;
            if (fiber::wait_for(tid_, &st) != tid_ || WIFEXITED(st) || WIFSIGNALED(st)) return dead_ = true, Stop::Dead;
            if (!WIFSTOPPED(st)) continue;
            int s = WSTOPSIG(st), event = st >> 16;
            if (s == kSyscallStop) return Stop::Syscall;
            if (event == PTRACE_EVENT_STOP) {
                if (is_stop_signal(s)) {
                    ptrace(PTRACE_LISTEN, tid_, nullptr, nullptr);
                    resume = false;
                }
                continue;
            }
            if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
                unsigned long child = 0;
                ptrace(PTRACE_GETEVENTMSG, tid_, nullptr, &child);
                adopt_child(tid_, event, int(child), true);
                if (nchildren_ < kMaxChildren) children_[nchildren_++] = {int(child), event != PTRACE_EVENT_CLONE};
                continue;
            }
            if (event == PTRACE_EVENT_EXEC) exec_ = true;  // the registers are the new image's now
            if (event != 0 || s == SIGTRAP) continue;
            siginfo_t si{};
            ptrace(PTRACE_GETSIGINFO, tid_, nullptr, &si);
            xnu_sys::SignalEvent ev = xnu_sys::event_from_linux(si);
            if (ev.sig && xnu_sys::action_of(ev.sig).handler > 1 && npending_ < kMaxPending) {
                pending_[npending_++] = ev;
                if (stop_on_caught) return Stop::Caught;
            } else {
                sig = s;
            }
        }
    }

    static constexpr int kMaxPending = 4, kMaxChildren = 4;
    user_regs_struct entry_, cur_;
    bool at_syscall_, at_exit_ = false, dead_ = false, exec_ = false;
    struct Child {
        int tid;
        bool process;  // fork (a copy of this thread) rather than a new thread
    } children_[kMaxChildren];
    int nchildren_ = 0;
    xnu_sys::SignalEvent pending_[kMaxPending];
    int npending_ = 0;
};

// Registers (and %gs base) a thread created by bsdthread_create starts with, set at its first stop.
struct PendingStart {
    Regs regs;
    uint64_t gs_base;
};
std::unordered_map<int, PendingStart> g_pending_start;

// The new thread is held at its first stop until this call's handler is over (settle_children): its start
// state can still be set then.
int64_t PtraceThread::create_thread(uint64_t stack, uint64_t gs_base) {
    constexpr unsigned long kFlags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                                     CLONE_SYSVSEM;
    int64_t tid = sys(SYS_clone, {kFlags, stack, 0, 0, 0});
    if (tid > 0) g_pending_start[int(tid)] = PendingStart{Regs{}, gs_base};
    return tid;
}

void PtraceThread::start_thread(int64_t tid, const Regs& start) {
    if (auto it = g_pending_start.find(int(tid)); it != g_pending_start.end()) it->second.regs = start;
}

// A thread created by bsdthread_create stops first (it is traced from birth): give it its start state.
bool start_new_thread(int tid) {
    auto it = g_pending_start.find(tid);
    if (it == g_pending_start.end()) return false;
    user_regs_struct u;
    ptrace(PTRACE_GETREGS, tid, nullptr, &u);
    from_regs(it->second.regs, u);
    if (it->second.gs_base) u.gs_base = it->second.gs_base;
    ptrace(PTRACE_SETREGS, tid, nullptr, &u);
    g_pending_start.erase(it);
    return true;
}

int g_tgid_of_main;
std::unordered_map<int, int> g_tgid;  // thread id -> process id, for every traced thread
std::unordered_set<int> g_held;                 // children whose creator's handler is still setting them up
std::unordered_map<int, int> g_first_stop;      // children parked at their first stop (wait status)

void adopt_child(int parent, int event, int child, bool held) {
    g_tgid[child] = event == PTRACE_EVENT_CLONE ? g_tgid[parent] : child;
    if (event != PTRACE_EVENT_CLONE) fiber::fork_process(g_tgid[parent], child);
    if (held) g_held.insert(child);
    else release(child);
}

// Lets a child run: at its first stop it gets the start state its creator left (start_new_thread).
void release(int child) {
    g_held.erase(child);
    auto it = g_first_stop.find(child);
    if (it == g_first_stop.end()) return;  // not stopped yet: the main loop starts it at its first stop
    int st = it->second;
    g_first_stop.erase(it);
    start_new_thread(child);
    if ((st >> 16) == PTRACE_EVENT_STOP && is_stop_signal(WSTOPSIG(st))) ptrace(PTRACE_LISTEN, child, nullptr, nullptr);
    else ptrace(PTRACE_CONT, child, nullptr, nullptr);
}

// A forked process is a copy of this thread at the injected clone: it resumes where this thread resumes, with
// XNU's child return values instead of the parent's (xnu osfmk/i386/bsd_i386.c thread_set_child: rax = its
// own pid, rdx = 1, CF clear). `base` are this thread's registers before the call's result was applied.
void PtraceThread::settle_children(const Regs& base, uint32_t eax) {
    for (int i = 0; i < nchildren_; i++) {
        if (children_[i].process) {
            Regs r = base;
            xnu_sys::apply_result(r, eax, base::SysResult::ok2(uint64_t(children_[i].tid), 1));
            g_pending_start[children_[i].tid] = PendingStart{r, 0};
        }
        release(children_[i].tid);
    }
    nchildren_ = 0;
}

// One trapped XNU call, on a fiber of its own (see ptrace_fiber.hpp).
void serve_call(int tid, const user_regs_struct& u) {
    PtraceThread t(g_tgid[tid], tid, u);
    auto eax = uint32_t(u.orig_rax);
    base::SysResult r = xnu_sys::dispatch(t, eax);
    Regs before = t.regs();
    xnu_sys::apply_result(t.regs(), eax, r);
    t.settle_children(before, eax);
    t.finish();
    if (t.dead()) g_tgid.erase(tid);
}

// `int $0x82` in a traced thread: a SIGSEGV stop with the instruction pointer on `cd 82`.
bool handle_int82(int tid) {
    fiber::use_process(g_tgid[tid]);
    siginfo_t si{};
    if (ptrace(PTRACE_GETSIGINFO, tid, nullptr, &si) != 0 || si.si_code != SI_KERNEL) return false;
    user_regs_struct u;
    ptrace(PTRACE_GETREGS, tid, nullptr, &u);
    long word = ptrace(PTRACE_PEEKDATA, tid, reinterpret_cast<void*>(u.rip), nullptr);
    if ((word & 0xffff) != 0x82cd) return false;
    PtraceThread t(g_tgid[tid], tid, u, false);
    t.regs().rip += 2;
    auto eax = uint32_t(3u << 24 | (uint32_t(u.rax) & 0xffffff));
    base::SysResult r = xnu_sys::dispatch(t, eax);
    xnu_sys::apply_result(t.regs(), eax, r);
    t.finish_stopped();
    return true;
}

bool deliver_caught(int tid, int sig) {
    fiber::use_process(g_tgid[tid]);
    siginfo_t si{};
    if (ptrace(PTRACE_GETSIGINFO, tid, nullptr, &si) != 0) return false;
    xnu_sys::SignalEvent ev = xnu_sys::event_from_linux(si);
    (void)sig;
    if (!ev.sig || xnu_sys::action_of(ev.sig).handler <= 1) return false;
    user_regs_struct u;
    if (ptrace(PTRACE_GETREGS, tid, nullptr, &u) != 0) return false;
    PtraceThread t(g_tgid[tid], tid, u, false);
    if (!xnu_sys::deliver_signal(t, ev)) return false;
    t.finish_stopped();
    return true;
}

// Under ptrace the supervisor sees every signal before the program does; a caught signal keeps Linux's
// default disposition in the program (so that SIGCHLD still leaves zombies to wait for), with the Darwin
// flags that change what the kernel does.
int install_caught(Thread& t, int lsig, const xnu_sys::SigAction& act) {
    struct { uint64_t handler, flags, restorer, mask; } k{};
    if (act.flags & xnu::XNU_SA_NOCLDSTOP) k.flags |= SA_NOCLDSTOP;
    if (act.flags & xnu::XNU_SA_NOCLDWAIT) k.flags |= SA_NOCLDWAIT;
    int64_t r = t.sys(SYS_rt_sigaction, {lsig, base::in(&k, sizeof k), nullptr, 8});
    return r < 0 ? int(r) : 0;
}

[[noreturn]] void supervise(int main_pid) {
    xnu_sys::set_signal_installer(install_caught);
    xnu_sys::set_internal_signals(0);
    g_tgid_of_main = main_pid;
    g_tgid[main_pid] = main_pid;
    // What handlers keep per process (see ptrace_fiber.hpp).
    fiber::add_process_global(&base::process_state(), sizeof(xnu_sys::ProcessState));
    fiber::add_process_global(g_runtime.exec_path, sizeof g_runtime.exec_path);
    size_t signal_state_size = 0;
    void* signal_state = xnu_sys::process_signal_state(&signal_state_size);
    fiber::add_process_global(signal_state, signal_state_size);
    while (!g_tgid.empty()) {
        int st;
        int tid = waitpid(-1, &st, __WALL);
        if (tid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        bool gone = WIFEXITED(st) || WIFSIGNALED(st);
        if (gone) {
            if (auto it = g_tgid.find(tid); it != g_tgid.end() && it->second == tid) fiber::forget_process(tid);
            g_tgid.erase(tid), g_held.erase(tid), g_first_stop.erase(tid);
        }
        if (fiber::deliver(tid, st)) continue;  // the stop a handler in progress waits for
        if (gone || !WIFSTOPPED(st)) continue;
        if (!g_tgid.count(tid) || g_held.count(tid)) {
            // A new child's first stop, before its creator's event or while its creator's handler sets it up.
            g_first_stop[tid] = st;
            continue;
        }
        int sig = WSTOPSIG(st), event = st >> 16;
        if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
            user_regs_struct u;
            if (ptrace(PTRACE_GETREGS, tid, nullptr, &u) != 0) continue;
            fiber::start(g_tgid[tid], [tid, u] { serve_call(tid, u); });
            continue;
        }
        if (sig == SIGTRAP && (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE)) {
            // Outside any handler (a Linux program the Mach-O program started): the child just runs.
            unsigned long child = 0;
            ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &child);
            adopt_child(tid, event, int(child), false);
            ptrace(PTRACE_CONT, tid, nullptr, nullptr);
            continue;
        }
        if (event == PTRACE_EVENT_STOP && start_new_thread(tid)) {
            ptrace(PTRACE_CONT, tid, nullptr, nullptr);
            continue;
        }
        if (event == PTRACE_EVENT_STOP) {
            // Group stop (SIGSTOP, SIGTSTP...): stay stopped until SIGCONT, as the shell expects.
            if (is_stop_signal(sig)) ptrace(PTRACE_LISTEN, tid, nullptr, nullptr);
            else ptrace(PTRACE_CONT, tid, nullptr, nullptr);
            continue;
        }
        if (sig == SIGTRAP && event != 0) {
            ptrace(PTRACE_CONT, tid, nullptr, nullptr);
            continue;
        }
        if (sig == SIGSEGV && handle_int82(tid)) {
            ptrace(PTRACE_CONT, tid, nullptr, nullptr);
            continue;
        }
        // A signal the program catches: build its frame and enter its handler, the Linux signal suppressed.
        if (deliver_caught(tid, sig)) {
            ptrace(PTRACE_CONT, tid, nullptr, nullptr);
            continue;
        }
        // Any other signal: the kernel applies the default action or ignores it.
        ptrace(PTRACE_CONT, tid, nullptr, reinterpret_cast<void*>(long(sig)));
    }
    _exit(0);
}

// Whether a macrun supervisor traces this process already: a program under the ptrace backend exec'd this
// macrun (the tracer stays across execve, and so does the old seccomp filter).
bool traced_by_supervisor() {
    char buf[2048];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    const char* p = strstr(buf, "TracerPid:");
    int tracer = p ? atoi(p + 10) : 0;
    if (tracer <= 0) return false;
    char path[64], comm[32] = {};
    snprintf(path, sizeof path, "/proc/%d/comm", tracer);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    n = read(fd, comm, sizeof comm - 1);
    close(fd);
    return n > 0 && !strcmp(comm, "macrun-ptrace\n");
}

}  // namespace

int ptrace_attach_supervisor() {
    if (traced_by_supervisor()) return 0;  // it serves this image too
    int sync[2];
    if (pipe2(sync, O_CLOEXEC) != 0) return -errno;
    int program = getpid();
    // The supervisor must not be the program's child (the program would see it in wait4, and it would hold
    // the program's exit status): fork twice, so it is a detached grandchild, as `strace -D` does.
    pid_t mid = fork();
    if (mid < 0) return -errno;
    if (mid == 0) {
        pid_t sup = fork();
        if (sup != 0) _exit(sup < 0 ? 1 : 0);
        close(sync[0]);
        // A session of its own: Ctrl-C, Ctrl-Z and hang-ups on the program's terminal are for the program, not
        // for its supervisor (whose death would kill the program through PTRACE_O_EXITKILL).
        setsid();
        prctl(PR_SET_NAME, "macrun-ptrace");
        long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE |
                    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
        char ok = ptrace(PTRACE_SEIZE, program, nullptr, reinterpret_cast<void*>(opts)) == 0 ? 1 : 0;
        if (::write(sync[1], &ok, 1) != 1 || !ok) _exit(1);
        close(sync[1]);
        // The supervisor keeps none of the program's terminal or files open.
        for (int fd = 0; fd < 3; fd++)
            if (fd != g_runtime.diag_fd && fd != g_runtime.trace_fd) close(fd);
        supervise(program);
    }
    close(sync[1]);
    prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
    int st;
    waitpid(mid, &st, 0);
    char ok = 0;
    ssize_t n = read(sync[0], &ok, 1);
    close(sync[0]);
    if (n != 1 || !ok) return -EPERM;
    return 0;
}

}  // namespace tracer
