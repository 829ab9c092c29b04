// Mach-O parser. Every read goes through Reader, which checks bounds; any inconsistency is an error that names
// the load command and the field, never an out-of-bounds access.
#include "macho.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace macho {
namespace {

struct ParseError {
    std::string message;
};

class Reader {
  public:
    explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

    size_t size() const { return bytes_.size(); }

    template <typename T>
    T get(uint64_t off, const char* what) const {
        if (off > bytes_.size() || bytes_.size() - off < sizeof(T))
            throw ParseError{fmt::format("{} at offset {:#x} lies past the end of the data ({:#x} bytes)", what, off,
                                         bytes_.size())};
        T v;
        std::memcpy(&v, bytes_.data() + off, sizeof(T));
        return v;
    }
    uint32_t u32(uint64_t off, const char* what) const { return get<uint32_t>(off, what); }
    uint64_t u64(uint64_t off, const char* what) const { return get<uint64_t>(off, what); }
    uint32_t be32(uint64_t off, const char* what) const { return __builtin_bswap32(u32(off, what)); }
    uint64_t be64(uint64_t off, const char* what) const { return __builtin_bswap64(u64(off, what)); }

    // A fixed-size name field (segname[16]): up to the first NUL.
    std::string fixed_string(uint64_t off, size_t len, const char* what) const {
        check_range(off, len, what);
        const char* p = reinterpret_cast<const char*>(bytes_.data() + off);
        return std::string(p, strnlen(p, len));
    }
    // A NUL-terminated string that must end before `limit`.
    std::string cstring(uint64_t off, uint64_t limit, const char* what) const {
        return std::string(cstring_view(off, limit, what));
    }
    std::string_view cstring_view(uint64_t off, uint64_t limit, const char* what) const {
        if (limit > bytes_.size()) limit = bytes_.size();
        if (off >= limit) throw ParseError{fmt::format("{}: string offset {:#x} is out of range", what, off)};
        const char* p = reinterpret_cast<const char*>(bytes_.data() + off);
        size_t n = strnlen(p, limit - off);
        if (n == limit - off) throw ParseError{fmt::format("{}: string at {:#x} is not NUL-terminated", what, off)};
        return std::string_view(p, n);
    }
    void check_range(uint64_t off, uint64_t len, const char* what) const {
        if (off > bytes_.size() || bytes_.size() - off < len)
            throw ParseError{fmt::format("{} ({:#x} bytes at offset {:#x}) lies outside the file ({:#x} bytes)", what,
                                         len, off, bytes_.size())};
    }
    std::span<const uint8_t> sub(uint64_t off, uint64_t len, const char* what) const {
        check_range(off, len, what);
        return bytes_.subspan(off, len);
    }

