// XNU (macOS x86_64) user/kernel ABI: constants and structure layouts as a 64-bit process sees them.
//
// Facts come from the xnu sources (bsd/sys/*.h, osfmk/...) and the macOS 13 SDK headers; each group names
// its header. Layouts are the LP64 ones. Nothing here depends on the host's headers, so this file can sit
// next to glibc's <errno.h>, <fcntl.h>, <termios.h> in one translation unit.
//
// Naming: every constant carries an XNU_ prefix (xnu::XNU_ENOENT, xnu::XNU_O_CREAT). The bare names are
// macros in the Linux headers, and a macro would rewrite `xnu::ENOENT` into `xnu::2` in any file that also
// includes <cerrno> (libstdc++'s <string> does). Types and field names keep their XNU spelling.
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

// ---------------------------------------------------------------------------------------------------------
// open(2) flags (xnu bsd/sys/fcntl.h, bsd/sys/_types/_o_sync.h, _o_dsync.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_O_RDONLY = 0x0000;
constexpr int XNU_O_WRONLY = 0x0001;
constexpr int XNU_O_RDWR = 0x0002;
constexpr int XNU_O_ACCMODE = 0x0003;
constexpr int XNU_FREAD = 0x0001;   // kernel fflags encoding: open mode + 1
constexpr int XNU_FWRITE = 0x0002;
constexpr int XNU_O_NONBLOCK = 0x0004;
constexpr int XNU_O_NDELAY = XNU_O_NONBLOCK;
constexpr int XNU_O_APPEND = 0x0008;
constexpr int XNU_O_SHLOCK = 0x0010;   // flock(LOCK_SH) as part of open
constexpr int XNU_O_EXLOCK = 0x0020;   // flock(LOCK_EX) as part of open
constexpr int XNU_O_ASYNC = 0x0040;
constexpr int XNU_O_SYNC = 0x0080;
constexpr int XNU_O_FSYNC = XNU_O_SYNC;
constexpr int XNU_O_NOFOLLOW = 0x0100;
constexpr int XNU_O_CREAT = 0x0200;
constexpr int XNU_O_TRUNC = 0x0400;
constexpr int XNU_O_EXCL = 0x0800;
constexpr int XNU_O_RESOLVE_BENEATH = 0x1000;  // newer xnu only; shares the kernel's FMARK bit
constexpr int XNU_O_EVTONLY = 0x8000;          // descriptor only for kqueue vnode events
constexpr int XNU_O_NOCTTY = 0x20000;
constexpr int XNU_O_DIRECTORY = 0x100000;
constexpr int XNU_O_SYMLINK = 0x200000;        // open the symlink itself
constexpr int XNU_O_DSYNC = 0x400000;
constexpr int XNU_O_CLOEXEC = 0x1000000;
constexpr int XNU_O_CLOFORK = 0x8000000;       // honoured by open() in current xnu; not in the macOS 13 SDK
constexpr int XNU_O_NOFOLLOW_ANY = 0x20000000; // no symlink in any path component
constexpr int XNU_O_EXEC = 0x40000000;
constexpr int XNU_O_SEARCH = XNU_O_EXEC | XNU_O_DIRECTORY;

// *at() (xnu bsd/sys/fcntl.h)
constexpr int XNU_AT_FDCWD = -2;
constexpr int XNU_AT_EACCESS = 0x0010;
constexpr int XNU_AT_SYMLINK_NOFOLLOW = 0x0020;
constexpr int XNU_AT_SYMLINK_FOLLOW = 0x0040;
constexpr int XNU_AT_REMOVEDIR = 0x0080;
constexpr int XNU_AT_REMOVEDIR_DATALESS = 0x0100;  // private
constexpr int XNU_AT_REALDEV = 0x0200;
constexpr int XNU_AT_FDONLY = 0x0400;
constexpr int XNU_AT_SYMLINK_NOFOLLOW_ANY = 0x0800;
constexpr int XNU_AT_SYSTEM_DISCARDED = 0x1000;    // private

// access(2) modes and the extended access bits (xnu bsd/sys/unistd.h)
constexpr int XNU_F_OK = 0;
constexpr int XNU_X_OK = 1 << 0;
constexpr int XNU_W_OK = 1 << 1;
constexpr int XNU_R_OK = 1 << 2;
constexpr int XNU_READ_OK = 1 << 9;     // _READ_OK
constexpr int XNU_WRITE_OK = 1 << 10;   // _WRITE_OK
constexpr int XNU_EXECUTE_OK = 1 << 11; // _EXECUTE_OK
constexpr int XNU_DELETE_OK = 1 << 12;  // _DELETE_OK
constexpr int XNU_APPEND_OK = 1 << 13;  // _APPEND_OK
constexpr int XNU_RMFILE_OK = 1 << 14;  // _RMFILE_OK
constexpr int XNU_RATTR_OK = 1 << 15;   // _RATTR_OK
constexpr int XNU_WATTR_OK = 1 << 16;   // _WATTR_OK
constexpr int XNU_REXT_OK = 1 << 17;    // _REXT_OK
constexpr int XNU_WEXT_OK = 1 << 18;    // _WEXT_OK
constexpr int XNU_RPERM_OK = 1 << 19;   // _RPERM_OK
constexpr int XNU_WPERM_OK = 1 << 20;   // _WPERM_OK
constexpr int XNU_CHOWN_OK = 1 << 21;   // _CHOWN_OK
constexpr int XNU_ACCESS_EXTENDED_MASK = XNU_READ_OK | XNU_WRITE_OK | XNU_EXECUTE_OK | XNU_DELETE_OK |
                                         XNU_APPEND_OK | XNU_RMFILE_OK | XNU_RATTR_OK | XNU_WATTR_OK |
                                         XNU_REXT_OK | XNU_WEXT_OK | XNU_RPERM_OK | XNU_WPERM_OK |
                                         XNU_CHOWN_OK;

// lseek whence (xnu bsd/sys/_types/_seek_set.h)
constexpr int XNU_SEEK_SET = 0;
constexpr int XNU_SEEK_CUR = 1;
constexpr int XNU_SEEK_END = 2;
constexpr int XNU_SEEK_HOLE = 3;
constexpr int XNU_SEEK_DATA = 4;

// flock(2) (xnu bsd/sys/fcntl.h): same values as Linux
constexpr int XNU_LOCK_SH = 0x01;
constexpr int XNU_LOCK_EX = 0x02;
constexpr int XNU_LOCK_NB = 0x04;
constexpr int XNU_LOCK_UN = 0x08;

// ---------------------------------------------------------------------------------------------------------
// fcntl(2) commands (xnu bsd/sys/fcntl.h). Gaps are numbers xnu never assigned or retired.
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_F_DUPFD = 0;
constexpr int XNU_F_GETFD = 1;
constexpr int XNU_F_SETFD = 2;
constexpr int XNU_F_GETFL = 3;
constexpr int XNU_F_SETFL = 4;
constexpr int XNU_F_GETOWN = 5;
constexpr int XNU_F_SETOWN = 6;
constexpr int XNU_F_GETLK = 7;
constexpr int XNU_F_SETLK = 8;
constexpr int XNU_F_SETLKW = 9;
constexpr int XNU_F_SETLKWTIMEOUT = 10;
constexpr int XNU_F_FLUSH_DATA = 40;
constexpr int XNU_F_CHKCLEAN = 41;
constexpr int XNU_F_PREALLOCATE = 42;
constexpr int XNU_F_SETSIZE = 43;
constexpr int XNU_F_RDADVISE = 44;
constexpr int XNU_F_RDAHEAD = 45;
constexpr int XNU_F_NOCACHE = 48;
constexpr int XNU_F_LOG2PHYS = 49;
constexpr int XNU_F_GETPATH = 50;
constexpr int XNU_F_FULLFSYNC = 51;
constexpr int XNU_F_PATHPKG_CHECK = 52;
constexpr int XNU_F_FREEZE_FS = 53;
constexpr int XNU_F_THAW_FS = 54;
constexpr int XNU_F_GLOBAL_NOCACHE = 55;
constexpr int XNU_F_OPENFROM = 56;       // private
constexpr int XNU_F_UNLINKFROM = 57;     // private
constexpr int XNU_F_CHECK_OPENEVT = 58;  // private
constexpr int XNU_F_ADDSIGS = 59;
constexpr int XNU_F_MARKDEPENDENCY = 60; // private
constexpr int XNU_F_ADDFILESIGS = 61;
constexpr int XNU_F_NODIRECT = 62;
constexpr int XNU_F_GETPROTECTIONCLASS = 63;
constexpr int XNU_F_SETPROTECTIONCLASS = 64;
constexpr int XNU_F_LOG2PHYS_EXT = 65;
constexpr int XNU_F_GETLKPID = 66;
constexpr int XNU_F_DUPFD_CLOEXEC = 67;
constexpr int XNU_F_SETSTATICCONTENT = 68;
constexpr int XNU_F_MOVEDATAEXTENTS = 69;
constexpr int XNU_F_SETBACKINGSTORE = 70;
constexpr int XNU_F_GETPATH_MTMINFO = 71;
constexpr int XNU_F_GETCODEDIR = 72;
constexpr int XNU_F_SETNOSIGPIPE = 73;
constexpr int XNU_F_GETNOSIGPIPE = 74;
constexpr int XNU_F_TRANSCODEKEY = 75;
constexpr int XNU_F_SINGLE_WRITER = 76;
constexpr int XNU_F_GETPROTECTIONLEVEL = 77;
constexpr int XNU_F_FINDSIGS = 78;
constexpr int XNU_F_GETDEFAULTPROTLEVEL = 79;
constexpr int XNU_F_MAKECOMPRESSED = 80;
constexpr int XNU_F_SET_GREEDY_MODE = 81;
constexpr int XNU_F_SETIOTYPE = 82;
constexpr int XNU_F_ADDFILESIGS_FOR_DYLD_SIM = 83;
constexpr int XNU_F_RECYCLE = 84;
constexpr int XNU_F_BARRIERFSYNC = 85;
constexpr int XNU_F_OFD_SETLK = 90;
constexpr int XNU_F_OFD_SETLKW = 91;
constexpr int XNU_F_OFD_GETLK = 92;
constexpr int XNU_F_OFD_SETLKWTIMEOUT = 93;
constexpr int XNU_F_OFD_GETLKPID = 94;
constexpr int XNU_F_SETCONFINED = 95;
constexpr int XNU_F_GETCONFINED = 96;
constexpr int XNU_F_ADDFILESIGS_RETURN = 97;
constexpr int XNU_F_CHECK_LV = 98;
constexpr int XNU_F_PUNCHHOLE = 99;
constexpr int XNU_F_TRIM_ACTIVE_FILE = 100;
constexpr int XNU_F_SPECULATIVE_READ = 101;
constexpr int XNU_F_GETPATH_NOFIRMLINK = 102;
constexpr int XNU_F_ADDFILESIGS_INFO = 103;
constexpr int XNU_F_ADDFILESUPPL = 104;
constexpr int XNU_F_GETSIGSINFO = 105;
constexpr int XNU_F_SETLEASE = 106;
constexpr int XNU_F_GETLEASE = 107;
constexpr int XNU_F_ASSERT_BG_ACCESS = 108;   // private
constexpr int XNU_F_RELEASE_BG_ACCESS = 109;  // private
constexpr int XNU_F_TRANSFEREXTENTS = 110;
constexpr int XNU_F_ATTRIBUTION_TAG = 111;
constexpr int XNU_F_NOCACHE_EXT = 112;
constexpr int XNU_F_ADDSIGS_MAIN_BINARY = 113;

constexpr int XNU_FD_CLOEXEC = 1;
constexpr int XNU_FD_CLOFORK = 2;  // current xnu; not in the macOS 13 SDK

// struct flock l_type: note the order differs from Linux (F_RDLCK=0, F_WRLCK=1, F_UNLCK=2 there)
constexpr short XNU_F_RDLCK = 1;
constexpr short XNU_F_UNLCK = 2;
constexpr short XNU_F_WRLCK = 3;

// F_PREALLOCATE fst_flags / fst_posmode
constexpr std::uint32_t XNU_F_ALLOCATECONTIG = 0x00000002;
constexpr std::uint32_t XNU_F_ALLOCATEALL = 0x00000004;
constexpr std::uint32_t XNU_F_ALLOCATEPERSIST = 0x00000008;
constexpr int XNU_F_PEOFPOSMODE = 3;  // offset relative to the physical end of file
constexpr int XNU_F_VOLPOSMODE = 4;   // offset relative to the volume start

// Not Linux's layout: Linux starts with l_type/l_whence and ends with l_pid.
struct flock {
    off_t l_start;
    off_t l_len;
    pid_t l_pid;
    std::int16_t l_type;
    std::int16_t l_whence;
};
static_assert(sizeof(flock) == 24);
static_assert(offsetof(flock, l_start) == 0);
static_assert(offsetof(flock, l_len) == 8);
static_assert(offsetof(flock, l_pid) == 16);
static_assert(offsetof(flock, l_type) == 20);
static_assert(offsetof(flock, l_whence) == 22);

// F_PREALLOCATE argument
struct fstore {
    std::uint32_t fst_flags;
    std::int32_t fst_posmode;
    off_t fst_offset;
    off_t fst_length;
    off_t fst_bytesalloc;  // out
};
static_assert(sizeof(fstore) == 32);
static_assert(offsetof(fstore, fst_flags) == 0);
static_assert(offsetof(fstore, fst_posmode) == 4);
static_assert(offsetof(fstore, fst_offset) == 8);
static_assert(offsetof(fstore, fst_length) == 16);
static_assert(offsetof(fstore, fst_bytesalloc) == 24);

