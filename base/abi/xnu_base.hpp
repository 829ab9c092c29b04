// XNU (macOS x86_64) ABI, part of xnu.hpp: Basic types, limits, errno and signal numbers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// Basic types (xnu bsd/sys/_types.h, bsd/i386/_types.h; LP64)
// ---------------------------------------------------------------------------------------------------------
using dev_t = std::int32_t;       // __darwin_dev_t
using mode_t = std::uint16_t;     // __darwin_mode_t
using nlink_t = std::uint16_t;    // __uint16_t
using ino64_t = std::uint64_t;    // __darwin_ino64_t
using ino32_t = std::uint32_t;    // ino_t without __DARWIN_64_BIT_INO_T
using uid_t = std::uint32_t;
using gid_t = std::uint32_t;
using pid_t = std::int32_t;
using off_t = std::int64_t;
using blkcnt_t = std::int64_t;
using blksize_t = std::int32_t;
using time_t = std::int64_t;      // long
using suseconds_t = std::int32_t; // __int32_t, not long: timeval has 4 bytes of tail padding
using rlim_t = std::uint64_t;
using sigset_t = std::uint32_t;   // bsd/sys/_types.h: __darwin_sigset_t is a 32-bit mask
using tcflag_t = std::uint64_t;   // unsigned long (bsd/sys/termios.h)
using speed_t = std::uint64_t;    // unsigned long
using cc_t = std::uint8_t;
using fixpt_t = std::uint32_t;
using segsz_t = std::int32_t;
using user_addr_t = std::uint64_t; // a pointer in the guest's address space

// ---------------------------------------------------------------------------------------------------------
// Limits (xnu bsd/sys/syslimits.h, bsd/sys/param.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_PATH_MAX = 1024;
constexpr int XNU_MAXPATHLEN = XNU_PATH_MAX;  // param.h
constexpr int XNU_NGROUPS = 16;               // NGROUPS_MAX
constexpr int XNU_ARG_MAX = 1024 * 1024;      // macOS value; other Apple OSes use 256 KiB
constexpr int XNU_MAXCOMLEN = 16;             // param.h
constexpr int XNU_MAXNAMLEN = 255;            // dirent.h __DARWIN_MAXNAMLEN
constexpr int XNU_OPEN_MAX = 10240;
constexpr int XNU_CHILD_MAX = 266;

