// Rights: what a name denotes and how rights move (xnu osfmk/ipc/ipc_right.c, ipc_object.c).
//
// Reference model: an entry naming a port holds one reference on it, whatever rights it has; a right held
// outside any space (in a message, in the kernel's hands) holds one reference per right. srights and sorights
// count rights wherever they are (an entry's send right counts once, whatever its user references).
#include <cstring>

#include "ipc_kmsg.hpp"
#include "task.hpp"

namespace mach {
namespace {

bool urefs_overflow(uint32_t urefs, int32_t delta) {
    return delta > 0 && (urefs + uint32_t(delta) <= urefs || urefs + uint32_t(delta) >= MACH_PORT_UREFS_MAX);
}
bool urefs_underflow(uint32_t urefs, int32_t delta) { return delta < 0 && uint32_t(-int64_t(delta)) > urefs; }

// ipc_right_request_cancel: the dead-name request registered for this name, if any (its send-once right).
Port* request_cancel(Port* port, mach_port_name_t name, Entry* entry) {
    if (!entry->request) return nullptr;
    entry->request = 0;
    for (DeadNameRequest** p = &port->dnrequests; *p; p = &(*p)->next) {
        if ((*p)->name == name) {
            DeadNameRequest* r = *p;
            *p = r->next;
            Port* notify = r->notify;
            kdelete(r);
            return notify;
        }
    }
    return nullptr;
}

// A port-deleted notification (MACH_NOTIFY_PORT_DELETED) for a cancelled dead-name request.
/// Contract: consumes the send-once right `notify`.
void notify_port_deleted(Port* notify, mach_port_name_t name) {
    if (!notify) return;
    if (!notify->active) {
        port_release_send_once(notify);
        return;
    }
    Kmsg* km = kmsg_kernel(notify, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_NOTIFY_PORT_DELETED, 12);
    if (!km) {
        port_release_send_once(notify);
        return;
    }
    memcpy(km->body, &NDR_record, sizeof NDR_record);
    memcpy(km->body + 8, &name, 4);
    kmsg_post_kernel(km);
}

// The receive right under `name` goes and the port is destroyed (ipc_right_delta and ipc_right_destruct
// share this): a send right under the same name stays (if a port-destroyed request takes the receive right)
// or becomes a dead name; otherwise the entry is freed and its dead-name request cancelled.
kern_return_t drop_receive(Space* space, mach_port_name_t name, Entry* entry, Port* port) {
    uint32_t bits = entry->bits;
    Port* request = nullptr;
    if ((bits & MACH_PORT_TYPE_SEND) && port->pdrequest) {
        // The receive right moves on to the port-destroyed requester: the send right stays.
        entry->bits = (bits & ~MACH_PORT_TYPE_RECEIVE) | MACH_PORT_TYPE_EX_RECEIVE;
        reverse_insert(space, port, name);
        port_reference(port);
    } else if (bits & MACH_PORT_TYPE_SEND) {
        // The remaining send right turns into a dead name; the port is destroyed "first", so no no-senders
        // notification. A pending dead-name request brings its user reference along.
        bits = (bits & ~IE_BITS_TYPE_MASK) | MACH_PORT_TYPE_DEAD_NAME | MACH_PORT_TYPE_EX_RECEIVE;
        if (entry->request) {
            entry->request = 0;
            if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) bits++;
        }
        entry->bits = bits;
        entry->obj = nullptr;
    } else {
        request = request_cancel(port, name, entry);
        entry_dealloc(space, name, entry);
    }
    port_destroy(port);
    notify_port_deleted(request, name);
    return KERN_SUCCESS;
}

}  // namespace

void guard_exception(Space* space, mach_port_name_t name, uint64_t payload, uint32_t reason) {
    if (reason > MAX_FATAL_kGUARD_EXC_CODE || !space || !space->task) return;
    Task* task = space->task;
    if (task->fatal_guard) return;
    task->fatal_guard = true;
    task->guard_reason = reason;
    task->guard_name = name;
    task->guard_payload = payload;
}

