// Linux <-> XNU translation tables. Host values come from the Linux/glibc headers, XNU values from xnu.hpp
// (whose XNU_ prefix keeps the two sets apart in this one file). Every table is a constexpr array; the
// static_asserts below each one check its size and, where the mapping must be total, that every value is
// covered exactly once. "lossy" marks entries that cannot round-trip.
#include "translate.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>

#include <array>
#include <cerrno>

namespace xlate {
namespace {

using namespace xnu;  // the XNU_ constants; types are always written xnu::T or ::T

template <typename T, std::size_t N>
constexpr std::size_t count_of(const T (&)[N]) {
    return N;
}

// A pair of flag bits (or multi-bit values) with the same meaning on both sides. A zero on one side means
// "accepted and dropped" in that direction.
struct FlagPair {
    int xnu;
    int host;
};

// ============================================================================================================
// errno
// ============================================================================================================

constexpr int kHostErrnoMax = 133;  // EHWPOISON

struct ErrnoPair {
    int host;
    int xnu;
};

// Indexed by every Linux errno 0..133. Linux 1..34 are the historic Unix numbers XNU shares, except
// EAGAIN (11, where XNU has EDEADLK).
constexpr ErrnoPair kErrnoPairs[] = {
    {0, 0},
    {EPERM, XNU_EPERM},
    {ENOENT, XNU_ENOENT},
    {ESRCH, XNU_ESRCH},
    {EINTR, XNU_EINTR},
    {EIO, XNU_EIO},
    {ENXIO, XNU_ENXIO},
    {E2BIG, XNU_E2BIG},
    {ENOEXEC, XNU_ENOEXEC},
    {EBADF, XNU_EBADF},
    {ECHILD, XNU_ECHILD},
    {EAGAIN, XNU_EAGAIN},
    {ENOMEM, XNU_ENOMEM},
    {EACCES, XNU_EACCES},
    {EFAULT, XNU_EFAULT},
    {ENOTBLK, XNU_ENOTBLK},
    {EBUSY, XNU_EBUSY},
    {EEXIST, XNU_EEXIST},
    {EXDEV, XNU_EXDEV},
    {ENODEV, XNU_ENODEV},
    {ENOTDIR, XNU_ENOTDIR},
    {EISDIR, XNU_EISDIR},
    {EINVAL, XNU_EINVAL},
    {ENFILE, XNU_ENFILE},
    {EMFILE, XNU_EMFILE},
    {ENOTTY, XNU_ENOTTY},
    {ETXTBSY, XNU_ETXTBSY},
    {EFBIG, XNU_EFBIG},
    {ENOSPC, XNU_ENOSPC},
    {ESPIPE, XNU_ESPIPE},
    {EROFS, XNU_EROFS},
    {EMLINK, XNU_EMLINK},
    {EPIPE, XNU_EPIPE},
    {EDOM, XNU_EDOM},
    {ERANGE, XNU_ERANGE},
    {EDEADLK, XNU_EDEADLK},
    {ENAMETOOLONG, XNU_ENAMETOOLONG},
    {ENOLCK, XNU_ENOLCK},
    {ENOSYS, XNU_ENOSYS},
    {ENOTEMPTY, XNU_ENOTEMPTY},
    {ELOOP, XNU_ELOOP},
    {41, XNU_EIO},  // unassigned on Linux
    {ENOMSG, XNU_ENOMSG},
    {EIDRM, XNU_EIDRM},
    {ECHRNG, XNU_EINVAL},    // lossy: channel number out of range
    {EL2NSYNC, XNU_EIO},     // lossy: the STREAMS/ISDN link-level errors below have no XNU counterpart
    {EL3HLT, XNU_EIO},       // lossy
    {EL3RST, XNU_EIO},       // lossy
    {ELNRNG, XNU_EINVAL},    // lossy: link number out of range
    {EUNATCH, XNU_EIO},      // lossy: protocol driver not attached
    {ENOCSI, XNU_EIO},       // lossy
    {EL2HLT, XNU_EIO},       // lossy
    {EBADE, XNU_EINVAL},     // lossy: invalid exchange
    {EBADR, XNU_EINVAL},     // lossy: invalid request descriptor
    {EXFULL, XNU_ENOSPC},    // lossy: exchange full
    {ENOANO, XNU_EIO},       // lossy
    {EBADRQC, XNU_EINVAL},   // lossy: invalid request code
    {EBADSLT, XNU_EINVAL},   // lossy: invalid slot
    {58, XNU_EIO},  // unassigned on Linux (EDEADLOCK is an alias of EDEADLK elsewhere)
    {EBFONT, XNU_EFTYPE},    // lossy: bad font file format
    {ENOSTR, XNU_ENOSTR},
    // Linux getxattr()/removexattr() report a missing attribute as ENODATA (its ENOATTR is an alias);
    // XNU's xattr calls say ENOATTR. That is by far the common source, so ENODATA maps there (lossy for
    // the rare STREAMS meaning).
    {ENODATA, XNU_ENOATTR},
    {ETIME, XNU_ETIME},
    {ENOSR, XNU_ENOSR},
    {ENONET, XNU_ENETDOWN},  // lossy: machine is not on the network
    {ENOPKG, XNU_ENOENT},    // lossy: package not installed
    {EREMOTE, XNU_EREMOTE},
    {ENOLINK, XNU_ENOLINK},
    {EADV, XNU_EIO},         // lossy: advertise error
    {ESRMNT, XNU_EIO},       // lossy: srmount error
    {ECOMM, XNU_EIO},        // lossy: communication error on send
    {EPROTO, XNU_EPROTO},
    {EMULTIHOP, XNU_EMULTIHOP},
    {EDOTDOT, XNU_EIO},      // lossy: RFS-specific
    {EBADMSG, XNU_EBADMSG},
    {EOVERFLOW, XNU_EOVERFLOW},
    {ENOTUNIQ, XNU_EINVAL},  // lossy: name not unique on network
    {EBADFD, XNU_EBADF},     // lossy: descriptor in bad state
    {EREMCHG, XNU_EADDRNOTAVAIL},  // lossy: remote address changed
    {ELIBACC, XNU_EACCES},   // lossy: cannot access a needed shared library
    {ELIBBAD, XNU_EBADEXEC}, // lossy: corrupted shared library
    {ELIBSCN, XNU_EBADEXEC}, // lossy: .lib section corrupted
    {ELIBMAX, XNU_ENOEXEC},  // lossy: too many shared libraries
    {ELIBEXEC, XNU_ENOEXEC}, // lossy: cannot exec a shared library directly
    {EILSEQ, XNU_EILSEQ},
    {ERESTART, XNU_EINTR},   // lossy: user-visible "should be restarted" is an interrupted call
    {ESTRPIPE, XNU_EPIPE},   // lossy: streams pipe error
    {EUSERS, XNU_EUSERS},
    {ENOTSOCK, XNU_ENOTSOCK},
    {EDESTADDRREQ, XNU_EDESTADDRREQ},
    {EMSGSIZE, XNU_EMSGSIZE},
    {EPROTOTYPE, XNU_EPROTOTYPE},
    {ENOPROTOOPT, XNU_ENOPROTOOPT},
    {EPROTONOSUPPORT, XNU_EPROTONOSUPPORT},
    {ESOCKTNOSUPPORT, XNU_ESOCKTNOSUPPORT},
    // Linux has one value (95) for ENOTSUP and EOPNOTSUPP. XNU's file, fcntl, xattr and VFS paths return
    // ENOTSUP (45), the common case here; socket operations on XNU return EOPNOTSUPP (102), so socket
    // handlers that care should pick XNU_EOPNOTSUPP themselves (lossy).
    {EOPNOTSUPP, XNU_ENOTSUP},
    {EPFNOSUPPORT, XNU_EPFNOSUPPORT},
    {EAFNOSUPPORT, XNU_EAFNOSUPPORT},
    {EADDRINUSE, XNU_EADDRINUSE},
    {EADDRNOTAVAIL, XNU_EADDRNOTAVAIL},
    {ENETDOWN, XNU_ENETDOWN},
    {ENETUNREACH, XNU_ENETUNREACH},
    {ENETRESET, XNU_ENETRESET},
    {ECONNABORTED, XNU_ECONNABORTED},
    {ECONNRESET, XNU_ECONNRESET},
    {ENOBUFS, XNU_ENOBUFS},
    {EISCONN, XNU_EISCONN},
    {ENOTCONN, XNU_ENOTCONN},
    {ESHUTDOWN, XNU_ESHUTDOWN},
    {ETOOMANYREFS, XNU_ETOOMANYREFS},
    {ETIMEDOUT, XNU_ETIMEDOUT},
    {ECONNREFUSED, XNU_ECONNREFUSED},
    {EHOSTDOWN, XNU_EHOSTDOWN},
    {EHOSTUNREACH, XNU_EHOSTUNREACH},
    {EALREADY, XNU_EALREADY},
    {EINPROGRESS, XNU_EINPROGRESS},
    {ESTALE, XNU_ESTALE},
    {EUCLEAN, XNU_EIO},      // lossy: filesystem structure needs cleaning
    {ENOTNAM, XNU_EINVAL},   // lossy: XENIX named-file errors
    {ENAVAIL, XNU_EIO},      // lossy
    {EISNAM, XNU_EFTYPE},    // lossy: is a named type file
    {EREMOTEIO, XNU_EIO},    // lossy: remote I/O error
    {EDQUOT, XNU_EDQUOT},
    {ENOMEDIUM, XNU_ENXIO},  // lossy: XNU reports a device without media as "device not configured"
    {EMEDIUMTYPE, XNU_ENODEV},  // lossy: wrong medium type
    {ECANCELED, XNU_ECANCELED},
    {ENOKEY, XNU_EACCES},    // lossy: key (e.g. an fscrypt key) not available
    {EKEYEXPIRED, XNU_EAUTH},   // lossy: keyring errors read as authentication failures
    {EKEYREVOKED, XNU_EAUTH},   // lossy
    {EKEYREJECTED, XNU_EAUTH},  // lossy
    {EOWNERDEAD, XNU_EOWNERDEAD},
    {ENOTRECOVERABLE, XNU_ENOTRECOVERABLE},
    {ERFKILL, XNU_EPWROFF},  // lossy: radio switched off
    {EHWPOISON, XNU_EIO},    // lossy: memory page has a hardware error
};
static_assert(count_of(kErrnoPairs) == kHostErrnoMax + 1);

constexpr bool errno_pairs_cover_each_once() {
    bool seen[kHostErrnoMax + 1] = {};
    for (const ErrnoPair& p : kErrnoPairs) {
        if (p.host < 0 || p.host > kHostErrnoMax || seen[p.host]) return false;
        if (p.xnu < 0 || p.xnu > XNU_ELAST) return false;
        seen[p.host] = true;
    }
    return true;
}
static_assert(errno_pairs_cover_each_once());

constexpr auto kErrnoToXnu = [] {
    std::array<std::uint8_t, kHostErrnoMax + 1> t{};
    for (const ErrnoPair& p : kErrnoPairs) t[p.host] = static_cast<std::uint8_t>(p.xnu);
    return t;
}();
static_assert(kErrnoToXnu[ENOENT] == 2 && kErrnoToXnu[EAGAIN] == 35 && kErrnoToXnu[ENOSYS] == 78);

// ============================================================================================================
// signals
// ============================================================================================================

constexpr int kHostSigMax = 64;  // _NSIG - 1: the last real-time signal

struct SignalPair {
    int host;
    int xnu;
};

// Every signal both kernels have. Unpaired: XNU SIGEMT (7) and SIGINFO (29); Linux SIGSTKFLT (16),
// SIGPWR (30) and the real-time signals 32..64.
constexpr SignalPair kSignalPairs[] = {
    {SIGHUP, XNU_SIGHUP},       {SIGINT, XNU_SIGINT},       {SIGQUIT, XNU_SIGQUIT},
    {SIGILL, XNU_SIGILL},       {SIGTRAP, XNU_SIGTRAP},     {SIGABRT, XNU_SIGABRT},
    {SIGBUS, XNU_SIGBUS},       {SIGFPE, XNU_SIGFPE},       {SIGKILL, XNU_SIGKILL},
    {SIGUSR1, XNU_SIGUSR1},     {SIGSEGV, XNU_SIGSEGV},     {SIGUSR2, XNU_SIGUSR2},
    {SIGPIPE, XNU_SIGPIPE},     {SIGALRM, XNU_SIGALRM},     {SIGTERM, XNU_SIGTERM},
    {SIGCHLD, XNU_SIGCHLD},     {SIGCONT, XNU_SIGCONT},     {SIGSTOP, XNU_SIGSTOP},
    {SIGTSTP, XNU_SIGTSTP},     {SIGTTIN, XNU_SIGTTIN},     {SIGTTOU, XNU_SIGTTOU},
    {SIGURG, XNU_SIGURG},       {SIGXCPU, XNU_SIGXCPU},     {SIGXFSZ, XNU_SIGXFSZ},
    {SIGVTALRM, XNU_SIGVTALRM}, {SIGPROF, XNU_SIGPROF},     {SIGWINCH, XNU_SIGWINCH},
    {SIGIO, XNU_SIGIO},         {SIGSYS, XNU_SIGSYS},
};
static_assert(count_of(kSignalPairs) == 29);

constexpr auto kSignalToXnu = [] {
    std::array<std::uint8_t, kHostSigMax + 1> t{};
    for (const SignalPair& p : kSignalPairs) t[p.host] = static_cast<std::uint8_t>(p.xnu);
    return t;
}();
constexpr auto kSignalToHost = [] {
    std::array<std::uint8_t, XNU_NSIG> t{};
    for (const SignalPair& p : kSignalPairs) t[p.xnu] = static_cast<std::uint8_t>(p.host);
    return t;
}();
constexpr bool signal_pairs_are_bijective() {
    int seen_host = 0, seen_xnu = 0;
    for (int s = 1; s <= kHostSigMax; ++s) seen_host += kSignalToXnu[s] != 0;
    for (int s = 1; s < XNU_NSIG; ++s) seen_xnu += kSignalToHost[s] != 0;
    return seen_host == 29 && seen_xnu == 29 && kSignalToXnu[SIGSTKFLT] == 0 && kSignalToXnu[SIGPWR] == 0 &&
           kSignalToHost[XNU_SIGEMT] == 0 && kSignalToHost[XNU_SIGINFO] == 0;
}
static_assert(signal_pairs_are_bijective());

// ============================================================================================================
// open flags
// ============================================================================================================

// Same meaning both ways. O_SYNC must precede O_DSYNC: Linux's O_SYNC value contains the O_DSYNC bit.
constexpr FlagPair kOpenFlags[] = {
    {XNU_O_NONBLOCK, O_NONBLOCK},
    {XNU_O_APPEND, O_APPEND},
    {XNU_O_ASYNC, O_ASYNC},  // lossy at open time: Linux open() ignores it, only F_SETFL arms SIGIO
    {XNU_O_SYNC, O_SYNC},
    {XNU_O_DSYNC, O_DSYNC},
    {XNU_O_NOFOLLOW, O_NOFOLLOW},
    {XNU_O_CREAT, O_CREAT},
    {XNU_O_TRUNC, O_TRUNC},
    {XNU_O_EXCL, O_EXCL},
    {XNU_O_NOCTTY, O_NOCTTY},
    {XNU_O_DIRECTORY, O_DIRECTORY},
    {XNU_O_CLOEXEC, O_CLOEXEC},
};
static_assert(count_of(kOpenFlags) == 12);

// XNU -> Linux only (lossy).
constexpr FlagPair kOpenFlagsToHostOnly[] = {
    {XNU_O_SHLOCK, 0},   // the caller takes flock(LOCK_SH) on the new descriptor
    {XNU_O_EXLOCK, 0},   // the caller takes flock(LOCK_EX) on the new descriptor
    {XNU_O_EVTONLY, 0},  // only matters for unmount blocking and kqueue; a normal descriptor serves
    // Opens the link itself. O_PATH|O_NOFOLLOW allows fstat/fchown/fchdir-style use but not read/write,
    // and turns a non-link target into an O_PATH descriptor as well.
    {XNU_O_SYMLINK, O_PATH | O_NOFOLLOW},
    {XNU_O_EXEC, O_PATH},  // execute/search-only descriptor: fexecve/fchdir/*at() base work on O_PATH
};
static_assert(count_of(kOpenFlagsToHostOnly) == 5);

// Linux -> XNU only (lossy): an O_PATH descriptor reads back as execute-only.
constexpr FlagPair kOpenFlagsToXnuOnly[] = {
    {XNU_O_EXEC, O_PATH},
};

// Known XNU bits Linux's open() cannot express: the caller gets EINVAL unless it strips and emulates them
// (O_NOFOLLOW_ANY and O_RESOLVE_BENEATH map onto openat2() RESOLVE_NO_SYMLINKS / RESOLVE_BENEATH).
constexpr int kOpenFlagsUnsupported = XNU_O_RESOLVE_BENEATH | XNU_O_NOFOLLOW_ANY | XNU_O_CLOFORK;

constexpr bool open_tables_disjoint() {
    int all = XNU_O_ACCMODE | kOpenFlagsUnsupported;
    for (const FlagPair& p : kOpenFlags) {
        if (all & p.xnu) return false;
        all |= p.xnu;
    }
    for (const FlagPair& p : kOpenFlagsToHostOnly) {
        if (all & p.xnu) return false;
        all |= p.xnu;
    }
    return true;
}
static_assert(open_tables_disjoint());
static_assert(XNU_O_RDONLY == O_RDONLY && XNU_O_WRONLY == O_WRONLY && XNU_O_RDWR == O_RDWR);

// ============================================================================================================
// mmap / mprotect
// ============================================================================================================

constexpr FlagPair kProtFlags[] = {
    {XNU_PROT_READ, PROT_READ},
    {XNU_PROT_WRITE, PROT_WRITE},
    {XNU_PROT_EXEC, PROT_EXEC},
};
static_assert(count_of(kProtFlags) == 3);

// MAP_SHARED/MAP_PRIVATE are handled in code (their combinations differ); these are the other bits XNU's
// mmap() accepts (bsd/kern/kern_mman.c).
constexpr FlagPair kMapFlags[] = {
    {XNU_MAP_FIXED, MAP_FIXED},
    {XNU_MAP_NORESERVE, MAP_NORESERVE},
    {XNU_MAP_ANON, MAP_ANONYMOUS},
    {XNU_MAP_32BIT, MAP_32BIT},  // lossy: Linux places the mapping below 2 GiB, XNU below 4 GiB
    // Accepted and dropped:
    {XNU_MAP_RENAME, 0},          // never implemented by XNU either
    {XNU_MAP_RESERVED0080, 0},    // XNU accepts and ignores it
    {XNU_MAP_NOEXTEND, 0},        // neither kernel grows a file through mmap()
    {XNU_MAP_HASSEMAPHORE, 0},    // hint; all Linux memory can hold futex-style semaphores
    {XNU_MAP_NOCACHE, 0},         // page-cache retention hint
    {XNU_MAP_JIT, 0},             // Linux has no W^X policy: RWX anonymous memory needs no special region
    {XNU_MAP_RESILIENT_CODESIGN, 0},  // no code-signature enforcement on pages here
    {XNU_MAP_RESILIENT_MEDIA, 0},     // lossy: I/O errors still raise SIGBUS instead of zero-filling
    {XNU_MAP_TRANSLATED_ALLOW_EXECUTE, 0},  // Rosetta only
    {XNU_MAP_UNIX03, 0},          // only tightens argument checks, applied in mapflags_to_linux
    {XNU_MAP_TPRO, 0},            // arm64 hardware protection; meaningless on x86_64
};
static_assert(count_of(kMapFlags) == 15);

// ============================================================================================================
// *at() flags
// ============================================================================================================

// Linux reuses 0x200 for AT_EACCESS (faccessat) and AT_REMOVEDIR (unlinkat); each call knows which.
constexpr FlagPair kAtFlags[] = {
    {XNU_AT_EACCESS, AT_EACCESS},
    {XNU_AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW},
    {XNU_AT_SYMLINK_FOLLOW, AT_SYMLINK_FOLLOW},
    {XNU_AT_REMOVEDIR, AT_REMOVEDIR},
    {XNU_AT_FDONLY, AT_EMPTY_PATH},       // lossy: Linux acts on the fd only when the path is ""
    {XNU_AT_REALDEV, 0},                  // Linux st_dev already is the real device
    {XNU_AT_REMOVEDIR_DATALESS, 0},       // no dataless directories on Linux: plain rmdir
};
static_assert(count_of(kAtFlags) == 7);
// No *at() flag can say "no symlinks anywhere in the path" (openat2 can); discarded-file marking has no
// meaning here.
constexpr int kAtFlagsUnsupported = XNU_AT_SYMLINK_NOFOLLOW_ANY | XNU_AT_SYSTEM_DISCARDED;

// Translates the bits listed in `table` from XNU to host; false when bits outside table|ignored remain.
template <std::size_t N>
bool map_flags_to_host(int xnu_flags, const FlagPair (&table)[N], int* out) noexcept {
    int rest = xnu_flags;
    int host = 0;
    for (const FlagPair& p : table) {
        if (rest & p.xnu) {
            host |= p.host;
            rest &= ~p.xnu;
        }
    }
    *out = host;
    return rest == 0;
}

// ============================================================================================================
// termios
// ============================================================================================================

enum class Way : std::uint8_t { Both, ToHostOnly, ToXnuOnly };

// A value of a (possibly multi-bit) field: (flags & mask) == val on one side means (flags & mask) == val
// on the other. A zero mask on one side means the value has no counterpart there and is dropped.
struct TermFlag {
    xnu::tcflag_t xnu_mask;
    xnu::tcflag_t xnu_val;
    ::tcflag_t host_mask;
    ::tcflag_t host_val;
    Way way;
};
constexpr TermFlag bit(xnu::tcflag_t x, ::tcflag_t h) { return {x, x, h, h, Way::Both}; }
constexpr TermFlag field(xnu::tcflag_t xm, xnu::tcflag_t xv, ::tcflag_t hm, ::tcflag_t hv, Way w = Way::Both) {
    return {xm, xv, hm, hv, w};
}
constexpr TermFlag xnu_only(xnu::tcflag_t x) { return {x, x, 0, 0, Way::ToHostOnly}; }  // lossy: dropped
constexpr TermFlag host_only(::tcflag_t h) { return {0, 0, h, h, Way::ToXnuOnly}; }    // lossy: dropped

constexpr TermFlag kIflag[] = {
    bit(XNU_IGNBRK, IGNBRK),
    bit(XNU_BRKINT, BRKINT),
    bit(XNU_IGNPAR, IGNPAR),
    bit(XNU_PARMRK, PARMRK),
    bit(XNU_INPCK, INPCK),
    bit(XNU_ISTRIP, ISTRIP),
    bit(XNU_INLCR, INLCR),
    bit(XNU_IGNCR, IGNCR),
    bit(XNU_ICRNL, ICRNL),
    bit(XNU_IXON, IXON),
    bit(XNU_IXOFF, IXOFF),
    bit(XNU_IXANY, IXANY),
    bit(XNU_IMAXBEL, IMAXBEL),
    bit(XNU_IUTF8, IUTF8),
    host_only(IUCLC),  // upper-to-lower case mapping
};
static_assert(count_of(kIflag) == 15);

constexpr TermFlag kOflag[] = {
    bit(XNU_OPOST, OPOST),
    bit(XNU_ONLCR, ONLCR),
    bit(XNU_OCRNL, OCRNL),
    bit(XNU_ONOCR, ONOCR),
    bit(XNU_ONLRET, ONLRET),
    bit(XNU_OFILL, OFILL),
    bit(XNU_OFDEL, OFDEL),
    xnu_only(XNU_ONOEOT),  // discard ^D on output
    host_only(OLCUC),      // lower-to-upper case mapping
    field(XNU_NLDLY, XNU_NL1, NLDLY, NL1),
    field(XNU_NLDLY, XNU_NL2, NLDLY, NL1, Way::ToHostOnly),  // lossy: Linux has one newline delay
    field(XNU_NLDLY, XNU_NL3, NLDLY, NL1, Way::ToHostOnly),  // lossy
    field(XNU_TABDLY, XNU_TAB1, TABDLY, TAB1),
    field(XNU_TABDLY, XNU_TAB2, TABDLY, TAB2),
    field(XNU_TABDLY, XNU_TAB3, TABDLY, TAB3),  // TAB3 is OXTABS on XNU, XTABS on Linux
    field(XNU_CRDLY, XNU_CR1, CRDLY, CR1),
    field(XNU_CRDLY, XNU_CR2, CRDLY, CR2),
    field(XNU_CRDLY, XNU_CR3, CRDLY, CR3),
    field(XNU_FFDLY, XNU_FF1, FFDLY, FF1),
    field(XNU_BSDLY, XNU_BS1, BSDLY, BS1),
    field(XNU_VTDLY, XNU_VT1, VTDLY, VT1),
};
static_assert(count_of(kOflag) == 21);

// The speed bits (CBAUD, CIBAUD) are handled separately.
constexpr TermFlag kCflag[] = {
    xnu_only(XNU_CIGNORE),  // "ignore c_cflag" has no Linux form; the other bits are still applied
    field(XNU_CSIZE, XNU_CS6, CSIZE, CS6),
    field(XNU_CSIZE, XNU_CS7, CSIZE, CS7),
    field(XNU_CSIZE, XNU_CS8, CSIZE, CS8),  // CS5 is 0 on both sides
    bit(XNU_CSTOPB, CSTOPB),
    bit(XNU_CREAD, CREAD),
    bit(XNU_PARENB, PARENB),
    bit(XNU_PARODD, PARODD),
    bit(XNU_HUPCL, HUPCL),
    bit(XNU_CLOCAL, CLOCAL),
    field(XNU_CRTSCTS, XNU_CRTSCTS, CRTSCTS, CRTSCTS),
    // lossy: Linux can only turn on RTS/CTS flow control in both directions
    field(XNU_CRTSCTS, XNU_CCTS_OFLOW, CRTSCTS, CRTSCTS, Way::ToHostOnly),
    field(XNU_CRTSCTS, XNU_CRTS_IFLOW, CRTSCTS, CRTSCTS, Way::ToHostOnly),
    xnu_only(XNU_CDTR_IFLOW),  // DTR/DSR/DCD flow control: not in Linux termios
    xnu_only(XNU_CDSR_OFLOW),
    xnu_only(XNU_CCAR_OFLOW),
    host_only(CMSPAR),  // mark/space parity
};
static_assert(count_of(kCflag) == 17);

constexpr TermFlag kLflag[] = {
    bit(XNU_ECHOKE, ECHOKE),
    bit(XNU_ECHOE, ECHOE),
    bit(XNU_ECHOK, ECHOK),
    bit(XNU_ECHO, ECHO),
    bit(XNU_ECHONL, ECHONL),
    bit(XNU_ECHOPRT, ECHOPRT),
    bit(XNU_ECHOCTL, ECHOCTL),
    bit(XNU_ISIG, ISIG),
    bit(XNU_ICANON, ICANON),
    bit(XNU_IEXTEN, IEXTEN),
    bit(XNU_EXTPROC, EXTPROC),
    bit(XNU_TOSTOP, TOSTOP),
    bit(XNU_FLUSHO, FLUSHO),
    bit(XNU_PENDIN, PENDIN),
    bit(XNU_NOFLSH, NOFLSH),
    xnu_only(XNU_ALTWERASE),   // alternate word-erase algorithm
    xnu_only(XNU_NOKERNINFO),  // suppress the kernel's ^T status line (Linux has no VSTATUS)
    host_only(XCASE),          // canonical upper/lower presentation
};
static_assert(count_of(kLflag) == 18);

// Every bit either side defines appears in its table.
template <std::size_t N>
constexpr xnu::tcflag_t xnu_coverage(const TermFlag (&t)[N]) {
    xnu::tcflag_t m = 0;
    for (const TermFlag& f : t) m |= f.xnu_mask;
    return m;
}
template <std::size_t N>
constexpr ::tcflag_t host_coverage(const TermFlag (&t)[N]) {
    ::tcflag_t m = 0;
    for (const TermFlag& f : t) m |= f.host_mask;
    return m;
}
static_assert(xnu_coverage(kIflag) == (XNU_IGNBRK | XNU_BRKINT | XNU_IGNPAR | XNU_PARMRK | XNU_INPCK | XNU_ISTRIP |
                                       XNU_INLCR | XNU_IGNCR | XNU_ICRNL | XNU_IXON | XNU_IXOFF | XNU_IXANY |
                                       XNU_IMAXBEL | XNU_IUTF8));
static_assert(host_coverage(kIflag) == (IGNBRK | BRKINT | IGNPAR | PARMRK | INPCK | ISTRIP | INLCR | IGNCR | ICRNL |
                                        IUCLC | IXON | IXANY | IXOFF | IMAXBEL | IUTF8));
static_assert(xnu_coverage(kOflag) == (XNU_OPOST | XNU_ONLCR | XNU_OXTABS | XNU_ONOEOT | XNU_OCRNL | XNU_ONOCR |
                                       XNU_ONLRET | XNU_OFILL | XNU_NLDLY | XNU_TABDLY | XNU_CRDLY | XNU_FFDLY |
                                       XNU_BSDLY | XNU_VTDLY | XNU_OFDEL));
static_assert(host_coverage(kOflag) == (OPOST | OLCUC | ONLCR | OCRNL | ONOCR | ONLRET | OFILL | OFDEL | NLDLY |
                                        CRDLY | TABDLY | BSDLY | VTDLY | FFDLY));
static_assert(xnu_coverage(kCflag) == (XNU_CIGNORE | XNU_CSIZE | XNU_CSTOPB | XNU_CREAD | XNU_PARENB | XNU_PARODD |
                                       XNU_HUPCL | XNU_CLOCAL | XNU_CRTSCTS | XNU_CDTR_IFLOW | XNU_CDSR_OFLOW |
                                       XNU_CCAR_OFLOW));
static_assert(host_coverage(kCflag) ==
              (CSIZE | CSTOPB | CREAD | PARENB | PARODD | HUPCL | CLOCAL | CRTSCTS | CMSPAR));
static_assert(xnu_coverage(kLflag) == (XNU_ECHOKE | XNU_ECHOE | XNU_ECHOK | XNU_ECHO | XNU_ECHONL | XNU_ECHOPRT |
                                       XNU_ECHOCTL | XNU_ISIG | XNU_ICANON | XNU_ALTWERASE | XNU_IEXTEN |
                                       XNU_EXTPROC | XNU_TOSTOP | XNU_FLUSHO | XNU_NOKERNINFO | XNU_PENDIN |
                                       XNU_NOFLSH));
static_assert(host_coverage(kLflag) == (ISIG | ICANON | XCASE | ECHO | ECHOE | ECHOK | ECHONL | NOFLSH | TOSTOP |
                                        ECHOCTL | ECHOPRT | ECHOKE | FLUSHO | PENDIN | IEXTEN | EXTPROC));

template <std::size_t N>
xnu::tcflag_t term_flags_to_xnu(::tcflag_t in, const TermFlag (&t)[N]) noexcept {
    xnu::tcflag_t out = 0;
    for (const TermFlag& f : t)
        if (f.way != Way::ToHostOnly && f.host_val != 0 && (in & f.host_mask) == f.host_val) out |= f.xnu_val;
    return out;
}
template <std::size_t N>
::tcflag_t term_flags_to_host(xnu::tcflag_t in, const TermFlag (&t)[N]) noexcept {
    ::tcflag_t out = 0;
    for (const TermFlag& f : t)
        if (f.way != Way::ToXnuOnly && f.xnu_val != 0 && (in & f.xnu_mask) == f.xnu_val) out |= f.host_val;
    return out;
}

// c_cc slots. Unlisted XNU slots (VDSUSP, VSTATUS, the spares 7 and 19) read back disabled; Linux VSWTC is
// dropped.
struct CcPair {
    int xnu;
    int host;
    bool is_count;  // VMIN/VTIME hold numbers, not characters: no disabled-value conversion
};
constexpr CcPair kCc[] = {
    {XNU_VEOF, VEOF, false},     {XNU_VEOL, VEOL, false},         {XNU_VEOL2, VEOL2, false},
    {XNU_VERASE, VERASE, false}, {XNU_VWERASE, VWERASE, false},   {XNU_VKILL, VKILL, false},
    {XNU_VREPRINT, VREPRINT, false}, {XNU_VINTR, VINTR, false},   {XNU_VQUIT, VQUIT, false},
    {XNU_VSUSP, VSUSP, false},   {XNU_VSTART, VSTART, false},     {XNU_VSTOP, VSTOP, false},
    {XNU_VLNEXT, VLNEXT, false}, {XNU_VDISCARD, VDISCARD, false}, {XNU_VMIN, VMIN, true},
    {XNU_VTIME, VTIME, true},
};
static_assert(count_of(kCc) == 16);

constexpr ::cc_t kHostVdisable = _POSIX_VDISABLE;  // '\0' on Linux

// Speeds: XNU stores bits per second, Linux a Bxxx code in c_cflag & CBAUD (input speed optionally in
// CIBAUD). XNU-only standard rates (7200, 14400, 28800, 76800) have no code.
struct SpeedPair {
    xnu::speed_t bps;
    ::speed_t code;
};
constexpr SpeedPair kSpeeds[] = {
    {0, B0},           {50, B50},           {75, B75},           {110, B110},         {134, B134},
    {150, B150},       {200, B200},         {300, B300},         {600, B600},         {1200, B1200},
    {1800, B1800},     {2400, B2400},       {4800, B4800},       {9600, B9600},       {19200, B19200},
    {38400, B38400},   {57600, B57600},     {115200, B115200},   {230400, B230400},   {460800, B460800},
    {500000, B500000}, {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000}, {3500000, B3500000},
    {4000000, B4000000},
};
static_assert(count_of(kSpeeds) == 31);
constexpr unsigned kCibaudShift = 16;  // IBSHIFT (asm-generic/termbits-common.h): CIBAUD == CBAUD << 16
static_assert((CBAUD << kCibaudShift) == CIBAUD);
constexpr xnu::speed_t kUnknownSpeedBps = 38400;  // what Linux ptys report; only BOTHER codes land here

xnu::speed_t speed_to_xnu(::speed_t code) noexcept {
    for (const SpeedPair& s : kSpeeds)
        if (s.code == code) return s.bps;
    return kUnknownSpeedBps;  // lossy
}
bool speed_to_host(xnu::speed_t bps, ::speed_t* code) noexcept {
    for (const SpeedPair& s : kSpeeds) {
        if (s.bps == bps) {
            *code = s.code;
            return true;
        }
    }
    return false;
}

// ============================================================================================================
// stat
// ============================================================================================================

// Linux's 64-bit dev_t encoding (glibc gnu_dev_major/minor, spelled out so no libc call is made). XNU keeps
// 8 bits of major and 24 of minor (lossy beyond that).
constexpr std::uint32_t host_major(std::uint64_t d) {
    return static_cast<std::uint32_t>(((d >> 8) & 0xfffu) | ((d >> 32) & ~std::uint64_t{0xfff}));
}
constexpr std::uint32_t host_minor(std::uint64_t d) {
    return static_cast<std::uint32_t>((d & 0xffu) | ((d >> 12) & ~std::uint64_t{0xff}));
}
static_assert(host_major(0x0803) == 8 && host_minor(0x0803) == 3);  // /dev/sda3
static_assert(host_major(0x0000100000000000ull) == 0x1000 && host_minor(0x00000000fff00000ull) == 0xfff00);

xnu::dev_t dev_to_xnu(::dev_t d) noexcept { return xnu::make_dev(host_major(d), host_minor(d)); }

xnu::timespec ts_to_xnu(const ::timespec& t) noexcept { return xnu::timespec{t.tv_sec, t.tv_nsec}; }

bool ts_before(const ::timespec& a, const ::timespec& b) noexcept {
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// Copies the fields common to both XNU layouts.
template <typename Out>
void stat_common(const struct ::stat& in, Out& out) noexcept {
    out.st_dev = dev_to_xnu(in.st_dev);
    out.st_mode = static_cast<xnu::mode_t>(in.st_mode);  // same S_IF* and permission bits
    out.st_nlink = in.st_nlink > 0xffff ? 0xffff : static_cast<xnu::nlink_t>(in.st_nlink);  // lossy
    out.st_uid = in.st_uid;
    out.st_gid = in.st_gid;
    out.st_rdev = dev_to_xnu(in.st_rdev);
    out.st_atimespec = ts_to_xnu(in.st_atim);
    out.st_mtimespec = ts_to_xnu(in.st_mtim);
    out.st_ctimespec = ts_to_xnu(in.st_ctim);
    out.st_size = in.st_size;
    out.st_blocks = in.st_blocks;  // 512-byte units on both
    out.st_blksize = in.st_blksize > INT32_MAX ? INT32_MAX : static_cast<xnu::blksize_t>(in.st_blksize);
    out.st_flags = 0;  // no chflags() flags on Linux
    out.st_gen = 0;    // XNU hides the generation number from non-root callers too
    out.st_lspare = 0;
    out.st_qspare[0] = 0;
    out.st_qspare[1] = 0;
}

}  // namespace

// ============================================================================================================
// Public functions
// ============================================================================================================

int errno_to_xnu(int linux_errno) noexcept {
    if (linux_errno < 0 || linux_errno > kHostErrnoMax) return XNU_EIO;
    return kErrnoToXnu[static_cast<std::size_t>(linux_errno)];
}

int signal_to_xnu(int linux_sig) noexcept {
    if (linux_sig < 1 || linux_sig > kHostSigMax) return 0;
    return kSignalToXnu[static_cast<std::size_t>(linux_sig)];
}

int signal_to_linux(int xnu_sig) noexcept {
    if (xnu_sig < 1 || xnu_sig >= XNU_NSIG) return 0;
    return kSignalToHost[static_cast<std::size_t>(xnu_sig)];
}

std::uint32_t sigmask_to_xnu(std::uint64_t linux_mask) noexcept {
    std::uint32_t out = 0;
    for (const SignalPair& p : kSignalPairs)
        if (linux_mask & (std::uint64_t{1} << (p.host - 1))) out |= std::uint32_t{1} << (p.xnu - 1);
    return out;
}

std::uint64_t sigmask_to_linux(std::uint32_t xnu_mask) noexcept {
    std::uint64_t out = 0;
    for (const SignalPair& p : kSignalPairs)
        if (xnu_mask & (std::uint32_t{1} << (p.xnu - 1))) out |= std::uint64_t{1} << (p.host - 1);
    return out;
}

bool oflags_to_linux(int xnu_flags, int* linux_flags) noexcept {
    const int accmode = xnu_flags & XNU_O_ACCMODE;
    // XNU's open1() refuses both (bsd/vfs/vfs_syscalls.c).
    if (accmode == XNU_O_ACCMODE) return false;
    if ((xnu_flags & XNU_O_EXEC) && accmode != XNU_O_RDONLY) return false;
    if (xnu_flags & kOpenFlagsUnsupported) return false;

    int rest = xnu_flags & ~XNU_O_ACCMODE;
    int host = accmode;  // 0/1/2 are the same on both
    for (const FlagPair& p : kOpenFlags) {
        if (rest & p.xnu) {
            host |= p.host;
            rest &= ~p.xnu;
        }
    }
    for (const FlagPair& p : kOpenFlagsToHostOnly) {
        if (rest & p.xnu) {
            host |= p.host;
            rest &= ~p.xnu;
        }
    }
    if (rest != 0) return false;
    *linux_flags = host;
    return true;
}

int oflags_to_xnu(int linux_flags) noexcept {
    // Linux's access mode 3 ("ioctl only") has no XNU form; it is reported as O_RDWR (lossy).
    const int accmode = linux_flags & O_ACCMODE;
    int out = accmode == O_ACCMODE ? XNU_O_RDWR : accmode;
    int rest = linux_flags & ~O_ACCMODE;
    for (const FlagPair& p : kOpenFlags) {
        if ((rest & p.host) == p.host) {
            out |= p.xnu;
            rest &= ~p.host;
        }
    }
    for (const FlagPair& p : kOpenFlagsToXnuOnly) {
        if ((rest & p.host) == p.host) out |= p.xnu;
    }
    return out;  // the rest (O_LARGEFILE, O_NOATIME, O_DIRECT, O_PATH's companions) has no XNU meaning
}

bool prot_to_linux(int xnu_prot, int* linux_prot) noexcept {
    return map_flags_to_host(xnu_prot, kProtFlags, linux_prot);
}

bool mapflags_to_linux(int xnu_flags, int* linux_flags) noexcept {
    const bool shared = xnu_flags & XNU_MAP_SHARED;
    const bool priv = xnu_flags & XNU_MAP_PRIVATE;
    const bool anon = xnu_flags & XNU_MAP_ANON;
    const bool resilient = xnu_flags & (XNU_MAP_RESILIENT_CODESIGN | XNU_MAP_RESILIENT_MEDIA);

    // The argument checks of XNU's mmap() (bsd/kern/kern_mman.c).
    if ((xnu_flags & XNU_MAP_UNIX03) && !shared && !priv) return false;
    if ((xnu_flags & XNU_MAP_JIT) &&
        ((xnu_flags & (XNU_MAP_FIXED | XNU_MAP_SHARED | XNU_MAP_TPRO)) || !anon || resilient))
        return false;
    if (resilient && (anon || (xnu_flags & XNU_MAP_TPRO))) return false;

    int host = 0;
    if (!map_flags_to_host(xnu_flags & ~(XNU_MAP_SHARED | XNU_MAP_PRIVATE), kMapFlags, &host)) return false;
    // XNU tests MAP_SHARED first, so SHARED|PRIVATE is shared (on Linux the pair would be
    // MAP_SHARED_VALIDATE). Neither bit, allowed without MAP_UNIX03, gives a private mapping.
    host |= shared ? MAP_SHARED : MAP_PRIVATE;
    *linux_flags = host;
    return true;
}

bool atflags_to_linux(int xnu_flags, int* linux_flags) noexcept {
    if (xnu_flags & kAtFlagsUnsupported) return false;
    return map_flags_to_host(xnu_flags, kAtFlags, linux_flags);
}

xnu::rusage rusage_to_xnu(const struct ::rusage& l) noexcept {
    xnu::rusage x{};
    x.ru_utime.tv_sec = l.ru_utime.tv_sec;
    x.ru_utime.tv_usec = int32_t(l.ru_utime.tv_usec);
    x.ru_stime.tv_sec = l.ru_stime.tv_sec;
    x.ru_stime.tv_usec = int32_t(l.ru_stime.tv_usec);
    x.ru_maxrss = l.ru_maxrss * 1024;
    x.ru_ixrss = l.ru_ixrss;
    x.ru_idrss = l.ru_idrss;
    x.ru_isrss = l.ru_isrss;
    x.ru_minflt = l.ru_minflt;
    x.ru_majflt = l.ru_majflt;
    x.ru_nswap = l.ru_nswap;
    x.ru_inblock = l.ru_inblock;
    x.ru_oublock = l.ru_oublock;
    x.ru_msgsnd = l.ru_msgsnd;
    x.ru_msgrcv = l.ru_msgrcv;
    x.ru_nsignals = l.ru_nsignals;
    x.ru_nvcsw = l.ru_nvcsw;
    x.ru_nivcsw = l.ru_nivcsw;
    return x;
}

void stat_to_xnu(const struct ::stat& in, xnu::stat64& out) noexcept {
    stat_common(in, out);
    out.pad0_ = 0;
    out.st_ino = in.st_ino;
    out.st_birthtimespec = ts_to_xnu(ts_before(in.st_mtim, in.st_ctim) ? in.st_mtim : in.st_ctim);
}

void stat_to_xnu_old(const struct ::stat& in, xnu::stat& out) noexcept {
    stat_common(in, out);
    out.st_ino = static_cast<xnu::ino32_t>(in.st_ino);  // lossy: truncated, as XNU itself does
}

void termios_to_xnu(const struct ::termios& in, xnu::termios& out) noexcept {
    out = xnu::termios{};
    out.c_iflag = term_flags_to_xnu(in.c_iflag, kIflag);
    out.c_oflag = term_flags_to_xnu(in.c_oflag, kOflag);
    out.c_cflag = term_flags_to_xnu(in.c_cflag, kCflag);
    out.c_lflag = term_flags_to_xnu(in.c_lflag, kLflag);

    for (xnu::cc_t& c : out.c_cc) c = XNU_POSIX_VDISABLE;
    for (const CcPair& p : kCc) {
        const ::cc_t c = in.c_cc[p.host];
        out.c_cc[p.xnu] = (p.is_count || c != kHostVdisable) ? c : XNU_POSIX_VDISABLE;
    }

    const ::speed_t ocode = in.c_cflag & CBAUD;
    const ::speed_t icode = (in.c_cflag & CIBAUD) >> kCibaudShift;
    out.c_ospeed = speed_to_xnu(ocode);
    out.c_ispeed = icode ? speed_to_xnu(icode) : out.c_ospeed;  // CIBAUD 0: input follows output
}

bool termios_to_linux(const xnu::termios& in, struct ::termios& out) noexcept {
    ::speed_t ocode = B0;
    ::speed_t icode = B0;
    if (!speed_to_host(in.c_ospeed, &ocode) || !speed_to_host(in.c_ispeed, &icode)) return false;

    out = ::termios{};
    out.c_iflag = term_flags_to_host(in.c_iflag, kIflag);
    out.c_oflag = term_flags_to_host(in.c_oflag, kOflag);
    out.c_cflag = term_flags_to_host(in.c_cflag, kCflag);
    out.c_lflag = term_flags_to_host(in.c_lflag, kLflag);

    // Every host slot starts disabled ('\0'); an XNU NUL character therefore also reads as disabled (lossy).
    for (const CcPair& p : kCc) {
        const xnu::cc_t c = in.c_cc[p.xnu];
        out.c_cc[p.host] = (p.is_count || c != XNU_POSIX_VDISABLE) ? c : kHostVdisable;
    }

    // An input speed of 0 means "same as output" (POSIX cfsetispeed), as does an equal one.
    out.c_cflag |= ocode;
    if (icode != B0 && icode != ocode) out.c_cflag |= icode << kCibaudShift;
    out.c_ospeed = ocode;  // glibc mirrors the codes here; the kernel only reads c_cflag
    out.c_ispeed = icode != B0 ? icode : ocode;
    return true;
}

// ---- file flags --------------------------------------------------------------------------------------------
// linux/fs.h FS_*_FL and linux/stat.h STATX_ATTR_* (the statx attribute bits reuse the FS_*_FL values for
// these three).
namespace {
constexpr std::uint32_t kFsImmutableFl = 0x00000010, kFsAppendFl = 0x00000020, kFsNodumpFl = 0x00000040;
static_assert(kLinuxFsFlagsMapped == (kFsImmutableFl | kFsAppendFl | kFsNodumpFl));
}  // namespace

std::uint32_t fsflags_to_xnu(std::uint32_t f) noexcept {
    return (f & kFsNodumpFl ? XNU_UF_NODUMP : 0) | (f & kFsImmutableFl ? XNU_UF_IMMUTABLE : 0) |
           (f & kFsAppendFl ? XNU_UF_APPEND : 0);
}

std::uint32_t statx_attributes_to_xnu(std::uint64_t a) noexcept { return fsflags_to_xnu(static_cast<std::uint32_t>(a)); }

std::uint32_t xnu_flags_to_fsflags(std::uint32_t x) noexcept {
    return (x & XNU_UF_NODUMP ? kFsNodumpFl : 0) | (x & (XNU_UF_IMMUTABLE | XNU_SF_IMMUTABLE) ? kFsImmutableFl : 0) |
           (x & (XNU_UF_APPEND | XNU_SF_APPEND) ? kFsAppendFl : 0);
}

}  // namespace xlate