// F_RDADVISE argument. User space passes the naturally aligned 16-byte struct; the kernel declares it
// under #pragma pack(4) and copies in only the first 12 bytes.
struct radvisory {
    off_t ra_offset;
    std::int32_t ra_count;
    std::int32_t pad_;
};
static_assert(sizeof(radvisory) == 16);
static_assert(offsetof(radvisory, ra_offset) == 0);
static_assert(offsetof(radvisory, ra_count) == 8);
constexpr std::size_t XNU_RADVISORY_KERNEL_SIZE = 12;

// ---------------------------------------------------------------------------------------------------------
// mmap and friends (xnu bsd/sys/mman.h, osfmk/mach/vm_inherit.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_PROT_NONE = 0x00;
constexpr int XNU_PROT_READ = 0x01;
constexpr int XNU_PROT_WRITE = 0x02;
constexpr int XNU_PROT_EXEC = 0x04;
constexpr int XNU_PROT_ALL = 0x07;  // VM_PROT_ALL; mmap() silently masks prot with it

constexpr int XNU_MAP_SHARED = 0x0001;
constexpr int XNU_MAP_PRIVATE = 0x0002;
constexpr int XNU_MAP_COPY = XNU_MAP_PRIVATE;  // obsolete alias
constexpr int XNU_MAP_FIXED = 0x0010;
constexpr int XNU_MAP_RENAME = 0x0020;
constexpr int XNU_MAP_NORESERVE = 0x0040;
constexpr int XNU_MAP_RESERVED0080 = 0x0080;  // was MAP_INHERIT; still accepted and ignored
constexpr int XNU_MAP_NOEXTEND = 0x0100;
constexpr int XNU_MAP_HASSEMAPHORE = 0x0200;
constexpr int XNU_MAP_NOCACHE = 0x0400;
constexpr int XNU_MAP_JIT = 0x0800;
constexpr int XNU_MAP_FILE = 0x0000;
constexpr int XNU_MAP_ANON = 0x1000;
constexpr int XNU_MAP_ANONYMOUS = XNU_MAP_ANON;
constexpr int XNU_MAP_RESILIENT_CODESIGN = 0x2000;
constexpr int XNU_MAP_RESILIENT_MEDIA = 0x4000;
constexpr int XNU_MAP_32BIT = 0x8000;  // macOS only: address below 4 GiB
constexpr int XNU_MAP_TRANSLATED_ALLOW_EXECUTE = 0x20000;
constexpr int XNU_MAP_UNIX03 = 0x40000;  // set by libc: stricter argument checking
constexpr int XNU_MAP_TPRO = 0x80000;
constexpr std::uint64_t XNU_MAP_FAILED = ~std::uint64_t{0};  // (void*)-1 as a guest address

constexpr int XNU_MCL_CURRENT = 0x0001;
constexpr int XNU_MCL_FUTURE = 0x0002;

constexpr int XNU_MS_ASYNC = 0x0001;
constexpr int XNU_MS_INVALIDATE = 0x0002;
constexpr int XNU_MS_KILLPAGES = 0x0004;
constexpr int XNU_MS_DEACTIVATE = 0x0008;
constexpr int XNU_MS_SYNC = 0x0010;

constexpr int XNU_MADV_NORMAL = 0;  // POSIX_MADV_* share these numbers
constexpr int XNU_MADV_RANDOM = 1;
constexpr int XNU_MADV_SEQUENTIAL = 2;
constexpr int XNU_MADV_WILLNEED = 3;
constexpr int XNU_MADV_DONTNEED = 4;
constexpr int XNU_MADV_FREE = 5;
constexpr int XNU_MADV_ZERO_WIRED_PAGES = 6;
constexpr int XNU_MADV_FREE_REUSABLE = 7;
constexpr int XNU_MADV_FREE_REUSE = 8;
constexpr int XNU_MADV_CAN_REUSE = 9;
constexpr int XNU_MADV_PAGEOUT = 10;
constexpr int XNU_MADV_ZERO = 11;  // newer xnu only

constexpr int XNU_MINCORE_INCORE = 0x1;
constexpr int XNU_MINCORE_REFERENCED = 0x2;
constexpr int XNU_MINCORE_MODIFIED = 0x4;
constexpr int XNU_MINCORE_REFERENCED_OTHER = 0x8;
constexpr int XNU_MINCORE_MODIFIED_OTHER = 0x10;
constexpr int XNU_MINCORE_PAGED_OUT = 0x20;
constexpr int XNU_MINCORE_COPIED = 0x40;
constexpr int XNU_MINCORE_ANONYMOUS = 0x80;

// minherit(2) takes Mach inheritance values
constexpr int XNU_VM_INHERIT_SHARE = 0;
constexpr int XNU_VM_INHERIT_COPY = 1;
constexpr int XNU_VM_INHERIT_NONE = 2;
constexpr int XNU_VM_INHERIT_DONATE_COPY = 3;
constexpr int XNU_VM_INHERIT_DEFAULT = XNU_VM_INHERIT_COPY;
constexpr int XNU_VM_INHERIT_LAST_VALID = XNU_VM_INHERIT_NONE;

// ---------------------------------------------------------------------------------------------------------
// Time (xnu bsd/sys/_types/_timespec.h, _timeval.h, bsd/sys/time.h)
// ---------------------------------------------------------------------------------------------------------
struct timespec {
    time_t tv_sec;
    std::int64_t tv_nsec;  // long
};
static_assert(sizeof(timespec) == 16);
static_assert(offsetof(timespec, tv_sec) == 0);
static_assert(offsetof(timespec, tv_nsec) == 8);

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
    std::int32_t pad_;  // alignment padding; the kernel does not promise to zero it
};
static_assert(sizeof(timeval) == 16);
static_assert(offsetof(timeval, tv_sec) == 0);
static_assert(offsetof(timeval, tv_usec) == 8);

struct itimerval {
    timeval it_interval;
    timeval it_value;
};
static_assert(sizeof(itimerval) == 32);
static_assert(offsetof(itimerval, it_interval) == 0);
static_assert(offsetof(itimerval, it_value) == 16);

struct timezone {
    std::int32_t tz_minuteswest;
    std::int32_t tz_dsttime;
};
static_assert(sizeof(timezone) == 8);
static_assert(offsetof(timezone, tz_minuteswest) == 0);
static_assert(offsetof(timezone, tz_dsttime) == 4);

constexpr int XNU_ITIMER_REAL = 0;
constexpr int XNU_ITIMER_VIRTUAL = 1;
constexpr int XNU_ITIMER_PROF = 2;

// ---------------------------------------------------------------------------------------------------------
// stat (xnu bsd/sys/stat.h)
// ---------------------------------------------------------------------------------------------------------
// File type and permission bits: identical numbers on Linux, plus the BSD whiteout type.
constexpr int XNU_S_IFMT = 0170000;
constexpr int XNU_S_IFIFO = 0010000;
constexpr int XNU_S_IFCHR = 0020000;
constexpr int XNU_S_IFDIR = 0040000;
constexpr int XNU_S_IFBLK = 0060000;
constexpr int XNU_S_IFREG = 0100000;
constexpr int XNU_S_IFLNK = 0120000;
constexpr int XNU_S_IFSOCK = 0140000;
constexpr int XNU_S_IFWHT = 0160000;
constexpr int XNU_S_ISUID = 0004000;
constexpr int XNU_S_ISGID = 0002000;
constexpr int XNU_S_ISVTX = 0001000;

// st_flags (chflags) bits that tools commonly test
constexpr std::uint32_t XNU_UF_NODUMP = 0x00000001;
constexpr std::uint32_t XNU_UF_IMMUTABLE = 0x00000002;
constexpr std::uint32_t XNU_UF_APPEND = 0x00000004;
constexpr std::uint32_t XNU_UF_HIDDEN = 0x00008000;
constexpr std::uint32_t XNU_SF_IMMUTABLE = 0x00020000;
constexpr std::uint32_t XNU_SF_APPEND = 0x00040000;

// The __DARWIN_64_BIT_INO_T layout: `struct stat` of every x86_64 program built since 10.6 (the
// stat$INODE64 symbols) and `struct stat64`; syscalls stat64/fstat64/lstat64/fstatat64 (338-340, 470).
struct stat64 {
    dev_t st_dev;
    mode_t st_mode;
    nlink_t st_nlink;
    ino64_t st_ino;
    uid_t st_uid;
    gid_t st_gid;
    dev_t st_rdev;
    std::int32_t pad0_;  // alignment padding before the timespecs
    timespec st_atimespec;
    timespec st_mtimespec;
    timespec st_ctimespec;
    timespec st_birthtimespec;
    off_t st_size;
    blkcnt_t st_blocks;
    blksize_t st_blksize;
    std::uint32_t st_flags;
    std::uint32_t st_gen;
    std::int32_t st_lspare;
    std::int64_t st_qspare[2];
};
static_assert(sizeof(stat64) == 144);
static_assert(offsetof(stat64, st_dev) == 0);
static_assert(offsetof(stat64, st_mode) == 4);
static_assert(offsetof(stat64, st_nlink) == 6);
static_assert(offsetof(stat64, st_ino) == 8);
static_assert(offsetof(stat64, st_uid) == 16);
static_assert(offsetof(stat64, st_gid) == 20);
static_assert(offsetof(stat64, st_rdev) == 24);
static_assert(offsetof(stat64, st_atimespec) == 32);
static_assert(offsetof(stat64, st_mtimespec) == 48);
static_assert(offsetof(stat64, st_ctimespec) == 64);
static_assert(offsetof(stat64, st_birthtimespec) == 80);
static_assert(offsetof(stat64, st_size) == 96);
static_assert(offsetof(stat64, st_blocks) == 104);
static_assert(offsetof(stat64, st_blksize) == 112);
static_assert(offsetof(stat64, st_flags) == 116);
static_assert(offsetof(stat64, st_gen) == 120);
static_assert(offsetof(stat64, st_lspare) == 124);
static_assert(offsetof(stat64, st_qspare) == 128);

// The legacy layout with a 32-bit inode and no birth time: `struct stat` without __DARWIN_64_BIT_INO_T,
// which the kernel fills for syscalls stat/fstat/lstat (188-190) as struct user64_stat. 120 bytes.
struct stat {
    dev_t st_dev;
    ino32_t st_ino;
    mode_t st_mode;
    nlink_t st_nlink;
    uid_t st_uid;
    gid_t st_gid;
    dev_t st_rdev;
    timespec st_atimespec;
    timespec st_mtimespec;
    timespec st_ctimespec;
    off_t st_size;
    blkcnt_t st_blocks;
    blksize_t st_blksize;
    std::uint32_t st_flags;
    std::uint32_t st_gen;
    std::int32_t st_lspare;
    std::int64_t st_qspare[2];
};
static_assert(sizeof(stat) == 120);
static_assert(offsetof(stat, st_dev) == 0);
static_assert(offsetof(stat, st_ino) == 4);
static_assert(offsetof(stat, st_mode) == 8);
static_assert(offsetof(stat, st_nlink) == 10);
static_assert(offsetof(stat, st_uid) == 12);
static_assert(offsetof(stat, st_gid) == 16);
static_assert(offsetof(stat, st_rdev) == 20);
static_assert(offsetof(stat, st_atimespec) == 24);
static_assert(offsetof(stat, st_mtimespec) == 40);
static_assert(offsetof(stat, st_ctimespec) == 56);
static_assert(offsetof(stat, st_size) == 72);
static_assert(offsetof(stat, st_blocks) == 80);
static_assert(offsetof(stat, st_blksize) == 88);
static_assert(offsetof(stat, st_flags) == 92);
static_assert(offsetof(stat, st_gen) == 96);
static_assert(offsetof(stat, st_lspare) == 100);
static_assert(offsetof(stat, st_qspare) == 104);

// dev_t packing (xnu bsd/sys/types.h makedev/major/minor): 8-bit major in the top byte, 24-bit minor.
// Named differently from the macros because glibc's <sys/sysmacros.h> defines major()/minor()/makedev().
constexpr dev_t make_dev(std::uint32_t maj, std::uint32_t min) {
    return static_cast<dev_t>(((maj & 0xffu) << 24) | (min & 0xffffffu));
}
constexpr std::uint32_t dev_major(dev_t d) { return (static_cast<std::uint32_t>(d) >> 24) & 0xffu; }
constexpr std::uint32_t dev_minor(dev_t d) { return static_cast<std::uint32_t>(d) & 0xffffffu; }
constexpr dev_t XNU_NODEV = -1;  // bsd/sys/param.h: "no device", e.g. e_tdev without a controlling tty

// ---------------------------------------------------------------------------------------------------------
// Resources (xnu bsd/sys/resource.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_RUSAGE_SELF = 0;
constexpr int XNU_RUSAGE_CHILDREN = -1;

constexpr int XNU_RLIMIT_CPU = 0;
constexpr int XNU_RLIMIT_FSIZE = 1;
constexpr int XNU_RLIMIT_DATA = 2;
constexpr int XNU_RLIMIT_STACK = 3;
constexpr int XNU_RLIMIT_CORE = 4;
constexpr int XNU_RLIMIT_AS = 5;
constexpr int XNU_RLIMIT_RSS = XNU_RLIMIT_AS;  // alias, unlike Linux where RSS is its own limit
constexpr int XNU_RLIMIT_MEMLOCK = 6;
constexpr int XNU_RLIMIT_NPROC = 7;
constexpr int XNU_RLIMIT_NOFILE = 8;
constexpr int XNU_RLIM_NLIMITS = 9;
// _RLIMIT_POSIX_FLAG: libc ors it into the resource of setrlimit() for POSIX-conformant error behaviour.
constexpr int XNU_RLIMIT_POSIX_FLAG = 0x1000;
constexpr rlim_t XNU_RLIM_INFINITY = (std::uint64_t{1} << 63) - 1;  // not all ones as on Linux
constexpr rlim_t XNU_RLIM_SAVED_MAX = XNU_RLIM_INFINITY;
constexpr rlim_t XNU_RLIM_SAVED_CUR = XNU_RLIM_INFINITY;

