/* Mach IPC between processes through the session's bootstrap server: the task's TASK_BOOTSTRAP_PORT,
 * bootstrap_check_in / bootstrap_register / bootstrap_look_up (launchd's bootstrap.defs: ids 402-404, name_t
 * of 128 bytes, errors from bootstrap.h), and a child that finds the parent's service by name, first a forked
 * child and then one that has exec'd a new image. Each child sends a complex message (a send right for the
 * reply and 1 MiB out of line); the parent checks the bytes, the sender's pid in the audit trailer, and
 * replies through the right it was given. When a child exits its receive rights die: the parent's send right
 * becomes a dead name and its dead-name request fires. Rights across fork are macOS's: the child has a fresh
 * space, with the bootstrap port among its special ports.
 * Facts: xnu osfmk/kern/ipc_tt.c (special ports copied to a new task), osfmk/ipc/ipc_kmsg.c (audit trailer:
 * audit_token val[5] is the pid), launchd liblaunch/bootstrap.defs and bootstrap.h (BOOTSTRAP_NAME_IN_USE
 * 1101, BOOTSTRAP_UNKNOWN_SERVICE 1102, BOOTSTRAP_SERVICE_ACTIVE 1103). */
#include "xnu.h"

#define __MigPackStructs 1
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <mach/task.h>
#include <mach/task_special_ports.h>

enum { BS_NAME_IN_USE = 1101, BS_UNKNOWN_SERVICE = 1102, BS_SERVICE_ACTIVE = 1103 };
enum { ID_CHECK_IN = 402, ID_REGISTER = 403, ID_LOOK_UP = 404, ID_HELLO = 1000, ID_REPLY = 1100 };
#define BIG (1u << 20)

struct __attribute__((packed, aligned(4))) name_req { mach_msg_header_t head; NDR_record_t ndr; char name[128]; };
struct __attribute__((packed, aligned(4))) port_rep { mach_msg_header_t head; mach_msg_body_t body; mach_msg_port_descriptor_t port; };
struct __attribute__((packed, aligned(4))) reg_req {
    mach_msg_header_t head; mach_msg_body_t body; mach_msg_port_descriptor_t port; NDR_record_t ndr; char name[128];
};
_Static_assert(sizeof(struct name_req) == 160 && sizeof(struct port_rep) == 40 && sizeof(struct reg_req) == 176,
               "bootstrap.defs layouts");

struct hello {
    mach_msg_header_t head;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t reply_to;
    mach_msg_ool_descriptor_t data;
    long cookie;
};
struct hello_rcv { struct hello m; mach_msg_audit_trailer_t trailer; };
struct answer { mach_msg_header_t head; long cookie; };
struct answer_rcv { struct answer m; mach_msg_trailer_t trailer; char pad[64]; };

static void copy_name(char* dst, const char* src) {
    size_t n = strlen(src);
    if (n > 127) n = 127;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static unsigned bootstrap(void) { return t_special_port(TASK_BOOTSTRAP_PORT); }

/* check_in (402) and look_up (404): the right in the reply's descriptor. */
static int bs_call(unsigned bp, int id, const char* name, unsigned* port, unsigned* disposition) {
    (void)bp;
    return t_bootstrap(id, name, port, disposition);
}

static int bs_register(unsigned bp, const char* name, unsigned port) {
    union { struct reg_req req; char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
    m.req.body.msgh_descriptor_count = 1;
    m.req.port.name = port;
    m.req.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
    m.req.port.type = MACH_MSG_PORT_DESCRIPTOR;
    T_NDR(m.req.ndr);
    copy_name(m.req.name, name);
    return t_mig_to(&m, bp, ID_REGISTER, sizeof m.req, sizeof m);
}

static unsigned char pattern(unsigned long i) { return (unsigned char)(i * 131 + (i >> 9)); }

/* The child's side: look the service up, send hello with 1 MiB and a reply right, wait for the answer. Returns
 * an exit status: 0 when all went as it should. */
static int child(const char* name, long cookie) {
    unsigned bp = bootstrap();
    if (!bp) return 10;
    unsigned svc, disp;
    if (bs_call(bp, ID_LOOK_UP, name, &svc, &disp) || disp != MACH_MSG_TYPE_PORT_SEND) return 11;
    unsigned rp;
    if (MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &rp)) return 12;
    unsigned long buf = 0;
    if (MACH(vm_allocate, t_task_self(), &buf, BIG, 1)) return 13;
    for (unsigned long i = 0; i < BIG; i++) ((unsigned char*)buf)[i] = pattern(i);
    struct hello h;
    memset(&h, 0, sizeof h);
    h.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
    h.head.msgh_size = sizeof h;
    h.head.msgh_remote_port = svc;
    h.head.msgh_id = ID_HELLO;
    h.body.msgh_descriptor_count = 2;
    h.reply_to.name = rp;
    h.reply_to.disposition = MACH_MSG_TYPE_MAKE_SEND;
    h.reply_to.type = MACH_MSG_PORT_DESCRIPTOR;
    h.data.address = (void*)buf;
    h.data.size = BIG;
    h.data.copy = MACH_MSG_VIRTUAL_COPY;
    h.data.type = MACH_MSG_OOL_DESCRIPTOR;
    h.cookie = cookie;
    if (t_mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof h, 0, 0, 10000)) return 14;
    struct answer_rcv a;
    memset(&a, 0, sizeof a);
    if (t_mach_msg(&a, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof a, rp, 10000)) return 15;
    if (a.m.head.msgh_id != ID_REPLY || a.m.cookie != cookie + 1) return 16;
    return 0;
}

