// --trace: one line per XNU call, decoded from the master table (name, arguments by decoder, result or errno
// by name), prefixed with pid/tid. Formats into a stack buffer and writes once: safe in a signal handler.
#pragma once

#include <cstdint>

#include "result.hpp"
#include "table.hpp"
#include "tracer/thread.hpp"

namespace xnu_sys {

void trace_call(tracer::Thread& t, SysClass cls, uint32_t nr, const SyscallEntry* e, const uint64_t* args,
                const SysResult& res);
void trace_unimplemented(const char* cls, uint32_t nr, const char* name);
// A one-line diagnostic: "macrun: TEXT" on macrun's stderr, and in the trace.
void trace_note(const char* text);
// A free-form event line (process start, backend choice, signals).
void trace_event(tracer::Thread* t, const char* text);

}  // namespace xnu_sys
