// mach_port_* kernel calls (xnu osfmk/ipc/mach_port.c).
#include "mach_port.hpp"

#include <cstring>

#include "ipc_kmsg.hpp"
#include "kobject.hpp"
#include "task.hpp"

namespace mach {

/// mach_port_allocate_full (mach_port_allocate, mach_port_allocate_name): a receive right, a port set, or a
/// dead name.
kern_return_t mp_allocate_full(Space* space, mach_port_right_t right, bool named, mach_port_name_t* name) {
    if (!space) return KERN_INVALID_TASK;
    if (named && !port_valid(*name)) return KERN_INVALID_VALUE;
    switch (right) {
        case MACH_PORT_RIGHT_RECEIVE: {
            Port* port;
            return named ? port_alloc_name(space, *name, &port) : port_alloc(space, name, &port);
        }
        case MACH_PORT_RIGHT_PORT_SET: {
            PortSet* pset;
            return named ? pset_alloc_name(space, *name, &pset) : pset_alloc(space, name, &pset);
        }
        case MACH_PORT_RIGHT_DEAD_NAME:
            // ipc_object_alloc_dead: always a name of the kernel's choosing.
            return object_alloc_dead(space, name);
        default: return KERN_INVALID_VALUE;
    }
}

kern_return_t mp_deallocate(Space* space, mach_port_name_t name) {
    if (!port_valid(name)) return KERN_SUCCESS;
    Entry* e = entry_lookup(space, name);
    if (!e) {
        guard_exception(space, name, 0, kGUARD_EXC_INVALID_NAME);
        return KERN_INVALID_NAME;
    }
    return right_dealloc(space, name, e);
}

kern_return_t mp_destroy(Space* space, mach_port_name_t name) {
    if (!port_valid(name)) return KERN_SUCCESS;
    Entry* e = entry_lookup(space, name);
    if (!e) {
        guard_exception(space, name, 0, kGUARD_EXC_INVALID_NAME);
        return KERN_INVALID_NAME;
    }
    return right_destroy(space, name, e, true, 0);
}

kern_return_t mp_mod_refs(Space* space, mach_port_name_t name, mach_port_right_t right, int32_t delta) {
    if (right >= MACH_PORT_RIGHT_NUMBER) return KERN_INVALID_VALUE;
    if (!port_valid(name)) {
        if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE) return KERN_SUCCESS;
        return KERN_INVALID_NAME;
    }
    Entry* e = entry_lookup(space, name);
    if (!e) {
        guard_exception(space, name, 0, kGUARD_EXC_INVALID_NAME);
        return KERN_INVALID_NAME;
    }
    return right_delta(space, name, e, right, delta);
}

kern_return_t mp_get_refs(Space* space, mach_port_name_t name, mach_port_right_t right, uint32_t* urefsp) {
    if (right >= MACH_PORT_RIGHT_NUMBER) return KERN_INVALID_VALUE;
    if (!port_valid(name)) {
        if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE) {
            *urefsp = 1;
            return KERN_SUCCESS;
        }
        return KERN_INVALID_NAME;
    }
    Entry* e = entry_lookup(space, name);
    if (!e) return KERN_INVALID_NAME;
    uint32_t type, urefs;
    right_info(space, name, e, &type, &urefs);
    if (type & MACH_PORT_TYPE(right)) {
        *urefsp = (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME) ? urefs : 1;
    } else {
        *urefsp = 0;
    }
    return KERN_SUCCESS;
}

kern_return_t mp_type(Space* space, mach_port_name_t name, uint32_t* typep) {
    if (name == MACH_PORT_NULL) return KERN_INVALID_NAME;
    if (name == MACH_PORT_DEAD) {
        *typep = MACH_PORT_TYPE_DEAD_NAME;
        return KERN_SUCCESS;
    }
    Entry* e = entry_lookup(space, name);
    if (!e) return KERN_INVALID_NAME;
    uint32_t urefs;
    right_info(space, name, e, typep, &urefs);
    *typep &= ~(MACH_PORT_TYPE_SPREQUEST | MACH_PORT_TYPE_SPREQUEST_DELAYED);
    return KERN_SUCCESS;
}

