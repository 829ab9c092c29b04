// Semaphores (xnu osfmk/kern/sync_sema.c): kernel objects reached through send rights to their ports; waits
// park on the waiting thread's futex word like every other wait in macrun's kernel.
#include "common_mach.hpp"

namespace mach {

kern_return_t semaphore_create(Task* task, int policy, int value, Semaphore** out) {
    *out = nullptr;
    if (!task || value < 0 || (policy & ~SYNC_POLICY_USER_MASK)) return KERN_INVALID_ARGUMENT;
    Semaphore* s = knew<Semaphore>();
    if (!s) return KERN_RESOURCE_SHORTAGE;
    s->owner = task;
    s->count = value;
    s->policy = policy;
    s->next = task->semaphores;
    task->semaphores = s;
    s->refs = 2;  // the task's list, and the caller's
    *out = s;
    return KERN_SUCCESS;
}

void semaphore_dereference(Semaphore* s) {
    MACH_ASSERT(s->refs > 0);
    if (--s->refs) return;
    MACH_ASSERT(s->owner == nullptr && s->waiters.empty());
    if (s->port) {
        s->port->kobject = nullptr;
        s->port->active = false;
        port_release(s->port);
    }
    kdelete(s);
}

// semaphore_destroy_internal: off the task's list, deactivated, waiters sent away with KERN_TERMINATED.
static void destroy_internal(Task* task, Semaphore* s) {
    for (Semaphore** p = &task->semaphores; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    s->owner = nullptr;
    s->count = 0;
    while (Waiter* w = s->waiters.head) {
        w->result = KERN_TERMINATED;
        thread_wakeup(w);
    }
    semaphore_dereference(s);  // the task's list
}

/// Contract: consumes the caller's semaphore reference.
kern_return_t semaphore_destroy(Task* task, Semaphore* s) {
    if (!s) return KERN_INVALID_ARGUMENT;
    if (!task) {
        semaphore_dereference(s);
        return KERN_INVALID_ARGUMENT;
    }
    if (s->owner == task) destroy_internal(task, s);
    semaphore_dereference(s);
    return KERN_SUCCESS;
}

/// convert_semaphore_to_port. Contract: consumes a semaphore reference; the result is a new send right. The
/// collective send rights hold one semaphore reference (dropped at no-senders).
Port* semaphore_to_port(Semaphore* s) {
    if (!s->port) {
        s->port = port_alloc_kobject(Kotype::Semaphore, s);
        if (!s->port) {
            semaphore_dereference(s);
            return nullptr;
        }
    }
    if (s->port->srights == 0) {
        port_make_send(s->port);  // the reference is donated to the send rights
    } else {
        port_make_send(s->port);
        semaphore_dereference(s);
    }
    return s->port;
}

Semaphore* port_to_semaphore(Port* port) {
    if (!ip_valid(port) || !port->active || port->kotype != Kotype::Semaphore || !port->kobject) return nullptr;
    auto* s = static_cast<Semaphore*>(port->kobject);
    s->refs++;
    return s;
}

void kobject_no_senders(Port* port) {
    if (port->kotype == Kotype::Semaphore && port->kobject) semaphore_dereference(static_cast<Semaphore*>(port->kobject));
}

namespace {

// port_name_to_semaphore.
kern_return_t name_to_semaphore(Task* task, mach_port_name_t name, Semaphore** out) {
    *out = nullptr;
    if (!port_valid(name)) return KERN_INVALID_NAME;
    Port* port;
    kern_return_t kr = port_translate_send(task->space, name, &port);
    if (kr != KERN_SUCCESS) return kr;
    *out = port_to_semaphore(port);
    return *out ? KERN_SUCCESS : KERN_INVALID_CAPABILITY;
}

constexpr int kSignalPrepost = 1, kSignalAll = 2;

// semaphore_signal_internal.
kern_return_t signal_internal(Semaphore* s, int tid, int options) {
    if (!s->owner) return KERN_TERMINATED;
    if (tid) {
        for (Waiter* w = s->waiters.head; w; w = w->next)
            if (w->tid == tid) {
                w->result = KERN_SUCCESS;
                thread_wakeup(w);
                return KERN_SUCCESS;
            }
        return KERN_NOT_WAITING;
    }
    if (options & kSignalAll) {
        if (!s->waiters.empty()) {
            s->count = 0;
            while (Waiter* w = s->waiters.head) {
                w->result = KERN_SUCCESS;
                thread_wakeup(w);
            }
            return KERN_SUCCESS;
        }
        if (options & kSignalPrepost) s->count++;
        return KERN_SUCCESS;
    }
    if (!s->waiters.empty()) {
        // SYNC_POLICY_REVERSED (LIFO) wakes the latest waiter.
        Waiter* w = (s->policy & SYNC_POLICY_REVERSED) ? s->waiters.tail : s->waiters.head;
        w->result = KERN_SUCCESS;
        thread_wakeup(w);
        return KERN_SUCCESS;
    }
    if (s->count < 0) s->count = 0;
    if (options & kSignalPrepost) s->count++;
    return KERN_NOT_WAITING;
}

// semaphore_wait_internal: take a count, or wait for a signal (deadline 0: forever; noblock: {0,0} timeout).
kern_return_t wait_internal(IpcLock& lock, Task* task, Semaphore* ws, Semaphore* ss, uint64_t deadline, bool noblock) {
    kern_return_t kr;
    bool waiting = false;
    if (!ws->owner) kr = KERN_TERMINATED;
    else if (ws->count > 0) {
        ws->count--;
        kr = KERN_SUCCESS;
    } else if (noblock) {
        kr = KERN_OPERATION_TIMED_OUT;
    } else {
        waiting = true;
        kr = KERN_SUCCESS;
    }
    WaiterBox box;
    if (!box.w) return KERN_RESOURCE_SHORTAGE;
    Waiter& w = *box.w;
    w.kind = WaitKind::Semaphore;
    w.task = task;
    w.tid = lock.thread().tid();
    w.result = KERN_SUCCESS;
    if (waiting) {
        ws->count = -1;  // "we don't keep an actual count" of waiters
        waitlist_push(ws->waiters, &w);
    }
    if (ss) {
        kern_return_t skr = signal_internal(ss, 0, kSignalPrepost);
        if (skr == KERN_TERMINATED && waiting) {
            waitlist_remove(&w);
            return KERN_TERMINATED;
        }
    }
    if (!waiting) return kr;
    ws->refs++;
    WaitResult r = thread_block(lock, w, deadline);
    if (r == WaitResult::Woken) kr = w.result;
    else {
        waitlist_remove(&w);
        kr = r == WaitResult::TimedOut ? KERN_OPERATION_TIMED_OUT : KERN_ABORTED;
    }
    semaphore_dereference(ws);
    return kr;
}

bool bad_timespec(uint32_t sec, int32_t nsec) {
    (void)sec;
    return nsec < 0 || uint32_t(nsec) >= NSEC_PER_SEC;  // BAD_MACH_TIMESPEC
}

// semaphore_deadline: {sec, nsec} from now.
uint64_t relative_deadline(uint32_t sec, int32_t nsec) { return monotonic_ns() + uint64_t(sec) * NSEC_PER_SEC + uint64_t(nsec); }

SysResult semaphore_wait_common(Thread& t, mach_port_name_t wait_name, mach_port_name_t signal_name, bool timed,
                                uint32_t sec, int32_t nsec) {
    TASK_OR_FAIL();
    if (timed && bad_timespec(sec, nsec)) return kr_result(KERN_INVALID_VALUE);
    IpcLock lock(t);
    Semaphore* ss = nullptr;
    kern_return_t kr = KERN_SUCCESS;
    // The signal semaphore is looked up first (semaphore_wait_signal_trap_internal).
    if (signal_name != MACH_PORT_NULL) kr = name_to_semaphore(task, signal_name, &ss);
    Semaphore* ws = nullptr;
    if (kr == KERN_SUCCESS) kr = name_to_semaphore(task, wait_name, &ws);
    if (kr == KERN_SUCCESS) {
        bool noblock = timed && sec == 0 && nsec == 0;
        uint64_t deadline = timed && !noblock ? relative_deadline(sec, nsec) : 0;
        kr = wait_internal(lock, task, ws, ss, deadline, noblock);
    }
    if (ws) semaphore_dereference(ws);
    if (ss) semaphore_dereference(ss);
    return trap_finish(t, task, lock, kr);
}

}  // namespace

}  // namespace mach

namespace xnu_sys {
using namespace mach;

/// semaphore_signal_trap implements XNU Mach trap semaphore_signal_trap (33).
SysResult mach_semaphore_signal_trap(Thread& t, uint32_t signal_name) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    Semaphore* s;
    kern_return_t kr = name_to_semaphore(task, signal_name, &s);
    if (kr == KERN_SUCCESS) {
        kr = signal_internal(s, 0, kSignalPrepost);
        semaphore_dereference(s);
        if (kr == KERN_NOT_WAITING) kr = KERN_SUCCESS;
    }
    return trap_finish(t, task, lock, kr);
}

/// semaphore_signal_all_trap implements XNU Mach trap semaphore_signal_all_trap (34).
SysResult mach_semaphore_signal_all_trap(Thread& t, uint32_t signal_name) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    Semaphore* s;
    kern_return_t kr = name_to_semaphore(task, signal_name, &s);
    if (kr == KERN_SUCCESS) {
        kr = signal_internal(s, 0, kSignalAll);
        semaphore_dereference(s);
        if (kr == KERN_NOT_WAITING) kr = KERN_SUCCESS;
    }
    return trap_finish(t, task, lock, kr);
}

