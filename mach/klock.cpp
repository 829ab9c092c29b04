#include "klock.hpp"
#include "ipc.hpp"

#include <csignal>
#include <ucontext.h>
#include <cstring>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tracer/raw_syscall.hpp"
#include "tracer/runtime.hpp"

namespace mach {
namespace {

using tracer::raw_syscall;

constexpr uint64_t sigbit(int s) { return 1ULL << (s - 1); }
// Synchronous signals stay deliverable: macrun turns faults in its copies into EFAULT (SIGSEGV, SIGBUS), and
// a blocked synchronous signal kills the process.
constexpr uint64_t kBlockMask = ~(sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGILL) | sigbit(SIGFPE) |
                                  sigbit(SIGTRAP) | sigbit(SIGSYS));

}  // namespace

bool inproc_backend() { return tracer::g_runtime.backend[0] != 'p'; }

void KLock::lock(int who) {
    const uint32_t me = uint32_t(who);
    for (int spin = 0; spin < 100; spin++) {
        uint32_t expected = 0;
        if (state_.compare_exchange_weak(expected, me, std::memory_order_acquire)) return;
        __builtin_ia32_pause();
    }
    // Drepper's mutex with the owner in the word: kWaiters means "held, maybe with waiters"; whoever finds the
    // word free takes it with kWaiters set (it cannot know whether others still sleep).
    for (;;) {
        uint32_t v = state_.load(std::memory_order_relaxed);
        if (v == 0) {
            if (state_.compare_exchange_weak(v, me | kWaiters, std::memory_order_acquire)) return;
            continue;
        }
        if (!(v & kWaiters) && !state_.compare_exchange_weak(v, v | kWaiters, std::memory_order_relaxed)) continue;
        raw_syscall(SYS_futex, reinterpret_cast<long>(&state_), FUTEX_WAIT_PRIVATE, long(v | kWaiters), 0);
    }
}

void KLock::unlock() {
    if (state_.exchange(0, std::memory_order_release) & kWaiters)
        raw_syscall(SYS_futex, reinterpret_cast<long>(&state_), FUTEX_WAKE_PRIVATE, 1);
}

namespace {
// Linux signal numbers deferred on the thread that holds the IPC lock (only that thread adds or takes bits).
std::atomic<uint64_t> g_deferred{0};
}  // namespace

bool klock_defer_signal(int lsig, void* siginfo, void* ucontext) {
    if (g_ipc_lock.owner() == 0) return false;
    const long tid = raw_syscall(SYS_gettid);
    if (g_ipc_lock.owner() != int(tid)) return false;
    g_deferred.fetch_or(sigbit(lsig), std::memory_order_relaxed);
    sigaddset(&static_cast<ucontext_t*>(ucontext)->uc_sigmask, lsig);
    raw_syscall(SYS_rt_tgsigqueueinfo, raw_syscall(SYS_getpid), tid, lsig, reinterpret_cast<long>(siginfo));
    return true;
}

KLockGuard::KLockGuard(KLock& l, int tid) : lock_(l), tid_(tid) { reacquire(); }

KLockGuard::~KLockGuard() {
    if (held_) release();
}

void KLockGuard::release() {
    lock_.unlock();
    held_ = false;
    if (masked_) {
        raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&saved_mask_), 0, 8);
        masked_ = false;
    }
    // Signals that came while this thread held the lock were re-queued and left blocked: let them in now.
    if (tid_ && g_deferred.load(std::memory_order_relaxed)) {
        uint64_t bits = g_deferred.exchange(0, std::memory_order_relaxed);
        raw_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, reinterpret_cast<long>(&bits), 0, 8);
    }
}

void KLockGuard::reacquire() {
    if (inproc_backend() && !tid_) {
        uint64_t block = kBlockMask;
        raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&block), reinterpret_cast<long>(&saved_mask_), 8);
        masked_ = true;
    }
    lock_.lock(tid_ ? tid_ : 1);
    held_ = true;
}

// ---- allocator: power-of-two size classes from 16 bytes to 32 KiB, each with a lock-free free list refilled
// a chunk at a time, and a mapping of its own for anything larger. Every block starts with a 16-byte header
// naming its class or length. No lock: a signal handler on a thread that is inside kalloc may call it again,
// and no call has to block signals (two system calls per allocation otherwise).

