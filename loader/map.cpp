#include "map.hpp"
#include "base/page.hpp"

#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace loader {
namespace {

uint64_t page_down(uint64_t v) { return v & ~(base::kPageSize - 1); }
uint64_t page_up(uint64_t v) { return (v + base::kPageSize - 1) & ~(base::kPageSize - 1); }

int prot_of(uint32_t vmprot) {
    int p = 0;
    if (vmprot & macho::VM_PROT_READ) p |= PROT_READ;
    if (vmprot & macho::VM_PROT_WRITE) p |= PROT_WRITE;
    if (vmprot & macho::VM_PROT_EXECUTE) p |= PROT_EXEC;
    return p;
}

uint64_t random_u64() {
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, 0) != sizeof v) v = uint64_t(getpid()) * 0x9e3779b97f4a7c15ULL;
    return v;
}

// Reads exactly n bytes at offset, or fails.
bool pread_all(int fd, void* dst, size_t n, off_t off) {
    auto* p = static_cast<uint8_t*>(dst);
    while (n) {
        ssize_t r = pread(fd, p, n, off);
        if (r <= 0) return false;
        p += r, n -= size_t(r), off += r;
    }
    return true;
}

}  // namespace

std::string map_image(const macho::Image& img, int fd, Mapped& out) {
    uint64_t lo = img.vm_low(), hi = img.vm_high();
    if (hi <= lo) return "the image has no segment to map";
    // XNU slides PIE executables by a random page multiple; 16 bits of pages (256 MiB) keep the image in the
    // low part of the address space, where Mach-O programs expect it.
    uint64_t slide = img.pie() ? (random_u64() & 0xffff) * base::kPageSize : 0;
    uint64_t base = page_down(lo) + slide, len = page_up(hi) - page_down(lo);

    // Reserve the whole range first, so segments land together or not at all.
    void* r = mmap(reinterpret_cast<void*>(base), len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    if (r == MAP_FAILED || r != reinterpret_cast<void*>(base)) {
        if (r != MAP_FAILED) munmap(r, len);
        return fmt::format("cannot map the image at {:#x}-{:#x}: the range is in use", base, base + len);
    }
    for (const auto& seg : img.segments) {
        if (seg.vmsize == 0) continue;
        if (seg.initprot == 0 && seg.maxprot == 0) {
            // __PAGEZERO: keep [0, vmsize) unmapped. Linux refuses addresses below mmap_min_addr anyway; above it,
            // reserve with no access so that a null-ish pointer faults as on macOS.
            uint64_t zlo = std::max<uint64_t>(seg.vmaddr + slide, 0x10000), zhi = seg.vmaddr + slide + seg.vmsize;
            if (zhi > zlo)
                mmap(reinterpret_cast<void*>(zlo), zhi - zlo, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
            continue;
        }
        uint64_t start = seg.vmaddr + slide;
        if (start % base::kPageSize) return fmt::format("segment {} is not page-aligned ({:#x})", seg.name, seg.vmaddr);
        uint64_t mlen = page_up(seg.vmsize);
        void* m = mmap(reinterpret_cast<void*>(start), mlen, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (m == MAP_FAILED) return fmt::format("cannot map segment {}: {}", seg.name, strerror(errno));
        uint64_t fileoff = img.slice_offset + seg.fileoff;
        bool aligned = fileoff % base::kPageSize == 0;
        uint64_t whole = page_down(seg.filesize);
        if (aligned && whole >= 16 * base::kPageSize) {
            // Large segments are mapped from the file (shared page cache, lazy reads); the partial last page is read.
            void* f = mmap(m, whole, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, off_t(fileoff));
            if (f == MAP_FAILED) return fmt::format("cannot map segment {} from the file: {}", seg.name, strerror(errno));
            if (seg.filesize > whole &&
                !pread_all(fd, static_cast<uint8_t*>(m) + whole, seg.filesize - whole, off_t(fileoff + whole)))
                return fmt::format("cannot read segment {} from the file", seg.name);
        } else if (seg.filesize && !pread_all(fd, m, seg.filesize, off_t(fileoff))) {
            return fmt::format("cannot read segment {} from the file", seg.name);
        }
        if (mprotect(m, mlen, prot_of(seg.initprot)) != 0)
            return fmt::format("cannot protect segment {}: {}", seg.name, strerror(errno));
        if (seg.fileoff == 0 && seg.filesize) out.mach_header = start;
    }
    out.slide = slide;
    auto entry = img.entry();
    out.entry = entry ? *entry + slide : 0;
    return {};
}

std::vector<std::string> apple_strings(const std::string& exec_path, uint64_t main_stack_top, uint64_t stack_size) {
    auto hex = [](uint64_t v) { return fmt::format("{:#x}", v); };
    struct stat st {};
    stat(exec_path.c_str(), &st);
    return {
        "executable_path=" + exec_path,
        // XNU zeroes the guard's second byte (bsd/kern/kern_exec.c), so a string overrun cannot reproduce it.
        "stack_guard=" + hex(random_u64() & ~0xff00ULL),
        "malloc_entropy=" + hex(random_u64()) + "," + hex(random_u64()),
        "ptr_munge=" + hex(random_u64()),
        fmt::format("main_stack={:#x},{:#x},{:#x},{:#x}", main_stack_top, stack_size, main_stack_top - stack_size, 0),
        fmt::format("executable_file={:#x},{:#x}", uint64_t(st.st_dev), uint64_t(st.st_ino)),
        "th_port=0x103",
    };
}

std::string allocate_stack(uint64_t stack_size, uint64_t& top) {
    // macOS puts the main stack below 0x7ff7bff00000 (xnu USRSTACK64) with a random offset; do the same when
    // the range is free, else let Linux choose.
    constexpr uint64_t kUsrStack64 = 0x00007ff7bff00000ULL;
    uint64_t top_hint = kUsrStack64 - (random_u64() & 0x3fff) * base::kPageSize;
    uint64_t guard = base::kPageSize;
    void* m = mmap(reinterpret_cast<void*>(top_hint - stack_size - guard), stack_size + guard, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        m = mmap(nullptr, stack_size + guard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
    if (m == MAP_FAILED) return fmt::format("cannot allocate the stack: {}", strerror(errno));
    mprotect(m, guard, PROT_NONE);
    top = reinterpret_cast<uint64_t>(m) + guard + stack_size;
    return {};
}

void build_stack(uint64_t top, const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                 const std::vector<std::string>& apple, uint64_t mach_header_slot, StackImage& out) {
    // The strings area, as XNU's exec lays it out below the top of the stack (bsd/kern/kern_exec.c
    // exec_copyout_strings): "executable_path=PATH" (apple[0] points at it) padded with NULs to 8 bytes, then
    // the argv, envp and remaining apple strings in order. KERN_PROCARGS2 reads this area back.
    size_t total = 0;
    std::string first = apple.empty() ? std::string("executable_path=") : apple[0];
    size_t first_len = (first.size() + 1 + 7) & ~size_t(7);
    total += first_len;
    for (auto& s : argv) total += s.size() + 1;
    for (auto& s : envp) total += s.size() + 1;
    for (size_t i = 1; i < apple.size(); i++) total += apple[i].size() + 1;
    uint64_t area = (top - total) & ~uint64_t(7);
    uint64_t cur = area;
    auto put_string = [&](const std::string& s, size_t room) {
        uint64_t at = cur;
        std::memset(reinterpret_cast<void*>(cur), 0, room);
        std::memcpy(reinterpret_cast<void*>(cur), s.c_str(), s.size());
        cur += room;
        return at;
    };
    std::vector<uint64_t> a, e, p;
    p.push_back(put_string(first, first_len));
    for (auto& s : argv) a.push_back(put_string(s, s.size() + 1));
    for (auto& s : envp) e.push_back(put_string(s, s.size() + 1));
    for (size_t i = 1; i < apple.size(); i++) p.push_back(put_string(apple[i], apple[i].size() + 1));
    out.strings = area;
    out.strings_end = cur;
    uint64_t sp = area & ~uint64_t(15);

    // Pointer area: [mach_header] argc argv... 0 envp... 0 apple... 0, with the start 16-byte aligned.
    size_t words = (mach_header_slot ? 1 : 0) + 1 + a.size() + 1 + e.size() + 1 + p.size() + 1;
    sp -= words * 8;
    sp &= ~uint64_t(15);
    auto* w = reinterpret_cast<uint64_t*>(sp);
    out.sp = sp;
    if (mach_header_slot) *w++ = mach_header_slot;
    out.argc = a.size();
    *w++ = a.size();
    out.argv = reinterpret_cast<uint64_t>(w);
    for (auto v : a) *w++ = v;
    *w++ = 0;
    out.envp = reinterpret_cast<uint64_t>(w);
    for (auto v : e) *w++ = v;
    *w++ = 0;
    out.apple = reinterpret_cast<uint64_t>(w);
    for (auto v : p) *w++ = v;
    *w++ = 0;
}

}  // namespace loader