// ipc_object_translate_port_pset.
static kern_return_t translate_port_pset(Space* space, mach_port_name_t pname, Port** port, mach_port_name_t sname,
                                         PortSet** pset) {
    Entry* pe = entry_lookup(space, pname);
    Entry* se = entry_lookup(space, sname);
    if (!pe || !se) return KERN_INVALID_NAME;
    if (!(pe->bits & MACH_PORT_TYPE_RECEIVE)) {
        if (!(pe->bits & MACH_PORT_TYPE_EX_RECEIVE)) guard_exception(space, pname, 0, kGUARD_EXC_INVALID_RIGHT);
        return KERN_INVALID_RIGHT;
    }
    if (!(se->bits & MACH_PORT_TYPE_PORT_SET)) {
        guard_exception(space, sname, 0, kGUARD_EXC_INVALID_RIGHT);
        return KERN_INVALID_RIGHT;
    }
    *port = static_cast<Port*>(pe->obj);
    *pset = static_cast<PortSet*>(se->obj);
    if (!(*port)->active || !(*pset)->active) return KERN_INVALID_NAME;
    return KERN_SUCCESS;
}

kern_return_t mp_insert_member(Space* space, mach_port_name_t name, mach_port_name_t psname) {
    if (!port_valid(name) || !port_valid(psname)) return KERN_INVALID_RIGHT;
    Port* port;
    PortSet* pset;
    kern_return_t kr = translate_port_pset(space, name, &port, psname, &pset);
    if (kr != KERN_SUCCESS) return kr;
    return pset_add(pset, port);
}

kern_return_t mp_extract_member(Space* space, mach_port_name_t name, mach_port_name_t psname) {
    if (!port_valid(name) || !port_valid(psname)) return KERN_INVALID_RIGHT;
    Port* port;
    PortSet* pset;
    kern_return_t kr = translate_port_pset(space, name, &port, psname, &pset);
    if (kr != KERN_SUCCESS) return kr;
    return pset_remove(pset, port) ? KERN_SUCCESS : KERN_NOT_IN_SET;
}

/// mach_port_move_member: into `after` (leaving every other set), or out of all sets with MACH_PORT_NULL.
kern_return_t mp_move_member(Space* space, mach_port_name_t member, mach_port_name_t after) {
    if (!port_valid(member)) return KERN_INVALID_RIGHT;
    if (after == MACH_PORT_DEAD) return KERN_INVALID_RIGHT;
    Port* port;
    PortSet* nset = nullptr;
    kern_return_t kr;
    if (after != MACH_PORT_NULL) {
        kr = translate_port_pset(space, member, &port, after, &nset);
    } else {
        kr = port_translate_receive(space, member, &port);
    }
    if (kr != KERN_SUCCESS) return kr;
    if (nset) {
        kr = pset_add(nset, port);
        if (kr == KERN_ALREADY_IN_SET) kr = KERN_SUCCESS;
        if (kr != KERN_SUCCESS) return kr;
    } else if (port->npsets == 0) {
        kr = KERN_NOT_IN_SET;
    }
    for (uint32_t i = 0; i < port->npsets;) {
        if (port->psets[i] != nset) pset_remove(port->psets[i], port);
        else i++;
    }
    return kr;
}

// mach_port_guard_locked.
static kern_return_t guard_locked(Space* space, mach_port_name_t name, Port* port, uint64_t guard, bool strict,
                                  bool immovable) {
    if (port->context) {
        guard_exception(space, name, port->context, kGUARD_EXC_INVALID_ARGUMENT);
        return KERN_INVALID_ARGUMENT;
    }
    port->context = guard;
    port->guarded = true;
    port->strict_guard = strict;
    if (!port->immovable_receive) port->immovable_receive = immovable;
    return KERN_SUCCESS;
}

