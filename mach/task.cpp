#include "task.hpp"

#include "kglobals.hpp"
#include "kobject.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <x86intrin.h>

#include "base/diag.hpp"
#include "base/raw_syscall.hpp"
#include "base/runtime.hpp"

namespace mach {


[[noreturn]] void kernel_panic(const char* what, const char* file, int line) {
    char text[512];
    int n = snprintf(text, sizeof text, "macrun: Mach kernel assertion failed: %s (%s:%d)\n", what, file, line);
    base::raw_syscall(SYS_write, 2, reinterpret_cast<long>(text), n > 0 ? n : 0);
    base::raw_syscall(SYS_kill, base::raw_syscall(SYS_getpid), SIGABRT);
    __builtin_trap();
}

namespace {

constexpr uint64_t kMagic = 0x6b6e6c6b6e75726dULL;  // "mrunklnk"
constexpr uint32_t kPageHeader = 16;

std::atomic<int> g_owner_pid{0};  // in process: the pid these globals belong to (-1 while being reset)
// In process: the pid whose task this process made or found (a forked child still holds its parent's until
// it makes its own; an exec'd image starts at 0).
int g_task_pid = 0;


// In process, a forked child first drops what it inherited from its parent.
void check_fork(int pid) {
    if (!base::g_runtime.caps.handlers_in_program) return;  // a supervisor's memory is not forked
    for (;;) {
        int owner = g_owner_pid.load(std::memory_order_acquire);
        if (owner == pid) return;
        if (owner == -1) {
            __builtin_ia32_pause();
            continue;
        }
        if (owner == 0) {
            if (g_owner_pid.compare_exchange_strong(owner, pid)) return;
            continue;
        }
        if (g_owner_pid.compare_exchange_strong(owner, -1)) {
            reset_after_fork();
            g_owner_pid.store(pid, std::memory_order_release);
            return;
        }
    }
}

bool page_is_ours(base::Thread& t, const Task* task) {
    uint64_t hdr[2];
    return t.read(base::TraceeAddr(task->wait_page), hdr, sizeof hdr) == 0 && hdr[0] == kMagic &&
           hdr[1] == task->cookie;
}

Task* find_task(int pid) {
    for (Task* task : kg().tasks)
        if (task && task->pid == pid) return task;
    return nullptr;
}

void remove_task(Task* task) {
    for (Task*& slot : kg().tasks)
        if (slot == task) slot = nullptr;
}

// Ports and spaces of a task that is gone (an exec'd image under ptrace, or a reused pid).
void destroy_task(Task* task) {
    remove_task(task);
    space_terminate(task->space);
    for (ThreadObj* th = task->threads; th;) {
        ThreadObj* next = th->next;
        th->port->active = false;
        port_release(th->port);
        kdelete(th);
        th = next;
    }
    if (task->self_port) task->self_port->active = false, port_release(task->self_port);
    if (task->host_port) task->host_port->active = false, port_release(task->host_port);
    if (task->wait_page_local) {
        // Wake-ups queued for the task's own waiters (its ports just died) would land in the page: drop them
        // first; those threads are gone with their process.
        KernelGlobals& g = kg();
        uint32_t kept = 0;
        for (uint32_t i = 0; i < g.nwakes; i++)
            if (g.wakes[i].addr - task->wait_page_local >= 4096) g.wakes[kept++] = g.wakes[i];
        g.nwakes = kept;
        base::raw_syscall(SYS_munmap, long(task->wait_page_local), 4096);
        task->wait_page_local = 0;
    }
    for (Port*& p : task->clock_ports)
        if (p) p->active = false, port_release(p), p = nullptr;
    for (Port*& p : task->special_ports)
        if (ip_valid(p)) port_release_send(p), p = nullptr;
    for (Task::ExceptionAction& a : task->exceptions)
        if (ip_valid(a.port)) port_release_send(a.port), a.port = nullptr;
    // The space itself and semaphores are left to their references (ports may still point at them).
}

}  // namespace

void reset_after_fork() {
    // The kernel's state is shared with the parent and stays; only what is private to this process goes.
    klock_after_fork();
}

// The start time of process `pid` (field 22 of /proc/PID/stat, in clock ticks since boot), 0 if it is gone.
uint64_t process_start_time(int pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    long fd = base::raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    long n = base::raw_syscall(SYS_read, fd, reinterpret_cast<long>(buf), sizeof buf - 1);
    base::raw_syscall(SYS_close, fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    const char* p = strrchr(buf, ')');
    for (int field = 2; p && field < 22; field++) p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, nullptr, 10) : 0;
}

// Tasks of processes that are gone (killed before they could say so, or their pid reused) go with their rights:
// `n` slots from where the last sweep stopped (each is a read of /proc). Exits and reaping end most tasks; this
// is the backstop for the rest. Under the IPC lock.
void sweep_dead_tasks(uint32_t n) {
    KernelGlobals& g = kg();
    for (uint32_t k = 0; k < n && k < uint32_t(kMaxTasks); k++) {
        Task*& task = g.tasks[g.sweep_cursor];
        g.sweep_cursor = (g.sweep_cursor + 1) % kMaxTasks;
        if (task && process_start_time(task->pid) != task->start_time) destroy_task(task);
    }
}

// What a new task inherits (task_create's special ports): from the image it replaces (exec), else from the
// parent process's task, else the session's bootstrap port. Under the IPC lock.
void inherit_special_ports(Task* fresh, Task* from) {
    for (int i = 0; i < 12; i++) {
        Port* p = from ? from->special_ports[i] : nullptr;
        if (ip_valid(p) && p->active) {
            port_copy_send(p);
            fresh->special_ports[i] = p;
        }
    }
    // Exception ports too (ipc_task_init copies the parent's itk_exc_actions).
    if (from)
        for (int i = 0; i < 14; i++) {
            fresh->exceptions[i] = from->exceptions[i];
            if (ip_valid(fresh->exceptions[i].port) && fresh->exceptions[i].port->active)
                port_copy_send(fresh->exceptions[i].port);
            else
                fresh->exceptions[i].port = nullptr;
        }
    constexpr int TASK_BOOTSTRAP_PORT = 4;
    if (!from && !fresh->special_ports[TASK_BOOTSTRAP_PORT])
        if (Port* bp = bootstrap_port()) {
            port_make_send(bp);
            fresh->special_ports[TASK_BOOTSTRAP_PORT] = bp;
        }
}

// The task's wait page: one futex word per waiting thread, in the process's own memory. Under ptrace it is a
// memfd that the supervisor maps too, so a thread of any process can be woken from the supervisor.
bool map_wait_page(base::Thread& t, Task* fresh, uint64_t cookie) {
    int64_t page;
    if (base::g_runtime.caps.mach_wait == base::BackendCaps::MachWait::SharedRegion) {
        page = t.sys(SYS_mmap, {0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0});
        if (page < 0 && page > -4096) return false;
    } else {
        static const char kName[] = "macrun-wait";
        int64_t fd = t.sys(SYS_memfd_create, {base::in(kName, sizeof kName), MFD_CLOEXEC});
        if (fd < 0) return false;
        page = t.sys(SYS_ftruncate, {fd, 4096}) == 0
                   ? t.sys(SYS_mmap, {0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0})
                   : -ENOMEM;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/fd/%d", t.pid(), int(fd));
        long lfd = base::raw_syscall(SYS_open, reinterpret_cast<long>(path), O_RDWR | O_CLOEXEC);
        t.sys(SYS_close, {fd});
        long local = lfd < 0 ? -EBADF
                             : base::raw_syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, lfd, 0);
        if (lfd >= 0) base::raw_syscall(SYS_close, lfd);
        if ((page < 0 && page > -4096) || (local < 0 && local > -4096)) return false;
        fresh->wait_page_local = uint64_t(local);
    }
    uint64_t hdr[2] = {kMagic, cookie};
    if (t.write(base::TraceeAddr(uint64_t(page)), hdr, sizeof hdr) != 0) return false;
    fresh->wait_page = uint64_t(page);
    fresh->cookie = cookie;
    return true;
}