  private:
    std::span<const uint8_t> bytes_;
};

constexpr uint32_t kHeaderSize64 = 32;

LinkeditRange linkedit(const Reader& r, uint64_t off, uint64_t slice_size, const char* what) {
    LinkeditRange range{r.u32(off, what), r.u32(off + 4, what)};
    if (uint64_t(range.off) + range.size > slice_size)
        throw ParseError{fmt::format("{}: data ({:#x} bytes at {:#x}) lies outside the file", what, range.size,
                                     range.off)};
    return range;
}

void parse_segment(const Reader& r, uint64_t lc, uint32_t cmdsize, Image& img) {
    if (cmdsize < 72) throw ParseError{fmt::format("LC_SEGMENT_64 has cmdsize {} (needs at least 72)", cmdsize)};
    Segment seg;
    seg.name = r.fixed_string(lc + 8, 16, "segment name");
    seg.vmaddr = r.u64(lc + 24, "segment vmaddr");
    seg.vmsize = r.u64(lc + 32, "segment vmsize");
    seg.fileoff = r.u64(lc + 40, "segment fileoff");
    seg.filesize = r.u64(lc + 48, "segment filesize");
    seg.maxprot = r.u32(lc + 56, "segment maxprot");
    seg.initprot = r.u32(lc + 60, "segment initprot");
    uint32_t nsects = r.u32(lc + 64, "segment nsects");
    seg.flags = r.u32(lc + 68, "segment flags");
    if (seg.vmaddr + seg.vmsize < seg.vmaddr)
        throw ParseError{fmt::format("segment {}: vmaddr {:#x} + vmsize {:#x} overflows", seg.name, seg.vmaddr,
                                     seg.vmsize)};
    if (seg.filesize > seg.vmsize)
        throw ParseError{fmt::format("segment {}: filesize {:#x} exceeds vmsize {:#x}", seg.name, seg.filesize,
                                     seg.vmsize)};
    if (seg.fileoff + seg.filesize < seg.fileoff || seg.fileoff + seg.filesize > r.size())
        throw ParseError{fmt::format("segment {}: file range {:#x}+{:#x} lies outside the file ({:#x} bytes)",
                                     seg.name, seg.fileoff, seg.filesize, r.size())};
    if ((seg.initprot & ~seg.maxprot & 7) != 0)
        throw ParseError{fmt::format("segment {}: initprot {:#x} exceeds maxprot {:#x}", seg.name, seg.initprot,
                                     seg.maxprot)};
    if (uint64_t(nsects) * 80 > cmdsize - 72)
        throw ParseError{fmt::format("segment {}: {} sections do not fit in cmdsize {}", seg.name, nsects, cmdsize)};
    for (uint32_t i = 0; i < nsects; i++) {
        uint64_t s = lc + 72 + uint64_t(i) * 80;
        Section sec;
        sec.sectname = r.fixed_string(s, 16, "section name");
        sec.segname = r.fixed_string(s + 16, 16, "section segname");
        sec.addr = r.u64(s + 32, "section addr");
        sec.size = r.u64(s + 40, "section size");
        sec.offset = r.u32(s + 48, "section offset");
        sec.align = r.u32(s + 52, "section align");
        sec.flags = r.u32(s + 64, "section flags");
        if (sec.addr < seg.vmaddr || sec.addr + sec.size < sec.addr || sec.addr + sec.size > seg.vmaddr + seg.vmsize)
            throw ParseError{fmt::format("section {},{} ({:#x}+{:#x}) lies outside its segment", sec.segname,
                                         sec.sectname, sec.addr, sec.size)};
        seg.sections.push_back(std::move(sec));
    }
    img.segments.push_back(std::move(seg));
}

void parse_thread(const Reader& r, uint64_t lc, uint32_t cmdsize, Image& img) {
    // A sequence of (flavor, count, state[count]) follows the 8-byte command header.
    uint64_t p = lc + 8, end = lc + cmdsize;
    while (p + 8 <= end) {
        uint32_t flavor = r.u32(p, "thread flavor");
        uint32_t count = r.u32(p + 4, "thread count");
        if (uint64_t(count) * 4 > end - p - 8)
            throw ParseError{fmt::format("LC_UNIXTHREAD: flavor {} with count {} overruns the command", flavor, count)};
        if (flavor == x86_THREAD_STATE64) {
            if (count != x86_THREAD_STATE64_COUNT)
                throw ParseError{fmt::format("LC_UNIXTHREAD: x86_THREAD_STATE64 count is {} (expected {})", count,
                                             x86_THREAD_STATE64_COUNT)};
            img.unixthread = r.get<ThreadState64>(p + 8, "thread state");
        }
        p += 8 + uint64_t(count) * 4;
    }
    if (!img.unixthread) throw ParseError{"LC_UNIXTHREAD carries no x86_THREAD_STATE64"};
}

void parse_symtab(const Reader& r, uint64_t lc, uint64_t slice_size, Image& img, const ParseOptions& opts) {
    uint32_t symoff = r.u32(lc + 8, "symoff"), nsyms = r.u32(lc + 12, "nsyms");
    uint32_t stroff = r.u32(lc + 16, "stroff"), strsize = r.u32(lc + 20, "strsize");
    if (uint64_t(symoff) + uint64_t(nsyms) * 16 > slice_size)
        throw ParseError{fmt::format("LC_SYMTAB: {} symbols at {:#x} lie outside the file", nsyms, symoff)};
    if (uint64_t(stroff) + strsize > slice_size)
        throw ParseError{fmt::format("LC_SYMTAB: string table ({:#x} bytes at {:#x}) lies outside the file", strsize,
                                     stroff)};
    img.symtab_syms = LinkeditRange{symoff, nsyms * 16};
    img.symtab_strs = LinkeditRange{stroff, strsize};
    img.symbols.reserve(nsyms);
    for (uint32_t i = 0; i < nsyms; i++) {
        uint64_t e = symoff + uint64_t(i) * 16;  // struct nlist_64
        Symbol s;
        uint32_t strx = r.u32(e, "n_strx");
        s.type = r.get<uint8_t>(e + 4, "n_type");
        s.sect = r.get<uint8_t>(e + 5, "n_sect");
        s.desc = r.get<uint16_t>(e + 6, "n_desc");
        s.value = r.u64(e + 8, "n_value");
        if (strx >= strsize)
            throw ParseError{fmt::format("symbol {}: name index {:#x} lies outside the string table", i, strx)};
        std::string_view name = r.cstring_view(uint64_t(stroff) + strx, uint64_t(stroff) + strsize, "symbol name");
        if (opts.symbol_names) s.name = name;
        img.symbols.push_back(std::move(s));
    }
}

Image parse_thin(const Reader& r, uint64_t slice_offset, const ParseOptions& opts) {
    Image img;
    img.slice_offset = slice_offset;
    img.slice_size = r.size();
    uint32_t magic = r.u32(0, "Mach-O magic");
    if (magic == kMagic32) throw ParseError{"this is a 32-bit Mach-O; macrun runs only 64-bit x86_64 programs"};
    if (magic != kMagic64) throw ParseError{fmt::format("not a Mach-O file (magic {:#010x})", magic)};
    img.cputype = r.u32(4, "cputype");
    img.cpusubtype = r.u32(8, "cpusubtype");
    img.filetype = r.u32(12, "filetype");
    uint32_t ncmds = r.u32(16, "ncmds");
    uint32_t sizeofcmds = r.u32(20, "sizeofcmds");
    img.flags = r.u32(24, "flags");
    if (img.cputype != kCpuTypeX86_64)
        throw ParseError{fmt::format("this Mach-O is for {}; macrun runs only x86_64 programs",
                                     cputype_name(img.cputype))};
    if (uint64_t(kHeaderSize64) + sizeofcmds > r.size())
        throw ParseError{fmt::format("load commands ({} bytes) run past the end of the file", sizeofcmds)};

    uint64_t lc = kHeaderSize64, end = kHeaderSize64 + uint64_t(sizeofcmds);
    for (uint32_t i = 0; i < ncmds; i++) {
        if (end - lc < 8) throw ParseError{fmt::format("load command {} of {} starts past sizeofcmds", i, ncmds)};
        uint32_t cmd = r.u32(lc, "cmd");
        uint32_t cmdsize = r.u32(lc + 4, "cmdsize");
        if (cmdsize < 8 || cmdsize % 8 != 0 || cmdsize > end - lc)
            throw ParseError{fmt::format("load command {} ({}) has bad cmdsize {}", i, load_command_name(cmd),
                                         cmdsize)};
        auto need = [&](uint32_t n) {
            if (cmdsize < n)
                throw ParseError{fmt::format("{} has cmdsize {} (needs at least {})", load_command_name(cmd), cmdsize,
                                             n)};
        };
        auto lc_string = [&](uint64_t field, const char* what) {
            uint32_t off = r.u32(lc + field, what);
            if (off < field + 4 || off >= cmdsize)
                throw ParseError{fmt::format("{}: name offset {} is outside the command", load_command_name(cmd), off)};
            return r.cstring(lc + off, lc + cmdsize, what);
        };
        switch (cmd) {
            case LC_SEGMENT_64: parse_segment(r, lc, cmdsize, img); break;
            case LC_MAIN:
                need(24);
                if (img.main_entryoff) throw ParseError{"more than one LC_MAIN"};
                img.main_entryoff = r.u64(lc + 8, "entryoff");
                img.main_stacksize = r.u64(lc + 16, "stacksize");
                break;
            case LC_UNIXTHREAD:
                if (img.unixthread) throw ParseError{"more than one LC_UNIXTHREAD"};
                parse_thread(r, lc, cmdsize, img);
                break;
            case LC_LOAD_DYLINKER:
                need(12);
                img.dylinker = lc_string(8, "dylinker name");
                break;
            case LC_LOAD_DYLIB:
            case LC_LOAD_WEAK_DYLIB:
            case LC_REEXPORT_DYLIB:
            case LC_LAZY_LOAD_DYLIB:
            case LC_LOAD_UPWARD_DYLIB: {
                need(24);
                Dylib d;
                d.name = lc_string(8, "dylib name");
                d.current_version = r.u32(lc + 16, "current_version");
                d.compat_version = r.u32(lc + 20, "compatibility_version");
                d.kind = cmd == LC_LOAD_WEAK_DYLIB     ? DylibKind::Weak
                         : cmd == LC_REEXPORT_DYLIB    ? DylibKind::Reexport
                         : cmd == LC_LAZY_LOAD_DYLIB   ? DylibKind::Lazy
                         : cmd == LC_LOAD_UPWARD_DYLIB ? DylibKind::Upward
                                                       : DylibKind::Load;
                img.dylibs.push_back(std::move(d));
                break;
            }
            case LC_RPATH: need(12); img.rpaths.push_back(lc_string(8, "rpath")); break;
            case LC_SYMTAB:
                need(24);
                if (img.symtab_syms) throw ParseError{"more than one LC_SYMTAB"};
                parse_symtab(r, lc, r.size(), img, opts);
                break;
            case LC_DYSYMTAB: {
                need(80);
                Dysymtab d{};
                d.ilocalsym = r.u32(lc + 8, "ilocalsym");
                d.nlocalsym = r.u32(lc + 12, "nlocalsym");
                d.iextdefsym = r.u32(lc + 16, "iextdefsym");
                d.nextdefsym = r.u32(lc + 20, "nextdefsym");
                d.iundefsym = r.u32(lc + 24, "iundefsym");
                d.nundefsym = r.u32(lc + 28, "nundefsym");
                d.indirectsymoff = r.u32(lc + 56, "indirectsymoff");
                d.nindirectsyms = r.u32(lc + 60, "nindirectsyms");
                if (uint64_t(d.indirectsymoff) + uint64_t(d.nindirectsyms) * 4 > r.size())
                    throw ParseError{"LC_DYSYMTAB: indirect symbol table lies outside the file"};
                img.dysymtab = d;
                break;
            }
            case LC_DYLD_INFO:
            case LC_DYLD_INFO_ONLY: {
                need(48);
                DyldInfo d;
                d.rebase = linkedit(r, lc + 8, r.size(), "dyld info rebase");
                d.bind = linkedit(r, lc + 16, r.size(), "dyld info bind");
                d.weak_bind = linkedit(r, lc + 24, r.size(), "dyld info weak bind");
                d.lazy_bind = linkedit(r, lc + 32, r.size(), "dyld info lazy bind");
                d.exports = linkedit(r, lc + 40, r.size(), "dyld info exports");
                img.dyld_info = d;
                break;
            }
            case LC_DYLD_CHAINED_FIXUPS:
                need(16);
                img.chained_fixups = linkedit(r, lc + 8, r.size(), "LC_DYLD_CHAINED_FIXUPS");
                break;
            case LC_DYLD_EXPORTS_TRIE:
                need(16);
                img.exports_trie = linkedit(r, lc + 8, r.size(), "LC_DYLD_EXPORTS_TRIE");
                break;
            case LC_FUNCTION_STARTS:
                need(16);
                img.function_starts = linkedit(r, lc + 8, r.size(), "LC_FUNCTION_STARTS");
                break;
            case LC_DATA_IN_CODE:
                need(16);
                img.data_in_code = linkedit(r, lc + 8, r.size(), "LC_DATA_IN_CODE");
                break;
            case LC_BUILD_VERSION:
                need(24);
                img.build = BuildVersion{r.u32(lc + 8, "platform"), r.u32(lc + 12, "minos"), r.u32(lc + 16, "sdk"),
                                         false};
                break;
            case LC_VERSION_MIN_MACOSX:
                need(16);
                if (!img.build)
                    img.build = BuildVersion{1, r.u32(lc + 8, "version"), r.u32(lc + 12, "sdk"), true};
                break;
            case LC_UUID: {
                need(24);
                std::array<uint8_t, 16> u;
                auto s = r.sub(lc + 8, 16, "uuid");
                std::copy(s.begin(), s.end(), u.begin());
                img.uuid = u;
                break;
            }
            default: break;  // other commands carry nothing the loader needs
        }
        lc += cmdsize;
    }
    if (img.main_entryoff && img.unixthread) throw ParseError{"both LC_MAIN and LC_UNIXTHREAD are present"};
    if (img.filetype == MH_EXECUTE && !img.main_entryoff && !img.unixthread)
        throw ParseError{"executable has neither LC_MAIN nor LC_UNIXTHREAD"};
    if (img.main_entryoff) {
        const Segment* text = img.segment("__TEXT");
        if (!text) throw ParseError{"LC_MAIN without a __TEXT segment"};
        if (*img.main_entryoff >= text->filesize)
            throw ParseError{fmt::format("LC_MAIN entryoff {:#x} lies outside __TEXT", *img.main_entryoff)};
    }
    // Segments must not overlap each other in memory.
    std::vector<const Segment*> sorted;
    for (auto& s : img.segments)
        if (s.vmsize) sorted.push_back(&s);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->vmaddr < b->vmaddr; });
    for (size_t i = 1; i < sorted.size(); i++)
        if (sorted[i - 1]->vmaddr + sorted[i - 1]->vmsize > sorted[i]->vmaddr)
            throw ParseError{fmt::format("segments {} and {} overlap", sorted[i - 1]->name, sorted[i]->name)};
    return img;
}

