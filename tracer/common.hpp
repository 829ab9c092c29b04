// The base contract that every backend implements and uses, by its short names inside tracer/.
#pragma once

#include "base/raw_syscall.hpp"
#include "base/runtime.hpp"
#include "base/thread.hpp"

namespace tracer {

using base::g_runtime;
using base::LinuxArg;
using base::raw_syscall;
using base::Regs;
using base::Runtime;
using base::Thread;
using base::TraceeAddr;
using base::TraceePtr;

}  // namespace tracer
