// decode-diff FILE...: the instruction boundaries the fast path would see in each Mach-O file. For every
// function of the code map (loader::code_map), from its start to the next start or the end of its section,
// decodes linearly with tracer::x86::decode and prints "ADDR LEN" (hex address, decimal length) per
// instruction, or "ADDR ? LEFT" at the first instruction the decoder refuses (LEFT: the bytes it was given,
// up to the end of the run), which ends that function. Data in code (LC_DATA_IN_CODE: jump tables, from the
// code map) is not decoded: a run ends where such data starts and another begins after it. tests/decode_diff.sh compares the
// result with llvm-objdump. Files that are not Mach-O are skipped; a Mach-O file the parser refuses is
// reported on stderr and makes the exit status 1.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "loader/code_map.hpp"
#include "loader/macho.hpp"
#include "tracer/x86_decode.hpp"

namespace {

// The file bytes behind [addr, end) of an executable section, or nothing when no section holds them.
std::span<const uint8_t> section_bytes(const macho::Image& img, const std::vector<uint8_t>& file, uint64_t addr) {
    for (const macho::Segment& seg : img.segments)
        for (const macho::Section& s : seg.sections) {
            if (addr < s.addr || addr >= s.addr + s.size) continue;
            uint64_t off = img.slice_offset + s.offset + (addr - s.addr);
            uint64_t len = s.addr + s.size - addr;
            if (off > file.size() || len > file.size() - off) return {};
            return {file.data() + off, size_t(len)};
        }
    return {};
}


bool dump(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    uint32_t magic = 0;
    if (file.size() >= 4) memcpy(&magic, file.data(), 4);
    if (magic != macho::kMagic64 && __builtin_bswap32(magic) != macho::kFatMagic) return true;
    macho::ParseResult parsed = macho::parse(file);
    if (!parsed.image) {
        fprintf(stderr, "%s: %s\n", path, parsed.error.c_str());
        return false;
    }
    const macho::Image& img = *parsed.image;
    loader::CodeMap map = loader::code_map(img, file);
    std::vector<std::pair<uint64_t, uint64_t>> data;
    for (const loader::CodeRange& r : map.data) data.emplace_back(r.begin, r.end);
    printf("# %s\n", path);
    for (size_t i = 0; i < map.starts.size(); i++) {
        uint64_t start = map.starts[i];
        std::span<const uint8_t> bytes = section_bytes(img, file, start);
        uint64_t end = start + bytes.size();
        if (i + 1 < map.starts.size() && map.starts[i + 1] < end) end = map.starts[i + 1];
        for (uint64_t a = start; a < end;) {
            // Skip data; the run goes on to the next data or the end of the function.
            uint64_t run_end = end;
            bool in_data = false;
            for (const auto& [b, e] : data) {
                if (a >= b && a < e) {
                    a = e;
                    in_data = true;
                    break;
                }
                if (b > a) {
                    run_end = std::min(run_end, b);
                    break;
                }
            }
            if (in_data) continue;
            size_t off = size_t(a - start);
            tracer::x86::Insn insn = tracer::x86::decode(bytes.data() + off, size_t(run_end - a), a);
            if (!insn.length) {
                printf("%" PRIx64 " ? %" PRIu64 "\n", a, run_end - a);
                break;
            }
            printf("%" PRIx64 " %u\n", a, unsigned(insn.length));
            a += insn.length;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    bool ok = true;
    for (int i = 1; i < argc; i++) ok = dump(argv[i]) && ok;
    return ok ? 0 : 1;
}