// ---------------------------------------------------------------------------------------------------------
// errno (xnu bsd/sys/errno.h). XNU numbers all kernel errors 1..ELAST.
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_EPERM = 1;
constexpr int XNU_ENOENT = 2;
constexpr int XNU_ESRCH = 3;
constexpr int XNU_EINTR = 4;
constexpr int XNU_EIO = 5;
constexpr int XNU_ENXIO = 6;
constexpr int XNU_E2BIG = 7;
constexpr int XNU_ENOEXEC = 8;
constexpr int XNU_EBADF = 9;
constexpr int XNU_ECHILD = 10;
constexpr int XNU_EDEADLK = 11;
constexpr int XNU_ENOMEM = 12;
constexpr int XNU_EACCES = 13;
constexpr int XNU_EFAULT = 14;
constexpr int XNU_ENOTBLK = 15;
constexpr int XNU_EBUSY = 16;
constexpr int XNU_EEXIST = 17;
constexpr int XNU_EXDEV = 18;
constexpr int XNU_ENODEV = 19;
constexpr int XNU_ENOTDIR = 20;
constexpr int XNU_EISDIR = 21;
constexpr int XNU_EINVAL = 22;
constexpr int XNU_ENFILE = 23;
constexpr int XNU_EMFILE = 24;
constexpr int XNU_ENOTTY = 25;
constexpr int XNU_ETXTBSY = 26;
constexpr int XNU_EFBIG = 27;
constexpr int XNU_ENOSPC = 28;
constexpr int XNU_ESPIPE = 29;
constexpr int XNU_EROFS = 30;
constexpr int XNU_EMLINK = 31;
constexpr int XNU_EPIPE = 32;
constexpr int XNU_EDOM = 33;
constexpr int XNU_ERANGE = 34;
constexpr int XNU_EAGAIN = 35;
constexpr int XNU_EWOULDBLOCK = XNU_EAGAIN;
constexpr int XNU_EINPROGRESS = 36;
constexpr int XNU_EALREADY = 37;
constexpr int XNU_ENOTSOCK = 38;
constexpr int XNU_EDESTADDRREQ = 39;
constexpr int XNU_EMSGSIZE = 40;
constexpr int XNU_EPROTOTYPE = 41;
constexpr int XNU_ENOPROTOOPT = 42;
constexpr int XNU_EPROTONOSUPPORT = 43;
constexpr int XNU_ESOCKTNOSUPPORT = 44;
constexpr int XNU_ENOTSUP = 45;
constexpr int XNU_EPFNOSUPPORT = 46;
constexpr int XNU_EAFNOSUPPORT = 47;
constexpr int XNU_EADDRINUSE = 48;
constexpr int XNU_EADDRNOTAVAIL = 49;
constexpr int XNU_ENETDOWN = 50;
constexpr int XNU_ENETUNREACH = 51;
constexpr int XNU_ENETRESET = 52;
constexpr int XNU_ECONNABORTED = 53;
constexpr int XNU_ECONNRESET = 54;
constexpr int XNU_ENOBUFS = 55;
constexpr int XNU_EISCONN = 56;
constexpr int XNU_ENOTCONN = 57;
constexpr int XNU_ESHUTDOWN = 58;
constexpr int XNU_ETOOMANYREFS = 59;
constexpr int XNU_ETIMEDOUT = 60;
constexpr int XNU_ECONNREFUSED = 61;
constexpr int XNU_ELOOP = 62;
constexpr int XNU_ENAMETOOLONG = 63;
constexpr int XNU_EHOSTDOWN = 64;
constexpr int XNU_EHOSTUNREACH = 65;
constexpr int XNU_ENOTEMPTY = 66;
constexpr int XNU_EPROCLIM = 67;
constexpr int XNU_EUSERS = 68;
constexpr int XNU_EDQUOT = 69;
constexpr int XNU_ESTALE = 70;
constexpr int XNU_EREMOTE = 71;
constexpr int XNU_EBADRPC = 72;
constexpr int XNU_ERPCMISMATCH = 73;
constexpr int XNU_EPROGUNAVAIL = 74;
constexpr int XNU_EPROGMISMATCH = 75;
constexpr int XNU_EPROCUNAVAIL = 76;
constexpr int XNU_ENOLCK = 77;
constexpr int XNU_ENOSYS = 78;
constexpr int XNU_EFTYPE = 79;
constexpr int XNU_EAUTH = 80;
constexpr int XNU_ENEEDAUTH = 81;
constexpr int XNU_EPWROFF = 82;
constexpr int XNU_EDEVERR = 83;
constexpr int XNU_EOVERFLOW = 84;
constexpr int XNU_EBADEXEC = 85;
constexpr int XNU_EBADARCH = 86;
constexpr int XNU_ESHLIBVERS = 87;
constexpr int XNU_EBADMACHO = 88;
constexpr int XNU_ECANCELED = 89;
constexpr int XNU_EIDRM = 90;
constexpr int XNU_ENOMSG = 91;
constexpr int XNU_EILSEQ = 92;
constexpr int XNU_ENOATTR = 93;
constexpr int XNU_EBADMSG = 94;
constexpr int XNU_EMULTIHOP = 95;
constexpr int XNU_ENODATA = 96;
constexpr int XNU_ENOLINK = 97;
constexpr int XNU_ENOSR = 98;
constexpr int XNU_ENOSTR = 99;
constexpr int XNU_EPROTO = 100;
constexpr int XNU_ETIME = 101;
// The kernel and UNIX03 user code see a distinct 102; pre-UNIX03 user code aliased it to ENOTSUP.
constexpr int XNU_EOPNOTSUPP = 102;
constexpr int XNU_ENOPOLICY = 103;
constexpr int XNU_ENOTRECOVERABLE = 104;
constexpr int XNU_EOWNERDEAD = 105;
constexpr int XNU_EQFULL = 106;
constexpr int XNU_ELAST = 106;
// Kernel-internal pseudo errors (never reach user space): re-run the call / registers already set.
constexpr int XNU_ERESTART = -1;
constexpr int XNU_EJUSTRETURN = -2;

// ---------------------------------------------------------------------------------------------------------
// Signals (xnu bsd/sys/signal.h). Numbering differs from Linux from 7 upwards.
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_SIGHUP = 1;
constexpr int XNU_SIGINT = 2;
constexpr int XNU_SIGQUIT = 3;
constexpr int XNU_SIGILL = 4;
constexpr int XNU_SIGTRAP = 5;
constexpr int XNU_SIGABRT = 6;
constexpr int XNU_SIGIOT = XNU_SIGABRT;
constexpr int XNU_SIGEMT = 7;
constexpr int XNU_SIGPOLL = 7;  // the strict-POSIX name for the slot; never generated
constexpr int XNU_SIGFPE = 8;
constexpr int XNU_SIGKILL = 9;
constexpr int XNU_SIGBUS = 10;
constexpr int XNU_SIGSEGV = 11;
constexpr int XNU_SIGSYS = 12;
constexpr int XNU_SIGPIPE = 13;
constexpr int XNU_SIGALRM = 14;
constexpr int XNU_SIGTERM = 15;
constexpr int XNU_SIGURG = 16;
constexpr int XNU_SIGSTOP = 17;
constexpr int XNU_SIGTSTP = 18;
constexpr int XNU_SIGCONT = 19;
constexpr int XNU_SIGCHLD = 20;
constexpr int XNU_SIGTTIN = 21;
constexpr int XNU_SIGTTOU = 22;
constexpr int XNU_SIGIO = 23;
constexpr int XNU_SIGXCPU = 24;
constexpr int XNU_SIGXFSZ = 25;
constexpr int XNU_SIGVTALRM = 26;
constexpr int XNU_SIGPROF = 27;
constexpr int XNU_SIGWINCH = 28;
constexpr int XNU_SIGINFO = 29;
constexpr int XNU_SIGUSR1 = 30;
constexpr int XNU_SIGUSR2 = 31;
constexpr int XNU_NSIG = 32;  // one more than the highest signal number
// sigprocmask "how" (bsd/sys/signal.h): 1-based, unlike Linux's 0-based values.
constexpr int XNU_SIG_BLOCK = 1;
constexpr int XNU_SIG_UNBLOCK = 2;
constexpr int XNU_SIG_SETMASK = 3;

}  // namespace xnu
