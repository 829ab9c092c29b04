#include "fastpath.hpp"

#include <algorithm>
#include <cpuid.h>
#include <cstdio>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <unistd.h>

#include "inproc_thread.hpp"
#include "tracer/common.hpp"
#include "syscalls/dispatch.hpp"
#include "tracer/x86_decode.hpp"
#include "base/diag.hpp"

extern "C" void macrun_fast_entry_sse();
extern "C" void macrun_fast_entry_avx();
extern "C" void macrun_fast_entry_xsave();

namespace tracer::fastpath {
namespace {

// The registers macrun_fast_entry saved, in push order reversed.
struct FastFrame {
    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15, rflags, ret;
};

// Trampoline slot layout (bytes): a prefix, then lea -0x80(%rsp),%rsp (5), call *entry(%rip) (6); at the
// call's return address: lea 0x80(%rsp),%rsp (8), jmp site_end (5), the slot's kind (1 byte at kKindOffset),
// pad, site_end (8 bytes at kSiteEndOffset), and for a site of any shape the slow path at kSlowOffset:
// lea 0x80(%rsp),%rsp (8), syscall (2), jmp site_end (5).
// The prefix is `mov $N,%eax; [mov %rcx,%r10]` for Apple's stub shape (whose number is known at the site), or
// the instructions the jump replaced before the `syscall` for a site of any other shape.
constexpr size_t kSlot = 64;
constexpr size_t kKindOffset = 13, kSiteEndOffset = 16, kSlowOffset = 24;
enum : uint8_t { kKindFixedNumber = 0, kKindAnyNumber = 1 };
constexpr size_t kRegion = 1 << 16;  // per 2 GiB window: a page for the entry pointer, then slots
constexpr unsigned kMaxSites = 4096;
constexpr size_t kMaxMoved = 30;  // the most bytes of instructions a rewrite moves before a `syscall`

struct Region {
    uint64_t base = 0;  // first byte; the entry pointer lives here
    uint64_t next = 0;  // next free slot
};

struct Site {
    std::atomic<uint64_t> site{0}, tramp{0};
    // The bytes the jump replaced (the jump's 5 and the unreached rest up to the syscall's end), so that a
    // later rewrite in the same function decodes the program as it was written.
    uint8_t len = 0;
    uint8_t orig[kMaxMoved + 2] = {};
};

Region g_regions[16];
Site g_sites[kMaxSites];
std::atomic<unsigned> g_nsites{0};
std::atomic_flag g_lock = ATOMIC_FLAG_INIT;

// Calls the master list marks trap_path (their handlers set registers themselves, fork or replace the process)
// stay on the trapping path, and so does the BSD indirect call (0), whose number is an argument.
bool patchable(uint32_t eax) {
    auto cls = xnu_sys::SysClass(eax >> xnu_sys::kClassShift);
    uint32_t nr = eax & xnu_sys::kNumberMask;
    if (cls != xnu_sys::SysClass::Bsd && cls != xnu_sys::SysClass::Mach && cls != xnu_sys::SysClass::Machdep)
        return false;
    if (cls == xnu_sys::SysClass::Bsd && nr == 0) return false;
    const xnu_sys::SyscallEntry* e = xnu_sys::lookup(cls, nr);
    return !(e && e->trap_path());
}

bool mem_write(uint64_t addr, const void* p, size_t n) {
    return pwrite(g_runtime.self_mem_fd, p, n, off_t(addr)) == ssize_t(n);
}

bool within_rel32(uint64_t from_next, uint64_t to) {
    int64_t d = int64_t(to - from_next);
    return d == int64_t(int32_t(d));
}

// The entry that saves what this CPU's enabled state (XCR0) lets macrun's code change (fastpath_entry.S).
uint64_t entry_for_this_cpu() {
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    uint64_t xcr0 = 3;
    if (c & (1u << 27)) {  // OSXSAVE
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = (uint64_t(hi) << 32) | lo;
    }
    // Without AVX-512 state (opmask, ZMM_Hi256, Hi16_ZMM: XCR0 bits 5-7) explicit moves do; with it, XSAVE
    // of x87, SSE, AVX and AVX-512 (mask 0xe7), whose standard layout must fit the 4 KiB area.
    if (!(xcr0 & 0xe0)) return reinterpret_cast<uint64_t>(xcr0 & 4 ? &macrun_fast_entry_avx : &macrun_fast_entry_sse);
    __cpuid_count(0xd, 7, a, b, c, d);  // Hi16_ZMM: eax its size, ebx its offset, the last of the mask
    return uint64_t(a) + b <= 4096 - 64 ? reinterpret_cast<uint64_t>(&macrun_fast_entry_xsave) : 0;
}

// A region within +-2 GiB of `site` with room for a slot of `size` bytes, allocated on first use.
Region* region_near(uint64_t site, size_t size) {
    for (Region& r : g_regions) {
        if (!r.base) continue;
        if (within_rel32(site + 5, r.base) && within_rel32(site + 5, r.base + kRegion) && r.next + size <= r.base + kRegion)
            return &r;
    }
    for (Region& r : g_regions) {
        if (r.base) continue;
        // Try addresses 64 MiB apart, above and below the site, for a free range.
        for (int64_t step = 1; step < 24; step++) {
            for (int sign : {1, -1}) {
                uint64_t hint = ((site & ~uint64_t(kRegion - 1)) + uint64_t(sign * step) * (64ULL << 20));
                if (hint < 0x10000000ULL) continue;
                void* m = mmap(reinterpret_cast<void*>(hint), kRegion, PROT_READ | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
                if (m == MAP_FAILED) continue;
                r.base = reinterpret_cast<uint64_t>(m);
                uint64_t entry = entry_for_this_cpu();
                if (!entry || !mem_write(r.base, &entry, sizeof entry)) {
                    munmap(m, kRegion);
                    r.base = 0;
                    return nullptr;
                }
                r.next = r.base + 64;
                return &r;
            }
        }
        return nullptr;
    }
    return nullptr;
}

// Whether `a` lies in one of the trampoline regions (their slow paths make real `syscall`s, never rewritten).
bool in_trampolines(uint64_t a) {
    for (const Region& r : g_regions)
        if (r.base && a >= r.base && a < r.base + kRegion) return true;
    return false;
}

// Writes a slot of `size` bytes: `prefix` (n bytes, already placed for the slot's address), the call into
// macrun, the way back to site_end and, for kKindAnyNumber, the slow path.
uint64_t build_trampoline(Region& r, const uint8_t* prefix, size_t prefix_len, uint8_t kind, uint64_t site_end) {
    const size_t size = kind == kKindAnyNumber ? 2 * kSlot : kSlot;
    if (r.next + size > r.base + kRegion) return 0;
    uint8_t code[2 * kSlot] = {};
    size_t n = 0;
    uint64_t slot = r.next;
    memcpy(code, prefix, prefix_len), n += prefix_len;
    const uint8_t lea_down[] = {0x48, 0x8d, 0x64, 0x24, 0x80};
    memcpy(code + n, lea_down, sizeof lea_down), n += sizeof lea_down;
    code[n++] = 0xff, code[n++] = 0x15;
    auto rel = int32_t(int64_t(r.base) - int64_t(slot + n + 4));
    memcpy(code + n, &rel, 4), n += 4;
    const size_t ret = n;
    const uint8_t lea_up[] = {0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00};
    auto jmp_back = [&](size_t at) {
        code[at] = 0xe9;
        auto back = int32_t(int64_t(site_end) - int64_t(slot + at + 5));
        memcpy(code + at + 1, &back, 4);
    };
    memcpy(code + ret, lea_up, sizeof lea_up);
    jmp_back(ret + sizeof lea_up);
    code[ret + kKindOffset] = kind;
    memcpy(code + ret + kSiteEndOffset, &site_end, 8);
    if (kind == kKindAnyNumber) {
        const size_t slow = ret + kSlowOffset;
        memcpy(code + slow, lea_up, sizeof lea_up);
        code[slow + 8] = 0x0f, code[slow + 9] = 0x05;
        jmp_back(slow + 10);
    }
    if (ret + kSlowOffset + 15 > size || !mem_write(slot, code, size)) return 0;
    r.next += size;
    return slot;
}

// Sites of other shapes that could not be rewritten, so that their next trap does not try again: an
// open-addressed set of `syscall` addresses, filled without a lock (a lost insert costs one more try).
std::atomic<uint64_t> g_refused[1024];

bool refused(uint64_t sys) {
    for (unsigned i = 0, h = unsigned(sys * 0x9e3779b97f4a7c15ULL >> 54); i < 1024; i++, h = (h + 1) & 1023) {
        uint64_t v = g_refused[h].load(std::memory_order_relaxed);
        if (v == sys) return true;
        if (!v) return false;
    }
    return false;
}

void refuse(uint64_t sys) {
    for (unsigned i = 0, h = unsigned(sys * 0x9e3779b97f4a7c15ULL >> 54); i < 1024; i++, h = (h + 1) & 1023) {
        uint64_t expected = 0;
        if (g_refused[h].compare_exchange_strong(expected, sys) || expected == sys) return;
    }
}

// The image's functions, slid (set once before the program runs; read by signal handlers).
loader::CodeMap g_code;

// [begin, end) of the function around `a`, from the code map.
bool function_of(uint64_t a, uint64_t* begin, uint64_t* end) {
    const loader::CodeRange* range = nullptr;
    for (const loader::CodeRange& r : g_code.ranges)
        if (a >= r.begin && a < r.end) range = &r;
    if (!range) return false;
    auto it = std::upper_bound(g_code.starts.begin(), g_code.starts.end(), a);
    if (it == g_code.starts.begin()) return false;
    *begin = std::max(*(it - 1), range->begin);
    *end = it == g_code.starts.end() ? range->end : std::min(*it, range->end);
    return true;
}

// Buffers for planning a rewrite, used under g_lock only (a trap may come on a small stack).
constexpr size_t kMaxFunction = 32 * 1024, kMaxInsns = 8192, kMaxTargets = 4096;
uint8_t g_fn[kMaxFunction];
uint64_t g_fn_base;  // the address of g_fn[0]
uint16_t g_insn_at[kMaxInsns];
uint64_t g_targets[kMaxTargets];

// The rewrite of a `syscall` at `sys` of any shape: whole instructions [start, sys) of at least 3 bytes that
// can run elsewhere, with no branch into them past their first byte, are moved into the trampoline ahead of
// the call; the jump to the trampoline takes their place and the `syscall`'s. Instruction boundaries come from
// decoding the whole function from its start (the code map); any byte the decoder does not know, any
// indirect way into the middle that a relative branch shows, and the site stays on the trapping path.
// Returns the length of the moved instructions (0: refused) and their address in *start.
size_t plan_any_shape(Thread& t, uint64_t sys, uint64_t* start) {
    uint64_t fb, fe;
    if (!function_of(sys, &fb, &fe) || fe - fb > kMaxFunction || sys + 2 > fe) return 0;
    if (t.read(TraceeAddr(fb), g_fn, fe - fb) != 0) return 0;
    g_fn_base = fb;
    // Sites already rewritten in this function are read as the program had them.
    for (unsigned i = 0, n = std::min(g_nsites.load(), kMaxSites); i < n; i++) {
        uint64_t at = g_sites[i].site.load(std::memory_order_relaxed);
        if (at >= fb && at + g_sites[i].len <= fe) memcpy(g_fn + (at - fb), g_sites[i].orig, g_sites[i].len);
    }
    size_t ninsn = 0, ntargets = 0, at_sys = SIZE_MAX;
    // Data inside the function (jump tables, LC_DATA_IN_CODE) is stepped over, not decoded.
    auto data = std::lower_bound(g_code.data.begin(), g_code.data.end(), fb,
                                 [](const loader::CodeRange& r, uint64_t a) { return r.end <= a; });
    for (size_t off = 0; off < fe - fb;) {
        if (data != g_code.data.end() && fb + off >= data->begin) {
            if (fb + off < data->end) {
                if (sys >= data->begin && sys < data->end) return 0;
                off = data->end - fb;
                continue;
            }
            ++data;
            continue;
        }
        x86::Insn in = x86::decode(g_fn + off, fe - fb - off, fb + off);
        if (!in.length || ninsn == kMaxInsns) return 0;
        if (fb + off == sys) {
            if (!in.is_syscall) return 0;
            at_sys = ninsn;
        }
        g_insn_at[ninsn++] = uint16_t(off);
        if (in.rel_branch) {
            if (ntargets == kMaxTargets) return 0;
            g_targets[ntargets++] = in.target;
        }
        off += in.length;
    }
    if (at_sys == SIZE_MAX) return 0;  // the decoding never lands on the syscall: not a boundary we know
    // Whole instructions back from the syscall until the jump fits.
    size_t first = at_sys;
    while (first > 0 && sys - (fb + g_insn_at[first]) < 3) {
        first--;
        x86::Insn in = x86::decode(g_fn + g_insn_at[first], fe - fb - g_insn_at[first], fb + g_insn_at[first]);
        if (in.rel_branch || in.call || in.ends_flow || in.is_syscall) return 0;
    }
    const uint64_t a = fb + g_insn_at[first];
    if (sys - a < 3) return 0;
    for (size_t i = 0; i < ntargets; i++)
        if (g_targets[i] > a && g_targets[i] <= sys) return 0;
    // Jump tables' entries are branch targets too.
    auto jt = std::upper_bound(g_code.jump_targets.begin(), g_code.jump_targets.end(), a);
    if (jt != g_code.jump_targets.end() && *jt <= sys) return 0;
    *start = a;
    return sys - a;
}

// The moved instructions (planned by plan_any_shape) as they run at `slot`: rip-relative operands keep
// pointing where they did.
bool relocate(uint64_t from, size_t len, uint64_t slot, uint8_t* out) {
    size_t off = 0;
    while (off < len) {
        uint64_t addr = from + off;
        const uint8_t* src = g_fn + (addr - g_fn_base);
        x86::Insn in = x86::decode(src, len - off, addr);
        if (!in.length || off + in.length > len) return false;
        memcpy(out + off, src, in.length);
        if (in.rip_relative) {
            int32_t d;
            memcpy(&d, src + in.disp_offset, 4);
            int64_t nd = int64_t(d) + int64_t(addr) - int64_t(slot + off);
            if (nd != int64_t(int32_t(nd))) return false;
            auto d32 = int32_t(nd);
            memcpy(out + off + in.disp_offset, &d32, 4);
        }
        off += in.length;
    }
    return true;
}
}  // namespace

namespace {

// /proc/self/mem, opened at the first rewrite (most of a process's life it is not needed, and opening it costs
// as much as a fifth of macrun's own start-up), on a descriptor out of the program's way. False if it cannot
// be opened: then nothing is rewritten.
bool open_self_mem() {
    if (g_runtime.self_mem_fd >= 0) return true;
    static std::atomic<bool> failed{false};
    if (failed.load(std::memory_order_relaxed)) return false;
    long fd = raw_syscall(SYS_openat, AT_FDCWD, reinterpret_cast<long>("/proc/self/mem"), O_RDWR | O_CLOEXEC);
    long hi = fd < 0 ? fd : raw_syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 900);
    if (fd >= 0) raw_syscall(SYS_close, fd);
    if (hi < 0) {
        failed.store(true, std::memory_order_relaxed);
        return false;
    }
    for (int& slot : g_runtime.reserved_fds)
        if (slot < 0) {
            slot = int(hi);
            break;
        }
    g_runtime.self_mem_fd = int(hi);
    return true;
}

}  // namespace

uint64_t trampoline_for(uint64_t site) {
    unsigned n = std::min(g_nsites.load(std::memory_order_acquire), kMaxSites);
    for (unsigned i = 0; i < n; i++)
        if (g_sites[i].site.load(std::memory_order_acquire) == site) return g_sites[i].tramp.load();
    return 0;
}

unsigned patched_count() { return g_nsites.load(); }

void set_code_map(const loader::CodeMap& unslid, uint64_t slide) {
    g_code = unslid;
    for (uint64_t& a : g_code.starts) a += slide;
    for (uint64_t& a : g_code.jump_targets) a += slide;
    for (loader::CodeRange& r : g_code.ranges) r.begin += slide, r.end += slide;
    for (loader::CodeRange& r : g_code.data) r.begin += slide, r.end += slide;
}

namespace {

// Redirects the instructions at [site, site + 5) to `tramp`: int3 first, so that a thread arriving meanwhile
// is sent to the trampoline (on_sigtrap) rather than running a torn jump.
void install_jump(uint64_t site, uint64_t tramp, const uint8_t* orig, size_t len, const char* how) {
    unsigned i = g_nsites.load();
    g_sites[i].len = uint8_t(len);
    memcpy(g_sites[i].orig, orig, len);
    g_sites[i].site.store(site);
    g_sites[i].tramp.store(tramp);
    g_nsites.store(i + 1, std::memory_order_release);
    uint8_t int3 = 0xcc, jmp = 0xe9;
    auto rel = int32_t(int64_t(tramp) - int64_t(site + 5));
    mem_write(site, &int3, 1);
    mem_write(site + 1, &rel, 4);
    mem_write(site, &jmp, 1);
    if (g_runtime.trace_fd >= 0) {
        char text[128];
        snprintf(text, sizeof text, "fast path: the call site at %#llx now jumps to %#llx (%s)",
                 static_cast<unsigned long long>(site), static_cast<unsigned long long>(tramp), how);
        base::trace_event(nullptr, text);
    }
}

void patch_fixed_number(uint64_t site, uint32_t imm, bool r10, uint64_t site_end) {
    if (trampoline_for(site) || g_nsites.load() >= kMaxSites) return;
    uint8_t prefix[8];
    size_t n = 0;
    prefix[n++] = 0xb8;
    memcpy(prefix + n, &imm, 4), n += 4;
    if (r10) prefix[n++] = 0x49, prefix[n++] = 0x89, prefix[n++] = 0xca;
    Region* r = region_near(site, kSlot);
    uint64_t tramp = r ? build_trampoline(*r, prefix, n, kKindFixedNumber, site_end) : 0;
    uint8_t orig[10];
    const size_t len = site_end - site;
    memcpy(orig, prefix, 5);  // mov $N,%eax
    if (r10) memcpy(orig + 5, prefix + 5, 3);
    orig[len - 2] = 0x0f, orig[len - 1] = 0x05;
    if (tramp && within_rel32(site + 5, tramp)) install_jump(site, tramp, orig, len, "Apple's stub shape");
}

void patch_any_shape(Thread& t, uint64_t sys) {
    uint64_t start = 0;
    size_t len = plan_any_shape(t, sys, &start);
    if (!len || len > kMaxMoved || g_nsites.load() >= kMaxSites || trampoline_for(start)) return refuse(sys);
    Region* r = region_near(start, 2 * kSlot);
    uint8_t prefix[kMaxMoved];
    if (!r || !relocate(start, len, r->next, prefix)) return refuse(sys);
    uint64_t tramp = build_trampoline(*r, prefix, len, kKindAnyNumber, sys + 2);
    if (!tramp || !within_rel32(start + 5, tramp)) return refuse(sys);
    char how[64];
    snprintf(how, sizeof how, "%zu bytes of instructions moved", len);
    install_jump(start, tramp, g_fn + (start - g_fn_base), len + 2, how);
}

}  // namespace

void maybe_patch(Thread& t, uint64_t site_end, uint32_t eax) {
    const uint64_t sys = site_end - 2;
    if (!g_runtime.fastpath || in_trampolines(sys)) return;
    uint8_t b[10];
    if (t.read(TraceeAddr(site_end - 10), b, 10) != 0) return;
    if (b[8] != 0x0f || b[9] != 0x05) return;
    uint64_t site = 0;
    bool r10 = false;
    uint32_t imm = 0;
    if (b[0] == 0xb8 && b[5] == 0x49 && b[6] == 0x89 && b[7] == 0xca) {
        site = site_end - 10, r10 = true;  // mov $N,%eax; mov %rcx,%r10; syscall
        memcpy(&imm, b + 1, 4);
    } else if (b[3] == 0xb8) {
        site = site_end - 7;  // mov $N,%eax; syscall
        memcpy(&imm, b + 4, 4);
    }
    const bool fixed = site && imm == eax;
    if (fixed && !patchable(eax)) return;  // this site only ever makes a call that must trap
    if (!fixed && (g_code.starts.empty() || refused(sys))) return;
    // Never wait for the lock: a signal handler interrupting a patch must not deadlock against it.
    if (g_lock.test_and_set(std::memory_order_acquire)) return;
    if (!open_self_mem()) {
        g_lock.clear(std::memory_order_release);
        return;
    }
    if (fixed) patch_fixed_number(site, imm, r10, site_end);
    else patch_any_shape(t, sys);
    g_lock.clear(std::memory_order_release);
}

}  // namespace tracer::fastpath

