// The Mach kernel's shared state. In process, every macrun process of one session (a program, the processes it
// forks, the Mach-O programs they exec, and what Linux programs they start run under macrun) maps one region of
// shared memory at the same address, so one kernel serves them all: ports, rights and messages move between
// tasks as between threads. The region is a memfd, created by the session's first macrun and handed to the
// next through an inherited descriptor (--mach-fd, or MACRUN_MACH_FD for a Linux program in between). Under
// ptrace the supervisor is the only process that maps it. Everything the kernel keeps lives in the region:
// these globals at its start, then what kalloc hands out. Nothing in it may point into one process's private
// memory (its stack, macrun's image, which has a random base per process).
#pragma once

#include <atomic>
#include <cstdint>

#include "ipc.hpp"

namespace mach {

struct Wake {
    uint64_t addr;  // the futex word: in the region (in process) or in the waiter's wait page (ptrace)
    int pid;        // the waiter's process
};

constexpr int kMaxTasks = 4096;  // live processes in one session
constexpr uint32_t kSharedWaitWords = 8192;  // futex words for waiting threads (in process)
constexpr int kAllocClasses = 31;  // 16 bytes << 0..30

struct KernelGlobals {
    uint64_t magic;
    // The allocator (klock.cpp): a bump offset into the region, and a free list per power-of-two class.
    std::atomic<uint64_t> bump;
    std::atomic<uint64_t> free_lists[kAllocClasses];
    std::atomic<uint64_t> in_use;
    KLock ipc_lock;
    Space kernel_space;  // the receiver of kernel object ports
    Task* tasks[kMaxTasks];
    uint32_t sweep_cursor;  // where the next sweep for dead processes' tasks starts (task.cpp)
    Wake* wakes;         // wake-ups decided under the IPC lock, delivered at its release
    uint32_t nwakes, capwakes;
    uint64_t order;        // global send order (a port set delivers its oldest message first)
    uint64_t death_clock;  // ports' death order (dead-name lookups)
    // In process a waiting thread sleeps on one of these words (a shared futex, so the thread that wakes it may
    // be in another process); a word is taken and given back under the IPC lock and never used for anything
    // else, so a late wake-up is at worst a spurious one.
    std::atomic<uint32_t> wait_words[kSharedWaitWords];
    uint64_t wait_word_bits[kSharedWaitWords / 64];
    Port* bootstrap;       // the session's bootstrap port (bootstrap.cpp), made on first use
    struct BootstrapService* services;
};

// The globals, mapping the region on first use (from g_runtime.mach_fd if the session has one). Never null:
// a process that cannot map the region stops with a message.
KernelGlobals& kg();

// The region's descriptor in this process (g_runtime.mach_fd; -1 until the region is mapped), for handing on
// at exec.
int kernel_region_fd();

}  // namespace mach
