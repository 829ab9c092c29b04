// The locks and memory of macrun's Mach kernel. Handlers run in a SIGSYS handler or a patched call site on the
// program's own threads (in process), or on the ptrace supervisor's fibers: no libc locks, no malloc.
//
// KLock is a futex mutex on macrun's memory. In process, a program signal that arrives on the thread holding
// it must not run the program's handler there (a handler that makes a Mach call would deadlock on the lock its
// own thread holds): the lock records its owner's thread id, and macrun's signal handler defers such a signal
// (klock_defer_signal) until the owner lets go. That costs nothing while no signal comes; blocking signals
// around every hold cost two system calls per hold. Under ptrace the supervisor is single-threaded: handlers
// never yield to the main loop while holding a KLock (they only read and write tracee memory, which does not
// yield), so the lock is never contended there.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace mach {

class KLock {
  public:
    // `who` (nonzero) becomes the lock word while it is held: the holder's thread id, or 1 when unknown.
    void lock(int who);
    void unlock();
    // After fork in process: the copy of a lock some other thread of the parent held is released.
    void reset() { state_.store(0, std::memory_order_relaxed); }
    // The holder's id as given to lock(), 0 when free.
    int owner() const { return int(state_.load(std::memory_order_relaxed) & ~kWaiters); }

  private:
    static constexpr uint32_t kWaiters = 1u << 31;  // thread ids stay below 2^22 (pid_max's limit)
    std::atomic<uint32_t> state_{0};  // 0 free; the holder's id, with kWaiters when someone may sleep on it
};

// In process, from macrun's handler of a program signal (Linux number lsig, its siginfo and ucontext): when the
// receiving thread holds the IPC lock, the signal is deferred (true): queued again with the same siginfo and
// left blocked in the interrupted context; the lock's release unblocks it, and it is delivered then.
bool klock_defer_signal(int lsig, void* siginfo, void* ucontext);
// In a forked child: what the parent's threads had deferred is not this process's.
void klock_after_fork();

// Holds a KLock for a scope. `tid` is the holder's thread id (in process; 0 when unknown, and then
// asynchronous signals are blocked for the time instead).
class KLockGuard {
  public:
    explicit KLockGuard(KLock& l, int tid = 0);
    ~KLockGuard();
    KLockGuard(const KLockGuard&) = delete;
    KLockGuard& operator=(const KLockGuard&) = delete;
    // Releases early (before blocking) and takes the lock again.
    void release();
    void reacquire();
    bool held() const { return held_; }

  private:
    KLock& lock_;
    int tid_ = 0;
    uint64_t saved_mask_ = 0;
    bool held_ = false, masked_ = false;
};

// Zeroed memory of macrun's own (the supervisor's under ptrace). Never fails silently: returns nullptr only
// when the host is out of memory.
void* kalloc(size_t n);
void kfree(void* p);
// Bytes kalloc has handed out and not had back (the memory measurement of the Mach kernel's objects).
size_t kalloc_in_use();
template <typename T>
T* knew() {
    void* p = kalloc(sizeof(T));
    return p ? new (p) T() : nullptr;
}
template <typename T>
void kdelete(T* p) {
    if (!p) return;
    p->~T();
    kfree(p);
}
// kalloc'd memory with one owner: kfree'd when the owner goes, unless release() hands it on first.
struct KFree {
    void operator()(void* p) const { kfree(p); }
};
template <typename T>
using KOwned = std::unique_ptr<T, KFree>;
// In a child made by fork in process: forgets the parent's allocator state (whose lock may be held by a thread
// that does not exist here). The parent's memory stays mapped and unused.

}  // namespace mach

#include <new>
