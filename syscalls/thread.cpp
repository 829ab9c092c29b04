// Threads: bsdthread_register, bsdthread_create, bsdthread_terminate, with libpthread's kernel protocol
// (libpthread kern/kern_support.c): threads start at the registered thread-start routine with
// rdi = pthread, rsi = thread port, rdx = function, rcx = argument, r8 = stack, r9 = flags.
#include "base/abi/xnu_signal.hpp"
#include "common.hpp"
#include "mach/mach.hpp"
#include "mach/task.hpp"

namespace xnu_sys {
namespace {


}  // namespace

/// bsdthread_register implements XNU BSD bsdthread_register (366): records the thread-start routines, the
/// pthread size and the TSD offsets, once per process; answers the feature bits (none of the optional ones:
/// no workqueues yet).
SysResult sys_bsdthread_register(Thread& t, TraceeAddr threadstart, TraceeAddr wqthread, uint32_t pthsize,
                                 TraceeAddr init_data, TraceeAddr init_data_size, uint32_t dispatchqueue_offset,
                                 uint32_t /* tsd_offset: the registration data carries it */) {
    if (int32_t(pthsize) < 0 || int32_t(pthsize) > xnu::XNU_MAX_PTHREAD_SIZE) return SysResult::error(xnu::XNU_EINVAL);
    ProcessState& ps = process_state();
    xnu::pthread_registration_data data{};
    size_t size = 0;
    if (!init_data.null()) {
        if (init_data_size.addr < sizeof data.version) return SysResult::error(xnu::XNU_EINVAL);
        size = std::min<size_t>(sizeof data, init_data_size.addr);
        XNU_TRY(t.read(init_data, &data, size));
        if (data.version != init_data_size.addr) return SysResult::error(xnu::XNU_EINVAL);
    } else {
        data.dispatch_queue_offset = dispatchqueue_offset;
    }
    bool expected = false;
    if (!ps.pthread_registered.compare_exchange_strong(expected, true)) return SysResult::error(xnu::XNU_EINVAL);
    ps.threadstart = threadstart.addr;
    ps.wqthread = wqthread.addr;
    ps.pthsize = pthsize;
    // The TSD offsets must leave room for one 8-byte slot inside the pthread structure.
    uint32_t max_offset = 0;
    if (pthsize >= 8 && data.tsd_offset <= pthsize - 8) max_offset = pthsize - data.tsd_offset - 8;
    else data.tsd_offset = 0;
    ps.tsd_offset = data.tsd_offset;
    ps.dispatch_queue_offset = data.dispatch_queue_offset <= max_offset ? data.dispatch_queue_offset : 0;
    ps.mach_thread_self_offset = data.mach_thread_self_offset <= max_offset ? data.mach_thread_self_offset : 0;
    if (!init_data.null()) {
        data.version = sizeof data;
        data.main_qos = 0;  // unspecified
        data.stack_addr_hint = 0;
        data.mutex_default_policy = 0;
        if (t.write(init_data, &data, size) != 0) return SysResult::error(xnu::XNU_EINVAL);
    }
    return SysResult::ok(0);
}

/// bsdthread_create implements XNU BSD bsdthread_create (360) for PTHREAD_START_CUSTOM (the caller owns the
/// stack and the pthread structure, as every libpthread since macOS 10.13 does). Returns the pthread.
SysResult sys_bsdthread_create(Thread& t, TraceeAddr func, TraceeAddr func_arg, TraceeAddr stack, TraceeAddr pthread,
                               uint32_t flags) {
    ProcessState& ps = process_state();
    if (!ps.pthread_registered) return SysResult::error(xnu::XNU_EINVAL);
    if (!(flags & xnu::XNU_PTHREAD_START_CUSTOM)) return SysResult::error(xnu::XNU_EINVAL);
    if (flags & xnu::XNU_PTHREAD_START_SUSPENDED) {
        // Starting suspended needs thread_resume() on the Mach thread port.
        report_unimplemented(SysClass::Bsd, 360, "bsdthread_create with PTHREAD_START_SUSPENDED");
        return SysResult::error(xnu::XNU_ENOTSUP);
    }
    uint64_t gs = 0;
    if (ps.tsd_offset) {
        gs = pthread.addr + ps.tsd_offset;
        flags |= xnu::XNU_PTHREAD_START_TSD_BASE_SET;
    }
    base::Regs start{};
    start.rip = ps.threadstart;
    start.rdi = pthread.addr;
    start.rdx = func.addr;
    start.rcx = func_arg.addr;
    start.r8 = stack.addr;
    start.r9 = flags;
    start.rsp = stack.addr;
    start.rflags = 0x202;
    int64_t tid = t.create_thread(stack.addr, gs);
    if (tid < 0) return tid == -EAGAIN ? SysResult::error(xnu::XNU_EAGAIN) : SysResult::error(xnu::XNU_ENOMEM);
    // A send right to the new thread's port: in rsi, and where libpthread reads mach_thread_self() from.
    uint32_t port = mach::thread_port_copyout(t, int(tid));
    if (gs) mach::thread_set_tsd_base(t, int(tid), gs);
    start.rsi = port;
    if (ps.mach_thread_self_offset && ps.tsd_offset) {
        uint64_t word = port;
        t.write(pthread + ps.tsd_offset + ps.mach_thread_self_offset, &word, sizeof word);
    }
    t.start_thread(tid, start);
    return SysResult::ok(pthread.addr);
}

/// bsdthread_terminate implements XNU BSD bsdthread_terminate (361): signals the semaphore and drops the
/// thread's port name (libpthread waits on the one for pthread_join), frees the given range (the thread's own
/// stack, usually) and ends the calling thread.
SysResult sys_bsdthread_terminate(Thread& t, TraceeAddr stackaddr, uint64_t freesize, uint32_t port, TraceeAddr sema) {
    mach::thread_terminate_cleanup(t, uint32_t(sema.addr), port);
    t.exit_thread(stackaddr.null() ? 0 : stackaddr.addr, stackaddr.null() ? 0 : freesize);
    return SysResult::just_return();  // reached only if the thread could not end
}

/// __pthread_kill implements XNU BSD __pthread_kill (328): a signal to one thread of the process, named by its
/// thread port (xnu bsd/kern/kern_sig.c: ESRCH for a name that is not a thread of this task, EINVAL for a bad
/// signal, 0 delivers nothing).
SysResult sys_pthread_kill(Thread& t, int32_t thread_port, int32_t sig) {
    int tid = mach::thread_tid_of_port(t, uint32_t(thread_port));
    if (tid < 0) return SysResult::error(xnu::XNU_ESRCH);
    if (sig < 0 || sig >= xnu::XNU_NSIG) return SysResult::error(xnu::XNU_EINVAL);
    if (sig == 0) return SysResult::ok(0);
    int lsig = xlate::signal_to_linux(sig);
    if (lsig == 0) return SysResult::error(xnu::XNU_ENOTSUP);
    return from_linux(t.sys(SYS_tgkill, {t.pid(), tid, lsig}));
}

}  // namespace xnu_sys
