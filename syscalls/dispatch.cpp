#include "dispatch.hpp"

#include <atomic>
#include <cstdio>
#include <csignal>
#include <sys/syscall.h>

#include "base/abi/xnu.hpp"
#include "trace.hpp"
#include "base/runtime.hpp"

namespace xnu_sys {
namespace {

constexpr uint64_t kCarryFlag = 1;

constexpr uint64_t kKernInvalidArgument = 4, kKernFailure = 5;  // xnu osfmk/mach/kern_return.h

// XNU's answer to a number it has no entry for: BSD runs nosys (SIGSYS to the thread, then ENOSYS); an
// unknown Mach trap or machdep call returns KERN_INVALID_ARGUMENT (kern_invalid; xnu osfmk/i386/bsd_i386.c).
SysResult no_such_call(base::Thread& t, SysClass cls, uint32_t nr) {
    switch (cls) {
        case SysClass::Bsd:
            t.sys(SYS_tgkill, {t.pid(), t.tid(), SIGSYS});
            return SysResult::error(xnu::XNU_ENOSYS);
        case SysClass::Mach:
        case SysClass::Machdep: return SysResult::ok(kKernInvalidArgument);
        default:
            // Diagnostics (disabled on release kernels) and classes XNU does not know raise EXC_SYSCALL, which
            // no UNIX signal corresponds to (xnu bsd/uxkern/ux_exception.c): the thread goes on, registers as
            // they were.
            report_unimplemented(cls, nr, "system call of an unknown class");
            return SysResult::just_return();
    }
}

SysResult unimplemented(SysClass cls, const SyscallEntry& e) {
    report_unimplemented(cls, e.nr, e.name());
    if (cls == SysClass::Bsd) return SysResult::error(xnu::XNU_ENOSYS);
    return SysResult::ok(kKernFailure);
}

}  // namespace

SysResult dispatch(base::Thread& t, uint32_t eax) {
    auto cls = SysClass(eax >> kClassShift);
    uint32_t nr = eax & kNumberMask;
    base::Regs& r = t.regs();
    uint64_t args[8] = {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9, 0, 0};
    int in_regs = 6;

    // BSD syscall 0 is the indirect call: the number is the first argument and the rest shift down by one, so
    // only five arguments come from registers (xnu bsd/dev/i386/systemcalls.c).
    if (cls == SysClass::Bsd && nr == 0) {
        nr = uint32_t(args[0]);
        for (int i = 0; i < 5; i++) args[i] = args[i + 1];
        args[5] = 0;
        in_regs = 5;
    }

    const SyscallEntry* e = lookup(cls, nr);
    SysResult res;
    if (!e) {
        res = no_such_call(t, cls, nr);
    } else if (e->nargs > in_regs &&
               t.read(base::TraceeAddr(r.rsp + 8), &args[in_regs], size_t(e->nargs - in_regs) * 8) != 0) {
        // Arguments past the registers live on the user stack, above the return address; an unreadable stack
        // is EFAULT for BSD and KERN_INVALID_ARGUMENT for a Mach trap (mach_call_munger64).
        res = cls == SysClass::Bsd ? SysResult::error(xnu::XNU_EFAULT) : SysResult::ok(kKernInvalidArgument);
    } else if (e->support == Support::XnuEnosys) {
        res = SysResult::error(xnu::XNU_ENOSYS);
    } else if (!e->thunk()) {
        res = unimplemented(cls, *e);
    } else {
        // exit and a successful execve do not come back (and execve's arguments are gone once it succeeds):
        // trace them before they run; a failed execve is traced again with its error.
        bool no_return = e->no_return();
        if (no_return && base::g_runtime.trace_fd >= 0) trace_call(t, cls, nr, e, args, SysResult::just_return());
        res = e->thunk()(t, args);
        if (no_return && !res.failed()) return res;
    }
    if (base::g_runtime.trace_fd >= 0) trace_call(t, cls, nr, e, args, res);
    return res;
}

void apply_result(base::Regs& regs, uint32_t eax, const SysResult& res) {
    auto cls = SysClass(eax >> kClassShift);
    switch (res.kind) {
        case SysResult::Kind::JustReturn: return;
        case SysResult::Kind::Restart:
            regs.rip -= 2;
            regs.rax = eax;
            return;
        case SysResult::Kind::Error:
            regs.rax = uint64_t(res.err);
            if (cls == SysClass::Bsd) regs.rflags |= kCarryFlag;
            return;
        case SysResult::Kind::Value:
            regs.rax = res.value;
            if (cls == SysClass::Bsd) {
                regs.rdx = res.value2;
                regs.rflags &= ~kCarryFlag;
            }
            return;
    }
}

}  // namespace xnu_sys
