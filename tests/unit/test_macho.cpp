// The Mach-O parser on hand-built images: what it reports, and the precise error for each kind of damage.
#include <cstring>
#include <doctest/doctest.h>
#include <vector>

#include "loader/macho.hpp"

namespace {

struct Builder {
    std::vector<uint8_t> b = std::vector<uint8_t>(32, 0);
    uint32_t ncmds = 0;
    void u32(size_t off, uint32_t v) { memcpy(b.data() + off, &v, 4); }
    void u64(size_t off, uint64_t v) { memcpy(b.data() + off, &v, 8); }
    size_t add(uint32_t cmd, uint32_t size) {
        size_t off = b.size();
        b.resize(off + size, 0);
        u32(off, cmd);
        u32(off + 4, size);
        ncmds++;
        return off;
    }
    void segment(const char* name, uint64_t vmaddr, uint64_t vmsize, uint64_t fileoff, uint64_t filesize, uint32_t prot) {
        size_t o = add(macho::LC_SEGMENT_64, 72);
        memcpy(b.data() + o + 8, name, strlen(name));
        u64(o + 24, vmaddr);
        u64(o + 32, vmsize);
        u64(o + 40, fileoff);
        u64(o + 48, filesize);
        u32(o + 56, prot);
        u32(o + 60, prot);
    }
    void thread(uint64_t rip) {
        size_t o = add(macho::LC_UNIXTHREAD, 184);
        u32(o + 8, macho::x86_THREAD_STATE64);
        u32(o + 12, macho::x86_THREAD_STATE64_COUNT);
        u64(o + 16 + 16 * 8, rip);
    }
    std::vector<uint8_t> finish(size_t total = 0x2000) {
        u32(0, macho::kMagic64);
        u32(4, macho::kCpuTypeX86_64);
        u32(8, 3);
        u32(12, macho::MH_EXECUTE);
        u32(16, ncmds);
        u32(20, uint32_t(b.size() - 32));
        if (b.size() < total) b.resize(total, 0);
        return b;
    }
};

std::vector<uint8_t> minimal() {
    Builder m;
    m.segment("__PAGEZERO", 0, 0x100000000, 0, 0, 0);
    m.segment("__TEXT", 0x100000000, 0x2000, 0, 0x2000, 5);
    m.thread(0x100000f00);
    return m.finish();
}

}  // namespace

TEST_CASE("a minimal static executable parses") {
    auto bytes = minimal();
    auto r = macho::parse(bytes);
    REQUIRE(r.image);
    CHECK(r.image->segments.size() == 2);
    CHECK(r.image->unixthread->rip == 0x100000f00);
    CHECK(r.image->entry().value() == 0x100000f00);
    CHECK(r.image->vm_low() == 0x100000000);
    CHECK(r.image->vm_high() == 0x100002000);
    CHECK(r.image->dylibs.empty());
}

TEST_CASE("truncation at every length is an error, never a crash") {
    auto bytes = minimal();
    for (size_t len = 0; len < 32 + 72 * 2 + 184; len++) {
        auto r = macho::parse(std::span<const uint8_t>(bytes.data(), len));
        CHECK_FALSE(r.image);
        CHECK_FALSE(r.error.empty());
    }
}

TEST_CASE("damage is named precisely") {
    auto bytes = minimal();
    SUBCASE("bad magic") {
        bytes[0] = 0;
        CHECK(macho::parse(bytes).error.find("not a Mach-O") != std::string::npos);
    }
    SUBCASE("arm64") {
        uint32_t arm = macho::kCpuTypeArm64;
        memcpy(bytes.data() + 4, &arm, 4);
        CHECK(macho::parse(bytes).error.find("arm64") != std::string::npos);
    }
    SUBCASE("cmdsize zero") {
        uint32_t zero = 0;
        memcpy(bytes.data() + 32 + 4, &zero, 4);
        CHECK(macho::parse(bytes).error.find("bad cmdsize") != std::string::npos);
    }
    SUBCASE("segment file range outside the file") {
        uint64_t big = 0x100000;
        memcpy(bytes.data() + 32 + 72 + 48, &big, 8);
        CHECK(macho::parse(bytes).error.find("filesize") != std::string::npos);
    }
    SUBCASE("no entry point") {
        uint32_t ncmds = 2;
        memcpy(bytes.data() + 16, &ncmds, 4);
        uint32_t size = 144;
        memcpy(bytes.data() + 20, &size, 4);
        CHECK(macho::parse(bytes).error.find("neither LC_MAIN nor LC_UNIXTHREAD") != std::string::npos);
    }
}

TEST_CASE("fat files: x86_64 chosen, others refused by name") {
    auto thin = minimal();
    std::vector<uint8_t> fat(0x1000, 0);
    auto be = [&](size_t off, uint32_t v) {
        v = __builtin_bswap32(v);
        memcpy(fat.data() + off, &v, 4);
    };
    be(0, macho::kFatMagic);
    be(4, 1);
    be(8, macho::kCpuTypeX86_64);
    be(16, 0x1000);
    be(20, uint32_t(thin.size()));
    be(24, 12);
    fat.insert(fat.end(), thin.begin(), thin.end());
    auto r = macho::parse(fat);
    REQUIRE(r.image);
    CHECK(r.image->slice_offset == 0x1000);

    be(8, macho::kCpuTypeArm64);
    r = macho::parse(fat);
    CHECK_FALSE(r.image);
    CHECK(r.error.find("no x86_64 slice (it has: arm64)") != std::string::npos);
}

TEST_CASE("a Java class file is not taken for a fat Mach-O") {
    std::vector<uint8_t> cls = {0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0, 0, 0, 0};
    auto r = macho::parse(cls);
    CHECK_FALSE(r.image);
    CHECK(r.error.find("not a fat Mach-O") != std::string::npos);
}
