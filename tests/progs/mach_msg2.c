/* mach_msg2_trap (Mach trap 47), as libsyscall's mach_msg2() packs it: eight arguments (the last two on the
 * stack), the header in the arguments as low | high << 32 pairs (bits | send size, remote | local, voucher | id,
 * descriptor count | receive name, receive size | priority), 64-bit options. The header and descriptor count in
 * the send buffer are not read. MACH64_MSG_VECTOR passes mach_msg_vector_t pairs: the message (with a separate
 * receive buffer) and auxiliary data, delivered to a receiver that asks for it, dropped otherwise, an empty aux
 * header when there is none. A send must name exactly one kind of call matching the destination
 * (MACH64_SEND_MQ_CALL for a queue, MACH64_SEND_KOBJECT_CALL for a kernel port): anything else is a fatal
 * EXC_GUARD, the process is killed (checked in forked children, which get a Mach space of their own).
 * Facts: xnu osfmk/ipc/mach_msg.c (mach_msg2_trap, mach_msg_trap_send, mach_msg_validate_data_vectors),
 * osfmk/ipc/ipc_policy.c (ipc_preflight_msg_option64, ipc_validate_kmsg_dest_from_user,
 * mach_port_guard_exception), osfmk/ipc/ipc_kmsg.c (ipc_kmsg_get_and_inflate_from_user, ipc_kmsg_put_to_user),
 * osfmk/mach/message.h (mach_msg2, MACH64_*), libsyscall mach/mach_msg.c (mach_msg2_internal). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/port.h>

struct msg {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t d;
    int words[4];
};

static unsigned port;

/* Runs fn in a child and returns its wait status. */
static int in_child(void (*fn)(void)) {
    long pid = t_fork();
    if (pid == 0) {
        fn();
        t_exit(0);
    }
    int status = 0;
    BSD(wait4, pid, &status, 0, 0);
    return status;
}

