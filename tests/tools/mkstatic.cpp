// mkstatic IN OUT: turns a Mach-O executable linked by ld64.lld with `-e _start` (which always writes LC_MAIN
// and LC_LOAD_DYLINKER) into a static, dyld-free one as XNU starts it: LC_MAIN, LC_LOAD_DYLINKER and the dyld
// info commands are dropped, an LC_UNIXTHREAD (x86_THREAD_STATE64, rip = the entry) is appended, and the
// MH_DYLDLINK flag cleared. Needs header padding (link with -headerpad 0x200).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "loader/macho.hpp"

namespace {

uint32_t rd32(const std::vector<uint8_t>& b, size_t off) {
    uint32_t v;
    memcpy(&v, b.data() + off, 4);
    return v;
}
void wr32(std::vector<uint8_t>& b, size_t off, uint32_t v) { memcpy(b.data() + off, &v, 4); }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mkstatic IN OUT\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = macho::parse(b);
    if (!parsed.image) {
        fprintf(stderr, "mkstatic: %s: %s\n", argv[1], parsed.error.c_str());
        return 1;
    }
    auto entry = parsed.image->entry();
    if (!entry || !parsed.image->main_entryoff) {
        fprintf(stderr, "mkstatic: %s: no LC_MAIN entry\n", argv[1]);
        return 1;
    }
    uint32_t ncmds = rd32(b, 16), sizeofcmds = rd32(b, 20), flags = rd32(b, 24);
    std::vector<uint8_t> cmds;
    uint32_t kept = 0;
    for (size_t lc = 32, i = 0; i < ncmds; i++) {
        uint32_t cmd = rd32(b, lc), size = rd32(b, lc + 4);
        bool drop = cmd == macho::LC_MAIN || cmd == macho::LC_LOAD_DYLINKER || cmd == macho::LC_DYLD_INFO ||
                    cmd == macho::LC_DYLD_INFO_ONLY || cmd == macho::LC_DYLD_CHAINED_FIXUPS ||
                    cmd == macho::LC_DYLD_EXPORTS_TRIE;
        if (!drop) {
            cmds.insert(cmds.end(), b.begin() + long(lc), b.begin() + long(lc + size));
            kept++;
        }
        lc += size;
    }
    // LC_UNIXTHREAD: cmd, cmdsize, flavor, count, 21 registers.
    std::vector<uint8_t> thread(16 + 168, 0);
    wr32(thread, 0, macho::LC_UNIXTHREAD);
    wr32(thread, 4, uint32_t(thread.size()));
    wr32(thread, 8, macho::x86_THREAD_STATE64);
    wr32(thread, 12, macho::x86_THREAD_STATE64_COUNT);
    uint64_t rip = *entry;
    memcpy(thread.data() + 16 + 16 * 8, &rip, 8);  // rip is the 17th register
    cmds.insert(cmds.end(), thread.begin(), thread.end());
    kept++;

    // The first section's file offset bounds the space for load commands.
    uint64_t limit = b.size();
    for (auto& seg : parsed.image->segments)
        for (auto& sec : seg.sections)
            if (sec.offset && sec.offset < limit) limit = sec.offset;
    if (32 + cmds.size() > limit) {
        fprintf(stderr, "mkstatic: %s: no room for LC_UNIXTHREAD (link with -headerpad 0x200)\n", argv[1]);
        return 1;
    }
    memset(b.data() + 32, 0, std::max<size_t>(sizeofcmds, cmds.size()));
    memcpy(b.data() + 32, cmds.data(), cmds.size());
    wr32(b, 16, kept);
    wr32(b, 20, uint32_t(cmds.size()));
    wr32(b, 24, flags & ~(macho::MH_DYLDLINK | macho::MH_TWOLEVEL));
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    return out ? 0 : 1;
}
