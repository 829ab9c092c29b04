// Machine-dependent calls (class 3, or `int $0x82`).
#include <asm/prctl.h>

#include "common.hpp"
#include "mach/task.hpp"

namespace xnu_sys {

/// thread_fast_set_cthread_self64 implements XNU machdep call 3: sets the thread's %gs base (the TSD area
/// libSystem and Go address as %gs:N) and returns the USER_CTHREAD selector, 0x0f for 64-bit threads
/// (xnu osfmk/i386/bsd_i386_native.c, osfmk/i386/seg.h). A non-canonical base is quietly replaced by 0
/// (machine_thread_set_tsd_base() in osfmk/i386/pcb_native.c); the call never fails.
SysResult mdep_thread_fast_set_cthread_self64(Thread& t, uint64_t self) {
    if (t.sys(SYS_arch_prctl, {ARCH_SET_GS, self}) < 0) {
        t.sys(SYS_arch_prctl, {ARCH_SET_GS, 0});
        self = 0;
    }
    mach::thread_set_tsd_base(t, t.tid(), self);
    return SysResult::ok(0x0f);
}

}  // namespace xnu_sys