kern_return_t mp_construct(Space* space, const mach_port_options_t& options, uint64_t context, mach_port_name_t* name) {
    uint32_t flags = options.flags;
    constexpr uint32_t kOneOfA = 0x400 | 0x800 | 0x200;  // MPO_SERVICE_PORT, MPO_CONNECTION_PORT, MPO_TG_BLOCK_TRACKING
    constexpr uint32_t kOneOfB = 0x1000 | 0x2000 | 0x8000 | 0x4000;  // REPLY, ENFORCE_REPLY, EXCEPTION, PROVISIONAL
    uint32_t a = flags & kOneOfA, b = flags & kOneOfB;
    if ((a & (a - 1)) || (b & (b - 1))) return KERN_INVALID_ARGUMENT;
    if (a) return KERN_INVALID_ARGUMENT;  // service/connection ports belong to launchd; render-server tracking
    if ((flags & MPO_QLIMIT) && options.mpl.mpl_qlimit > MACH_PORT_QLIMIT_MAX) return KERN_INVALID_VALUE;
    Port* port;
    kern_return_t kr = port_alloc(space, name, &port);
    if (kr != KERN_SUCCESS) return kr;
    if (flags & MPO_INSERT_SEND_RIGHT) {
        Entry* e = entry_lookup(space, *name);
        port->mscount++;
        port->srights++;
        e->bits |= MACH_PORT_TYPE_SEND | 1;
    }
    if (flags & MPO_QLIMIT) port->qlimit = options.mpl.mpl_qlimit;
    if (flags & MPO_CONTEXT_AS_GUARD) {
        guard_locked(space, *name, port, context, flags & MPO_STRICT, flags & MPO_IMMOVABLE_RECEIVE);
    } else {
        port->context = context;
    }
    return KERN_SUCCESS;
}

kern_return_t mp_destruct(Space* space, mach_port_name_t name, int32_t srdelta, uint64_t guard) {
    if (!port_valid(name)) return KERN_INVALID_NAME;
    Entry* e = entry_lookup(space, name);
    if (!e) {
        guard_exception(space, name, 0, kGUARD_EXC_INVALID_NAME);
        return KERN_INVALID_NAME;
    }
    return right_destruct(space, name, e, srdelta, guard);
}

kern_return_t mp_guard(Space* space, mach_port_name_t name, uint64_t guard, bool strict) {
    if (!port_valid(name)) return KERN_INVALID_NAME;
    Port* port;
    kern_return_t kr = port_translate_receive(space, name, &port);
    if (kr != KERN_SUCCESS) {
        guard_exception(space, name, 0, kr == KERN_INVALID_NAME ? kGUARD_EXC_INVALID_NAME : kGUARD_EXC_INVALID_RIGHT);
        return kr;
    }
    return guard_locked(space, name, port, guard, strict, false);
}

kern_return_t mp_unguard(Space* space, mach_port_name_t name, uint64_t guard) {
    if (!port_valid(name)) return KERN_INVALID_NAME;
    Port* port;
    kern_return_t kr = port_translate_receive(space, name, &port);
    if (kr != KERN_SUCCESS) {
        guard_exception(space, name, 0, kr == KERN_INVALID_NAME ? kGUARD_EXC_INVALID_NAME : kGUARD_EXC_INVALID_RIGHT);
        return kr;
    }
    if (!port->guarded) {
        guard_exception(space, name, 0, kGUARD_EXC_UNGUARDED);
        return KERN_INVALID_ARGUMENT;
    }
    if (port->context != guard) {
        guard_exception(space, name, port->context, kGUARD_EXC_INCORRECT_GUARD);
        return KERN_INVALID_ARGUMENT;
    }
    port->context = 0;
    port->guarded = port->strict_guard = false;
    return KERN_SUCCESS;
}

kern_return_t mp_get_context(Space* space, mach_port_name_t name, uint64_t* context) {
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    Port* port;
    kern_return_t kr = port_translate_receive(space, name, &port);
    if (kr != KERN_SUCCESS) return kr;
    *context = port->strict_guard ? 0 : port->context;
    return KERN_SUCCESS;
}

