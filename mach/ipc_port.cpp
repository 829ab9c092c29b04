// Ports and port sets (xnu osfmk/ipc/ipc_port.c, ipc_pset.c, ipc_notify.c).
#include <cstring>

#include "kglobals.hpp"
#include "ipc_mqueue.hpp"
#include "kobject.hpp"

namespace mach {

void port_reference(Object* o) {
    MACH_ASSERT(o->refs > 0);
    o->refs++;
}

void port_release(Object* o) {
    MACH_ASSERT(o->refs > 0);
    if (--o->refs > 0) return;
    MACH_ASSERT(!o->active);
    if (o->is_pset) kdelete(static_cast<PortSet*>(o));
    else kdelete(static_cast<Port*>(o));
}

/// Contract: the new port has one reference, held by its receive right's entry.
kern_return_t port_alloc(Space* space, mach_port_name_t* name, Port** port) {
    Port* p = knew<Port>();
    if (!p) return KERN_RESOURCE_SHORTAGE;
    Entry* e;
    kern_return_t kr = entry_alloc(space, p, name, &e);
    if (kr != KERN_SUCCESS) {
        p->active = false;
        port_release(p);
        return kr;
    }
    e->bits |= MACH_PORT_TYPE_RECEIVE;
    p->receiver = space;
    p->receiver_name = *name;
    *port = p;
    return KERN_SUCCESS;
}

kern_return_t port_alloc_name(Space* space, mach_port_name_t name, Port** port) {
    Entry* e;
    kern_return_t kr = entry_alloc_name(space, name, &e);
    if (kr != KERN_SUCCESS) return kr;
    if (ie_type(e->bits) != MACH_PORT_TYPE_NONE) return KERN_NAME_EXISTS;
    Port* p = knew<Port>();
    if (!p) {
        entry_dealloc(space, name, e);
        return KERN_RESOURCE_SHORTAGE;
    }
    e->obj = p;
    e->bits |= MACH_PORT_TYPE_RECEIVE;
    p->receiver = space;
    p->receiver_name = name;
    *port = p;
    return KERN_SUCCESS;
}

Port* port_alloc_kobject(Kotype type, void* kobject) {
    Port* p = knew<Port>();
    if (!p) return nullptr;
    p->receiver = kernel_space();
    p->kotype = type;
    p->kobject = kobject;
    p->qlimit = MACH_PORT_QLIMIT_KERNEL;
    return p;
}

Port* port_alloc_in_transit() {
    Port* p = knew<Port>();
    if (!p) return nullptr;
    p->receiver = nullptr;  // the receive right and the port's first reference travel in a message
    return p;
}

kern_return_t pset_alloc(Space* space, mach_port_name_t* name, PortSet** pset) {
    PortSet* s = knew<PortSet>();
    if (!s) return KERN_RESOURCE_SHORTAGE;
    s->is_pset = true;
    Entry* e;
    kern_return_t kr = entry_alloc(space, s, name, &e);
    if (kr != KERN_SUCCESS) {
        s->active = false;
        port_release(s);
        return kr;
    }
    e->bits |= MACH_PORT_TYPE_PORT_SET;
    s->space = space;
    s->name = *name;
    *pset = s;
    return KERN_SUCCESS;
}

kern_return_t pset_alloc_name(Space* space, mach_port_name_t name, PortSet** pset) {
    Entry* e;
    kern_return_t kr = entry_alloc_name(space, name, &e);
    if (kr != KERN_SUCCESS) return kr;
    if (ie_type(e->bits) != MACH_PORT_TYPE_NONE) return KERN_NAME_EXISTS;
    PortSet* s = knew<PortSet>();
    if (!s) {
        entry_dealloc(space, name, e);
        return KERN_RESOURCE_SHORTAGE;
    }
    s->is_pset = true;
    e->obj = s;
    e->bits |= MACH_PORT_TYPE_PORT_SET;
    s->space = space;
    s->name = name;
    *pset = s;
    return KERN_SUCCESS;
}

// Threads waiting on a port or set whose queue changed under them (moved, destroyed): THREAD_RESTART, which
// ipc_mqueue_receive_results reports as MACH_RCV_PORT_CHANGED.
static void wake_receivers_changed(WaitList& l) {
    while (Waiter* w = l.head) {
        w->state = MACH_RCV_PORT_CHANGED;
        w->kmsg = nullptr;
        thread_wakeup(w);
    }
}

template <typename T>
static bool array_add(T**& arr, uint32_t& n, uint32_t& cap, T* v) {
    if (n == cap) {
        uint32_t ncap = cap ? cap * 2 : 4;
        auto** na = static_cast<T**>(kalloc(sizeof(T*) * ncap));
        if (!na) return false;
        for (uint32_t i = 0; i < n; i++) na[i] = arr[i];
        kfree(arr);
        arr = na;
        cap = ncap;
    }
    arr[n++] = v;
    return true;
}

template <typename T>
static bool array_remove(T** arr, uint32_t& n, T* v) {
    for (uint32_t i = 0; i < n; i++)
        if (arr[i] == v) {
            for (uint32_t j = i + 1; j < n; j++) arr[j - 1] = arr[j];
            n--;
            return true;
        }
    return false;
}

/// ipc_mqueue_add_locked: links the port to the set; messages already queued on the port go to threads waiting
/// on the set.
kern_return_t pset_add(PortSet* pset, Port* port) {
    MACH_ASSERT(pset->active && port->active);
    for (uint32_t i = 0; i < port->npsets; i++)
        if (port->psets[i] == pset) return KERN_ALREADY_IN_SET;
    if (!array_add(port->psets, port->npsets, port->cap_psets, pset)) return KERN_RESOURCE_SHORTAGE;
    if (!array_add(pset->members, pset->nmembers, pset->cap_members, port)) {
        array_remove(port->psets, port->npsets, pset);
        return KERN_RESOURCE_SHORTAGE;
    }
    mqueue_match_set_waiters(port, pset);
    if (mk_timer_armed(port)) {
        // Receivers blocked on the set sleep again, no longer than the timer's deadline.
        while (Waiter* w = pset->receivers.head) {
            w->state = kRcvRetry;
            thread_wakeup(w);
        }
    }
    return KERN_SUCCESS;
}

bool pset_remove(PortSet* pset, Port* port) {
    if (!array_remove(port->psets, port->npsets, pset)) return false;
    MACH_ASSERT(array_remove(pset->members, pset->nmembers, port));
    return true;
}

void port_leave_all_psets(Port* port) {
    while (port->npsets) pset_remove(port->psets[0], port);
    kfree(port->psets);
    port->psets = nullptr;
    port->cap_psets = 0;
}

/// Contract: consumes the entry's reference on the set. Members leave it; waiting receivers are sent away.
void pset_destroy(PortSet* pset) {
    MACH_ASSERT(pset->active);
    while (pset->nmembers) pset_remove(pset, pset->members[0]);
    kfree(pset->members);
    pset->members = nullptr;
    pset->cap_members = 0;
    pset->active = false;
    wake_receivers_changed(pset->receivers);
    port_release(pset);
}

void port_make_send(Port* port) {
    port->mscount++;
    port->srights++;
    port->refs++;
}

void port_copy_send(Port* port) {
    MACH_ASSERT(port->srights > 0);
    port->srights++;
    port->refs++;
}

void port_make_send_once(Port* port) {
    port->sorights++;
    port->refs++;
}

bool port_full(const Port* port) { return port->msgcount >= port->qlimit; }

/// Contract: consumes one send right and its reference.
void port_release_send(Port* port) {
    MACH_ASSERT(port->srights > 0);
    port->srights--;
    if (port->srights == 0) notify_no_senders_check(port);
    port_release(port);
}

/// Contract: consumes one send-once right and its reference (no notification).
void port_release_send_once(Port* port) {
    MACH_ASSERT(port->sorights > 0);
    port->sorights--;
    port_release(port);
}

/// Contract: consumes a receive right in transit (with its reference): the port is destroyed.
void port_release_receive(Port* port) {
    MACH_ASSERT(port->receiver == nullptr);
    port_destroy(port);
}

// ipc_port_clear_receiver without destruction: the receive right leaves its space (moved into a message).
void port_clear_receiver(Port* port) {
    port_leave_all_psets(port);
    wake_receivers_changed(port->receivers);
    port->receiver = nullptr;
    port->receiver_name = 0;
    port->mscount = 0;
    port->seqno = 0;
    port->context = 0;
    port->guarded = port->strict_guard = false;
    port->immovable_receive = false;
}

// Dead-name notifications for every registered name (ipc_port_dnnotify): each carries its send-once right.
static void dnnotify(Port* port) {
    while (DeadNameRequest* r = port->dnrequests) {
        port->dnrequests = r->next;
        Port* notify = r->notify;
        mach_port_name_t name = r->name;
        kdelete(r);
        if (!ip_valid(notify)) continue;
        Kmsg* km = kmsg_kernel(notify, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_NOTIFY_DEAD_NAME, 12);
        if (!km) {
            port_release_send_once(notify);
            continue;
        }
        memcpy(km->body, &NDR_record, sizeof NDR_record);
        memcpy(km->body + 8, &name, 4);
        kmsg_post_kernel(km);
    }
}


/// Contract: consumes the receive right and the reference that goes with it. Queued messages are destroyed,
/// receivers sent away, a pending no-senders request gets its send-once notification, dead-name requests fire.
void port_destroy(Port* port) {
    MACH_ASSERT(port->active);
    if (Port* pd = port->pdrequest) {
        // MACH_NOTIFY_PORT_DESTROYED: the receive right goes to the requester instead, queue and all.
        port->pdrequest = nullptr;
        port_clear_receiver(port);
        Kmsg* km = kmsg_alloc(1, 0, 0);
        if (km) {
            km->bits = msgh_bits_set(MACH_MSG_TYPE_PORT_SEND_ONCE, 0, 0, MACH_MSGH_BITS_COMPLEX);
            km->remote = pd;
            km->header_rights_in = 1;
            km->id = MACH_NOTIFY_PORT_DESTROYED;
            km->sender = security_token_t{{0, 1}};
            km->descs[0].type = MACH_MSG_PORT_DESCRIPTOR;
            km->descs[0].disposition = MACH_MSG_TYPE_PORT_RECEIVE;
            km->descs[0].port = port;
            km->descs_in = 1;
            kmsg_post_kernel(km);
            return;
        }
        notify_send_once(pd);
    }
    port_leave_all_psets(port);
    wake_receivers_changed(port->receivers);
    port->active = false;
    port->receiver = nullptr;
    port->receiver_name = 0;
    port->mscount = 0;
    port->context = 0;
    port->guarded = port->strict_guard = false;
    port->death_time = ++kg().death_clock;
    // Senders blocked on the full queue: THREAD_RESTART, reported as MACH_SEND_INVALID_DEST (the message is
    // then destroyed as if delivered).
    while (Waiter* w = port->fullwaiters.head) {
        w->state = MACH_SEND_INVALID_DEST;
        thread_wakeup(w);
    }
    while (Kmsg* km = port->qhead) {
        port->qhead = km->next;
        km->next = nullptr;
        kmsg_destroy(km);
    }
    port->qtail = nullptr;
    port->msgcount = 0;
    if (Port* ns = port->nsrequest) {
        port->nsrequest = nullptr;
        notify_send_once(ns);
    }
    dnnotify(port);
    if (port->kotype == Kotype::Timer) mk_timer_port_destroyed(port);
    port_release(port);
}

/// Contract: consumes a send-once right (and its reference): a MACH_NOTIFY_SEND_ONCE message goes to the port,
/// unless it is dead, a kernel port, or its queue is at the kernel limit (ipc_notify_send_once_and_unlock).
void notify_send_once(Port* port) {
    MACH_ASSERT(port->sorights > 0);
    if (!port->active || ip_in_space(port, kernel_space()) || port->msgcount >= MACH_PORT_QLIMIT_KERNEL) {
        port_release_send_once(port);
        return;
    }
    Kmsg* km = kmsg_kernel(port, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_NOTIFY_SEND_ONCE, 0);
    if (!km) {
        port_release_send_once(port);
        return;
    }
    kmsg_post_kernel(km);
}

// The last send right is gone: a registered no-senders request fires with the make-send count; kernel
// objects learn it too (semaphores are freed that way).
void notify_no_senders_check(Port* port) {
    MACH_ASSERT(port->srights == 0);
    if (port->kotype != Kotype::None) {
        kobject_no_senders(port);
        return;
    }
    Port* notify = port->nsrequest;
    if (!notify) return;
    port->nsrequest = nullptr;
    if (!notify->active) {
        port_release_send_once(notify);
        return;
    }
    Kmsg* km = kmsg_kernel(notify, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_NOTIFY_NO_SENDERS, 12);
    if (!km) {
        port_release_send_once(notify);
        return;
    }
    memcpy(km->body, &NDR_record, sizeof NDR_record);
    memcpy(km->body + 8, &port->mscount, 4);
    kmsg_post_kernel(km);
}

}  // namespace mach
