// What every handler family includes: the generated prototypes, the ABI declarations, the translation tables
// and a few helpers shared by all families.
#pragma once

#include <atomic>
#include <cstring>
#include <sys/syscall.h>

#include "base/abi/translate.hpp"
#include "base/abi/xnu.hpp"
#include "dispatch.hpp"
#include "handlers.gen.hpp"
#include "base/diag.hpp"
#include "base/process_state.hpp"
#include "base/result.hpp"
#include "base/runtime.hpp"
#include "base/thread.hpp"

namespace xnu_sys {

using base::in;
using base::inout;
using base::out;
using base::Thread;
using base::TraceeAddr;

// A raw Linux result (value or -errno) as an XNU result.
inline SysResult from_linux(int64_t r) {
    return r < 0 ? SysResult::error(xlate::errno_to_xnu(int(-r))) : SysResult::ok(uint64_t(r));
}
// The same for a call whose success value XNU does not pass on: 0.
inline SysResult ok_or(int64_t r) { return r < 0 ? from_linux(r) : SysResult::ok(0); }

// The XNU errno of a failed raw Linux result.
inline int xnu_err(int64_t r) { return xlate::errno_to_xnu(int(-r)); }

// Descriptors macrun keeps for itself are invisible to the program.
inline bool hidden_fd(int fd) { return base::g_runtime.is_reserved_fd(fd); }

// A path argument: at most MAXPATHLEN bytes including the NUL (ENAMETOOLONG past that), EFAULT for a bad
// pointer (xnu bsd/vfs/vfs_lookup.c namei copyinstr).
struct Path {
    char s[xnu::XNU_MAXPATHLEN];
    size_t len() const { return strlen(s); }
};
inline int read_path(Thread& t, TraceeAddr p, Path& out) {
    if (p.null()) return xnu::XNU_EFAULT;
    int e = t.read_cstr(p, out.s, sizeof out.s);
    if (e == 0 && out.s[0] == '\0') return xnu::XNU_ENOENT;  // an empty path names nothing
    return e;
}
inline base::LinuxArg in_path(const Path& p) { return in(p.s, p.len() + 1); }

// A call on one path argument: the path is read (read_path's errors), then `call(Path&)` gives the raw Linux
// result.
template <typename F>
SysResult one_path(Thread& t, TraceeAddr a, F call) {
    Path p;
    XNU_TRY(read_path(t, a, p));
    return from_linux(call(p));
}

// XNU's AT_FDCWD is -2; Linux's is -100, which on XNU is just a bad descriptor (EBADF): pass -1 for it.
inline int linux_dirfd(int fd) { return fd == xnu::XNU_AT_FDCWD ? -100 : fd == -100 ? -1 : fd; }

// Linux's *at() values, for the raw calls.
constexpr int kLinuxAtFdcwd = -100;
constexpr int kLinuxAtSymlinkNofollow = 0x100;
constexpr int kLinuxAtRemovedir = 0x200;
constexpr int kLinuxAtSymlinkFollow = 0x400;
constexpr int kLinuxAtEmptyPath = 0x1000;

// The calling process is the superuser (XNU's suser()/has_priv_suser).
inline bool is_root(Thread& t) { return t.sys(SYS_geteuid) == 0; }

// A descriptor macrun opens in the tracee for the length of one call.
class TempFd {
  public:
    TempFd(Thread& t, int64_t fd) : t_(t), fd_(fd) {}
    TempFd(const TempFd&) = delete;
    TempFd& operator=(const TempFd&) = delete;
    ~TempFd() {
        if (fd_ >= 0) t_.sys(SYS_close, {fd_});
    }

  private:
    Thread& t_;
    int64_t fd_;
};

// ---- The file families: path.cpp, fd.cpp, attr.cpp, stat.cpp, fsinfo.cpp, dirent.cpp -----------------------
// Each handler checks its arguments in the order XNU does (xnu bsd/vfs/vfs_syscalls.c, vfs_attrlist.c): the
// flag word first where XNU rejects unknown bits, then the path lookup (read_at_path vets the directory
// descriptor), then the other user buffers.

// Defined in fd.cpp.
// False only for an open descriptor that is not a vnode in XNU's sense (pipes, sockets).
bool is_vnode_fd(Thread& t, int fd);
// The descriptor checks of xnu file_vnode(): EBADF for a descriptor that is not open, EINVAL for a non-vnode.
int check_vnode_fd(Thread& t, int fd);
// fstat of any descriptor, an O_PATH one included (newfstatat with AT_EMPTY_PATH); 0 or a Linux -errno.
int64_t fstat_fd(Thread& t, int64_t fd, struct ::stat& st);

// Defined in path.cpp.
// The path argument of an *at() call, read with XNU's order of errors.
int read_at_path(Thread& t, int dirfd, TraceeAddr p, Path& dst);
// The result of a Linux *at() call, with XNU's errno for a descriptor that is not a directory vnode.
SysResult at_result(Thread& t, int dirfd, const Path& p, int64_t r);

using base::process_state;
using base::report_unimplemented;
using base::SysClass;
using base::ProcessState;

}  // namespace xnu_sys
