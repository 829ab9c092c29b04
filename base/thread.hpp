// The backend-neutral view of one trapped thread. Syscall handlers see only this interface, so the interception
// mechanism (in-process SIGSYS, ptrace, ...) can change without touching translation code.
//
// Tracee memory is reached only through read/write/read_cstr (returning 0 or an XNU errno, EFAULT for bad
// addresses), and Linux calls run *as the tracee* through sys(): in-process they are direct system calls;
// under ptrace they are injected into the stopped thread, with In/Out buffers staged in its stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>

namespace base {

// An address in the tracee. It cannot be dereferenced; it is read and written only through Thread.
struct TraceeAddr {
    uint64_t addr = 0;
    constexpr TraceeAddr() = default;
    constexpr explicit TraceeAddr(uint64_t a) : addr(a) {}
    constexpr bool null() const { return addr == 0; }
    constexpr TraceeAddr operator+(uint64_t off) const { return TraceeAddr(addr + off); }
};

template <typename T>
struct TraceePtr : TraceeAddr {
    using TraceeAddr::TraceeAddr;
    constexpr TraceePtr(TraceeAddr a) : TraceeAddr(a.addr) {}
};

// The registers a handler's caller needs, copied in and out by the backend.
struct Regs {
    uint64_t rax, rdx, rdi, rsi, r10, r8, r9, rsp, rip, rflags;
    uint64_t rbx, rcx, rbp, r11, r12, r13, r14, r15;
};

// One argument to a Linux call run as the tracee: a plain value, or a supervisor-side buffer that is passed
// to the kernel in the tracee's address space (copied in before the call and/or out after it).
struct LinuxArg {
    enum class Kind : uint8_t { Value, In, Out, InOut };
    Kind kind = Kind::Value;
    uint64_t value = 0;
    void* local = nullptr;
    size_t len = 0;

    template <typename T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>, int> = 0>
    constexpr LinuxArg(T v) : value(static_cast<uint64_t>(v)) {}
    constexpr LinuxArg(TraceeAddr a) : value(a.addr) {}
    constexpr LinuxArg(std::nullptr_t) : value(0) {}
    constexpr LinuxArg(Kind k, void* p, size_t n) : kind(k), local(p), len(n) {}
};
inline LinuxArg in(const void* p, size_t n) { return LinuxArg(LinuxArg::Kind::In, const_cast<void*>(p), n); }
inline LinuxArg out(void* p, size_t n) { return LinuxArg(LinuxArg::Kind::Out, p, n); }
inline LinuxArg inout(void* p, size_t n) { return LinuxArg(LinuxArg::Kind::InOut, p, n); }
template <typename T>
LinuxArg out(T& v) { return out(&v, sizeof v); }
template <typename T>
LinuxArg in(const T& v) { return in(&v, sizeof v); }

class Thread {
  public:
    virtual ~Thread() = default;

    // Runs Linux system call `nr` as this thread. Returns the raw kernel result: >= 0, or -errno (Linux).
    virtual int64_t linux_call(long nr, const LinuxArg* args, size_t nargs) = 0;
    int64_t sys(long nr, std::initializer_list<LinuxArg> args = {}) { return linux_call(nr, args.begin(), args.size()); }

    // Tracee memory. Each returns 0 or an XNU errno (EFAULT).
    virtual int read(TraceeAddr src, void* dst, size_t n) = 0;
    virtual int write(TraceeAddr dst, const void* src, size_t n) = 0;
    // Reads a NUL-terminated string of at most cap-1 bytes. Returns 0, EFAULT, or ENAMETOOLONG if no NUL
    // occurs within cap bytes. Reads page by page, so a string that ends just before an unmapped page is
    // still read.
    int read_cstr(TraceeAddr src, char* dst, size_t cap);

    // The signal mask (Linux numbering, bit n-1 for signal n) the thread will run with once this call returns,
    // and the thread's x87/SSE state (a 512-byte FXSAVE image) as it will be restored then. Signal delivery
    // and sigreturn change both.
    virtual uint64_t linux_sigmask() = 0;
    virtual void set_linux_sigmask(uint64_t mask) = 0;
    virtual bool get_fxsave(uint8_t* image512) = 0;
    virtual bool set_fxsave(const uint8_t* image512) = 0;

    // Creates a new thread in the thread's process, held before its first instruction until start_thread gives
    // it its registers (which may depend on the new thread's id, as its Mach port name does), with the given
    // %gs base and `stack` as a scratch stack for the hand-over. Returns its thread id or -errno (Linux).
    virtual int64_t create_thread(uint64_t stack, uint64_t gs_base) = 0;
    virtual void start_thread(int64_t tid, const Regs& start) = 0;
    // Ends the calling thread after unmapping [addr, addr+len) (its own stack, possibly): nothing of the
    // thread's stack is used once the unmap is done. Does not return when it succeeds.
    virtual void exit_thread(uint64_t unmap_addr, uint64_t unmap_len) = 0;

    // Makes a child process that is a copy of the caller, as fork(2), and returns the child's pid (or -errno,
    // Linux) to the caller. Where handlers run in the program's own process the handler also returns in the
    // child, with 0, and this object then stands for the child's only thread; a supervisor instead gives the
    // child its registers itself, and the handler sees only the caller's side.
    virtual int64_t fork_process() = 0;

    // posix_spawn's shape: a fork in the middle of a call, after which the rest of the handler runs in both
    // processes (the child applies file actions and execs, the caller waits for its verdict).
    //
    // fork_in_call returns Parent with the child's pid, or Child, where handlers run in the program's own
    // process. A supervisor can run code only as a stopped thread, so it returns Deferred: it has kept `state`
    // and arranged for both processes to make the same call again, and the handler returns just_return().
    // Each repeated call finds its side and the state through resume_forked_call (false for any other call).
    // The caller's side ends with end_forked_call, as its last Linux call. A failed fork gives child < 0.
    struct ForkedCall {
        enum class Side : uint8_t { Parent, Child, Deferred };
        Side side = Side::Parent;
        int64_t child = 0;
    };
    static constexpr size_t kForkedCallState = 512;  // the most handler state a deferred fork keeps
    virtual ForkedCall fork_in_call(const void* state, size_t len) = 0;
    virtual bool resume_forked_call(ForkedCall* call, void* state, size_t len) = 0;
    virtual void end_forked_call() = 0;

    template <typename T>
    int read(TraceePtr<T> p, T& v) { return read(TraceeAddr(p.addr), &v, sizeof v); }
    template <typename T>
    int write(TraceePtr<T> p, const T& v) { return write(TraceeAddr(p.addr), &v, sizeof v); }

    // The registers at the trap. Handlers that really need them (stack arguments, sigreturn, thread state) use
    // this; the result registers are still written only by the dispatcher.
    Regs& regs() { return regs_; }
    int pid() const { return pid_; }
    virtual int tid() const { return tid_; }
    // In the child of a fork made by a handler (in-process backend: the handler returns in both processes),
    // this object stands for the child's only thread from then on.
    void became_child(int pid) { pid_ = pid, tid_ = pid; }

  protected:
    Thread(int pid, int tid) : pid_(pid), tid_(tid) {}
    Regs regs_{};
    int pid_, tid_;
};

}  // namespace base
