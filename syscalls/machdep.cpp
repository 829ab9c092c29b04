// Machine-dependent calls (class 3, or `int $0x82`).
#include <asm/prctl.h>

#include "common.hpp"

namespace xnu_sys {

/// thread_fast_set_cthread_self64 implements XNU machdep call 3: sets the thread's %gs base (the TSD area
/// libSystem and Go address as %gs:N) and returns the USER_CTHREAD selector, 0x0f for 64-bit threads
/// (xnu osfmk/i386/pcb_native.c, osfmk/i386/seg.h).
SysResult mdep_thread_fast_set_cthread_self64(Thread& t, uint64_t self) {
    int64_t r = t.sys(SYS_arch_prctl, {ARCH_SET_GS, self});
    if (r < 0) return SysResult::ok(4 /* KERN_INVALID_ARGUMENT */);
    return SysResult::ok(0x0f);
}

}  // namespace xnu_sys