static long num(const char* s) {
    long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) v = v * 10 + (*s - '0');
    return v;
}

/* The parent's side of one exchange: receive hello from `pid`, check it, keep a second reference to the reply
 * right and ask for a dead-name notification on it (before the answer lets the child exit), answer. Returns
 * the reply right's name (0 on failure). */
static unsigned serve_one(unsigned svc, unsigned notify, long pid, long cookie, const char* who) {
    struct hello_rcv r;
    memset(&r, 0, sizeof r);
    int mr = t_mach_msg(&r, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
                                MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
                        0, sizeof r, svc, 10000);
    CHECK(mr == 0 && r.m.head.msgh_id == ID_HELLO && r.m.cookie == cookie, who);
    if (mr) return 0;
    CHECK(r.trailer.msgh_audit.val[5] == (unsigned)pid, "the audit trailer names the sending process");
    CHECK(r.m.reply_to.disposition == MACH_MSG_TYPE_PORT_SEND && t_port_type(r.m.reply_to.name) == MACH_PORT_TYPE_SEND,
          "the reply right arrived as a send right");
    int same = r.m.data.size == BIG;
    for (unsigned long i = 0; same && i < BIG; i++)
        if (((unsigned char*)r.m.data.address)[i] != pattern(i)) same = 0;
    CHECK(same, "1 MiB out of line, every byte");
    MACH(vm_deallocate, t_task_self(), (long)r.m.data.address, r.m.data.size);
    unsigned rp = r.m.reply_to.name, prev = 0;
    MACH(port_mod_refs, t_task_self(), rp, MACH_PORT_RIGHT_SEND, 1);
    CHECK((int)xmach8(MT_port_request_notification, t_task_self(), rp, MACH_NOTIFY_DEAD_NAME, 0, notify,
                      MACH_MSG_TYPE_MAKE_SEND_ONCE, (long)&prev, 0) == 0,
          "a dead-name request on the child's port");
    struct answer a;
    memset(&a, 0, sizeof a);
    a.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
    a.head.msgh_size = sizeof a;
    a.head.msgh_remote_port = rp;
    a.head.msgh_id = ID_REPLY;
    a.cookie = cookie + 1;
    CHECK(t_mach_msg(&a, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof a, 0, 0, 10000) == 0, "the answer goes back");
    return rp;
}

/* After the child exits, its receive right is gone: the dead-name request on the parent's right fires. */
static void expect_dead(unsigned rp, unsigned notify, long pid) {
    int st = 0;
    CHECK(BSD(wait4, pid, &st, 0, 0).val == pid && st == 0, "the child exits 0 (its side all went right)");
    struct { mach_dead_name_notification_t n; mach_msg_trailer_t t; char pad[32]; } dn;
    memset(&dn, 0, sizeof dn);
    CHECK(t_mach_msg(&dn, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof dn, notify, 10000) == 0 &&
              dn.n.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME && dn.n.not_port == rp,
          "its receive right died with it: MACH_NOTIFY_DEAD_NAME");
    CHECK(t_port_type(rp) == MACH_PORT_TYPE_DEAD_NAME, "and the parent's right is a dead name");
    MACH(port_mod_refs, t_task_self(), rp, MACH_PORT_RIGHT_DEAD_NAME, -2);
}

