/* The mach_vm subsystem as MIG messages to the task port (ids 4800 + n): allocate, deallocate, protect,
 * read (the bytes come back out of line, 1 MiB included), write (the bytes go out of line), copy,
 * read_overwrite, map (anonymous, aligned) and region (VM_REGION_BASIC_INFO_64 around holes and protection
 * changes), with their errors: unmapped and unreadable/unwritable ranges, bad flags, flavors, counts and sizes.
 * On LP64 vm_address_t and mach_vm_address_t are both 64 bits, so the SDK's vm_map.h MIG structs
 * (__Request__vm_read_t, ...) have exactly the mach_vm requests' layouts; the ids are mach_vm's.
 * Facts: xnu osfmk/mach/mach_vm.defs, osfmk/vm/vm_user.c (mach_vm_read, mach_vm_write, mach_vm_copy,
 * mach_vm_read_overwrite, mach_vm_region), osfmk/vm/vm_map.c (vm_map_region, vm_map_copyin,
 * vm_map_copy_overwrite), osfmk/mach/vm_region.h. */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/mig_errors.h>
#include <mach/vm_map.h>
#include <mach/vm_region.h>
#include <mach/vm_statistics.h>

enum { ID_ALLOCATE = 4800, ID_DEALLOCATE = 4801, ID_PROTECT = 4802, ID_READ = 4804, ID_WRITE = 4806, ID_COPY = 4807,
       ID_READ_OVERWRITE = 4808, ID_MAP = 4811, ID_REGION = 4816 };
_Static_assert(sizeof(__Request__vm_allocate_t) == 52 && sizeof(__Request__vm_write_t) == 64 &&
                   sizeof(__Request__vm_map_t) == 100 && sizeof(__Request__vm_region_64_t) == 48,
               "the mach_vm request sizes");

static unsigned task;
#define PAGE 4096UL

