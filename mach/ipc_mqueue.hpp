// Message queues (xnu osfmk/ipc/ipc_mqueue.c): posting to a waiting receiver or the queue, blocking senders
// on a full queue, selecting a message for a receiver (port or set).
#pragma once

#include "ipc_kmsg.hpp"
#include "task.hpp"

namespace mach {

// Hands `km` to a waiting receiver or queues it. The caller reserved a slot (msgcount++).
/// Contract: consumes the message. Under the IPC lock.
void mqueue_post(Port* port, Kmsg* km);

// Internal wake-up state: a blocked receive should look again and sleep with a new deadline (a timer it
// could get a message from was armed). Never reaches user space.
constexpr mach_msg_return_t kRcvRetry = 0x7fff0001;

// Wakes the receivers blocked on `port` and on the sets it is in with kRcvRetry. Under the IPC lock.
void mqueue_restart_receivers(Port* port);

// A port just joined `pset`: its queued messages go to threads waiting on the set. Under the IPC lock.
void mqueue_match_set_waiters(Port* port, PortSet* pset);

// Sends `km` to its destination port, waiting for a queue slot as the options allow. On MACH_MSG_SUCCESS the
// message is gone (queued, handed over, or destroyed at a dead port); on an error the caller still owns it.
// Under the IPC lock (released while waiting).
mach_msg_return_t mqueue_send(IpcLock& lock, Task* task, Kmsg* km, uint64_t option, uint32_t timeout_ms);

// ipc_kmsg_send: the whole send, kernel objects included (their reply is sent on). Same ownership rules.
mach_msg_return_t kmsg_send(IpcLock& lock, Task* task, Kmsg* km, uint64_t option, uint32_t timeout_ms);

struct ReceiveResult {
    mach_msg_return_t state = MACH_MSG_SUCCESS;  // SUCCESS, RCV_TOO_LARGE, RCV_TIMED_OUT, RCV_INTERRUPTED...
    Kmsg* kmsg = nullptr;                        // the message taken (also with RCV_TOO_LARGE without RCV_LARGE)
    uint32_t msize = 0;                          // with RCV_TOO_LARGE: the size the message needs
    uint32_t seqno = 0;
    mach_port_name_t receiver_name = 0;          // the port the message came from (for port sets)
    uint64_t context = 0;                        // the destination port's context, for the trailer
};

// Receives from the port or port set `name` (ipc_mqueue_copyin + ipc_mqueue_receive). Under the IPC lock.
ReceiveResult mqueue_receive(IpcLock& lock, Task* task, int tid, mach_port_name_t name, uint64_t option,
                             uint32_t max_size, uint32_t timeout_ms);

}  // namespace mach