/// ipc_right_check: a send or send-once right whose port died becomes a dead name. Returns true then, having
/// released the entry's reference on the port (the caller must not use `port` afterwards).
bool right_check(Space* space, Port* port, mach_port_name_t name, Entry* entry, uint32_t flags) {
    (void)name;
    MACH_ASSERT(entry->obj == port);
    if (port->active ||
        ((flags & COPYIN_ALLOW_DEAD_SEND_ONCE) && entry->request == 0 && (entry->bits & MACH_PORT_TYPE_SEND_ONCE)))
        return false;
    uint32_t bits = entry->bits;
    MACH_ASSERT(!(bits & MACH_PORT_TYPE_RECEIVE) && ie_urefs(bits) > 0);
    if (bits & MACH_PORT_TYPE_SEND) {
        MACH_ASSERT(port->srights > 0);
        port->srights--;
        reverse_delete(space, port);
    } else {
        MACH_ASSERT(port->sorights > 0);
        port->sorights--;
    }
    bits = (bits & ~IE_BITS_TYPE_MASK) | MACH_PORT_TYPE_DEAD_NAME;
    if (entry->request) {
        // The dead-name notification already went out with a user reference of its own.
        if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) bits++;
        entry->request = 0;
    }
    entry->bits = bits;
    entry->obj = nullptr;
    port_release(port);
    return true;
}

/// ipc_right_destroy (mach_port_destroy): every right the name denotes goes.
kern_return_t right_destroy(Space* space, mach_port_name_t name, Entry* entry, bool check_guard, uint64_t guard) {
    uint32_t type = ie_type(entry->bits);
    switch (type) {
        case MACH_PORT_TYPE_DEAD_NAME:
            entry->request = 0;
            entry_dealloc(space, name, entry);
            return KERN_SUCCESS;
        case MACH_PORT_TYPE_PORT_SET: {
            auto* pset = static_cast<PortSet*>(entry->obj);
            entry_dealloc(space, name, entry);
            pset_destroy(pset);
            return KERN_SUCCESS;
        }
        case MACH_PORT_TYPE_SEND:
        case MACH_PORT_TYPE_RECEIVE:
        case MACH_PORT_TYPE_SEND_RECEIVE:
        case MACH_PORT_TYPE_SEND_ONCE: {
            auto* port = static_cast<Port*>(entry->obj);
            if (type == MACH_PORT_TYPE_SEND) reverse_delete(space, port);
            if (!port->active) {
                entry->request = 0;
                entry_dealloc(space, name, entry);
                port_release(port);
                return KERN_SUCCESS;
            }
            if ((type & MACH_PORT_TYPE_RECEIVE) && check_guard && port->guarded && guard != port->context) {
                guard_exception(space, name, port->context, kGUARD_EXC_DESTROY);
                return KERN_INVALID_RIGHT;
            }
            Port* request = request_cancel(port, name, entry);
            entry_dealloc(space, name, entry);
            if (type & MACH_PORT_TYPE_SEND) {
                MACH_ASSERT(port->srights > 0);
                port->srights--;
                if (port->srights == 0) notify_no_senders_check(port);
            }
            if (type & MACH_PORT_TYPE_RECEIVE) port_destroy(port);
            else if (type & MACH_PORT_TYPE_SEND_ONCE) notify_send_once(port);
            else port_release(port);
            notify_port_deleted(request, name);
            return KERN_SUCCESS;
        }
        default: kernel_panic("right_destroy: strange type", __FILE__, __LINE__);
    }
}

