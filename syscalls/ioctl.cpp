// ioctl for terminals and descriptors: window size, termios, process groups, FIONBIO/FIOCLEX and friends.
// XNU encodes the argument size in the request (bsd/sys/ioccom.h); Linux uses its own numbers.
#include <asm/termbits.h>
#include <sys/ioctl.h>

#include "common.hpp"
#include "trace_names.hpp"

#undef termios  // asm/termbits.h and glibc disagree on the struct; only the numbers are used here

namespace xnu_sys {
namespace {

// An ioctl whose int argument is read from or written to the tracee.
SysResult int_in(Thread& t, int fd, unsigned long lreq, TraceeAddr data) {
    int v;
    XNU_TRY(t.read(data, &v, sizeof v));
    return from_linux(t.sys(SYS_ioctl, {fd, lreq, in(v)}));
}
SysResult int_out(Thread& t, int fd, unsigned long lreq, TraceeAddr data) {
    int v = 0;
    int64_t r = t.sys(SYS_ioctl, {fd, lreq, out(v)});
    if (r < 0) return from_linux(r);
    XNU_TRY(t.write(data, &v, sizeof v));
    return SysResult::ok(0);
}

SysResult get_termios(Thread& t, int fd, TraceeAddr data) {
    struct ::termios lt {};
    int64_t r = t.sys(SYS_ioctl, {fd, TCGETS, out(&lt, 36)});  // the kernel's struct termios is 36 bytes
    if (r < 0) return from_linux(r);
    xnu::termios xt{};
    xlate::termios_to_xnu(lt, xt);
    XNU_TRY(t.write(data, &xt, sizeof xt));
    return SysResult::ok(0);
}

SysResult set_termios(Thread& t, int fd, unsigned long lreq, TraceeAddr data) {
    xnu::termios xt;
    XNU_TRY(t.read(data, &xt, sizeof xt));
    struct ::termios lt {};
    if (!xlate::termios_to_linux(xt, lt)) return SysResult::error(xnu::XNU_EINVAL);
    return from_linux(t.sys(SYS_ioctl, {fd, lreq, in(&lt, 36)}));
}

}  // namespace

/// ioctl implements XNU BSD ioctl(2) (54) for terminal and descriptor requests. An unknown request is
/// ENOTTY, as XNU answers for a device that does not know it.
SysResult sys_ioctl(Thread& t, int32_t fd, uint64_t com, TraceeAddr data) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    auto req = uint32_t(com);
    switch (req) {
        case xnu::XNU_FIOCLEX: return from_linux(t.sys(SYS_ioctl, {fd, FIOCLEX}));
        case xnu::XNU_FIONCLEX: return from_linux(t.sys(SYS_ioctl, {fd, FIONCLEX}));
        case xnu::XNU_FIONBIO: return int_in(t, fd, FIONBIO, data);
        case xnu::XNU_FIOASYNC: return int_in(t, fd, FIOASYNC, data);
        case xnu::XNU_FIONREAD: return int_out(t, fd, FIONREAD, data);
        case xnu::XNU_TIOCGWINSZ: {
            xnu::winsize ws{};  // same 8-byte layout as Linux's struct winsize
            int64_t r = t.sys(SYS_ioctl, {fd, TIOCGWINSZ, out(ws)});
            if (r < 0) return from_linux(r);
            XNU_TRY(t.write(data, &ws, sizeof ws));
            return SysResult::ok(0);
        }
        case xnu::XNU_TIOCSWINSZ: {
            xnu::winsize ws;
            XNU_TRY(t.read(data, &ws, sizeof ws));
            return from_linux(t.sys(SYS_ioctl, {fd, TIOCSWINSZ, in(ws)}));
        }
        case xnu::XNU_TIOCGETA: return get_termios(t, fd, data);
        case xnu::XNU_TIOCSETA: return set_termios(t, fd, TCSETS, data);
        case xnu::XNU_TIOCSETAW: return set_termios(t, fd, TCSETSW, data);
        case xnu::XNU_TIOCSETAF: return set_termios(t, fd, TCSETSF, data);
        case xnu::XNU_TIOCGPGRP: return int_out(t, fd, TIOCGPGRP, data);
        case xnu::XNU_TIOCSPGRP: return int_in(t, fd, TIOCSPGRP, data);
        case xnu::XNU_TIOCOUTQ: return int_out(t, fd, TIOCOUTQ, data);
        case xnu::XNU_TIOCSCTTY: return from_linux(t.sys(SYS_ioctl, {fd, TIOCSCTTY, 0}));
        case xnu::XNU_TIOCNOTTY: return from_linux(t.sys(SYS_ioctl, {fd, TIOCNOTTY}));
        case xnu::XNU_TIOCEXCL: return from_linux(t.sys(SYS_ioctl, {fd, TIOCEXCL}));
        case xnu::XNU_TIOCNXCL: return from_linux(t.sys(SYS_ioctl, {fd, TIOCNXCL}));
        case xnu::XNU_TIOCSTI: {
            char c;
            XNU_TRY(t.read(data, &c, 1));
            return from_linux(t.sys(SYS_ioctl, {fd, TIOCSTI, in(&c, 1)}));
        }
        default: {
            const char* name = ioctl_name(req);
            if (name) report_unimplemented(SysClass::Bsd, 54, name);
            // A descriptor that is not open is still EBADF.
            int64_t r = t.sys(SYS_fcntl, {fd, 1 /* F_GETFD */});
            return r < 0 ? from_linux(r) : SysResult::error(xnu::XNU_ENOTTY);
        }
    }
}

}  // namespace xnu_sys
