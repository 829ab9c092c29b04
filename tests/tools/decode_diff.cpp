// decode-diff FILE...: the instruction boundaries the fast path would see in each Mach-O file. For every
// function of the code map (loader::code_map), from its start to the next start or the end of its section,
// decodes linearly with tracer::x86::decode and prints "ADDR LEN" (hex address, decimal length) per
// instruction, or "ADDR ? LEFT" at the first instruction the decoder refuses (LEFT: the bytes it was given,
// up to the end of the run), which ends that function. Data in code (LC_DATA_IN_CODE: jump tables) is not
// decoded: a run ends where such data starts and another begins after it. tests/decode_diff.sh compares the
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

uint32_t u32(const std::vector<uint8_t>& file, uint64_t off) {
    uint32_t v = 0;
    if (off + 4 <= file.size()) memcpy(&v, file.data() + off, 4);
    return v;
}

// The image's data-in-code ranges as addresses, sorted. The parser does not keep LC_DATA_IN_CODE, so the load
// commands are walked here: mach_header_64 is 32 bytes, a linkedit_data_command is {cmd, cmdsize, dataoff,
// datasize}, and each data_in_code_entry is {uint32 offset from the header, uint16 length, uint16 kind}
// (xnu EXTERNAL_HEADERS/mach-o/loader.h).
std::vector<std::pair<uint64_t, uint64_t>> data_in_code(const macho::Image& img, const std::vector<uint8_t>& file) {
    constexpr uint32_t LC_DATA_IN_CODE = 0x29;
    std::vector<std::pair<uint64_t, uint64_t>> out;
    uint64_t lc = img.slice_offset + 32, ncmds = u32(file, img.slice_offset + 16);
    for (uint64_t i = 0; i < ncmds && lc + 8 <= file.size(); i++) {
        uint32_t cmd = u32(file, lc), size = u32(file, lc + 4);
        if (cmd == LC_DATA_IN_CODE) {
            uint64_t off = img.slice_offset + u32(file, lc + 8), end = off + u32(file, lc + 12);
            for (; off + 8 <= end && off + 8 <= file.size(); off += 8) {
                uint32_t at = u32(file, off);
                uint16_t len;
                memcpy(&len, file.data() + off + 4, 2);
                for (const macho::Segment& seg : img.segments)
                    for (const macho::Section& s : seg.sections)
                        if (at >= s.offset && at < s.offset + s.size)
                            out.push_back({s.addr + (at - s.offset), s.addr + (at - s.offset) + len});
            }
        }
        if (size < 8) break;
        lc += size;
    }
    std::sort(out.begin(), out.end());
    return out;
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
    std::vector<std::pair<uint64_t, uint64_t>> data = data_in_code(img, file);
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