static int vm_alloc(unsigned long* addr, unsigned long size, int flags) {
    union { __Request__vm_allocate_t req; __Reply__vm_allocate_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.address = *addr;
    m.req.size = size;
    m.req.flags = flags;
    int r = t_mig_to(&m, task, ID_ALLOCATE, sizeof m.req, sizeof m);
    if (r == 0) *addr = m.rep.address;
    return r;
}

static int vm_dealloc(unsigned long addr, unsigned long size) {
    union { __Request__vm_deallocate_t req; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.address = addr;
    m.req.size = size;
    return t_mig_to(&m, task, ID_DEALLOCATE, sizeof m.req, sizeof m);
}

static int vm_prot(unsigned long addr, unsigned long size, int set_max, int prot) {
    union { __Request__vm_protect_t req; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.address = addr;
    m.req.size = size;
    m.req.set_maximum = set_max;
    m.req.new_protection = prot;
    return t_mig_to(&m, task, ID_PROTECT, sizeof m.req, sizeof m);
}

static int vm_rd(unsigned long addr, unsigned long size, unsigned char** data, unsigned* count) {
    union { __Request__vm_read_t req; __Reply__vm_read_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.address = addr;
    m.req.size = size;
    int r = t_mig_to(&m, task, ID_READ, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep || m.rep.data.type != MACH_MSG_OOL_DESCRIPTOR || m.rep.data.size != m.rep.dataCnt)
        return -1;
    *data = m.rep.data.address;
    *count = m.rep.dataCnt;
    return 0;
}

static int vm_wr(unsigned long addr, const void* data, unsigned size) {
    union { __Request__vm_write_t req; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.msgh_body.msgh_descriptor_count = 1;
    m.req.data.address = (void*)data;
    m.req.data.size = size;
    m.req.data.copy = MACH_MSG_VIRTUAL_COPY;
    m.req.data.type = MACH_MSG_OOL_DESCRIPTOR;
    T_NDR(m.req.NDR);
    m.req.address = addr;
    m.req.dataCnt = size;
    return t_mig_to(&m, task, ID_WRITE, sizeof m.req, sizeof m);
}

/* mach_vm_copy (id 4807) and mach_vm_read_overwrite (4808) share a request shape. */
static int vm_cp(int id, unsigned long src, unsigned long size, unsigned long dst, unsigned long* outsize) {
    union { __Request__vm_read_overwrite_t req; __Reply__vm_read_overwrite_t rep; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.address = src;
    m.req.size = size;
    m.req.data = dst;
    int r = t_mig_to(&m, task, id, sizeof m.req, sizeof m);
    if (r == 0 && outsize) *outsize = m.rep.outsize;
    return r;
}

static int region(unsigned port, unsigned long* addr, unsigned long* size, int flavor, void* info, unsigned* count) {
    union { __Request__vm_region_64_t req; __Reply__vm_region_64_t rep; char buf[512]; } m;
    memset(&m, 0, sizeof m);
    T_NDR(m.req.NDR);
    m.req.address = *addr;
    m.req.flavor = flavor;
    m.req.infoCnt = *count;
    int r = t_mig_to(&m, port, ID_REGION, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.Head.msgh_size != sizeof m.rep - 4 * (10 - m.rep.infoCnt) || m.rep.object_name.name != 0) return -1;
    *addr = m.rep.address;
    *size = m.rep.size;
    *count = m.rep.infoCnt;
    memcpy(info, m.rep.info, m.rep.infoCnt * 4);
    return 0;
}

int main(void) {
    task = t_task_self();

    /* allocate, write, read */
    unsigned long a = 0;
    CHECK(vm_alloc(&a, 3 * PAGE, VM_FLAGS_ANYWHERE) == 0 && a && !(a & (PAGE - 1)), "mach_vm_allocate by MIG: 3 pages");
    unsigned char* p = (unsigned char*)a;
    CHECK(p[0] == 0 && p[3 * PAGE - 1] == 0, "zero-filled");
    unsigned char src[300];
    for (int i = 0; i < 300; i++) src[i] = (unsigned char)(i * 7 + 1);
    CHECK(vm_wr(a + 10, src, 300) == 0 && !memcmp(p + 10, src, 300), "mach_vm_write: the out-of-line bytes land");
    unsigned char* data;
    unsigned cnt;
    CHECK(vm_rd(a + 10, 300, &data, &cnt) == 0 && cnt == 300 && !memcmp(data, src, 300),
          "mach_vm_read: the bytes come back out of line");
    CHECK(data < p || data >= p + 3 * PAGE, "in memory of their own");
    MACH(vm_deallocate, task, (long)data, cnt);
    unsigned long out = 0;
    unsigned char dst[300];
    memset(dst, 0, sizeof dst);
    CHECK(vm_cp(ID_READ_OVERWRITE, a + 10, 300, (unsigned long)dst, &out) == 0 && out == 300 && !memcmp(dst, src, 300),
          "mach_vm_read_overwrite: into the caller's buffer, the size back");
    CHECK(vm_cp(ID_COPY, a + 10, 300, a + 2 * PAGE + 5, 0) == 0 && !memcmp(p + 2 * PAGE + 5, src, 300),
          "mach_vm_copy within the task");

    /* 1 MiB out of line */
    unsigned long big = 0;
    CHECK(vm_alloc(&big, 1 << 20, VM_FLAGS_ANYWHERE) == 0, "1 MiB");
    for (unsigned long i = 0; i < (1 << 20); i += 8) *(unsigned long*)(big + i) = i * 0x9e3779b97f4a7c15UL;
    CHECK(vm_rd(big, 1 << 20, &data, &cnt) == 0 && cnt == (1 << 20) && !memcmp(data, (void*)big, 1 << 20),
          "mach_vm_read of 1 MiB: every byte");
    MACH(vm_deallocate, task, (long)data, cnt);
    CHECK(vm_dealloc(big, 1 << 20) == 0, "mach_vm_deallocate by MIG");

    /* protections and the errors they cause */
    CHECK(vm_prot(a + PAGE, PAGE, 0, VM_PROT_READ) == 0, "mach_vm_protect by MIG: the middle page read-only");
    CHECK(vm_wr(a + PAGE + 8, src, 16) == KERN_PROTECTION_FAILURE, "writing it: KERN_PROTECTION_FAILURE");
    CHECK(vm_wr(a + PAGE - 8, src, 16) == KERN_PROTECTION_FAILURE && p[PAGE - 8] == 0,
          "a write that reaches into it fails before writing anything");
    CHECK(vm_rd(a + PAGE, 16, &data, &cnt) == 0, "reading it works");
    MACH(vm_deallocate, task, (long)data, cnt);
    CHECK(vm_cp(ID_COPY, a, 16, a + PAGE, 0) == KERN_PROTECTION_FAILURE, "copying into it: KERN_PROTECTION_FAILURE");
    CHECK(vm_prot(a + PAGE, PAGE, 0, VM_PROT_NONE) == 0 && vm_rd(a + PAGE, 16, &data, &cnt) == KERN_PROTECTION_FAILURE,
          "an unreadable page: reading is KERN_PROTECTION_FAILURE");
    CHECK(vm_prot(a + PAGE, PAGE, 0, 0x40) == KERN_INVALID_ARGUMENT, "an unknown protection bit: KERN_INVALID_ARGUMENT");

    /* regions around holes */
    unsigned long g = 0;
    vm_alloc(&g, 5 * PAGE, VM_FLAGS_ANYWHERE);
    vm_dealloc(g, PAGE);
    vm_dealloc(g + 4 * PAGE, PAGE);
    vm_prot(g + 2 * PAGE, PAGE, 0, VM_PROT_READ);
    vm_region_basic_info_data_64_t bi;
    unsigned count = VM_REGION_BASIC_INFO_COUNT_64;
    unsigned long ra = g + 2 * PAGE + 100, rs = 0;
    CHECK(region(task, &ra, &rs, VM_REGION_BASIC_INFO_64, &bi, &count) == 0 && count == VM_REGION_BASIC_INFO_COUNT_64,
          "mach_vm_region(VM_REGION_BASIC_INFO_64)");
    CHECK(ra == g + 2 * PAGE && rs == PAGE && bi.protection == VM_PROT_READ && !bi.shared,
          "the read-only page is a region of its own");
    ra = g, count = VM_REGION_BASIC_INFO_COUNT_64;
    CHECK(region(task, &ra, &rs, VM_REGION_BASIC_INFO_64, &bi, &count) == 0 && ra == g + PAGE && rs == PAGE &&
              bi.protection == (VM_PROT_READ | VM_PROT_WRITE) && bi.inheritance == VM_INHERIT_COPY,
          "an address in a hole: the next region up, read/write, inherited by copy");
    count = VM_REGION_BASIC_INFO_COUNT_64 - 1;
    CHECK(region(task, &ra, &rs, VM_REGION_BASIC_INFO_64, &bi, &count) == KERN_INVALID_ARGUMENT,
          "too small a count: KERN_INVALID_ARGUMENT");
    count = 10;
    CHECK(region(task, &ra, &rs, 77, &bi, &count) == KERN_INVALID_ARGUMENT, "an unknown flavor: KERN_INVALID_ARGUMENT");
    ra = 0x7fffffd00000UL, count = VM_REGION_BASIC_INFO_COUNT_64;
    CHECK(region(task, &ra, &rs, VM_REGION_BASIC_INFO_64, &bi, &count) == KERN_INVALID_ADDRESS,
          "nothing above the address: KERN_INVALID_ADDRESS");
    count = VM_REGION_BASIC_INFO_COUNT_64;
    ra = g;
    CHECK(region((unsigned)MACH0(host_self), &ra, &rs, VM_REGION_BASIC_INFO_64, &bi, &count) == KERN_INVALID_ARGUMENT,
          "sent to the host port: KERN_INVALID_ARGUMENT");
    CHECK(vm_rd(g, 16, &data, &cnt) == KERN_INVALID_ADDRESS, "reading a hole: KERN_INVALID_ADDRESS");
    CHECK(vm_wr(g + 3 * PAGE, src, 300) == 0 && vm_wr(g + 4 * PAGE - 100, src, 300) == KERN_INVALID_ADDRESS,
          "a write running into a hole: KERN_INVALID_ADDRESS");

    /* map: anonymous, aligned */
    {
        union { __Request__vm_map_t req; __Reply__vm_map_t rep; char buf[256]; } m;
        memset(&m, 0, sizeof m);
        m.req.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
        m.req.msgh_body.msgh_descriptor_count = 1;
        m.req.object.name = MACH_PORT_NULL;
        m.req.object.disposition = MACH_MSG_TYPE_COPY_SEND;
        m.req.object.type = MACH_MSG_PORT_DESCRIPTOR;
        T_NDR(m.req.NDR);
        m.req.size = 2 * PAGE;
        m.req.mask = 0xffff;
        m.req.flags = VM_FLAGS_ANYWHERE;
        m.req.cur_protection = VM_PROT_READ;
        m.req.max_protection = VM_PROT_ALL;
        m.req.inheritance = VM_INHERIT_COPY;
        CHECK(t_mig_to(&m, task, ID_MAP, sizeof m.req, sizeof m) == 0 && m.rep.address && !(m.rep.address & 0xffff),
              "mach_vm_map by MIG: anonymous memory aligned to the mask");
        ra = m.rep.address, count = VM_REGION_BASIC_INFO_COUNT_64;
        CHECK(region(task, &ra, &rs, VM_REGION_BASIC_INFO_64, &bi, &count) == 0 && bi.protection == VM_PROT_READ,
              "with the current protection asked for");
    }

    /* The vm_map subsystem's forms (ids 3800 + n) have the same layouts on LP64 and the same answers. */
    {
        union { __Request__vm_allocate_t req; __Reply__vm_allocate_t rep; char buf[256]; } m;
        memset(&m, 0, sizeof m);
        T_NDR(m.req.NDR);
        m.req.size = PAGE;
        m.req.flags = VM_FLAGS_ANYWHERE;
        CHECK(t_mig_to(&m, task, 3801, sizeof m.req, sizeof m) == 0 && m.rep.address, "vm_allocate (3801)");
        unsigned long va = m.rep.address;
        ((unsigned char*)va)[5] = 0x5a;
        union { __Request__vm_read_t req; __Reply__vm_read_t rep; char buf[256]; } r;
        memset(&r, 0, sizeof r);
        T_NDR(r.req.NDR);
        r.req.address = va;
        r.req.size = 16;
        CHECK(t_mig_to(&r, task, 3805, sizeof r.req, sizeof r) == 0 && r.rep.dataCnt == 16 &&
                  ((unsigned char*)r.rep.data.address)[5] == 0x5a,
              "vm_read (3805)");
        ra = va, count = VM_REGION_BASIC_INFO_COUNT_64;
        union { __Request__vm_region_64_t req; __Reply__vm_region_64_t rep; char buf[512]; } g64;
        memset(&g64, 0, sizeof g64);
        T_NDR(g64.req.NDR);
        g64.req.address = va;
        g64.req.flavor = VM_REGION_BASIC_INFO_64;
        g64.req.infoCnt = VM_REGION_BASIC_INFO_COUNT_64;
        CHECK(t_mig_to(&g64, task, 3824, sizeof g64.req, sizeof g64) == 0 && g64.rep.address <= va,
              "vm_region_64 (3824)");
        union { __Request__vm_deallocate_t req; char buf[256]; } d;
        memset(&d, 0, sizeof d);
        T_NDR(d.req.NDR);
        d.req.address = va;
        d.req.size = PAGE;
        CHECK(t_mig_to(&d, task, 3802, sizeof d.req, sizeof d) == 0, "vm_deallocate (3802)");
    }

    /* region_recurse: page counts, share mode, no submaps. */
    {
        unsigned long fresh = 0;
        vm_alloc(&fresh, 6 * PAGE, VM_FLAGS_ANYWHERE);
        vm_dealloc(fresh, PAGE);              /* holes on both sides: a region of its own */
        vm_dealloc(fresh + 5 * PAGE, PAGE);
        fresh += PAGE;
        union { __Request__vm_region_recurse_64_t req; __Reply__vm_region_recurse_64_t rep; char buf[512]; } m;
        vm_region_submap_info_data_64_t* si = (vm_region_submap_info_data_64_t*)m.rep.info;
        memset(&m, 0, sizeof m);
        T_NDR(m.req.NDR);
        m.req.address = fresh;
        m.req.infoCnt = VM_REGION_SUBMAP_INFO_COUNT_64;
        CHECK(t_mig_to(&m, task, 4815, sizeof m.req, sizeof m) == 0 && m.rep.infoCnt == VM_REGION_SUBMAP_INFO_COUNT_64 &&
                  m.rep.nesting_depth == 0 && m.rep.address == fresh && m.rep.size == 4 * PAGE,
              "mach_vm_region_recurse: the region, at depth 0 (no submaps)");
        CHECK(si->is_submap == 0 && si->protection == (VM_PROT_READ | VM_PROT_WRITE) && si->pages_resident == 0 &&
                  si->share_mode == SM_EMPTY,
              "untouched: no resident pages, SM_EMPTY");
        for (int i = 0; i < 4; i++) ((volatile unsigned char*)fresh)[i * PAGE] = 1;
        memset(&m, 0, sizeof m);
        T_NDR(m.req.NDR);
        m.req.address = fresh;
        m.req.infoCnt = VM_REGION_SUBMAP_INFO_COUNT_64;
        CHECK(t_mig_to(&m, task, 4815, sizeof m.req, sizeof m) == 0 && si->pages_resident >= 4 &&
                  si->pages_dirtied >= 4 && si->share_mode == SM_PRIVATE,
              "once written: resident and dirty pages, SM_PRIVATE");
        memset(&m, 0, sizeof m);
        T_NDR(m.req.NDR);
        m.req.address = fresh;
        m.req.infoCnt = 15;
        CHECK(t_mig_to(&m, task, 4815, sizeof m.req, sizeof m) == KERN_INVALID_ARGUMENT,
              "a count below the first version's 16: KERN_INVALID_ARGUMENT");
        m.req.infoCnt = 16;
        CHECK(t_mig_to(&m, task, 3822, sizeof m.req, sizeof m) == 0 && m.rep.infoCnt == 16,
              "vm_region_recurse_64 (3822) with the first version's count: 16 back");
    }

    /* bad requests */
    unsigned long z = 0;
    CHECK(vm_alloc(&z, PAGE, 0x20000000 | VM_FLAGS_ANYWHERE) == 0, "an alias tag in the flags is allowed");
    CHECK(vm_alloc(&z, PAGE, 0x200 | VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT, "an unknown flag: KERN_INVALID_ARGUMENT");
    {
        union { __Request__vm_deallocate_t req; char buf[256]; } m;
        memset(&m, 0, sizeof m);
        T_NDR(m.req.NDR);
        CHECK(t_mig_to(&m, task, ID_DEALLOCATE, sizeof m.req - 8, sizeof m) == MIG_BAD_ARGUMENTS,
              "a short request: MIG_BAD_ARGUMENTS");
    }
    return t_done();
}
