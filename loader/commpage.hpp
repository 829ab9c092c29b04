// The x86_64 commpage: one read-only data page at 0x7fffffe00000 (xnu osfmk/i386/cpu_capabilities.h) and an
// empty text page after it.
#pragma once

#include <cstdint>
#include <string>

#include "base/host.hpp"

namespace loader {

inline constexpr uint64_t kCommpageBase = 0x00007fffffe00000ULL;
// A `syscall; int3` at the end of the commpage's text page: the ptrace supervisor runs Linux calls there for a
// thread stopped outside a system call (the `int $0x82` gate).
inline constexpr uint64_t kCommpageSyscallGadget = kCommpageBase + 0x2000 - 4;

// Reserves the commpage's two pages before anything else can take them. False when something is there already:
// the kernel's random placement of the process's own stack can cover 0x7fffffe00000 (about one start in
// 10^5; seen in CI), and then only starting again, with a stack placed elsewhere, helps.
bool reserve_commpage();
// Maps the commpage and fills what does not depend on time. Returns an empty string or an error message.
std::string map_commpage();
// Writes the nanotime data (what mach_absolute_time converts the TSC with) and makes the data page read-only.
// The last step before the program's first instruction: the TSC's measuring window (base::tsc_hz) spans
// macrun's start-up up to here.
void seal_commpage();

// Fill a 4 KiB commpage buffer: what does not depend on time, and the nanotime data for a TSC of tsc_hz that
// read tsc_now at ns_now (CLOCK_MONOTONIC_RAW).
void fill_commpage(uint8_t* page, const base::HostFacts& facts);
void fill_nanotime(uint8_t* page, uint64_t tsc_hz, uint64_t tsc_now, uint64_t ns_now);

}  // namespace loader
