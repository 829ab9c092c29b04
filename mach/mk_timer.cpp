// Mach timers (xnu osfmk/kern/mk_timer.c): a port whose receive right the task holds (immovable), and which
// the kernel sends an mk_timer_expire_msg_t (id 0, 48 bytes, a copied send right as destination) when the
// armed deadline (mach_absolute_time: CLOCK_MONOTONIC_RAW nanoseconds in macrun) passes. As in XNU the timer
// reuses one message: while its last message is still queued, an expiry sends nothing (and disarms).
//
// macrun has no kernel thread to fire timers. They fire lazily, at the moments anyone can tell: a receive on
// the timer port or a set holding it (a blocked receive sleeps no longer than the earliest armed timer it
// could get a message from, then fires it), mach_port_get_attributes, and mk_timer_cancel. Arming wakes the
// receivers already blocked on the port or its sets so they sleep again with the new deadline. For one task
// the difference from a timer thread cannot be observed (only the holder of the receive right sees the queue).
#include <ctime>

#include <cstring>

#include "common_mach.hpp"
#include "ipc_mqueue.hpp"

namespace mach {

struct MkTimer {
    Port* port = nullptr;   // holds a naked send right to its port (the destination of its messages)
    Task* task = nullptr;
    bool armed = false;
    uint64_t deadline = 0;  // mach_absolute_time units (ns)
    MkTimer* next = nullptr;
};

namespace {

uint64_t raw_now() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

MkTimer* port_timer(const Port* port) {
    return port->kotype == Kotype::Timer && port->active ? static_cast<MkTimer*>(port->kobject) : nullptr;
}

// mk_timer_expire: disarms, and sends the message unless the previous one is still queued.
void expire(MkTimer* tm) {
    tm->armed = false;
    Port* port = tm->port;
    for (Kmsg* q = port->qhead; q; q = q->next)
        if (q->timer_msg) return;  // ipc_kmsg_keep_alive_try_reusing fails: the message is in use
    port_copy_send(port);
    Kmsg* km = kmsg_kernel(port, MACH_MSG_TYPE_PORT_SEND, 0, sizeof(mk_timer_expire_msg_t) - sizeof(mach_msg_header_t));
    if (!km) {
        port_release_send(port);
        return;
    }
    memset(km->body, 0, km->body_size);
    km->timer_msg = true;
    kmsg_post_kernel(km);
}

}  // namespace

void mk_timer_fire_due(Task* task) {
    if (!task->timers) return;
    uint64_t now = raw_now();
    for (MkTimer* tm = task->timers; tm; tm = tm->next)
        if (tm->armed && tm->deadline <= now) expire(tm);
}

bool mk_timer_armed(const Port* port) {
    MkTimer* tm = port_timer(port);
    return tm && tm->armed;
}

uint64_t mk_timer_next_deadline(Object* obj) {
    uint64_t best = UINT64_MAX;
    auto consider = [&](const Port* p) {
        if (MkTimer* tm = port_timer(p); tm && tm->armed && tm->deadline < best) best = tm->deadline;
    };
    if (obj->is_pset) {
        auto* set = static_cast<PortSet*>(obj);
        for (uint32_t i = 0; i < set->nmembers; i++) consider(set->members[i]);
    } else {
        consider(static_cast<Port*>(obj));
    }
    if (best == UINT64_MAX) return 0;
    // From mach_absolute_time to a CLOCK_MONOTONIC deadline, as thread_block wants it.
    uint64_t raw = raw_now(), mono = monotonic_ns();
    return best <= raw ? mono : mono + (best - raw);
}

/// Contract: called by port_destroy for a timer port, before it drops the receive right's reference; releases
/// the timer's send right and frees the timer.
void mk_timer_port_destroyed(Port* port) {
    MACH_ASSERT(port->kotype == Kotype::Timer && !port->active);
    auto* tm = static_cast<MkTimer*>(port->kobject);
    port->kotype = Kotype::None;
    port->kobject = nullptr;
    for (MkTimer** p = &tm->task->timers; *p; p = &(*p)->next)
        if (*p == tm) {
            *p = tm->next;
            break;
        }
    port_release_send(port);
    kdelete(tm);
}

}  // namespace mach

