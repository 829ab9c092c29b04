// The XNU system call table, generated from syscalls/xnu.master by syscalls/gen_table.py: one row per call
// with its class, number, name, support level, typed arguments (for the tracer) and handler thunk.
#pragma once

#include <cstdint>
#include <span>

#include "base/result.hpp"
#include "base/xnu_call.hpp"
#include "base/thread.hpp"

namespace xnu_sys {

using base::class_name;
using base::kClassShift;
using base::kNumberMask;
using base::SysClass;
using base::SysResult;

// XnuEnosys: a slot xnu itself fills with enosys (ENOSYS, no signal); nothing for macrun to implement.
enum class Support : uint8_t { Full, Partial, Missing, XnuEnosys };

// How the tracer prints an argument.
enum class Decoder : uint8_t {
    Int, UInt, Hex, Ptr, Path, Str, Fd, AtFd, OFlags, Mode, Prot, MapFlags, FcntlCmd, IoctlCmd, Signal, Whence,
    AtFlags, AccMode,
};

using Thunk = SysResult (*)(base::Thread&, const uint64_t* args);

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
    // The master list's FLAGS column.
    enum : uint8_t { kNoReturn = 1, kTrapPath = 2 };
    uint8_t flags;

    bool no_return() const { return flags & kNoReturn; }
    bool trap_path() const { return flags & kTrapPath; }
};

// nullptr when xnu has no call with this number in this class.
const SyscallEntry* lookup(SysClass cls, uint32_t nr);
std::span<const SyscallEntry> all_entries();

}  // namespace xnu_sys