Image parse_any(std::span<const uint8_t> file, const ParseOptions& opts) {
    Reader r(file);
    if (file.size() < 4) throw ParseError{fmt::format("file is too short to be a Mach-O ({} bytes)", file.size())};
    uint32_t be_magic = r.be32(0, "magic");
    if (be_magic != kFatMagic && be_magic != kFatMagic64) return parse_thin(r, 0, opts);

    // Fat file: big-endian header and arch table. 0xcafebabe is also the Java class magic; there the second
    // word is a class-file version (>= 45), far more than any real fat file's architecture count.
    uint32_t nfat = r.be32(4, "nfat_arch");
    if (nfat == 0 || nfat > 32) throw ParseError{fmt::format("not a fat Mach-O ({} architectures claimed)", nfat)};
    bool wide = be_magic == kFatMagic64;
    uint64_t entsize = wide ? 32 : 20;
    std::string have;
    for (uint32_t i = 0; i < nfat; i++) {
        uint64_t e = 8 + i * entsize;
        uint32_t cputype = r.be32(e, "fat cputype");
        uint64_t off = wide ? r.be64(e + 8, "fat offset") : r.be32(e + 8, "fat offset");
        uint64_t size = wide ? r.be64(e + 16, "fat size") : r.be32(e + 12, "fat size");
        if (!have.empty()) have += ", ";
        have += cputype_name(cputype);
        if (cputype != kCpuTypeX86_64) continue;
        if (off > file.size() || size > file.size() - off)
            throw ParseError{fmt::format("fat slice for x86_64 ({:#x} bytes at {:#x}) lies outside the file", size,
                                         off)};
        Image img = parse_thin(Reader(file.subspan(off, size)), off, opts);
        return img;
    }
    throw ParseError{fmt::format("fat file has no x86_64 slice (it has: {})", have)};
}

}  // namespace

