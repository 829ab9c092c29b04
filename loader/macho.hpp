// Mach-O parsing: a pure function from the bytes of a file to a description of its x86_64 image, or a precise
// error. No I/O, no mapping, no global state: the parser is unit-tested and fuzzed on its own.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace macho {

// Constants from xnu EXTERNAL_HEADERS/mach-o/loader.h and fat.h.
inline constexpr uint32_t kMagic64 = 0xfeedfacf;
inline constexpr uint32_t kMagic32 = 0xfeedface;
inline constexpr uint32_t kFatMagic = 0xcafebabe;    // big-endian on disk
inline constexpr uint32_t kFatMagic64 = 0xcafebabf;  // big-endian on disk
inline constexpr uint32_t kCpuTypeX86_64 = 0x01000007;
inline constexpr uint32_t kCpuTypeArm64 = 0x0100000c;

inline constexpr uint32_t MH_EXECUTE = 2;
inline constexpr uint32_t MH_DYLIB = 6;
inline constexpr uint32_t MH_DYLINKER = 7;
inline constexpr uint32_t MH_BUNDLE = 8;
inline constexpr uint32_t MH_NOUNDEFS = 0x1;
inline constexpr uint32_t MH_DYLDLINK = 0x4;
inline constexpr uint32_t MH_TWOLEVEL = 0x80;
inline constexpr uint32_t MH_PIE = 0x200000;

inline constexpr uint32_t LC_REQ_DYLD = 0x80000000;
inline constexpr uint32_t LC_SYMTAB = 0x2;
inline constexpr uint32_t LC_UNIXTHREAD = 0x5;
inline constexpr uint32_t LC_DYSYMTAB = 0xb;
inline constexpr uint32_t LC_LOAD_DYLIB = 0xc;
inline constexpr uint32_t LC_ID_DYLIB = 0xd;
inline constexpr uint32_t LC_LOAD_DYLINKER = 0xe;
inline constexpr uint32_t LC_ID_DYLINKER = 0xf;
inline constexpr uint32_t LC_LOAD_WEAK_DYLIB = 0x18 | LC_REQ_DYLD;
inline constexpr uint32_t LC_SEGMENT_64 = 0x19;
inline constexpr uint32_t LC_UUID = 0x1b;
inline constexpr uint32_t LC_RPATH = 0x1c | LC_REQ_DYLD;
inline constexpr uint32_t LC_REEXPORT_DYLIB = 0x1f | LC_REQ_DYLD;
inline constexpr uint32_t LC_LAZY_LOAD_DYLIB = 0x20;
inline constexpr uint32_t LC_DYLD_INFO = 0x22;
inline constexpr uint32_t LC_DYLD_INFO_ONLY = 0x22 | LC_REQ_DYLD;
inline constexpr uint32_t LC_LOAD_UPWARD_DYLIB = 0x23 | LC_REQ_DYLD;
inline constexpr uint32_t LC_VERSION_MIN_MACOSX = 0x24;
inline constexpr uint32_t LC_FUNCTION_STARTS = 0x26;
inline constexpr uint32_t LC_DATA_IN_CODE = 0x29;
inline constexpr uint32_t LC_MAIN = 0x28 | LC_REQ_DYLD;
inline constexpr uint32_t LC_SOURCE_VERSION = 0x2a;
inline constexpr uint32_t LC_BUILD_VERSION = 0x32;
inline constexpr uint32_t LC_DYLD_EXPORTS_TRIE = 0x33 | LC_REQ_DYLD;
inline constexpr uint32_t LC_DYLD_CHAINED_FIXUPS = 0x34 | LC_REQ_DYLD;

inline constexpr uint32_t VM_PROT_READ = 1, VM_PROT_WRITE = 2, VM_PROT_EXECUTE = 4;
inline constexpr uint32_t x86_THREAD_STATE64 = 4;
inline constexpr uint32_t x86_THREAD_STATE64_COUNT = 42;  // in 32-bit words: 21 registers