/// ipc_right_dealloc (mach_port_deallocate): one user reference of a send, send-once, dead-name or port-set
/// right.
kern_return_t right_dealloc(Space* space, mach_port_name_t name, Entry* entry) {
    uint32_t bits = entry->bits;
    switch (ie_type(bits)) {
        case MACH_PORT_TYPE_PORT_SET: {
            auto* pset = static_cast<PortSet*>(entry->obj);
            entry_dealloc(space, name, entry);
            pset_destroy(pset);
            return KERN_SUCCESS;
        }
        case MACH_PORT_TYPE_SEND_ONCE: {
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry)) {
                bits = entry->bits;
                goto dead_name;
            }
            Port* request = request_cancel(port, name, entry);
            entry_dealloc(space, name, entry);
            notify_send_once(port);
            notify_port_deleted(request, name);
            return KERN_SUCCESS;
        }
        case MACH_PORT_TYPE_SEND: {
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry)) {
                bits = entry->bits;
                goto dead_name;
            }
            if (ie_urefs(bits) == 1) {
                Port* request = request_cancel(port, name, entry);
                reverse_delete(space, port);
                entry_dealloc(space, name, entry);
                port_release_send(port);
                notify_port_deleted(request, name);
            } else if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) {
                entry->bits = bits - 1;
            }
            return KERN_SUCCESS;
        }
        case MACH_PORT_TYPE_SEND_RECEIVE: {
            auto* port = static_cast<Port*>(entry->obj);
            MACH_ASSERT(port->active && port->srights > 0);
            if (ie_urefs(bits) == 1) {
                entry->bits = bits & ~(IE_BITS_UREFS_MASK | MACH_PORT_TYPE_SEND);
                port->srights--;
                if (port->srights == 0) notify_no_senders_check(port);
            } else if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) {
                entry->bits = bits - 1;
            }
            return KERN_SUCCESS;
        }
        case MACH_PORT_TYPE_DEAD_NAME:
        dead_name:
            MACH_ASSERT(ie_urefs(bits) > 0);
            if (ie_urefs(bits) == 1) entry_dealloc(space, name, entry);
            else if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) entry->bits = bits - 1;
            return KERN_SUCCESS;
        default:
            guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
            return KERN_INVALID_RIGHT;
    }
}

/// ipc_right_delta (mach_port_mod_refs).
kern_return_t right_delta(Space* space, mach_port_name_t name, Entry* entry, mach_port_right_t right, int32_t delta) {
    uint32_t bits = entry->bits;
    MACH_ASSERT(right < MACH_PORT_RIGHT_NUMBER);
    switch (right) {
        case MACH_PORT_RIGHT_PORT_SET: {
            if (!(bits & MACH_PORT_TYPE_PORT_SET)) {
                guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                return KERN_INVALID_RIGHT;
            }
            if (delta == 0) return KERN_SUCCESS;
            if (delta != -1) goto invalid_value;
            auto* pset = static_cast<PortSet*>(entry->obj);
            entry_dealloc(space, name, entry);
            pset_destroy(pset);
            return KERN_SUCCESS;
        }
        case MACH_PORT_RIGHT_RECEIVE: {
            if (!(bits & MACH_PORT_TYPE_RECEIVE)) {
                if (!(bits & MACH_PORT_TYPE_EX_RECEIVE)) guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                return KERN_INVALID_RIGHT;
            }
            if (delta == 0) return KERN_SUCCESS;
            if (delta != -1) goto invalid_value;
            auto* port = static_cast<Port*>(entry->obj);
            MACH_ASSERT(port->active && ip_in_space(port, space));
            if (port->guarded) {
                guard_exception(space, name, port->context, kGUARD_EXC_DESTROY);
                return KERN_INVALID_RIGHT;
            }
            return drop_receive(space, name, entry, port);
        }
        case MACH_PORT_RIGHT_SEND_ONCE: {
            if (!(bits & MACH_PORT_TYPE_SEND_ONCE)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry)) {
                guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                return KERN_INVALID_RIGHT;
            }
            if (delta > 0 || delta < -1) goto invalid_value;
            if (delta == 0) return KERN_SUCCESS;
            Port* request = request_cancel(port, name, entry);
            entry_dealloc(space, name, entry);
            notify_send_once(port);
            notify_port_deleted(request, name);
            return KERN_SUCCESS;
        }
        case MACH_PORT_RIGHT_DEAD_NAME: {
            if (bits & MACH_PORT_TYPE_SEND_RIGHTS) {
                auto* port = static_cast<Port*>(entry->obj);
                if (!right_check(space, port, name, entry)) {
                    guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                    return KERN_INVALID_RIGHT;
                }
                bits = entry->bits;
            } else if (!(bits & MACH_PORT_TYPE_DEAD_NAME)) {
                guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                return KERN_INVALID_RIGHT;
            }
            if (delta > int32_t(MACH_PORT_UREFS_MAX) || delta < -int32_t(MACH_PORT_UREFS_MAX)) goto invalid_value;
            uint32_t urefs = ie_urefs(bits);
            if (urefs == MACH_PORT_UREFS_MAX) {
                if (delta != -int32_t(MACH_PORT_UREFS_MAX)) delta = 0;
            } else {
                if (urefs_underflow(urefs, delta)) goto invalid_value;
                if (urefs_overflow(urefs, delta)) delta = int32_t(MACH_PORT_UREFS_MAX - urefs);
            }
            if (int64_t(urefs) + delta == 0) entry_dealloc(space, name, entry);
            else if (delta != 0) entry->bits = uint32_t(int64_t(bits) + delta);
            return KERN_SUCCESS;
        }
        case MACH_PORT_RIGHT_SEND: {
            if (!(bits & MACH_PORT_TYPE_SEND)) {
                if (!(bits & MACH_PORT_TYPE_DEAD_NAME) && (!(bits & MACH_PORT_TYPE_RECEIVE) || delta != 1))
                    guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                return KERN_INVALID_RIGHT;
            }
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry)) return KERN_INVALID_RIGHT;
            if (delta > int32_t(MACH_PORT_UREFS_MAX) || delta < -int32_t(MACH_PORT_UREFS_MAX)) goto invalid_value;
            uint32_t urefs = ie_urefs(bits);
            if (urefs == MACH_PORT_UREFS_MAX) {
                if (delta != -int32_t(MACH_PORT_UREFS_MAX)) delta = 0;
            } else {
                if (urefs_underflow(urefs, delta)) goto invalid_value;
                if (urefs_overflow(urefs, delta)) delta = int32_t(MACH_PORT_UREFS_MAX - urefs);
            }
            if (int64_t(urefs) + delta == 0) {
                if (bits & MACH_PORT_TYPE_RECEIVE) {
                    entry->bits = bits & ~(IE_BITS_UREFS_MASK | MACH_PORT_TYPE_SEND);
                    port->srights--;
                    if (port->srights == 0) notify_no_senders_check(port);
                } else {
                    Port* request = request_cancel(port, name, entry);
                    reverse_delete(space, port);
                    entry_dealloc(space, name, entry);
                    port_release_send(port);
                    notify_port_deleted(request, name);
                }
            } else if (delta != 0) {
                entry->bits = uint32_t(int64_t(bits) + delta);
            }
            return KERN_SUCCESS;
        }
        default: return KERN_INVALID_RIGHT;  // MACH_PORT_RIGHT_LABELH
    }
