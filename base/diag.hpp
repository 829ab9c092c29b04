// The diagnostics sink every layer writes to: one-time "unimplemented" messages on macrun's own stderr, and
// event lines in the --trace output. Each line is formatted into a stack buffer and written once, so these are
// safe in a signal handler and on a program's thread.
#pragma once

#include <cstdint>

#include "base/thread.hpp"
#include "base/xnu_call.hpp"

namespace base {

// "macrun: unimplemented CLASS NR (NAME): returning an error", once per (class, number) and process.
void report_unimplemented(SysClass cls, uint32_t nr, const char* name);
// Says once per number that Mach-O code made a raw Linux system call, which XNU (class 0) ignores.
void report_linux_call(uint32_t nr, uint64_t addr);
// A one-line diagnostic: "macrun: TEXT" on macrun's stderr, and in the trace.
void trace_note(const char* text);
// A free-form event line in the trace (process start, backend, fork, exec, signals); nothing without --trace.
void trace_event(Thread* t, const char* text);
// Writes "[pid tid] " (or "[pid] " without a thread) into buf; returns its length.
size_t trace_prefix(Thread* t, char* buf, size_t cap);
// Writes all of buf to fd, retrying short writes.
void write_all(int fd, const char* buf, size_t len);

}  // namespace base