constexpr int XNU_PRIO_PROCESS = 0;
constexpr int XNU_PRIO_PGRP = 1;
constexpr int XNU_PRIO_USER = 2;
constexpr int XNU_PRIO_DARWIN_THREAD = 3;
constexpr int XNU_PRIO_DARWIN_PROCESS = 4;
constexpr int XNU_PRIO_MIN = -20;
constexpr int XNU_PRIO_MAX = 20;
constexpr int XNU_PRIO_DARWIN_BG = 0x1000;
constexpr int XNU_PRIO_DARWIN_NONUI = 0x1001;

struct rlimit {
    rlim_t rlim_cur;
    rlim_t rlim_max;
};
static_assert(sizeof(rlimit) == 16);
static_assert(offsetof(rlimit, rlim_cur) == 0);
static_assert(offsetof(rlimit, rlim_max) == 8);

struct rusage {
    timeval ru_utime;
    timeval ru_stime;
    std::int64_t ru_maxrss;  // bytes on XNU (Linux reports KiB)
    std::int64_t ru_ixrss;
    std::int64_t ru_idrss;
    std::int64_t ru_isrss;
    std::int64_t ru_minflt;
    std::int64_t ru_majflt;
    std::int64_t ru_nswap;
    std::int64_t ru_inblock;
    std::int64_t ru_oublock;
    std::int64_t ru_msgsnd;
    std::int64_t ru_msgrcv;
    std::int64_t ru_nsignals;
    std::int64_t ru_nvcsw;
    std::int64_t ru_nivcsw;
};
static_assert(sizeof(rusage) == 144);
static_assert(offsetof(rusage, ru_utime) == 0);
static_assert(offsetof(rusage, ru_stime) == 16);
static_assert(offsetof(rusage, ru_maxrss) == 32);
static_assert(offsetof(rusage, ru_ixrss) == 40);
static_assert(offsetof(rusage, ru_idrss) == 48);
static_assert(offsetof(rusage, ru_isrss) == 56);
static_assert(offsetof(rusage, ru_minflt) == 64);
static_assert(offsetof(rusage, ru_majflt) == 72);
static_assert(offsetof(rusage, ru_nswap) == 80);
static_assert(offsetof(rusage, ru_inblock) == 88);
static_assert(offsetof(rusage, ru_oublock) == 96);
static_assert(offsetof(rusage, ru_msgsnd) == 104);
static_assert(offsetof(rusage, ru_msgrcv) == 112);
static_assert(offsetof(rusage, ru_nsignals) == 120);
static_assert(offsetof(rusage, ru_nvcsw) == 128);
static_assert(offsetof(rusage, ru_nivcsw) == 136);

// ---------------------------------------------------------------------------------------------------------
// Terminals (xnu bsd/sys/termios.h, bsd/sys/ttycom.h, bsd/sys/ttydefaults.h)
// ---------------------------------------------------------------------------------------------------------
// c_cc indices
constexpr int XNU_VEOF = 0;
constexpr int XNU_VEOL = 1;
constexpr int XNU_VEOL2 = 2;
constexpr int XNU_VERASE = 3;
constexpr int XNU_VWERASE = 4;
constexpr int XNU_VKILL = 5;
constexpr int XNU_VREPRINT = 6;
// 7 is a spare slot
constexpr int XNU_VINTR = 8;
constexpr int XNU_VQUIT = 9;
constexpr int XNU_VSUSP = 10;
constexpr int XNU_VDSUSP = 11;
constexpr int XNU_VSTART = 12;
constexpr int XNU_VSTOP = 13;
constexpr int XNU_VLNEXT = 14;
constexpr int XNU_VDISCARD = 15;
constexpr int XNU_VMIN = 16;
constexpr int XNU_VTIME = 17;
constexpr int XNU_VSTATUS = 18;
// 19 is a spare slot
constexpr int XNU_NCCS = 20;
constexpr cc_t XNU_POSIX_VDISABLE = 0xff;  // _POSIX_VDISABLE (Linux uses 0)

// c_iflag
constexpr tcflag_t XNU_IGNBRK = 0x00000001;
constexpr tcflag_t XNU_BRKINT = 0x00000002;
constexpr tcflag_t XNU_IGNPAR = 0x00000004;
constexpr tcflag_t XNU_PARMRK = 0x00000008;
constexpr tcflag_t XNU_INPCK = 0x00000010;
constexpr tcflag_t XNU_ISTRIP = 0x00000020;
constexpr tcflag_t XNU_INLCR = 0x00000040;
constexpr tcflag_t XNU_IGNCR = 0x00000080;
constexpr tcflag_t XNU_ICRNL = 0x00000100;
constexpr tcflag_t XNU_IXON = 0x00000200;
constexpr tcflag_t XNU_IXOFF = 0x00000400;
constexpr tcflag_t XNU_IXANY = 0x00000800;
constexpr tcflag_t XNU_IMAXBEL = 0x00002000;
constexpr tcflag_t XNU_IUTF8 = 0x00004000;

// c_oflag
constexpr tcflag_t XNU_OPOST = 0x00000001;
constexpr tcflag_t XNU_ONLCR = 0x00000002;
constexpr tcflag_t XNU_OXTABS = 0x00000004;  // same bit as TAB3
constexpr tcflag_t XNU_ONOEOT = 0x00000008;
constexpr tcflag_t XNU_OCRNL = 0x00000010;
constexpr tcflag_t XNU_ONOCR = 0x00000020;
constexpr tcflag_t XNU_ONLRET = 0x00000040;
constexpr tcflag_t XNU_OFILL = 0x00000080;
constexpr tcflag_t XNU_NLDLY = 0x00000300;
constexpr tcflag_t XNU_TABDLY = 0x00000c04;  // TAB1/TAB2 at 0x400/0x800, TAB3 at bit 2
constexpr tcflag_t XNU_CRDLY = 0x00003000;
constexpr tcflag_t XNU_FFDLY = 0x00004000;
constexpr tcflag_t XNU_BSDLY = 0x00008000;
constexpr tcflag_t XNU_VTDLY = 0x00010000;
constexpr tcflag_t XNU_OFDEL = 0x00020000;
constexpr tcflag_t XNU_NL0 = 0x00000000;
constexpr tcflag_t XNU_NL1 = 0x00000100;
constexpr tcflag_t XNU_NL2 = 0x00000200;
constexpr tcflag_t XNU_NL3 = 0x00000300;
constexpr tcflag_t XNU_TAB0 = 0x00000000;
constexpr tcflag_t XNU_TAB1 = 0x00000400;
constexpr tcflag_t XNU_TAB2 = 0x00000800;
constexpr tcflag_t XNU_TAB3 = 0x00000004;
constexpr tcflag_t XNU_CR0 = 0x00000000;
constexpr tcflag_t XNU_CR1 = 0x00001000;
constexpr tcflag_t XNU_CR2 = 0x00002000;
constexpr tcflag_t XNU_CR3 = 0x00003000;
constexpr tcflag_t XNU_FF0 = 0x00000000;
constexpr tcflag_t XNU_FF1 = 0x00004000;
constexpr tcflag_t XNU_BS0 = 0x00000000;
constexpr tcflag_t XNU_BS1 = 0x00008000;
constexpr tcflag_t XNU_VT0 = 0x00000000;
constexpr tcflag_t XNU_VT1 = 0x00010000;

// c_cflag (the speed lives in c_ispeed/c_ospeed, not here)
constexpr tcflag_t XNU_CIGNORE = 0x00000001;
constexpr tcflag_t XNU_CSIZE = 0x00000300;
constexpr tcflag_t XNU_CS5 = 0x00000000;
constexpr tcflag_t XNU_CS6 = 0x00000100;
constexpr tcflag_t XNU_CS7 = 0x00000200;
constexpr tcflag_t XNU_CS8 = 0x00000300;
constexpr tcflag_t XNU_CSTOPB = 0x00000400;
constexpr tcflag_t XNU_CREAD = 0x00000800;
constexpr tcflag_t XNU_PARENB = 0x00001000;
constexpr tcflag_t XNU_PARODD = 0x00002000;
constexpr tcflag_t XNU_HUPCL = 0x00004000;
constexpr tcflag_t XNU_CLOCAL = 0x00008000;
constexpr tcflag_t XNU_CCTS_OFLOW = 0x00010000;
constexpr tcflag_t XNU_CRTS_IFLOW = 0x00020000;
constexpr tcflag_t XNU_CRTSCTS = XNU_CCTS_OFLOW | XNU_CRTS_IFLOW;
constexpr tcflag_t XNU_CDTR_IFLOW = 0x00040000;
constexpr tcflag_t XNU_CDSR_OFLOW = 0x00080000;
constexpr tcflag_t XNU_CCAR_OFLOW = 0x00100000;
constexpr tcflag_t XNU_MDMBUF = XNU_CCAR_OFLOW;

// c_lflag
constexpr tcflag_t XNU_ECHOKE = 0x00000001;
constexpr tcflag_t XNU_ECHOE = 0x00000002;
constexpr tcflag_t XNU_ECHOK = 0x00000004;
constexpr tcflag_t XNU_ECHO = 0x00000008;
constexpr tcflag_t XNU_ECHONL = 0x00000010;
constexpr tcflag_t XNU_ECHOPRT = 0x00000020;
constexpr tcflag_t XNU_ECHOCTL = 0x00000040;
constexpr tcflag_t XNU_ISIG = 0x00000080;
constexpr tcflag_t XNU_ICANON = 0x00000100;
constexpr tcflag_t XNU_ALTWERASE = 0x00000200;
constexpr tcflag_t XNU_IEXTEN = 0x00000400;
constexpr tcflag_t XNU_EXTPROC = 0x00000800;
constexpr tcflag_t XNU_TOSTOP = 0x00400000;
constexpr tcflag_t XNU_FLUSHO = 0x00800000;
constexpr tcflag_t XNU_NOKERNINFO = 0x02000000;
constexpr tcflag_t XNU_PENDIN = 0x20000000;
constexpr tcflag_t XNU_NOFLSH = 0x80000000;

// tcsetattr actions and tcflush/tcflow arguments
constexpr int XNU_TCSANOW = 0;
constexpr int XNU_TCSADRAIN = 1;
constexpr int XNU_TCSAFLUSH = 2;
constexpr int XNU_TCSASOFT = 0x10;
constexpr int XNU_TCIFLUSH = 1;
constexpr int XNU_TCOFLUSH = 2;
constexpr int XNU_TCIOFLUSH = 3;
constexpr int XNU_TCOOFF = 1;
constexpr int XNU_TCOON = 2;
constexpr int XNU_TCIOFF = 3;
constexpr int XNU_TCION = 4;

// Speeds are plain bits-per-second numbers (B9600 == 9600), so any value is representable.
constexpr speed_t XNU_B0 = 0;
constexpr speed_t XNU_B9600 = 9600;
constexpr speed_t XNU_B38400 = 38400;
constexpr speed_t XNU_B115200 = 115200;
constexpr speed_t XNU_B230400 = 230400;

// unsigned long flags make this 72 bytes, not the 60 of Linux's glibc struct termios.
struct termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_cc[XNU_NCCS];
    std::uint8_t pad_[4];  // alignment padding before the speeds
    speed_t c_ispeed;
    speed_t c_ospeed;
};
static_assert(sizeof(termios) == 72);
static_assert(offsetof(termios, c_iflag) == 0);
static_assert(offsetof(termios, c_oflag) == 8);
static_assert(offsetof(termios, c_cflag) == 16);
static_assert(offsetof(termios, c_lflag) == 24);
static_assert(offsetof(termios, c_cc) == 32);
static_assert(offsetof(termios, c_ispeed) == 56);
static_assert(offsetof(termios, c_ospeed) == 64);

struct winsize {
    std::uint16_t ws_row;
    std::uint16_t ws_col;
    std::uint16_t ws_xpixel;
    std::uint16_t ws_ypixel;
};
static_assert(sizeof(winsize) == 8);
static_assert(offsetof(winsize, ws_row) == 0);
static_assert(offsetof(winsize, ws_col) == 2);
static_assert(offsetof(winsize, ws_xpixel) == 4);
static_assert(offsetof(winsize, ws_ypixel) == 6);

// Line disciplines (TIOCGETD/TIOCSETD)
constexpr int XNU_TTYDISC = 0;
constexpr int XNU_TABLDISC = 3;
constexpr int XNU_SLIPDISC = 4;
constexpr int XNU_PPPDISC = 5;

// Modem control bits (TIOCMGET/TIOCMSET)
constexpr int XNU_TIOCM_LE = 0001;
constexpr int XNU_TIOCM_DTR = 0002;
constexpr int XNU_TIOCM_RTS = 0004;
constexpr int XNU_TIOCM_ST = 0010;
constexpr int XNU_TIOCM_SR = 0020;
constexpr int XNU_TIOCM_CTS = 0040;
constexpr int XNU_TIOCM_CAR = 0100;
constexpr int XNU_TIOCM_RNG = 0200;
constexpr int XNU_TIOCM_DSR = 0400;

// ---------------------------------------------------------------------------------------------------------
// ioctl request encoding (xnu bsd/sys/ioccom.h): dir(3 bits) | len(13 bits) << 16 | group << 8 | num
// ---------------------------------------------------------------------------------------------------------
constexpr std::uint32_t XNU_IOCPARM_MASK = 0x1fff;
constexpr std::uint32_t XNU_IOC_VOID = 0x20000000;
constexpr std::uint32_t XNU_IOC_OUT = 0x40000000;
constexpr std::uint32_t XNU_IOC_IN = 0x80000000;
constexpr std::uint32_t XNU_IOC_INOUT = XNU_IOC_IN | XNU_IOC_OUT;
constexpr std::uint32_t XNU_IOC_DIRMASK = 0xe0000000;