kern_return_t mp_set_context(Space* space, mach_port_name_t name, uint64_t context) {
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    Port* port;
    kern_return_t kr = port_translate_receive(space, name, &port);
    if (kr != KERN_SUCCESS) return kr;
    if (port->strict_guard) {
        guard_exception(space, name, port->context, kGUARD_EXC_SET_CONTEXT);
        return KERN_INVALID_ARGUMENT;
    }
    port->context = context;
    return KERN_SUCCESS;
}

static void status_of(const Port* port, mach_port_status_t* s) {
    *s = mach_port_status_t{};
    s->mps_pset = port->npsets > 0;  // set ids are not leaked: only whether it is in one
    s->mps_seqno = port->seqno;
    s->mps_qlimit = port->qlimit;
    s->mps_msgcount = port->msgcount;
    s->mps_mscount = port->mscount;
    s->mps_sorights = port->sorights;
    s->mps_srights = port->srights > 0;
    s->mps_pdrequest = port->pdrequest != nullptr;
    s->mps_nsrequest = port->nsrequest != nullptr;
    if (port->guarded) {
        s->mps_flags |= MACH_PORT_STATUS_FLAG_GUARDED;
        if (port->strict_guard) s->mps_flags |= MACH_PORT_STATUS_FLAG_STRICT_GUARD;
        if (port->immovable_receive) s->mps_flags |= MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE;
    }
}

kern_return_t mp_get_attributes(Space* space, mach_port_name_t name, int flavor, uint32_t* info, uint32_t* count) {
    Port* port;
    kern_return_t kr;
    if (space->task) mk_timer_fire_due(space->task);  // a queue count includes timers that fired
    switch (flavor) {
        case MACH_PORT_LIMITS_INFO:
            if (*count < 1) return KERN_FAILURE;
            if (!port_valid(name)) {
                *count = 0;
                return KERN_SUCCESS;
            }
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            info[0] = port->qlimit;
            *count = 1;
            return KERN_SUCCESS;
        case MACH_PORT_RECEIVE_STATUS: {
            constexpr uint32_t n = sizeof(mach_port_status_t) / 4;
            if (*count < n) return KERN_FAILURE;
            if (!port_valid(name)) return KERN_INVALID_RIGHT;
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            mach_port_status_t s;
            status_of(port, &s);
            memcpy(info, &s, sizeof s);
            *count = n;
            return KERN_SUCCESS;
        }
        case MACH_PORT_DNREQUESTS_SIZE:
            if (*count < 1) return KERN_FAILURE;
            if (!port_valid(name)) {
                info[0] = 0;
                return KERN_SUCCESS;
            }
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            {
                uint32_t n = 0;
                for (DeadNameRequest* r = port->dnrequests; r; r = r->next) n++;
                info[0] = n;
            }
            *count = 1;
            return KERN_SUCCESS;
        case MACH_PORT_INFO_EXT: {
            constexpr uint32_t n = sizeof(mach_port_info_ext_t) / 4;
            if (*count < n) return KERN_FAILURE;
            if (!port_valid(name)) return KERN_INVALID_RIGHT;
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            mach_port_info_ext_t x{};
            status_of(port, &x.mpie_status);
            memcpy(info, &x, sizeof x);
            *count = n;
            return KERN_SUCCESS;
        }
        default: return KERN_INVALID_ARGUMENT;
    }
}