invalid_value:
    guard_exception(space, name, 0, kGUARD_EXC_INVALID_VALUE);
    return KERN_INVALID_VALUE;
}

/// ipc_right_destruct (mach_port_destruct): the receive right goes, after srdelta (<= 0) send references.
kern_return_t right_destruct(Space* space, mach_port_name_t name, Entry* entry, int32_t srdelta, uint64_t guard) {
    uint32_t bits = entry->bits;
    if (!(bits & MACH_PORT_TYPE_RECEIVE)) {
        if (!(bits & MACH_PORT_TYPE_EX_RECEIVE)) guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
        return KERN_INVALID_RIGHT;
    }
    if (srdelta && !(bits & MACH_PORT_TYPE_SEND)) {
        guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
        return KERN_INVALID_RIGHT;
    }
    if (srdelta > 0) {
        guard_exception(space, name, 0, kGUARD_EXC_INVALID_VALUE);
        return KERN_INVALID_VALUE;
    }
    auto* port = static_cast<Port*>(entry->obj);
    MACH_ASSERT(port->active && ip_in_space(port, space));
    if (port->guarded && guard != port->context) {
        guard_exception(space, name, port->context, kGUARD_EXC_DESTROY);
        return KERN_INVALID_ARGUMENT;
    }
    if (srdelta) {
        uint32_t urefs = ie_urefs(bits);
        if (urefs_underflow(urefs, srdelta)) {
            guard_exception(space, name, 0, kGUARD_EXC_INVALID_VALUE);
            return KERN_INVALID_VALUE;
        }
        if (urefs == MACH_PORT_UREFS_MAX && srdelta != -int32_t(MACH_PORT_UREFS_MAX)) srdelta = 0;
        if (int64_t(urefs) + srdelta == 0) {
            entry->bits = bits & ~(IE_BITS_UREFS_MASK | MACH_PORT_TYPE_SEND);
            port->srights--;
            if (port->srights == 0) notify_no_senders_check(port);
        } else {
            entry->bits = uint32_t(int64_t(bits) + srdelta);
        }
    }
    return drop_receive(space, name, entry, port);
}