constexpr std::uint32_t ioc(std::uint32_t dir, char group, std::uint32_t num, std::size_t len) {
    return dir | ((static_cast<std::uint32_t>(len) & XNU_IOCPARM_MASK) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(group)) << 8) | num;
}
constexpr std::uint32_t io(char g, std::uint32_t n) { return ioc(XNU_IOC_VOID, g, n, 0); }
constexpr std::uint32_t ior(char g, std::uint32_t n, std::size_t len) { return ioc(XNU_IOC_OUT, g, n, len); }
constexpr std::uint32_t iow(char g, std::uint32_t n, std::size_t len) { return ioc(XNU_IOC_IN, g, n, len); }
constexpr std::uint32_t iowr(char g, std::uint32_t n, std::size_t len) { return ioc(XNU_IOC_INOUT, g, n, len); }
constexpr std::uint32_t ioc_len(std::uint64_t request) { return (request >> 16) & XNU_IOCPARM_MASK; }
constexpr std::uint32_t ioc_dir(std::uint64_t request) { return request & XNU_IOC_DIRMASK; }

// bsd/sys/ttycom.h
constexpr std::uint32_t XNU_TIOCMODG = ior('t', 3, sizeof(int));
constexpr std::uint32_t XNU_TIOCMODS = iow('t', 4, sizeof(int));
constexpr std::uint32_t XNU_TIOCEXCL = io('t', 13);
constexpr std::uint32_t XNU_TIOCNXCL = io('t', 14);
constexpr std::uint32_t XNU_TIOCFLUSH = iow('t', 16, sizeof(int));
constexpr std::uint32_t XNU_TIOCGETA = ior('t', 19, sizeof(termios));
constexpr std::uint32_t XNU_TIOCSETA = iow('t', 20, sizeof(termios));
constexpr std::uint32_t XNU_TIOCSETAW = iow('t', 21, sizeof(termios));
constexpr std::uint32_t XNU_TIOCSETAF = iow('t', 22, sizeof(termios));
constexpr std::uint32_t XNU_TIOCGETD = ior('t', 26, sizeof(int));
constexpr std::uint32_t XNU_TIOCSETD = iow('t', 27, sizeof(int));
constexpr std::uint32_t XNU_TIOCIXON = io('t', 129);
constexpr std::uint32_t XNU_TIOCIXOFF = io('t', 128);
constexpr std::uint32_t XNU_TIOCSBRK = io('t', 123);
constexpr std::uint32_t XNU_TIOCCBRK = io('t', 122);
constexpr std::uint32_t XNU_TIOCSDTR = io('t', 121);
constexpr std::uint32_t XNU_TIOCCDTR = io('t', 120);
constexpr std::uint32_t XNU_TIOCGPGRP = ior('t', 119, sizeof(int));
constexpr std::uint32_t XNU_TIOCSPGRP = iow('t', 118, sizeof(int));
constexpr std::uint32_t XNU_TIOCOUTQ = ior('t', 115, sizeof(int));
constexpr std::uint32_t XNU_TIOCSTI = iow('t', 114, sizeof(char));
constexpr std::uint32_t XNU_TIOCNOTTY = io('t', 113);
constexpr std::uint32_t XNU_TIOCPKT = iow('t', 112, sizeof(int));
constexpr std::uint32_t XNU_TIOCSTOP = io('t', 111);
constexpr std::uint32_t XNU_TIOCSTART = io('t', 110);
constexpr std::uint32_t XNU_TIOCMSET = iow('t', 109, sizeof(int));
constexpr std::uint32_t XNU_TIOCMBIS = iow('t', 108, sizeof(int));
constexpr std::uint32_t XNU_TIOCMBIC = iow('t', 107, sizeof(int));
constexpr std::uint32_t XNU_TIOCMGET = ior('t', 106, sizeof(int));
constexpr std::uint32_t XNU_TIOCGWINSZ = ior('t', 104, sizeof(winsize));
constexpr std::uint32_t XNU_TIOCSWINSZ = iow('t', 103, sizeof(winsize));
constexpr std::uint32_t XNU_TIOCUCNTL = iow('t', 102, sizeof(int));
constexpr std::uint32_t XNU_TIOCSTAT = io('t', 101);
constexpr std::uint32_t XNU_TIOCSCONS = io('t', 99);
constexpr std::uint32_t XNU_TIOCCONS = iow('t', 98, sizeof(int));
constexpr std::uint32_t XNU_TIOCSCTTY = io('t', 97);
constexpr std::uint32_t XNU_TIOCEXT = iow('t', 96, sizeof(int));
constexpr std::uint32_t XNU_TIOCSIG = io('t', 95);
constexpr std::uint32_t XNU_TIOCDRAIN = io('t', 94);
constexpr std::uint32_t XNU_TIOCMSDTRWAIT = iow('t', 91, sizeof(int));
constexpr std::uint32_t XNU_TIOCMGDTRWAIT = ior('t', 90, sizeof(int));
constexpr std::uint32_t XNU_TIOCTIMESTAMP = ior('t', 89, sizeof(timeval));
constexpr std::uint32_t XNU_TIOCDCDTIMESTAMP = ior('t', 88, sizeof(timeval));
constexpr std::uint32_t XNU_TIOCSDRAINWAIT = iow('t', 87, sizeof(int));
constexpr std::uint32_t XNU_TIOCGDRAINWAIT = ior('t', 86, sizeof(int));
constexpr std::uint32_t XNU_TIOCDSIMICROCODE = io('t', 85);
constexpr std::uint32_t XNU_TIOCPTYGRANT = io('t', 84);                    // grantpt(3)
constexpr std::uint32_t XNU_TIOCPTYGNAME = ioc(XNU_IOC_OUT, 't', 83, 128);  // ptsname(3): 128-byte buffer
constexpr std::uint32_t XNU_TIOCPTYUNLK = io('t', 82);                     // unlockpt(3)
constexpr std::uint32_t XNU_TIOCREVOKE = io('t', 81);        // private
constexpr std::uint32_t XNU_TIOCREVOKECLEAR = io('t', 80);   // private
// bsd/sys/ioctl_compat.h (not part of the modern API, kept for old binaries)
constexpr std::uint32_t XNU_TIOCGSID = ior('t', 99, sizeof(int));
// There is no TIOCISATTY on XNU: isatty(3) is a TIOCGETA that succeeds.

// bsd/sys/filio.h
constexpr std::uint32_t XNU_FIOCLEX = io('f', 1);
constexpr std::uint32_t XNU_FIONCLEX = io('f', 2);
constexpr std::uint32_t XNU_FIONREAD = ior('f', 127, sizeof(int));
constexpr std::uint32_t XNU_FIONBIO = iow('f', 126, sizeof(int));
constexpr std::uint32_t XNU_FIOASYNC = iow('f', 125, sizeof(int));
constexpr std::uint32_t XNU_FIOSETOWN = iow('f', 124, sizeof(int));
constexpr std::uint32_t XNU_FIOGETOWN = ior('f', 123, sizeof(int));
constexpr std::uint32_t XNU_FIODTYPE = ior('f', 122, sizeof(int));

static_assert(XNU_TIOCGWINSZ == 0x40087468);
static_assert(XNU_TIOCSWINSZ == 0x80087467);
static_assert(XNU_TIOCGETA == 0x40487413);
static_assert(XNU_TIOCSETA == 0x80487414);
static_assert(XNU_TIOCPTYGNAME == 0x40807453);
static_assert(XNU_FIONREAD == 0x4004667f);
static_assert(XNU_FIONBIO == 0x8004667e);

// ---------------------------------------------------------------------------------------------------------
// Directory entries (xnu bsd/sys/dirent.h, bsd/sys/dirent_private.h, bsd/vfs/vfs_syscalls.c)
// ---------------------------------------------------------------------------------------------------------
constexpr std::uint8_t XNU_DT_UNKNOWN = 0;
constexpr std::uint8_t XNU_DT_FIFO = 1;
constexpr std::uint8_t XNU_DT_CHR = 2;
constexpr std::uint8_t XNU_DT_DIR = 4;
constexpr std::uint8_t XNU_DT_BLK = 6;
constexpr std::uint8_t XNU_DT_REG = 8;
constexpr std::uint8_t XNU_DT_LNK = 10;
constexpr std::uint8_t XNU_DT_SOCK = 12;
constexpr std::uint8_t XNU_DT_WHT = 14;

// Record format of getdirentries64 (syscall 344) and `struct dirent` with __DARWIN_64_BIT_INO_T.
// Records are variable length: only the first d_reclen bytes of this maximal struct are written.
struct dirent {
    std::uint64_t d_ino;
    std::uint64_t d_seekoff;  // opaque cookie: telldir/seekdir position after this entry
    std::uint16_t d_reclen;
    std::uint16_t d_namlen;   // strlen(d_name)
    std::uint8_t d_type;
    char d_name[XNU_MAXPATHLEN];  // NUL-terminated
};
static_assert(sizeof(dirent) == 1048);
static_assert(offsetof(dirent, d_ino) == 0);
static_assert(offsetof(dirent, d_seekoff) == 8);
static_assert(offsetof(dirent, d_reclen) == 16);
static_assert(offsetof(dirent, d_namlen) == 18);
static_assert(offsetof(dirent, d_type) == 20);
static_assert(offsetof(dirent, d_name) == 21);
constexpr std::size_t XNU_DIRENT64_HEADER = offsetof(dirent, d_name);  // 21

// d_reclen of a record, exactly as the kernel's DIRENT64_LEN(): the maximal struct size minus the unused
// part of d_name, rounded up to 8. The 3 bytes of tail padding in sizeof(dirent) are counted, so a 1-char
// name gives 32, not 24.
constexpr std::uint16_t dirent64_reclen(std::size_t namlen) {
    return static_cast<std::uint16_t>((sizeof(dirent) + namlen - (XNU_MAXPATHLEN - 1) + 7) & ~std::size_t{7});
}
static_assert(dirent64_reclen(1) == 32);
static_assert(dirent64_reclen(7) == 32);
static_assert(dirent64_reclen(8) == 40);

// With a buffer of at least this many bytes, getdirentries64 keeps the last 4 bytes for a flags word.
constexpr std::size_t XNU_GETDIRENTRIES64_EXTENDED_BUFSIZE = 1024;
constexpr std::uint32_t XNU_GETDIRENTRIES64_EOF = 1u << 0;  // set when the directory was read to its end

// ---------------------------------------------------------------------------------------------------------
// poll/select (xnu bsd/sys/poll.h, bsd/sys/_types/_fd_def.h)
// ---------------------------------------------------------------------------------------------------------
constexpr std::int16_t XNU_POLLIN = 0x0001;
constexpr std::int16_t XNU_POLLPRI = 0x0002;
constexpr std::int16_t XNU_POLLOUT = 0x0004;
constexpr std::int16_t XNU_POLLERR = 0x0008;
constexpr std::int16_t XNU_POLLHUP = 0x0010;
constexpr std::int16_t XNU_POLLNVAL = 0x0020;
constexpr std::int16_t XNU_POLLRDNORM = 0x0040;
constexpr std::int16_t XNU_POLLWRNORM = XNU_POLLOUT;  // Linux has a separate bit (0x100)
constexpr std::int16_t XNU_POLLRDBAND = 0x0080;
constexpr std::int16_t XNU_POLLWRBAND = 0x0100;       // Linux: 0x200
constexpr std::int16_t XNU_POLLEXTEND = 0x0200;       // the four below are FreeBSD vnode extensions
constexpr std::int16_t XNU_POLLATTRIB = 0x0400;
constexpr std::int16_t XNU_POLLNLINK = 0x0800;
constexpr std::int16_t XNU_POLLWRITE = 0x1000;
constexpr std::int16_t XNU_POLLSTANDARD = XNU_POLLIN | XNU_POLLPRI | XNU_POLLOUT | XNU_POLLRDNORM |
                                          XNU_POLLRDBAND | XNU_POLLWRBAND | XNU_POLLERR | XNU_POLLHUP |
                                          XNU_POLLNVAL;

struct pollfd {
    std::int32_t fd;
    std::int16_t events;
    std::int16_t revents;
};
static_assert(sizeof(pollfd) == 8);
static_assert(offsetof(pollfd, fd) == 0);
static_assert(offsetof(pollfd, events) == 4);
static_assert(offsetof(pollfd, revents) == 6);

constexpr int XNU_FD_SETSIZE = 1024;
constexpr int XNU_NFDBITS = 32;  // bits per fds_bits word: __int32_t, not long as on Linux
struct fd_set {
    std::int32_t fds_bits[XNU_FD_SETSIZE / XNU_NFDBITS];
};
static_assert(sizeof(fd_set) == 128);
static_assert(offsetof(fd_set, fds_bits) == 0);

// ---------------------------------------------------------------------------------------------------------
// sysctl MIB numbers (xnu bsd/sys/sysctl.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_CTL_MAXNAME = 12;
constexpr int XNU_CTL_UNSPEC = 0;
constexpr int XNU_CTL_KERN = 1;
constexpr int XNU_CTL_VM = 2;
constexpr int XNU_CTL_VFS = 3;
constexpr int XNU_CTL_NET = 4;
constexpr int XNU_CTL_DEBUG = 5;
constexpr int XNU_CTL_HW = 6;
constexpr int XNU_CTL_MACHDEP = 7;
constexpr int XNU_CTL_USER = 8;
constexpr int XNU_CTL_MAXID = 9;

