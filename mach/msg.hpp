// mach_msg: moving messages between user memory and the kernel (xnu osfmk/ipc/mach_msg.c and the copyin,
// copyout and put parts of ipc_kmsg.c).
#pragma once

#include "ipc_mqueue.hpp"

namespace mach {

struct SendArgs {
    mach_msg_header_t header{};  // from the trap arguments (mach_msg2) or the buffer (mach_msg)
    uint64_t msg_addr = 0;
    uint32_t msg_size = 0;
    uint32_t dsc_count = 0;
    uint64_t aux_addr = 0;
    uint32_t aux_size = 0;
};

struct RecvArgs {
    mach_port_name_t name = 0;
    uint64_t msg_addr = 0;
    uint32_t msg_size = 0;
    uint64_t aux_addr = 0;
    uint32_t aux_size = 0;
};

// mach_msg_trap_send: sends, or returns the error (with the pseudo-received message copied back to the
// sender's buffer when the message was taken in but could not be delivered).
mach_msg_return_t msg_send(base::Thread& t, Task* task, const SendArgs& a, uint64_t options, uint32_t timeout_ms);
// mach_msg_trap_receive.
mach_msg_return_t msg_receive(base::Thread& t, Task* task, const RecvArgs& a, uint64_t options, uint32_t timeout_ms);

}  // namespace mach
