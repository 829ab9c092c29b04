/* Out-of-line memory between processes, with the sender's deallocate flag: a child sends 256 KiB with
 * deallocate = TRUE and another 256 KiB with deallocate = FALSE; the first range is gone from the child after
 * the send (mach_vm_region finds nothing there any more), the second is still its own and unchanged. The
 * parent finds both, each in memory of its own, and gets back its pages with mach_vm_deallocate.
 * Facts: xnu osfmk/ipc/ipc_kmsg.c (ipc_kmsg_copyin_ool_descriptor: deallocate removes the sender's range,
 * vm_map_copyin with src_destroy), osfmk/mach/message.h (mach_msg_ool_descriptor_t). */
#include "xnu.h"

#include <mach/message.h>

#define SIZE (256u * 1024)

struct two {
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_ool_descriptor_t gone, kept;
};
struct two_rcv { struct two m; mach_msg_trailer_t t; char pad[32]; };

/* Whether [addr, addr + SIZE) is still mapped: mach_vm_region (MIG 4816) from addr finds a region at addr. */
static int mapped(unsigned long addr) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned long address;
                                                         int flavor; unsigned count; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; unsigned dcount; unsigned name, pad1, pad2;
                                                         struct t_ndr ndr; unsigned long address, size; unsigned count;
                                                         int info[10]; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.address = addr;
    m.req.flavor = 9; /* VM_REGION_BASIC_INFO_64 */
    m.req.count = 9;
    if (t_mig_to(&m, t_task_self(), 4816, sizeof m.req, sizeof m)) return 0;
    return m.rep.address <= addr && m.rep.address + m.rep.size > addr;
}

int main(void) {
    char name[64];
    t_unique_name(name, "org.macrun.test.ooldealloc.");
    unsigned svc;
    CHECK(t_bootstrap(402, name, &svc, 0) == 0, "a service port");
    long c = t_fork();
    if (c == 0) {
        unsigned dest;
        if (t_bootstrap(404, name, &dest, 0)) BSD(exit, 2);
        unsigned long a = 0, b = 0;
        if (MACH(vm_allocate, t_task_self(), &a, SIZE, 1) || MACH(vm_allocate, t_task_self(), &b, SIZE, 1)) BSD(exit, 3);
        for (unsigned i = 0; i < SIZE; i++) ((unsigned char*)a)[i] = (unsigned char)(i * 3), ((unsigned char*)b)[i] = (unsigned char)(i * 5);
        struct two m;
        memset(&m, 0, sizeof m);
        m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
        m.h.msgh_size = sizeof m;
        m.h.msgh_remote_port = dest;
        m.body.msgh_descriptor_count = 2;
        m.gone.address = (void*)a;
        m.gone.size = SIZE;
        m.gone.deallocate = 1;
        m.gone.copy = MACH_MSG_VIRTUAL_COPY;
        m.gone.type = MACH_MSG_OOL_DESCRIPTOR;
        m.kept.address = (void*)b;
        m.kept.size = SIZE;
        m.kept.deallocate = 0;
        m.kept.copy = MACH_MSG_VIRTUAL_COPY;
        m.kept.type = MACH_MSG_OOL_DESCRIPTOR;
        if (t_mach_msg(&m, MACH_SEND_MSG, sizeof m, 0, 0, 0)) BSD(exit, 4);
        if (mapped(a)) BSD(exit, 5);          /* deallocate: the range left with the message */
        if (!mapped(b)) BSD(exit, 6);         /* the other one is still here */
        for (unsigned i = 0; i < SIZE; i++)
            if (((unsigned char*)b)[i] != (unsigned char)(i * 5)) BSD(exit, 7);
        BSD(exit, 0);
    }
    struct two_rcv r;
    memset(&r, 0, sizeof r);
    CHECK(t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, svc, 10000) == 0 &&
              r.m.gone.size == SIZE && r.m.kept.size == SIZE,
          "two 256 KiB ranges arrive");
    int same = 1;
    for (unsigned i = 0; i < SIZE && same; i++)
        if (((unsigned char*)r.m.gone.address)[i] != (unsigned char)(i * 3) ||
            ((unsigned char*)r.m.kept.address)[i] != (unsigned char)(i * 5))
            same = 0;
    CHECK(same, "every byte of both");
    int st = -1;
    CHECK(BSD(wait4, c, &st, 0, 0).val == c && st == 0,
          "in the sender, the deallocated range is gone and the other unchanged");
    CHECK(mapped((unsigned long)r.m.gone.address) && MACH(vm_deallocate, t_task_self(), (long)r.m.gone.address, SIZE) == 0 &&
              !mapped((unsigned long)r.m.gone.address),
          "the receiver's copy is its own to deallocate");
    return t_done();
}