static void child_send(unsigned long options, int to_task) {
    unsigned task = (unsigned)MACH0(task_self), p;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    struct msg m;
    memset(&m, 0, sizeof m);
    unsigned dest = to_task ? task : p;
    t_mach_msg2_trap(&m, options, T_MSG2_PACK(MACH_MSGH_BITS(to_task ? MACH_MSG_TYPE_COPY_SEND : MACH_MSG_TYPE_MAKE_SEND, 0), 24),
                     T_MSG2_PACK(dest, 0), T_MSG2_PACK(0, 3405), 0, 0, 0);
}
static void no_cfi(void) { child_send(MACH_SEND_MSG, 0); }
static void two_cfi(void) { child_send(MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL | T_MACH64_SEND_KOBJECT_CALL, 0); }
static void kobject_to_queue(void) { child_send(MACH_SEND_MSG | T_MACH64_SEND_KOBJECT_CALL, 0); }
static void mq_to_kobject(void) { child_send(MACH_SEND_MSG | MACH_RCV_MSG | T_MACH64_SEND_MQ_CALL, 1); }
static void any_to_queue(void) { child_send(MACH_SEND_MSG | T_MACH64_SEND_ANY, 0); }

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &port);
    unsigned carried;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &carried);

    /* The header comes from the arguments: the buffer's is garbage. */
    union {
        struct msg m;
        char buf[256];
    } u;
    memset(&u, 0xee, sizeof u);
    u.m.d.name = carried;
    u.m.d.pad1 = 0;
    u.m.d.pad2 = 0;
    u.m.d.disposition = MACH_MSG_TYPE_MAKE_SEND;
    u.m.d.type = MACH_MSG_PORT_DESCRIPTOR;
    u.m.words[0] = 42;
    unsigned bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    int kr = t_mach_msg2_trap(&u, MACH_SEND_MSG | MACH_RCV_MSG | T_MACH64_SEND_MQ_CALL, T_MSG2_PACK(bits, sizeof(struct msg)),
                              T_MSG2_PACK(port, 0), T_MSG2_PACK(0, 777), T_MSG2_PACK(1, port),
                              T_MSG2_PACK(sizeof u, 0), 0);
    CHECK(kr == 0, "send and receive with the header in the arguments (buffer header and count garbage)");
    CHECK(u.m.head.msgh_id == 777 && u.m.head.msgh_size == sizeof(struct msg) && u.m.head.msgh_local_port == port,
          "received: id 777 and size 56 from the arguments");
    CHECK(u.m.body.msgh_descriptor_count == 1 && u.m.d.name == carried && u.m.d.disposition == MACH_MSG_TYPE_PORT_SEND,
          "one descriptor (the argument's count), the send right made");
    CHECK(u.m.words[0] == 42, "the body");
    MACH(port_deallocate, task, carried);

    /* Size and count checks. */
    memset(&u, 0, sizeof u);
    CHECK(t_mach_msg2_trap(&u, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL, T_MSG2_PACK(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), 24),
                           T_MSG2_PACK(port, 0), 0, T_MSG2_PACK(1, 0), 0, 0) == MACH_SEND_TOO_LARGE,
          "a simple message with a descriptor count: MACH_SEND_TOO_LARGE");
    CHECK(t_mach_msg2_trap(&u, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL,
                           T_MSG2_PACK(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, 40),
                           T_MSG2_PACK(port, 0), 0, T_MSG2_PACK(2, 0), 0, 0) == MACH_SEND_MSG_TOO_SMALL,
          "2 descriptors in 40 bytes: MACH_SEND_MSG_TOO_SMALL");
    CHECK(t_mach_msg2_trap(&u, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL, T_MSG2_PACK(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), 20),
                           T_MSG2_PACK(port, 0), 0, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL,
          "send size 20: MACH_SEND_MSG_TOO_SMALL");
    CHECK(t_mach_msg2_trap(&u, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL, T_MSG2_PACK(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), 26),
                           T_MSG2_PACK(port, 0), 0, 0, 0, 0) == MACH_SEND_MSG_TOO_SMALL,
          "send size 26 (not a multiple of 4): MACH_SEND_MSG_TOO_SMALL");

    /* Vectors: separate receive buffer and auxiliary data. */
    struct {
        mach_msg_header_t head;
        int words[4];
    } out;
    memset(&out, 0, sizeof out);
    out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
    out.head.msgh_remote_port = port;
    out.head.msgh_id = 900;
    out.words[0] = 7;
    struct { unsigned size, reserved; char payload[8]; } aux = {16, 0, "payload"};
    struct t_msg_vector v[2] = {{(unsigned long)&out, 0, sizeof out, 0}, {(unsigned long)&aux, 0, sizeof aux, 0}};
    kr = t_mach_msg2_trap(v, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL | T_MACH64_MSG_VECTOR,
                          T_MSG2_PACK(out.head.msgh_bits, 2), T_MSG2_PACK(port, 0), T_MSG2_PACK(0, 900), 0, 0, 0);
    CHECK(kr == 0, "send a message with auxiliary data through two vectors");
    char rbuf[128], abuf[64];
    memset(rbuf, 0, sizeof rbuf);
    memset(abuf, 0x55, sizeof abuf);
    struct t_msg_vector rv[2] = {{(unsigned long)&out, (unsigned long)rbuf, 0, sizeof rbuf},
                                 {(unsigned long)abuf, 0, 0, sizeof abuf}};
    kr = t_mach_msg2_trap(rv, MACH_RCV_MSG | T_MACH64_MSG_VECTOR, 0, 0, 0, T_MSG2_PACK(0, port), T_MSG2_PACK(2, 0), 0);
    CHECK(kr == 0, "receive it through vectors");
    CHECK(((mach_msg_header_t*)rbuf)->msgh_id == 900 && ((int*)(rbuf + 24))[0] == 7, "into the separate receive buffer");
    CHECK(((unsigned*)abuf)[0] == 16 && !memcmp(abuf + 8, "payload", 8), "the auxiliary data in the aux buffer");
    /* No aux data: an empty aux header. Aux data sent to a scalar receive: dropped. */
    kr = t_mach_msg2_trap(&out, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL, T_MSG2_PACK(out.head.msgh_bits, sizeof out),
                          T_MSG2_PACK(port, 0), T_MSG2_PACK(0, 901), 0, 0, 0);
    memset(abuf, 0x55, sizeof abuf);
    kr |= t_mach_msg2_trap(rv, MACH_RCV_MSG | T_MACH64_MSG_VECTOR, 0, 0, 0, T_MSG2_PACK(0, port), T_MSG2_PACK(2, 0), 0);
    CHECK(kr == 0 && ((unsigned*)abuf)[0] == 0 && ((unsigned*)abuf)[1] == 0 && (unsigned char)abuf[8] == 0x55,
          "a message without aux data: an empty aux header (8 bytes) marks the end");
    t_mach_msg2_trap(v, MACH_SEND_MSG | T_MACH64_SEND_MQ_CALL | T_MACH64_MSG_VECTOR, T_MSG2_PACK(out.head.msgh_bits, 2),
                     T_MSG2_PACK(port, 0), T_MSG2_PACK(0, 902), 0, 0, 0);
    memset(rbuf, 0, sizeof rbuf);
    CHECK(t_mach_msg2_trap(rbuf, MACH_RCV_MSG, 0, 0, 0, T_MSG2_PACK(0, port), T_MSG2_PACK(sizeof rbuf, 0), 0) == 0 &&
              ((mach_msg_header_t*)rbuf)->msgh_id == 902 && ((mach_msg_header_t*)rbuf)->msgh_size == sizeof out,
          "aux data sent to a receiver without an aux buffer is dropped");
    CHECK(t_mach_msg2_trap(rv, MACH_RCV_MSG | T_MACH64_MSG_VECTOR, 0, 0, 0, T_MSG2_PACK(0, port), T_MSG2_PACK(0, 0), 0) ==
              MACH_RCV_INVALID_ARGUMENTS,
          "a vector receive with no vectors: MACH_RCV_INVALID_ARGUMENTS");

    /* The kind of call must match the destination; a mismatch kills the process (EXC_GUARD is fatal). */
    int st = in_child(no_cfi);
    CHECK((st & 0x7f) == 9, "no MACH64_SEND_*_CALL option: killed by SIGKILL");
    st = in_child(two_cfi);
    CHECK((st & 0x7f) == 9, "two kinds of call at once: killed");
    st = in_child(kobject_to_queue);
    CHECK((st & 0x7f) == 9, "MACH64_SEND_KOBJECT_CALL to a message queue: killed");
    st = in_child(mq_to_kobject);
    CHECK((st & 0x7f) == 9, "MACH64_SEND_MQ_CALL to the task port: killed");
    st = in_child(any_to_queue);
    CHECK(st == 0, "MACH64_SEND_ANY to a message queue: allowed, the child exits normally");
    return t_done();
}
