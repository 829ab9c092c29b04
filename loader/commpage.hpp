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

// Maps and fills the commpage. Returns an empty string or an error message.
std::string map_commpage();

// Fills a 4 KiB buffer with the commpage contents (used by map_commpage and by the unit tests).
void fill_commpage(uint8_t* page, const base::HostFacts& facts, uint64_t tsc_now, uint64_t ns_now);

}  // namespace loader
