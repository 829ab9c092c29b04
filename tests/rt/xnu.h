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
static inline long t_fork(void) {
    struct xres r = xsys6(SYSCALL_CLASS_UNIX | X_fork, 0, 0, 0, 0, 0, 0);
    if (r.err) return -r.err;
    return r.val2 ? 0 : r.val;
}

/* libsystem_kernel-shaped stubs (tests/rt/stubs.S): result, or -errno. */
long stub_getpid(void);
long stub_getuid(void);
long stub_write(int fd, const void* buf, size_t n);
long stub_read(int fd, void* buf, size_t n);
long stub_close(int fd);
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

#endif
