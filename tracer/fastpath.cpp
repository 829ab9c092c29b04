#include "fastpath.hpp"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "inproc_thread.hpp"
#include "tracer/common.hpp"
#include "syscalls/dispatch.hpp"

extern "C" void macrun_fast_entry();

namespace tracer::fastpath {
namespace {

// The registers macrun_fast_entry saved, in push order reversed.
struct FastFrame {
    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15, rflags, ret;
};

// Trampoline slot layout (bytes): mov $imm,%eax (5) [mov %rcx,%r10 (3)] lea -0x80(%rsp),%rsp (5)
// call *entry(%rip) (6) | lea 0x80(%rsp),%rsp (8) jmp site_end (5) | pad | site_end (8) at kSiteEndOffset after
// the call's return address.
constexpr size_t kSlot = 64;
constexpr size_t kSiteEndOffset = 16;
constexpr size_t kRegion = 1 << 16;  // per 2 GiB window: a page for the entry pointer, then slots
constexpr unsigned kMaxSites = 4096;

struct Region {
    uint64_t base = 0;  // first byte; the entry pointer lives here
    uint64_t next = 0;  // next free slot
};

struct Site {
    std::atomic<uint64_t> site{0}, tramp{0};
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

// A region within +-2 GiB of `site`, allocated on first use.
Region* region_near(uint64_t site) {
    for (Region& r : g_regions) {
        if (!r.base) continue;
        if (within_rel32(site + 5, r.base) && within_rel32(site + 5, r.base + kRegion) && r.next + kSlot <= r.base + kRegion)
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
                uint64_t entry = reinterpret_cast<uint64_t>(&macrun_fast_entry);
                if (!mem_write(r.base, &entry, sizeof entry)) {
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

uint64_t build_trampoline(Region& r, uint32_t imm, bool r10, uint64_t site_end) {
    uint8_t code[kSlot] = {};
    size_t n = 0;
    uint64_t slot = r.next;
    code[n++] = 0xb8;
    memcpy(code + n, &imm, 4), n += 4;
    if (r10) code[n++] = 0x49, code[n++] = 0x89, code[n++] = 0xca;
    const uint8_t lea_down[] = {0x48, 0x8d, 0x64, 0x24, 0x80};
    memcpy(code + n, lea_down, sizeof lea_down), n += sizeof lea_down;
    code[n++] = 0xff, code[n++] = 0x15;
    auto rel = int32_t(int64_t(r.base) - int64_t(slot + n + 4));
    memcpy(code + n, &rel, 4), n += 4;
    size_t ret = n;
    const uint8_t lea_up[] = {0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00};
    memcpy(code + n, lea_up, sizeof lea_up), n += sizeof lea_up;
    code[n++] = 0xe9;
    rel = int32_t(int64_t(site_end) - int64_t(slot + n + 4));
    memcpy(code + n, &rel, 4), n += 4;
    memcpy(code + ret + kSiteEndOffset, &site_end, 8);
    if (!mem_write(slot, code, kSlot)) return 0;
    r.next += kSlot;
    return slot;
}

}  // namespace

int init() {
    int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (fd < 0) return -errno;
    int hi = fcntl(fd, F_DUPFD_CLOEXEC, 900);
    close(fd);
    if (hi < 0) return -errno;
    g_runtime.self_mem_fd = hi;
    for (int& slot : g_runtime.reserved_fds)
        if (slot < 0) {
            slot = hi;
            break;
        }
    return 0;
}

uint64_t trampoline_for(uint64_t site) {
    unsigned n = std::min(g_nsites.load(std::memory_order_acquire), kMaxSites);
    for (unsigned i = 0; i < n; i++)
        if (g_sites[i].site.load(std::memory_order_acquire) == site) return g_sites[i].tramp.load();
    return 0;
}

unsigned patched_count() { return g_nsites.load(); }

void maybe_patch(Thread& t, uint64_t site_end, uint32_t eax) {
    if (g_runtime.self_mem_fd < 0 || !patchable(eax)) return;
    uint8_t b[10];
    if (t.read(TraceeAddr(site_end - 10), b, 10) != 0) return;
    if (b[8] != 0x0f || b[9] != 0x05) return;
    uint64_t site;
    bool r10;
    uint32_t imm;
    if (b[0] == 0xb8 && b[5] == 0x49 && b[6] == 0x89 && b[7] == 0xca) {
        site = site_end - 10, r10 = true;  // mov $N,%eax; mov %rcx,%r10; syscall
        memcpy(&imm, b + 1, 4);
    } else if (b[3] == 0xb8) {
        site = site_end - 7, r10 = false;  // mov $N,%eax; syscall
        memcpy(&imm, b + 4, 4);
    } else {
        return;
    }
    if (imm != eax) return;
    // Never wait for the lock: a signal handler interrupting a patch must not deadlock against it.
    if (g_lock.test_and_set(std::memory_order_acquire)) return;
    if (!trampoline_for(site) && g_nsites.load() < kMaxSites) {
        Region* r = region_near(site);
        uint64_t tramp = r ? build_trampoline(*r, imm, r10, site_end) : 0;
        if (tramp && within_rel32(site + 5, tramp)) {
            unsigned i = g_nsites.load();
            g_sites[i].site.store(site);
            g_sites[i].tramp.store(tramp);
            g_nsites.store(i + 1, std::memory_order_release);
            uint8_t int3 = 0xcc, jmp = 0xe9;
            auto rel = int32_t(int64_t(tramp) - int64_t(site + 5));
            mem_write(site, &int3, 1);
            mem_write(site + 1, &rel, 4);
            mem_write(site, &jmp, 1);
        }
    }
    g_lock.clear(std::memory_order_release);
}

}  // namespace tracer::fastpath

// Called by macrun_fast_entry on the program's stack, below its red zone.
extern "C" void macrun_fast_syscall(tracer::fastpath::FastFrame* f, uint8_t* fxsave) {
    using namespace tracer;
    Regs r{};
    r.rax = f->rax, r.rdx = f->rdx, r.rdi = f->rdi, r.rsi = f->rsi, r.r10 = f->r10, r.r8 = f->r8, r.r9 = f->r9;
    r.rbx = f->rbx, r.rcx = f->rcx, r.rbp = f->rbp, r.r11 = f->r11, r.r12 = f->r12, r.r13 = f->r13;
    r.r14 = f->r14, r.r15 = f->r15, r.rflags = f->rflags;
    r.rsp = reinterpret_cast<uint64_t>(f + 1) + 128;  // the program's rsp at the original `syscall`
    memcpy(&r.rip, reinterpret_cast<const uint8_t*>(f->ret) + fastpath::kSiteEndOffset, 8);
    auto eax = uint32_t(f->rax);
    InprocThread t(r, nullptr, fxsave);
    base::SysResult res;
    do res = xnu_sys::dispatch(t, eax);
    while (res.kind == base::SysResult::Kind::Restart);  // signals were already delivered in between
    xnu_sys::apply_result(t.regs(), eax, res);
    const Regs& o = t.regs();
    f->rax = o.rax, f->rdx = o.rdx, f->rflags = o.rflags;
    // `syscall` leaves the return address in rcx and the flags in r11.
    f->rcx = o.rip, f->r11 = o.rflags;
}