/// ipc_right_info (mach_port_type, mach_port_get_refs): the type bits, with dead ports found out.
void right_info(Space* space, mach_port_name_t name, Entry* entry, uint32_t* type, uint32_t* urefs) {
    uint32_t bits = entry->bits;
    uint32_t t = 0;
    if (bits & MACH_PORT_TYPE_RECEIVE) {
        if (entry->request) t |= MACH_PORT_TYPE_DNREQUEST;
    } else if (bits & MACH_PORT_TYPE_SEND_RIGHTS) {
        auto* port = static_cast<Port*>(entry->obj);
        if (!right_check(space, port, name, entry)) {
            if (entry->request) t |= MACH_PORT_TYPE_DNREQUEST;
        } else {
            bits = entry->bits;
        }
    }
    *type = t | ie_type(bits);
    *urefs = ie_urefs(bits);
}

/// ipc_right_copyin_check_reply: would copying in the reply port succeed?
bool right_copyin_check_reply(Space* space, Entry* reply_entry, mach_msg_type_name_t reply_type) {
    (void)space;
    uint32_t bits = reply_entry->bits;
    switch (reply_type) {
        case MACH_MSG_TYPE_MAKE_SEND:
        case MACH_MSG_TYPE_MAKE_SEND_ONCE: return (bits & MACH_PORT_TYPE_RECEIVE) != 0;
        case MACH_MSG_TYPE_MOVE_RECEIVE: return false;
        case MACH_MSG_TYPE_COPY_SEND:
        case MACH_MSG_TYPE_MOVE_SEND:
        case MACH_MSG_TYPE_MOVE_SEND_ONCE: {
            if (bits & MACH_PORT_TYPE_DEAD_NAME) return true;
            if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS)) return false;
            auto* port = static_cast<Port*>(reply_entry->obj);
            if (!port->active) return true;
            if (reply_type == MACH_MSG_TYPE_MOVE_SEND_ONCE) return (bits & MACH_PORT_TYPE_SEND_ONCE) != 0;
            return (bits & MACH_PORT_TYPE_SEND) != 0;
        }
        default: return false;
    }
}

