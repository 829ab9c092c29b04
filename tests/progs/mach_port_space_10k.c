/* 10,000 ports, three times over: allocated (each a receive right with a send right), counted by
 * mach_port_names, then destroyed. Each round leaves the space as it found it (the same names, the same
 * types), and the task's resident memory after the second and third rounds is no larger than after the first
 * (the kernel's memory, which in process is part of the task's, is reused, not leaked).
 * Facts: xnu osfmk/ipc/ipc_entry.c (the table grows and keeps its size), osfmk/ipc/mach_port.c (mach_port_names,
 * mach_port_destruct), osfmk/mach/task_info.h (MACH_TASK_BASIC_INFO). */
#include "xnu.h"

#include <mach/port.h>

#define N 10000

static unsigned names_count(void) {
    union { struct t_msg_header req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; unsigned dcount;
                                                         struct { void* addr; unsigned w, size; } names, types;
                                                         struct t_ndr ndr; unsigned ncnt, tcnt; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    if (t_mig_to(&m, t_task_self(), 3200, sizeof m.req, sizeof m)) return 0;
    MACH(vm_deallocate, t_task_self(), (long)m.rep.names.addr, m.rep.ncnt * 4);
    MACH(vm_deallocate, t_task_self(), (long)m.rep.types.addr, m.rep.tcnt * 4);
    return m.rep.ncnt;
}

static unsigned long resident(void) {
    int info[32];
    unsigned count = 12; /* MACH_TASK_BASIC_INFO_COUNT */
    if (t_task_info(t_task_self(), 20 /* MACH_TASK_BASIC_INFO */, info, &count)) return 0;
    unsigned long r;
    memcpy(&r, &info[2], 8); /* virtual_size, then resident_size */
    return r;
}

static unsigned names[N];

int main(void) {
    unsigned task = t_task_self();
    unsigned base = names_count();
    CHECK(base > 0, "mach_port_names counts the names a task starts with");
    unsigned long after_first = 0, worst = 0;
    int ok = 1;
    for (int round = 0; round < 3; round++) {
        mach_port_options_t o;
        memset(&o, 0, sizeof o);
        o.flags = MPO_INSERT_SEND_RIGHT;
        for (int i = 0; i < N && ok; i++)
            if (MACH(port_construct, task, &o, 0, &names[i])) ok = 0;
        if (names_count() != base + N) ok = 0;
        for (int i = 0; i < N && ok; i++)
            if (MACH(port_destruct, task, names[i], -1, 0)) ok = 0;
        if (names_count() != base) ok = 0;
        unsigned long r = resident();
        if (round == 0) after_first = r;
        else if (r > worst) worst = r;
    }
    CHECK(ok, "three rounds of 10,000 ports: all made, counted, destroyed, the space back to its names");
    t_printf("# resident after round 1: %lu KiB, at most %lu KiB after rounds 2 and 3\n", after_first / 1024, worst / 1024);
    CHECK(after_first > 0 && worst <= after_first + 256 * 1024, "later rounds reuse the memory the first one took");
    return t_done();
}
