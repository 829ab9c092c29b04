// The IPC space layer (mach/ipc_space.cpp): names, generations, the free list, growth, the reverse table.
#include <doctest/doctest.h>

#include <set>

#include "mach/ipc.hpp"

using namespace mach;

namespace {

struct SpaceFixture {
    Space* s = space_create(nullptr);
    ~SpaceFixture() {
        KLockGuard g(ipc_lock());
        space_terminate(s);
        kdelete(s);
    }
};

mach_port_name_t alloc(Space* s) {
    mach_port_name_t n = 0;
    Entry* e;
    REQUIRE(entry_alloc(s, nullptr, &n, &e) == KERN_SUCCESS);
    e->bits |= MACH_PORT_TYPE_DEAD_NAME | 1;  // give it a type so that lookups find it
    return n;
}

}  // namespace

TEST_CASE("a fresh space hands out its first eight names in order, generation 0x03") {
    SpaceFixture f;
    KLockGuard g(ipc_lock());
    for (uint32_t i = 1; i <= 8; i++) CHECK(alloc(f.s) == ((i << 8) | 0x03));
    // Then pseudo-random indices, still fresh (0x03), all distinct.
    std::set<uint32_t> idx;
    for (int i = 0; i < 20; i++) {
        mach_port_name_t n = alloc(f.s);
        CHECK((n & 0xff) == 0x03);
        CHECK(MACH_PORT_INDEX(n) > 8);
        CHECK(idx.insert(MACH_PORT_INDEX(n)).second);
    }
}

TEST_CASE("a freed entry comes back first, with the generation 4 higher") {
    SpaceFixture f;
    KLockGuard g(ipc_lock());
    mach_port_name_t a = alloc(f.s);
    Entry* e = entry_lookup(f.s, a);
    REQUIRE(e);
    e->bits &= ~(IE_BITS_TYPE_MASK | IE_BITS_UREFS_MASK);
    entry_dealloc(f.s, a, e);
    CHECK(entry_lookup(f.s, a) == nullptr);
    mach_port_name_t b = alloc(f.s);
    CHECK(b == ((a & ~0xffu) | 0x07));
    // Many reuses: every name keeps the index and the low two generation bits, and is never NULL or DEAD.
    for (int i = 0; i < 200; i++) {
        Entry* eb = entry_lookup(f.s, b);
        REQUIRE(eb);
        eb->bits &= ~(IE_BITS_TYPE_MASK | IE_BITS_UREFS_MASK);
        entry_dealloc(f.s, b, eb);
        mach_port_name_t c = alloc(f.s);
        CHECK(MACH_PORT_INDEX(c) == MACH_PORT_INDEX(a));
        CHECK((c & 0x03) == 0x03);
        CHECK(c != b);
        CHECK(port_valid(c));
        b = c;
    }
}

TEST_CASE("the table grows past its first 32 entries; names stay unique and found") {
    SpaceFixture f;
    KLockGuard g(ipc_lock());
    std::set<mach_port_name_t> names;
    for (int i = 0; i < 3000; i++) CHECK(names.insert(alloc(f.s)).second);
    CHECK(f.s->size >= 3001);
    for (mach_port_name_t n : names) CHECK(entry_lookup(f.s, n) != nullptr);
    CHECK(entry_lookup(f.s, 0) == nullptr);
    CHECK(entry_lookup(f.s, (f.s->size + 5) << 8 | 3) == nullptr);
}

TEST_CASE("a space at its maximum size says KERN_NO_SPACE") {
    SpaceFixture f;
    KLockGuard g(ipc_lock());
    f.s->max_size = 64;
    int ok = 0;
    mach_port_name_t n;
    Entry* e;
    kern_return_t kr;
    while ((kr = entry_alloc(f.s, nullptr, &n, &e)) == KERN_SUCCESS) {
        e->bits |= MACH_PORT_TYPE_DEAD_NAME | 1;
        ok++;
    }
    CHECK(kr == KERN_NO_SPACE);
    CHECK(ok == 63);  // index 0 is the free-list head
}

TEST_CASE("names chosen by the caller: generation bits, collisions, growth") {
    SpaceFixture f;
    KLockGuard g(ipc_lock());
    Entry* e;
    CHECK(entry_alloc_name(f.s, 0x1000, &e) == KERN_INVALID_VALUE);  // low generation bits must be set
    CHECK(entry_alloc_name(f.s, 0x03, &e) == KERN_FAILURE);          // index 0
    REQUIRE(entry_alloc_name(f.s, 0x12303, &e) == KERN_SUCCESS);      // grows the table to index 0x123
    CHECK(ie_type(e->bits) == 0);
    e->bits |= MACH_PORT_TYPE_DEAD_NAME | 1;
    CHECK(entry_lookup(f.s, 0x12303) == e);
    CHECK(entry_alloc_name(f.s, 0x12303, &e) == KERN_SUCCESS);  // the same name: found
    CHECK(ie_type(e->bits) == MACH_PORT_TYPE_DEAD_NAME);
    CHECK(entry_alloc_name(f.s, 0x12307, &e) == KERN_FAILURE);  // same index, other generation
    // The entry left the free list: allocations never hand out index 0x123.
    for (int i = 0; i < 400; i++) CHECK(MACH_PORT_INDEX(alloc(f.s)) != 0x123);
}

TEST_CASE("the reverse table maps a port to the name of its send right") {
    SpaceFixture f;
    KLockGuard g(ipc_lock());
    Port ports[200];
    for (int i = 0; i < 200; i++) {
        mach_port_name_t n;
        Entry* e;
        REQUIRE(entry_alloc(f.s, &ports[i], &n, &e) == KERN_SUCCESS);
        e->bits |= MACH_PORT_TYPE_SEND | 1;
        reverse_insert(f.s, &ports[i], n);
    }
    for (int i = 0; i < 200; i += 2) reverse_delete(f.s, &ports[i]);
    for (int i = 0; i < 200; i++) {
        mach_port_name_t n = 0;
        Entry* e = nullptr;
        bool found = right_reverse(f.s, &ports[i], &n, &e);
        CHECK(found == (i % 2 == 1));
        if (found) CHECK(e->obj == &ports[i]);
    }
    for (auto& p : ports) p.refs = 0, p.active = false;  // stack objects: never released through the space
    for (uint32_t i = 1; i < f.s->size; i++) f.s->table[i] = Entry{};
}
