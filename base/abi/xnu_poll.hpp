// XNU (macOS x86_64) ABI, part of xnu.hpp: poll and select.
#pragma once

#include "xnu_base.hpp"
#include "xnu_time.hpp"

namespace xnu {

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

}  // namespace xnu
