// Decoding one XNU system call from registers, running its handler, and (in apply_result, the one place where
// this happens) writing the result back into registers with XNU's conventions.
#pragma once

#include <cstdint>

#include "result.hpp"
#include "table.hpp"
#include "tracer/thread.hpp"

namespace xnu_sys {

// Runs the call whose number is `eax` (class << 24 | number) with the arguments in t.regs(). Traces it when
// tracing is on.
SysResult dispatch(tracer::Thread& t, uint32_t eax);

// Writes `res` into `regs` as XNU's dispatchers do (bsd/dev/i386/systemcalls.c unix_syscall64,
// osfmk/i386/bsd_i386.c mach_call_munger64 and machdep_syscall64):
//  BSD success: rax = value, rdx = value2, CF clear; BSD error: rax = errno, CF set;
//  ERESTART: rip backed up over the 2-byte `syscall` and rax restored to eax; EJUSTRETURN: nothing;
//  Mach traps and machdep calls: rax only.
void apply_result(tracer::Regs& regs, uint32_t eax, const SysResult& res);

// Sends the one-time "unimplemented" message for a call.
void report_unimplemented(SysClass cls, uint32_t nr, const char* name);
// Says once per number that Mach-O code made a raw Linux system call, which was ignored as XNU ignores it.
void report_linux_call(uint32_t nr, uint64_t addr);

}  // namespace xnu_sys