kern_return_t mp_set_attributes(Space* space, mach_port_name_t name, int flavor, const uint32_t* info, uint32_t count) {
    Port* port;
    kern_return_t kr;
    switch (flavor) {
        case MACH_PORT_LIMITS_INFO:
            if (count < 1) return KERN_FAILURE;
            if (info[0] > MACH_PORT_QLIMIT_MAX) return KERN_INVALID_VALUE;
            if (!port_valid(name)) return KERN_INVALID_RIGHT;
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            // ipc_mqueue_set_qlimit_locked: a raised limit lets waiting senders in.
            port->qlimit = info[0];
            while (!port_full(port) && !port->fullwaiters.empty()) {
                Waiter* w = port->fullwaiters.head;
                w->state = MACH_MSG_SUCCESS;
                thread_wakeup(w);
                port->msgcount++;
            }
            return KERN_SUCCESS;
        case MACH_PORT_DNREQUESTS_SIZE:
            if (count < 1) return KERN_FAILURE;
            if (!port_valid(name)) return KERN_INVALID_RIGHT;
            return port_translate_receive(space, name, &port);
        default: return KERN_INVALID_ARGUMENT;
    }
}

kern_return_t mp_request_notification(Space* space, mach_port_name_t name, int32_t id, uint32_t sync, Port* notify,
                                      Port** previous) {
    *previous = nullptr;
    if (notify == IP_DEAD) return KERN_INVALID_CAPABILITY;
    Port* port;
    kern_return_t kr;
    switch (id) {
        case MACH_NOTIFY_PORT_DESTROYED:
            if (sync != 0) return KERN_INVALID_VALUE;
            if (!port_valid(name)) return KERN_INVALID_RIGHT;
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            if (port->kotype != Kotype::None) {
                // Not for kernel objects (an mk_timer port is one in XNU).
                guard_exception(space, name, 0, kGUARD_EXC_INVALID_RIGHT);
                return KERN_INVALID_RIGHT;
            }
            if (port->pdrequest) {
                guard_exception(space, name, 0, 1u << 14);  // kGUARD_EXC_KERN_FAILURE
                return KERN_FAILURE;
            }
            port->pdrequest = notify;
            return KERN_SUCCESS;
        case MACH_NOTIFY_NO_SENDERS:
            if (!port_valid(name)) return KERN_INVALID_RIGHT;
            if ((kr = port_translate_receive(space, name, &port)) != KERN_SUCCESS) return kr;
            // ipc_port_nsrequest: fires at once when there are no senders and sync <= the make-send count.
            *previous = port->nsrequest;
            if (port->srights == 0 && sync <= port->mscount && notify) {
                port->nsrequest = nullptr;
                Kmsg* km = kmsg_kernel(notify, MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_NOTIFY_NO_SENDERS, 12);
                if (!km) {
                    port_release_send_once(notify);
                } else {
                    memcpy(km->body, &NDR_record, sizeof NDR_record);
                    memcpy(km->body + 8, &port->mscount, 4);
                    kmsg_post_kernel(km);
                }
            } else {
                port->nsrequest = notify;
            }
            return KERN_SUCCESS;
        case MACH_NOTIFY_DEAD_NAME: {
            // ipc_right_request_alloc with no send-possible options.
            if (!port_valid(name)) return KERN_INVALID_ARGUMENT;
            Entry* e = entry_lookup(space, name);
            if (!e) return KERN_INVALID_NAME;
            if (!notify && !e->request) return KERN_SUCCESS;
            if (e->bits & MACH_PORT_TYPE_PORT_RIGHTS) {
                port = static_cast<Port*>(e->obj);
                if (!right_check(space, port, name, e)) {
                    if (e->request) {
                        e->request = 0;
                        for (DeadNameRequest** p = &port->dnrequests; *p; p = &(*p)->next)
                            if ((*p)->name == name) {
                                DeadNameRequest* r = *p;
                                *p = r->next;
                                *previous = r->notify;
                                kdelete(r);
                                break;
                            }
                    }
                    if (!notify) return KERN_SUCCESS;
                    DeadNameRequest* r = knew<DeadNameRequest>();
                    if (!r) return KERN_RESOURCE_SHORTAGE;
                    r->name = name;
                    r->notify = notify;
                    r->next = port->dnrequests;
                    port->dnrequests = r;
                    e->request = 1;
                    return KERN_SUCCESS;
                }
            }
            return (e->bits & (MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)) ? KERN_INVALID_ARGUMENT
                                                                                        : KERN_INVALID_RIGHT;
        }
        default: return KERN_INVALID_VALUE;
    }
}