// The {0, ...} meta namespace (numbers from xnu bsd/kern/kern_newsysctl.c; the names are FreeBSD's)
constexpr int XNU_CTL_SYSCTL_DEBUG = 0;
constexpr int XNU_CTL_SYSCTL_NAME = 1;
constexpr int XNU_CTL_SYSCTL_NEXT = 2;
constexpr int XNU_CTL_SYSCTL_NAME2OID = 3;
constexpr int XNU_CTL_SYSCTL_OIDFMT = 4;
constexpr int XNU_CTL_SYSCTL_OIDDESCR = 5;

constexpr int XNU_CTLTYPE = 0xf;
constexpr int XNU_CTLTYPE_NODE = 1;
constexpr int XNU_CTLTYPE_INT = 2;
constexpr int XNU_CTLTYPE_STRING = 3;
constexpr int XNU_CTLTYPE_QUAD = 4;
constexpr int XNU_CTLTYPE_OPAQUE = 5;
constexpr int XNU_CTLTYPE_STRUCT = XNU_CTLTYPE_OPAQUE;
constexpr std::uint32_t XNU_CTLFLAG_RD = 0x80000000;
constexpr std::uint32_t XNU_CTLFLAG_WR = 0x40000000;
constexpr std::uint32_t XNU_CTLFLAG_RW = XNU_CTLFLAG_RD | XNU_CTLFLAG_WR;

// CTL_KERN (39, 41, 55 and 67 are retired numbers)
constexpr int XNU_KERN_OSTYPE = 1;
constexpr int XNU_KERN_OSRELEASE = 2;
constexpr int XNU_KERN_OSREV = 3;
constexpr int XNU_KERN_VERSION = 4;
constexpr int XNU_KERN_MAXVNODES = 5;
constexpr int XNU_KERN_MAXPROC = 6;
constexpr int XNU_KERN_MAXFILES = 7;
constexpr int XNU_KERN_ARGMAX = 8;
constexpr int XNU_KERN_SECURELVL = 9;
constexpr int XNU_KERN_HOSTNAME = 10;
constexpr int XNU_KERN_HOSTID = 11;
constexpr int XNU_KERN_CLOCKRATE = 12;
constexpr int XNU_KERN_VNODE = 13;
constexpr int XNU_KERN_PROC = 14;
constexpr int XNU_KERN_FILE = 15;
constexpr int XNU_KERN_PROF = 16;
constexpr int XNU_KERN_POSIX1 = 17;
constexpr int XNU_KERN_NGROUPS = 18;
constexpr int XNU_KERN_JOB_CONTROL = 19;
constexpr int XNU_KERN_SAVED_IDS = 20;
constexpr int XNU_KERN_BOOTTIME = 21;
constexpr int XNU_KERN_NISDOMAINNAME = 22;
constexpr int XNU_KERN_DOMAINNAME = XNU_KERN_NISDOMAINNAME;
constexpr int XNU_KERN_MAXPARTITIONS = 23;
constexpr int XNU_KERN_KDEBUG = 24;
constexpr int XNU_KERN_UPDATEINTERVAL = 25;
constexpr int XNU_KERN_OSRELDATE = 26;
constexpr int XNU_KERN_NTP_PLL = 27;
constexpr int XNU_KERN_BOOTFILE = 28;
constexpr int XNU_KERN_MAXFILESPERPROC = 29;
constexpr int XNU_KERN_MAXPROCPERUID = 30;
constexpr int XNU_KERN_DUMPDEV = 31;
constexpr int XNU_KERN_IPC = 32;
constexpr int XNU_KERN_DUMMY = 33;
constexpr int XNU_KERN_PS_STRINGS = 34;
constexpr int XNU_KERN_USRSTACK32 = 35;
constexpr int XNU_KERN_LOGSIGEXIT = 36;
constexpr int XNU_KERN_SYMFILE = 37;
constexpr int XNU_KERN_PROCARGS = 38;
constexpr int XNU_KERN_NETBOOT = 40;
constexpr int XNU_KERN_SYSV = 42;
constexpr int XNU_KERN_AFFINITY = 43;
constexpr int XNU_KERN_TRANSLATE = 44;
constexpr int XNU_KERN_CLASSIC = XNU_KERN_TRANSLATE;
constexpr int XNU_KERN_EXEC = 45;
constexpr int XNU_KERN_CLASSICHANDLER = XNU_KERN_EXEC;
constexpr int XNU_KERN_AIOMAX = 46;
constexpr int XNU_KERN_AIOPROCMAX = 47;
constexpr int XNU_KERN_AIOTHREADS = 48;
constexpr int XNU_KERN_PROCARGS2 = 49;
constexpr int XNU_KERN_COREFILE = 50;
constexpr int XNU_KERN_COREDUMP = 51;
constexpr int XNU_KERN_SUGID_COREDUMP = 52;
constexpr int XNU_KERN_PROCDELAYTERM = 53;
constexpr int XNU_KERN_SHREG_PRIVATIZABLE = 54;
constexpr int XNU_KERN_LOW_PRI_WINDOW = 56;
constexpr int XNU_KERN_LOW_PRI_DELAY = 57;
constexpr int XNU_KERN_POSIX = 58;
constexpr int XNU_KERN_USRSTACK64 = 59;
constexpr int XNU_KERN_USRSTACK = XNU_KERN_USRSTACK64;  // LP64 spelling
constexpr int XNU_KERN_NX_PROTECTION = 60;
constexpr int XNU_KERN_TFP = 61;
constexpr int XNU_KERN_PROCNAME = 62;
constexpr int XNU_KERN_THALTSTACK = 63;
constexpr int XNU_KERN_SPECULATIVE_READS = 64;
constexpr int XNU_KERN_OSVERSION = 65;
constexpr int XNU_KERN_SAFEBOOT = 66;
constexpr int XNU_KERN_RAGEVNODE = 68;
constexpr int XNU_KERN_TTY = 69;
constexpr int XNU_KERN_CHECKOPENEVT = 70;
constexpr int XNU_KERN_THREADNAME = 71;
constexpr int XNU_KERN_MAXID = 72;

// Third level of {CTL_KERN, KERN_PROC, ...}
constexpr int XNU_KERN_PROC_ALL = 0;
constexpr int XNU_KERN_PROC_PID = 1;
constexpr int XNU_KERN_PROC_PGRP = 2;
constexpr int XNU_KERN_PROC_SESSION = 3;
constexpr int XNU_KERN_PROC_TTY = 4;
constexpr int XNU_KERN_PROC_UID = 5;
constexpr int XNU_KERN_PROC_RUID = 6;
constexpr int XNU_KERN_PROC_LCID = 7;

// CTL_VM
constexpr int XNU_VM_METER = 1;
constexpr int XNU_VM_LOADAVG = 2;
constexpr int XNU_VM_MACHFACTOR = 4;
constexpr int XNU_VM_SWAPUSAGE = 5;
constexpr int XNU_VM_MAXID = 6;

// CTL_HW
constexpr int XNU_HW_MACHINE = 1;
constexpr int XNU_HW_MODEL = 2;
constexpr int XNU_HW_NCPU = 3;
constexpr int XNU_HW_BYTEORDER = 4;
constexpr int XNU_HW_PHYSMEM = 5;
constexpr int XNU_HW_USERMEM = 6;
constexpr int XNU_HW_PAGESIZE = 7;
constexpr int XNU_HW_DISKNAMES = 8;
constexpr int XNU_HW_DISKSTATS = 9;
constexpr int XNU_HW_EPOCH = 10;
constexpr int XNU_HW_FLOATINGPT = 11;
constexpr int XNU_HW_MACHINE_ARCH = 12;
constexpr int XNU_HW_VECTORUNIT = 13;
constexpr int XNU_HW_BUS_FREQ = 14;
constexpr int XNU_HW_CPU_FREQ = 15;
constexpr int XNU_HW_CACHELINE = 16;
constexpr int XNU_HW_L1ICACHESIZE = 17;
constexpr int XNU_HW_L1DCACHESIZE = 18;
constexpr int XNU_HW_L2SETTINGS = 19;
constexpr int XNU_HW_L2CACHESIZE = 20;
constexpr int XNU_HW_L3SETTINGS = 21;
constexpr int XNU_HW_L3CACHESIZE = 22;
constexpr int XNU_HW_TB_FREQ = 23;
constexpr int XNU_HW_MEMSIZE = 24;  // uint64_t, unlike the int-sized HW_PHYSMEM
constexpr int XNU_HW_AVAILCPU = 25;
constexpr int XNU_HW_TARGET = 26;
constexpr int XNU_HW_PRODUCT = 27;
constexpr int XNU_HW_MAXID = 28;

// CTL_USER
constexpr int XNU_USER_CS_PATH = 1;
constexpr int XNU_USER_BC_BASE_MAX = 2;
constexpr int XNU_USER_BC_DIM_MAX = 3;
constexpr int XNU_USER_BC_SCALE_MAX = 4;
constexpr int XNU_USER_BC_STRING_MAX = 5;
constexpr int XNU_USER_COLL_WEIGHTS_MAX = 6;
constexpr int XNU_USER_EXPR_NEST_MAX = 7;
constexpr int XNU_USER_LINE_MAX = 8;
constexpr int XNU_USER_RE_DUP_MAX = 9;
constexpr int XNU_USER_POSIX2_VERSION = 10;
constexpr int XNU_USER_POSIX2_C_BIND = 11;
constexpr int XNU_USER_POSIX2_C_DEV = 12;
constexpr int XNU_USER_POSIX2_CHAR_TERM = 13;
constexpr int XNU_USER_POSIX2_FORT_DEV = 14;
constexpr int XNU_USER_POSIX2_FORT_RUN = 15;
constexpr int XNU_USER_POSIX2_LOCALEDEF = 16;
constexpr int XNU_USER_POSIX2_SW_DEV = 17;
constexpr int XNU_USER_POSIX2_UPE = 18;
constexpr int XNU_USER_STREAM_MAX = 19;
constexpr int XNU_USER_TZNAME_MAX = 20;
constexpr int XNU_USER_MAXID = 21;

// ---------------------------------------------------------------------------------------------------------
// struct kinfo_proc, as returned by {CTL_KERN, KERN_PROC, ...} to a 64-bit process
// (xnu bsd/sys/sysctl.h, bsd/sys/proc.h, bsd/sys/ucred.h, bsd/sys/vm.h). Kernel pointers are 8-byte
// fields; the kernel leaves nearly all of them zero for user copies.
// ---------------------------------------------------------------------------------------------------------
// p_stat values (bsd/sys/proc.h)
constexpr char XNU_SIDL = 1;
constexpr char XNU_SRUN = 2;
constexpr char XNU_SSLEEP = 3;
constexpr char XNU_SSTOP = 4;
constexpr char XNU_SZOMB = 5;

// p_flag bits (bsd/sys/proc.h)
constexpr std::int32_t XNU_P_ADVLOCK = 0x00000001;
constexpr std::int32_t XNU_P_CONTROLT = 0x00000002;
constexpr std::int32_t XNU_P_LP64 = 0x00000004;
constexpr std::int32_t XNU_P_NOCLDSTOP = 0x00000008;
constexpr std::int32_t XNU_P_PPWAIT = 0x00000010;
constexpr std::int32_t XNU_P_PROFIL = 0x00000020;
constexpr std::int32_t XNU_P_SELECT = 0x00000040;
constexpr std::int32_t XNU_P_CONTINUED = 0x00000080;
constexpr std::int32_t XNU_P_SUGID = 0x00000100;
constexpr std::int32_t XNU_P_SYSTEM = 0x00000200;
constexpr std::int32_t XNU_P_TIMEOUT = 0x00000400;
constexpr std::int32_t XNU_P_TRACED = 0x00000800;
constexpr std::int32_t XNU_P_WEXIT = 0x00002000;
constexpr std::int32_t XNU_P_EXEC = 0x00004000;
constexpr std::int32_t XNU_P_THCWD = 0x01000000;
constexpr std::int32_t XNU_P_NOCLDWAIT = 0x40000000;

// e_flag bits (bsd/sys/sysctl.h)
constexpr std::int32_t XNU_EPROC_CTTY = 0x01;
constexpr std::int32_t XNU_EPROC_SLEADER = 0x02;

constexpr int XNU_WMESGLEN = 7;
constexpr int XNU_COMAPT_MAXLOGNAME = 12;  // sic: xnu's spelling

