/* The runtime of macrun's static test programs: raw XNU system calls (no libSystem), a little formatting,
 * and strace-style checks that print each result and count failures. Struct layouts and constants come from
 * the macOS SDK headers; syscall numbers from xnu bsd/kern/syscalls.master. */
#ifndef MACRUN_TEST_XNU_H
#define MACRUN_TEST_XNU_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SYSCALL_CLASS_MACH 0x1000000
#define SYSCALL_CLASS_UNIX 0x2000000
#define SYSCALL_CLASS_MDEP 0x3000000

/* BSD syscall numbers (xnu bsd/kern/syscalls.master). */
enum {
    X_exit = 1, X_fork = 2, X_read = 3, X_write = 4, X_open = 5, X_close = 6, X_link = 9, X_unlink = 10,
    X_chdir = 12, X_fchdir = 13, X_chmod = 15, X_getpid = 20, X_getuid = 24, X_geteuid = 25, X_access = 33,
    X_kill = 37, X_getppid = 39, X_dup = 41, X_pipe = 42, X_getegid = 43, X_getgid = 47, X_ioctl = 54,
    X_symlink = 57, X_readlink = 58, X_umask = 60, X_msync = 65, X_munmap = 73, X_mprotect = 74, X_madvise = 75,
    X_getgroups = 79, X_dup2 = 90, X_fcntl = 92, X_select = 93, X_fsync = 95, X_gettimeofday = 116,
    X_getrusage = 117, X_readv = 120, X_writev = 121, X_fchown = 123, X_fchmod = 124, X_rename = 128,
    X_mkdir = 136, X_rmdir = 137, X_pread = 153, X_pwrite = 154, X_csops = 169, X_stat = 188, X_fstat = 189,
    X_lstat = 190, X_getrlimit = 194, X_setrlimit = 195, X_mmap = 197, X_lseek = 199, X_ftruncate = 201,
    X_sysctl = 202, X_poll = 230, X_minherit = 250, X_sysctlbyname = 274, X_mlockall = 324, X_munlockall = 325,
    X_issetugid = 327, X_proc_info = 336, X_stat64 = 338, X_fstat64 = 339, X_lstat64 = 340,
    X_getdirentries64 = 344, X_thread_selfid = 372,
    X_read_nocancel = 396, X_write_nocancel = 397, X_open_nocancel = 398, X_close_nocancel = 399,
    X_openat = 463, X_renameat = 465, X_faccessat = 466, X_fstatat64 = 470, X_unlinkat = 472, X_getentropy = 500,
};
/* The indirect call (number in rdi) and the remaining *_nocancel variants. */
enum {
    X_syscall = 0, X_fcntl_nocancel = 406, X_fsync_nocancel = 408, X_readv_nocancel = 411, X_writev_nocancel = 412,
    X_pread_nocancel = 414, X_pwrite_nocancel = 415, X_openat_nocancel = 464,
};
/* Processes. */
enum {
    X_wait4 = 7, X_execve = 59, X_getpgrp = 81, X_setpgid = 82, X_setsid = 147, X_getpgid = 151, X_waitid = 173,
    X_getsid = 310, X_wait4_nocancel = 400, X_waitid_nocancel = 416,
};
/* posix_spawn (its argument blocks: xnu bsd/sys/spawn_internal.h, private, declared by the tests using it). */
enum { X_posix_spawn = 244 };

/* The rest of the file family. */
enum {
    X_mknod = 14, X_chown = 16, X_chflags = 34, X_fchflags = 35, X_sync = 36, X_getdtablesize = 89, X_flock = 131,
    X_mkfifo = 132, X_utimes = 138, X_futimes = 139, X_fdatasync = 187, X_pathconf = 191, X_fpathconf = 192,
    X_truncate = 200, X_setattrlist = 221, X_fsetattrlist = 229, X_statfs64 = 345, X_fstatfs64 = 346,
    X_getfsstat64 = 347, X_lchown = 364, X_fchmodat = 467, X_fchownat = 468, X_linkat = 471, X_readlinkat = 473,
    X_symlinkat = 474, X_mkdirat = 475, X_setattrlistat = 524, X_mkfifoat = 553, X_mknodat = 554,
};

