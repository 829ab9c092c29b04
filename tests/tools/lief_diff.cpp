// lief-diff FILE...: compares what macrun's Mach-O parser reports (segments, entry point, dylibs, symbols) with
// LIEF's view of the same files. LIEF 0.9 (Debian 12) predates chained fixups and adds the image base twice to
// an LC_UNIXTHREAD entry (0x200000800 for rip 0x100000800): for such files the entry is compared with that
// error undone. Prints "ok"/"FAIL" per file and "N passed, N failed".
#include <LIEF/MachO.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "loader/macho.hpp"

namespace {

bool compare(const char* path, std::string& why) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto ours = macho::parse(bytes);
    std::unique_ptr<LIEF::MachO::FatBinary> fat;
    try {
        fat = LIEF::MachO::Parser::parse(path);
    } catch (const std::exception& e) {
        fat.reset();
    }
    if (!fat || fat->size() == 0) {
        if (ours.image) return why = "LIEF cannot parse it but macrun can", false;
        return true;  // both refuse
    }
    if (!ours.image) return why = "macrun refuses it: " + ours.error, false;
    const auto& img = *ours.image;
    LIEF::MachO::Binary& bin = fat->at(0);

    std::vector<std::string> theirs_segs, ours_segs;
    for (const auto& s : bin.segments())
        theirs_segs.push_back(s.name() + " " + std::to_string(s.virtual_address()) + "+" + std::to_string(s.virtual_size()) +
                              " @" + std::to_string(s.file_offset()) + "+" + std::to_string(s.file_size()));
    for (const auto& s : img.segments)
        ours_segs.push_back(s.name + " " + std::to_string(s.vmaddr) + "+" + std::to_string(s.vmsize) + " @" +
                            std::to_string(s.fileoff) + "+" + std::to_string(s.filesize));
    if (theirs_segs != ours_segs) return why = "segments differ", false;

    if (bin.has_entrypoint() != img.entry().has_value()) return why = "entry presence differs", false;
    if (bin.has_entrypoint()) {
        uint64_t theirs = bin.entrypoint();
        if (img.unixthread) theirs -= bin.imagebase();  // LIEF 0.9 adds the base twice for LC_UNIXTHREAD
        if (theirs != *img.entry())
            return why = "entry " + std::to_string(*img.entry()) + " vs LIEF " + std::to_string(theirs), false;
    }
    std::vector<std::string> theirs_libs, ours_libs;
    for (const auto& l : bin.libraries()) theirs_libs.push_back(l.name());
    for (const auto& l : img.dylibs) ours_libs.push_back(l.name);
    if (theirs_libs != ours_libs) return why = "dylibs differ", false;

    std::multiset<std::string> theirs_syms, ours_syms;
    for (const auto& s : bin.symbols()) theirs_syms.insert(s.name());
    for (const auto& s : img.symbols) ours_syms.insert(s.name);
    if (theirs_syms != ours_syms)
        return why = "symbols differ (" + std::to_string(ours_syms.size()) + " vs LIEF " + std::to_string(theirs_syms.size()) + ")", false;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int pass = 0, fail = 0;
    for (int i = 1; i < argc; i++) {
        std::ifstream in(argv[i], std::ios::binary);
        char magic[4] = {};
        in.read(magic, 4);
        uint32_t m;
        memcpy(&m, magic, 4);
        if (m != macho::kMagic64 && __builtin_bswap32(m) != macho::kFatMagic) continue;  // objects, scripts
        std::string why;
        if (compare(argv[i], why)) {
            pass++;
            printf("ok - %s\n", argv[i]);
        } else {
            fail++;
            printf("FAIL - %s: %s\n", argv[i], why.c_str());
        }
    }
    printf("%d passed, %d failed\n", pass, fail);
    return fail ? 1 : 0;
}