Task* current_task(base::Thread& t) {
    int pid = t.pid();
    check_fork(pid);
    {
        IpcLock lock(t);
        Task* task = find_task(pid);
        if (task && page_is_ours(t, task)) return g_task_pid = pid, task;
    }
    // A new task: its wait page first (injected calls under ptrace: no lock held).
    Task* fresh = knew<Task>();
    if (!fresh) return nullptr;
    if (!map_wait_page(t, fresh, __rdtsc() ^ (uint64_t(pid) << 32) ^ uint64_t(reinterpret_cast<uintptr_t>(fresh)))) {
        kdelete(fresh);
        return nullptr;
    }
    // The identity its messages carry (task_get_sec_token / task_get_audit_token): effective uid and gid, and
    // audit user (AU_DEFAUDITID: no audit session), euid, egid, ruid, rgid, pid; session and pid version 0.
    uint32_t r[3] = {}, g[3] = {};
    t.sys(SYS_getresuid, {base::out(&r[0], 4), base::out(&r[1], 4), base::out(&r[2], 4)});
    t.sys(SYS_getresgid, {base::out(&g[0], 4), base::out(&g[1], 4), base::out(&g[2], 4)});
    fresh->sec_token = security_token_t{{r[1], g[1]}};
    fresh->audit_token = audit_token_t{{0xffffffffu, r[1], g[1], r[0], g[0], uint32_t(pid), 0, 0}};
    fresh->pid = pid;
    fresh->start_time = process_start_time(pid);
    const int ppid = int(t.sys(SYS_getppid));
    bool lost_race = false;
    Task* result = nullptr;
    {
        IpcLock lock(t);
        Task* other = find_task(pid);
        if (other && page_is_ours(t, other)) {
            lost_race = true;  // another thread of the process made it meanwhile
            result = other;
        } else {
            // The image this one replaces (exec), or else the parent, hands on its special ports.
            Task* from = other ? other : find_task(ppid);
            if (from && from != other && process_start_time(from->pid) != from->start_time) from = nullptr;
            fresh->space = space_create(fresh);
            fresh->self_port = port_alloc_kobject(Kotype::Task, fresh);
            fresh->host_port = port_alloc_kobject(Kotype::Host, fresh);
            inherit_special_ports(fresh, from);
            if (other) destroy_task(other);
            sweep_dead_tasks(16);
            int slot = -1;
            for (int pass = 0; pass < 2 && slot < 0; pass++) {
                for (int i = 0; i < kMaxTasks && slot < 0; i++)
                    if (!kg().tasks[i]) slot = i;
                if (slot < 0) sweep_dead_tasks(kMaxTasks);  // full: look at every task once
            }
            if (!fresh->space || !fresh->self_port || !fresh->host_port || slot < 0) return nullptr;
            kg().tasks[slot] = fresh;
            result = fresh;
        }
    }
    if (lost_race) {
        t.sys(SYS_munmap, {fresh->wait_page, 4096});
        if (fresh->wait_page_local) base::raw_syscall(SYS_munmap, long(fresh->wait_page_local), 4096);
        kdelete(fresh);
    }
    if (result) g_task_pid = pid;
    return result;
}