struct xres {
    long val;  /* rax */
    long val2; /* rdx */
    int err;   /* rax when the carry flag was set, else 0 */
};

static inline struct xres xsys6(long n, long a, long b, long c, long d, long e, long f) {
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long rax, rdx = c;
    unsigned char cf;
    __asm__ volatile("syscall; setc %2"
                     : "=a"(rax), "+d"(rdx), "=r"(cf), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(n), "D"(a), "S"(b)
                     : "rcx", "r11", "memory");
    struct xres r = {rax, rdx, cf ? (int)rax : 0};
    return r;
}
#define BSD(n, ...) XSYS_PAD_(SYSCALL_CLASS_UNIX | X_##n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define XSYS_PAD_(nr, a, b, c, d, e, f, ...) \
    xsys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define BSD0(n) xsys6(SYSCALL_CLASS_UNIX | X_##n, 0, 0, 0, 0, 0, 0)
/* fork(2) as libsyscall's __fork sees it: rax = the child's pid in the parent (rdx 0), the child's own pid in
 * the child (rdx 1). Returns 0 in the child, the child's pid in the parent, -errno on failure. */
static unsigned t_task_self_, t_mig_reply_;  /* mach_task_self_ and the MIG reply port, as libsystem caches them */
static inline long t_fork(void) {
    struct xres r = xsys6(SYSCALL_CLASS_UNIX | X_fork, 0, 0, 0, 0, 0, 0);
    if (r.err) return -r.err;
    if (r.val2) t_task_self_ = t_mig_reply_ = 0;  /* the child's space is new: libsystem's fork handler does this */
    return r.val2 ? 0 : r.val;
}

/* libsystem_kernel-shaped stubs (tests/rt/stubs.S): result, or -errno. */
long stub_getpid(void);
/* Other stub shapes (rt/stubs.S): getpid with `xor %r9d,%r9d` before `syscall`; any call with its number in a
 * register (number, first argument). */
long stub_getpid_xor(void);
long stub_syscall_reg(long number, long arg0);
/* Two getpid calls of other shapes in one function (the pid, or -1 if they differ). */
long stub_getpid_twice(void);
long stub_getuid(void);
long stub_write(int fd, const void* buf, size_t n);
long stub_read(int fd, void* buf, size_t n);
long stub_close(int fd);
int stub_mach_msg2_trap(void* data, unsigned long options, unsigned long mb_ss, unsigned long mr_lp, unsigned long mv_id,
                        unsigned long dc_rn, unsigned long rs_pr, unsigned long timeout);
unsigned stub_mach_reply_port(void);
long stub_open(const char* path, int flags, int mode);
long stub_fstat64(int fd, void* st);
long stub_lseek(int fd, long off, int whence);
long stub_pipe(int fds[2]);

/* Signals: the trampoline programs pass to sigaction (stubs.S), and a wrapper that installs a handler the
 * way libc's sigaction does (struct __sigaction: handler, trampoline, mask, flags). */
void t_sigtramp(void);
struct t_sigaction_in { void* handler; void* tramp; unsigned mask; int flags; };
struct t_sigaction_out { void* handler; unsigned mask; int flags; };
static inline struct xres t_sigaction(int sig, void* handler, int flags, unsigned mask, struct t_sigaction_out* old) {
    struct t_sigaction_in in = {handler, (void*)t_sigtramp, mask, flags};
    return xsys6(SYSCALL_CLASS_UNIX | 46, sig, (long)&in, (long)old, 0, 0, 0);
}

/* Threads: the start routine programs register with bsdthread_register (stubs.S). */
void t_thread_start(void);

/* Freestanding helpers (the compiler may also call memcpy/memset itself). */
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
void* memcpy(void* d, const void* s, size_t n);
void* memset(void* d, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
char* strstr(const char* h, const char* n);

void t_write(int fd, const char* s, size_t n);
void t_printf(const char* fmt, ...);  /* %d %u %ld %lu %x %lx %s %c %% */
void t_exit(int status) __attribute__((noreturn));

extern int t_failures;
extern int t_checks;

/* Each check prints "ok - what" or "FAIL - what: details", and counts. */
void t_check(int cond, const char* what, const char* file, int line);
#define CHECK(cond, what) t_check(!!(cond), what, __FILE__, __LINE__)
/* A call that must succeed: err 0. */
#define EXPECT_OK(r, what) t_expect_ok((r), what, __FILE__, __LINE__)
/* A call that must fail with exactly this errno (carry flag set, rax = errno). */
#define EXPECT_ERR(r, errnum, what) t_expect_err((r), (errnum), #errnum, what, __FILE__, __LINE__)
struct xres t_expect_ok(struct xres r, const char* what, const char* file, int line);
void t_expect_err(struct xres r, int errnum, const char* name, const char* what, const char* file, int line);
/* Ends the program: status 0 when every check passed. */
int t_done(void);

/* An address that is never mapped in a macrun (or macOS) process: inside __PAGEZERO. */
#define BAD_PTR ((void*)0x1000)

/* A scratch file name unique to this test, in the current directory. */
#define TMPNAME(s) s

/* ---- Mach traps (class 1; xnu osfmk/kern/syscall_sw.c). The result is the kern_return_t (or a port name) in
 * rax; no carry flag. ---- */
enum {
    MT_port_allocate = 16, MT_port_deallocate = 18, MT_port_mod_refs = 19, MT_port_move_member = 20,
    MT_port_insert_right = 21, MT_port_insert_member = 22, MT_port_extract_member = 23, MT_port_construct = 24,
    MT_port_destruct = 25, MT_mach_reply_port = 26, MT_thread_self = 27, MT_task_self = 28, MT_host_self = 29,
    MT_mach_msg = 31, MT_mach_msg_overwrite = 32, MT_semaphore_signal = 33, MT_semaphore_signal_all = 34,
    MT_semaphore_signal_thread = 35, MT_semaphore_wait = 36, MT_semaphore_wait_signal = 37,
    MT_semaphore_timedwait = 38, MT_semaphore_timedwait_signal = 39, MT_port_get_attributes = 40,
    MT_port_guard = 41, MT_port_unguard = 42, MT_task_for_pid = 45, MT_pid_for_task = 46, MT_mach_msg2 = 47,
    MT_swtch_pri = 59, MT_swtch = 60, MT_thread_switch = 61, MT_port_type = 76,
    MT_port_request_notification = 77, MT_timebase_info = 89, MT_wait_until = 90,
    MT_vm_allocate = 10, MT_vm_deallocate = 12, MT_vm_protect = 14, MT_vm_map = 15, MT_special_reply = 50,
};
#define MACH(n, ...) XMACH_PAD_(SYSCALL_CLASS_MACH | MT_##n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define XMACH_PAD_(nr, a, b, c, d, e, f, ...) \
    ((int)xsys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)).val)
