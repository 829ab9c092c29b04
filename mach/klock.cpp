#include "klock.hpp"
#include "kglobals.hpp"

#include <cerrno>
#include <csignal>
#include <ctime>
#include <ucontext.h>
#include <cstdio>
#include <cstring>
#include <new>
#include <linux/futex.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "base/raw_syscall.hpp"
#include "base/runtime.hpp"

namespace mach {
namespace {

using base::raw_syscall;

constexpr uint64_t sigbit(int s) { return 1ULL << (s - 1); }
// Synchronous signals stay deliverable: macrun turns faults in its copies into EFAULT (SIGSEGV, SIGBUS), and
// a blocked synchronous signal kills the process.
constexpr uint64_t kBlockMask = ~(sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGILL) | sigbit(SIGFPE) |
                                  sigbit(SIGTRAP) | sigbit(SIGSYS));

}  // namespace

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
        // Shared between processes: a holder can be killed with the lock held. After a quarter second, a
        // holder thread that no longer exists is taken to have died in the middle, and the lock is taken over
        // (what it was doing may be half done; the session goes on rather than hanging).
        struct timespec quarter {0, 250000000};
        long r = raw_syscall(SYS_futex, reinterpret_cast<long>(&state_), FUTEX_WAIT, long(v | kWaiters),
                             reinterpret_cast<long>(&quarter));
        uint32_t holder = v & ~kWaiters;
        if (r == -ETIMEDOUT && holder > 1 && raw_syscall(SYS_kill, long(holder), 0) == -ESRCH) {
            uint32_t cur = v | kWaiters;
            if (state_.compare_exchange_strong(cur, me | kWaiters, std::memory_order_acquire)) {
                static const char kMsg[] = "macrun: a process died holding the Mach kernel's lock; taking it over\n";
                raw_syscall(SYS_write, 2, reinterpret_cast<long>(kMsg), sizeof kMsg - 1);
                return;
            }
        }
    }
}

void KLock::unlock() {
    if (state_.exchange(0, std::memory_order_release) & kWaiters)
        raw_syscall(SYS_futex, reinterpret_cast<long>(&state_), FUTEX_WAKE, 1);
}

namespace {
// Linux signal numbers deferred on the thread that holds the IPC lock (only that thread adds or takes bits).
std::atomic<uint64_t> g_deferred{0};
}  // namespace

bool klock_defer_signal(int lsig, void* siginfo, void* ucontext) {
    if (ipc_lock().owner() == 0) return false;
    const long tid = raw_syscall(SYS_gettid);
    if (ipc_lock().owner() != int(tid)) return false;
    g_deferred.fetch_or(sigbit(lsig), std::memory_order_relaxed);
    sigaddset(&static_cast<ucontext_t*>(ucontext)->uc_sigmask, lsig);
    raw_syscall(SYS_rt_tgsigqueueinfo, raw_syscall(SYS_getpid), tid, lsig, reinterpret_cast<long>(siginfo));
    return true;
}

void klock_after_fork() { g_deferred.store(0, std::memory_order_relaxed); }

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
    // A hold with no thread id to defer signals to: where handlers run in the program's process, its signals
    // are blocked for the hold instead (a supervisor's own thread has none to keep out).
    if (base::g_runtime.caps.handlers_in_program && !tid_) {
        uint64_t block = kBlockMask;
        raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&block), reinterpret_cast<long>(&saved_mask_), 8);
        masked_ = true;
    }
    lock_.lock(tid_ ? tid_ : 1);
    held_ = true;
}

// ---- the region and its allocator: power-of-two size classes from 16 bytes, each with a lock-free free list.
// Small classes (up to 32 KiB) are refilled a 256 KiB chunk at a time from the region's bump offset, larger
// ones one block at a time; a freed block of 1 MiB or more gives its pages back (MADV_REMOVE) but keeps its
// place. Every block starts with a 16-byte header naming its class. No lock: a signal handler on a thread that
// is inside kalloc may call it again, and no call has to block signals.

