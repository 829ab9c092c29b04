// The rights layer (mach/ipc_right.cpp, ipc_port.cpp, mach_port.cpp): user references, right counts on the
// port, moves in and out of entries, dead names, port sets, and the references that keep ports alive.
#include <doctest/doctest.h>

#include "mach/ipc_kmsg.hpp"
#include "mach/mach_port.hpp"

using namespace mach;

namespace {

struct Fixture {
    KLockGuard g{ipc_lock()};
    Space* s = space_create(nullptr);
    ~Fixture() {
        space_terminate(s);
        kdelete(s);
    }
    Port* port(mach_port_name_t* name) {
        Port* p;
        REQUIRE(port_alloc(s, name, &p) == KERN_SUCCESS);
        return p;
    }
    uint32_t type(mach_port_name_t n) {
        Entry* e = entry_lookup(s, n);
        if (!e) return 0;
        uint32_t t, u;
        right_info(s, n, e, &t, &u);
        return t;
    }
    uint32_t urefs(mach_port_name_t n) {
        Entry* e = entry_lookup(s, n);
        return e ? ie_urefs(e->bits) : 0;
    }
};

}  // namespace

TEST_CASE("send rights under a receive right's name: references and counts") {
    Fixture f;
    mach_port_name_t n;
    Port* p = f.port(&n);
    CHECK(f.type(n) == MACH_PORT_TYPE_RECEIVE);
    CHECK(p->refs == 1);
    CHECK(p->receiver == f.s);
    CHECK(p->receiver_name == n);
    CHECK(object_insert_send_right(f.s, n, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS);
    CHECK(f.type(n) == MACH_PORT_TYPE_SEND_RECEIVE);
    CHECK(p->srights == 1);
    CHECK(p->mscount == 1);
    CHECK(p->refs == 1);  // one entry, one reference, whatever rights it holds
    CHECK(object_insert_send_right(f.s, n, MACH_MSG_TYPE_COPY_SEND) == KERN_SUCCESS);
    CHECK(f.urefs(n) == 2);
    CHECK(p->srights == 1);  // an entry's send right counts once
    CHECK(mp_mod_refs(f.s, n, MACH_PORT_RIGHT_SEND, -2) == KERN_SUCCESS);
    CHECK(f.type(n) == MACH_PORT_TYPE_RECEIVE);
    CHECK(p->srights == 0);
    CHECK(mp_mod_refs(f.s, n, MACH_PORT_RIGHT_SEND, -1) == KERN_INVALID_RIGHT);
}

TEST_CASE("copyin and copyout move rights and references") {
    Fixture f;
    mach_port_name_t n;
    Port* p = f.port(&n);
    Entry* e = entry_lookup(f.s, n);
    Port* got = nullptr;
    // MAKE_SEND: a new right in hand (+1 reference), the entry unchanged.
    REQUIRE(right_copyin(f.s, n, e, MACH_MSG_TYPE_MAKE_SEND, 0, &got) == KERN_SUCCESS);
    CHECK(got == p);
    CHECK(p->srights == 1);
    CHECK(p->refs == 2);
    CHECK(f.type(n) == MACH_PORT_TYPE_RECEIVE);
    // Back into the space: merges into the receive right's entry, the in-hand reference is dropped.
    mach_port_name_t out;
    REQUIRE(object_copyout(f.s, got, MACH_MSG_TYPE_PORT_SEND, &out) == KERN_SUCCESS);
    CHECK(out == n);
    CHECK(p->refs == 1);
    CHECK(f.type(n) == MACH_PORT_TYPE_SEND_RECEIVE);
    CHECK(f.urefs(n) == 1);
    // MOVE_SEND of the last user reference: the entry keeps the receive right; the right in hand has a reference.
    e = entry_lookup(f.s, n);
    REQUIRE(right_copyin(f.s, n, e, MACH_MSG_TYPE_MOVE_SEND, 0, &got) == KERN_SUCCESS);
    CHECK(f.type(n) == MACH_PORT_TYPE_RECEIVE);
    CHECK(p->srights == 1);
    CHECK(p->refs == 2);
    object_destroy(got, MACH_MSG_TYPE_PORT_SEND);
    CHECK(p->srights == 0);
    CHECK(p->refs == 1);
    // MAKE_SEND_ONCE copied out gets a name of its own.
    e = entry_lookup(f.s, n);
    REQUIRE(right_copyin(f.s, n, e, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, &got) == KERN_SUCCESS);
    CHECK(p->sorights == 1);
    REQUIRE(object_copyout(f.s, got, MACH_MSG_TYPE_PORT_SEND_ONCE, &out) == KERN_SUCCESS);
    CHECK(out != n);
    CHECK(f.type(out) == MACH_PORT_TYPE_SEND_ONCE);
    CHECK(p->refs == 2);  // two entries
    // Deallocating it sends a send-once notification carrying the right: queued on the port.
    CHECK(mp_deallocate(f.s, out) == KERN_SUCCESS);
    CHECK(f.type(out) == 0);
    CHECK(p->msgcount == 1);
    CHECK(p->qhead != nullptr);
    CHECK(p->qhead->id == MACH_NOTIFY_SEND_ONCE);
    CHECK(p->sorights == 1);  // until the notification is received (or destroyed)
}

TEST_CASE("MOVE_RECEIVE out of a send+receive entry leaves the send right; coming back merges") {
    Fixture f;
    mach_port_name_t n;
    Port* p = f.port(&n);
    object_insert_send_right(f.s, n, MACH_MSG_TYPE_MAKE_SEND);
    Entry* e = entry_lookup(f.s, n);
    Port* got;
    REQUIRE(right_copyin(f.s, n, e, MACH_MSG_TYPE_MOVE_RECEIVE, 0, &got) == KERN_SUCCESS);
    CHECK(got == p);
    CHECK(p->receiver == nullptr);  // in transit
    CHECK(f.type(n) == MACH_PORT_TYPE_SEND);
    CHECK(p->mscount == 0);  // the make-send count restarts when the receive right moves
    CHECK(p->refs == 2);
    mach_port_name_t out;
    REQUIRE(object_copyout(f.s, got, MACH_MSG_TYPE_PORT_RECEIVE, &out) == KERN_SUCCESS);
    CHECK(out == n);
    CHECK(f.type(n) == MACH_PORT_TYPE_SEND_RECEIVE);
    CHECK(p->receiver == f.s);
    CHECK(p->refs == 1);
}

TEST_CASE("a port's death turns its send rights into dead names when next looked at") {
    Fixture f;
    mach_port_name_t n;
    Port* p = f.port(&n);
    object_insert_send_right(f.s, n, MACH_MSG_TYPE_MAKE_SEND);
    Entry* e = entry_lookup(f.s, n);
    Port* recv;
    REQUIRE(right_copyin(f.s, n, e, MACH_MSG_TYPE_MOVE_RECEIVE, 0, &recv) == KERN_SUCCESS);
    e = entry_lookup(f.s, n);
    CHECK(ie_type(e->bits) == MACH_PORT_TYPE_SEND);
    port_release_receive(recv);  // the receive right in hand is destroyed: the port dies
    CHECK(!p->active);
    e = entry_lookup(f.s, n);
    CHECK(ie_type(e->bits) == MACH_PORT_TYPE_SEND);  // not yet converted
    CHECK(f.type(n) == MACH_PORT_TYPE_DEAD_NAME);      // right_info converts it
    CHECK(f.urefs(n) == 1);
    CHECK(e->obj == nullptr);
    // COPY_SEND of a dead name: IP_DEAD with DEADOK, refused without.
    Port* got;
    CHECK(right_copyin(f.s, n, e, MACH_MSG_TYPE_COPY_SEND, 0, &got) == KERN_INVALID_RIGHT);
    CHECK(right_copyin(f.s, n, e, MACH_MSG_TYPE_COPY_SEND, COPYIN_DEADOK, &got) == KERN_SUCCESS);
    CHECK(got == IP_DEAD);
}

TEST_CASE("user references: pegging at MACH_PORT_UREFS_MAX") {
    Fixture f;
    mach_port_name_t n;
    f.port(&n);
    object_insert_send_right(f.s, n, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(mp_mod_refs(f.s, n, MACH_PORT_RIGHT_SEND, 0xfffe) == KERN_SUCCESS);
    CHECK(f.urefs(n) == 0xffff);
    CHECK(object_insert_send_right(f.s, n, MACH_MSG_TYPE_COPY_SEND) == KERN_SUCCESS);
    CHECK(f.urefs(n) == 0xffff);
    CHECK(mp_mod_refs(f.s, n, MACH_PORT_RIGHT_SEND, -1) == KERN_SUCCESS);
    CHECK(f.urefs(n) == 0xffff);
    CHECK(mp_mod_refs(f.s, n, MACH_PORT_RIGHT_SEND, -0xffff) == KERN_SUCCESS);
    CHECK(f.type(n) == MACH_PORT_TYPE_RECEIVE);
    CHECK(mp_mod_refs(f.s, n, MACH_PORT_RIGHT_SEND, 0x10000) == KERN_INVALID_RIGHT);
}

TEST_CASE("port sets: membership in several sets, removal, destruction") {
    Fixture f;
    mach_port_name_t a, s1, s2;
    Port* pa = f.port(&a);
    REQUIRE(mp_allocate_full(f.s, MACH_PORT_RIGHT_PORT_SET, false, &s1) == KERN_SUCCESS);
    REQUIRE(mp_allocate_full(f.s, MACH_PORT_RIGHT_PORT_SET, false, &s2) == KERN_SUCCESS);
    CHECK(mp_insert_member(f.s, a, s1) == KERN_SUCCESS);
    CHECK(mp_insert_member(f.s, a, s2) == KERN_SUCCESS);
    CHECK(mp_insert_member(f.s, a, s1) == KERN_ALREADY_IN_SET);
    CHECK(pa->npsets == 2);
    CHECK(mp_move_member(f.s, a, s2) == KERN_SUCCESS);
    CHECK(pa->npsets == 1);
    CHECK(pa->psets[0] == static_cast<PortSet*>(entry_lookup(f.s, s2)->obj));
    CHECK(mp_extract_member(f.s, a, s1) == KERN_NOT_IN_SET);
    CHECK(mp_deallocate(f.s, s2) == KERN_SUCCESS);  // destroys the set
    CHECK(pa->npsets == 0);
    CHECK(f.type(s2) == 0);
}

TEST_CASE("mach_port_type and get_refs answers for null and dead names") {
    Fixture f;
    uint32_t t = 0, r = 0;
    CHECK(mp_type(f.s, MACH_PORT_NULL, &t) == KERN_INVALID_NAME);
    CHECK(mp_type(f.s, MACH_PORT_DEAD, &t) == KERN_SUCCESS);
    CHECK(t == MACH_PORT_TYPE_DEAD_NAME);
    CHECK(mp_get_refs(f.s, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, &r) == KERN_SUCCESS);
    CHECK(r == 1);
    CHECK(mp_get_refs(f.s, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &r) == KERN_INVALID_NAME);
    CHECK(mp_get_refs(f.s, 0x103, 7, &r) == KERN_INVALID_VALUE);
}
