#include "loader/code_map.hpp"

#include <algorithm>

namespace loader {
namespace {

// xnu EXTERNAL_HEADERS/mach-o/loader.h: section attributes of code, and nlist's type bits.
constexpr uint32_t S_ATTR_PURE_INSTRUCTIONS = 0x80000000, S_ATTR_SOME_INSTRUCTIONS = 0x00000400;
constexpr uint8_t N_STAB = 0xe0, N_TYPE = 0x0e, N_SECT = 0x0e;

}  // namespace

CodeMap code_map(const macho::Image& img, std::span<const uint8_t> file) {
    CodeMap map;
    const macho::Segment* text = img.segment("__TEXT");
    for (const macho::Segment& seg : img.segments)
        for (const macho::Section& s : seg.sections)
            if ((s.flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS)) && s.size) {
                map.ranges.push_back({s.addr, s.addr + s.size});
                map.starts.push_back(s.addr);
            }
    std::sort(map.ranges.begin(), map.ranges.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
    auto in_code = [&](uint64_t a) {
        for (const CodeRange& r : map.ranges)
            if (a >= r.begin && a < r.end) return true;
        return false;
    };
    // LC_FUNCTION_STARTS: ULEB128 deltas, the first from the start of __TEXT, ended by a zero.
    if (img.function_starts && text) {
        uint64_t off = img.slice_offset + img.function_starts->off, end = off + img.function_starts->size;
        uint64_t addr = text->vmaddr;
        while (off < end && off < file.size()) {
            uint64_t delta = 0;
            unsigned shift = 0;
            uint8_t b;
            do {
                b = file[off++];
                if (shift < 64) delta |= uint64_t(b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) && off < end && off < file.size());
            if (delta == 0) break;
            addr += delta;
            if (in_code(addr)) map.starts.push_back(addr);
        }
    }
    for (const macho::Symbol& sym : img.symbols)
        if (!(sym.type & N_STAB) && (sym.type & N_TYPE) == N_SECT && in_code(sym.value)) map.starts.push_back(sym.value);
    std::sort(map.starts.begin(), map.starts.end());
    map.starts.erase(std::unique(map.starts.begin(), map.starts.end()), map.starts.end());
    return map;
}

}  // namespace loader