const Segment* Image::segment(std::string_view name) const {
    for (auto& s : segments)
        if (s.name == name) return &s;
    return nullptr;
}

uint64_t Image::vm_low() const {
    uint64_t lo = UINT64_MAX;
    for (auto& s : segments)
        if (s.vmsize && s.initprot | s.maxprot) lo = std::min(lo, s.vmaddr);
    return lo == UINT64_MAX ? 0 : lo;
}

uint64_t Image::vm_high() const {
    uint64_t hi = 0;
    for (auto& s : segments)
        if (s.vmsize && s.initprot | s.maxprot) hi = std::max(hi, s.vmaddr + s.vmsize);
    return hi;
}

std::optional<uint64_t> Image::entry() const {
    if (unixthread) return unixthread->rip;
    if (main_entryoff) {
        const Segment* text = segment("__TEXT");
        return text->vmaddr + *main_entryoff;
    }
    return std::nullopt;
}

ParseResult parse(std::span<const uint8_t> file, const ParseOptions& opts) {
    try {
        return ParseResult{parse_any(file, opts), {}};
    } catch (const ParseError& e) {
        return ParseResult{std::nullopt, e.message};
    }
}

const char* filetype_name(uint32_t t) {
    switch (t) {
        case 1: return "MH_OBJECT";
        case MH_EXECUTE: return "MH_EXECUTE";
        case 3: return "MH_FVMLIB";
        case 4: return "MH_CORE";
        case 5: return "MH_PRELOAD";
        case MH_DYLIB: return "MH_DYLIB";
        case MH_DYLINKER: return "MH_DYLINKER";
        case MH_BUNDLE: return "MH_BUNDLE";
        case 9: return "MH_DYLIB_STUB";
        case 10: return "MH_DSYM";
        case 11: return "MH_KEXT_BUNDLE";
        case 12: return "MH_FILESET";
        default: return "unknown";
    }
}

