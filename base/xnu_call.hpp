// How an XNU system call is named: its class and number, as x86_64 XNU packs them into eax
// (xnu osfmk/mach/i386/syscall_sw.h: eax = class << 24 | number).
#pragma once

#include <cstdint>

namespace base {

enum class SysClass : uint8_t { None = 0, Mach = 1, Bsd = 2, Machdep = 3, Diag = 4 };
inline constexpr uint32_t kClassShift = 24;
inline constexpr uint32_t kNumberMask = 0xffffff;

// "BSD syscall", "Mach trap", ... as the one-time messages and `macrun syscalls` print it.
const char* class_name(SysClass cls);

}  // namespace base