/// ipc_right_copyin: takes a right out of the entry into the caller's hands. On success the caller holds one
/// reference per right it got (none for IP_DEAD); the entry is deallocated when it is left with no rights.
kern_return_t right_copyin(Space* space, mach_port_name_t name, Entry* entry, mach_msg_type_name_t msgt,
                           uint32_t flags, Port** portp) {
    uint32_t moves = (flags & COPYIN_DEST_EXTRA_MOVE) ? 2 : 1;
    bool deadok = flags & COPYIN_DEADOK;
    uint32_t bits = entry->bits;
    *portp = nullptr;
    switch (msgt) {
        case MACH_MSG_TYPE_MAKE_SEND: {
            if (!(bits & MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            port_make_send(port);
            *portp = port;
            return KERN_SUCCESS;
        }
        case MACH_MSG_TYPE_MAKE_SEND_ONCE: {
            if (!(bits & MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            port_make_send_once(port);
            *portp = port;
            return KERN_SUCCESS;
        }
        case MACH_MSG_TYPE_MOVE_RECEIVE: {
            if (!(bits & MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            MACH_ASSERT(port->active && ip_in_space(port, space) && port->receiver_name == name);
            if (port->kotype != Kotype::None || port->immovable_receive) {
                guard_exception(space, name, 0, kGUARD_EXC_IMMOVABLE);
                return KERN_INVALID_CAPABILITY;
            }
            Port* request = nullptr;
            if (bits & MACH_PORT_TYPE_SEND) {
                entry->bits = (bits & ~MACH_PORT_TYPE_RECEIVE) | MACH_PORT_TYPE_EX_RECEIVE;
                reverse_insert(space, port, name);
                port_reference(port);
            } else {
                request = request_cancel(port, name, entry);
                entry_dealloc(space, name, entry);
            }
            port_clear_receiver(port);
            *portp = port;
            notify_port_deleted(request, name);
            return KERN_SUCCESS;
        }
        case MACH_MSG_TYPE_COPY_SEND: {
            if (bits & MACH_PORT_TYPE_DEAD_NAME) goto copy_dead;
            if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry)) goto copy_dead;
            if (!(bits & MACH_PORT_TYPE_SEND)) return KERN_INVALID_RIGHT;
            port_copy_send(port);
            if (flags & COPYIN_DEST_EXTRA_COPY) port_copy_send(port);
            *portp = port;
            return KERN_SUCCESS;
        }
        case MACH_MSG_TYPE_MOVE_SEND: {
            if (bits & MACH_PORT_TYPE_DEAD_NAME) goto move_dead;
            if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry)) {
                bits = entry->bits;
                goto move_dead;
            }
            if (!(bits & MACH_PORT_TYPE_SEND) || ie_urefs(bits) < moves) return KERN_INVALID_RIGHT;
            Port* request = nullptr;
            if (ie_urefs(bits) == moves) {
                if (bits & MACH_PORT_TYPE_RECEIVE) {
                    // The entry keeps the receive right (and its reference): the moved right needs its own.
                    entry->bits = bits & ~(IE_BITS_UREFS_MASK | MACH_PORT_TYPE_SEND);
                    port_reference(port);
                } else {
                    // The entry dies: its reference goes with the right.
                    request = request_cancel(port, name, entry);
                    reverse_delete(space, port);
                    entry_dealloc(space, name, entry);
                }
            } else {
                port_copy_send(port);
                if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) entry->bits = bits - moves;
            }
            if (flags & (COPYIN_DEST_EXTRA_COPY | COPYIN_DEST_EXTRA_MOVE)) port_copy_send(port);
            *portp = port;
            notify_port_deleted(request, name);
            return KERN_SUCCESS;
        }
        case MACH_MSG_TYPE_MOVE_SEND_ONCE: {
            if (bits & MACH_PORT_TYPE_DEAD_NAME) goto move_dead;
            if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS)) return KERN_INVALID_RIGHT;
            auto* port = static_cast<Port*>(entry->obj);
            if (right_check(space, port, name, entry, flags)) {
                bits = entry->bits;
                goto move_dead;
            }
            if (!(bits & MACH_PORT_TYPE_SEND_ONCE)) return KERN_INVALID_RIGHT;
            Port* request = request_cancel(port, name, entry);
            entry_dealloc(space, name, entry);
            *portp = port;
            notify_port_deleted(request, name);
            return KERN_SUCCESS;
        }
        default: return KERN_INVALID_RIGHT;
    }
copy_dead:
    if (!deadok) return KERN_INVALID_RIGHT;
    *portp = IP_DEAD;
    return KERN_SUCCESS;
move_dead:
    if (!deadok || ie_urefs(bits) < moves) return KERN_INVALID_RIGHT;
    if (ie_urefs(bits) == moves) entry_dealloc(space, name, entry);
    else if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) entry->bits = bits - moves;
    *portp = IP_DEAD;
    return KERN_SUCCESS;
}

/// ipc_right_copyout: puts a right into an entry (new, or the one already naming the port).
/// Contract: consumes the right and its reference; `port` is active.
void right_copyout(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t name, Entry* entry) {
    MACH_ASSERT(port->active);
    uint32_t bits = entry->bits;
    switch (msgt) {
        case MACH_MSG_TYPE_PORT_SEND_ONCE:
            MACH_ASSERT(ie_type(bits) == 0 && port->sorights > 0);
            entry->obj = port;
            entry->bits = bits | MACH_PORT_TYPE_SEND_ONCE | 1;
            return;
        case MACH_MSG_TYPE_PORT_SEND:
            MACH_ASSERT(port->srights > 0);
            if (bits & MACH_PORT_TYPE_SEND) {
                // The entry already counts one send right and holds a reference: merge.
                MACH_ASSERT(port->srights > 1);
                port->srights--;
                port_release(port);
                if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) entry->bits = bits + 1;
                return;
            }
            if (bits & MACH_PORT_TYPE_RECEIVE) {
                port_release(port);  // the entry's reference covers it
            } else {
                MACH_ASSERT(ie_type(bits) == 0);
                entry->obj = port;
                reverse_insert(space, port, name);
            }
            entry->bits = (bits | MACH_PORT_TYPE_SEND) + 1;
            return;
        case MACH_MSG_TYPE_PORT_RECEIVE:
            MACH_ASSERT(port->receiver == nullptr && port->mscount == 0);
            port->receiver = space;
            port->receiver_name = name;
            port->in_transit = nullptr;
            if (bits & MACH_PORT_TYPE_SEND) {
                MACH_ASSERT(entry->obj == port);
                port_release(port);
                reverse_delete(space, port);
            } else {
                MACH_ASSERT(ie_type(bits) == 0);
                entry->obj = port;
            }
            entry->bits = (bits | MACH_PORT_TYPE_RECEIVE) & ~MACH_PORT_TYPE_EX_RECEIVE;
            return;
        default: kernel_panic("right_copyout: strange right", __FILE__, __LINE__);
    }
}