const char* cputype_name(uint32_t c) {
    switch (c) {
        case kCpuTypeX86_64: return "x86_64";
        case kCpuTypeArm64: return "arm64";
        case 7: return "i386";
        case 12: return "arm";
        case 0x0200000c: return "arm64_32";
        case 18: return "ppc";
        case 0x01000012: return "ppc64";
        default: return "unknown cpu";
    }
}

const char* load_command_name(uint32_t cmd) {
    switch (cmd) {
        case LC_SYMTAB: return "LC_SYMTAB";
        case LC_UNIXTHREAD: return "LC_UNIXTHREAD";
        case LC_DYSYMTAB: return "LC_DYSYMTAB";
        case LC_LOAD_DYLIB: return "LC_LOAD_DYLIB";
        case LC_ID_DYLIB: return "LC_ID_DYLIB";
        case LC_LOAD_DYLINKER: return "LC_LOAD_DYLINKER";
        case LC_ID_DYLINKER: return "LC_ID_DYLINKER";
        case LC_LOAD_WEAK_DYLIB: return "LC_LOAD_WEAK_DYLIB";
        case LC_SEGMENT_64: return "LC_SEGMENT_64";
        case LC_UUID: return "LC_UUID";
        case LC_RPATH: return "LC_RPATH";
        case LC_REEXPORT_DYLIB: return "LC_REEXPORT_DYLIB";
        case LC_LAZY_LOAD_DYLIB: return "LC_LAZY_LOAD_DYLIB";
        case LC_DYLD_INFO: return "LC_DYLD_INFO";
        case LC_DYLD_INFO_ONLY: return "LC_DYLD_INFO_ONLY";
        case LC_LOAD_UPWARD_DYLIB: return "LC_LOAD_UPWARD_DYLIB";
        case LC_VERSION_MIN_MACOSX: return "LC_VERSION_MIN_MACOSX";
        case LC_FUNCTION_STARTS: return "LC_FUNCTION_STARTS";
        case LC_MAIN: return "LC_MAIN";
        case LC_SOURCE_VERSION: return "LC_SOURCE_VERSION";
        case LC_BUILD_VERSION: return "LC_BUILD_VERSION";
        case LC_DYLD_EXPORTS_TRIE: return "LC_DYLD_EXPORTS_TRIE";
        case LC_DYLD_CHAINED_FIXUPS: return "LC_DYLD_CHAINED_FIXUPS";
        case 0x1d: return "LC_CODE_SIGNATURE";
        case LC_DATA_IN_CODE: return "LC_DATA_IN_CODE";
        case 0x2b: return "LC_DYLIB_CODE_SIGN_DRS";
        case 0x2c: return "LC_ENCRYPTION_INFO_64";
        case 0x2d: return "LC_LINKER_OPTION";
        case 0x2e: return "LC_LINKER_OPTIMIZATION_HINT";
        case 0x30: return "LC_VERSION_MIN_WATCHOS";
        case 0x31: return "LC_NOTE";
        case 0x25: return "LC_VERSION_MIN_IPHONEOS";
        case 0x1e: return "LC_SEGMENT_SPLIT_INFO";
        default: return "unknown load command";
    }
}

}  // namespace macho
