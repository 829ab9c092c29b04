/* An RPC over mach_msg: the client sends with a reply port (MAKE_SEND_ONCE) and receives the answer in the same
 * call (MACH_SEND_MSG | MACH_RCV_MSG); the server thread gets the send-once right under a new name (header bits
 * MACH_MSGH_BITS(PORT_SEND_ONCE, PORT_SEND)), answers with MOVE_SEND_ONCE, and the name is gone. A server that
 * drops the send-once right instead makes the kernel send MACH_NOTIFY_SEND_ONCE to the reply port. The same
 * shape with the kernel as the server (task port, MIG id 3405): the reply is id 3505 from the kernel.
 * Facts: xnu osfmk/ipc/mach_msg.c (mach_msg2_trap: send, then receive), ipc_kmsg.c (ipc_kmsg_copyin_header,
 * ipc_kmsg_copyout_header), ipc_right.c (ipc_right_copyin MOVE_SEND_ONCE), ipc_notify.c
 * (ipc_notify_send_once_and_unlock), osfmk/kern/ipc_kobject.c (ipc_kobject_init_reply). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

struct req {
    mach_msg_header_t head;
    int a, b;
};
struct rep {
    mach_msg_header_t head;
    int sum;
};
struct rcvbuf {
    mach_msg_header_t head;
    int words[8];
    mach_msg_audit_trailer_t trailer;
};

static unsigned service;
static volatile int server_errors, server_seen_bits, server_reply_name_gone, server_round0_done;

static void server(void* arg) {
    (void)arg;
    for (int round = 0; round < 3; round++) {
        struct rcvbuf m;
        memset(&m, 0, sizeof m);
        if (t_mach_msg(&m, MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0,
                       sizeof m, service, 0) != 0) {
            server_errors++;
            continue;
        }
        unsigned reply = m.head.msgh_remote_port;
        if (round == 0) server_seen_bits = (int)m.head.msgh_bits;
        if (t_port_type(reply) != MACH_PORT_TYPE_SEND_ONCE) server_errors++;
        mach_msg_audit_trailer_t* tr = (mach_msg_audit_trailer_t*)((char*)&m + m.head.msgh_size);
        if (tr->msgh_trailer_size != sizeof(mach_msg_audit_trailer_t)) server_errors++;
        if (tr->msgh_audit.val[5] != (unsigned)BSD0(getpid).val) server_errors++;
        if (round == 1) {
            /* Drop the send-once right without answering. */
            if (MACH(port_deallocate, t_task_self(), reply) != 0) server_errors++;
            continue;
        }
        struct rep r;
        memset(&r, 0, sizeof r);
        r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
        r.head.msgh_remote_port = reply;
        r.head.msgh_id = m.head.msgh_id + 100;
        r.sum = m.words[0] + m.words[1];
        if (t_mach_msg(&r, MACH_SEND_MSG, sizeof r, 0, 0, 0) != 0) server_errors++;
        if (round == 0) {
            server_reply_name_gone = t_port_type(reply) == 0;
            __atomic_store_n(&server_round0_done, 1, __ATOMIC_SEQ_CST);
        }
    }
}

