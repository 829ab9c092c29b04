// The kernel lock and allocator (mach/klock.cpp): a signal on the thread that holds the IPC lock waits for the
// release and arrives with its siginfo; the allocator gives back what the Mach kernel's objects took: after
// 10,000 ports are allocated and destroyed, the bytes in use are what they were before.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "mach/ipc.hpp"
#include "mach/klock.hpp"
#include "mach/mach_port.hpp"

using namespace mach;

namespace {

std::atomic<int> g_deferred_runs{0}, g_runs{0};
int g_value = 0;
bool g_lock_free_when_run = false;

void on_usr2(int sig, siginfo_t* si, void* uc) {
    if (klock_defer_signal(sig, si, uc)) {
        g_deferred_runs++;
        return;
    }
    g_runs++;
    g_value = si->si_value.sival_int;
    g_lock_free_when_run = ipc_lock().owner() == 0;
}

// Queues SIGUSR2 with a value to the calling thread, as sigqueue would to a process.
void queue_to_self(int value) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR2;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), SIGUSR2, &si);
}

}  // namespace

TEST_CASE("a signal on the thread holding the IPC lock is delivered when the lock is let go, siginfo intact") {
    struct sigaction sa {}, old {};
    sa.sa_sigaction = on_usr2;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR2, &sa, &old) == 0);
    g_deferred_runs = 0, g_runs = 0, g_value = 0;

    queue_to_self(7);
    CHECK(g_runs == 1);  // not holding the lock: at once
    CHECK(g_deferred_runs == 0);
    {
        KLockGuard g(ipc_lock(), int(syscall(SYS_gettid)));
        CHECK(ipc_lock().owner() == int(syscall(SYS_gettid)));
        queue_to_self(1234);
        CHECK(g_deferred_runs == 1);  // it came, and was put back
        CHECK(g_runs == 1);
        sigset_t now;
        sigprocmask(SIG_BLOCK, nullptr, &now);
        CHECK(sigismember(&now, SIGUSR2));  // blocked until the release
    }
    CHECK(g_runs == 2);
    CHECK(g_value == 1234);
    CHECK(g_lock_free_when_run);
    sigset_t now;
    sigprocmask(SIG_BLOCK, nullptr, &now);
    CHECK(!sigismember(&now, SIGUSR2));  // and the mask is as it was

    // A lock held by someone else (here: an owner id that is no thread of ours) defers nothing.
    ipc_lock().lock(1);
    queue_to_self(5);
    CHECK(g_runs == 3);
    ipc_lock().unlock();
    sigaction(SIGUSR2, &old, nullptr);
}

TEST_CASE("10,000 ports allocated and destroyed give back every byte the kernel took for them") {
    KLockGuard g(ipc_lock());
    Space* s = space_create(nullptr);
    REQUIRE(s);
    // The table's growth is kept (as XNU keeps a grown table): measure after one round has grown it.
    static mach_port_name_t names[10000];
    for (int round = 0; round < 3; round++) {
        size_t before = kalloc_in_use();
        for (auto& n : names) REQUIRE(mp_allocate_full(s, MACH_PORT_RIGHT_RECEIVE, false, &n) == KERN_SUCCESS);
        size_t during = kalloc_in_use();
        CHECK(during > before);
        for (auto n : names) REQUIRE(mp_mod_refs(s, n, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS);
        size_t after = kalloc_in_use();
        MESSAGE("round " << round << ": " << before << " bytes before, " << during << " with 10,000 ports, " << after
                         << " after");
        if (round > 0) CHECK(after == before);
    }
    space_terminate(s);
    kdelete(s);
}
