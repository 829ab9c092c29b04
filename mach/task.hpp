// Tasks, threads, and how a thread waits.
//
// One Task per process, found by pid. Its IPC space, its task/host/thread kernel ports, its semaphores, and a
// "wait page" mapped in the process itself: one futex word per waiting thread. A thread that must block (a
// receive on an empty queue, a send to a full one, a semaphore wait) links a Waiter (in kernel memory) into the
// object's wait list, releases the IPC lock and sleeps on its futex word with FUTEX_WAIT run as itself
// (t.sys): in process that is an ordinary system call on its own thread; under ptrace the call is injected
// into the stopped thread and the supervisor's fiber yields until it returns, so the supervisor keeps serving
// the other threads, including the one that will wake it.
//
// The page also says whose it is (a magic and a cookie): a forked child or an exec'd image under ptrace has a
// new pid or no page, and gets a fresh task, as XNU gives a new task a fresh space.
#pragma once

#include "ipc.hpp"
#include "base/thread.hpp"

namespace mach {

struct Semaphore;
struct MkTimer;

struct ThreadObj {
    int tid = 0;
    Port* port = nullptr;  // kernel port (IKOT_THREAD); the object holds a reference
    uint64_t tsd_base = 0; // the %gs base the thread was given (XNU's machine.cthread_self), 0 if never set
    ThreadObj* next = nullptr;
};

struct Task {
    int pid = 0;
    uint64_t cookie = 0;
    uint64_t wait_page = 0;  // tracee address of the wait page
    uint64_t wait_page_local = 0;  // under ptrace: the same page (a memfd) mapped in the supervisor, for waking
    uint64_t start_time = 0;       // the process's start time (/proc/PID/stat), to tell a reused pid
    Space* space = nullptr;
    Port* self_port = nullptr;
    Port* host_port = nullptr;
    Port* clock_ports[2] = {};
    // Send rights task_set_special_port stored: TASK_BOOTSTRAP_PORT (4), TASK_ACCESS_PORT (9),
    // TASK_DEBUG_CONTROL_PORT (10), TASK_RESOURCE_NOTIFY_PORT (11), indexed by that number.
    Port* special_ports[12] = {};
    // task_set_exception_ports: per exception type (1..13), a send right, behavior and thread-state flavor.
    struct ExceptionAction {
        Port* port = nullptr;
        int32_t behavior = 0;
        int32_t flavor = 0;
    } exceptions[14];  // SYSTEM_CLOCK and CALENDAR_CLOCK (IKOT_CLOCK), made on first request
    ThreadObj* threads = nullptr;
    Semaphore* semaphores = nullptr;
    MkTimer* timers = nullptr;  // its mk_timer ports (mk_timer.cpp)
    uint32_t slot_bits[32] = {};  // which of the 1024 futex words are in use
    uint32_t platform = 0, sdk = 0;  // the program's LC_BUILD_VERSION (sdk as xxxx.yy.zz nibbles), 0 if unknown
    bool sdk_known = false;
    uint64_t resident_max = 0;       // the highest resident size task_info has seen (a lifetime maximum)
    security_token_t sec_token{};    // what messages it sends carry in their trailers
    audit_token_t audit_token{};
    // A fatal EXC_GUARD raised during the current trap: the process ends when the trap returns.
    bool fatal_guard = false;
    uint32_t guard_reason = 0;
    mach_port_name_t guard_name = 0;
    uint64_t guard_payload = 0;
};

constexpr uint32_t kWaitSlots = 1000;  // futex words per wait page (after a 16-byte header)

// The task of the calling process, created on first use (that maps its wait page: do not hold the IPC lock).
// Null only when the host cannot give the memory.
Task* current_task(base::Thread& t);

// The platform and SDK the program was built for (read once from its executable), as XNU keeps them in
// p_platform_data: some policies depend on them.
void task_platform(Task* task, uint32_t* platform, uint32_t* sdk);

// The thread object (and kernel port) of thread `tid` of `task`, created on first use. Under the IPC lock.
ThreadObj* thread_object(Task* task, int tid);
// Records the %gs base thread `tid` of the caller's process was given (thread_info reports it as the thread's
// handle). Takes the IPC lock.
void thread_set_tsd_base(base::Thread& t, int tid, uint64_t base);
// A thread has ended: its object goes and its kernel port is destroyed. Needs the IPC lock.
void thread_object_terminate(Task* task, int tid);

// The IPC lock, held for a scope. Wake-ups decided while it is held are delivered when it is released, by the
// releasing thread (the woken threads' futex words live in the same process).
class IpcLock {
  public:
    explicit IpcLock(base::Thread& t);
    ~IpcLock();
    void release();
    void reacquire();
    base::Thread& thread() { return t_; }

  private:
    base::Thread& t_;
    KLockGuard g_;
};

// A waiting thread's Waiter: in the kernel's memory, where a thread of another process that wakes it can reach
// it (never on the waiter's stack). Freed when the wait is over; it must be off every wait list by then.
struct WaiterBox {
    Waiter* w = knew<Waiter>();
    WaiterBox() = default;
    WaiterBox(const WaiterBox&) = delete;
    WaiterBox& operator=(const WaiterBox&) = delete;
    ~WaiterBox() {
        if (w) MACH_ASSERT(w->list == nullptr);
        kdelete(w);
    }
};

// Marks `w` woken (under the IPC lock) and unlinks it; its thread is woken when the lock is released.
void thread_wakeup(Waiter* w);

enum class WaitResult { Woken, TimedOut, Interrupted, NoSlot };

// Sleeps until woken, the absolute CLOCK_MONOTONIC deadline (ns; 0 = none) passes, or a signal interrupts.
// Called with `lock` held and `w` linked into a wait list; returns with the lock held. Unless Woken, `w` is
// still linked and the caller unlinks it.
WaitResult thread_block(IpcLock& lock, Waiter& w, uint64_t deadline_ns);

// CLOCK_MONOTONIC now, and a deadline `ms` milliseconds away.
uint64_t monotonic_ns();
uint64_t deadline_after_ms(uint32_t ms);

// After fork in process: forget what was private to the parent (called by the first trap of the child).
void reset_after_fork();

// The calling process is exiting: its task goes, with every right it holds (receive rights die, their senders
// get dead names and notifications), as XNU's task_terminate does.
void task_exit(base::Thread& t);
// Process `pid` has been reaped: if its task is still there (it died of a signal), it goes now.
void task_reaped(base::Thread& t, int pid);

}  // namespace mach
