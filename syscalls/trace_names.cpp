// The names the --trace printer gives XNU values: errno and signal names, open/mmap/at flags, modes, fcntl
// commands and ioctl requests. XNU values come from base/abi/xnu.hpp; each table is a constexpr array whose
// size (and, for errno, completeness) a static_assert below it checks.
#include "trace_names.hpp"

#include <array>
#include <iterator>

#include "base/abi/xnu.hpp"

namespace xnu_sys {
namespace {

using namespace xnu;  // the XNU_ constants

struct NamedValue {
    int value;
    const char* name;
};

constexpr NamedValue kXnuErrnoNames[] = {
    {XNU_EPERM, "EPERM"},
    {XNU_ENOENT, "ENOENT"},
    {XNU_ESRCH, "ESRCH"},
    {XNU_EINTR, "EINTR"},
    {XNU_EIO, "EIO"},
    {XNU_ENXIO, "ENXIO"},
    {XNU_E2BIG, "E2BIG"},
    {XNU_ENOEXEC, "ENOEXEC"},
    {XNU_EBADF, "EBADF"},
    {XNU_ECHILD, "ECHILD"},
    {XNU_EDEADLK, "EDEADLK"},
    {XNU_ENOMEM, "ENOMEM"},
    {XNU_EACCES, "EACCES"},
    {XNU_EFAULT, "EFAULT"},
    {XNU_ENOTBLK, "ENOTBLK"},
    {XNU_EBUSY, "EBUSY"},
    {XNU_EEXIST, "EEXIST"},
    {XNU_EXDEV, "EXDEV"},
    {XNU_ENODEV, "ENODEV"},
    {XNU_ENOTDIR, "ENOTDIR"},
    {XNU_EISDIR, "EISDIR"},
    {XNU_EINVAL, "EINVAL"},
    {XNU_ENFILE, "ENFILE"},
    {XNU_EMFILE, "EMFILE"},
    {XNU_ENOTTY, "ENOTTY"},
    {XNU_ETXTBSY, "ETXTBSY"},
    {XNU_EFBIG, "EFBIG"},
    {XNU_ENOSPC, "ENOSPC"},
    {XNU_ESPIPE, "ESPIPE"},
    {XNU_EROFS, "EROFS"},
    {XNU_EMLINK, "EMLINK"},
    {XNU_EPIPE, "EPIPE"},
    {XNU_EDOM, "EDOM"},
    {XNU_ERANGE, "ERANGE"},
    {XNU_EAGAIN, "EAGAIN"},
    {XNU_EINPROGRESS, "EINPROGRESS"},
    {XNU_EALREADY, "EALREADY"},
    {XNU_ENOTSOCK, "ENOTSOCK"},
    {XNU_EDESTADDRREQ, "EDESTADDRREQ"},
    {XNU_EMSGSIZE, "EMSGSIZE"},
    {XNU_EPROTOTYPE, "EPROTOTYPE"},
    {XNU_ENOPROTOOPT, "ENOPROTOOPT"},
    {XNU_EPROTONOSUPPORT, "EPROTONOSUPPORT"},
    {XNU_ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
    {XNU_ENOTSUP, "ENOTSUP"},
    {XNU_EPFNOSUPPORT, "EPFNOSUPPORT"},
    {XNU_EAFNOSUPPORT, "EAFNOSUPPORT"},
    {XNU_EADDRINUSE, "EADDRINUSE"},
    {XNU_EADDRNOTAVAIL, "EADDRNOTAVAIL"},
    {XNU_ENETDOWN, "ENETDOWN"},
    {XNU_ENETUNREACH, "ENETUNREACH"},
    {XNU_ENETRESET, "ENETRESET"},
    {XNU_ECONNABORTED, "ECONNABORTED"},
    {XNU_ECONNRESET, "ECONNRESET"},
    {XNU_ENOBUFS, "ENOBUFS"},
    {XNU_EISCONN, "EISCONN"},
    {XNU_ENOTCONN, "ENOTCONN"},
    {XNU_ESHUTDOWN, "ESHUTDOWN"},
    {XNU_ETOOMANYREFS, "ETOOMANYREFS"},
    {XNU_ETIMEDOUT, "ETIMEDOUT"},
    {XNU_ECONNREFUSED, "ECONNREFUSED"},
    {XNU_ELOOP, "ELOOP"},
    {XNU_ENAMETOOLONG, "ENAMETOOLONG"},
    {XNU_EHOSTDOWN, "EHOSTDOWN"},
    {XNU_EHOSTUNREACH, "EHOSTUNREACH"},
    {XNU_ENOTEMPTY, "ENOTEMPTY"},
    {XNU_EPROCLIM, "EPROCLIM"},
    {XNU_EUSERS, "EUSERS"},
    {XNU_EDQUOT, "EDQUOT"},
    {XNU_ESTALE, "ESTALE"},
    {XNU_EREMOTE, "EREMOTE"},
    {XNU_EBADRPC, "EBADRPC"},
    {XNU_ERPCMISMATCH, "ERPCMISMATCH"},
    {XNU_EPROGUNAVAIL, "EPROGUNAVAIL"},
    {XNU_EPROGMISMATCH, "EPROGMISMATCH"},
    {XNU_EPROCUNAVAIL, "EPROCUNAVAIL"},
    {XNU_ENOLCK, "ENOLCK"},
    {XNU_ENOSYS, "ENOSYS"},
    {XNU_EFTYPE, "EFTYPE"},
    {XNU_EAUTH, "EAUTH"},
    {XNU_ENEEDAUTH, "ENEEDAUTH"},
    {XNU_EPWROFF, "EPWROFF"},
    {XNU_EDEVERR, "EDEVERR"},
    {XNU_EOVERFLOW, "EOVERFLOW"},
    {XNU_EBADEXEC, "EBADEXEC"},
    {XNU_EBADARCH, "EBADARCH"},
    {XNU_ESHLIBVERS, "ESHLIBVERS"},
    {XNU_EBADMACHO, "EBADMACHO"},
    {XNU_ECANCELED, "ECANCELED"},
    {XNU_EIDRM, "EIDRM"},
    {XNU_ENOMSG, "ENOMSG"},
    {XNU_EILSEQ, "EILSEQ"},
    {XNU_ENOATTR, "ENOATTR"},
    {XNU_EBADMSG, "EBADMSG"},
    {XNU_EMULTIHOP, "EMULTIHOP"},
    {XNU_ENODATA, "ENODATA"},
    {XNU_ENOLINK, "ENOLINK"},
    {XNU_ENOSR, "ENOSR"},
    {XNU_ENOSTR, "ENOSTR"},
    {XNU_EPROTO, "EPROTO"},
    {XNU_ETIME, "ETIME"},
    {XNU_EOPNOTSUPP, "EOPNOTSUPP"},
    {XNU_ENOPOLICY, "ENOPOLICY"},
    {XNU_ENOTRECOVERABLE, "ENOTRECOVERABLE"},
    {XNU_EOWNERDEAD, "EOWNERDEAD"},
    {XNU_EQFULL, "EQFULL"},
    {XNU_ERESTART, "ERESTART"},
    {XNU_EJUSTRETURN, "EJUSTRETURN"},
};
static_assert(std::size(kXnuErrnoNames) == XNU_ELAST + 2);  // 1..ELAST plus the two pseudo errors

constexpr auto kXnuErrnoNameTable = [] {
    std::array<const char*, XNU_ELAST + 1> t{};
    for (const NamedValue& n : kXnuErrnoNames)
        if (n.value > 0) t[n.value] = n.name;
    return t;
}();
constexpr bool errno_names_complete() {
    for (int e = 1; e <= XNU_ELAST; ++e)
        if (kXnuErrnoNameTable[e] == nullptr) return false;
    return true;
}
static_assert(errno_names_complete());

constexpr NamedValue kXnuSignalNames[] = {
    {XNU_SIGHUP, "SIGHUP"},     {XNU_SIGINT, "SIGINT"},       {XNU_SIGQUIT, "SIGQUIT"},
    {XNU_SIGILL, "SIGILL"},     {XNU_SIGTRAP, "SIGTRAP"},     {XNU_SIGABRT, "SIGABRT"},
    {XNU_SIGEMT, "SIGEMT"},     {XNU_SIGFPE, "SIGFPE"},       {XNU_SIGKILL, "SIGKILL"},
    {XNU_SIGBUS, "SIGBUS"},     {XNU_SIGSEGV, "SIGSEGV"},     {XNU_SIGSYS, "SIGSYS"},
    {XNU_SIGPIPE, "SIGPIPE"},   {XNU_SIGALRM, "SIGALRM"},     {XNU_SIGTERM, "SIGTERM"},
    {XNU_SIGURG, "SIGURG"},     {XNU_SIGSTOP, "SIGSTOP"},     {XNU_SIGTSTP, "SIGTSTP"},
    {XNU_SIGCONT, "SIGCONT"},   {XNU_SIGCHLD, "SIGCHLD"},     {XNU_SIGTTIN, "SIGTTIN"},
    {XNU_SIGTTOU, "SIGTTOU"},   {XNU_SIGIO, "SIGIO"},         {XNU_SIGXCPU, "SIGXCPU"},
    {XNU_SIGXFSZ, "SIGXFSZ"},   {XNU_SIGVTALRM, "SIGVTALRM"}, {XNU_SIGPROF, "SIGPROF"},
    {XNU_SIGWINCH, "SIGWINCH"}, {XNU_SIGINFO, "SIGINFO"},     {XNU_SIGUSR1, "SIGUSR1"},
    {XNU_SIGUSR2, "SIGUSR2"},
};
static_assert(std::size(kXnuSignalNames) == XNU_NSIG - 1);

constexpr auto kXnuSignalNameTable = [] {
    std::array<const char*, XNU_NSIG> t{};
    for (const NamedValue& n : kXnuSignalNames) t[n.value] = n.name;
    return t;
}();

constexpr NamedValue kOpenFlagNames[] = {
    {XNU_O_NONBLOCK, "O_NONBLOCK"},
    {XNU_O_APPEND, "O_APPEND"},
    {XNU_O_SHLOCK, "O_SHLOCK"},
    {XNU_O_EXLOCK, "O_EXLOCK"},
    {XNU_O_ASYNC, "O_ASYNC"},
    {XNU_O_SYNC, "O_SYNC"},
    {XNU_O_NOFOLLOW, "O_NOFOLLOW"},
    {XNU_O_CREAT, "O_CREAT"},
    {XNU_O_TRUNC, "O_TRUNC"},
    {XNU_O_EXCL, "O_EXCL"},
    {XNU_O_RESOLVE_BENEATH, "O_RESOLVE_BENEATH"},
    {XNU_O_EVTONLY, "O_EVTONLY"},
    {XNU_O_NOCTTY, "O_NOCTTY"},
    {XNU_O_DIRECTORY, "O_DIRECTORY"},
    {XNU_O_SYMLINK, "O_SYMLINK"},
    {XNU_O_DSYNC, "O_DSYNC"},
    {XNU_O_CLOEXEC, "O_CLOEXEC"},
    {XNU_O_CLOFORK, "O_CLOFORK"},
    {XNU_O_NOFOLLOW_ANY, "O_NOFOLLOW_ANY"},
    {XNU_O_EXEC, "O_EXEC"},
};
static_assert(std::size(kOpenFlagNames) == 20);

constexpr NamedValue kProtNames[] = {
    {XNU_PROT_READ, "PROT_READ"},
    {XNU_PROT_WRITE, "PROT_WRITE"},
    {XNU_PROT_EXEC, "PROT_EXEC"},
};
static_assert(std::size(kProtNames) == 3);

constexpr NamedValue kMapFlagNames[] = {
    {XNU_MAP_SHARED, "MAP_SHARED"},
    {XNU_MAP_PRIVATE, "MAP_PRIVATE"},
    {XNU_MAP_FIXED, "MAP_FIXED"},
    {XNU_MAP_RENAME, "MAP_RENAME"},
    {XNU_MAP_NORESERVE, "MAP_NORESERVE"},
    {XNU_MAP_RESERVED0080, "MAP_RESERVED0080"},
    {XNU_MAP_NOEXTEND, "MAP_NOEXTEND"},
    {XNU_MAP_HASSEMAPHORE, "MAP_HASSEMAPHORE"},
    {XNU_MAP_NOCACHE, "MAP_NOCACHE"},
    {XNU_MAP_JIT, "MAP_JIT"},
    {XNU_MAP_ANON, "MAP_ANON"},
    {XNU_MAP_RESILIENT_CODESIGN, "MAP_RESILIENT_CODESIGN"},
    {XNU_MAP_RESILIENT_MEDIA, "MAP_RESILIENT_MEDIA"},
    {XNU_MAP_32BIT, "MAP_32BIT"},
    {XNU_MAP_TRANSLATED_ALLOW_EXECUTE, "MAP_TRANSLATED_ALLOW_EXECUTE"},
    {XNU_MAP_UNIX03, "MAP_UNIX03"},
    {XNU_MAP_TPRO, "MAP_TPRO"},
};
static_assert(std::size(kMapFlagNames) == 17);

constexpr NamedValue kAtFlagNames[] = {
    {XNU_AT_EACCESS, "AT_EACCESS"},
    {XNU_AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"},
    {XNU_AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"},
    {XNU_AT_REMOVEDIR, "AT_REMOVEDIR"},
    {XNU_AT_REMOVEDIR_DATALESS, "AT_REMOVEDIR_DATALESS"},
    {XNU_AT_REALDEV, "AT_REALDEV"},
    {XNU_AT_FDONLY, "AT_FDONLY"},
    {XNU_AT_SYMLINK_NOFOLLOW_ANY, "AT_SYMLINK_NOFOLLOW_ANY"},
    {XNU_AT_SYSTEM_DISCARDED, "AT_SYSTEM_DISCARDED"},
};
static_assert(std::size(kAtFlagNames) == 9);

constexpr NamedValue kFileTypeNames[] = {
    {XNU_S_IFIFO, "S_IFIFO"}, {XNU_S_IFCHR, "S_IFCHR"}, {XNU_S_IFDIR, "S_IFDIR"},
    {XNU_S_IFBLK, "S_IFBLK"}, {XNU_S_IFREG, "S_IFREG"}, {XNU_S_IFLNK, "S_IFLNK"},
    {XNU_S_IFSOCK, "S_IFSOCK"}, {XNU_S_IFWHT, "S_IFWHT"},
};
static_assert(std::size(kFileTypeNames) == 8);

constexpr NamedValue kFcntlNames[] = {
    {XNU_F_DUPFD, "F_DUPFD"},
    {XNU_F_GETFD, "F_GETFD"},
    {XNU_F_SETFD, "F_SETFD"},
    {XNU_F_GETFL, "F_GETFL"},
    {XNU_F_SETFL, "F_SETFL"},
    {XNU_F_GETOWN, "F_GETOWN"},
    {XNU_F_SETOWN, "F_SETOWN"},
    {XNU_F_GETLK, "F_GETLK"},
    {XNU_F_SETLK, "F_SETLK"},
    {XNU_F_SETLKW, "F_SETLKW"},
    {XNU_F_SETLKWTIMEOUT, "F_SETLKWTIMEOUT"},
    {XNU_F_FLUSH_DATA, "F_FLUSH_DATA"},
    {XNU_F_CHKCLEAN, "F_CHKCLEAN"},
    {XNU_F_PREALLOCATE, "F_PREALLOCATE"},
    {XNU_F_SETSIZE, "F_SETSIZE"},
    {XNU_F_RDADVISE, "F_RDADVISE"},
    {XNU_F_RDAHEAD, "F_RDAHEAD"},
    {XNU_F_NOCACHE, "F_NOCACHE"},
    {XNU_F_LOG2PHYS, "F_LOG2PHYS"},
    {XNU_F_GETPATH, "F_GETPATH"},
    {XNU_F_FULLFSYNC, "F_FULLFSYNC"},
    {XNU_F_PATHPKG_CHECK, "F_PATHPKG_CHECK"},
    {XNU_F_FREEZE_FS, "F_FREEZE_FS"},
    {XNU_F_THAW_FS, "F_THAW_FS"},
    {XNU_F_GLOBAL_NOCACHE, "F_GLOBAL_NOCACHE"},
    {XNU_F_OPENFROM, "F_OPENFROM"},
    {XNU_F_UNLINKFROM, "F_UNLINKFROM"},
    {XNU_F_CHECK_OPENEVT, "F_CHECK_OPENEVT"},
    {XNU_F_ADDSIGS, "F_ADDSIGS"},
    {XNU_F_MARKDEPENDENCY, "F_MARKDEPENDENCY"},
    {XNU_F_ADDFILESIGS, "F_ADDFILESIGS"},
    {XNU_F_NODIRECT, "F_NODIRECT"},
    {XNU_F_GETPROTECTIONCLASS, "F_GETPROTECTIONCLASS"},
    {XNU_F_SETPROTECTIONCLASS, "F_SETPROTECTIONCLASS"},
    {XNU_F_LOG2PHYS_EXT, "F_LOG2PHYS_EXT"},
    {XNU_F_GETLKPID, "F_GETLKPID"},
    {XNU_F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"},
    {XNU_F_SETSTATICCONTENT, "F_SETSTATICCONTENT"},
    {XNU_F_MOVEDATAEXTENTS, "F_MOVEDATAEXTENTS"},
    {XNU_F_SETBACKINGSTORE, "F_SETBACKINGSTORE"},
    {XNU_F_GETPATH_MTMINFO, "F_GETPATH_MTMINFO"},
    {XNU_F_GETCODEDIR, "F_GETCODEDIR"},
    {XNU_F_SETNOSIGPIPE, "F_SETNOSIGPIPE"},
    {XNU_F_GETNOSIGPIPE, "F_GETNOSIGPIPE"},
    {XNU_F_TRANSCODEKEY, "F_TRANSCODEKEY"},
    {XNU_F_SINGLE_WRITER, "F_SINGLE_WRITER"},
    {XNU_F_GETPROTECTIONLEVEL, "F_GETPROTECTIONLEVEL"},
    {XNU_F_FINDSIGS, "F_FINDSIGS"},
    {XNU_F_GETDEFAULTPROTLEVEL, "F_GETDEFAULTPROTLEVEL"},
    {XNU_F_MAKECOMPRESSED, "F_MAKECOMPRESSED"},
    {XNU_F_SET_GREEDY_MODE, "F_SET_GREEDY_MODE"},
    {XNU_F_SETIOTYPE, "F_SETIOTYPE"},
    {XNU_F_ADDFILESIGS_FOR_DYLD_SIM, "F_ADDFILESIGS_FOR_DYLD_SIM"},
    {XNU_F_RECYCLE, "F_RECYCLE"},
    {XNU_F_BARRIERFSYNC, "F_BARRIERFSYNC"},
    {XNU_F_OFD_SETLK, "F_OFD_SETLK"},
    {XNU_F_OFD_SETLKW, "F_OFD_SETLKW"},
    {XNU_F_OFD_GETLK, "F_OFD_GETLK"},
    {XNU_F_OFD_SETLKWTIMEOUT, "F_OFD_SETLKWTIMEOUT"},
    {XNU_F_OFD_GETLKPID, "F_OFD_GETLKPID"},
    {XNU_F_SETCONFINED, "F_SETCONFINED"},
    {XNU_F_GETCONFINED, "F_GETCONFINED"},
    {XNU_F_ADDFILESIGS_RETURN, "F_ADDFILESIGS_RETURN"},
    {XNU_F_CHECK_LV, "F_CHECK_LV"},
    {XNU_F_PUNCHHOLE, "F_PUNCHHOLE"},
    {XNU_F_TRIM_ACTIVE_FILE, "F_TRIM_ACTIVE_FILE"},
    {XNU_F_SPECULATIVE_READ, "F_SPECULATIVE_READ"},
    {XNU_F_GETPATH_NOFIRMLINK, "F_GETPATH_NOFIRMLINK"},
    {XNU_F_ADDFILESIGS_INFO, "F_ADDFILESIGS_INFO"},
    {XNU_F_ADDFILESUPPL, "F_ADDFILESUPPL"},
    {XNU_F_GETSIGSINFO, "F_GETSIGSINFO"},
    {XNU_F_SETLEASE, "F_SETLEASE"},
    {XNU_F_GETLEASE, "F_GETLEASE"},
    {XNU_F_ASSERT_BG_ACCESS, "F_ASSERT_BG_ACCESS"},
    {XNU_F_RELEASE_BG_ACCESS, "F_RELEASE_BG_ACCESS"},
    {XNU_F_TRANSFEREXTENTS, "F_TRANSFEREXTENTS"},
    {XNU_F_ATTRIBUTION_TAG, "F_ATTRIBUTION_TAG"},
    {XNU_F_NOCACHE_EXT, "F_NOCACHE_EXT"},
    {XNU_F_ADDSIGS_MAIN_BINARY, "F_ADDSIGS_MAIN_BINARY"},
};
static_assert(std::size(kFcntlNames) == 79);

struct NamedRequest {
    std::uint32_t value;
    const char* name;
};
constexpr NamedRequest kIoctlNames[] = {
    {XNU_TIOCMODG, "TIOCMODG"},
    {XNU_TIOCMODS, "TIOCMODS"},
    {XNU_TIOCEXCL, "TIOCEXCL"},
    {XNU_TIOCNXCL, "TIOCNXCL"},
    {XNU_TIOCFLUSH, "TIOCFLUSH"},
    {XNU_TIOCGETA, "TIOCGETA"},
    {XNU_TIOCSETA, "TIOCSETA"},
    {XNU_TIOCSETAW, "TIOCSETAW"},
    {XNU_TIOCSETAF, "TIOCSETAF"},
    {XNU_TIOCGETD, "TIOCGETD"},
    {XNU_TIOCSETD, "TIOCSETD"},
    {XNU_TIOCIXON, "TIOCIXON"},
    {XNU_TIOCIXOFF, "TIOCIXOFF"},
    {XNU_TIOCSBRK, "TIOCSBRK"},
    {XNU_TIOCCBRK, "TIOCCBRK"},
    {XNU_TIOCSDTR, "TIOCSDTR"},
    {XNU_TIOCCDTR, "TIOCCDTR"},
    {XNU_TIOCGPGRP, "TIOCGPGRP"},
    {XNU_TIOCSPGRP, "TIOCSPGRP"},
    {XNU_TIOCOUTQ, "TIOCOUTQ"},
    {XNU_TIOCSTI, "TIOCSTI"},
    {XNU_TIOCNOTTY, "TIOCNOTTY"},
    {XNU_TIOCPKT, "TIOCPKT"},
    {XNU_TIOCSTOP, "TIOCSTOP"},
    {XNU_TIOCSTART, "TIOCSTART"},
    {XNU_TIOCMSET, "TIOCMSET"},
    {XNU_TIOCMBIS, "TIOCMBIS"},
    {XNU_TIOCMBIC, "TIOCMBIC"},
    {XNU_TIOCMGET, "TIOCMGET"},
    {XNU_TIOCGWINSZ, "TIOCGWINSZ"},
    {XNU_TIOCSWINSZ, "TIOCSWINSZ"},
    {XNU_TIOCUCNTL, "TIOCUCNTL"},
    {XNU_TIOCSTAT, "TIOCSTAT"},
    {XNU_TIOCSCONS, "TIOCSCONS"},
    {XNU_TIOCCONS, "TIOCCONS"},
    {XNU_TIOCSCTTY, "TIOCSCTTY"},
    {XNU_TIOCEXT, "TIOCEXT"},
    {XNU_TIOCSIG, "TIOCSIG"},
    {XNU_TIOCDRAIN, "TIOCDRAIN"},
    {XNU_TIOCMSDTRWAIT, "TIOCMSDTRWAIT"},
    {XNU_TIOCMGDTRWAIT, "TIOCMGDTRWAIT"},
    {XNU_TIOCTIMESTAMP, "TIOCTIMESTAMP"},
    {XNU_TIOCDCDTIMESTAMP, "TIOCDCDTIMESTAMP"},
    {XNU_TIOCSDRAINWAIT, "TIOCSDRAINWAIT"},
    {XNU_TIOCGDRAINWAIT, "TIOCGDRAINWAIT"},
    {XNU_TIOCDSIMICROCODE, "TIOCDSIMICROCODE"},
    {XNU_TIOCPTYGRANT, "TIOCPTYGRANT"},
    {XNU_TIOCPTYGNAME, "TIOCPTYGNAME"},
    {XNU_TIOCPTYUNLK, "TIOCPTYUNLK"},
    {XNU_TIOCREVOKE, "TIOCREVOKE"},
    {XNU_TIOCREVOKECLEAR, "TIOCREVOKECLEAR"},
    {XNU_TIOCGSID, "TIOCGSID"},
    {XNU_FIOCLEX, "FIOCLEX"},
    {XNU_FIONCLEX, "FIONCLEX"},
    {XNU_FIONREAD, "FIONREAD"},
    {XNU_FIONBIO, "FIONBIO"},
    {XNU_FIOASYNC, "FIOASYNC"},
    {XNU_FIOSETOWN, "FIOSETOWN"},
    {XNU_FIOGETOWN, "FIOGETOWN"},
    {XNU_FIODTYPE, "FIODTYPE"},
};
static_assert(std::size(kIoctlNames) == 60);

constexpr bool ioctl_names_distinct() {
    for (std::size_t i = 0; i < std::size(kIoctlNames); ++i)
        for (std::size_t j = i + 1; j < std::size(kIoctlNames); ++j)
            if (kIoctlNames[i].value == kIoctlNames[j].value) return false;
    return true;
}
static_assert(ioctl_names_distinct());

// A bounded string builder: always NUL-terminated, silently truncating.
class Writer {
public:
    Writer(char* buf, std::size_t len) noexcept : buf_(buf), cap_(len ? len - 1 : 0) {
        if (len) buf_[0] = '\0';
    }
    void put(char c) noexcept {
        if (n_ < cap_) {
            buf_[n_++] = c;
            buf_[n_] = '\0';
        }
    }
    void put(const char* s) noexcept {
        while (*s) put(*s++);
    }
    void put_hex(std::uint64_t v) noexcept {
        put("0x");
        put_digits(v, 16, 1);
    }
    void put_octal(std::uint64_t v, int min_digits) noexcept { put_digits(v, 8, min_digits); }
    // Starts a new '|'-separated item.
    void item(const char* s) noexcept {
        if (items_++) put('|');
        put(s);
    }
    void item_hex(std::uint64_t v) noexcept {
        if (items_++) put('|');
        put_hex(v);
    }
    bool empty() const noexcept { return items_ == 0; }
    int length() const noexcept { return static_cast<int>(n_); }

private:
    void put_digits(std::uint64_t v, unsigned base, int min_digits) noexcept {
        char tmp[24];
        int n = 0;
        do {
            tmp[n++] = "0123456789abcdef"[v % base];
            v /= base;
        } while (v != 0);
        while (n < min_digits) tmp[n++] = '0';
        while (n > 0) put(tmp[--n]);
    }

    char* buf_;
    std::size_t cap_;
    std::size_t n_ = 0;
    int items_ = 0;
};

// Names each set bit from `names`, then any remaining bits as one hex number.
template <std::size_t N>
void put_bits(Writer& w, unsigned flags, const NamedValue (&names)[N]) noexcept {
    for (const NamedValue& n : names) {
        if (flags & static_cast<unsigned>(n.value)) {
            w.item(n.name);
            flags &= ~static_cast<unsigned>(n.value);
        }
    }
    if (flags) w.item_hex(flags);
}

}  // namespace

const char* xnu_errno_name(int xnu_errno) noexcept {
    if (xnu_errno == XNU_ERESTART) return "ERESTART";
    if (xnu_errno == XNU_EJUSTRETURN) return "EJUSTRETURN";
    if (xnu_errno < 1 || xnu_errno > XNU_ELAST) return nullptr;
    return kXnuErrnoNameTable[static_cast<std::size_t>(xnu_errno)];
}

const char* xnu_signal_name(int xnu_sig) noexcept {
    if (xnu_sig < 1 || xnu_sig >= XNU_NSIG) return nullptr;
    return kXnuSignalNameTable[static_cast<std::size_t>(xnu_sig)];
}

int format_oflags(int xnu_flags, char* buf, std::size_t len) noexcept {
    Writer w(buf, len);
    const unsigned flags = static_cast<unsigned>(xnu_flags);
    const unsigned accmode = flags & XNU_O_ACCMODE;
    static constexpr const char* kAccModes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    if (!((flags & XNU_O_EXEC) && accmode == 0)) w.item(kAccModes[accmode]);  // O_EXEC replaces O_RDONLY
    put_bits(w, flags & ~static_cast<unsigned>(XNU_O_ACCMODE), kOpenFlagNames);
    return w.length();
}

int format_prot(int xnu_prot, char* buf, std::size_t len) noexcept {
    Writer w(buf, len);
    if (xnu_prot == XNU_PROT_NONE) {
        w.item("PROT_NONE");
    } else {
        put_bits(w, static_cast<unsigned>(xnu_prot), kProtNames);
    }
    return w.length();
}

int format_mapflags(int xnu_flags, char* buf, std::size_t len) noexcept {
    Writer w(buf, len);
    put_bits(w, static_cast<unsigned>(xnu_flags), kMapFlagNames);
    if (w.empty()) w.item("0");
    return w.length();
}

int format_atflags(int xnu_flags, char* buf, std::size_t len) noexcept {
    Writer w(buf, len);
    put_bits(w, static_cast<unsigned>(xnu_flags), kAtFlagNames);
    if (w.empty()) w.item("0");
    return w.length();
}

int format_mode(int xnu_mode_arg, char* buf, std::size_t len) noexcept {
    Writer w(buf, len);
    const unsigned xnu_mode = static_cast<unsigned>(xnu_mode_arg);
    const unsigned type = xnu_mode & static_cast<unsigned>(XNU_S_IFMT);
    if (type) {
        const char* name = nullptr;
        for (const NamedValue& n : kFileTypeNames)
            if (static_cast<unsigned>(n.value) == type) name = n.name;
        if (name) {
            w.item(name);
        } else {
            w.item_hex(type);
        }
    }
    char perm[8];
    Writer p(perm, sizeof perm);
    p.put('0');
    p.put_octal(xnu_mode & 07777u, 3);
    w.item(perm);
    if (const unsigned extra = xnu_mode & ~0177777u) w.item_hex(extra);
    return w.length();
}

const char* fcntl_cmd_name(int xnu_cmd) noexcept {
    for (const NamedValue& n : kFcntlNames)
        if (n.value == xnu_cmd) return n.name;
    return nullptr;
}

const char* ioctl_name(unsigned long xnu_request) noexcept {
    for (const NamedRequest& n : kIoctlNames)
        if (n.value == xnu_request) return n.name;
    return nullptr;
}

}  // namespace xnu_sys
