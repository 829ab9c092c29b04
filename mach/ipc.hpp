// macrun's Mach IPC kernel, layered as xnu osfmk/ipc is:
//
//   ipc_space   a task's name table: entries (name = index << 8 | generation) with type bits and user
//               references, a free list, and a reverse table (port -> name of its send right)
//   ipc_right   what a name denotes and how rights move: copyin (into a message), copyout (into a space),
//               dealloc/delta/destruct/destroy, dead-name conversion
//   ipc_port    ports (receive side, send/send-once right counts, make-send count, message queue with its
//               limit, waiting receivers and senders, kernel objects) and port sets
//   ipc_kmsg    kernel messages: header rights, descriptors (ports, OOL memory, OOL port arrays), trailers;
//               copyin from and copyout to user memory
//   ipc_mqueue  send (queue limit, blocking, timeouts) and receive (ports and sets, MACH_RCV_LARGE)
//
// Everything is protected by one lock per macrun kernel (ipc_lock()), never held across a blocking wait: a
// waiting thread parks on a futex word of its own in its process (see task.hpp) and is handed what it waits
// for (a message, a queue slot, a semaphore count) by the thread that wakes it.
//
// Reference contracts, as in xnu: a function that "consumes" a right or a port reference says so, and
// asserts what it relies on. Objects are freed when their last reference goes.
#pragma once

#include <cstdint>

#include "klock.hpp"
#include "mach_abi.hpp"

