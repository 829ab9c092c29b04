// What the trap handlers of macrun's Mach kernel share.
#pragma once

#include "mach/kobject.hpp"
#include "mach/mach_port.hpp"
#include "mach/msg.hpp"
#include "base/abi/translate.hpp"
#include "base/abi/xnu.hpp"
#include "base/diag.hpp"
#include "base/process_state.hpp"
#include "base/runtime.hpp"
#include "mach_traps.gen.hpp"

namespace mach {

using base::report_unimplemented;
using base::SysClass;
using base::Thread;
using base::TraceeAddr;
using base::SysResult;

// A Mach trap's result: kern_return_t in rax, sign-extended as mach_call_munger64 stores it.
inline SysResult kr_result(kern_return_t kr) { return SysResult::ok(uint64_t(int64_t(kr))); }

// Ends a trap: releases the IPC lock (delivering wake-ups), then ends the process if the trap raised a fatal
// EXC_GUARD (xnu mach_port_guard_ast: exit_with_mach_exception, no handler to catch it in macrun).
SysResult trap_finish(Thread& t, Task* task, IpcLock& lock, kern_return_t kr);
// The same for a trap that holds no lock at its end.
SysResult trap_finish(Thread& t, Task* task, kern_return_t kr);

// port_name_to_current_task_noref: the name must be a send right to the caller's own task port.
Task* name_to_current_task(Task* task, mach_port_name_t name);

}  // namespace mach

// The start of a trap handler (`t` is its Thread): `task` is the caller's task; without one the trap answers
// KERN_RESOURCE_SHORTAGE.
#define TASK_OR_FAIL()                        \
    mach::Task* task = mach::current_task(t); \
    if (!task) return mach::kr_result(mach::KERN_RESOURCE_SHORTAGE)

// After TASK_OR_FAIL, for a trap whose target must be the caller's own task port: takes the IPC lock (`lock`,
// held to the end of the scope) and answers MACH_SEND_INVALID_DEST for any other name, the traps' default
// result in XNU when the target does not convert.
#define TARGET_OR_FAIL(target)                     \
    mach::IpcLock lock(t);                         \
    if (!mach::name_to_current_task(task, target)) \
        return mach::trap_finish(t, task, lock, mach::MACH_SEND_INVALID_DEST)
