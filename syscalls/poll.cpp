// Waiting on descriptors: poll and select.
#include <poll.h>

#include "common.hpp"

namespace xnu_sys {
namespace {

// poll bits that differ: XNU POLLWRNORM is POLLOUT (4) and POLLWRBAND is 0x100 (bsd/sys/poll.h); Linux uses
// 0x100 and 0x200. POLLEXTEND, POLLATTRIB, POLLNLINK and POLLWRITE (vnode events) have no Linux form.
short events_to_linux(short x) {
    short l = short(x & (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND));
    if (x & xnu::XNU_POLLWRBAND) l |= POLLWRBAND;
    return l;
}
short revents_to_xnu(short l) {
    short x = short(l & (POLLIN | POLLPRI | POLLOUT | POLLERR | POLLHUP | POLLNVAL | POLLRDNORM | POLLRDBAND));
    if (l & POLLWRNORM) x |= xnu::XNU_POLLWRNORM;
    if (l & POLLWRBAND) x |= xnu::XNU_POLLWRBAND;
    return x;
}

// Large sets: the event bits are translated in the program's own array, the kernel polls it there, and the
// bits are translated back, so no buffer of the set's size is needed here.
SysResult poll_in_place(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) {
    pollfd p[128];
    for (uint32_t done = 0; done < nfds; done += 128) {
        uint32_t n = std::min<uint32_t>(128, nfds - done);
        XNU_TRY(t.read(fds + done * sizeof(pollfd), p, n * sizeof(pollfd)));
        for (uint32_t i = 0; i < n; i++) p[i].events = events_to_linux(p[i].events);
        XNU_TRY(t.write(fds + done * sizeof(pollfd), p, n * sizeof(pollfd)));
    }
    struct { long s, ns; } ts{timeout / 1000, (timeout % 1000) * 1000000L};
    int64_t r = t.sys(SYS_ppoll, {fds, nfds, timeout < 0 ? tracer::LinuxArg(nullptr) : in(ts), nullptr, 8});
    for (uint32_t done = 0; done < nfds; done += 128) {
        uint32_t n = std::min<uint32_t>(128, nfds - done);
        XNU_TRY(t.read(fds + done * sizeof(pollfd), p, n * sizeof(pollfd)));
        for (uint32_t i = 0; i < n; i++) {
            // Undo the events translation (lossless for the bits XNU programs set) and translate revents.
            short ev = short(p[i].events & ~(POLLWRBAND));
            if (p[i].events & POLLWRBAND) ev |= xnu::XNU_POLLWRBAND;
            p[i].events = ev;
            p[i].revents = revents_to_xnu(p[i].revents);
        }
        XNU_TRY(t.write(fds + done * sizeof(pollfd), p, n * sizeof(pollfd)));
    }
    return from_linux(r);
}

SysResult do_poll(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) {
    struct { uint64_t rlim_cur, rlim_max; } lim{};
    t.sys(SYS_prlimit64, {0, 7 /* RLIMIT_NOFILE */, nullptr, out(lim)});
    // xnu bsd/kern/sys_generic.c: more than OPEN_MAX, or more than the descriptor limit (and FD_SETSIZE), is EINVAL.
    if (nfds > uint32_t(xnu::XNU_OPEN_MAX) || (nfds > lim.rlim_cur && nfds > 1024)) return SysResult::error(xnu::XNU_EINVAL);
    constexpr uint32_t kChunk = 512;
    if (nfds > kChunk) return poll_in_place(t, fds, nfds, timeout);
    pollfd p[kChunk];
    XNU_TRY(t.read(fds, p, sizeof(pollfd) * nfds));
    for (uint32_t i = 0; i < nfds; i++) {
        if (hidden_fd(p[i].fd)) p[i].fd = -1;  // never report on macrun's own descriptors
        p[i].events = events_to_linux(p[i].events);
    }
    struct { long s, ns; } ts{timeout / 1000, (timeout % 1000) * 1000000L};
    int64_t r = t.sys(SYS_ppoll, {inout(p, sizeof(pollfd) * nfds), nfds, timeout < 0 ? tracer::LinuxArg(nullptr) : in(ts),
                                  nullptr, 8});
    if (r < 0) return from_linux(r);
    pollfd orig[kChunk];
    XNU_TRY(t.read(fds, orig, sizeof(pollfd) * nfds));
    for (uint32_t i = 0; i < nfds; i++) {
        orig[i].revents = revents_to_xnu(p[i].revents);
        if (hidden_fd(orig[i].fd)) orig[i].revents = xnu::XNU_POLLNVAL;
    }
    XNU_TRY(t.write(fds, orig, sizeof(pollfd) * nfds));
    return SysResult::ok(uint64_t(r));
}

SysResult do_select(Thread& t, int32_t nd, TraceeAddr rd, TraceeAddr wr, TraceeAddr ex, TraceeAddr tv) {
    if (nd < 0) return SysResult::error(xnu::XNU_EINVAL);
    if (nd > 1024) nd = 1024;  // xnu clamps to the descriptor table size
    // XNU's fd_set is an array of 32-bit words; copy exactly the words XNU would read.
    size_t bytes = size_t((nd + 31) / 32) * 4;
    uint64_t sets[3][16] = {};
    TraceeAddr ptrs[3] = {rd, wr, ex};
    for (int i = 0; i < 3; i++)
        if (!ptrs[i].null()) XNU_TRY(t.read(ptrs[i], sets[i], bytes));
    struct { long s, ns; } ts{};
    bool has_timeout = !tv.null();
    if (has_timeout) {
        xnu::timeval x;
        XNU_TRY(t.read(tv, &x, sizeof x));
        if (x.tv_sec < 0 || x.tv_usec < 0 || x.tv_usec >= 1000000) return SysResult::error(xnu::XNU_EINVAL);
        ts.s = x.tv_sec;
        ts.ns = long(x.tv_usec) * 1000;
    }
    auto arg = [&](int i) { return ptrs[i].null() ? tracer::LinuxArg(nullptr) : inout(sets[i], sizeof sets[i]); };
    int64_t r = t.sys(SYS_pselect6, {nd, arg(0), arg(1), arg(2), has_timeout ? in(ts) : tracer::LinuxArg(nullptr), nullptr});
    if (r < 0) return from_linux(r);
    for (int i = 0; i < 3; i++)
        if (!ptrs[i].null()) XNU_TRY(t.write(ptrs[i], sets[i], bytes));
    return SysResult::ok(uint64_t(r));
}

}  // namespace

/// poll implements XNU BSD poll(2) (230).
SysResult sys_poll(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) { return do_poll(t, fds, nfds, timeout); }
SysResult sys_poll_nocancel(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) { return do_poll(t, fds, nfds, timeout); }

/// select implements XNU BSD select(2) (93). Unlike Linux, the timeout is left as given.
SysResult sys_select(Thread& t, int32_t nd, TraceeAddr in, TraceeAddr ou, TraceeAddr ex, TraceeAddr tv) {
    return do_select(t, nd, in, ou, ex, tv);
}
SysResult sys_select_nocancel(Thread& t, int32_t nd, TraceeAddr in, TraceeAddr ou, TraceeAddr ex, TraceeAddr tv) {
    return do_select(t, nd, in, ou, ex, tv);
}

}  // namespace xnu_sys