#define MACH0(n) ((int)xsys6(SYSCALL_CLASS_MACH | MT_##n, 0, 0, 0, 0, 0, 0).val)

/* A Mach trap with 7 or 8 arguments: the 7th and 8th on the stack, above the return address, where
 * libsystem_kernel's stubs leave them (mach_msg_trap, mach_msg2_trap). */
static inline long xmach8(long n, long a, long b, long c, long d, long e, long f, long g, long h) {
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long rax, rdx = c;
    __asm__ volatile("sub $24, %%rsp\n\tmov %[g], 8(%%rsp)\n\tmov %[h], 16(%%rsp)\n\tsyscall\n\tadd $24, %%rsp"
                     : "=a"(rax), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "a"(SYSCALL_CLASS_MACH | n), "D"(a), "S"(b), [g] "r"(g), [h] "r"(h)
                     : "rcx", "r11", "memory");
    return rax;
}

/* mach_msg_trap (31): libsystem's interface before macOS 13. */
static inline int t_mach_msg_trap(void* msg, int option, unsigned send_size, unsigned rcv_size, unsigned rcv_name,
                                  unsigned timeout, unsigned priority) {
    return (int)xmach8(MT_mach_msg, (long)msg, option, send_size, rcv_size, rcv_name, timeout, priority, 0);
}

