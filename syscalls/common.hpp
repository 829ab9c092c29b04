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

// XNU's AT_FDCWD is -2; Linux's is -100, which on XNU is just a bad descriptor (EBADF): pass -1 for it.
inline int linux_dirfd(int fd) { return fd == xnu::XNU_AT_FDCWD ? -100 : fd == -100 ? -1 : fd; }

// Shared by the file families (defined in file.cpp).
// False only for an open descriptor that is not a vnode in XNU's sense (pipes, sockets).
bool is_vnode_fd(Thread& t, int fd);
// The path argument of an *at() call, read with XNU's order of errors.
int read_at_path(Thread& t, int dirfd, TraceeAddr p, Path& dst);
// The result of a Linux *at() call, with XNU's errno for a descriptor that is not a directory vnode.
SysResult at_result(Thread& t, int dirfd, const Path& p, int64_t r);

using base::process_state;
using base::report_unimplemented;
using base::SysClass;
using base::ProcessState;

}  // namespace xnu_sys