void task_reaped(base::Thread& t, int pid) {
    IpcLock lock(t);
    Task* task = find_task(pid);
    if (task && process_start_time(pid) != task->start_time) destroy_task(task);
}

void task_exit(base::Thread& t) {
    // Where handlers run in the program's process, one that never made its task has none to tear down: the
    // shared kernel is not touched (its pages, its lock) by programs that make no Mach call.
    if (base::g_runtime.caps.handlers_in_program && g_task_pid != t.pid()) return;
    IpcLock lock(t);
    Task* task = find_task(t.pid());
    if (task && page_is_ours(t, task)) destroy_task(task);
}

// Reads LC_BUILD_VERSION (or LC_VERSION_MIN_MACOSX) from the executable, the x86_64 slice of a fat file.
void task_platform(Task* task, uint32_t* platform, uint32_t* sdk) {
    if (!task->sdk_known) {
        task->sdk_known = true;
        using base::raw_syscall;
        long fd = raw_syscall(SYS_open, reinterpret_cast<long>(base::g_runtime.exec_path), O_RDONLY | O_CLOEXEC);
        constexpr size_t kRead = 64 * 1024;
        auto* buf = static_cast<uint8_t*>(kalloc(kRead));
        if (fd >= 0 && buf) {
            auto rd32 = [&](uint64_t off, bool be = false) -> uint32_t {
                uint32_t v = 0;
                if (off + 4 <= kRead) memcpy(&v, buf + off, 4);
                return be ? __builtin_bswap32(v) : v;
            };
            long n = raw_syscall(SYS_pread64, fd, reinterpret_cast<long>(buf), kRead, 0);
            uint64_t base = 0;
            if (n >= 8 && rd32(0, true) == 0xcafebabe) {  // fat: find the x86_64 slice
                uint32_t nfat = rd32(4, true);
                for (uint32_t i = 0; i < nfat && i < 32; i++)
                    if (rd32(8 + i * 20, true) == 0x01000007) base = rd32(8 + i * 20 + 8, true);
                if (base) n = raw_syscall(SYS_pread64, fd, reinterpret_cast<long>(buf), kRead, long(base));
            }
            if (n >= 32 && rd32(0) == 0xfeedfacf) {
                uint32_t ncmds = rd32(16);
                uint64_t off = 32;
                for (uint32_t i = 0; i < ncmds && off + 8 <= uint64_t(n); i++) {
                    uint32_t cmd = rd32(off), size = rd32(off + 4);
                    if (cmd == 0x32) {  // LC_BUILD_VERSION
                        task->platform = rd32(off + 8);
                        task->sdk = rd32(off + 16);
                    } else if (cmd == 0x24) {  // LC_VERSION_MIN_MACOSX
                        task->platform = 1;
                        task->sdk = rd32(off + 12);
                    }
                    if (size < 8) break;
                    off += size;
                }
            }
        }
        kfree(buf);
        if (fd >= 0) raw_syscall(SYS_close, fd);
    }
    *platform = task->platform;
    *sdk = task->sdk;
}