/* mach_msg2 (xnu osfmk/mach/message.h, libsyscall mach_msg2()): 64-bit options, and the header in the trap's
 * arguments, each pair packed low | high << 32. */
#define T_MACH64_MSG_VECTOR 0x0000000100000000ULL
#define T_MACH64_SEND_KOBJECT_CALL 0x0000000200000000ULL
#define T_MACH64_SEND_MQ_CALL 0x0000000400000000ULL
#define T_MACH64_SEND_ANY 0x0000000800000000ULL
#define T_MSG2_PACK(lo, hi) ((unsigned long)(unsigned)(hi) << 32 | (unsigned)(lo))
struct t_msg_header { unsigned bits, size, remote, local, voucher; int id; };
struct t_msg_vector { unsigned long data, rcv_addr; unsigned send_size, rcv_size; };
static inline int t_mach_msg2_trap(void* data, unsigned long options, unsigned long mb_ss, unsigned long mr_lp,
                                   unsigned long mv_id, unsigned long dc_rn, unsigned long rs_pr, unsigned long timeout) {
    return (int)xmach8(MT_mach_msg2, (long)data, (long)options, (long)mb_ss, (long)mr_lp, (long)mv_id, (long)dc_rn,
                       (long)rs_pr, (long)timeout);
}
/* mach_msg2() as libsyscall packs it, for a message whose header (and descriptor count, when complex) is at the
 * start of `msg`. */
static inline int t_mach_msg2(void* msg, unsigned long options, unsigned send_size, unsigned rcv_size,
                              unsigned rcv_name, unsigned long timeout, unsigned priority) {
    const struct t_msg_header* h = (const struct t_msg_header*)msg;
    unsigned desc = ((options & 1) && (h->bits & 0x80000000u)) ? ((const unsigned*)msg)[6] : 0;
    return stub_mach_msg2_trap(msg, options, T_MSG2_PACK(h->bits, send_size), T_MSG2_PACK(h->remote, h->local),
                               T_MSG2_PACK(h->voucher, h->id), T_MSG2_PACK(desc, rcv_name),
                               T_MSG2_PACK(rcv_size, priority), timeout);
}
/* libsystem's mach_msg() on macOS 13+: mach_msg2 with MACH64_SEND_MQ_CALL. */
static inline int t_mach_msg(void* msg, int option, unsigned send_size, unsigned rcv_size, unsigned rcv_name,
                             unsigned timeout) {
    return t_mach_msg2(msg, (unsigned long)(unsigned)option | T_MACH64_SEND_MQ_CALL, send_size, rcv_size, rcv_name,
                       timeout, 0);
}

/* The task port name, as libsystem caches it in mach_task_self_ (task_self_trap adds a user reference per call). */
static inline unsigned t_task_self(void) {
    if (!t_task_self_) t_task_self_ = (unsigned)MACH0(task_self);
    return t_task_self_;
}

/* MIG calls to the kernel as MIG's user stubs make them (xnu osfmk/mach/task.defs, mach_port.defs): request
 * COPY_SEND to the task port with a MAKE_SEND_ONCE reply port of the program's own, sent and received with
 * mach_msg2 and MACH64_SEND_KOBJECT_CALL; the reply's id is the request's + 100. Each returns the routine's
 * kern_return_t (or the mach_msg error). Layouts are MIG's, #pragma pack(4). */
struct t_ndr { unsigned char v[8]; };
static const struct t_ndr t_ndr_record = {{0, 0, 0, 0, 1, 0, 0, 0}};
struct __attribute__((packed, aligned(4))) t_mig_error { struct t_msg_header head; struct t_ndr ndr; int ret; };
static inline int t_mig_call(void* msg, unsigned send_size, unsigned rcv_size) {
    struct t_msg_header* h = (struct t_msg_header*)msg;
    if (!t_mig_reply_) t_mig_reply_ = (unsigned)MACH0(mach_reply_port);
    int request_id = h->id;
    h->bits = (h->bits & 0x80000000u) | 19u | (21u << 8);
    h->local = t_mig_reply_;
    h->voucher = 0;
    int r = t_mach_msg2(msg, 3 | T_MACH64_SEND_KOBJECT_CALL, send_size, rcv_size, t_mig_reply_, 0, 0);
    if (r) return r;
    if (h->id != request_id + 100) return -301; /* MIG_REPLY_MISMATCH */
    if (!(h->bits & 0x80000000u) && h->size == sizeof(struct t_mig_error)) return ((struct t_mig_error*)msg)->ret;
    return 0;
}
/* A MIG request in the SDK's own structs (the __Request__ types of the mach headers): sent to `port` with message id `id`.
 * T_NDR fills a request's NDR field with the record MIG's stubs send. */
