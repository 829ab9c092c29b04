// Darwin signals on top of Linux's: dispositions and masks in Darwin numbering, and delivery that builds
// XNU's handler frame (siginfo, ucontext, mcontext) on the program's stack and enters the handler through the
// program's own trampoline, as xnu bsd/dev/i386/unix_signal.c sendsig does. Backends call deliver_signal when
// a signal the program catches arrives; sigreturn undoes it.
#pragma once

#include <csignal>
#include <cstdint>

#include "common.hpp"

namespace xnu_sys {

struct SigAction {
    uint64_t handler = 0;  // XNU_SIG_DFL, XNU_SIG_IGN or a function
    uint64_t tramp = 0;
    uint32_t mask = 0;     // Darwin signal set
    int32_t flags = 0;     // XNU_SA_*
};

// One signal occurrence, in Darwin terms.
struct SignalEvent {
    int sig = 0;  // Darwin number
    int code = 0;
    uint64_t addr = 0;  // fault address, or 0: the interrupted rip is reported instead
    bool fault = false;
    int32_t pid = 0;
    uint32_t uid = 0;
    int32_t status = 0;
    uint64_t value = 0;
    uint16_t trapno = 0;
    uint32_t err = 0;
    // Nonzero: a backend's live frames (a Linux signal frame among them) lie on the interrupted stack above
    // this address, so a handler frame built on that stack must start below it.
    uint64_t frame_below = 0;
};

// Translates a Linux siginfo (codes renumbered: SI_USER, FPE_*, SEGV_ACCERR -> SIGBUS as XNU reports a
// protection fault). Returns an event with sig 0 for a Linux signal Darwin does not have.
SignalEvent event_from_linux(const siginfo_t& si);

// Signals the backend itself needs in the program's process (inproc: SIGSYS for trapped calls; SIGSEGV,
// SIGBUS, SIGTRAP for the int $0x82 gate, fault-safe copies and call-site patching). Their Darwin dispositions
// and mask bits are kept here only; Linux never blocks them.
bool internal_signal(int linux_sig);
void set_internal_signals(uint64_t linux_mask);

SigAction action_of(int xnu_sig);

// Builds the handler frame for `ev` and points the thread's registers at the program's trampoline. Returns
// false when the program has no handler for the signal (the caller applies the default action).
bool deliver_signal(Thread& t, const SignalEvent& ev);

// The program's Darwin signal mask as this thread will see it (Linux mask plus the virtual bits of internal
// signals).
uint32_t xnu_sigmask(Thread& t);

// How a backend makes Linux deliver a signal the program catches to it (inproc: a Linux handler that calls
// deliver_signal; ptrace: the supervisor sees the signal-delivery stop). Returns 0 or -errno.
using SignalInstaller = int (*)(Thread& t, int linux_sig, const SigAction& act);
void set_signal_installer(SignalInstaller installer);

// Takes over the dispositions the process inherited through execve: a signal Linux ignores is SIG_IGN in
// the Darwin table too (POSIX keeps ignored signals ignored across exec). Call before the program starts.
void adopt_inherited_dispositions();

// The process-wide part of the signal state (dispositions), for a supervisor that serves several processes
// and keeps one copy per process.
void* process_signal_state(size_t* size);

// A Darwin signal that arrived while the program blocked it virtually (internal signals only): recorded as
// pending, delivered when unblocked.
void mark_pending(Thread& t, int xnu_sig);

}  // namespace xnu_sys