ThreadObj* thread_object(Task* task, int tid) {
    for (ThreadObj* th = task->threads; th; th = th->next)
        if (th->tid == tid) return th;
    ThreadObj* th = knew<ThreadObj>();
    if (!th) return nullptr;
    th->tid = tid;
    th->port = port_alloc_kobject(Kotype::Thread, th);
    if (!th->port) {
        kdelete(th);
        return nullptr;
    }
    th->next = task->threads;
    task->threads = th;
    return th;
}

void thread_set_tsd_base(base::Thread& t, int tid, uint64_t base) {
    Task* task = current_task(t);
    if (!task) return;
    IpcLock lock(t);
    if (ThreadObj* th = thread_object(task, tid)) th->tsd_base = base;
}

void thread_object_terminate(Task* task, int tid) {
    for (ThreadObj** pp = &task->threads; *pp; pp = &(*pp)->next) {
        ThreadObj* th = *pp;
        if (th->tid != tid) continue;
        *pp = th->next;
        // ipc_thread_terminate: the kernel port dies with the thread, so the task's send rights to it become
        // dead names and dead-name requests fire. port_destroy consumes the object's reference.
        th->port->kobject = nullptr;
        port_destroy(th->port);
        kdelete(th);
        return;
    }
}

// ---- the lock and wake-ups ----

IpcLock::IpcLock(base::Thread& t) : t_(t), g_(ipc_lock(), base::g_runtime.caps.handlers_in_program ? t.tid() : 0) {}

IpcLock::~IpcLock() {
    if (g_.held()) release();
}

void IpcLock::reacquire() { g_.reacquire(); }

void IpcLock::release() {
    // Take the pending wake-ups, let go of the lock, then wake: bump each futex word and FUTEX_WAKE it.
    for (;;) {
        Wake local[32];
        uint32_t n = 0;
        while (n < 32 && kg().nwakes > 0) local[n++] = kg().wakes[--kg().nwakes];
        bool more = kg().nwakes > 0;
        g_.release();
        for (uint32_t i = 0; i < n; i++) {
            if (local[i].pid == 0) {
                // A word in the shared region: any process can bump it and wake its sleeper.
                auto* word = reinterpret_cast<std::atomic<uint32_t>*>(local[i].addr);
                word->fetch_add(1, std::memory_order_release);
                base::raw_syscall(SYS_futex, long(local[i].addr), FUTEX_WAKE, 1);
                continue;
            }
            if (local[i].pid != t_.pid()) continue;  // under ptrace, a wait page of another process: not reachable
            base::TraceeAddr a(local[i].addr);
            uint32_t v = 0;
            if (t_.read(a, &v, sizeof v) != 0) continue;
            v++;
            t_.write(a, &v, sizeof v);
            t_.sys(SYS_futex, {local[i].addr, FUTEX_WAKE_PRIVATE, 1});
        }
        if (!more) return;
        g_.reacquire();
    }
}

void waitlist_push(WaitList& l, Waiter* w) {
    MACH_ASSERT(w->list == nullptr);
    w->list = &l;
    w->next = nullptr;
    w->prev = l.tail;
    if (l.tail) l.tail->next = w;
    else l.head = w;
    l.tail = w;
}

void waitlist_remove(Waiter* w) {
    WaitList* l = w->list;
    if (!l) return;
    if (w->prev) w->prev->next = w->next;
    else l->head = w->next;
    if (w->next) w->next->prev = w->prev;
    else l->tail = w->prev;
    w->prev = w->next = nullptr;
    w->list = nullptr;
}

Waiter* waitlist_pop(WaitList& l) {
    Waiter* w = l.head;
    if (w) waitlist_remove(w);
    return w;
}