namespace xnu_sys {
using namespace mach;

/// mk_timer_create_trap implements XNU Mach trap mk_timer_create_trap (91): a new timer port, its receive
/// right (immovable) in the caller's space; MACH_PORT_NULL when none can be made.
SysResult mach_mk_timer_create_trap(Thread& t) {
    Task* task = current_task(t);
    if (!task) return kr_result(MACH_PORT_NULL);
    IpcLock lock(t);
    auto* tm = knew<MkTimer>();
    mach_port_name_t name = MACH_PORT_NULL;
    Port* port;
    if (!tm) return trap_finish(t, task, lock, MACH_PORT_NULL);
    if (port_alloc(task->space, &name, &port) != KERN_SUCCESS) {
        kdelete(tm);
        return trap_finish(t, task, lock, MACH_PORT_NULL);
    }
    port->immovable_receive = true;
    port->kotype = Kotype::Timer;
    port->kobject = tm;
    port_make_send(port);  // the timer's own (naked) send right
    tm->port = port;
    tm->task = task;
    tm->next = task->timers;
    task->timers = tm;
    return trap_finish(t, task, lock, kern_return_t(name));
}

/// mk_timer_destroy_trap implements XNU Mach trap mk_timer_destroy_trap (92): destroys the receive right (as
/// mach_port_destroy does, guard checks included); KERN_INVALID_RIGHT without one, KERN_INVALID_ARGUMENT for
/// a port that is not a timer.
SysResult mach_mk_timer_destroy_trap(Thread& t, mach_port_name_t name) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    Space* space = task->space;
    Entry* e = space->active ? entry_lookup(space, name) : nullptr;
    if (!space->active) return trap_finish(t, task, lock, KERN_INVALID_TASK);
    if (!e) return trap_finish(t, task, lock, KERN_INVALID_NAME);
    if (!(ie_type(e->bits) & MACH_PORT_TYPE_RECEIVE)) return trap_finish(t, task, lock, KERN_INVALID_RIGHT);
    if (static_cast<Port*>(e->obj)->kotype != Kotype::Timer) return trap_finish(t, task, lock, KERN_INVALID_ARGUMENT);
    return trap_finish(t, task, lock, right_destroy(space, name, e, true, 0));
}

static SysResult mk_timer_arm(Thread& t, mach_port_name_t name, uint64_t expire_time) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    Port* port;
    kern_return_t kr = port_translate_receive(task->space, name, &port);
    if (kr == KERN_SUCCESS) {
        if (MkTimer* tm = port_timer(port)) {
            tm->armed = true;
            tm->deadline = expire_time;
            if (expire_time <= raw_now()) expire(tm);  // thread_call_enter1: at once
            else mqueue_restart_receivers(port);     // blocked receivers sleep again, until this deadline
        } else {
            kr = KERN_INVALID_ARGUMENT;
        }
    }
    return trap_finish(t, task, lock, kr);
}

/// mk_timer_arm_trap implements XNU Mach trap mk_timer_arm_trap (93): arms (or re-arms) the timer for the
/// mach_absolute_time deadline; a deadline already past fires at once.
SysResult mach_mk_timer_arm_trap(Thread& t, mach_port_name_t name, uint64_t expire_time) {
    return mk_timer_arm(t, name, expire_time);
}

/// mk_timer_arm_leeway_trap implements XNU Mach trap mk_timer_arm_leeway_trap (95): as mk_timer_arm; the
/// leeway and MK_TIMER_CRITICAL only tune XNU's timer coalescing, which macrun does not do.
SysResult mach_mk_timer_arm_leeway_trap(Thread& t, mach_port_name_t name, uint64_t mk_timer_flags, uint64_t expire_time,
                                        uint64_t mk_leeway) {
    (void)mk_timer_flags;
    (void)mk_leeway;
    return mk_timer_arm(t, name, expire_time);
}

/// mk_timer_cancel_trap implements XNU Mach trap mk_timer_cancel_trap (94): disarms; the deadline it was
/// armed for (0 if it was not armed) goes to result_time when that is not 0 (KERN_FAILURE if it cannot).
SysResult mach_mk_timer_cancel_trap(Thread& t, mach_port_name_t name, TraceeAddr result_time) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    mk_timer_fire_due(task);  // a deadline that passed has fired already
    Port* port;
    uint64_t armed_time = 0;
    kern_return_t kr = port_translate_receive(task->space, name, &port);
    if (kr == KERN_SUCCESS) {
        if (MkTimer* tm = port_timer(port)) {
            if (tm->armed) armed_time = tm->deadline;
            tm->armed = false;
        } else {
            kr = KERN_INVALID_ARGUMENT;
        }
    }
    lock.release();
    if (kr == KERN_SUCCESS && !result_time.null() && t.write(result_time, &armed_time, sizeof armed_time) != 0)
        kr = KERN_FAILURE;
    return trap_finish(t, task, kr);
}

}  // namespace xnu_sys
