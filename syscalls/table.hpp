// The XNU system call table, generated from syscalls/xnu.master by syscalls/gen_table.py: one row per call
// with its class, number, name, support level, typed arguments (for the tracer) and handler thunk.
#pragma once

#include <cstdint>
#include <span>

#include "result.hpp"
#include "tracer/thread.hpp"

namespace xnu_sys {

// XNU x86_64 syscall classes: eax = class << 24 | number (xnu osfmk/mach/i386/syscall_sw.h).
enum class SysClass : uint8_t { None = 0, Mach = 1, Bsd = 2, Machdep = 3, Diag = 4 };
inline constexpr uint32_t kClassShift = 24;
inline constexpr uint32_t kNumberMask = 0xffffff;

// XnuEnosys: a slot xnu itself fills with enosys (ENOSYS, no signal); nothing for macrun to implement.
enum class Support : uint8_t { Full, Partial, Missing, XnuEnosys };

// How the tracer prints an argument.
enum class Decoder : uint8_t {
    Int, UInt, Hex, Ptr, Path, Str, Fd, AtFd, OFlags, Mode, Prot, MapFlags, FcntlCmd, IoctlCmd, Signal, Whence,
    AtFlags, AccMode,
};

using Thunk = SysResult (*)(tracer::Thread&, const uint64_t* args);

struct SyscallEntry {
    SysClass cls;
    uint16_t nr;
    const char* name;
    Support support;
    const char* note;  // for partial support
    uint8_t nargs;
    Decoder decoders[8];
    const char* argnames[8];
    Thunk thunk;  // nullptr when the call is missing
};

// nullptr when xnu has no call with this number in this class.
const SyscallEntry* lookup(SysClass cls, uint32_t nr);
std::span<const SyscallEntry> all_entries();

const char* class_name(SysClass cls);

}  // namespace xnu_sys