// Called by macrun_fast_entry on the program's stack, below its red zone.
extern "C" void macrun_fast_syscall(tracer::fastpath::FastFrame* f, uint8_t* vec, int layout) {
    using namespace tracer;
    Regs r{};
    r.rax = f->rax, r.rdx = f->rdx, r.rdi = f->rdi, r.rsi = f->rsi, r.r10 = f->r10, r.r8 = f->r8, r.r9 = f->r9;
    r.rbx = f->rbx, r.rcx = f->rcx, r.rbp = f->rbp, r.r11 = f->r11, r.r12 = f->r12, r.r13 = f->r13;
    r.r14 = f->r14, r.r15 = f->r15, r.rflags = f->rflags;
    r.rsp = reinterpret_cast<uint64_t>(f + 1) + 128;  // the program's rsp at the original `syscall`
    memcpy(&r.rip, reinterpret_cast<const uint8_t*>(f->ret) + fastpath::kSiteEndOffset, 8);
    auto eax = uint32_t(f->rax);
    // A site of any shape makes whatever call its registers name: a call that must trap (it sets registers
    // itself, forks, or is no XNU call at all) takes the slot's slow path, a real `syscall` with the registers
    // as the program left them.
    if (reinterpret_cast<const uint8_t*>(f->ret)[fastpath::kKindOffset] == fastpath::kKindAnyNumber &&
        !fastpath::patchable(eax)) {
        f->ret += fastpath::kSlowOffset;
        return;
    }
    InprocThread t(r, nullptr, vec, InprocThread::VecLayout(layout));
    base::SysResult res;
    do res = xnu_sys::dispatch(t, eax);
    while (res.kind == base::SysResult::Kind::Restart);  // signals were already delivered in between
    xnu_sys::apply_result(t.regs(), eax, res);
    const Regs& o = t.regs();
    f->rax = o.rax, f->rdx = o.rdx, f->rflags = o.rflags;
    // `syscall` leaves the return address in rcx and the flags in r11.
    f->rcx = o.rip, f->r11 = o.rflags;
}
