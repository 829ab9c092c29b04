// The locks and memory of macrun's Mach kernel. Handlers run in a SIGSYS handler or a patched call site on the
// program's own threads (in process), or on the ptrace supervisor's fibers: no libc locks, no malloc.
//
// KLock is a futex mutex on macrun's memory. In process, holding it blocks the program's asynchronous signals
// (a signal handler that makes a Mach call would otherwise deadlock on the lock its own thread holds). Under
// ptrace the supervisor is single-threaded: handlers never yield to the main loop while holding a KLock (they
// only read and write tracee memory, which does not yield), so the lock is never contended there.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace mach {

// True in the in-process backend (and in unit tests), false in the ptrace supervisor.
bool inproc_backend();

class KLock {
  public:
    void lock();
    void unlock();
    // After fork in process: the copy of a lock some other thread of the parent held is released.
    void reset() { state_.store(0, std::memory_order_relaxed); }

  private:
    std::atomic<uint32_t> state_{0};  // 0 free, 1 held, 2 held with waiters
};

// Holds a KLock for a scope; in process also blocks asynchronous signals for that time.
class KLockGuard {
  public:
    explicit KLockGuard(KLock& l);
    ~KLockGuard();
    KLockGuard(const KLockGuard&) = delete;
    KLockGuard& operator=(const KLockGuard&) = delete;
    // Releases early (before blocking) and takes the lock again.
    void release();
    void reacquire();
    bool held() const { return held_; }

  private:
    KLock& lock_;
    uint64_t saved_mask_ = 0;
    bool held_ = false, masked_ = false;
};

// Zeroed memory of macrun's own (the supervisor's under ptrace). Never fails silently: returns nullptr only
// when the host is out of memory.
void* kalloc(size_t n);
void kfree(void* p);
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
// In a child made by fork in process: forgets the parent's allocator state (whose lock may be held by a thread
// that does not exist here). The parent's memory stays mapped and unused.
void kalloc_reset_after_fork();

}  // namespace mach

#include <new>