namespace {

constexpr size_t kHeader = 16, kChunk = 256 * 1024;
constexpr int kClasses = 12;  // 16 << 11 == 32 KiB

struct FreeBlock {
    FreeBlock* next;
};

// A free list head: the block's address in the low 48 bits, a counter bumped by every change in the high 16,
// so a pop that raced with a pop and a push of the same block fails its exchange (the ABA problem). Blocks
// are never unmapped, so reading a stale head's `next` is harmless.
constexpr uint64_t kPtrMask = (uint64_t(1) << 48) - 1;
std::atomic<uint64_t> g_free[kClasses];
std::atomic<uint64_t> g_in_use{0};  // bytes handed out and not yet freed (large blocks included)

void* map(size_t n) {
    long r = raw_syscall(SYS_mmap, 0, long(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return r < 0 && r > -4096 ? nullptr : reinterpret_cast<void*>(r);
}

int class_of(size_t n) {
    int c = 0;
    size_t sz = 16;
    while (sz < n) sz <<= 1, c++;
    return c;
}

// Pushes the chain first..last (linked through next) onto list c.
void push_chain(int c, FreeBlock* first, FreeBlock* last) {
    uint64_t old = g_free[c].load(std::memory_order_relaxed);
    for (;;) {
        last->next = reinterpret_cast<FreeBlock*>(old & kPtrMask);
        uint64_t tag = (old >> 48) + 1;
        uint64_t next = (tag << 48) | reinterpret_cast<uint64_t>(first);
        if (g_free[c].compare_exchange_weak(old, next, std::memory_order_release, std::memory_order_relaxed)) return;
    }
}

FreeBlock* pop(int c) {
    uint64_t old = g_free[c].load(std::memory_order_acquire);
    for (;;) {
        auto* f = reinterpret_cast<FreeBlock*>(old & kPtrMask);
        if (!f) return nullptr;
        uint64_t tag = (old >> 48) + 1;
        uint64_t next = (tag << 48) | (reinterpret_cast<uint64_t>(f->next) & kPtrMask);
        if (g_free[c].compare_exchange_weak(old, next, std::memory_order_acquire, std::memory_order_acquire)) return f;
    }
}

// A new chunk for class c: one block for the caller, the rest onto the free list.
char* refill(int c) {
    const size_t sz = size_t(16) << c;
    char* chunk = static_cast<char*>(map(kChunk));
    if (!chunk) return nullptr;
    const size_t n = kChunk / sz;
    if (n > 1) {
        for (size_t i = 1; i + 1 < n; i++) reinterpret_cast<FreeBlock*>(chunk + i * sz)->next = reinterpret_cast<FreeBlock*>(chunk + (i + 1) * sz);
        push_chain(c, reinterpret_cast<FreeBlock*>(chunk + sz), reinterpret_cast<FreeBlock*>(chunk + (n - 1) * sz));
    }
    return chunk;
}

}  // namespace

void* kalloc(size_t n) {
    size_t total = n + kHeader;
    if (total > (size_t(16) << (kClasses - 1))) {
        size_t len = (total + 4095) & ~size_t(4095);
        char* p = static_cast<char*>(map(len));
        if (!p) return nullptr;
        reinterpret_cast<uint64_t*>(p)[0] = len;
        reinterpret_cast<uint64_t*>(p)[1] = ~uint64_t(0);
        g_in_use.fetch_add(len, std::memory_order_relaxed);
        return p + kHeader;
    }
    int c = class_of(total);
    size_t sz = size_t(16) << c;
    char* p = reinterpret_cast<char*>(pop(c));
    if (!p && !(p = refill(c))) return nullptr;
    memset(p, 0, sz);
    reinterpret_cast<uint64_t*>(p)[0] = sz;
    reinterpret_cast<uint64_t*>(p)[1] = uint64_t(c);
    g_in_use.fetch_add(sz, std::memory_order_relaxed);
    return p + kHeader;
}

void kfree(void* q) {
    if (!q) return;
    char* p = static_cast<char*>(q) - kHeader;
    uint64_t len = reinterpret_cast<uint64_t*>(p)[0], c = reinterpret_cast<uint64_t*>(p)[1];
    g_in_use.fetch_sub(len, std::memory_order_relaxed);
    if (c == ~uint64_t(0)) {
        raw_syscall(SYS_munmap, reinterpret_cast<long>(p), long(len));
        return;
    }
    auto* f = reinterpret_cast<FreeBlock*>(p);
    push_chain(int(c), f, f);
}

size_t kalloc_in_use() { return g_in_use.load(std::memory_order_relaxed); }

void kalloc_reset_after_fork() {
    // The child starts its Mach kernel afresh; what the parent's objects held stays mapped but is forgotten.
    for (auto& f : g_free) f.store(0, std::memory_order_relaxed);
    g_in_use.store(0, std::memory_order_relaxed);
}

}  // namespace mach
