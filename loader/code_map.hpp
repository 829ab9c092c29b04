// Where functions start in a Mach-O image's executable sections, for code that must find instruction
// boundaries in a program it did not compile (the fast path's rewriting of `syscall` sites): the image's
// LC_FUNCTION_STARTS, the symbol table's defined symbols, and the sections' own starts; and what in those
// sections is data (LC_DATA_IN_CODE), with the targets of the jump tables among it. Pure, like the parser.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "loader/macho.hpp"

namespace loader {

struct CodeRange {
    uint64_t begin = 0, end = 0;  // an executable section, unslid
};

struct CodeMap {
    std::vector<uint64_t> starts;    // sorted, unique, unslid; each inside one of `ranges`
    std::vector<CodeRange> ranges;   // the executable sections, sorted
    std::vector<CodeRange> data;     // data inside code (LC_DATA_IN_CODE: jump tables, constants), sorted
    std::vector<uint64_t> jump_targets;  // where the jump tables among them lead, sorted, unique
};

// `file` is the whole file the image was parsed from (the image's linkedit offsets are relative to its slice).
CodeMap code_map(const macho::Image& img, std::span<const uint8_t> file);

}  // namespace loader
