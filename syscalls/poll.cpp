// Waiting on descriptors: poll and select.
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "common.hpp"

namespace xnu_sys {
namespace {

using xnu::XNU_POLLERR, xnu::XNU_POLLHUP, xnu::XNU_POLLIN, xnu::XNU_POLLNVAL, xnu::XNU_POLLOUT, xnu::XNU_POLLPRI,
    xnu::XNU_POLLRDBAND, xnu::XNU_POLLRDNORM, xnu::XNU_POLLWRBAND, xnu::XNU_POLLWRNORM;

// The event bits that make XNU register a kevent for a descriptor (poll_nocancel() in xnu
// bsd/kern/sys_generic.c); a descriptor asking for none of them is skipped, even when it is not open.
constexpr short kReadBits = XNU_POLLIN | XNU_POLLRDNORM | XNU_POLLPRI | XNU_POLLRDBAND | XNU_POLLHUP;
constexpr short kWriteBits = XNU_POLLOUT | XNU_POLLWRNORM | XNU_POLLWRBAND;
constexpr short kVnodeBits = xnu::XNU_POLLEXTEND | xnu::XNU_POLLATTRIB | xnu::XNU_POLLNLINK | xnu::XNU_POLLWRITE;
bool registers(short events) { return events & (kReadBits | kWriteBits | kVnodeBits); }

// poll bits that differ: XNU POLLWRNORM is POLLOUT (4) and POLLWRBAND is 0x100 (bsd/sys/poll.h); Linux uses
// 0x100 and 0x200. POLLEXTEND, POLLATTRIB, POLLNLINK and POLLWRITE (vnode events) have no Linux form.
short events_to_linux(short x) {
    short l = short(x & (POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND));
    if (x & XNU_POLLWRBAND) l |= POLLWRBAND;
    return l;
}

// Linux's readiness for one descriptor as XNU's poll_callback() reports it: a ready read filter sets every
// requested read bit, a ready write filter every requested write bit; end-of-file (POLLHUP) sets all requested
// read bits and suppresses the write bits. A pipe whose reader is gone is POLLERR on Linux, EOF on XNU.
short revents_to_xnu(Thread& t, int fd, short events, short l) {
    if (l & POLLNVAL) return XNU_POLLNVAL;
    if (l & POLLERR) {
        struct ::stat st;
        if (t.sys(SYS_fstat, {fd, out(st)}) == 0 && S_ISFIFO(st.st_mode)) l = short((l & ~POLLERR) | POLLHUP);
    }
    short x = short(l & (POLLERR | POLLHUP));
    if (l & POLLHUP) return short(x | (events & (XNU_POLLIN | XNU_POLLRDNORM | XNU_POLLPRI | XNU_POLLRDBAND)));
    if (l & (POLLIN | POLLRDNORM)) x |= short(events & (XNU_POLLIN | XNU_POLLRDNORM));
    if (l & (POLLPRI | POLLRDBAND)) x |= short(events & (XNU_POLLPRI | XNU_POLLRDBAND));
    if (l & (POLLOUT | POLLWRNORM | POLLWRBAND)) x |= short(events & kWriteBits);
    return x;
}

// The Linux pollfd for one XNU entry: skipped (-1) when XNU would not register it or when it is one of
// macrun's own descriptors (reported POLLNVAL afterwards).
pollfd to_linux(const pollfd& x) {
    if (x.fd < 0 || !registers(x.events) || hidden_fd(x.fd)) return pollfd{-1, 0, 0};
    return pollfd{x.fd, events_to_linux(x.events), 0};
}
short result_for(Thread& t, const pollfd& x, short linux_revents) {
    if (x.fd < 0 || !registers(x.events)) return 0;
    if (hidden_fd(x.fd)) return XNU_POLLNVAL;
    return revents_to_xnu(t, x.fd, x.events, linux_revents);
}

struct Timeout {
    long s, ns;
};

// Large sets: the program's own array is polled in place. Its entries are first saved to a scratch mapping
// made in the program's address space (so this works through any backend), replaced by their Linux form,
// and put back with XNU's results afterwards; no buffer of the set's size is needed here.
SysResult poll_in_place(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) {
    constexpr uint32_t kStep = 128;
    const uint64_t bytes = uint64_t(sizeof(pollfd)) * nfds;
    int64_t m = t.sys(SYS_mmap, {0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0});
    if (m < 0) return SysResult::error(xnu::XNU_EAGAIN);  // what XNU answers when it cannot allocate the set
    const TraceeAddr save{uint64_t(m)};
    pollfd o[kStep], p[kStep];
    int err = 0;
    for (uint32_t done = 0; done < nfds && !err; done += kStep) {
        uint32_t n = std::min(kStep, nfds - done);
        uint64_t off = uint64_t(done) * sizeof(pollfd);
        err = t.read(fds + off, o, n * sizeof(pollfd));
        if (!err) err = t.write(save + off, o, n * sizeof(pollfd));
        for (uint32_t i = 0; i < n; i++) p[i] = to_linux(o[i]);
        if (!err) err = t.write(fds + off, p, n * sizeof(pollfd));
    }
    int64_t r = -EFAULT;
    if (!err) {
        Timeout ts{timeout / 1000, (timeout % 1000) * 1000000L};
        r = t.sys(SYS_ppoll, {fds, nfds, timeout < 0 ? base::LinuxArg(nullptr) : in(ts), nullptr, 8});
    }
    // Put the originals back even after a failure; only then report it.
    uint64_t ready = 0;
    for (uint32_t done = 0; done < nfds; done += kStep) {
        uint32_t n = std::min(kStep, nfds - done);
        uint64_t off = uint64_t(done) * sizeof(pollfd);
        if (t.read(save + off, o, n * sizeof(pollfd)) != 0 || t.read(fds + off, p, n * sizeof(pollfd)) != 0) break;
        for (uint32_t i = 0; i < n; i++) {
            o[i].revents = r < 0 ? 0 : result_for(t, o[i], p[i].revents);
            ready += o[i].revents != 0;
        }
        t.write(fds + off, o, n * sizeof(pollfd));
    }
    t.sys(SYS_munmap, {save, bytes});
    if (err) return SysResult::error(err);
    return r < 0 ? from_linux(r) : SysResult::ok(ready);
}

SysResult do_poll(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) {
    struct { uint64_t rlim_cur, rlim_max; } lim{};
    t.sys(SYS_prlimit64, {0, 7 /* RLIMIT_NOFILE */, nullptr, out(lim)});
    // xnu bsd/kern/sys_generic.c: more than OPEN_MAX is EINVAL, and so is more than the descriptor limit unless
    // the caller is root and stays within FD_SETSIZE.
    bool root = t.sys(SYS_geteuid) == 0;
    if (nfds > uint32_t(xnu::XNU_OPEN_MAX) || (nfds > lim.rlim_cur && (!root || nfds > 1024)))
        return SysResult::error(xnu::XNU_EINVAL);
    constexpr uint32_t kChunk = 512;
    if (nfds > kChunk) return poll_in_place(t, fds, nfds, timeout);
    pollfd orig[kChunk], p[kChunk];
    XNU_TRY(t.read(fds, orig, sizeof(pollfd) * nfds));
    for (uint32_t i = 0; i < nfds; i++) p[i] = to_linux(orig[i]);
    Timeout ts{timeout / 1000, (timeout % 1000) * 1000000L};
    int64_t r = t.sys(SYS_ppoll, {inout(p, sizeof(pollfd) * nfds), nfds, timeout < 0 ? base::LinuxArg(nullptr) : in(ts),
                                  nullptr, 8});
    if (r < 0) return from_linux(r);
    uint64_t ready = 0;
    for (uint32_t i = 0; i < nfds; i++) {
        orig[i].revents = result_for(t, orig[i], p[i].revents);
        ready += orig[i].revents != 0;
    }
    XNU_TRY(t.write(fds, orig, sizeof(pollfd) * nfds));
    return SysResult::ok(ready);
}

SysResult do_select(Thread& t, int32_t nd, TraceeAddr rd, TraceeAddr wr, TraceeAddr ex, TraceeAddr tv) {
    bool has_timeout = !tv.null();
    Timeout ts{};
    if (has_timeout) {
        // The timeout is checked before anything else, as itimerfix() in xnu bsd/kern/kern_time.c does.
        xnu::timeval x;
        XNU_TRY(t.read(tv, &x, sizeof x));
        if (x.tv_sec < 0 || x.tv_sec > 100000000 || x.tv_usec < 0 || x.tv_usec >= 1000000)
            return SysResult::error(xnu::XNU_EINVAL);
        ts.s = long(x.tv_sec);
        ts.ns = long(x.tv_usec) * 1000;
    }
    if (nd < 0) return SysResult::error(xnu::XNU_EINVAL);
    if (nd > 1024) nd = 1024;  // xnu clamps to the descriptor table size
    // XNU's fd_set is an array of 32-bit words; copy exactly the words XNU would read.
    size_t bytes = size_t((nd + 31) / 32) * 4;
    uint64_t sets[3][16] = {};
    TraceeAddr ptrs[3] = {rd, wr, ex};
    for (int i = 0; i < 3; i++) {
        if (ptrs[i].null()) continue;
        XNU_TRY(t.read(ptrs[i], sets[i], bytes));
        for (int fd = 0; fd < nd; fd++)
            if ((sets[i][fd / 64] >> (fd % 64) & 1) && hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    }
    auto arg = [&](int i) { return ptrs[i].null() ? base::LinuxArg(nullptr) : inout(sets[i], sizeof sets[i]); };
    int64_t r = t.sys(SYS_pselect6, {nd, arg(0), arg(1), arg(2), has_timeout ? in(ts) : base::LinuxArg(nullptr), nullptr});
    if (r < 0) return from_linux(r);
    for (int i = 0; i < 3; i++)
        if (!ptrs[i].null()) XNU_TRY(t.write(ptrs[i], sets[i], bytes));
    return SysResult::ok(uint64_t(r));
}

}  // namespace

/// poll implements XNU BSD poll(2) (230), with XNU's event numbering and its kevent-based reporting.
SysResult sys_poll(Thread& t, TraceeAddr fds, uint32_t nfds, int32_t timeout) { return do_poll(t, fds, nfds, timeout); }

/// select implements XNU BSD select(2) (93). Unlike Linux, the timeout is left as given.
SysResult sys_select(Thread& t, int32_t nd, TraceeAddr in, TraceeAddr ou, TraceeAddr ex, TraceeAddr tv) {
    return do_select(t, nd, in, ou, ex, tv);
}

}  // namespace xnu_sys