static inline int t_mig_to(void* msg, unsigned port, int id, unsigned send_size, unsigned rcv_size) {
    struct t_msg_header* h = (struct t_msg_header*)msg;
    h->remote = port;
    h->id = id;
    return t_mig_call(msg, send_size, rcv_size);
}
#define T_NDR(field) memcpy(&(field), &t_ndr_record, sizeof t_ndr_record)
/* Handing a right to another process, MIG style: the asking side sends an empty request to `service` with a
 * send-once right to a fresh port of its own and waits there for one port descriptor (t_ask_right); the giving
 * side takes the request from its service port (t_take_ask, which returns the send-once reply right) and
 * answers with `name` under `disposition` (t_give_right). Each returns 0 or the mach_msg error. */
struct __attribute__((packed, aligned(4))) t_port_msg {
    struct t_msg_header head; unsigned count; unsigned name, pad1; unsigned char pad2, pad3, disposition, type;
};
static inline int t_ask_right(unsigned service, unsigned* name, unsigned* disposition, unsigned timeout) {
    unsigned mine = 0;
    if (MACH(port_allocate, t_task_self(), 1 /* MACH_PORT_RIGHT_RECEIVE */, &mine)) return -1;
    struct t_msg_header ask = {19 | (21 << 8) /* COPY_SEND, MAKE_SEND_ONCE */, sizeof ask, service, mine, 0, 0};
    int r = t_mach_msg(&ask, 1 /* MACH_SEND_MSG */, sizeof ask, 0, 0, 0);
    if (r) return r;
    union { struct t_port_msg m; char buf[128]; } got;
    memset(&got, 0, sizeof got);
    r = t_mach_msg(&got, 2 | 0x100 /* MACH_RCV_MSG | MACH_RCV_TIMEOUT */, 0, sizeof got, mine, timeout);
    if (r) return r;
    *name = got.m.name;
    if (disposition) *disposition = got.m.disposition;
    return 0;
}
static inline int t_take_ask(unsigned service, unsigned* reply, unsigned timeout) {
    union { struct t_msg_header h; char buf[128]; } m;
    memset(&m, 0, sizeof m);
    int r = t_mach_msg(&m, 2 | 0x100, 0, sizeof m, service, timeout);
    if (r == 0) *reply = m.h.remote;
    return r;
}
static inline int t_give_right(unsigned reply, unsigned name, unsigned disposition) {
    struct t_port_msg m;
    memset(&m, 0, sizeof m);
    m.head.bits = 18 /* MOVE_SEND_ONCE */ | 0x80000000u /* MACH_MSGH_BITS_COMPLEX */;
    m.head.size = sizeof m;
    m.head.remote = reply;
    m.count = 1;
    m.name = name;
    m.disposition = (unsigned char)disposition;
    m.type = 0; /* MACH_MSG_PORT_DESCRIPTOR */
    return t_mach_msg(&m, 1, sizeof m, 0, 0, 0);
}
/* A service name of this process's own: base followed by the pid, so that concurrent runs do not collide. */
static inline void t_unique_name(char* out, const char* base) {
    long pid = xsys6(SYSCALL_CLASS_UNIX | X_getpid, 0, 0, 0, 0, 0, 0).val;
    size_t len = strlen(base);
    memcpy(out, base, len);
    for (long d = 1000000; d; d /= 10) out[len++] = (char)('0' + (pid / d) % 10);
    out[len] = 0;
}
/* task_get_special_port (task.defs 3409): a send right to the task's special port `which`, 0 on failure. */
static inline unsigned t_special_port(int which) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int which; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; unsigned count; unsigned name, pad1;
                                                         unsigned pad2; } rep;
            char buf[128]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.which = which;
    return t_mig_to(&m, t_task_self(), 3409, sizeof m.req, sizeof m) ? 0 : m.rep.name;
}
/* The bootstrap protocol (launchd's bootstrap.defs): check_in (402) and look_up (404) with a 128-byte name;
 * the right comes back in a port descriptor (its name and disposition). Returns the call's result. */