int main(int argc, char** argv, char** envp, char** apple) {
    (void)envp;
    if (argc == 4 && !strcmp(argv[1], "child")) return child(argv[2], num(argv[3]));

    unsigned bp = bootstrap();
    CHECK(bp != 0 && t_port_type(bp) == MACH_PORT_TYPE_SEND, "TASK_BOOTSTRAP_PORT: a send right");
    long pid = BSD0(getpid).val;
    char name[64] = "org.macrun.test.bootstrap.", digits[24];
    int nd = 0;
    for (long v = pid; v; v /= 10) digits[nd++] = (char)('0' + v % 10);
    size_t len = strlen(name);
    while (nd) name[len++] = digits[--nd];
    name[len] = 0;

    unsigned svc, disp, got;
    CHECK(bs_call(bp, ID_CHECK_IN, name, &svc, &disp) == 0 && disp == MACH_MSG_TYPE_PORT_RECEIVE &&
              t_port_type(svc) == MACH_PORT_TYPE_RECEIVE,
          "bootstrap_check_in: the service's receive right");
    CHECK(bs_call(bp, ID_CHECK_IN, name, &got, &disp) == BS_SERVICE_ACTIVE, "checking in again: BOOTSTRAP_SERVICE_ACTIVE");
    CHECK(bs_call(bp, ID_LOOK_UP, name, &got, &disp) == 0 && got == svc && disp == MACH_MSG_TYPE_PORT_SEND &&
              t_port_type(svc) == MACH_PORT_TYPE_SEND_RECEIVE,
          "bootstrap_look_up from the same task: a send right under the receive right's name");
    CHECK(bs_call(bp, ID_LOOK_UP, "org.macrun.test.none", &got, &disp) == BS_UNKNOWN_SERVICE,
          "an unknown name: BOOTSTRAP_UNKNOWN_SERVICE");
    unsigned other;
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &other);
    char rname[72];
    memcpy(rname, name, len + 1);
    memcpy(rname + len, ".reg", 5);
    CHECK(bs_register(bp, rname, other) == 0, "bootstrap_register: a send right under a name");
    CHECK(bs_register(bp, rname, other) == BS_NAME_IN_USE, "the same name again: BOOTSTRAP_NAME_IN_USE");
    CHECK(bs_call(bp, ID_LOOK_UP, rname, &got, &disp) == 0 && got == other, "and it is found");
    CHECK(bs_call(bp, ID_CHECK_IN, rname, &got, &disp) == BS_NAME_IN_USE,
          "checking in a registered name: BOOTSTRAP_NAME_IN_USE");

    unsigned notify;
    MACH(port_allocate, t_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify);

    /* A forked child: a fresh space with the bootstrap port among its special ports. */
    long c = t_fork();
    if (c == 0) {
        int bad = t_port_type(svc) != 0 ? 20 : 0;  /* the parent's rights stay behind */
        BSD(exit, bad ? bad : child(name, 41));
    }
    unsigned rp = serve_one(svc, notify, c, 41, "a forked child's message arrives");
    if (rp) expect_dead(rp, notify, c);

    /* A child that execs a new image of this program: the session's kernel goes along. */
    const char* path = apple[0] && !strncmp(apple[0], "executable_path=", 16) ? apple[0] + 16 : argv[0];
    c = t_fork();
    if (c == 0) {
        char* args[] = {(char*)"mach_bootstrap", (char*)"child", name, (char*)"77", 0};
        char* env[] = {0};
        BSD(execve, path, args, env);
        BSD(exit, 30);
    }
    rp = serve_one(svc, notify, c, 77, "an exec'd child's message arrives");
    if (rp) expect_dead(rp, notify, c);

    /* The receive right goes: the service with it. */
    MACH(port_mod_refs, t_task_self(), svc, MACH_PORT_RIGHT_RECEIVE, -1);
    CHECK(bs_call(bp, ID_LOOK_UP, name, &got, &disp) == BS_UNKNOWN_SERVICE,
          "once its port died the service is unknown");
    return t_done();
}
