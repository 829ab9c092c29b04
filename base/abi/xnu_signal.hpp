// XNU signal ABI for 64-bit processes: sigaction structs, the handler frame (siginfo, ucontext, mcontext) and
// their constants. Layouts from xnu bsd/sys/signal.h, bsd/sys/_types/_ucontext.h, bsd/i386/_mcontext.h,
// osfmk/mach/i386/_structs.h; sizes checked against the macOS SDK (clang -target x86_64-apple-macos).
#pragma once

#include <cstddef>
#include <cstdint>

namespace xnu {

// sa_flags (bsd/sys/signal.h)
constexpr int XNU_SA_ONSTACK = 0x0001, XNU_SA_RESTART = 0x0002, XNU_SA_RESETHAND = 0x0004,
              XNU_SA_NOCLDSTOP = 0x0008, XNU_SA_NODEFER = 0x0010, XNU_SA_NOCLDWAIT = 0x0020,
              XNU_SA_SIGINFO = 0x0040, XNU_SA_USERTRAMP = 0x0100, XNU_SA_64REGSET = 0x0200;
constexpr int XNU_SA_USERSPACE_MASK = 0x007f;  // what sigaction() stores; the rest is the kernel's
constexpr uint64_t XNU_SIG_DFL = 0, XNU_SIG_IGN = 1, XNU_SIG_HOLD = 5, XNU_SIG_ERR = uint64_t(-1);
constexpr int XNU_SS_ONSTACK = 0x0001, XNU_SS_DISABLE = 0x0004;
constexpr size_t XNU_MINSIGSTKSZ = 32768, XNU_SIGSTKSZ = 131072;
// sigreturn infostyle (bsd/sys/signal.h, bsd/dev/i386/unix_signal.c)
constexpr int XNU_UC_TRAD = 1, XNU_UC_FLAVOR = 30;
constexpr uint32_t XNU_UC_SET_ALT_STACK = 0x40000000, XNU_UC_RESET_ALT_STACK = 0x80000000;

// si_code values (bsd/sys/signal.h)
constexpr int XNU_SI_USER = 0x10001, XNU_SI_QUEUE = 0x10002, XNU_SI_TIMER = 0x10003, XNU_SI_ASYNCIO = 0x10004,
              XNU_SI_MESGQ = 0x10005;
constexpr int XNU_ILL_ILLOPC = 1, XNU_ILL_ILLTRP = 2, XNU_ILL_PRVOPC = 3, XNU_ILL_ILLOPN = 4, XNU_ILL_ILLADR = 5,
              XNU_ILL_PRVREG = 6, XNU_ILL_COPROC = 7, XNU_ILL_BADSTK = 8;
// FPE codes are numbered differently from Linux's (there FPE_INTDIV is 1).
constexpr int XNU_FPE_NOOP = 0, XNU_FPE_FLTDIV = 1, XNU_FPE_FLTOVF = 2, XNU_FPE_FLTUND = 3, XNU_FPE_FLTRES = 4,
              XNU_FPE_FLTINV = 5, XNU_FPE_FLTSUB = 6, XNU_FPE_INTDIV = 7, XNU_FPE_INTOVF = 8;
constexpr int XNU_SEGV_MAPERR = 1, XNU_SEGV_ACCERR = 2;
constexpr int XNU_BUS_ADRALN = 1, XNU_BUS_ADRERR = 2, XNU_BUS_OBJERR = 3;
constexpr int XNU_TRAP_BRKPT = 1, XNU_TRAP_TRACE = 2;
constexpr int XNU_CLD_EXITED = 1, XNU_CLD_KILLED = 2, XNU_CLD_DUMPED = 3, XNU_CLD_TRAPPED = 4, XNU_CLD_STOPPED = 5,
              XNU_CLD_CONTINUED = 6;

// What a 64-bit program passes to sigaction(2) (struct __sigaction) and gets back (struct sigaction).
struct user64_sigaction_in {
    uint64_t handler;
    uint64_t tramp;
    uint32_t mask;
    int32_t flags;
};
static_assert(sizeof(user64_sigaction_in) == 24);
struct user64_sigaction_out {
    uint64_t handler;
    uint32_t mask;
    int32_t flags;
};
static_assert(sizeof(user64_sigaction_out) == 16);

struct user64_sigaltstack {
    uint64_t ss_sp;
    uint64_t ss_size;
    int32_t ss_flags;
    int32_t pad_;
};
static_assert(sizeof(user64_sigaltstack) == 24);

// Fields named without the si_ prefix: glibc defines si_pid, si_addr and the others as macros.
struct user64_siginfo {
    int32_t signo, errnum, code, pid;
    uint32_t uid;
    int32_t status;
    uint64_t addr;
    uint64_t value;
    int64_t band;
    uint64_t pad[7];  // pad[0]: the interrupted rsp (xnu sendsig)
};
static_assert(sizeof(user64_siginfo) == 104);
static_assert(offsetof(user64_siginfo, addr) == 24);
static_assert(offsetof(user64_siginfo, pad) == 48);

struct user64_ucontext {
    int32_t uc_onstack;
    uint32_t uc_sigmask;
    user64_sigaltstack uc_stack;
    uint64_t uc_link;
    uint64_t uc_mcsize;
    uint64_t uc_mcontext64;
};
static_assert(sizeof(user64_ucontext) == 56);
static_assert(offsetof(user64_ucontext, uc_stack) == 8);
static_assert(offsetof(user64_ucontext, uc_mcontext64) == 48);

struct x86_exception_state64 {
    uint16_t trapno, cpu;
    uint32_t err;
    uint64_t faultvaddr;
};
static_assert(sizeof(x86_exception_state64) == 16);

struct x86_thread_state64 {
    uint64_t rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags, cs, fs, gs;
};
static_assert(sizeof(x86_thread_state64) == 168);

// __darwin_x86_avx_state64: 8 reserved bytes, then the 512-byte FXSAVE image (x87, MXCSR, xmm0-15; its last
// 96 bytes are XNU's __fpu_rsrv4), 4 reserved, 64 reserved, then the upper halves of ymm0-15.
struct x86_avx_state64 {
    uint8_t fpu_reserved[8];
    uint8_t fxsave[512];
    uint8_t fpu_reserved1[4];
    uint8_t avx_reserved1[64];
    uint8_t ymmh[16][16];
};
static_assert(sizeof(x86_avx_state64) == 844);
static_assert(offsetof(x86_avx_state64, ymmh) == 588);

// struct __darwin_mcontext_avx64: what XNU hands a handler on an AVX machine (uc_mcsize 1032).
struct mcontext_avx64 {
    x86_exception_state64 es;
    x86_thread_state64 ss;
    x86_avx_state64 fs;
    uint8_t tail_pad_[4];
};
static_assert(sizeof(mcontext_avx64) == 1032);
static_assert(offsetof(mcontext_avx64, fs) == 184);

constexpr uint64_t XNU_REDZONE = 128;  // C_64_REDZONE_LEN

}  // namespace xnu

namespace xnu {

// bsdthread_create flags (libpthread kern/kern_internal.h)
constexpr uint32_t XNU_PTHREAD_START_CUSTOM = 0x01000000, XNU_PTHREAD_START_SETSCHED = 0x02000000,
                   XNU_PTHREAD_START_DETACHED = 0x04000000, XNU_PTHREAD_START_QOSCLASS = 0x08000000,
                   XNU_PTHREAD_START_TSD_BASE_SET = 0x10000000, XNU_PTHREAD_START_SUSPENDED = 0x20000000;
constexpr int XNU_MAX_PTHREAD_SIZE = 64 * 1024;

// struct _pthread_registration_data (libpthread private/tsd_private.h), passed to bsdthread_register.
struct pthread_registration_data {
    uint64_t version;  // the struct's size, both ways
    uint64_t dispatch_queue_offset;
    uint64_t main_qos;
    uint32_t tsd_offset;
    uint32_t return_to_kernel_offset;
    uint32_t mach_thread_self_offset;
    uint32_t pad_;
    uint64_t stack_addr_hint;
    uint32_t mutex_default_policy;
    uint32_t pad2_;
};
static_assert(sizeof(pthread_registration_data) == 56);

}  // namespace xnu
