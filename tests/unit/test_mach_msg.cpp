// The message layer through the trap handlers (mach/msg.cpp, ipc_mqueue.cpp, traps.cpp), with the test
// process as the program: header rewriting, trailers, descriptor sizes, queue limits, MACH_RCV_LARGE, and a
// receive that blocks in one thread until another sends, mk_timer messages, complex sends that fail midway.
#include <doctest/doctest.h>

#include <sys/mman.h>

#include <cstring>
#include <ostream>
#include <thread>

#include "mach/ipc_kmsg.hpp"
#include "mach/mach.hpp"
#include "mach/mach_port.hpp"
#include "mach/task.hpp"
#include "mach_traps.gen.hpp"
#include "test_mach_fixture.hpp"

using namespace mach;
using mach_test::addr;
using mach_test::LocalThread;

namespace {

uint32_t task_self(LocalThread& t) { return uint32_t(xnu_sys::mach_task_self_trap(t).value); }

uint32_t new_port(LocalThread& t) {
    uint32_t name = 0;
    REQUIRE(xnu_sys::mach_kernelrpc_mach_port_allocate_trap(t, task_self(t), MACH_PORT_RIGHT_RECEIVE, addr(&name)).value == 0);
    return name;
}

// mach_msg2 as libsyscall packs it.
int32_t msg2(LocalThread& t, void* buf, uint64_t options, uint32_t send_size, uint32_t rcv_size, uint32_t rcv_name,
             uint32_t timeout = 0) {
    auto* h = static_cast<mach_msg_header_t*>(buf);
    uint32_t dsc = ((options & MACH_SEND_MSG) && (h->msgh_bits & MACH_MSGH_BITS_COMPLEX)) ? static_cast<uint32_t*>(buf)[6] : 0;
    auto pack = [](uint32_t lo, uint32_t hi) { return uint64_t(hi) << 32 | lo; };
    return int32_t(xnu_sys::mach_mach_msg2_trap(t, addr(buf), options | MACH64_SEND_MQ_CALL, pack(h->msgh_bits, send_size),
                                                pack(h->msgh_remote_port, h->msgh_local_port),
                                                pack(h->msgh_voucher_port, uint32_t(h->msgh_id)), pack(dsc, rcv_name),
                                                pack(rcv_size, 0), timeout)
                       .value);
}

struct Simple {
    mach_msg_header_t h;
    uint32_t v[2];
};

// A complex message to a receive right of the sender's (made into a send right), descriptor by descriptor.
struct Complex {
    alignas(8) uint8_t b[256] = {};
    uint32_t size = sizeof(mach_msg_base_t), n = 0;
    template <typename D>
    Complex& add(const D& d) {
        memcpy(b + size, &d, sizeof d);
        size += sizeof d;
        n++;
        return *this;
    }
    void* to(uint32_t dest) {
        mach_msg_base_t base{};
        base.header.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
        base.header.msgh_size = size;
        base.header.msgh_remote_port = dest;
        base.msgh_descriptor_count = n;
        memcpy(b, &base, sizeof base);
        return b;
    }
};

port_descriptor_t port_desc(uint32_t name, uint8_t disposition) {
    return {name, 0, 0, disposition, MACH_MSG_PORT_DESCRIPTOR};
}
ool_descriptor_t ool_desc(const void* p, uint32_t size, uint8_t copy = MACH_MSG_VIRTUAL_COPY) {
    return {reinterpret_cast<uint64_t>(p), 0, copy, 0, MACH_MSG_OOL_DESCRIPTOR, size};
}
ool_ports_descriptor_t ool_ports_desc(const uint32_t* names, uint32_t count, uint8_t disposition) {
    return {reinterpret_cast<uint64_t>(names), 0, MACH_MSG_VIRTUAL_COPY, disposition, MACH_MSG_OOL_PORTS_DESCRIPTOR, count};
}

// What a name's entry and its port hold: user references and rights, the port's counts and references.
struct Held {
    uint32_t bits, srights, sorights, refs, msgcount;
    bool operator==(const Held&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Held& h) {
    return os << "{bits " << h.bits << ", srights " << h.srights << ", sorights " << h.sorights << ", refs " << h.refs
              << ", msgcount " << h.msgcount << "}";
}

Held held(LocalThread& t, uint32_t name) {
    Task* task = current_task(t);  // not under the lock: it may map the wait page
    IpcLock lock(t);
    Entry* e = entry_lookup(task->space, name);
    REQUIRE(e);
    auto* p = static_cast<Port*>(e->obj);
    return {e->bits, p->srights, p->sorights, p->refs, p->msgcount};
}

}  // namespace

TEST_CASE("a simple message: the receiver sees the header from its side, and the trailer it asked for") {
    LocalThread t;
    uint32_t p = new_port(t);
    Simple s{};
    s.h.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
    s.h.msgh_remote_port = p;
    s.h.msgh_id = 77;
    s.v[0] = 1, s.v[1] = 2;
    REQUIRE(msg2(t, &s, MACH_SEND_MSG, sizeof s, 0, 0) == 0);
    uint8_t buf[256];
    memset(buf, 0xcc, sizeof buf);
    uint64_t opt = MACH_RCV_MSG | (uint64_t(MACH_RCV_TRAILER_AUDIT) << 24);
    REQUIRE(msg2(t, buf, opt, 0, sizeof buf, p) == 0);
    auto* r = reinterpret_cast<mach_msg_header_t*>(buf);
    CHECK(r->msgh_bits == msgh_bits_set(0, MACH_MSG_TYPE_PORT_SEND, 0, 0));
    CHECK(r->msgh_size == sizeof s);
    CHECK(r->msgh_local_port == p);
    CHECK(r->msgh_remote_port == 0);
    CHECK(r->msgh_id == 77);
    mach_msg_max_trailer_t tr;
    memcpy(&tr, buf + sizeof s, 52);
    uint32_t type = tr.msgh_trailer_type, size = tr.msgh_trailer_size, pid = tr.msgh_audit.val[5];
    CHECK(type == 0);
    CHECK(size == 52);
    CHECK(pid == uint32_t(getpid()));
    CHECK(buf[sizeof s + 52] == 0xcc);
}

TEST_CASE("kmsg sizes: descriptors are 12 bytes for ports and 16 for memory, as a 64-bit receiver sees them") {
    KLockGuard g(ipc_lock());
    Kmsg* km = kmsg_alloc(3, 8, 0);
    REQUIRE(km);
    km->bits = MACH_MSGH_BITS_COMPLEX;
    km->descs[0].type = MACH_MSG_PORT_DESCRIPTOR;
    km->descs[1].type = MACH_MSG_OOL_DESCRIPTOR;
    km->descs[2].type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
    CHECK(kmsg_user_size(km) == 24 + 4 + 12 + 16 + 16 + 8);
    km->bits = 0;
    km->dsc_count = 0;
    CHECK(kmsg_user_size(km) == 24 + 8);
    kmsg_free(km);
    CHECK(requested_trailer_size(0) == 8);
    CHECK(requested_trailer_size(uint64_t(MACH_RCV_TRAILER_CTX) << 24) == 60);
    CHECK(requested_trailer_size(uint64_t(5) << 24) == 68);
}

TEST_CASE("the queue limit, a timeout, and the message returned to the sender") {
    LocalThread t;
    uint32_t p = new_port(t);
    Simple s{};
    for (int i = 0; i < 5; i++) {
        s.h.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
        s.h.msgh_remote_port = p;
        CHECK(msg2(t, &s, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof s, 0, 0, 0) == 0);
    }
    s.h.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
    s.h.msgh_remote_port = p;
    CHECK(msg2(t, &s, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof s, 0, 0, 0) == MACH_SEND_TIMED_OUT);
    // The pseudo-received message: the made send right is now in the sender's space under the port's name.
    CHECK(s.h.msgh_remote_port == p);
    CHECK(s.h.msgh_bits == msgh_bits_set(MACH_MSG_TYPE_PORT_SEND, 0, 0, 0));
    uint8_t buf[128];
    for (int i = 0; i < 5; i++) CHECK(msg2(t, buf, MACH_RCV_MSG, 0, sizeof buf, p) == 0);
    CHECK(msg2(t, buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, p, 0) == MACH_RCV_TIMED_OUT);
}

TEST_CASE("MACH_RCV_LARGE leaves the message queued and reports its size") {
    LocalThread t;
    uint32_t p = new_port(t);
    Simple s{};
    s.h.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
    s.h.msgh_remote_port = p;
    REQUIRE(msg2(t, &s, MACH_SEND_MSG, sizeof s, 0, 0) == 0);
    uint8_t buf[128] = {};
    CHECK(msg2(t, buf, MACH_RCV_MSG | MACH_RCV_LARGE, 0, 32, p) == MACH_RCV_TOO_LARGE);
    CHECK(reinterpret_cast<mach_msg_header_t*>(buf)->msgh_size == sizeof s);
    CHECK(msg2(t, buf, MACH_RCV_MSG, 0, sizeof buf, p) == 0);
}

TEST_CASE("a receive blocks in its thread until another thread sends") {
    LocalThread t;
    uint32_t p = new_port(t);
    int32_t result = -1;
    uint32_t id = 0;
    std::thread receiver([&] {
        LocalThread rt;
        uint8_t buf[128];
        result = msg2(rt, buf, MACH_RCV_MSG, 0, sizeof buf, p);
        id = uint32_t(reinterpret_cast<mach_msg_header_t*>(buf)->msgh_id);
    });
    usleep(50000);
    CHECK(result == -1);
    Simple s{};
    s.h.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
    s.h.msgh_remote_port = p;
    s.h.msgh_id = 4321;
    REQUIRE(msg2(t, &s, MACH_SEND_MSG, sizeof s, 0, 0) == 0);
    receiver.join();
    CHECK(result == 0);
    CHECK(id == 4321);
}

TEST_CASE("sends from many threads to one port all arrive") {
    LocalThread t;
    uint32_t p = new_port(t);
    constexpr int kThreads = 4, kEach = 200;
    std::thread senders[kThreads];
    for (int i = 0; i < kThreads; i++)
        senders[i] = std::thread([p, i] {
            LocalThread st;
            for (int j = 0; j < kEach; j++) {
                Simple s{};
                s.h.msgh_bits = msgh_bits_set(MACH_MSG_TYPE_MAKE_SEND, 0, 0, 0);
                s.h.msgh_remote_port = p;
                s.v[0] = uint32_t(i);
                s.v[1] = uint32_t(j);
                msg2(st, &s, MACH_SEND_MSG, sizeof s, 0, 0);  // blocks while the queue is full
            }
        });
    int next[kThreads] = {};
    bool in_order = true;
    for (int k = 0; k < kThreads * kEach; k++) {
        uint8_t buf[128];
        REQUIRE(msg2(t, buf, MACH_RCV_MSG, 0, sizeof buf, p) == 0);
        Simple r;
        memcpy(&r, buf, sizeof r);
        in_order &= r.v[1] == uint32_t(next[r.v[0]]);
        next[r.v[0]]++;
    }
    for (auto& s : senders) s.join();
    CHECK(in_order);
    for (int n : next) CHECK(n == kEach);
}

TEST_CASE("mk_timer: a past deadline fires at once, one message at a time; a blocked receive wakes at the deadline") {
    LocalThread t;
    auto raw_now = [] {
        timespec ts;
        clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
        return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
    };
    uint32_t timer = uint32_t(xnu_sys::mach_mk_timer_create_trap(t).value);
    REQUIRE(timer != 0);
    uint8_t buf[128];
    CHECK(xnu_sys::mach_mk_timer_arm_trap(t, timer, 0).value == 0);
    CHECK(xnu_sys::mach_mk_timer_arm_trap(t, timer, 1).value == 0);  // the first message is still queued
    CHECK(msg2(t, buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, timer, 0) == 0);
    auto* h = reinterpret_cast<mach_msg_header_t*>(buf);
    CHECK(h->msgh_size == 48);
    CHECK(h->msgh_local_port == timer);
    CHECK(h->msgh_bits == msgh_bits_set(0, MACH_MSG_TYPE_PORT_SEND, 0, 0));
    CHECK(msg2(t, buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, timer, 0) == MACH_RCV_TIMED_OUT);

    uint64_t t0 = raw_now();
    CHECK(xnu_sys::mach_mk_timer_arm_trap(t, timer, t0 + 20000000).value == 0);
    CHECK(msg2(t, buf, MACH_RCV_MSG, 0, sizeof buf, timer) == 0);
    CHECK(raw_now() >= t0 + 20000000);

    // A user timeout shorter than the timer's deadline still times out.
    CHECK(xnu_sys::mach_mk_timer_arm_trap(t, timer, raw_now() + 500000000).value == 0);
    CHECK(msg2(t, buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, timer, 10) == MACH_RCV_TIMED_OUT);
    uint64_t armed = 0;
    CHECK(xnu_sys::mach_mk_timer_cancel_trap(t, timer, addr(&armed)).value == 0);
    CHECK(armed > 0);
    CHECK(xnu_sys::mach_mk_timer_destroy_trap(t, timer).value == 0);
    CHECK(xnu_sys::mach_mk_timer_destroy_trap(t, timer).value == KERN_INVALID_NAME);
}

TEST_CASE("the hooks for bsdthread_create/terminate: a thread port send right, and its clean-up") {
    LocalThread t;
    uint32_t self = uint32_t(xnu_sys::mach_thread_self_trap(t).value);
    REQUIRE(self != 0);
    uint32_t refs = 0;
    auto get_refs = [&](uint32_t name) {
        refs = 0;
        Task* task = current_task(t);  // not under the lock: it may map the wait page
        IpcLock lock(t);
        mp_get_refs(task->space, name, MACH_PORT_RIGHT_SEND, &refs);
        return refs;
    };
    uint32_t before = get_refs(self);
    CHECK(thread_port_copyout(t, t.tid()) == self);  // one name per port: the same entry, one more reference
    CHECK(get_refs(self) == before + 1);
    CHECK(thread_terminate_cleanup(t, 0, self) == KERN_SUCCESS);
    // The thread's port died with it: the name's remaining references are a dead name's.
    {
        Task* task = current_task(t);
        IpcLock lock(t);
        uint32_t type = 0, dead = 0;
        mp_type(task->space, self, &type);
        mp_get_refs(task->space, self, MACH_PORT_RIGHT_DEAD_NAME, &dead);
        CHECK(type == MACH_PORT_TYPE_DEAD_NAME);
        CHECK(dead == before);
    }
    CHECK(thread_terminate_cleanup(t, 0x7777703, 0) == KERN_INVALID_NAME);  // the semaphore name is checked
}

TEST_CASE("a complex send that fails midway gives back every right, reference and byte it took") {
    LocalThread t;
    uint32_t dest = new_port(t), q = new_port(t);
    REQUIRE(xnu_sys::mach_kernelrpc_mach_port_insert_right_trap(t, task_self(t), q, q, MACH_MSG_TYPE_MAKE_SEND).value == 0);
    constexpr uint32_t kNoSuchName = 0x7777703;  // no entry: KERN_INVALID_NAME, which raises no guard exception
    static uint8_t bytes[100] = {1, 2, 3};
    void* hole = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(hole != MAP_FAILED);
    munmap(hole, 4096);
    const Held dest0 = held(t, dest), q0 = held(t, q);
    const size_t mem0 = kalloc_in_use();
    auto fails = [&](Complex& m, int32_t want) {
        CHECK(msg2(t, m.to(dest), MACH_SEND_MSG, m.size, 0, 0) == want);
        CHECK(held(t, dest) == dest0);
        CHECK(held(t, q) == q0);
        CHECK(kalloc_in_use() == mem0);
    };
    SUBCASE("a bad name in the second port descriptor: the first one's right and the header's are destroyed") {
        Complex m;
        m.add(port_desc(q, MACH_MSG_TYPE_COPY_SEND)).add(port_desc(kNoSuchName, MACH_MSG_TYPE_COPY_SEND));
        fails(m, MACH_SEND_INVALID_RIGHT);
    }
    SUBCASE("out-of-line memory at an unmapped address: the memory read before it is freed") {
        Complex m;
        m.add(port_desc(q, MACH_MSG_TYPE_COPY_SEND)).add(ool_desc(bytes, sizeof bytes)).add(ool_desc(hole, 64));
        fails(m, MACH_SEND_INVALID_MEMORY);
    }
    SUBCASE("a bad name in the middle of an out-of-line port array: the rights before it in the array go too") {
        const uint32_t names[3] = {q, kNoSuchName, q};
        Complex m;
        m.add(ool_desc(bytes, sizeof bytes)).add(ool_ports_desc(names, 3, MACH_MSG_TYPE_COPY_SEND)).add(ool_desc(bytes, 50));
        fails(m, MACH_SEND_INVALID_RIGHT);
    }
    SUBCASE("a bad copy option in the second out-of-line descriptor: the capture itself fails") {
        Complex m;
        m.add(port_desc(q, MACH_MSG_TYPE_COPY_SEND)).add(ool_desc(bytes, sizeof bytes)).add(ool_desc(bytes, 8, 7));
        fails(m, MACH_SEND_INVALID_TYPE);
    }
    SUBCASE("a descriptor of no known type: the measure fails") {
        Complex m;
        m.add(ool_desc(bytes, sizeof bytes));
        auto bad = ool_desc(bytes, 8);
        bad.type = 9;
        m.add(bad);
        fails(m, MACH_SEND_INVALID_TYPE);
    }
}
