// Kernel objects behind ports (xnu osfmk/kern/ipc_kobject.c): tasks, threads, the host, semaphores (and mk_timer
// ports, whose receive right the task holds: mk_timer.cpp). A message sent to one is handled at once by the MIG
// server for its id (mig.cpp) and the reply goes to the request's reply port.
#pragma once

#include "ipc_kmsg.hpp"
#include "task.hpp"

namespace mach {

struct Semaphore {
    Port* port = nullptr;  // kernel port (IKOT_SEMAPHORE), made when the first send right is
    Task* owner = nullptr; // null once destroyed
    int32_t count = 0;
    uint32_t refs = 1;     // the owner's list; +1 while send rights exist; +1 per waiting thread
    int policy = 0;
    WaitList waiters;
    Semaphore* next = nullptr;
};

// ipc_kobject_server: handles `request` (consumed) sent to kernel port `port`; returns the reply to send, or
// null. Under the IPC lock.
Kmsg* kobject_server(IpcLock& lock, Task* task, Port* port, Kmsg* request);

// The last send right to a kernel port went away.
void kobject_no_senders(Port* port);

// The session's bootstrap port (bootstrap.cpp), made on first use; null only without memory. Under the IPC lock.
Port* bootstrap_port();

// The bootstrap call a message id names ("bootstrap_look_up"), or null.
const char* bootstrap_routine_name(int32_t id);

// The MIG routine a message id names ("task_info"), or null.
const char* mig_routine_name(int32_t id);

// Semaphores (semaphore.cpp).
kern_return_t semaphore_create(Task* task, int policy, int value, Semaphore** out);
kern_return_t semaphore_destroy(Task* task, Semaphore* s);  // consumes the caller's reference
Port* semaphore_to_port(Semaphore* s);                      // consumes a reference; makes a send right
Semaphore* port_to_semaphore(Port* port);                   // a new reference, or null
void semaphore_dereference(Semaphore* s);

// Timers (mk_timer.cpp), fired lazily under the IPC lock.
void mk_timer_fire_due(Task* task);               // timers whose deadline passed send their message
bool mk_timer_armed(const Port* port);            // a timer port with an armed deadline
uint64_t mk_timer_next_deadline(Object* obj);     // CLOCK_MONOTONIC deadline of the earliest armed timer a
                                                  // receive on the port or set could get; 0 if none
void mk_timer_port_destroyed(Port* port);         // port_destroy of a timer port: the timer goes

}  // namespace mach
