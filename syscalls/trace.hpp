// --trace: one line per XNU call, decoded from the master table (name, arguments by decoder, result or errno
// by name), prefixed with pid/tid. Formats into a stack buffer and writes once: safe in a signal handler.
#pragma once

#include <cstdint>

#include "base/diag.hpp"
#include "base/result.hpp"
#include "table.hpp"
#include "base/thread.hpp"

namespace xnu_sys {

void trace_call(base::Thread& t, SysClass cls, uint32_t nr, const SyscallEntry* e, const uint64_t* args,
                const SysResult& res);
using base::report_unimplemented;
using base::trace_event;
using base::trace_note;

}  // namespace xnu_sys
