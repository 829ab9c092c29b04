#include "kglobals.hpp"
#include "ipc_mqueue.hpp"

#include "kobject.hpp"

namespace mach {
namespace {


// ipc_mqueue_release_msgcount: a message left the queue (or never entered it); a sender waiting for room gets
// the slot.
void release_msgcount(Port* port) {
    MACH_ASSERT(port->msgcount > 0);
    port->msgcount--;
    if (!port_full(port) && !port->fullwaiters.empty()) {
        Waiter* w = port->fullwaiters.head;
        w->state = MACH_MSG_SUCCESS;
        thread_wakeup(w);
        port->msgcount++;
    }
}

bool too_large(const Kmsg* km, uint64_t option, uint32_t max_size, uint32_t* msize) {
    *msize = kmsg_user_size(km);
    return uint64_t(max_size) < uint64_t(*msize) + requested_trailer_size(option);
}

void enqueue(Port* port, Kmsg* km) {
    km->next = nullptr;
    km->order = ++kg().order;
    if (port->qtail) port->qtail->next = km;
    else port->qhead = km;
    port->qtail = km;
}

Kmsg* dequeue(Port* port) {
    Kmsg* km = port->qhead;
    port->qhead = km->next;
    if (!port->qhead) port->qtail = nullptr;
    km->next = nullptr;
    return km;
}

// The port a receive on `obj` takes its next message from: the port itself, or the member of the set whose
// first message is the oldest.
Port* select_port(Object* obj) {
    if (!obj->is_pset) {
        auto* port = static_cast<Port*>(obj);
        return port->qhead ? port : nullptr;
    }
    Port* best = nullptr;
    auto* set = static_cast<PortSet*>(obj);
    for (uint32_t i = 0; i < set->nmembers; i++) {
        Port* p = set->members[i];
        if (p->qhead && (!best || p->qhead->order < best->qhead->order)) best = p;
    }
    return best;
}

}  // namespace

void mqueue_post(Port* port, Kmsg* km) {
    if (!port->active) {
        kmsg_destroy(km);
        return;
    }
    for (;;) {
        Waiter* w = port->receivers.head;
        for (uint32_t i = 0; !w && i < port->npsets; i++) w = port->psets[i]->receivers.head;
        if (!w) {
            enqueue(port, km);
            return;
        }
        uint32_t msize;
        bool big = too_large(km, w->option, w->max_size, &msize);
        w->msize = msize;
        w->receiver_name = port->receiver_name;
        if (!big || !(w->option & MACH_RCV_LARGE)) {
            // The receiver takes it (too large without MACH_RCV_LARGE: it gets the message to destroy).
            w->state = big ? MACH_RCV_TOO_LARGE : MACH_MSG_SUCCESS;
            w->kmsg = km;
            w->seqno = port->seqno++;
            thread_wakeup(w);
            release_msgcount(port);
            return;
        }
        // MACH_RCV_LARGE: only the size goes to this receiver; look for another.
        w->state = MACH_RCV_TOO_LARGE;
        w->kmsg = nullptr;
        w->seqno = 0;
        thread_wakeup(w);
    }
}

void mqueue_match_set_waiters(Port* port, PortSet* pset) {
    while (Kmsg* km = port->qhead) {
        Waiter* w = pset->receivers.head;
        if (!w) return;
        uint32_t msize;
        bool big = too_large(km, w->option, w->max_size, &msize);
        w->msize = msize;
        w->receiver_name = port->receiver_name;
        if (big && (w->option & MACH_RCV_LARGE)) {
            w->state = MACH_RCV_TOO_LARGE;
            w->kmsg = nullptr;
            w->seqno = 0;
            thread_wakeup(w);
            continue;
        }
        dequeue(port);
        release_msgcount(port);
        w->state = big ? MACH_RCV_TOO_LARGE : MACH_MSG_SUCCESS;
        w->kmsg = km;
        w->seqno = port->seqno++;
        thread_wakeup(w);
    }
}

mach_msg_return_t mqueue_send(IpcLock& lock, Task* task, Kmsg* km, uint64_t option, uint32_t timeout_ms) {
    Port* port = km->remote;
    bool send_once = msgh_remote(km->bits) == MACH_MSG_TYPE_PORT_SEND_ONCE;
    if (!port_full(port) ||
        (port->msgcount < MACH_PORT_QLIMIT_KERNEL && ((option & MACH_SEND_ALWAYS) || send_once))) {
        port->msgcount++;
        mqueue_post(port, km);
        return MACH_MSG_SUCCESS;
    }
    if ((option & MACH_SEND_TIMEOUT) && timeout_ms == 0) return MACH_SEND_TIMED_OUT;
    if (port->msgcount >= MACH_PORT_QLIMIT_KERNEL) return MACH_SEND_NO_BUFFER;
    WaiterBox box;
    if (!box.w) return MACH_SEND_NO_BUFFER;
    Waiter& w = *box.w;
    w.kind = WaitKind::SendSlot;
    w.task = task;
    w.tid = lock.thread().tid();
    w.state = MACH_MSG_SUCCESS;
    waitlist_push(port->fullwaiters, &w);
    port_reference(port);
    WaitResult r = thread_block(lock, w, (option & MACH_SEND_TIMEOUT) ? deadline_after_ms(timeout_ms) : 0);
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    if (r == WaitResult::Woken) {
        if (w.state == MACH_SEND_INVALID_DEST) mr = MACH_SEND_INVALID_DEST;
        else mqueue_post(port, km);  // the waker reserved our slot
    } else {
        waitlist_remove(&w);
        mr = r == WaitResult::TimedOut ? MACH_SEND_TIMED_OUT
             : r == WaitResult::NoSlot ? MACH_SEND_NO_BUFFER
                                       : MACH_SEND_INTERRUPTED;
    }
    port_release(port);
    return mr;
}

mach_msg_return_t kmsg_send(IpcLock& lock, Task* task, Kmsg* km, uint64_t option, uint32_t timeout_ms) {
    Port* port = km->remote;
    MACH_ASSERT(ip_valid(port));
    // A dead destination: the message is taken and destroyed, as if delivered.
    if (!port->active) {
        port_release(port);
        kmsg_destroy_skip_remote(km);
        return MACH_MSG_SUCCESS;
    }
    bool kernel_reply = false;
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    if (ip_in_space(port, kernel_space())) {
        port->seqno++;
        km = kobject_server(lock, task, port, km);
        if (!km) return MACH_MSG_SUCCESS;
        port = km->remote;
        kernel_reply = true;
        if (!port->active) mr = MACH_SEND_INVALID_DEST;
    }
    if (mr == MACH_MSG_SUCCESS) mr = mqueue_send(lock, task, km, option, timeout_ms);
    if (mr == MACH_SEND_INVALID_DEST || (mr != MACH_MSG_SUCCESS && kernel_reply)) {
        // The destination died while we waited, or a kernel reply could not be queued: delivered and destroyed.
        port_release(port);
        kmsg_destroy_skip_remote(km);
        return MACH_MSG_SUCCESS;
    }
    return mr;
}

void mqueue_restart_receivers(Port* port) {
    auto restart = [](WaitList& l) {
        while (Waiter* w = l.head) {
            w->state = kRcvRetry;
            w->kmsg = nullptr;
            thread_wakeup(w);
        }
    };
    restart(port->receivers);
    for (uint32_t i = 0; i < port->npsets; i++) restart(port->psets[i]->receivers);
}

ReceiveResult mqueue_receive(IpcLock& lock, Task* task, int tid, mach_port_name_t name, uint64_t option,
                             uint32_t max_size, uint32_t timeout_ms) {
    ReceiveResult r;
    Space* space = task->space;
    Entry* e = space->active ? entry_lookup(space, name) : nullptr;
    if (!e || !e->obj || !e->obj->active || !(e->bits & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET))) {
        r.state = MACH_RCV_INVALID_NAME;
        return r;
    }
    Object* obj = e->obj;
    port_reference(obj);
    const uint64_t user_deadline = (option & MACH_RCV_TIMEOUT) ? deadline_after_ms(timeout_ms) : 0;
    for (bool first = true;; first = false) {
        if (!first) {
            // Back from a wait that was not for us (a timer's deadline, a re-armed timer): the name must still
            // denote what we were receiving on, else the port changed under us (THREAD_RESTART).
            e = space->active ? entry_lookup(space, name) : nullptr;
            if (!e || e->obj != obj || !obj->active ||
                !(e->bits & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET))) {
                r.state = MACH_RCV_PORT_CHANGED;
                break;
            }
        }
        mk_timer_fire_due(task);
        if (Port* port = select_port(obj)) {
            Kmsg* km = port->qhead;
            uint32_t msize;
            bool big = too_large(km, option, max_size, &msize);
            r.msize = msize;
            r.receiver_name = port->receiver_name;
            if (big && (option & MACH_RCV_LARGE)) {
                r.state = MACH_RCV_TOO_LARGE;  // left on the queue
            } else {
                dequeue(port);
                release_msgcount(port);
                r.seqno = port->seqno++;
                r.kmsg = km;
                r.state = big ? MACH_RCV_TOO_LARGE : MACH_MSG_SUCCESS;
            }
            break;
        }
        if ((option & MACH_RCV_TIMEOUT) && (timeout_ms == 0 || monotonic_ns() >= user_deadline)) {
            r.state = MACH_RCV_TIMED_OUT;
            break;
        }
        // Sleep until the caller's deadline, or the first armed timer that could give us a message.
        uint64_t deadline = user_deadline;
        if (uint64_t td = mk_timer_next_deadline(obj); td && (!deadline || td < deadline)) deadline = td;
        WaiterBox box;
        if (!box.w) {
            r.state = MACH_RCV_TIMED_OUT;  // no memory to wait with
            break;
        }
        Waiter& w = *box.w;
        w.kind = WaitKind::Receive;
        w.task = task;
        w.tid = tid;
        w.option = option;
        w.max_size = max_size;
        WaitList& wl = obj->is_pset ? static_cast<PortSet*>(obj)->receivers : static_cast<Port*>(obj)->receivers;
        waitlist_push(wl, &w);
        WaitResult wr = thread_block(lock, w, deadline);
        if (wr == WaitResult::Woken) {
            if (w.state == kRcvRetry) continue;
            r.state = w.state;
            r.kmsg = w.kmsg;
            r.msize = w.msize;
            r.seqno = w.seqno;
            r.receiver_name = w.receiver_name;
            break;
        }
        waitlist_remove(&w);
        if (wr == WaitResult::Interrupted) {
            r.state = MACH_RCV_INTERRUPTED;
            break;
        }
        if (wr == WaitResult::TimedOut && deadline != user_deadline) continue;  // a timer's deadline
        r.state = MACH_RCV_TIMED_OUT;
        break;
    }
    if (r.kmsg && ip_valid(r.kmsg->remote)) r.context = r.kmsg->remote->context;
    port_release(obj);
    return r;
}

}  // namespace mach
