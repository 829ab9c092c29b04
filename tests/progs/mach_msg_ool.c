/* Out-of-line memory and port arrays in mach_msg: a 1 MiB physical copy arrives at a fresh address in the
 * receiver with every byte intact and the sender's copy untouched; a virtual copy with deallocate unmaps the
 * sender's pages and keeps its offset in the page (copies above 32 KiB travel as VM entries); small copies land
 * page-aligned; a zero-size region arrives as address 0; an OOL port array arrives as a fresh array of names.
 * Errors: unreadable memory (MACH_SEND_INVALID_MEMORY), a bad copy option (MACH_SEND_INVALID_TYPE), more
 * than 7 MiB of physical copies in flight (MACH_MSG_VM_KERNEL).
 * Facts: xnu osfmk/ipc/ipc_kmsg.c (ipc_kmsg_inflate_ool_descriptor, ipc_kmsg_copyin_ool_descriptor,
 * ipc_kmsg_copyout_ool_descriptor, ipc_kmsg_deflate_memory_descriptor, ipc_kmsg_copyin_ool_ports_descriptor,
 * ipc_kmsg_copyout_ool_ports_descriptor), osfmk/ipc/ipc_policy.c (ipc_validate_kmsg_schema_from_user),
 * osfmk/ipc/ipc_init.c (msg_ool_size_small = KHEAP_MAX_SIZE, ipc_kmsg_max_vm_space). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>
#include <sys/mman.h>

struct ool_msg {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t d;
    int tag;
};
struct ool_rcv {
    struct ool_msg m;
    mach_msg_trailer_t trailer;
};

static unsigned port;

static void* map(unsigned long len) {
    return (void*)BSD(mmap, 0, len, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0).val;
}

static int send_ool(void* addr, unsigned size, int dealloc, int copy, int tag) {
    struct ool_msg m;
    memset(&m, 0, sizeof m);
    m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    m.head.msgh_remote_port = port;
    m.head.msgh_id = tag;
    m.body.msgh_descriptor_count = 1;
    m.d.address = addr;
    m.d.size = size;
    m.d.deallocate = dealloc;
    m.d.copy = copy;
    m.d.type = MACH_MSG_OOL_DESCRIPTOR;
    m.tag = tag;
    return t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0);
}

static int mapped(const void* addr) {
    /* write(2) from an unmapped buffer is EFAULT. */
    struct xres p = BSD0(pipe);
    struct xres w = BSD(write, (int)p.val2, addr, 1);
    BSD(close, (int)p.val);
    BSD(close, (int)p.val2);
    return !w.err;
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port);
    struct ool_rcv r;

    /* 1 MiB, physical copy. */
    enum { MiB = 1 << 20 };
    unsigned char* src = map(MiB);
    for (unsigned i = 0; i < MiB; i++) src[i] = (unsigned char)(i * 7 + (i >> 12));
    CHECK(send_ool(src, MiB, 0, MACH_MSG_PHYSICAL_COPY, 1) == 0, "send 1 MiB out of line (physical copy)");
    memset(&r, 0, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0) == 0, "receive it");
    unsigned char* dst = r.m.d.address;
    CHECK(r.m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX, "complex");
    CHECK(r.m.body.msgh_descriptor_count == 1 && r.m.d.type == MACH_MSG_OOL_DESCRIPTOR && r.m.d.size == MiB,
          "one OOL descriptor of 1 MiB");
    CHECK(dst && dst != src && ((unsigned long)dst & 4095) == 0, "at a new, page-aligned address");
    CHECK(r.m.d.copy == MACH_MSG_PHYSICAL_COPY && r.m.d.deallocate == 0, "copy: physical, deallocate: false");
    int same = 1;
    for (unsigned i = 0; i < MiB; i++) same &= dst[i] == (unsigned char)(i * 7 + (i >> 12));
    CHECK(same, "every byte intact");
    dst[0] ^= 0xff;
    CHECK(src[0] == 0 && mapped(src), "the sender's copy is its own and still mapped");
    CHECK(r.m.tag == 1, "the inline data after the descriptor");
    BSD(munmap, dst, MiB);

    /* Virtual copy with deallocate: the sender's pages go; a large copy keeps its offset in the page. */
    unsigned char* big = map(4 * 65536);
    unsigned char* at = big + 0x123;
    for (unsigned i = 0; i < 100000; i++) at[i] = (unsigned char)(i ^ 0x5a);
    CHECK(send_ool(at, 100000, 1, MACH_MSG_VIRTUAL_COPY, 2) == 0, "send 100000 bytes at page offset 0x123, deallocate");
    CHECK(!mapped(at) && !mapped(big + 0x10000), "the sender's pages covering the region are unmapped");
    CHECK(mapped(big + 0x20000), "pages past the region stay");
    memset(&r, 0, sizeof r);
    t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0);
    dst = r.m.d.address;
    CHECK(dst && ((unsigned long)dst & 4095) == 0x123, "it arrives at the same offset in its page");
    CHECK(r.m.d.copy == MACH_MSG_VIRTUAL_COPY && r.m.d.deallocate == 1, "copy: virtual, deallocate: true");
    same = 1;
    for (unsigned i = 0; i < 100000; i++) same &= dst[i] == (unsigned char)(i ^ 0x5a);
    CHECK(same, "contents intact");

    /* Small: page-aligned whatever the source offset. Empty: address 0. */
    unsigned char* small = map(4096);
    memcpy(small + 0x10, "out of line", 12);
    CHECK(send_ool(small + 0x10, 12, 0, MACH_MSG_VIRTUAL_COPY, 3) == 0, "send 12 bytes at offset 0x10");
    memset(&r, 0, sizeof r);
    t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0);
    CHECK(((unsigned long)r.m.d.address & 4095) == 0 && !memcmp(r.m.d.address, "out of line", 12),
          "a small copy arrives page-aligned");
    CHECK(send_ool(small, 0, 0, MACH_MSG_PHYSICAL_COPY, 4) == 0, "send a zero-size region");
    memset(&r, 0xff, sizeof r);
    t_mach_msg(&r, MACH_RCV_MSG, 0, sizeof r, port, 0);
    CHECK(r.m.d.address == 0 && r.m.d.size == 0, "it arrives as address 0, size 0");

    /* An OOL port array: names in a fresh array; the rights are copied out. */
    unsigned p2;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p2);
    MACH(port_insert_right, task, p2, p2, MACH_MSG_TYPE_MAKE_SEND);
    unsigned* names = map(4096);
    names[0] = p2;
    names[1] = 0;
    names[2] = ~0u;
    struct {
        mach_msg_header_t head;
        mach_msg_body_t body;
        mach_msg_ool_ports_descriptor_t d;
        mach_msg_trailer_t trailer;
    } pm;
    memset(&pm, 0, sizeof pm);
    pm.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    pm.head.msgh_remote_port = port;
    pm.body.msgh_descriptor_count = 1;
    pm.d.address = names;
    pm.d.count = 3;
    pm.d.disposition = MACH_MSG_TYPE_COPY_SEND;
    pm.d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
    CHECK(t_mach_msg(&pm, MACH_SEND_MSG, sizeof pm - sizeof pm.trailer, 0, 0, 0) == 0, "send an OOL port array");
    CHECK(t_refs(p2, MACH_PORT_RIGHT_SEND) == 1, "COPY_SEND left the sender's references alone");
    memset(&pm, 0, sizeof pm);
    CHECK(t_mach_msg(&pm, MACH_RCV_MSG, 0, sizeof pm, port, 0) == 0, "receive it");
    unsigned* got = pm.d.address;
    CHECK(got && got != names && pm.d.count == 3 && pm.d.disposition == MACH_MSG_TYPE_PORT_SEND &&
              pm.d.deallocate == 1 && pm.d.copy == MACH_MSG_VIRTUAL_COPY,
          "a new array of 3 names, disposition PORT_SEND, deallocate, virtual copy");
    CHECK(got[0] == p2 && got[1] == 0 && got[2] == ~0u, "names: the port's own name, MACH_PORT_NULL, MACH_PORT_DEAD");
    CHECK(t_refs(p2, MACH_PORT_RIGHT_SEND) == 2, "the received send right joined the name: 2 references");

    /* Errors. */
    CHECK(send_ool(BAD_PTR, 4096, 0, MACH_MSG_PHYSICAL_COPY, 5) == MACH_SEND_INVALID_MEMORY,
          "unreadable region: MACH_SEND_INVALID_MEMORY");
    CHECK(send_ool(small, 16, 0, MACH_MSG_ALLOCATE, 6) == MACH_SEND_INVALID_TYPE,
          "copy option MACH_MSG_ALLOCATE: MACH_SEND_INVALID_TYPE");
    unsigned char* eight = map(8 * MiB);
    CHECK(send_ool(eight, 8 * MiB, 0, MACH_MSG_PHYSICAL_COPY, 7) == MACH_MSG_VM_KERNEL,
          "8 MiB physically copied: MACH_MSG_VM_KERNEL");
    CHECK(send_ool(eight, 8 * MiB, 0, MACH_MSG_VIRTUAL_COPY, 8) == 0, "8 MiB as a virtual copy: sent");
    mach_port_status_t st;
    unsigned cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
    MACH(port_get_attributes, task, port, MACH_PORT_RECEIVE_STATUS, &st, &cnt);
    CHECK(st.mps_msgcount == 1, "only that last message is queued");
    return t_done();
}