mach_msg_type_name_t object_copyin_type(mach_msg_type_name_t msgt) {
    switch (msgt) {
        case MACH_MSG_TYPE_MOVE_RECEIVE: return MACH_MSG_TYPE_PORT_RECEIVE;
        case MACH_MSG_TYPE_MOVE_SEND_ONCE:
        case MACH_MSG_TYPE_MAKE_SEND_ONCE: return MACH_MSG_TYPE_PORT_SEND_ONCE;
        case MACH_MSG_TYPE_MOVE_SEND:
        case MACH_MSG_TYPE_MAKE_SEND:
        case MACH_MSG_TYPE_COPY_SEND: return MACH_MSG_TYPE_PORT_SEND;
        default: return MACH_MSG_TYPE_PORT_NONE;
    }
}

/// ipc_object_copyin: dead names are accepted (IP_DEAD).
kern_return_t object_copyin(Space* space, mach_port_name_t name, mach_msg_type_name_t msgt, uint32_t flags,
                            Port** port) {
    (void)flags;
    if (!space->active) return KERN_INVALID_TASK;
    Entry* e = entry_lookup(space, name);
    if (!e) return KERN_INVALID_NAME;
    return right_copyin(space, name, e, msgt, COPYIN_DEADOK, port);
}

/// ipc_object_copyout. Contract: consumes the right, whatever happens (a dead port gives KERN_INVALID_CAPABILITY
/// and is destroyed).
kern_return_t object_copyout(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t* namep) {
    MACH_ASSERT(ip_valid(port));
    if (!space->active) {
        object_destroy(port, msgt);
        return KERN_INVALID_TASK;
    }
    if (!port->active) {
        object_destroy(port, msgt);
        return KERN_INVALID_CAPABILITY;
    }
    mach_port_name_t name;
    Entry* e;
    if (!(msgt != MACH_MSG_TYPE_PORT_SEND_ONCE && right_reverse(space, port, &name, &e))) {
        kern_return_t kr = entry_alloc(space, nullptr, &name, &e);
        if (kr != KERN_SUCCESS) {
            object_destroy(port, msgt);
            return kr;
        }
    }
    right_copyout(space, port, msgt, name, e);
    *namep = name;
    return KERN_SUCCESS;
}

/// ipc_object_copyout_name: the right goes under a name the caller chose. Does not consume the right on failure.
kern_return_t object_copyout_name(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t name) {
    Entry* e;
    kern_return_t kr = entry_alloc_name(space, name, &e);
    if (kr != KERN_SUCCESS) return kr;
    bool inuse = ie_type(e->bits) != MACH_PORT_TYPE_NONE;
    if (!port->active) {
        if (!inuse) entry_dealloc(space, name, e);
        return KERN_INVALID_CAPABILITY;
    }
    mach_port_name_t oname;
    Entry* oe;
    if (msgt != MACH_MSG_TYPE_PORT_SEND_ONCE && right_reverse(space, port, &oname, &oe)) {
        if (name != oname) {
            if (!inuse) entry_dealloc(space, name, e);
            return KERN_RIGHT_EXISTS;
        }
        MACH_ASSERT(oe == e);
    } else if (inuse) {
        return KERN_NAME_EXISTS;
    }
    right_copyout(space, port, msgt, name, e);
    return KERN_SUCCESS;
}