struct extern_proc {
    // The SDK names this union p_un and reaches into it with macros (p_starttime, p_forw); an anonymous
    // union gives the same spelling, kp_proc.p_starttime.
    union {
        struct {
            user_addr_t p_forw;
            user_addr_t p_back;
        } p_st1;
        timeval p_starttime;  // the part user space reads: process start time
    };
    user_addr_t p_vmspace;
    user_addr_t p_sigacts;
    std::int32_t p_flag;
    char p_stat;
    char pad0_[3];
    pid_t p_pid;
    pid_t p_oppid;
    std::int32_t p_dupfd;
    std::int32_t pad1_;
    user_addr_t user_stack;
    user_addr_t exit_thread;
    std::int32_t p_debugger;
    std::int32_t sigwait;  // boolean_t
    std::uint32_t p_estcpu;
    std::int32_t p_cpticks;
    fixpt_t p_pctcpu;
    std::int32_t pad2_;
    user_addr_t p_wchan;
    user_addr_t p_wmesg;
    std::uint32_t p_swtime;
    std::uint32_t p_slptime;
    itimerval p_realtimer;
    timeval p_rtime;
    std::uint64_t p_uticks;
    std::uint64_t p_sticks;
    std::uint64_t p_iticks;
    std::int32_t p_traceflag;
    std::int32_t pad3_;
    user_addr_t p_tracep;
    std::int32_t p_siglist;
    std::int32_t pad4_;
    user_addr_t p_textvp;
    std::int32_t p_holdcnt;
    sigset_t p_sigmask;
    sigset_t p_sigignore;
    sigset_t p_sigcatch;
    std::uint8_t p_priority;
    std::uint8_t p_usrpri;
    char p_nice;
    char p_comm[XNU_MAXCOMLEN + 1];
    char pad5_[4];
    user_addr_t p_pgrp;
    user_addr_t p_addr;
    std::uint16_t p_xstat;
    std::uint16_t p_acflag;
    std::int32_t pad6_;
    user_addr_t p_ru;
};
static_assert(sizeof(extern_proc) == 296);
static_assert(offsetof(extern_proc, p_st1) == 0);
static_assert(offsetof(extern_proc, p_starttime) == 0);
static_assert(offsetof(extern_proc, p_vmspace) == 16);
static_assert(offsetof(extern_proc, p_sigacts) == 24);
static_assert(offsetof(extern_proc, p_flag) == 32);
static_assert(offsetof(extern_proc, p_stat) == 36);
static_assert(offsetof(extern_proc, p_pid) == 40);
static_assert(offsetof(extern_proc, p_oppid) == 44);
static_assert(offsetof(extern_proc, p_dupfd) == 48);
static_assert(offsetof(extern_proc, user_stack) == 56);
static_assert(offsetof(extern_proc, exit_thread) == 64);
static_assert(offsetof(extern_proc, p_debugger) == 72);
static_assert(offsetof(extern_proc, sigwait) == 76);
static_assert(offsetof(extern_proc, p_estcpu) == 80);
static_assert(offsetof(extern_proc, p_cpticks) == 84);
static_assert(offsetof(extern_proc, p_pctcpu) == 88);
static_assert(offsetof(extern_proc, p_wchan) == 96);
static_assert(offsetof(extern_proc, p_wmesg) == 104);
static_assert(offsetof(extern_proc, p_swtime) == 112);
static_assert(offsetof(extern_proc, p_slptime) == 116);
static_assert(offsetof(extern_proc, p_realtimer) == 120);
static_assert(offsetof(extern_proc, p_rtime) == 152);
static_assert(offsetof(extern_proc, p_uticks) == 168);
static_assert(offsetof(extern_proc, p_sticks) == 176);
static_assert(offsetof(extern_proc, p_iticks) == 184);
static_assert(offsetof(extern_proc, p_traceflag) == 192);
static_assert(offsetof(extern_proc, p_tracep) == 200);
static_assert(offsetof(extern_proc, p_siglist) == 208);
static_assert(offsetof(extern_proc, p_textvp) == 216);
static_assert(offsetof(extern_proc, p_holdcnt) == 224);
static_assert(offsetof(extern_proc, p_sigmask) == 228);
static_assert(offsetof(extern_proc, p_sigignore) == 232);
static_assert(offsetof(extern_proc, p_sigcatch) == 236);
static_assert(offsetof(extern_proc, p_priority) == 240);
static_assert(offsetof(extern_proc, p_usrpri) == 241);
static_assert(offsetof(extern_proc, p_nice) == 242);
static_assert(offsetof(extern_proc, p_comm) == 243);
static_assert(offsetof(extern_proc, p_pgrp) == 264);
static_assert(offsetof(extern_proc, p_addr) == 272);
static_assert(offsetof(extern_proc, p_xstat) == 280);
static_assert(offsetof(extern_proc, p_acflag) == 282);
static_assert(offsetof(extern_proc, p_ru) == 288);

// Process credentials as exported (bsd/sys/sysctl.h `struct _pcred`)
struct pcred {
    char pc_lock[72];  // opaque
    user_addr_t pc_ucred;
    uid_t p_ruid;
    uid_t p_svuid;
    gid_t p_rgid;
    gid_t p_svgid;
    std::int32_t p_refcnt;
    std::int32_t pad_;
};
static_assert(sizeof(pcred) == 104);
static_assert(offsetof(pcred, pc_lock) == 0);
static_assert(offsetof(pcred, pc_ucred) == 72);
static_assert(offsetof(pcred, p_ruid) == 80);
static_assert(offsetof(pcred, p_svuid) == 84);
static_assert(offsetof(pcred, p_rgid) == 88);
static_assert(offsetof(pcred, p_svgid) == 92);
static_assert(offsetof(pcred, p_refcnt) == 96);

// bsd/sys/sysctl.h `struct _ucred`
struct ucred {
    std::int32_t cr_ref;
    uid_t cr_uid;  // effective uid
    std::int16_t cr_ngroups;
    std::int16_t pad_;
    gid_t cr_groups[XNU_NGROUPS];
};
static_assert(sizeof(ucred) == 76);
static_assert(offsetof(ucred, cr_ref) == 0);
static_assert(offsetof(ucred, cr_uid) == 4);
static_assert(offsetof(ucred, cr_ngroups) == 8);
static_assert(offsetof(ucred, cr_groups) == 12);

// bsd/sys/vm.h: placeholder contents only
struct vmspace {
    std::int32_t dummy;
    std::int32_t pad0_;
    user_addr_t dummy2;
    std::int32_t dummy3[5];
    std::int32_t pad1_;
    user_addr_t dummy4[3];
};
static_assert(sizeof(vmspace) == 64);
static_assert(offsetof(vmspace, dummy) == 0);
static_assert(offsetof(vmspace, dummy2) == 8);
static_assert(offsetof(vmspace, dummy3) == 16);
static_assert(offsetof(vmspace, dummy4) == 40);

struct eproc {
    user_addr_t e_paddr;
    user_addr_t e_sess;
    pcred e_pcred;
    ucred e_ucred;
    std::int32_t pad0_;
    vmspace e_vm;
    pid_t e_ppid;
    pid_t e_pgid;
    std::int16_t e_jobc;
    std::int16_t pad1_;
    dev_t e_tdev;  // controlling tty, XNU dev_t encoding; -1 (NODEV) when none
    pid_t e_tpgid;
    std::int32_t pad2_;
    user_addr_t e_tsess;
    char e_wmesg[XNU_WMESGLEN + 1];
    segsz_t e_xsize;
    std::int16_t e_xrssize;
    std::int16_t e_xccount;
    std::int16_t e_xswrss;
    std::int16_t pad3_;
    std::int32_t e_flag;
    char e_login[XNU_COMAPT_MAXLOGNAME];
    std::int32_t e_spare[4];
    std::int32_t pad4_;
};
static_assert(sizeof(eproc) == 352);
static_assert(offsetof(eproc, e_paddr) == 0);
static_assert(offsetof(eproc, e_sess) == 8);
static_assert(offsetof(eproc, e_pcred) == 16);
static_assert(offsetof(eproc, e_ucred) == 120);
static_assert(offsetof(eproc, e_vm) == 200);
static_assert(offsetof(eproc, e_ppid) == 264);
static_assert(offsetof(eproc, e_pgid) == 268);
static_assert(offsetof(eproc, e_jobc) == 272);
static_assert(offsetof(eproc, e_tdev) == 276);
static_assert(offsetof(eproc, e_tpgid) == 280);
static_assert(offsetof(eproc, e_tsess) == 288);
static_assert(offsetof(eproc, e_wmesg) == 296);
static_assert(offsetof(eproc, e_xsize) == 304);
static_assert(offsetof(eproc, e_xrssize) == 308);
static_assert(offsetof(eproc, e_xccount) == 310);
static_assert(offsetof(eproc, e_xswrss) == 312);
static_assert(offsetof(eproc, e_flag) == 316);
static_assert(offsetof(eproc, e_login) == 320);
static_assert(offsetof(eproc, e_spare) == 332);

struct kinfo_proc {
    extern_proc kp_proc;
    eproc kp_eproc;
};
static_assert(sizeof(kinfo_proc) == 648);
static_assert(offsetof(kinfo_proc, kp_proc) == 0);
static_assert(offsetof(kinfo_proc, kp_eproc) == 296);
static_assert(offsetof(kinfo_proc, kp_proc.p_pid) == 40);
static_assert(offsetof(kinfo_proc, kp_proc.p_stat) == 36);
static_assert(offsetof(kinfo_proc, kp_proc.p_flag) == 32);
static_assert(offsetof(kinfo_proc, kp_proc.p_comm) == 243);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ppid) == 560);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pgid) == 564);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pcred.p_ruid) == 392);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pcred.p_svuid) == 396);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pcred.p_rgid) == 400);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ucred.cr_uid) == 420);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ucred.cr_ngroups) == 424);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ucred.cr_groups) == 428);
static_assert(offsetof(kinfo_proc, kp_eproc.e_tdev) == 572);
static_assert(offsetof(kinfo_proc, kp_eproc.e_tpgid) == 576);
static_assert(offsetof(kinfo_proc, kp_eproc.e_flag) == 612);

// ---------------------------------------------------------------------------------------------------------
// proc_info (syscall 336) (xnu bsd/sys/proc_info.h, bsd/sys/proc_info_private.h)
// ---------------------------------------------------------------------------------------------------------
// callnum (first argument)
constexpr int XNU_PROC_INFO_CALL_LISTPIDS = 0x1;
constexpr int XNU_PROC_INFO_CALL_PIDINFO = 0x2;
constexpr int XNU_PROC_INFO_CALL_PIDFDINFO = 0x3;
constexpr int XNU_PROC_INFO_CALL_KERNMSGBUF = 0x4;
constexpr int XNU_PROC_INFO_CALL_SETCONTROL = 0x5;
constexpr int XNU_PROC_INFO_CALL_PIDFILEPORTINFO = 0x6;
constexpr int XNU_PROC_INFO_CALL_TERMINATE = 0x7;
constexpr int XNU_PROC_INFO_CALL_DIRTYCONTROL = 0x8;
constexpr int XNU_PROC_INFO_CALL_PIDRUSAGE = 0x9;
constexpr int XNU_PROC_INFO_CALL_PIDORIGINATORINFO = 0xa;
constexpr int XNU_PROC_INFO_CALL_LISTCOALITIONS = 0xb;
constexpr int XNU_PROC_INFO_CALL_CANUSEFGHW = 0xc;
constexpr int XNU_PROC_INFO_CALL_PIDDYNKQUEUEINFO = 0xd;
constexpr int XNU_PROC_INFO_CALL_UDATA_INFO = 0xe;
constexpr int XNU_PROC_INFO_CALL_SET_DYLD_IMAGES = 0xf;
constexpr int XNU_PROC_INFO_CALL_TERMINATE_RSR = 0x10;
constexpr int XNU_PROC_INFO_CALL_SIGNAL_AUDITTOKEN = 0x11;
constexpr int XNU_PROC_INFO_CALL_TERMINATE_AUDITTOKEN = 0x12;
constexpr int XNU_PROC_INFO_CALL_DELEGATE_SIGNAL = 0x13;
constexpr int XNU_PROC_INFO_CALL_DELEGATE_TERMINATE = 0x14;

// LISTPIDS filter types
constexpr int XNU_PROC_ALL_PIDS = 1;
constexpr int XNU_PROC_PGRP_ONLY = 2;
constexpr int XNU_PROC_TTY_ONLY = 3;
constexpr int XNU_PROC_UID_ONLY = 4;
constexpr int XNU_PROC_RUID_ONLY = 5;
constexpr int XNU_PROC_PPID_ONLY = 6;
constexpr int XNU_PROC_KDBG_ONLY = 7;

// PIDINFO flavors
constexpr int XNU_PROC_PIDLISTFDS = 1;
constexpr int XNU_PROC_PIDTASKALLINFO = 2;
constexpr int XNU_PROC_PIDTBSDINFO = 3;
constexpr int XNU_PROC_PIDTASKINFO = 4;
constexpr int XNU_PROC_PIDTHREADINFO = 5;
constexpr int XNU_PROC_PIDLISTTHREADS = 6;
constexpr int XNU_PROC_PIDREGIONINFO = 7;
constexpr int XNU_PROC_PIDREGIONPATHINFO = 8;
constexpr int XNU_PROC_PIDVNODEPATHINFO = 9;
constexpr int XNU_PROC_PIDTHREADPATHINFO = 10;
constexpr int XNU_PROC_PIDPATHINFO = 11;
constexpr int XNU_PROC_PIDWORKQUEUEINFO = 12;
constexpr int XNU_PROC_PIDT_SHORTBSDINFO = 13;
constexpr int XNU_PROC_PIDLISTFILEPORTS = 14;
constexpr int XNU_PROC_PIDTHREADID64INFO = 15;
constexpr int XNU_PROC_PID_RUSAGE = 16;
constexpr int XNU_PROC_PIDPATHINFO_SIZE = XNU_MAXPATHLEN;
constexpr int XNU_PROC_PIDPATHINFO_MAXSIZE = 4 * XNU_MAXPATHLEN;

// PIDFDINFO flavors
constexpr int XNU_PROC_PIDFDVNODEINFO = 1;
constexpr int XNU_PROC_PIDFDVNODEPATHINFO = 2;
constexpr int XNU_PROC_PIDFDSOCKETINFO = 3;
constexpr int XNU_PROC_PIDFDPSEMINFO = 4;
constexpr int XNU_PROC_PIDFDPSHMINFO = 5;
constexpr int XNU_PROC_PIDFDPIPEINFO = 6;
constexpr int XNU_PROC_PIDFDKQUEUEINFO = 7;
constexpr int XNU_PROC_PIDFDATALKINFO = 8;
constexpr int XNU_PROC_PIDFDCHANNELINFO = 10;