/// semaphore_signal_thread_trap implements XNU Mach trap semaphore_signal_thread_trap (35): wakes that thread
/// if it waits on the semaphore (KERN_NOT_WAITING otherwise), or any one waiter without pre-posting.
SysResult mach_semaphore_signal_thread_trap(Thread& t, uint32_t signal_name, uint32_t thread_name) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    int tid = 0;
    if (thread_name != MACH_PORT_NULL) {
        Port* port;
        if (port_translate_send(task->space, thread_name, &port) != KERN_SUCCESS || port->kotype != Kotype::Thread ||
            !port->active || !port->kobject)
            return trap_finish(t, task, lock, KERN_INVALID_ARGUMENT);
        tid = static_cast<ThreadObj*>(port->kobject)->tid;
    }
    Semaphore* s;
    kern_return_t kr = name_to_semaphore(task, signal_name, &s);
    if (kr == KERN_SUCCESS) {
        if (tid) {
            kr = signal_internal(s, tid, 0);
        } else {
            kr = signal_internal(s, 0, 0);
        }
        semaphore_dereference(s);
    }
    return trap_finish(t, task, lock, kr);
}

/// semaphore_wait_trap implements XNU Mach trap semaphore_wait_trap (36).
SysResult mach_semaphore_wait_trap(Thread& t, uint32_t wait_name) {
    return semaphore_wait_common(t, wait_name, MACH_PORT_NULL, false, 0, 0);
}