static inline int t_bootstrap(int id, const char* name, unsigned* port, unsigned* disposition) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; char name[128]; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; unsigned count; unsigned name, pad1;
                                                         unsigned char pad2, pad3, disposition, type; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    size_t n = strlen(name);
    memcpy(m.req.name, name, n < 127 ? n : 127);
    int r = t_mig_to(&m, t_special_port(4 /* TASK_BOOTSTRAP_PORT */), id, sizeof m.req, sizeof m);
    if (r) return r;
    if (m.rep.head.size != 40) return -1;
    *port = m.rep.name;
    if (disposition) *disposition = m.rep.disposition;
    return 0;
}
static inline int t_mach_port_get_refs(unsigned task, unsigned name, unsigned right, unsigned* refs) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name, right; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int ret; unsigned refs; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    m.req.right = right;
    int r = t_mig_to(&m, task, 3207, sizeof m.req, sizeof m);
    if (r == 0 && m.rep.head.size == sizeof m.rep) *refs = m.rep.refs;
    return r;
}
static inline int t_mach_port_type(unsigned task, unsigned name, unsigned* type) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int ret; unsigned type; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    int r = t_mig_to(&m, task, 3201, sizeof m.req, sizeof m);
    if (r == 0) *type = m.rep.type;
    return r;
}
static inline int t_mach_port_get_attributes(unsigned task, unsigned name, int flavor, int* info, unsigned* count) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name; int flavor; unsigned cnt; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int ret; unsigned cnt; int info[17]; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    m.req.flavor = flavor;
    m.req.cnt = *count;
    int r = t_mig_to(&m, task, 3217, sizeof m.req, sizeof m);
    if (r == 0) {
        *count = m.rep.cnt;
        memcpy(info, m.rep.info, m.rep.cnt * 4);
    }
    return r;
}
static inline int t_mach_port_set_attributes(unsigned task, unsigned name, int flavor, const int* info, unsigned count) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned name; int flavor; unsigned cnt; int info[17]; } req;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.name = name;
    m.req.flavor = flavor;
    m.req.cnt = count;
    memcpy(m.req.info, info, count * 4);
    return t_mig_to(&m, task, 3218, 44 + 4 * count, sizeof m);
}
static inline int t_semaphore_create(unsigned task, unsigned* sem, int policy, int value) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int policy, value; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; unsigned count; unsigned name, pad1;
                                                         unsigned short pad2; unsigned char disposition, type; } rep;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.policy = policy;
    m.req.value = value;
    int r = t_mig_to(&m, task, 3418, sizeof m.req, sizeof m);
    if (r == 0) *sem = m.rep.name;
    return r;
}
static inline int t_semaphore_destroy(unsigned task, unsigned sem) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; unsigned count; unsigned name, pad1;
                                                         unsigned short pad2; unsigned char disposition, type; } req;
            char buf[256]; } m;
    memset(&m, 0, sizeof m);
    m.req.head.bits = 0x80000000u;
    m.req.count = 1;
    m.req.name = sem;
    m.req.disposition = 17; /* semaphore_consume_ref_t: MACH_MSG_TYPE_MOVE_SEND */
    m.req.type = 0;
    return t_mig_to(&m, task, 3419, sizeof m.req, sizeof m);
}
static inline int t_task_info(unsigned task, unsigned flavor, int* info, unsigned* count) {
    union { struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; unsigned flavor, cnt; } req;
            struct __attribute__((packed, aligned(4))) { struct t_msg_header head; struct t_ndr ndr; int ret; unsigned cnt; int info[64]; } rep;
            char buf[512]; } m;
    memset(&m, 0, sizeof m);
    m.req.ndr = t_ndr_record;
    m.req.flavor = flavor;
    m.req.cnt = *count;
    int r = t_mig_to(&m, task, 3405, sizeof m.req, sizeof m);
    if (r == 0) {
        *count = m.rep.cnt;
        memcpy(info, m.rep.info, m.rep.cnt * 4);
    }
    return r;
}
/* The user references `name` holds for `right` (mach_port_get_refs), or -1 if the call fails. */
static inline int t_refs(unsigned name, unsigned right) {
    unsigned refs = 0;
    return t_mach_port_get_refs(t_task_self(), name, right, &refs) ? -1 : (int)refs;
}
/* mach_port_type through its trap, or 0 if it fails. */
static inline unsigned t_port_type(unsigned name) {
    unsigned type = 0;
    return MACH(port_type, t_task_self(), name, &type) ? 0 : type;
}