kern_return_t mp_insert_right(Space* space, mach_port_name_t name, Port* poly, mach_msg_type_name_t poly_poly) {
    if (!port_valid(name) || !type_port_any_right(poly_poly)) return KERN_INVALID_VALUE;
    if (!ip_valid(poly)) return KERN_INVALID_CAPABILITY;
    return object_copyout_name(space, poly, poly_poly, name);
}

}  // namespace mach

namespace mach {

/// mach_port_names: every name in the space with its type (mach_port_names_helper reports a right to a dead
/// port as a dead name, as mach_port_type does). `names`/`types` may be null to count only.
kern_return_t mp_names(Space* space, mach_port_name_t* names, uint32_t* types, uint32_t* count) {
    if (!space || !space->active) return KERN_INVALID_TASK;
    uint32_t n = 0;
    for (uint32_t i = 1; i < space->size; i++) {
        Entry* e = &space->table[i];
        if (ie_type(e->bits) == MACH_PORT_TYPE_NONE) continue;
        if (names) {
            mach_port_name_t name = entry_name(space, e);
            uint32_t type;
            if (mp_type(space, name, &type) != KERN_SUCCESS) continue;
            names[n] = name;
            types[n] = type;
        }
        n++;
    }
    *count = n;
    return KERN_SUCCESS;
}

/// mach_port_get_set_status: the receive-right names of a port set's members. `members` may be null to count.
kern_return_t mp_get_set_status(Space* space, mach_port_name_t name, mach_port_name_t* members, uint32_t* count) {
    if (!space || !space->active) return KERN_INVALID_TASK;
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    Entry* e = entry_lookup(space, name);
    if (!e) return KERN_INVALID_NAME;
    if (!(e->bits & MACH_PORT_TYPE_PORT_SET)) return KERN_INVALID_RIGHT;
    auto* pset = static_cast<PortSet*>(e->obj);
    uint32_t n = 0;
    for (uint32_t i = 0; i < pset->nmembers; i++) {
        Port* p = pset->members[i];
        if (!p->active || p->receiver != space) continue;
        if (members) members[n] = p->receiver_name;
        n++;
    }
    *count = n;
    return KERN_SUCCESS;
}

/// mach_port_set_mscount: the make-send count of a receive right.
kern_return_t mp_set_mscount(Space* space, mach_port_name_t name, uint32_t mscount) {
    if (!space) return KERN_INVALID_TASK;
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    Port* port;
    kern_return_t kr = port_translate_receive(space, name, &port);
    if (kr != KERN_SUCCESS) return kr;
    port->mscount = mscount;
    return KERN_SUCCESS;
}

/// mach_port_get_srights: how many send rights to a receive right's port exist.
kern_return_t mp_get_srights(Space* space, mach_port_name_t name, uint32_t* srights) {
    if (!space) return KERN_INVALID_TASK;
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    Port* port;
    kern_return_t kr = port_translate_receive(space, name, &port);
    if (kr != KERN_SUCCESS) return kr;
    *srights = port->srights;
    return KERN_SUCCESS;
}

/// mach_port_extract_right: takes a right out of the space as a message would (ipc_object_copyin); *type is the
/// right it became (ipc_object_copyin_type).
kern_return_t mp_extract_right(Space* space, mach_port_name_t name, mach_msg_type_name_t msgt, Port** port,
                               mach_msg_type_name_t* type) {
    if (!space) return KERN_INVALID_TASK;
    if (msgt < MACH_MSG_TYPE_MOVE_RECEIVE || msgt > MACH_MSG_TYPE_MAKE_SEND_ONCE) return KERN_INVALID_VALUE;
    if (!port_valid(name)) return KERN_INVALID_RIGHT;
    kern_return_t kr = object_copyin(space, name, msgt, 0, port);
    if (kr == KERN_SUCCESS) *type = object_copyin_type(msgt);
    return kr;
}

}  // namespace mach