// proc_fdinfo.proc_fdtype
constexpr std::uint32_t XNU_PROX_FDTYPE_ATALK = 0;
constexpr std::uint32_t XNU_PROX_FDTYPE_VNODE = 1;
constexpr std::uint32_t XNU_PROX_FDTYPE_SOCKET = 2;
constexpr std::uint32_t XNU_PROX_FDTYPE_PSHM = 3;
constexpr std::uint32_t XNU_PROX_FDTYPE_PSEM = 4;
constexpr std::uint32_t XNU_PROX_FDTYPE_KQUEUE = 5;
constexpr std::uint32_t XNU_PROX_FDTYPE_PIPE = 6;
constexpr std::uint32_t XNU_PROX_FDTYPE_FSEVENTS = 7;
constexpr std::uint32_t XNU_PROX_FDTYPE_NETPOLICY = 9;
constexpr std::uint32_t XNU_PROX_FDTYPE_CHANNEL = 10;
constexpr std::uint32_t XNU_PROX_FDTYPE_NEXUS = 11;

// proc_bsdinfo.pbi_flags
constexpr std::uint32_t XNU_PROC_FLAG_SYSTEM = 0x1;
constexpr std::uint32_t XNU_PROC_FLAG_TRACED = 0x2;
constexpr std::uint32_t XNU_PROC_FLAG_INEXIT = 0x4;
constexpr std::uint32_t XNU_PROC_FLAG_PPWAIT = 0x8;
constexpr std::uint32_t XNU_PROC_FLAG_LP64 = 0x10;
constexpr std::uint32_t XNU_PROC_FLAG_SLEADER = 0x20;
constexpr std::uint32_t XNU_PROC_FLAG_CTTY = 0x40;
constexpr std::uint32_t XNU_PROC_FLAG_CONTROLT = 0x80;
constexpr std::uint32_t XNU_PROC_FLAG_THCWD = 0x100;
constexpr std::uint32_t XNU_PROC_FLAG_PSUGID = 0x2000;
constexpr std::uint32_t XNU_PROC_FLAG_EXEC = 0x4000;

struct proc_bsdinfo {
    std::uint32_t pbi_flags;
    std::uint32_t pbi_status;  // p_stat value (SRUN...)
    std::uint32_t pbi_xstatus;
    std::uint32_t pbi_pid;
    std::uint32_t pbi_ppid;
    uid_t pbi_uid;
    gid_t pbi_gid;
    uid_t pbi_ruid;
    gid_t pbi_rgid;
    uid_t pbi_svuid;
    gid_t pbi_svgid;
    std::uint32_t rfu_1;
    char pbi_comm[XNU_MAXCOMLEN];      // not necessarily NUL-terminated
    char pbi_name[2 * XNU_MAXCOMLEN];  // empty unless a longer name was set
    std::uint32_t pbi_nfiles;
    std::uint32_t pbi_pgid;
    std::uint32_t pbi_pjobc;
    std::uint32_t e_tdev;
    std::uint32_t e_tpgid;
    std::int32_t pbi_nice;
    std::uint64_t pbi_start_tvsec;
    std::uint64_t pbi_start_tvusec;
};
static_assert(sizeof(proc_bsdinfo) == 136);
static_assert(offsetof(proc_bsdinfo, pbi_flags) == 0);
static_assert(offsetof(proc_bsdinfo, pbi_status) == 4);
static_assert(offsetof(proc_bsdinfo, pbi_xstatus) == 8);
static_assert(offsetof(proc_bsdinfo, pbi_pid) == 12);
static_assert(offsetof(proc_bsdinfo, pbi_ppid) == 16);
static_assert(offsetof(proc_bsdinfo, pbi_uid) == 20);
static_assert(offsetof(proc_bsdinfo, pbi_gid) == 24);
static_assert(offsetof(proc_bsdinfo, pbi_ruid) == 28);
static_assert(offsetof(proc_bsdinfo, pbi_rgid) == 32);
static_assert(offsetof(proc_bsdinfo, pbi_svuid) == 36);
static_assert(offsetof(proc_bsdinfo, pbi_svgid) == 40);
static_assert(offsetof(proc_bsdinfo, rfu_1) == 44);
static_assert(offsetof(proc_bsdinfo, pbi_comm) == 48);
static_assert(offsetof(proc_bsdinfo, pbi_name) == 64);
static_assert(offsetof(proc_bsdinfo, pbi_nfiles) == 96);
static_assert(offsetof(proc_bsdinfo, pbi_pgid) == 100);
static_assert(offsetof(proc_bsdinfo, pbi_pjobc) == 104);
static_assert(offsetof(proc_bsdinfo, e_tdev) == 108);
static_assert(offsetof(proc_bsdinfo, e_tpgid) == 112);
static_assert(offsetof(proc_bsdinfo, pbi_nice) == 116);
static_assert(offsetof(proc_bsdinfo, pbi_start_tvsec) == 120);
static_assert(offsetof(proc_bsdinfo, pbi_start_tvusec) == 128);

struct proc_bsdshortinfo {
    std::uint32_t pbsi_pid;
    std::uint32_t pbsi_ppid;
    std::uint32_t pbsi_pgid;
    std::uint32_t pbsi_status;
    char pbsi_comm[XNU_MAXCOMLEN];
    std::uint32_t pbsi_flags;
    uid_t pbsi_uid;
    gid_t pbsi_gid;
    uid_t pbsi_ruid;
    gid_t pbsi_rgid;
    uid_t pbsi_svuid;
    gid_t pbsi_svgid;
    std::uint32_t pbsi_rfu;
};
static_assert(sizeof(proc_bsdshortinfo) == 64);
static_assert(offsetof(proc_bsdshortinfo, pbsi_pid) == 0);
static_assert(offsetof(proc_bsdshortinfo, pbsi_ppid) == 4);
static_assert(offsetof(proc_bsdshortinfo, pbsi_pgid) == 8);
static_assert(offsetof(proc_bsdshortinfo, pbsi_status) == 12);
static_assert(offsetof(proc_bsdshortinfo, pbsi_comm) == 16);
static_assert(offsetof(proc_bsdshortinfo, pbsi_flags) == 32);
static_assert(offsetof(proc_bsdshortinfo, pbsi_uid) == 36);
static_assert(offsetof(proc_bsdshortinfo, pbsi_gid) == 40);
static_assert(offsetof(proc_bsdshortinfo, pbsi_ruid) == 44);
static_assert(offsetof(proc_bsdshortinfo, pbsi_rgid) == 48);
static_assert(offsetof(proc_bsdshortinfo, pbsi_svuid) == 52);
static_assert(offsetof(proc_bsdshortinfo, pbsi_svgid) == 56);
static_assert(offsetof(proc_bsdshortinfo, pbsi_rfu) == 60);

struct proc_taskinfo {
    std::uint64_t pti_virtual_size;
    std::uint64_t pti_resident_size;
    std::uint64_t pti_total_user;  // nanoseconds (mach absolute time units on arm64)
    std::uint64_t pti_total_system;
    std::uint64_t pti_threads_user;
    std::uint64_t pti_threads_system;
    std::int32_t pti_policy;
    std::int32_t pti_faults;
    std::int32_t pti_pageins;
    std::int32_t pti_cow_faults;
    std::int32_t pti_messages_sent;
    std::int32_t pti_messages_received;
    std::int32_t pti_syscalls_mach;
    std::int32_t pti_syscalls_unix;
    std::int32_t pti_csw;
    std::int32_t pti_threadnum;
    std::int32_t pti_numrunning;
    std::int32_t pti_priority;
};
static_assert(sizeof(proc_taskinfo) == 96);
static_assert(offsetof(proc_taskinfo, pti_virtual_size) == 0);
static_assert(offsetof(proc_taskinfo, pti_resident_size) == 8);
static_assert(offsetof(proc_taskinfo, pti_total_user) == 16);
static_assert(offsetof(proc_taskinfo, pti_total_system) == 24);
static_assert(offsetof(proc_taskinfo, pti_threads_user) == 32);
static_assert(offsetof(proc_taskinfo, pti_threads_system) == 40);
static_assert(offsetof(proc_taskinfo, pti_policy) == 48);
static_assert(offsetof(proc_taskinfo, pti_faults) == 52);
static_assert(offsetof(proc_taskinfo, pti_pageins) == 56);
static_assert(offsetof(proc_taskinfo, pti_cow_faults) == 60);
static_assert(offsetof(proc_taskinfo, pti_messages_sent) == 64);
static_assert(offsetof(proc_taskinfo, pti_messages_received) == 68);
static_assert(offsetof(proc_taskinfo, pti_syscalls_mach) == 72);
static_assert(offsetof(proc_taskinfo, pti_syscalls_unix) == 76);
static_assert(offsetof(proc_taskinfo, pti_csw) == 80);
static_assert(offsetof(proc_taskinfo, pti_threadnum) == 84);
static_assert(offsetof(proc_taskinfo, pti_numrunning) == 88);
static_assert(offsetof(proc_taskinfo, pti_priority) == 92);

struct proc_taskallinfo {
    proc_bsdinfo pbsd;
    proc_taskinfo ptinfo;
};
static_assert(sizeof(proc_taskallinfo) == 232);
static_assert(offsetof(proc_taskallinfo, pbsd) == 0);
static_assert(offsetof(proc_taskallinfo, ptinfo) == 136);

// One PROC_PIDLISTFDS record
struct proc_fdinfo {
    std::int32_t proc_fd;
    std::uint32_t proc_fdtype;  // PROX_FDTYPE_*
};
static_assert(sizeof(proc_fdinfo) == 8);
static_assert(offsetof(proc_fdinfo, proc_fd) == 0);
static_assert(offsetof(proc_fdinfo, proc_fdtype) == 4);

// ---------------------------------------------------------------------------------------------------------
// csops (syscall 169) (xnu bsd/sys/codesign.h, osfmk/kern/cs_blobs.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_CS_OPS_STATUS = 0;
constexpr int XNU_CS_OPS_MARKINVALID = 1;
constexpr int XNU_CS_OPS_MARKHARD = 2;
constexpr int XNU_CS_OPS_MARKKILL = 3;
// 4 was CS_OPS_PIDPATH
constexpr int XNU_CS_OPS_CDHASH = 5;
constexpr int XNU_CS_OPS_PIDOFFSET = 6;
constexpr int XNU_CS_OPS_ENTITLEMENTS_BLOB = 7;
constexpr int XNU_CS_OPS_MARKRESTRICT = 8;
constexpr int XNU_CS_OPS_SET_STATUS = 9;
constexpr int XNU_CS_OPS_BLOB = 10;
constexpr int XNU_CS_OPS_IDENTITY = 11;
constexpr int XNU_CS_OPS_CLEARINSTALLER = 12;
constexpr int XNU_CS_OPS_CLEARPLATFORM = 13;
constexpr int XNU_CS_OPS_TEAMID = 14;
constexpr int XNU_CS_OPS_CLEAR_LV = 15;
constexpr int XNU_CS_OPS_DER_ENTITLEMENTS_BLOB = 16;
constexpr int XNU_CS_OPS_VALIDATION_CATEGORY = 17;
constexpr int XNU_CS_MAX_TEAMID_LEN = 64;
constexpr int XNU_CS_CDHASH_LEN = 20;  // CS_OPS_CDHASH answer size

// Code-signing status flags (CS_OPS_STATUS result)
constexpr std::uint32_t XNU_CS_VALID = 0x00000001;
constexpr std::uint32_t XNU_CS_ADHOC = 0x00000002;
constexpr std::uint32_t XNU_CS_GET_TASK_ALLOW = 0x00000004;
constexpr std::uint32_t XNU_CS_INSTALLER = 0x00000008;
constexpr std::uint32_t XNU_CS_FORCED_LV = 0x00000010;
constexpr std::uint32_t XNU_CS_INVALID_ALLOWED = 0x00000020;
constexpr std::uint32_t XNU_CS_HARD = 0x00000100;
constexpr std::uint32_t XNU_CS_KILL = 0x00000200;
constexpr std::uint32_t XNU_CS_CHECK_EXPIRATION = 0x00000400;
constexpr std::uint32_t XNU_CS_RESTRICT = 0x00000800;
constexpr std::uint32_t XNU_CS_ENFORCEMENT = 0x00001000;
constexpr std::uint32_t XNU_CS_REQUIRE_LV = 0x00002000;
constexpr std::uint32_t XNU_CS_ENTITLEMENTS_VALIDATED = 0x00004000;
constexpr std::uint32_t XNU_CS_NVRAM_UNRESTRICTED = 0x00008000;
constexpr std::uint32_t XNU_CS_RUNTIME = 0x00010000;
constexpr std::uint32_t XNU_CS_LINKER_SIGNED = 0x00020000;
constexpr std::uint32_t XNU_CS_EXEC_SET_HARD = 0x00100000;
constexpr std::uint32_t XNU_CS_EXEC_SET_KILL = 0x00200000;
constexpr std::uint32_t XNU_CS_EXEC_SET_ENFORCEMENT = 0x00400000;
constexpr std::uint32_t XNU_CS_EXEC_INHERIT_SIP = 0x00800000;
constexpr std::uint32_t XNU_CS_KILLED = 0x01000000;
constexpr std::uint32_t XNU_CS_NO_UNTRUSTED_HELPERS = 0x02000000;
constexpr std::uint32_t XNU_CS_PLATFORM_BINARY = 0x04000000;
constexpr std::uint32_t XNU_CS_PLATFORM_PATH = 0x08000000;
constexpr std::uint32_t XNU_CS_DEBUGGED = 0x10000000;
constexpr std::uint32_t XNU_CS_SIGNED = 0x20000000;
constexpr std::uint32_t XNU_CS_DEV_CODE = 0x40000000;
constexpr std::uint32_t XNU_CS_DATAVAULT_CONTROLLER = 0x80000000;