int main(void) {
    unsigned task = t_task_self();
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &service);
    MACH(port_insert_right, task, service, service, MACH_MSG_TYPE_MAKE_SEND);
    unsigned reply = (unsigned)MACH0(mach_reply_port);
    CHECK(t_spawn(server, 0) == 0, "start the server thread");

    union {
        struct req q;
        struct rcvbuf r;
    } u;
    memset(&u, 0, sizeof u);
    u.q.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.q.head.msgh_remote_port = service;
    u.q.head.msgh_local_port = reply;
    u.q.head.msgh_id = 500;
    u.q.a = 40;
    u.q.b = 2;
    int kr = t_mach_msg(&u, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(struct req), sizeof u, reply, 0);
    CHECK(kr == 0, "send the request and receive the answer in one call");
    CHECK(u.r.head.msgh_id == 600 && u.r.words[0] == 42, "the answer: id 600, 40 + 2 = 42");
    CHECK(u.r.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) && u.r.head.msgh_local_port == reply &&
              u.r.head.msgh_remote_port == 0 && u.r.head.msgh_size == sizeof(struct rep),
          "answer header: bits MACH_MSGH_BITS(0, PORT_SEND_ONCE), local = the reply port, size 28");
    CHECK(server_seen_bits == (int)MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
          "the server saw bits MACH_MSGH_BITS(PORT_SEND_ONCE, PORT_SEND)");
    for (int i = 0; i < 1000 && !__atomic_load_n(&server_round0_done, __ATOMIC_SEQ_CST); i++)
        xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, 1, 0, 0, 0);
    CHECK(server_reply_name_gone, "answering with MOVE_SEND_ONCE took the server's send-once name away");
    CHECK(t_refs(service, MACH_PORT_RIGHT_SEND) == 1, "COPY_SEND left the service's send references alone");
    CHECK(t_port_type(reply) == MACH_PORT_TYPE_RECEIVE, "the reply port is a plain receive right again");

    /* Round 2: the server drops the send-once right: the kernel tells the reply port. */
    memset(&u, 0, sizeof u);
    u.q.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.q.head.msgh_remote_port = service;
    u.q.head.msgh_local_port = reply;
    u.q.head.msgh_id = 501;
    kr = t_mach_msg(&u, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(struct req), sizeof u, reply, 0);
    CHECK(kr == 0 && u.r.head.msgh_id == MACH_NOTIFY_SEND_ONCE, "a dropped send-once right: MACH_NOTIFY_SEND_ONCE");
    CHECK(u.r.head.msgh_size == sizeof(mach_msg_header_t) && u.r.head.msgh_local_port == reply,
          "the notification: a bare header on the reply port");
    CHECK(((mach_msg_trailer_t*)((char*)&u + u.r.head.msgh_size))->msgh_trailer_size == 8,
          "default trailer (no trailer requested)");

    /* Round 3, with the kernel's audit trailer requested on the answer: the server's task. */
    memset(&u, 0, sizeof u);
    u.q.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.q.head.msgh_remote_port = service;
    u.q.head.msgh_local_port = reply;
    u.q.head.msgh_id = 502;
    u.q.a = 1;
    u.q.b = 2;
    kr = t_mach_msg(&u, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
                    sizeof(struct req), sizeof u, reply, 0);
    mach_msg_audit_trailer_t* tr = (mach_msg_audit_trailer_t*)((char*)&u + u.r.head.msgh_size);
    CHECK(kr == 0 && u.r.words[0] == 3, "third call answered");
    CHECK(tr->msgh_trailer_size == sizeof(mach_msg_audit_trailer_t), "audit trailer: 52 bytes");
    CHECK(tr->msgh_audit.val[5] == (unsigned)BSD0(getpid).val, "audit token: the sender's pid (val[5])");
    CHECK(tr->msgh_audit.val[1] == (unsigned)BSD0(geteuid).val && tr->msgh_sender.val[0] == (unsigned)BSD0(geteuid).val,
          "audit token and security token: the sender's euid");
    CHECK(server_errors == 0, "the server saw what it expected");

    /* The kernel answers the same way: task_info on the task port. */
    struct {
        mach_msg_header_t head;
        NDR_record_t ndr;
        int flavor;
        unsigned cnt;
        char room[512];
    } k;
    memset(&k, 0, sizeof k);
    k.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    k.head.msgh_remote_port = task;
    k.head.msgh_local_port = reply;
    k.head.msgh_id = 3405;
    k.ndr.int_rep = 1;
    k.flavor = 20; /* MACH_TASK_BASIC_INFO */
    k.cnt = 12;
    kr = t_mach_msg2(&k, MACH_SEND_MSG | MACH_RCV_MSG | T_MACH64_SEND_KOBJECT_CALL | MACH_RCV_TRAILER_TYPE(0) |
                             MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
                     40, sizeof k, reply, 0, 0);
    CHECK(kr == 0, "task_info(MACH_TASK_BASIC_INFO) as a kobject call");
    CHECK(k.head.msgh_id == 3505 && k.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) &&
              k.head.msgh_local_port == reply && k.head.msgh_size == 40 + 12 * 4,
          "the kernel's reply: id 3505, bits MACH_MSGH_BITS(0, PORT_SEND_ONCE), size 88");
    mach_msg_audit_trailer_t* kt = (mach_msg_audit_trailer_t*)((char*)&k + k.head.msgh_size);
    CHECK(kt->msgh_sender.val[0] == 0 && kt->msgh_sender.val[1] == 1, "the kernel's security token {0, 1}");
    int zero = 1;
    for (int i = 0; i < 8; i++) zero &= kt->msgh_audit.val[i] == 0;
    CHECK(zero, "and its audit token, all zeros");
    CHECK(t_port_type(reply) == MACH_PORT_TYPE_RECEIVE, "no right left behind on the reply port");
    return t_done();
}