/* Threads for tests, through libpthread's kernel protocol (libpthread kern/kern_support.c): bsdthread_register
 * once (7 arguments, the 7th on the stack), then bsdthread_create with PTHREAD_START_CUSTOM on a stack and a
 * pthread area of the test's own. The thread runs fn(arg) and ends when it returns (t_thread_start). */
static int t_threads_registered_;
static inline int t_spawn(void (*fn)(void*), void* arg) {
    if (!t_threads_registered_) {
        struct { unsigned long version, dispatch_queue_offset, main_qos;
                 unsigned tsd_offset, return_to_kernel_offset, mach_thread_self_offset, pad;
                 unsigned long stack_addr_hint; unsigned mutex_default_policy, pad2; } d;
        memset(&d, 0, sizeof d);
        d.version = sizeof d;
        d.tsd_offset = 224;
        register long r10 __asm__("r10") = (long)&d;
        register long r8 __asm__("r8") = (long)sizeof d;
        register long r9 __asm__("r9") = 0;
        long rax, rdx = 4096;
        __asm__ volatile("sub $16, %%rsp\n\tmovq $0, 8(%%rsp)\n\tsub $8, %%rsp\n\tsyscall\n\tadd $24, %%rsp"
                         : "=a"(rax), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                         : "a"(SYSCALL_CLASS_UNIX | 366), "D"((long)t_thread_start), "S"(0L)
                         : "rcx", "r11", "memory");
        t_threads_registered_ = 1;
    }
    char* stack = (char*)BSD(mmap, 0, 256 * 1024, 3 /* PROT_READ|PROT_WRITE */, 0x1002 /* MAP_ANON|MAP_PRIVATE */, -1, 0).val;
    char* pthread = (char*)BSD(mmap, 0, 4096, 3, 0x1002, -1, 0).val;
    struct xres r = xsys6(SYSCALL_CLASS_UNIX | 360, (long)fn, (long)arg, (long)(stack + 256 * 1024), (long)pthread,
                          0x01000000 /* PTHREAD_START_CUSTOM */, 0);
    return r.err ? -r.err : 0;
}

/* Mach timers (xnu osfmk/kern/mk_timer.c): traps 91-95. */
enum { MT_mk_timer_create = 91, MT_mk_timer_destroy = 92, MT_mk_timer_arm = 93, MT_mk_timer_cancel = 94,
       MT_mk_timer_arm_leeway = 95 };

/* mach_absolute_time, as gettimeofday's third argument gives it (bsd/kern/kern_time.c). */
static inline unsigned long t_abs_now(void) {
    long tv[2];
    unsigned long abs = 0;
    BSD(gettimeofday, tv, 0, &abs);
    return abs;
}

/* Yields until `cond` holds or `seconds` have passed (for what another thread or process is about to do). */
#define T_WAIT_UNTIL(cond, seconds)                                                      \
    do {                                                                                 \
        unsigned long t_end_ = t_abs_now() + (unsigned long)(seconds) * 1000000000UL;   \
        while (!(cond) && t_abs_now() < t_end_) MACH(swtch_pri, 0);                      \
    } while (0)

#endif
