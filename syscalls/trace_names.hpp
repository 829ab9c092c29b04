// The names the --trace printer gives XNU values (errno, signals, flag words, modes, fcntl commands, ioctl
// requests), also used where a handler names a value in a diagnostic.
//
// Everything here is noexcept, allocation-free and async-signal-safe (no locale, no stdio, no locks): the
// tracer formats inside the SIGSYS handler. All tables are constexpr arrays in trace_names.cpp, checked for
// size and completeness at compile time.
#pragma once

#include <cstddef>

namespace xnu_sys {

// "ENOENT", "ERESTART", ...; nullptr for numbers XNU does not define.
const char* xnu_errno_name(int xnu_errno) noexcept;

// "SIGCHLD", ...; nullptr outside 1..31.
const char* xnu_signal_name(int xnu_sig) noexcept;

// Each writes a NUL-terminated string into buf (truncated to len-1 characters; nothing when len is 0) and
// returns the number of characters written. Unnamed bits are printed as a trailing hex number.
int format_oflags(int xnu_flags, char* buf, std::size_t len) noexcept;   // "O_WRONLY|O_CREAT|O_TRUNC"
int format_prot(int xnu_prot, char* buf, std::size_t len) noexcept;      // "PROT_READ|PROT_WRITE"
int format_mapflags(int xnu_flags, char* buf, std::size_t len) noexcept; // "MAP_PRIVATE|MAP_ANON"
int format_atflags(int xnu_flags, char* buf, std::size_t len) noexcept;  // "AT_SYMLINK_NOFOLLOW"
int format_mode(int xnu_mode, char* buf, std::size_t len) noexcept;      // "0644", "S_IFDIR|0755"

// nullptr when unknown.
const char* fcntl_cmd_name(int xnu_cmd) noexcept;
const char* ioctl_name(unsigned long xnu_request) noexcept;

}  // namespace xnu_sys