namespace {

struct FreeBlock {
    FreeBlock* next;
};

constexpr uint64_t kRegionBase = 0x6e0000000000ull;  // far from Mach-O images, macrun, stacks and mmap's range
// The region's size: as much address space as the process may take (RLIMIT_AS counts it even unbacked), at
// most 64 GiB, at least 256 MiB; fixed by the session's first process, read back by the others (the memfd's
// size). The memfd is sparse: only what the kernel uses is memory.
constexpr uint64_t kRegionSizes[] = {64ull << 30, 16ull << 30, 4ull << 30, 1ull << 30, 256ull << 20};
uint64_t g_region_size = 0;
constexpr uint64_t kRegionMagic = 0x6d6163686b65726eull;  // "machkern"
constexpr size_t kHeader = 16, kChunk = 256 * 1024;
constexpr int kSmallClasses = 12;  // 16 << 11 == 32 KiB
constexpr uint64_t kPtrMask = (uint64_t(1) << 48) - 1;

std::atomic<KernelGlobals*> g_kg{nullptr};
std::atomic<int> g_region_state{0};  // 0 unmapped, 1 mapping, 2 mapped

[[noreturn]] void region_fail(const char* what, long err) {
    char text[200];
    int n = snprintf(text, sizeof text, "macrun: cannot map the Mach kernel's shared region (%s: error %ld)\n", what, -err);
    raw_syscall(SYS_write, 2, reinterpret_cast<long>(text), n > 0 ? n : 0);
    raw_syscall(SYS_exit_group, 70);
    __builtin_unreachable();
}

// A named session's region: /dev/shm/macrun.UID.NAME, made by the first program of the session (with O_EXCL,
// so exactly one process initialises it) and opened by the others, which must own it. Returns the descriptor
// and whether it is new.
int open_session(const char* name, bool* fresh) {
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/macrun.%ld.%s", raw_syscall(SYS_getuid), name);
    long fd = raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    *fresh = fd >= 0;
    if (fd == -EEXIST) fd = raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDWR | O_CLOEXEC);
    if (fd < 0) region_fail(path, fd);
    struct stat st {};
    if (raw_syscall(SYS_fstat, fd, reinterpret_cast<long>(&st)) < 0 || st.st_uid != uint32_t(raw_syscall(SYS_getuid)))
        region_fail("the session file belongs to someone else", -EPERM);
    return int(fd);
}

KernelGlobals* map_region() {
    int fd = base::g_runtime.mach_fd;
    bool fresh = fd < 0;
    if (fresh && base::g_runtime.session[0]) fd = open_session(base::g_runtime.session, &fresh);
    long r = -ENOMEM;
    if (fresh) {
        if (fd < 0) fd = int(raw_syscall(SYS_memfd_create, reinterpret_cast<long>("macrun-mach"), MFD_CLOEXEC));
        if (fd < 0) region_fail("memfd_create", fd);
        for (uint64_t size : kRegionSizes) {
            long t = raw_syscall(SYS_ftruncate, fd, long(size));
            if (t < 0) region_fail("ftruncate", t);
            r = raw_syscall(SYS_mmap, long(kRegionBase), long(size), PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_FIXED_NOREPLACE | MAP_NORESERVE, fd, 0);
            g_region_size = size;
            if (!(r < 0 && r > -4096) || r != -ENOMEM) break;
        }
    } else {
        // A session file another program is still setting up: its size is set before its magic.
        struct stat st {};
        for (int tries = 0; tries < 1000; tries++) {
            long t = raw_syscall(SYS_fstat, fd, reinterpret_cast<long>(&st));
            if (t < 0) region_fail("fstat of the session's region", t);
            if (st.st_size > 0) break;
            struct timespec ms {0, 1000000};
            raw_syscall(SYS_nanosleep, reinterpret_cast<long>(&ms), 0);
        }
        g_region_size = uint64_t(st.st_size);
        r = raw_syscall(SYS_mmap, long(kRegionBase), long(g_region_size), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_FIXED_NOREPLACE | MAP_NORESERVE, fd, 0);
    }
    if (r < 0 && r > -4096) region_fail("mmap", r);
    if (uint64_t(r) != kRegionBase) region_fail("mmap placed it elsewhere", -22);
    // The program's core dumps are the program's: the kernel's region stays out of them (it is address space
    // by the gigabyte, and other processes' state).
    raw_syscall(SYS_madvise, long(kRegionBase), long(g_region_size), MADV_DONTDUMP);
    auto* g = reinterpret_cast<KernelGlobals*>(kRegionBase);
    if (fresh) {
        // A fresh region reads as zeros, the initial state of every word, pointer and count in it: only what
        // starts otherwise is constructed. Constructing the whole (its wait words and task table) would write,
        // and so fault in, some 40 KiB of shared pages at the start of every program, Mach calls or not.
        new (&g->ipc_lock) KLock();
        new (&g->kernel_space) Space();
        g->bump.store((sizeof(KernelGlobals) + 65535) & ~uint64_t(65535), std::memory_order_relaxed);
        reinterpret_cast<std::atomic<uint64_t>*>(&g->magic)->store(kRegionMagic, std::memory_order_release);
    } else {
        auto* magic = reinterpret_cast<std::atomic<uint64_t>*>(&g->magic);
        for (int tries = 0; tries < 1000 && magic->load(std::memory_order_acquire) != kRegionMagic; tries++) {
            struct timespec ms {0, 1000000};
            raw_syscall(SYS_nanosleep, reinterpret_cast<long>(&ms), 0);
        }
        if (magic->load(std::memory_order_acquire) != kRegionMagic)
            region_fail("the session's region holds no Mach kernel", -22);
    }
    base::g_runtime.mach_fd = fd;
    return g;
}

