#include "cli/inspect.hpp"
#include "cli/files.hpp"

#include <fmt/format.h>
#include <iterator>
#include <vector>

#include "loader/macho.hpp"

namespace cli {
namespace {

std::string prot(uint32_t p) {
    return fmt::format("{}{}{}", p & 1 ? 'r' : '-', p & 2 ? 'w' : '-', p & 4 ? 'x' : '-');
}

std::string version(uint32_t v) { return fmt::format("{}.{}.{}", v >> 16, (v >> 8) & 0xff, v & 0xff); }

const char* dylib_kind(macho::DylibKind k) {
    switch (k) {
        case macho::DylibKind::Load: return "";
        case macho::DylibKind::Weak: return " (weak)";
        case macho::DylibKind::Reexport: return " (reexport)";
        case macho::DylibKind::Lazy: return " (lazy)";
        case macho::DylibKind::Upward: return " (upward)";
    }
    return "";
}

}  // namespace

int inspect(const char* path) {
    std::string data;
    if (std::string err = read_file(path, &data, size_t(4) << 30); !err.empty()) {
        fmt::print(stderr, "macrun inspect: {}: {}\n", path, err);
        return 1;
    }
    auto r = macho::parse({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
    if (!r.image) {
        fmt::print(stderr, "macrun inspect: {}: {}\n", path, r.error);
        return 1;
    }
    const auto& img = *r.image;
    fmt::print("file: {}\n", path);
    if (img.slice_offset) fmt::print("fat slice: x86_64 at offset {:#x}, {} bytes\n", img.slice_offset, img.slice_size);
    fmt::print("type: {} ({}), flags {:#x}{}\n", macho::filetype_name(img.filetype), macho::cputype_name(img.cputype),
               img.flags, img.pie() ? " PIE" : "");
    if (img.build)
        fmt::print("platform: {} minos {} sdk {}{}\n", img.build->platform, version(img.build->minos),
                   version(img.build->sdk), img.build->from_version_min ? " (LC_VERSION_MIN_MACOSX)" : "");
    if (img.uuid) {
        std::string u;
        for (size_t k = 0; k < 16; k++) u += fmt::format("{}{:02X}", (k == 4 || k == 6 || k == 8 || k == 10) ? "-" : "", (*img.uuid)[k]);
        fmt::print("uuid: {}\n", u);
    }
    if (img.unixthread)
        fmt::print("entry: LC_UNIXTHREAD rip {:#x}\n", img.unixthread->rip);
    else if (img.main_entryoff)
        fmt::print("entry: LC_MAIN entryoff {:#x} (address {:#x}), stack size {:#x}\n", *img.main_entryoff, *img.entry(),
                   img.main_stacksize);
    if (!img.dylinker.empty()) fmt::print("dylinker: {}\n", img.dylinker);
    fmt::print("segments:\n");
    for (const auto& s : img.segments) {
        fmt::print("  {:<16} vm {:#014x}-{:#014x} file {:#x}+{:#x} {}/{}\n", s.name, s.vmaddr, s.vmaddr + s.vmsize,
                   s.fileoff, s.filesize, prot(s.initprot), prot(s.maxprot));
        for (const auto& sec : s.sections)
            fmt::print("    {:<16} {:#014x} size {:#x}\n", sec.sectname, sec.addr, sec.size);
    }
    if (!img.dylibs.empty()) {
        fmt::print("dylibs:\n");
        for (const auto& d : img.dylibs)
            fmt::print("  {}{} (current {}, compatibility {})\n", d.name, dylib_kind(d.kind), version(d.current_version),
                       version(d.compat_version));
    }
    for (const auto& rp : img.rpaths) fmt::print("rpath: {}\n", rp);
    if (img.dyld_info)
        fmt::print("dyld info: rebase {} bytes, bind {}, weak bind {}, lazy bind {}, exports {}\n",
                   img.dyld_info->rebase.size, img.dyld_info->bind.size, img.dyld_info->weak_bind.size,
                   img.dyld_info->lazy_bind.size, img.dyld_info->exports.size);
    if (img.chained_fixups) fmt::print("chained fixups: {} bytes\n", img.chained_fixups->size);
    if (img.exports_trie) fmt::print("exports trie: {} bytes\n", img.exports_trie->size);
    size_t undef = 0;
    for (const auto& s : img.symbols)
        if ((s.type & 0x0e) == 0 && (s.type & 0x01)) undef++;
    fmt::print("symbols: {} ({} undefined)\n", img.symbols.size(), undef);
    for (const auto& s : img.symbols)
        if ((s.type & 0xe0) == 0) fmt::print("  {:#014x} {:02x} {}\n", s.value, s.type, s.name);
    return 0;
}

}  // namespace cli