struct Section {
    std::string sectname, segname;
    uint64_t addr = 0, size = 0;
    uint32_t offset = 0, align = 0, flags = 0;
};

struct Segment {
    std::string name;
    uint64_t vmaddr = 0, vmsize = 0, fileoff = 0, filesize = 0;
    uint32_t maxprot = 0, initprot = 0, flags = 0;
    std::vector<Section> sections;
};

enum class DylibKind { Load, Weak, Reexport, Lazy, Upward };

struct Dylib {
    std::string name;
    DylibKind kind = DylibKind::Load;
    uint32_t current_version = 0, compat_version = 0;
};

struct Symbol {
    std::string name;
    uint8_t type = 0, sect = 0;
    uint16_t desc = 0;
    uint64_t value = 0;
};

// x86_THREAD_STATE64 in the order xnu osfmk/mach/i386/_structs.h declares it.
struct ThreadState64 {
    uint64_t rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags, cs, fs, gs;
};
static_assert(sizeof(ThreadState64) == x86_THREAD_STATE64_COUNT * 4);

struct LinkeditRange {
    uint32_t off = 0, size = 0;
};

struct DyldInfo {
    LinkeditRange rebase, bind, weak_bind, lazy_bind, exports;
};

struct Dysymtab {
    uint32_t ilocalsym, nlocalsym, iextdefsym, nextdefsym, iundefsym, nundefsym;
    uint32_t indirectsymoff, nindirectsyms;
};

struct BuildVersion {
    uint32_t platform = 0, minos = 0, sdk = 0;  // minos/sdk as xxxx.yy.zz nibbles
    bool from_version_min = false;
};

struct Image {
    uint64_t slice_offset = 0;  // where this architecture's slice starts in the file
    uint64_t slice_size = 0;
    uint32_t cputype = 0, cpusubtype = 0, filetype = 0, flags = 0;
    std::vector<Segment> segments;
    std::optional<uint64_t> main_entryoff;  // LC_MAIN
    uint64_t main_stacksize = 0;
    std::optional<ThreadState64> unixthread;  // LC_UNIXTHREAD
    std::string dylinker;                     // LC_LOAD_DYLINKER
    std::vector<Dylib> dylibs;
    std::vector<std::string> rpaths;
    std::optional<LinkeditRange> symtab_syms, symtab_strs;
    std::vector<Symbol> symbols;
    std::optional<Dysymtab> dysymtab;
    std::optional<DyldInfo> dyld_info;
    std::optional<LinkeditRange> chained_fixups, exports_trie, function_starts, data_in_code;
    std::optional<BuildVersion> build;
    std::optional<std::array<uint8_t, 16>> uuid;

    bool pie() const { return flags & MH_PIE; }
    const Segment* segment(std::string_view name) const;
    // The lowest and highest addresses the mappable segments cover (__PAGEZERO excluded).
    uint64_t vm_low() const;
    uint64_t vm_high() const;
    // The unslid entry address: LC_UNIXTHREAD rip, or __TEXT + LC_MAIN entryoff.
    std::optional<uint64_t> entry() const;
};

struct ParseResult {
    std::optional<Image> image;
    std::string error;  // set when image is empty
};

struct ParseOptions {
    // Symbols' names. Running a program needs only their values (the code map); building a string for each
    // of the tens of thousands a large program has costs milliseconds at every start. Without names the same
    // checks are made and Symbol::name is left empty.
    bool symbol_names = true;
};

// Parses a whole file (thin or fat). From a fat file the x86_64 slice is chosen; a file without one is refused,
// naming the architectures it has.
ParseResult parse(std::span<const uint8_t> file, const ParseOptions& opts = {});

const char* filetype_name(uint32_t filetype);
const char* cputype_name(uint32_t cputype);
const char* load_command_name(uint32_t cmd);

}  // namespace macho
