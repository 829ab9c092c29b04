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
    uint32_t name_offset, note_offset;  // into the table's strings: name() and note()
    Support support;
    uint8_t nargs;
    Decoder decoders[8];
    int16_t handler;  // index of its thunk, -1 when the call is missing
    // The master list's FLAGS column.
    enum : uint8_t { kNoReturn = 1, kTrapPath = 2 };
    uint8_t flags;

    const char* name() const;
    const char* note() const;  // for partial support; "" otherwise
    Thunk thunk() const;       // nullptr when the call is missing (inline: every dispatch asks)
    bool no_return() const { return flags & kNoReturn; }
    bool trap_path() const { return flags & kTrapPath; }
};

// The handlers of the implemented calls, indexed by SyscallEntry::handler (generated).
extern const Thunk g_thunks[];
inline Thunk SyscallEntry::thunk() const { return handler < 0 ? nullptr : g_thunks[handler]; }

// nullptr when xnu has no call with this number in this class.
const SyscallEntry* lookup(SysClass cls, uint32_t nr);
std::span<const SyscallEntry> all_entries();

}  // namespace xnu_sys
