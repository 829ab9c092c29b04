// The page size: 4 KiB on x86_64 for XNU (PAGE_SIZE, vm_page_size, hw.pagesize) and for Linux alike.
#pragma once

#include <cstdint>

namespace base {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kPageMask = kPageSize - 1;

constexpr uint64_t page_round_down(uint64_t a) { return a & ~kPageMask; }
constexpr uint64_t page_round_up(uint64_t a) { return (a + kPageMask) & ~kPageMask; }

}  // namespace base
