#include "klock.hpp"

#include <csignal>
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

void KLock::lock() {
    for (int spin = 0; spin < 100; spin++) {
        uint32_t expected = 0;
        if (state_.compare_exchange_weak(expected, 1, std::memory_order_acquire)) return;
        __builtin_ia32_pause();
    }
    // Drepper's mutex: 2 means "held, maybe with waiters"; whoever finds it free through the exchange owns it.
    uint32_t c = state_.exchange(2, std::memory_order_acquire);
    while (c != 0) {
        raw_syscall(SYS_futex, reinterpret_cast<long>(&state_), FUTEX_WAIT_PRIVATE, 2, 0);
        c = state_.exchange(2, std::memory_order_acquire);
    }
}

void KLock::unlock() {
    if (state_.exchange(0, std::memory_order_release) == 2)
        raw_syscall(SYS_futex, reinterpret_cast<long>(&state_), FUTEX_WAKE_PRIVATE, 1);
}

KLockGuard::KLockGuard(KLock& l) : lock_(l) { reacquire(); }

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
}

void KLockGuard::reacquire() {
    if (inproc_backend()) {
        uint64_t block = kBlockMask;
        raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&block), reinterpret_cast<long>(&saved_mask_), 8);
        masked_ = true;
    }
    lock_.lock();
    held_ = true;
}

// ---- allocator: power-of-two size classes from 16 bytes to 32 KiB carved from 256 KiB slabs, and a mapping
// of its own for anything larger. Every block starts with a 16-byte header naming its class or length.

namespace {

constexpr size_t kHeader = 16, kSlab = 256 * 1024;
constexpr int kClasses = 12;  // 16 << 11 == 32 KiB

struct FreeBlock {
    FreeBlock* next;
};
struct Heap {
    KLock lock;
    FreeBlock* free[kClasses] = {};
    char* bump = nullptr;
    size_t left = 0;
};
Heap g_heap;

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

}  // namespace

void* kalloc(size_t n) {
    size_t total = n + kHeader;
    if (total > (size_t(16) << (kClasses - 1))) {
        size_t len = (total + 4095) & ~size_t(4095);
        char* p = static_cast<char*>(map(len));
        if (!p) return nullptr;
        reinterpret_cast<uint64_t*>(p)[0] = len;
        reinterpret_cast<uint64_t*>(p)[1] = ~uint64_t(0);
        return p + kHeader;
    }
    int c = class_of(total);
    size_t sz = size_t(16) << c;
    char* p = nullptr;
    {
        KLockGuard g(g_heap.lock);
        if (FreeBlock* f = g_heap.free[c]) {
            g_heap.free[c] = f->next;
            p = reinterpret_cast<char*>(f);
        } else {
            if (g_heap.left < sz) {
                char* slab = static_cast<char*>(map(kSlab));
                if (!slab) return nullptr;
                g_heap.bump = slab;
                g_heap.left = kSlab;
            }
            p = g_heap.bump;
            g_heap.bump += sz;
            g_heap.left -= sz;
        }
    }
    memset(p, 0, sz);
    reinterpret_cast<uint64_t*>(p)[0] = sz;
    reinterpret_cast<uint64_t*>(p)[1] = uint64_t(c);
    return p + kHeader;
}

void kfree(void* q) {
    if (!q) return;
    char* p = static_cast<char*>(q) - kHeader;
    uint64_t len = reinterpret_cast<uint64_t*>(p)[0], c = reinterpret_cast<uint64_t*>(p)[1];
    if (c == ~uint64_t(0)) {
        raw_syscall(SYS_munmap, reinterpret_cast<long>(p), long(len));
        return;
    }
    KLockGuard g(g_heap.lock);
    auto* f = reinterpret_cast<FreeBlock*>(p);
    f->next = g_heap.free[c];
    g_heap.free[c] = f;
}

void kalloc_reset_after_fork() {
    g_heap.lock.reset();
    for (auto& f : g_heap.free) f = nullptr;
    g_heap.bump = nullptr;
    g_heap.left = 0;
}

}  // namespace mach