/// ipc_object_copyout_dest: the destination right of a received message is consumed; the receiver learns the
/// name of its receive right (or MACH_PORT_NULL if it no longer holds it).
void object_copyout_dest(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t* namep) {
    MACH_ASSERT(port->active);
    switch (msgt) {
        case MACH_MSG_TYPE_PORT_SEND:
            *namep = ip_in_space(port, space) ? port->receiver_name : MACH_PORT_NULL;
            port_release_send(port);
            return;
        case MACH_MSG_TYPE_PORT_SEND_ONCE:
            if (ip_in_space(port, space)) {
                *namep = port->receiver_name;
                port_release_send_once(port);
            } else {
                notify_send_once(port);
                *namep = MACH_PORT_NULL;
            }
            return;
        default: kernel_panic("object_copyout_dest: strange right", __FILE__, __LINE__);
    }
}

/// Contract: consumes the right (ipc_object_destroy).
void object_destroy(Port* port, mach_msg_type_name_t msgt) {
    MACH_ASSERT(ip_valid(port));
    switch (msgt) {
        case MACH_MSG_TYPE_PORT_SEND: port_release_send(port); return;
        case MACH_MSG_TYPE_PORT_SEND_ONCE: notify_send_once(port); return;
        case MACH_MSG_TYPE_PORT_RECEIVE: port_release_receive(port); return;
        default: kernel_panic("object_destroy: strange right", __FILE__, __LINE__);
    }
}

/// ipc_object_insert_send_right: MAKE_SEND or COPY_SEND into the name's own entry.
kern_return_t object_insert_send_right(Space* space, mach_port_name_t name, mach_msg_type_name_t msgt) {
    if (!space->active) return KERN_INVALID_TASK;
    Entry* e = entry_lookup(space, name);
    if (!e) return KERN_INVALID_NAME;
    uint32_t bits = e->bits;
    if (!e->obj) return KERN_INVALID_CAPABILITY;
    if (!(bits & MACH_PORT_TYPE_PORT_RIGHTS)) return KERN_INVALID_RIGHT;
    auto* port = static_cast<Port*>(e->obj);
    if (!port->active) return KERN_INVALID_CAPABILITY;
    if (msgt == MACH_MSG_TYPE_MAKE_SEND) {
        if (!(bits & MACH_PORT_TYPE_RECEIVE)) return KERN_INVALID_RIGHT;
        port->mscount++;
        if (!(bits & MACH_PORT_TYPE_SEND)) {
            port->srights++;
            bits |= MACH_PORT_TYPE_SEND;
        }
        if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) bits++;
        e->bits = bits;
        return KERN_SUCCESS;
    }
    if (!(bits & MACH_PORT_TYPE_SEND)) return KERN_INVALID_RIGHT;
    if (ie_urefs(bits) < MACH_PORT_UREFS_MAX) e->bits = bits + 1;
    return KERN_SUCCESS;
}

kern_return_t object_alloc_dead(Space* space, mach_port_name_t* name) {
    Entry* e;
    kern_return_t kr = entry_alloc(space, nullptr, name, &e);
    if (kr != KERN_SUCCESS) return kr;
    e->bits |= MACH_PORT_TYPE_DEAD_NAME | 1;
    return KERN_SUCCESS;
}

// ipc_right_lookup_read + ipc_object_translate: the object must be alive.
static kern_return_t translate(Space* space, mach_port_name_t name, uint32_t type, Port** port) {
    if (!space->active) return KERN_INVALID_TASK;
    Entry* e = entry_lookup(space, name);
    if (!e || !e->obj || !e->obj->active) return KERN_INVALID_NAME;
    if (!(e->bits & type)) return KERN_INVALID_RIGHT;
    *port = static_cast<Port*>(e->obj);
    return KERN_SUCCESS;
}

kern_return_t port_translate_send(Space* space, mach_port_name_t name, Port** port) {
    return translate(space, name, MACH_PORT_TYPE_SEND, port);
}
kern_return_t port_translate_receive(Space* space, mach_port_name_t name, Port** port) {
    return translate(space, name, MACH_PORT_TYPE_RECEIVE, port);
}

}  // namespace mach