KernelGlobals* attach_slow() {
    int expected = 0;
    if (g_region_state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
        g_kg.store(map_region(), std::memory_order_release);
        g_region_state.store(2, std::memory_order_release);
    } else {
        while (g_region_state.load(std::memory_order_acquire) != 2) __builtin_ia32_pause();
    }
    return g_kg.load(std::memory_order_acquire);
}

int class_of(size_t n) {
    int c = 0;
    size_t sz = 16;
    while (sz < n) sz <<= 1, c++;
    return c;
}

// Pushes the chain first..last (linked through next) onto list c. The head holds the block's address in its
// low 48 bits and a counter bumped by every change in the high 16, so a pop that raced with a pop and a push of
// the same block fails its exchange (the ABA problem); blocks stay mapped, so reading a stale `next` is safe.
void push_chain(int c, FreeBlock* first, FreeBlock* last) {
    std::atomic<uint64_t>& head = kg().free_lists[c];
    uint64_t old = head.load(std::memory_order_relaxed);
    for (;;) {
        last->next = reinterpret_cast<FreeBlock*>(old & kPtrMask);
        uint64_t tag = (old >> 48) + 1;
        uint64_t next = (tag << 48) | reinterpret_cast<uint64_t>(first);
        if (head.compare_exchange_weak(old, next, std::memory_order_release, std::memory_order_relaxed)) return;
    }
}

FreeBlock* pop(int c) {
    std::atomic<uint64_t>& head = kg().free_lists[c];
    uint64_t old = head.load(std::memory_order_acquire);
    for (;;) {
        auto* f = reinterpret_cast<FreeBlock*>(old & kPtrMask);
        if (!f) return nullptr;
        uint64_t tag = (old >> 48) + 1;
        uint64_t next = (tag << 48) | (reinterpret_cast<uint64_t>(f->next) & kPtrMask);
        if (head.compare_exchange_weak(old, next, std::memory_order_acquire, std::memory_order_acquire)) return f;
    }
}

// `n` bytes (a multiple of 4096) from the region's bump offset, or null when the region is full.
char* carve(uint64_t n) {
    KernelGlobals& g = kg();
    uint64_t off = g.bump.fetch_add(n, std::memory_order_relaxed);
    if (off + n > g_region_size) return nullptr;
    return reinterpret_cast<char*>(kRegionBase + off);
}

// A new block of class c; for a small class, a chunk whose other blocks go onto the free list.
char* refill(int c) {
    const size_t sz = size_t(16) << c;
    if (c >= kSmallClasses) return carve(sz);
    char* chunk = carve(kChunk);
    if (!chunk) return nullptr;
    const size_t n = kChunk / sz;
    if (n > 1) {
        for (size_t i = 1; i + 1 < n; i++)
            reinterpret_cast<FreeBlock*>(chunk + i * sz)->next = reinterpret_cast<FreeBlock*>(chunk + (i + 1) * sz);
        push_chain(c, reinterpret_cast<FreeBlock*>(chunk + sz), reinterpret_cast<FreeBlock*>(chunk + (n - 1) * sz));
    }
    return chunk;
}

}  // namespace

KernelGlobals& kg() {
    KernelGlobals* g = g_kg.load(std::memory_order_acquire);
    return __builtin_expect(g != nullptr, 1) ? *g : *attach_slow();
}

int kernel_region_fd() { return g_kg.load(std::memory_order_acquire) ? base::g_runtime.mach_fd : -1; }

KLock& ipc_lock() { return kg().ipc_lock; }
Space* kernel_space() { return &kg().kernel_space; }

void* kalloc(size_t n) {
    size_t total = n + kHeader;
    int c = class_of(total);
    if (c >= kAllocClasses) return nullptr;
    size_t sz = size_t(16) << c;
    char* p = reinterpret_cast<char*>(pop(c));
    if (!p && !(p = refill(c))) return nullptr;
    // A large block's pages may have been given back: they come back zeroed, only the header needs writing.
    memset(p, 0, sz < kChunk ? sz : kHeader);
    reinterpret_cast<uint64_t*>(p)[0] = sz;
    reinterpret_cast<uint64_t*>(p)[1] = uint64_t(c);
    kg().in_use.fetch_add(sz, std::memory_order_relaxed);
    return p + kHeader;
}

void kfree(void* q) {
    if (!q) return;
    char* p = static_cast<char*>(q) - kHeader;
    uint64_t sz = reinterpret_cast<uint64_t*>(p)[0], c = reinterpret_cast<uint64_t*>(p)[1];
    kg().in_use.fetch_sub(sz, std::memory_order_relaxed);
    if (sz >= (1u << 20)) raw_syscall(SYS_madvise, reinterpret_cast<long>(p + 4096), long(sz - 4096), MADV_REMOVE);
    auto* f = reinterpret_cast<FreeBlock*>(p);
    push_chain(int(c), f, f);
}

size_t kalloc_in_use() { return kg().in_use.load(std::memory_order_relaxed); }

}  // namespace mach
