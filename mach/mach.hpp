// What the rest of macrun may ask of the Mach kernel. For syscalls/thread.cpp (not changed by the Mach IPC
// work): libpthread keeps each thread's port name in its TSD and bsdthread_terminate signals a semaphore and
// drops that name (xnu bsd/pthread/pthread_shims.c, libpthread kern/kern_support.c: _bsdthread_create copies
// out a send right with ipc_port_copyout_send; _bsdthread_terminate calls semaphore_signal_internal_trap and
// mach_port_deallocate).
#pragma once

#include <cstdint>

#include "base/thread.hpp"

namespace mach {

// A send right (one more user reference) to the kernel port of thread `tid` of the calling process, in the
// process's space; MACH_PORT_NULL (0) if it cannot be made.
uint32_t thread_port_copyout(base::Thread& t, int tid);

// bsdthread_terminate's clean-up: signals semaphore `sema` (if not MACH_PORT_NULL) and deallocates the name
// `kthport` (if not MACH_PORT_NULL). Returns the signal's kern_return_t (KERN_SUCCESS when none).
int thread_terminate_cleanup(base::Thread& t, uint32_t sema, uint32_t kthport);

// The thread id behind a send right `name` to a thread port in the calling process's space, or -1
// (port_name_to_thread with PORT_INTRANS_THREAD_IN_CURRENT_TASK).
int thread_tid_of_port(base::Thread& t, uint32_t name);

}  // namespace mach