/// semaphore_wait_signal_trap implements XNU Mach trap semaphore_wait_signal_trap (37).
SysResult mach_semaphore_wait_signal_trap(Thread& t, uint32_t wait_name, uint32_t signal_name) {
    if (signal_name == MACH_PORT_NULL) return kr_result(KERN_INVALID_NAME);
    return semaphore_wait_common(t, wait_name, signal_name, false, 0, 0);
}

/// semaphore_timedwait_trap implements XNU Mach trap semaphore_timedwait_trap (38).
SysResult mach_semaphore_timedwait_trap(Thread& t, uint32_t wait_name, uint32_t sec, uint32_t nsec) {
    return semaphore_wait_common(t, wait_name, MACH_PORT_NULL, true, sec, int32_t(nsec));
}

/// semaphore_timedwait_signal_trap implements XNU Mach trap semaphore_timedwait_signal_trap (39).
SysResult mach_semaphore_timedwait_signal_trap(Thread& t, uint32_t wait_name, uint32_t signal_name, uint32_t sec,
                                               uint32_t nsec) {
    if (bad_timespec(sec, int32_t(nsec))) return kr_result(KERN_INVALID_VALUE);
    if (signal_name == MACH_PORT_NULL) return kr_result(KERN_INVALID_NAME);
    return semaphore_wait_common(t, wait_name, signal_name, true, sec, int32_t(nsec));
}

}  // namespace xnu_sys
