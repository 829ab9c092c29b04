#include "ptrace_forked_call.hpp"
#include "base/page.hpp"

#include <csignal>
#include <cstring>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tracer::ptrace_fork {
namespace {

using base::Thread;
using base::TraceeAddr;
using Side = Thread::ForkedCall::Side;


// The stub both the caller and its child resume at after the first half, mapped in the caller for the length
// of the call. The child has rdx = 1 from the fork (xnu thread_set_child), the caller rdx = 0; each makes the
// same call again from its own address, with the caller's rdx (the third argument) back in place:
//     lea -1(%rdx),%rcx;  mov saved_rdx(%rip),%rdx;  jrcxz child
//     mov $0x20000f4,%eax; syscall; ud2             (the caller, site 18)
//   child: mov $0x20000f4,%eax; syscall; ud2        (the child, site 27)
//   saved_rdx: .quad
// 0x20000f4 is posix_spawn (BSD 244), the only call that forks in the middle today.
constexpr uint8_t kStub[32] = {0x48, 0x8d, 0x4a, 0xff, 0x48, 0x8b, 0x15, 0x15, 0x00, 0x00, 0x00, 0xe3,
                               0x09, 0xb8, 0xf4, 0x00, 0x00, 0x02, 0x0f, 0x05, 0x0f, 0x0b, 0xb8, 0xf4,
                               0x00, 0x00, 0x02, 0x0f, 0x05, 0x0f, 0x0b, 0x90};
constexpr uint64_t kCallerSite = 18, kChildSite = 27, kSavedRdx = 32;

// A call between its halves (the supervisor's own memory; it serves every process on one thread).
struct Pending {
    bool used = false;
    bool resumed = false;  // the caller's second half is running
    int caller_pid = 0, caller_tid = 0, child = 0;
    uint64_t stub = 0;
    base::Regs regs{};  // the caller's, at its call
    uint8_t state[Thread::kForkedCallState]{};
};
// Zero-initialized at compile time (constinit): no constructor writes its 170 KiB at every start, so the
// pages stay untouched in every process that never spawns under ptrace.
constinit Pending g_pending[256]{};

Pending* new_pending() {
    for (Pending& s : g_pending)
        if (!s.used) return &s;
    // A caller that died between the halves leaves its slot behind.
    for (Pending& s : g_pending)
        if (syscall(SYS_tgkill, s.caller_pid, s.caller_tid, 0) != 0) return &s;
    return nullptr;
}

}  // namespace

Thread::ForkedCall fork_in_call(Thread& t, const void* state, size_t len) {
    if (len > Thread::kForkedCallState) return {Side::Parent, -EINVAL};
    Pending* s = new_pending();
    if (!s) return {Side::Parent, -EAGAIN};
    int64_t stub = t.sys(SYS_mmap, {0, base::kPageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0});
    int64_t child = stub;
    if (stub >= 0) {
        uint8_t code[kSavedRdx + 8];
        memcpy(code, kStub, sizeof kStub);
        memcpy(code + kSavedRdx, &t.regs().rdx, 8);
        int e = t.write(TraceeAddr(uint64_t(stub)), code, sizeof code);
        child = e ? -EFAULT : t.sys(SYS_mprotect, {stub, base::kPageSize, PROT_READ | PROT_EXEC});
        if (child >= 0) child = t.sys(SYS_clone, {SIGCHLD, 0, 0, 0, 0});
    }
    if (child < 0) {
        if (stub >= 0) t.sys(SYS_munmap, {stub, base::kPageSize});
        return {Side::Parent, child};
    }
    s->used = true;
    s->resumed = false;
    s->caller_pid = t.pid(), s->caller_tid = t.tid(), s->child = int(child);
    s->stub = uint64_t(stub);
    s->regs = t.regs();
    memcpy(s->state, state, len);
    t.regs().rip = uint64_t(stub);
    t.regs().rdx = 0;
    return {Side::Deferred, child};
}

bool resume(Thread& t, Thread::ForkedCall* call, void* state, size_t len) {
    uint64_t site = t.regs().rip - 2;
    for (Pending& s : g_pending) {
        if (!s.used) continue;
        bool caller = site == s.stub + kCallerSite && t.tid() == s.caller_tid;
        bool child = site == s.stub + kChildSite && t.pid() == s.child;
        if (!caller && !child) continue;
        memcpy(state, s.state, len < sizeof s.state ? len : sizeof s.state);
        if (child) {
            *call = {Side::Child, 0};
            return true;
        }
        *call = {Side::Parent, s.child};
        t.regs() = s.regs;
        s.resumed = true;
        return true;
    }
    return false;
}

void end(Thread& t) {
    for (Pending& s : g_pending) {
        if (!s.used || !s.resumed || s.caller_tid != t.tid()) continue;
        s.used = false;
        t.sys(SYS_munmap, {s.stub, base::kPageSize});  // the last call: the thread sits on the stub's `syscall`
        return;
    }
}

}  // namespace tracer::ptrace_fork
