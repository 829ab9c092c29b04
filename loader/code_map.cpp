#include "loader/code_map.hpp"

#include <algorithm>

namespace loader {
namespace {

// xnu EXTERNAL_HEADERS/mach-o/loader.h: section attributes of code, and nlist's type bits.
constexpr uint32_t S_ATTR_PURE_INSTRUCTIONS = 0x80000000, S_ATTR_SOME_INSTRUCTIONS = 0x00000400;
constexpr uint8_t N_STAB = 0xe0, N_TYPE = 0x0e, N_SECT = 0x0e;
// data_in_code_entry kinds (xnu EXTERNAL_HEADERS/mach-o/loader.h): a jump table's entries are 1, 2 or 4-byte
// offsets from the table's start, or (ABS) 4-byte addresses.
constexpr uint16_t DICE_KIND_JUMP_TABLE8 = 2, DICE_KIND_JUMP_TABLE16 = 3, DICE_KIND_JUMP_TABLE32 = 4,
                   DICE_KIND_ABS_JUMP_TABLE32 = 5;

uint64_t read_le(std::span<const uint8_t> file, uint64_t off, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n && off + i < file.size(); i++) v |= uint64_t(file[off + i]) << (8 * i);
    return v;
}

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
    // LC_DATA_IN_CODE: {offset from the mach header, length, kind} each; the offset is a file offset within the
    // image's slice, placed by the section that holds it.
    if (img.data_in_code) {
        uint64_t off = img.slice_offset + img.data_in_code->off, end = off + img.data_in_code->size;
        for (; off + 8 <= end && off + 8 <= file.size(); off += 8) {
            const uint64_t at = read_le(file, off, 4), len = read_le(file, off + 4, 2);
            const auto kind = uint16_t(read_le(file, off + 6, 2));
            for (const macho::Segment& seg : img.segments)
                for (const macho::Section& sec : seg.sections) {
                    if (!len || at < sec.offset || at + len > uint64_t(sec.offset) + sec.size) continue;
                    const uint64_t addr = sec.addr + (at - sec.offset);
                    map.data.push_back({addr, addr + len});
                    const unsigned width = kind == DICE_KIND_JUMP_TABLE8 ? 1 : kind == DICE_KIND_JUMP_TABLE16 ? 2 : 4;
                    if (kind < DICE_KIND_JUMP_TABLE8 || kind > DICE_KIND_ABS_JUMP_TABLE32) continue;
                    const uint64_t fbase = img.slice_offset + at;
                    for (uint64_t e = 0; e + width <= len; e += width) {
                        uint64_t v = read_le(file, fbase + e, width);
                        uint64_t target = kind == DICE_KIND_ABS_JUMP_TABLE32
                                              ? v
                                              : addr + uint64_t(width == 4 ? int64_t(int32_t(v))
                                                                : width == 2 ? int64_t(int16_t(v)) : int64_t(int8_t(v)));
                        map.jump_targets.push_back(target);
                    }
                }
        }
        std::sort(map.data.begin(), map.data.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
        std::sort(map.jump_targets.begin(), map.jump_targets.end());
        map.jump_targets.erase(std::unique(map.jump_targets.begin(), map.jump_targets.end()), map.jump_targets.end());
    }
    std::sort(map.starts.begin(), map.starts.end());
    map.starts.erase(std::unique(map.starts.begin(), map.starts.end()), map.starts.end());
    return map;
}

}  // namespace loader
