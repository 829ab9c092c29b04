// Decoding one XNU system call from registers, running its handler, and (in apply_result, the one place where
// this happens) writing the result back into registers with XNU's conventions.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "table.hpp"
#include "base/thread.hpp"

namespace xnu_sys {

// Runs the call whose number is `eax` (class << 24 | number) with the arguments in t.regs(). Traces it when
// tracing is on.
SysResult dispatch(base::Thread& t, uint32_t eax);

// Writes `res` into `regs` as XNU's dispatchers do (bsd/dev/i386/systemcalls.c unix_syscall64,
// osfmk/i386/bsd_i386.c mach_call_munger64 and machdep_syscall64):
//  BSD success: rax = value, rdx = value2, CF clear; BSD error: rax = errno, CF set;
//  ERESTART: rip backed up over the 2-byte `syscall` and rax restored to eax; EJUSTRETURN: nothing;
//  Mach traps and machdep calls: rax only.
void apply_result(base::Regs& regs, uint32_t eax, const SysResult& res);


}  // namespace xnu_sys