void thread_wakeup(Waiter* w) {
    waitlist_remove(w);
    w->woken = true;
    KernelGlobals& g = kg();
    if (g.nwakes == g.capwakes) {
        uint32_t ncap = g.capwakes ? g.capwakes * 2 : 64;
        auto* n = static_cast<Wake*>(kalloc(sizeof(Wake) * ncap));
        MACH_ASSERT(n);
        for (uint32_t i = 0; i < g.nwakes; i++) n[i] = g.wakes[i];
        kfree(g.wakes);
        g.wakes = n;
        g.capwakes = ncap;
    }
    g.wakes[g.nwakes++] = w->wake_addr ? Wake{w->wake_addr, 0} : Wake{w->futex_addr, w->task->pid};
}

uint64_t monotonic_ns() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * NSEC_PER_SEC + uint64_t(ts.tv_nsec);
}

uint64_t deadline_after_ms(uint32_t ms) { return monotonic_ns() + uint64_t(ms) * 1000000ull; }

// A futex word for a waiting thread: in process one of the region's shared words, under ptrace a slot of the
// task's wait page (the wait runs as the traced thread, in its own address space). Under the IPC lock.
bool take_wait_word(Waiter& w) {
    if (base::g_runtime.caps.mach_wait == base::BackendCaps::MachWait::SharedRegion) {
        KernelGlobals& g = kg();
        for (uint32_t i = 0; i < kSharedWaitWords / 64; i++) {
            if (g.wait_word_bits[i] == ~uint64_t(0)) continue;
            int bit = __builtin_ctzll(~g.wait_word_bits[i]);
            g.wait_word_bits[i] |= uint64_t(1) << bit;
            w.slot = i * 64 + uint32_t(bit);
            w.shared_word = true;
            w.futex_addr = w.wake_addr = reinterpret_cast<uint64_t>(&g.wait_words[w.slot]);
            return true;
        }
        return false;
    }
    Task* task = w.task;
    for (uint32_t i = 0; i < kWaitSlots; i++) {
        if (task->slot_bits[i / 32] & (1u << (i % 32))) continue;
        task->slot_bits[i / 32] |= 1u << (i % 32);
        w.slot = i;
        w.shared_word = false;
        w.futex_addr = task->wait_page + kPageHeader + uint64_t(i) * 4;
        w.wake_addr = task->wait_page_local ? task->wait_page_local + kPageHeader + uint64_t(i) * 4 : 0;
        return true;
    }
    return false;
}

void give_back_wait_word(Waiter& w) {
    if (w.shared_word) kg().wait_word_bits[w.slot / 64] &= ~(uint64_t(1) << (w.slot % 64));
    else w.task->slot_bits[w.slot / 32] &= ~(1u << (w.slot % 32));
}

WaitResult thread_block(IpcLock& lock, Waiter& w, uint64_t deadline_ns) {
    if (!take_wait_word(w)) return WaitResult::NoSlot;
    base::Thread& t = lock.thread();
    const uint64_t addr = w.futex_addr;
    const int op = w.wake_addr ? FUTEX_WAIT_BITSET : FUTEX_WAIT_BITSET_PRIVATE;
    WaitResult result;
    for (;;) {
        if (w.woken) {
            result = WaitResult::Woken;
            break;
        }
        if (deadline_ns && monotonic_ns() >= deadline_ns) {
            result = WaitResult::TimedOut;
            break;
        }
        uint32_t v = 0;
        t.read(base::TraceeAddr(addr), &v, sizeof v);
        lock.release();
        struct timespec ts {
            time_t(deadline_ns / NSEC_PER_SEC), long(deadline_ns % NSEC_PER_SEC)
        };
        int64_t r = deadline_ns ? t.sys(SYS_futex, {addr, op, v, base::in(ts), 0, FUTEX_BITSET_MATCH_ANY})
                                : t.sys(SYS_futex, {addr, op, v, nullptr, 0, FUTEX_BITSET_MATCH_ANY});
        lock.reacquire();
        if (r == -EINTR) {
            result = w.woken ? WaitResult::Woken : WaitResult::Interrupted;
            break;
        }
        // Anything but a wake-up, a changed word or a timeout: the thread cannot wait (under ptrace, it died
        // while waiting, killed by a signal).
        if (r < 0 && r != -EAGAIN && r != -ETIMEDOUT) {
            result = w.woken ? WaitResult::Woken : WaitResult::Interrupted;
            break;
        }
    }
    give_back_wait_word(w);
    return result;
}

}  // namespace mach
