// Linux <-> XNU value translation: errno, signals, open/mmap/at flags, stat, termios, file flags. (The names
// the tracer prints values with are in syscalls/trace_names.hpp.)
//
// Everything here is noexcept, allocation-free and async-signal-safe (no locale, no stdio, no locks): the
// SIGSYS handler calls these directly. All tables are constexpr arrays in translate.cpp, checked for size
// and completeness at compile time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "xnu.hpp"

// Host (Linux/glibc) types, defined by <sys/stat.h> and <termios.h>. Only translate.cpp needs their bodies.
struct stat;
struct termios;
struct rusage;

namespace xlate {

// ---- errno -----------------------------------------------------------------------------------------------
// Linux errno (0..133, positive) -> XNU errno with the same meaning. Linux-only codes map to the nearest XNU
// code (see the table). Anything outside 0..133, including negative values, yields XNU EIO: an error we
// cannot name is reported as a generic I/O failure rather than as a bad argument from the caller.
int errno_to_xnu(int linux_errno) noexcept;

// ---- signals ---------------------------------------------------------------------------------------------
// 0 when the other side has no such signal: XNU SIGEMT/SIGINFO; Linux SIGSTKFLT, SIGPWR and the real-time
// signals 32..64. Signal 0 (the kill() probe) maps to 0 as well, which is the right answer for it.
int signal_to_xnu(int linux_sig) noexcept;
int signal_to_linux(int xnu_sig) noexcept;

// Masks: bit (n-1) stands for signal n on both sides. Signals without an equivalent are dropped.
std::uint32_t sigmask_to_xnu(std::uint64_t linux_mask) noexcept;
std::uint64_t sigmask_to_linux(std::uint32_t xnu_mask) noexcept;

// ---- open flags ------------------------------------------------------------------------------------------
// false (the caller returns EINVAL) for unknown bits, for bits Linux cannot express through open flags
// (O_RESOLVE_BENEATH, O_NOFOLLOW_ANY, O_CLOFORK: strip and emulate them first if wanted) and for the
// combinations XNU's open() itself rejects (access mode 3, O_EXEC with a write mode).
// O_SHLOCK/O_EXLOCK are accepted and dropped: the caller must flock() the new descriptor itself.
bool oflags_to_linux(int xnu_flags, int* linux_flags) noexcept;
// Linux F_GETFL value -> XNU flags. Host-only bits (O_LARGEFILE, O_NOATIME, O_DIRECT) are dropped.
int oflags_to_xnu(int linux_flags) noexcept;

// ---- memory ----------------------------------------------------------------------------------------------
// false for bits outside PROT_READ|WRITE|EXEC. XNU's mmap() (not mprotect()) silently ignores such bits, so
// an mmap handler should mask with xnu::XNU_PROT_ALL first.
bool prot_to_linux(int xnu_prot, int* linux_prot) noexcept;
// false for unknown bits and for the combinations XNU's mmap() rejects (bsd/kern/kern_mman.c).
bool mapflags_to_linux(int xnu_flags, int* linux_flags) noexcept;

// ---- *at() flags -----------------------------------------------------------------------------------------
// AT_FDONLY becomes AT_EMPTY_PATH, which needs an empty path string: the caller passes "".
bool atflags_to_linux(int xnu_flags, int* linux_flags) noexcept;

// ---- stat ------------------------------------------------------------------------------------------------
// Linux struct stat carries no birth time. st_birthtimespec is set to the earlier of mtime and ctime, which
// keeps XNU's invariant birthtime <= mtime (utimes() on macOS pulls the birth time back). A caller that has
// statx() STATX_BTIME should overwrite it. st_flags and st_gen are 0; st_nlink saturates at 0xffff;
// devices are re-encoded as XNU's 8-bit major / 24-bit minor.
void stat_to_xnu(const struct ::stat& in, xnu::stat64& out) noexcept;
// Same layout as Linux's but ru_maxrss in bytes (Linux: KiB; xnu bsd/kern/kern_resource.c).
xnu::rusage rusage_to_xnu(const struct ::rusage& in) noexcept;
// Legacy 32-bit-inode layout (syscalls 188-190): as above, the inode number truncated to 32 bits.
void stat_to_xnu_old(const struct ::stat& in, xnu::stat& out) noexcept;

// ---- termios ---------------------------------------------------------------------------------------------
// The host side is glibc's struct termios (what tcgetattr()/tcsetattr() use); its speed lives in the
// CBAUD/CIBAUD bits of c_cflag. Flag bits and c_cc slots are translated one by one; bits without an
// equivalent are dropped, disabled characters map 0xff <-> 0.
void termios_to_xnu(const struct ::termios& in, xnu::termios& out) noexcept;
// false when a speed has no Linux Bxxx code (XNU accepts any number, e.g. 14400).
bool termios_to_linux(const xnu::termios& in, struct ::termios& out) noexcept;

// ---- file flags (chflags, st_flags) ----------------------------------------------------------------------
// Linux has three inode flags with a BSD counterpart: FS_NODUMP_FL (UF_NODUMP), FS_IMMUTABLE_FL and
// FS_APPEND_FL. Linux's immutable and append flags need CAP_LINUX_IMMUTABLE to change, as the SF_ flags need
// the superuser; UF_IMMUTABLE/UF_APPEND and SF_IMMUTABLE/SF_APPEND both set them. Read back they are reported
// as UF_IMMUTABLE/UF_APPEND (the Finder's "locked"), so a program that sets and later clears uchg sees its own
// flag. Other BSD flags (UF_HIDDEN, SF_ARCHIVED, ...) have no Linux equivalent.
constexpr std::uint32_t kMappableFileFlags = xnu::XNU_UF_NODUMP | xnu::XNU_UF_IMMUTABLE | xnu::XNU_UF_APPEND |
                                             xnu::XNU_SF_IMMUTABLE | xnu::XNU_SF_APPEND;
// Linux FS_IOC_GETFLAGS bits -> st_flags.
std::uint32_t fsflags_to_xnu(std::uint32_t linux_fs_flags) noexcept;
// statx stx_attributes -> st_flags (the same three flags, as statx reports them without opening the file).
std::uint32_t statx_attributes_to_xnu(std::uint64_t stx_attributes) noexcept;
// st_flags -> the Linux FS_IOC_SETFLAGS bits among FS_NODUMP_FL | FS_IMMUTABLE_FL | FS_APPEND_FL.
std::uint32_t xnu_flags_to_fsflags(std::uint32_t xnu_flags) noexcept;
constexpr std::uint32_t kLinuxFsFlagsMapped = 0x00000010 | 0x00000020 | 0x00000040;  // IMMUTABLE | APPEND | NODUMP

}  // namespace xlate
