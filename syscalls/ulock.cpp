// User-space locks: ulock_wait, ulock_wait2, ulock_wake (os_unfair_lock, pthread mutexes and condition
// variables, dispatch), on Linux futexes. Semantics from xnu bsd/kern/sys_ulock.c: a wait returns the number of
// waiters still waiting; a wake with nobody waiting is ENOENT; ULF_NO_ERRNO turns an error into a negative
// return value.
#include <atomic>
#include <climits>
#include <linux/futex.h>
#include <time.h>

#include "common.hpp"

namespace xnu_sys {
namespace {

// Opcodes and flags (xnu bsd/sys/ulock.h).
constexpr uint32_t kOpcodeMask = 0xff, kFlagsMask = 0xffffff00;
constexpr uint32_t UL_COMPARE_AND_WAIT = 1, UL_UNFAIR_LOCK = 2, UL_COMPARE_AND_WAIT_SHARED = 3,
                   UL_UNFAIR_LOCK64_SHARED = 4, UL_COMPARE_AND_WAIT64 = 5, UL_COMPARE_AND_WAIT64_SHARED = 6;
constexpr uint32_t ULF_WAKE_ALL = 0x100, ULF_WAKE_THREAD = 0x200, ULF_WAKE_ALLOW_NON_OWNER = 0x400,
                   ULF_WAIT_WORKQ_DATA_CONTENTION = 0x10000, ULF_WAIT_CANCEL_POINT = 0x20000,
                   ULF_WAIT_ADAPTIVE_SPIN = 0x40000, ULF_NO_ERRNO = 0x1000000;
constexpr uint32_t kWaitFlags = ULF_NO_ERRNO | ULF_WAIT_WORKQ_DATA_CONTENTION | ULF_WAIT_CANCEL_POINT |
                                ULF_WAIT_ADAPTIVE_SPIN;
constexpr uint32_t kWakeFlags = ULF_NO_ERRNO | ULF_WAKE_ALL | ULF_WAKE_THREAD | ULF_WAKE_ALLOW_NON_OWNER;

// Waiters per (process, address): XNU's ull_nwaiters, which waits return and wakes test. A fixed table with
// lock-free insertion; a slot keeps its key once taken.
struct Waiters {
    std::atomic<uint64_t> key{0};
    std::atomic<int32_t> count{0};
};
constexpr size_t kSlots = 4096;
Waiters g_waiters[kSlots];

Waiters* slot(int pid, uint64_t addr, bool create) {
    uint64_t key = (uint64_t(uint32_t(pid)) << 47) ^ addr;  // user addresses fit in 47 bits
    if (key == 0) key = 1;
    size_t h = size_t((key * 0x9e3779b97f4a7c15ULL) >> 52) % kSlots;
    for (size_t i = 0; i < kSlots; i++) {
        Waiters& w = g_waiters[(h + i) % kSlots];
        uint64_t k = w.key.load(std::memory_order_acquire);
        if (k == key) return &w;
        if (k == 0) {
            if (!create) return nullptr;
            uint64_t zero = 0;
            if (w.key.compare_exchange_strong(zero, key) || zero == key) return &w;
        }
    }
    return nullptr;
}

struct Op {
    bool ok = false, shared = false, wide = false;
};
Op decode(uint32_t opcode) {
    switch (opcode) {
        case UL_COMPARE_AND_WAIT:
        case UL_UNFAIR_LOCK: return {true, false, false};
        case UL_COMPARE_AND_WAIT64: return {true, false, true};
        case UL_COMPARE_AND_WAIT_SHARED: return {true, true, false};
        case UL_COMPARE_AND_WAIT64_SHARED: return {true, true, true};
        default: return {};
    }
}

SysResult result(uint32_t flags, int err, int64_t value) {
    if (err == 0) return SysResult::ok(uint64_t(value));
    if (flags & ULF_NO_ERRNO) return SysResult::ok(uint64_t(-int64_t(err)));
    return SysResult::error(err);
}

SysResult do_wait(Thread& t, uint32_t operation, TraceeAddr addr, uint64_t value, uint64_t timeout_ns) {
    uint32_t opcode = operation & kOpcodeMask, flags = operation & kFlagsMask;
    if ((flags & kWaitFlags) != flags) return result(flags, xnu::XNU_EINVAL, 0);
    Op op = decode(opcode);
    uint64_t size = op.wide ? 8 : 4;
    if (!op.ok || addr.null() || (addr.addr & (size - 1))) return result(flags, xnu::XNU_EINVAL, 0);
    Waiters* w = slot(t.pid(), addr.addr, true);
    if (!w) return result(flags, xnu::XNU_ENOMEM, 0);
    w->count.fetch_add(1);
    uint64_t cur = 0;
    int err = t.read(addr, &cur, size);
    int64_t ret = 0;
    if (err == 0 && (op.wide ? cur : uint32_t(cur)) == (op.wide ? value : uint32_t(value))) {
        // Linux futexes are 32-bit: a 64-bit word waits on its low half, which a wake for it always reaches.
        struct timespec ts{int64_t(timeout_ns / 1000000000), int64_t(timeout_ns % 1000000000)};
        int fop = FUTEX_WAIT | (op.shared ? 0 : FUTEX_PRIVATE_FLAG);
        ret = t.sys(SYS_futex, {addr, fop, uint32_t(cur), timeout_ns ? in(ts) : base::LinuxArg(nullptr), 0, 0});
    }
    int32_t left = w->count.fetch_sub(1) - 1;
    if (err) return result(flags, err, 0);
    if (ret == -ETIMEDOUT) return result(flags, xnu::XNU_ETIMEDOUT, 0);
    if (ret == -EINTR) return result(flags, xnu::XNU_EINTR, 0);
    if (ret == -EFAULT) return result(flags, xnu::XNU_EFAULT, 0);
    return result(flags, 0, left < 0 ? 0 : left);  // woken, or the value had already changed
}

}  // namespace

/// ulock_wait implements XNU BSD ulock_wait (515): timeout in microseconds, 0 for none.
SysResult sys_ulock_wait(Thread& t, uint32_t operation, TraceeAddr addr, uint64_t value, uint32_t timeout) {
    return do_wait(t, operation, addr, value, uint64_t(timeout) * 1000);
}

/// ulock_wait2 implements XNU BSD ulock_wait2 (544): timeout in nanoseconds, 0 for none.
SysResult sys_ulock_wait2(Thread& t, uint32_t operation, TraceeAddr addr, uint64_t value, uint64_t timeout, uint64_t) {
    return do_wait(t, operation, addr, value, timeout);
}

/// ulock_wake implements XNU BSD ulock_wake (516). ULF_WAKE_THREAD names one thread by port; futexes cannot
/// pick a thread, so every waiter wakes and the others find the word unchanged and wait again.
SysResult sys_ulock_wake(Thread& t, uint32_t operation, TraceeAddr addr, uint64_t wake_value) {
    (void)wake_value;
    uint32_t opcode = operation & kOpcodeMask, flags = operation & kFlagsMask;
    Op op = decode(opcode);
    if (!op.ok || opcode == UL_UNFAIR_LOCK64_SHARED) return result(flags, xnu::XNU_EINVAL, 0);
    if ((flags & kWakeFlags) != flags) return result(flags, xnu::XNU_EINVAL, 0);
    if ((flags & ULF_WAKE_THREAD) && ((flags & ULF_WAKE_ALL) || opcode == UL_UNFAIR_LOCK))
        return result(flags, xnu::XNU_EINVAL, 0);
    if ((flags & ULF_WAKE_ALLOW_NON_OWNER) && opcode != UL_UNFAIR_LOCK) return result(flags, xnu::XNU_EINVAL, 0);
    if (addr.null()) return result(flags, xnu::XNU_EINVAL, 0);
    Waiters* w = slot(t.pid(), addr.addr, false);
    if (!w || w->count.load() <= 0) return result(flags, xnu::XNU_ENOENT, 0);
    int fop = FUTEX_WAKE | (op.shared ? 0 : FUTEX_PRIVATE_FLAG);
    int n = (flags & (ULF_WAKE_ALL | ULF_WAKE_THREAD)) ? INT_MAX : 1;
    t.sys(SYS_futex, {addr, fop, n, 0, 0, 0});
    return SysResult::ok(0);
}

}  // namespace xnu_sys