namespace mach {

struct Space;
struct Port;
struct PortSet;
struct Kmsg;
struct Task;
struct Waiter;

// Asserts that hold in release builds too: a broken invariant in the kernel is a macrun bug.
[[noreturn]] void kernel_panic(const char* what, const char* file, int line);
#define MACH_ASSERT(c) ((c) ? (void)0 : ::mach::kernel_panic(#c, __FILE__, __LINE__))

// The IPC lock and the kernel's own space, in the shared region (kglobals.hpp).
KLock& ipc_lock();
Space* kernel_space();

// ---- waiting ----

// A thread waiting for something. It lives on the waiting thread's stack, linked into one WaitList while it
// waits; the waker unlinks it, fills in the result and bumps the thread's futex word.
struct WaitList {
    Waiter* head = nullptr;
    Waiter* tail = nullptr;
    bool empty() const { return head == nullptr; }
};

enum class WaitKind : uint8_t { Receive, SendSlot, Semaphore };

struct Waiter {
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
    WaitList* list = nullptr;
    WaitKind kind = WaitKind::Receive;
    Task* task = nullptr;
    int tid = 0;
    uint32_t slot = 0;       // the futex word's index: in the region's shared words, or in the task's wait page
    bool shared_word = false;
    uint64_t futex_addr = 0;  // where the waiting thread sleeps (its own address space)
    uint64_t wake_addr = 0;   // the same word where the waker sees it (0: only in the waiter's process)
    bool woken = false;      // set by the waker, under the lock
    // Receive: the receive's parameters, and what the waker hands over.
    uint64_t option = 0;
    uint32_t max_size = 0;
    mach_msg_return_t state = 0;  // MACH_MSG_SUCCESS, MACH_RCV_TOO_LARGE, MACH_RCV_PORT_DIED...
    Kmsg* kmsg = nullptr;
    uint32_t msize = 0;
    uint32_t seqno = 0;
    mach_port_name_t receiver_name = 0;
    uint64_t context = 0;
    // Semaphore wait: the result (KERN_SUCCESS, KERN_TERMINATED).
    kern_return_t result = 0;
};

void waitlist_push(WaitList& l, Waiter* w);
void waitlist_remove(Waiter* w);
Waiter* waitlist_pop(WaitList& l);

// ---- objects ----

enum class Kotype : uint8_t { None, Task, Thread, Host, Semaphore, Timer, Clock, Bootstrap };

struct Object {
    uint32_t refs = 1;
    bool is_pset = false;
    bool active = true;
};

struct DeadNameRequest {
    mach_port_name_t name;
    Port* notify;  // a send-once right
    DeadNameRequest* next;
};

struct Port : Object {
    Space* receiver = nullptr;          // holder of the receive right; null in transit; kernel_space() for kobjects
    mach_port_name_t receiver_name = 0;
    Kmsg* in_transit = nullptr;         // the message carrying the receive right, while in transit
    uint32_t srights = 0, sorights = 0, mscount = 0;
    uint32_t qlimit = MACH_PORT_QLIMIT_DEFAULT;
    uint32_t msgcount = 0;              // queued messages plus slots reserved by senders (imq_msgcount)
    uint32_t seqno = 0;
    Kmsg* qhead = nullptr;
    Kmsg* qtail = nullptr;
    PortSet** psets = nullptr;          // the sets it is a member of (a port can be in several)
    uint32_t npsets = 0, cap_psets = 0;
    WaitList receivers;                 // threads receiving on this port itself
    WaitList fullwaiters;               // senders waiting for a queue slot
    uint64_t context = 0;
    bool guarded = false, strict_guard = false, immovable_receive = false;
    Kotype kotype = Kotype::None;
    void* kobject = nullptr;
    Port* nsrequest = nullptr;          // send-once right for a no-senders notification
    Port* pdrequest = nullptr;          // send-once right for a port-destroyed notification
    DeadNameRequest* dnrequests = nullptr;
    uint64_t death_time = 0;
};

struct PortSet : Object {
    Space* space = nullptr;
    mach_port_name_t name = 0;
    Port** members = nullptr;
    uint32_t nmembers = 0, cap_members = 0;
    WaitList receivers;
};

inline bool ip_valid(const Port* p) { return p != nullptr && p != reinterpret_cast<const Port*>(~uintptr_t(0)); }
inline Port* const IP_DEAD = reinterpret_cast<Port*>(~uintptr_t(0));

// ---- space ----

struct Entry {
    Object* obj = nullptr;
    uint32_t bits = 0;
    uint32_t next = 0;     // free list link while free
    uint32_t request = 0;  // nonzero: a dead-name request is registered for this name
};

constexpr uint32_t ie_urefs(uint32_t bits) { return bits & IE_BITS_UREFS_MASK; }
constexpr uint32_t ie_type(uint32_t bits) { return bits & IE_BITS_TYPE_MASK; }
constexpr uint32_t ie_gen(uint32_t bits) { return bits & IE_BITS_GEN_MASK; }

struct Space {
    Task* task = nullptr;
    bool active = true;
    Entry* table = nullptr;
    uint32_t size = 0;       // entries in the table (index 0 is reserved: the free list head)
    uint32_t max_size = 1u << 20;
    uint64_t rng = 0;        // xorshift state for the free-list order and generation rollover points
    // Reverse table: port -> name of the entry holding its send rights (without the receive right).
    uintptr_t* rev_keys = nullptr;
    mach_port_name_t* rev_names = nullptr;
    uint32_t rev_cap = 0, rev_used = 0;
};


inline bool ip_in_space(const Port* p, const Space* s) { return p->receiver == s; }
inline bool ip_is_kobject(const Port* p) { return p->kotype != Kotype::None && p->kotype != Kotype::Timer; }

// ipc_space.cpp
Space* space_create(Task* task);
void space_terminate(Space* space);                                             // destroys every right
Entry* entry_lookup(Space* space, mach_port_name_t name);
kern_return_t entry_alloc(Space* space, Object* obj, mach_port_name_t* name, Entry** entry);
kern_return_t entry_alloc_name(Space* space, mach_port_name_t name, Entry** entry);
void entry_dealloc(Space* space, mach_port_name_t name, Entry* entry);
bool right_reverse(Space* space, Port* port, mach_port_name_t* name, Entry** entry);
void reverse_insert(Space* space, Port* port, mach_port_name_t name);
void reverse_delete(Space* space, Port* port);
mach_port_name_t entry_name(Space* space, Entry* entry);

// ---- ports (ipc_port.cpp) ----

void port_reference(Object* o);
void port_release(Object* o);                          // drops a reference; frees an inactive object at zero
kern_return_t port_alloc(Space* space, mach_port_name_t* name, Port** port);
kern_return_t port_alloc_name(Space* space, mach_port_name_t name, Port** port);
Port* port_alloc_kobject(Kotype type, void* kobject);  // a kernel port with no rights yet, one reference
Port* port_alloc_in_transit();  // a port whose receive right is in no space yet (the kernel hands it out)
kern_return_t pset_alloc(Space* space, mach_port_name_t* name, PortSet** pset);
kern_return_t pset_alloc_name(Space* space, mach_port_name_t name, PortSet** pset);
void pset_destroy(PortSet* pset);                      // consumes the entry's reference
kern_return_t pset_add(PortSet* pset, Port* port);     // KERN_ALREADY_IN_SET; hands queued messages to set waiters
bool pset_remove(PortSet* pset, Port* port);           // false if the port was not a member
void port_leave_all_psets(Port* port);
void port_destroy(Port* port);                         // consumes the receive right (and its reference)
void port_clear_receiver(Port* port);                  // the receive right leaves its space
void port_make_send(Port* port);                       // +1 send right, +1 reference, mscount++
void port_copy_send(Port* port);                       // +1 send right, +1 reference
void port_make_send_once(Port* port);                  // +1 send-once right, +1 reference
void port_release_send(Port* port);                    // consumes a send right and its reference
void port_release_send_once(Port* port);               // consumes a send-once right and its reference
void port_release_receive(Port* port);                 // consumes an in-transit receive right
void notify_send_once(Port* port);                     // consumes a send-once right: sends MACH_NOTIFY_SEND_ONCE
void notify_no_senders_check(Port* port);              // after srights reached 0
bool port_full(const Port* port);

// ---- rights (ipc_right.cpp) ----

// ipc_object_copyin flags
constexpr uint32_t COPYIN_DEADOK = 1, COPYIN_DEST_EXTRA_MOVE = 2, COPYIN_DEST_EXTRA_COPY = 4,
                   COPYIN_ALLOW_DEAD_SEND_ONCE = 8;

bool right_check(Space* space, Port* port, mach_port_name_t name, Entry* entry, uint32_t flags = 0);
kern_return_t right_destroy(Space* space, mach_port_name_t name, Entry* entry, bool check_guard, uint64_t guard);
kern_return_t right_dealloc(Space* space, mach_port_name_t name, Entry* entry);
kern_return_t right_delta(Space* space, mach_port_name_t name, Entry* entry, mach_port_right_t right, int32_t delta);
kern_return_t right_destruct(Space* space, mach_port_name_t name, Entry* entry, int32_t srdelta, uint64_t guard);
void right_info(Space* space, mach_port_name_t name, Entry* entry, uint32_t* type, uint32_t* urefs);
bool right_copyin_check_reply(Space* space, Entry* reply_entry, mach_msg_type_name_t reply_type);
kern_return_t right_copyin(Space* space, mach_port_name_t name, Entry* entry, mach_msg_type_name_t msgt,
                           uint32_t flags, Port** port);
void right_copyout(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t name, Entry* entry);
mach_msg_type_name_t object_copyin_type(mach_msg_type_name_t msgt);
kern_return_t object_copyin(Space* space, mach_port_name_t name, mach_msg_type_name_t msgt, uint32_t flags, Port** port);
kern_return_t object_copyout(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t* name);
kern_return_t object_copyout_name(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t name);
void object_copyout_dest(Space* space, Port* port, mach_msg_type_name_t msgt, mach_port_name_t* name);
void object_destroy(Port* port, mach_msg_type_name_t msgt);  // consumes the right
kern_return_t object_insert_send_right(Space* space, mach_port_name_t name, mach_msg_type_name_t msgt);
kern_return_t object_alloc_dead(Space* space, mach_port_name_t* name);
// The port behind a send right (ipc_port_translate_send): KERN_INVALID_NAME, KERN_INVALID_RIGHT.
kern_return_t port_translate_send(Space* space, mach_port_name_t name, Port** port);
kern_return_t port_translate_receive(Space* space, mach_port_name_t name, Port** port);

// EXC_GUARD for a Mach port (xnu mach_port_guard_exception). Codes up to MAX_FATAL_kGUARD_EXC_CODE are fatal:
// the space's task is marked, and the trap that raised it ends the process on its way out, as XNU's AST does.
// The optional ones are not delivered to third-party processes (task_exc_guard_default >> 8 is 0).
void guard_exception(Space* space, mach_port_name_t name, uint64_t payload, uint32_t reason);

}  // namespace mach