// ---------------------------------------------------------------------------------------------------------
// File system calls: file flags, utimensat, statfs, pathconf, setattrlist (xnu bsd/sys/stat.h,
// bsd/sys/mount.h, bsd/sys/unistd.h, bsd/sys/syslimits.h, bsd/sys/attr.h, bsd/sys/attr_private.h,
// bsd/sys/kauth.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_ALLPERMS = 07777;     // mode bits chmod/mknod/mkfifo keep (S_ISUID|S_ISGID|S_ISTXT|0777)
constexpr int XNU_ACCESSPERMS = 0777;   // mode bits mkdir/symlink keep

// st_flags bits not listed with stat above
constexpr std::uint32_t XNU_UF_SETTABLE = 0x0000ffff;  // the owner may change these
constexpr std::uint32_t XNU_UF_OPAQUE = 0x00000008;
constexpr std::uint32_t XNU_UF_COMPRESSED = 0x00000020;
constexpr std::uint32_t XNU_UF_TRACKED = 0x00000040;
constexpr std::uint32_t XNU_UF_DATAVAULT = 0x00000080;
constexpr std::uint32_t XNU_SF_SETTABLE = 0x3fff0000;  // only the superuser may change these
constexpr std::uint32_t XNU_SF_SYNTHETIC = 0xc0000000; // read-only; chflags drops them (vnode_authattr)
constexpr std::uint32_t XNU_SF_ARCHIVED = 0x00010000;
constexpr std::uint32_t XNU_SF_RESTRICTED = 0x00080000;
constexpr std::uint32_t XNU_SF_NOUNLINK = 0x00100000;
constexpr std::uint32_t XNU_SF_FIRMLINK = 0x00800000;
constexpr std::uint32_t XNU_SF_DATALESS = 0x40000000;

// utimensat/futimens special tv_nsec values. libc resolves them before it calls setattrlistat/fsetattrlist
// (xnu libsyscall/wrappers/utimensat.c), so the kernel never sees them. Linux uses (1 << 30) - 1 and - 2.
constexpr long XNU_UTIME_NOW = -1;
constexpr long XNU_UTIME_OMIT = -2;

// Limits pathconf reports (bsd/sys/syslimits.h) and the POSIX option values it answers with.
constexpr int XNU_LINK_MAX = 32767;
constexpr int XNU_MAX_CANON = 1024;
constexpr int XNU_MAX_INPUT = 1024;
constexpr int XNU_NAME_MAX = 255;
constexpr int XNU_PIPE_BUF = 512;
constexpr int XNU_POSIX_VERSION_200112 = 200112;  // _POSIX_CHOWN_RESTRICTED, _POSIX_NO_TRUNC

// pathconf/fpathconf names (bsd/sys/unistd.h)
constexpr int XNU_PC_LINK_MAX = 1;
constexpr int XNU_PC_MAX_CANON = 2;
constexpr int XNU_PC_MAX_INPUT = 3;
constexpr int XNU_PC_NAME_MAX = 4;
constexpr int XNU_PC_PATH_MAX = 5;
constexpr int XNU_PC_PIPE_BUF = 6;
constexpr int XNU_PC_CHOWN_RESTRICTED = 7;
constexpr int XNU_PC_NO_TRUNC = 8;
constexpr int XNU_PC_VDISABLE = 9;
constexpr int XNU_PC_NAME_CHARS_MAX = 10;
constexpr int XNU_PC_CASE_SENSITIVE = 11;
constexpr int XNU_PC_CASE_PRESERVING = 12;
constexpr int XNU_PC_EXTENDED_SECURITY_NP = 13;
constexpr int XNU_PC_AUTH_OPAQUE_NP = 14;
constexpr int XNU_PC_2_SYMLINKS = 15;
constexpr int XNU_PC_ALLOC_SIZE_MIN = 16;
constexpr int XNU_PC_ASYNC_IO = 17;
constexpr int XNU_PC_FILESIZEBITS = 18;
constexpr int XNU_PC_PRIO_IO = 19;
constexpr int XNU_PC_REC_INCR_XFER_SIZE = 20;
constexpr int XNU_PC_REC_MAX_XFER_SIZE = 21;
constexpr int XNU_PC_REC_MIN_XFER_SIZE = 22;
constexpr int XNU_PC_REC_XFER_ALIGN = 23;
constexpr int XNU_PC_SYMLINK_MAX = 24;
constexpr int XNU_PC_SYNC_IO = 25;
constexpr int XNU_PC_XATTR_SIZE_BITS = 26;
constexpr int XNU_PC_MIN_HOLE_SIZE = 27;

// Mount flags in f_flags (bsd/sys/mount.h; MNT_VISFLAGMASK bits) and getfsstat's wait modes.
constexpr std::uint32_t XNU_MNT_RDONLY = 0x00000001;
constexpr std::uint32_t XNU_MNT_SYNCHRONOUS = 0x00000002;
constexpr std::uint32_t XNU_MNT_NOEXEC = 0x00000004;
constexpr std::uint32_t XNU_MNT_NOSUID = 0x00000008;
constexpr std::uint32_t XNU_MNT_NODEV = 0x00000010;
constexpr std::uint32_t XNU_MNT_UNION = 0x00000020;
constexpr std::uint32_t XNU_MNT_ASYNC = 0x00000040;
constexpr std::uint32_t XNU_MNT_CPROTECT = 0x00000080;
constexpr std::uint32_t XNU_MNT_EXPORTED = 0x00000100;
constexpr std::uint32_t XNU_MNT_REMOVABLE = 0x00000200;
constexpr std::uint32_t XNU_MNT_QUARANTINE = 0x00000400;
constexpr std::uint32_t XNU_MNT_LOCAL = 0x00001000;
constexpr std::uint32_t XNU_MNT_QUOTA = 0x00002000;
constexpr std::uint32_t XNU_MNT_ROOTFS = 0x00004000;
constexpr std::uint32_t XNU_MNT_DOVOLFS = 0x00008000;
constexpr std::uint32_t XNU_MNT_DONTBROWSE = 0x00100000;
constexpr std::uint32_t XNU_MNT_IGNORE_OWNERSHIP = 0x00200000;
constexpr std::uint32_t XNU_MNT_AUTOMOUNTED = 0x00400000;
constexpr std::uint32_t XNU_MNT_JOURNALED = 0x00800000;
constexpr std::uint32_t XNU_MNT_NOUSERXATTR = 0x01000000;
constexpr std::uint32_t XNU_MNT_DEFWRITE = 0x02000000;
constexpr std::uint32_t XNU_MNT_MULTILABEL = 0x04000000;
constexpr std::uint32_t XNU_MNT_NOFOLLOW = 0x08000000;
constexpr std::uint32_t XNU_MNT_NOATIME = 0x10000000;
constexpr std::uint32_t XNU_MNT_SNAPSHOT = 0x40000000;
constexpr std::uint32_t XNU_MNT_STRICTATIME = 0x80000000;
constexpr int XNU_MNT_WAIT = 1;
constexpr int XNU_MNT_NOWAIT = 2;
constexpr int XNU_MNT_DWAIT = 4;
constexpr int XNU_MFSTYPENAMELEN = 16;  // f_fstypename, NUL included

struct fsid {
    std::int32_t val[2];
};
static_assert(sizeof(fsid) == 8);

// struct statfs with __DARWIN_64_BIT_INO_T (every x86_64 program's statfs$INODE64) and struct statfs64:
// the one layout of statfs64/fstatfs64/getfsstat64 (345-347). Checked against the macOS 13 SDK header.
struct statfs64 {
    std::uint32_t f_bsize;   // fundamental block size: the unit of f_blocks
    std::int32_t f_iosize;   // optimal transfer size
    std::uint64_t f_blocks;
    std::uint64_t f_bfree;
    std::uint64_t f_bavail;
    std::uint64_t f_files;
    std::uint64_t f_ffree;
    fsid f_fsid;
    uid_t f_owner;
    std::uint32_t f_type;
    std::uint32_t f_flags;
    std::uint32_t f_fssubtype;
    char f_fstypename[XNU_MFSTYPENAMELEN];
    char f_mntonname[XNU_MAXPATHLEN];
    char f_mntfromname[XNU_MAXPATHLEN];
    std::uint32_t f_flags_ext;
    std::uint32_t f_reserved[7];
};
static_assert(sizeof(statfs64) == 2168);
static_assert(offsetof(statfs64, f_bsize) == 0);
static_assert(offsetof(statfs64, f_iosize) == 4);
static_assert(offsetof(statfs64, f_blocks) == 8);
static_assert(offsetof(statfs64, f_bfree) == 16);
static_assert(offsetof(statfs64, f_bavail) == 24);
static_assert(offsetof(statfs64, f_files) == 32);
static_assert(offsetof(statfs64, f_ffree) == 40);
static_assert(offsetof(statfs64, f_fsid) == 48);
static_assert(offsetof(statfs64, f_owner) == 56);
static_assert(offsetof(statfs64, f_type) == 60);
static_assert(offsetof(statfs64, f_flags) == 64);
static_assert(offsetof(statfs64, f_fssubtype) == 68);
static_assert(offsetof(statfs64, f_fstypename) == 72);
static_assert(offsetof(statfs64, f_mntonname) == 88);
static_assert(offsetof(statfs64, f_mntfromname) == 1112);
static_assert(offsetof(statfs64, f_flags_ext) == 2136);
static_assert(offsetof(statfs64, f_reserved) == 2140);

// setattrlist/fsetattrlist/setattrlistat (221, 229, 524): the calls behind libc's utimensat, futimens,
// lchmod and lchflags.
constexpr int XNU_ATTR_BIT_MAP_COUNT = 5;
constexpr std::size_t XNU_ATTR_MAX_BUFFER = 8192;
constexpr std::uint32_t XNU_ATTR_CMN_SCRIPT = 0x00000100;
constexpr std::uint32_t XNU_ATTR_CMN_CRTIME = 0x00000200;
constexpr std::uint32_t XNU_ATTR_CMN_MODTIME = 0x00000400;
constexpr std::uint32_t XNU_ATTR_CMN_CHGTIME = 0x00000800;
constexpr std::uint32_t XNU_ATTR_CMN_ACCTIME = 0x00001000;
constexpr std::uint32_t XNU_ATTR_CMN_BKUPTIME = 0x00002000;
constexpr std::uint32_t XNU_ATTR_CMN_FNDRINFO = 0x00004000;
constexpr std::uint32_t XNU_ATTR_CMN_OWNERID = 0x00008000;
constexpr std::uint32_t XNU_ATTR_CMN_GRPID = 0x00010000;
constexpr std::uint32_t XNU_ATTR_CMN_ACCESSMASK = 0x00020000;
constexpr std::uint32_t XNU_ATTR_CMN_FLAGS = 0x00040000;
constexpr std::uint32_t XNU_ATTR_CMN_EXTENDED_SECURITY = 0x00400000;
constexpr std::uint32_t XNU_ATTR_CMN_UUID = 0x00800000;
constexpr std::uint32_t XNU_ATTR_CMN_GRPUUID = 0x01000000;
constexpr std::uint32_t XNU_ATTR_CMN_ADDEDTIME = 0x10000000;
constexpr std::uint32_t XNU_ATTR_CMN_DATA_PROTECT_FLAGS = 0x40000000;
constexpr std::uint32_t XNU_ATTR_CMN_SETMASK = 0x51c7ff00;
constexpr std::uint32_t XNU_ATTR_CMN_VOLSETMASK = 0x00006700;
constexpr std::uint32_t XNU_ATTR_VOL_NAME = 0x00002000;
constexpr std::uint32_t XNU_ATTR_VOL_INFO = 0x80000000;
constexpr std::uint32_t XNU_ATTR_VOL_SETMASK = 0x80002000;
constexpr std::uint32_t XNU_ATTR_DIR_SETMASK = 0x00000000;
constexpr std::uint32_t XNU_ATTR_FILE_DEVTYPE = 0x00000020;
constexpr std::uint32_t XNU_ATTR_FILE_SETMASK = 0x00000020;
constexpr std::uint32_t XNU_ATTR_FORK_SETMASK = 0x00000000;
constexpr std::uint64_t XNU_FSOPT_NOFOLLOW = 0x00000001;
constexpr std::uint64_t XNU_FSOPT_UTIMES_NULL = 0x00000400;  // private: utimensat with both UTIME_NOW
constexpr std::uint64_t XNU_FSOPT_NOFOLLOW_ANY = 0x00000800;

struct attrlist {
    std::uint16_t bitmapcount;  // must be ATTR_BIT_MAP_COUNT
    std::uint16_t reserved;
    std::uint32_t commonattr;
    std::uint32_t volattr;
    std::uint32_t dirattr;
    std::uint32_t fileattr;
    std::uint32_t forkattr;
};
static_assert(sizeof(attrlist) == 24);
static_assert(offsetof(attrlist, commonattr) == 4);
static_assert(offsetof(attrlist, forkattr) == 20);

struct attrreference {
    std::int32_t attr_dataoffset;  // from the attrreference itself
    std::uint32_t attr_length;
};
static_assert(sizeof(attrreference) == 8);

// ATTR_CMN_EXTENDED_SECURITY carries a kauth_filesec: magic, owner and group GUIDs, then an ACL header
// (entry count, flags) and 24-byte entries.
constexpr std::uint32_t XNU_KAUTH_FILESEC_MAGIC = 0x012cc16d;
constexpr std::uint32_t XNU_KAUTH_FILESEC_NOACL = 0xffffffff;
constexpr std::uint32_t XNU_KAUTH_ACL_MAX_ENTRIES = 128;
constexpr std::size_t XNU_KAUTH_FILESEC_HEADER = 44;  // KAUTH_FILESEC_SIZE(0)
constexpr std::size_t XNU_KAUTH_ACE_SIZE = 24;
constexpr std::size_t XNU_KAUTH_FILESEC_ENTRYCOUNT_OFFSET = 36;

}  // namespace xnu
