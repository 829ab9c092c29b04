// Per-process state that XNU keeps and Linux does not (or keeps differently), read by more than one layer
// (libpthread's registration is read by the Mach thread routines too). A supervisor that serves several
// processes keeps one copy per process and swaps it in.
#pragma once

#include <atomic>
#include <cstdint>

namespace base {

// Per-process state that XNU keeps and Linux does not (or keeps differently).
struct ProcessState {
    // bsdthread_register (libpthread's per-process registration)
    std::atomic<bool> pthread_registered{false};
    uint64_t threadstart = 0, wqthread = 0;
    uint32_t pthsize = 0, tsd_offset = 0, mach_thread_self_offset = 0;
    uint64_t dispatch_queue_offset = 0;
    std::atomic<uint32_t> umask{022};             // XNU keeps all 12 bits (07777)
    std::atomic<uint64_t> nosigpipe[1024 / 64]{};  // F_SETNOSIGPIPE, per descriptor
};
ProcessState& process_state();
// Reads the host state the program inherits (umask). Called once before the program starts.
void init_process_state();

}  // namespace base
