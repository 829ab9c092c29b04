// XNU (macOS x86_64) ABI, part of xnu.hpp: Files: open flags, access modes, lseek, flock, fcntl, stat, directory entries, file-system calls.
#pragma once

#include "xnu_base.hpp"
#include "xnu_time.hpp"

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// open(2) flags (xnu bsd/sys/fcntl.h, bsd/sys/_types/_o_sync.h, _o_dsync.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_O_RDONLY = 0x0000;
constexpr int XNU_O_WRONLY = 0x0001;
constexpr int XNU_O_RDWR = 0x0002;
constexpr int XNU_O_ACCMODE = 0x0003;
constexpr int XNU_FREAD = 0x0001;   // kernel fflags encoding: open mode + 1
constexpr int XNU_FWRITE = 0x0002;
constexpr int XNU_O_NONBLOCK = 0x0004;
constexpr int XNU_O_NDELAY = XNU_O_NONBLOCK;
constexpr int XNU_O_APPEND = 0x0008;
constexpr int XNU_O_SHLOCK = 0x0010;   // flock(LOCK_SH) as part of open
constexpr int XNU_O_EXLOCK = 0x0020;   // flock(LOCK_EX) as part of open
constexpr int XNU_O_ASYNC = 0x0040;
constexpr int XNU_O_SYNC = 0x0080;
constexpr int XNU_O_FSYNC = XNU_O_SYNC;
constexpr int XNU_O_NOFOLLOW = 0x0100;
constexpr int XNU_O_CREAT = 0x0200;
constexpr int XNU_O_TRUNC = 0x0400;
constexpr int XNU_O_EXCL = 0x0800;
constexpr int XNU_O_RESOLVE_BENEATH = 0x1000;  // newer xnu only; shares the kernel's FMARK bit
constexpr int XNU_O_EVTONLY = 0x8000;          // descriptor only for kqueue vnode events
constexpr int XNU_O_NOCTTY = 0x20000;
constexpr int XNU_O_DIRECTORY = 0x100000;
constexpr int XNU_O_SYMLINK = 0x200000;        // open the symlink itself
constexpr int XNU_O_DSYNC = 0x400000;
constexpr int XNU_O_CLOEXEC = 0x1000000;
constexpr int XNU_O_CLOFORK = 0x8000000;       // honoured by open() in current xnu; not in the macOS 13 SDK
constexpr int XNU_O_NOFOLLOW_ANY = 0x20000000; // no symlink in any path component
constexpr int XNU_O_EXEC = 0x40000000;
constexpr int XNU_O_SEARCH = XNU_O_EXEC | XNU_O_DIRECTORY;

// *at() (xnu bsd/sys/fcntl.h)
constexpr int XNU_AT_FDCWD = -2;
constexpr int XNU_AT_EACCESS = 0x0010;
constexpr int XNU_AT_SYMLINK_NOFOLLOW = 0x0020;
constexpr int XNU_AT_SYMLINK_FOLLOW = 0x0040;
constexpr int XNU_AT_REMOVEDIR = 0x0080;
constexpr int XNU_AT_REMOVEDIR_DATALESS = 0x0100;  // private
constexpr int XNU_AT_REALDEV = 0x0200;
constexpr int XNU_AT_FDONLY = 0x0400;
constexpr int XNU_AT_SYMLINK_NOFOLLOW_ANY = 0x0800;
constexpr int XNU_AT_SYSTEM_DISCARDED = 0x1000;    // private

// access(2) modes and the extended access bits (xnu bsd/sys/unistd.h)
constexpr int XNU_F_OK = 0;
constexpr int XNU_X_OK = 1 << 0;
constexpr int XNU_W_OK = 1 << 1;
constexpr int XNU_R_OK = 1 << 2;
constexpr int XNU_READ_OK = 1 << 9;     // _READ_OK
constexpr int XNU_WRITE_OK = 1 << 10;   // _WRITE_OK
constexpr int XNU_EXECUTE_OK = 1 << 11; // _EXECUTE_OK
constexpr int XNU_DELETE_OK = 1 << 12;  // _DELETE_OK
constexpr int XNU_APPEND_OK = 1 << 13;  // _APPEND_OK
constexpr int XNU_RMFILE_OK = 1 << 14;  // _RMFILE_OK
constexpr int XNU_RATTR_OK = 1 << 15;   // _RATTR_OK
constexpr int XNU_WATTR_OK = 1 << 16;   // _WATTR_OK
constexpr int XNU_REXT_OK = 1 << 17;    // _REXT_OK
constexpr int XNU_WEXT_OK = 1 << 18;    // _WEXT_OK
constexpr int XNU_RPERM_OK = 1 << 19;   // _RPERM_OK
constexpr int XNU_WPERM_OK = 1 << 20;   // _WPERM_OK
constexpr int XNU_CHOWN_OK = 1 << 21;   // _CHOWN_OK
constexpr int XNU_ACCESS_EXTENDED_MASK = XNU_READ_OK | XNU_WRITE_OK | XNU_EXECUTE_OK | XNU_DELETE_OK |
                                         XNU_APPEND_OK | XNU_RMFILE_OK | XNU_RATTR_OK | XNU_WATTR_OK |
                                         XNU_REXT_OK | XNU_WEXT_OK | XNU_RPERM_OK | XNU_WPERM_OK |
                                         XNU_CHOWN_OK;

// lseek whence (xnu bsd/sys/_types/_seek_set.h)
constexpr int XNU_SEEK_SET = 0;
constexpr int XNU_SEEK_CUR = 1;
constexpr int XNU_SEEK_END = 2;
constexpr int XNU_SEEK_HOLE = 3;
constexpr int XNU_SEEK_DATA = 4;

// flock(2) (xnu bsd/sys/fcntl.h): same values as Linux
constexpr int XNU_LOCK_SH = 0x01;
constexpr int XNU_LOCK_EX = 0x02;
constexpr int XNU_LOCK_NB = 0x04;
constexpr int XNU_LOCK_UN = 0x08;

// ---------------------------------------------------------------------------------------------------------
// fcntl(2) commands (xnu bsd/sys/fcntl.h). Gaps are numbers xnu never assigned or retired.
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_F_DUPFD = 0;
constexpr int XNU_F_GETFD = 1;
constexpr int XNU_F_SETFD = 2;
constexpr int XNU_F_GETFL = 3;
constexpr int XNU_F_SETFL = 4;
constexpr int XNU_F_GETOWN = 5;
constexpr int XNU_F_SETOWN = 6;
constexpr int XNU_F_GETLK = 7;
constexpr int XNU_F_SETLK = 8;
constexpr int XNU_F_SETLKW = 9;
constexpr int XNU_F_SETLKWTIMEOUT = 10;
constexpr int XNU_F_FLUSH_DATA = 40;
constexpr int XNU_F_CHKCLEAN = 41;
constexpr int XNU_F_PREALLOCATE = 42;
constexpr int XNU_F_SETSIZE = 43;
constexpr int XNU_F_RDADVISE = 44;
constexpr int XNU_F_RDAHEAD = 45;
constexpr int XNU_F_NOCACHE = 48;
constexpr int XNU_F_LOG2PHYS = 49;
constexpr int XNU_F_GETPATH = 50;
constexpr int XNU_F_FULLFSYNC = 51;
constexpr int XNU_F_PATHPKG_CHECK = 52;
constexpr int XNU_F_FREEZE_FS = 53;
constexpr int XNU_F_THAW_FS = 54;
constexpr int XNU_F_GLOBAL_NOCACHE = 55;
constexpr int XNU_F_OPENFROM = 56;       // private
constexpr int XNU_F_UNLINKFROM = 57;     // private
constexpr int XNU_F_CHECK_OPENEVT = 58;  // private
constexpr int XNU_F_ADDSIGS = 59;
constexpr int XNU_F_MARKDEPENDENCY = 60; // private
constexpr int XNU_F_ADDFILESIGS = 61;
constexpr int XNU_F_NODIRECT = 62;
constexpr int XNU_F_GETPROTECTIONCLASS = 63;
constexpr int XNU_F_SETPROTECTIONCLASS = 64;
constexpr int XNU_F_LOG2PHYS_EXT = 65;
constexpr int XNU_F_GETLKPID = 66;
constexpr int XNU_F_DUPFD_CLOEXEC = 67;
constexpr int XNU_F_SETSTATICCONTENT = 68;
constexpr int XNU_F_MOVEDATAEXTENTS = 69;
constexpr int XNU_F_SETBACKINGSTORE = 70;
constexpr int XNU_F_GETPATH_MTMINFO = 71;
constexpr int XNU_F_GETCODEDIR = 72;
constexpr int XNU_F_SETNOSIGPIPE = 73;
constexpr int XNU_F_GETNOSIGPIPE = 74;
constexpr int XNU_F_TRANSCODEKEY = 75;
constexpr int XNU_F_SINGLE_WRITER = 76;
constexpr int XNU_F_GETPROTECTIONLEVEL = 77;
constexpr int XNU_F_FINDSIGS = 78;
constexpr int XNU_F_GETDEFAULTPROTLEVEL = 79;
constexpr int XNU_F_MAKECOMPRESSED = 80;
constexpr int XNU_F_SET_GREEDY_MODE = 81;
constexpr int XNU_F_SETIOTYPE = 82;
constexpr int XNU_F_ADDFILESIGS_FOR_DYLD_SIM = 83;
constexpr int XNU_F_RECYCLE = 84;
constexpr int XNU_F_BARRIERFSYNC = 85;
constexpr int XNU_F_OFD_SETLK = 90;
constexpr int XNU_F_OFD_SETLKW = 91;
constexpr int XNU_F_OFD_GETLK = 92;
constexpr int XNU_F_OFD_SETLKWTIMEOUT = 93;
constexpr int XNU_F_OFD_GETLKPID = 94;
constexpr int XNU_F_SETCONFINED = 95;
constexpr int XNU_F_GETCONFINED = 96;
constexpr int XNU_F_ADDFILESIGS_RETURN = 97;
constexpr int XNU_F_CHECK_LV = 98;
constexpr int XNU_F_PUNCHHOLE = 99;
constexpr int XNU_F_TRIM_ACTIVE_FILE = 100;
constexpr int XNU_F_SPECULATIVE_READ = 101;
constexpr int XNU_F_GETPATH_NOFIRMLINK = 102;
constexpr int XNU_F_ADDFILESIGS_INFO = 103;
constexpr int XNU_F_ADDFILESUPPL = 104;
constexpr int XNU_F_GETSIGSINFO = 105;
constexpr int XNU_F_SETLEASE = 106;
constexpr int XNU_F_GETLEASE = 107;
constexpr int XNU_F_ASSERT_BG_ACCESS = 108;   // private
constexpr int XNU_F_RELEASE_BG_ACCESS = 109;  // private
constexpr int XNU_F_TRANSFEREXTENTS = 110;
constexpr int XNU_F_ATTRIBUTION_TAG = 111;
constexpr int XNU_F_NOCACHE_EXT = 112;
constexpr int XNU_F_ADDSIGS_MAIN_BINARY = 113;

constexpr int XNU_FD_CLOEXEC = 1;
constexpr int XNU_FD_CLOFORK = 2;  // current xnu; not in the macOS 13 SDK

// struct flock l_type: note the order differs from Linux (F_RDLCK=0, F_WRLCK=1, F_UNLCK=2 there)
constexpr short XNU_F_RDLCK = 1;
constexpr short XNU_F_UNLCK = 2;
constexpr short XNU_F_WRLCK = 3;

// F_PREALLOCATE fst_flags / fst_posmode
constexpr std::uint32_t XNU_F_ALLOCATECONTIG = 0x00000002;
constexpr std::uint32_t XNU_F_ALLOCATEALL = 0x00000004;
constexpr std::uint32_t XNU_F_ALLOCATEPERSIST = 0x00000008;
constexpr int XNU_F_PEOFPOSMODE = 3;  // offset relative to the physical end of file
constexpr int XNU_F_VOLPOSMODE = 4;   // offset relative to the volume start

// Not Linux's layout: Linux starts with l_type/l_whence and ends with l_pid.
struct flock {
    off_t l_start;
    off_t l_len;
    pid_t l_pid;
    std::int16_t l_type;
    std::int16_t l_whence;
};
static_assert(sizeof(flock) == 24);
static_assert(offsetof(flock, l_start) == 0);
static_assert(offsetof(flock, l_len) == 8);
static_assert(offsetof(flock, l_pid) == 16);
static_assert(offsetof(flock, l_type) == 20);
static_assert(offsetof(flock, l_whence) == 22);

// F_PREALLOCATE argument
struct fstore {
    std::uint32_t fst_flags;
    std::int32_t fst_posmode;
    off_t fst_offset;
    off_t fst_length;
    off_t fst_bytesalloc;  // out
};
static_assert(sizeof(fstore) == 32);
static_assert(offsetof(fstore, fst_flags) == 0);
static_assert(offsetof(fstore, fst_posmode) == 4);
static_assert(offsetof(fstore, fst_offset) == 8);
static_assert(offsetof(fstore, fst_length) == 16);
static_assert(offsetof(fstore, fst_bytesalloc) == 24);

// F_RDADVISE argument. User space passes the naturally aligned 16-byte struct; the kernel declares it
// under #pragma pack(4) and copies in only the first 12 bytes.
struct radvisory {
    off_t ra_offset;
    std::int32_t ra_count;
    std::int32_t pad_;
};
static_assert(sizeof(radvisory) == 16);
static_assert(offsetof(radvisory, ra_offset) == 0);
static_assert(offsetof(radvisory, ra_count) == 8);
constexpr std::size_t XNU_RADVISORY_KERNEL_SIZE = 12;

// ---------------------------------------------------------------------------------------------------------
// stat (xnu bsd/sys/stat.h)
// ---------------------------------------------------------------------------------------------------------
// File type and permission bits: identical numbers on Linux, plus the BSD whiteout type.
constexpr int XNU_S_IFMT = 0170000;
constexpr int XNU_S_IFIFO = 0010000;
constexpr int XNU_S_IFCHR = 0020000;
constexpr int XNU_S_IFDIR = 0040000;
constexpr int XNU_S_IFBLK = 0060000;
constexpr int XNU_S_IFREG = 0100000;
constexpr int XNU_S_IFLNK = 0120000;
constexpr int XNU_S_IFSOCK = 0140000;
constexpr int XNU_S_IFWHT = 0160000;
constexpr int XNU_S_ISUID = 0004000;
constexpr int XNU_S_ISGID = 0002000;
constexpr int XNU_S_ISVTX = 0001000;

// st_flags (chflags) bits that tools commonly test
constexpr std::uint32_t XNU_UF_NODUMP = 0x00000001;
constexpr std::uint32_t XNU_UF_IMMUTABLE = 0x00000002;
constexpr std::uint32_t XNU_UF_APPEND = 0x00000004;
constexpr std::uint32_t XNU_UF_HIDDEN = 0x00008000;
constexpr std::uint32_t XNU_SF_IMMUTABLE = 0x00020000;
constexpr std::uint32_t XNU_SF_APPEND = 0x00040000;

// The __DARWIN_64_BIT_INO_T layout: `struct stat` of every x86_64 program built since 10.6 (the
// stat$INODE64 symbols) and `struct stat64`; syscalls stat64/fstat64/lstat64/fstatat64 (338-340, 470).
struct stat64 {
    dev_t st_dev;
    mode_t st_mode;
    nlink_t st_nlink;
    ino64_t st_ino;
    uid_t st_uid;
    gid_t st_gid;
    dev_t st_rdev;
    std::int32_t pad0_;  // alignment padding before the timespecs
    timespec st_atimespec;
    timespec st_mtimespec;
    timespec st_ctimespec;
    timespec st_birthtimespec;
    off_t st_size;
    blkcnt_t st_blocks;
    blksize_t st_blksize;
    std::uint32_t st_flags;
    std::uint32_t st_gen;
    std::int32_t st_lspare;
    std::int64_t st_qspare[2];
};
static_assert(sizeof(stat64) == 144);
static_assert(offsetof(stat64, st_dev) == 0);
static_assert(offsetof(stat64, st_mode) == 4);
static_assert(offsetof(stat64, st_nlink) == 6);
static_assert(offsetof(stat64, st_ino) == 8);
static_assert(offsetof(stat64, st_uid) == 16);
static_assert(offsetof(stat64, st_gid) == 20);
static_assert(offsetof(stat64, st_rdev) == 24);
static_assert(offsetof(stat64, st_atimespec) == 32);
static_assert(offsetof(stat64, st_mtimespec) == 48);
static_assert(offsetof(stat64, st_ctimespec) == 64);
static_assert(offsetof(stat64, st_birthtimespec) == 80);
static_assert(offsetof(stat64, st_size) == 96);
static_assert(offsetof(stat64, st_blocks) == 104);
static_assert(offsetof(stat64, st_blksize) == 112);
static_assert(offsetof(stat64, st_flags) == 116);
static_assert(offsetof(stat64, st_gen) == 120);
static_assert(offsetof(stat64, st_lspare) == 124);
static_assert(offsetof(stat64, st_qspare) == 128);

// The legacy layout with a 32-bit inode and no birth time: `struct stat` without __DARWIN_64_BIT_INO_T,
// which the kernel fills for syscalls stat/fstat/lstat (188-190) as struct user64_stat. 120 bytes.
struct stat {
    dev_t st_dev;
    ino32_t st_ino;
    mode_t st_mode;
    nlink_t st_nlink;
    uid_t st_uid;
    gid_t st_gid;
    dev_t st_rdev;
    timespec st_atimespec;
    timespec st_mtimespec;
    timespec st_ctimespec;
    off_t st_size;
    blkcnt_t st_blocks;
    blksize_t st_blksize;
    std::uint32_t st_flags;
    std::uint32_t st_gen;
    std::int32_t st_lspare;
    std::int64_t st_qspare[2];
};
static_assert(sizeof(stat) == 120);
static_assert(offsetof(stat, st_dev) == 0);
static_assert(offsetof(stat, st_ino) == 4);
static_assert(offsetof(stat, st_mode) == 8);
static_assert(offsetof(stat, st_nlink) == 10);
static_assert(offsetof(stat, st_uid) == 12);
static_assert(offsetof(stat, st_gid) == 16);
static_assert(offsetof(stat, st_rdev) == 20);
static_assert(offsetof(stat, st_atimespec) == 24);
static_assert(offsetof(stat, st_mtimespec) == 40);
static_assert(offsetof(stat, st_ctimespec) == 56);
static_assert(offsetof(stat, st_size) == 72);
static_assert(offsetof(stat, st_blocks) == 80);
static_assert(offsetof(stat, st_blksize) == 88);
static_assert(offsetof(stat, st_flags) == 92);
static_assert(offsetof(stat, st_gen) == 96);
static_assert(offsetof(stat, st_lspare) == 100);
static_assert(offsetof(stat, st_qspare) == 104);

// dev_t packing (xnu bsd/sys/types.h makedev/major/minor): 8-bit major in the top byte, 24-bit minor.
// Named differently from the macros because glibc's <sys/sysmacros.h> defines major()/minor()/makedev().
constexpr dev_t make_dev(std::uint32_t maj, std::uint32_t min) {
    return static_cast<dev_t>(((maj & 0xffu) << 24) | (min & 0xffffffu));
}
constexpr std::uint32_t dev_major(dev_t d) { return (static_cast<std::uint32_t>(d) >> 24) & 0xffu; }
constexpr std::uint32_t dev_minor(dev_t d) { return static_cast<std::uint32_t>(d) & 0xffffffu; }
constexpr dev_t XNU_NODEV = -1;  // bsd/sys/param.h: "no device", e.g. e_tdev without a controlling tty

// ---------------------------------------------------------------------------------------------------------
// Directory entries (xnu bsd/sys/dirent.h, bsd/sys/dirent_private.h, bsd/vfs/vfs_syscalls.c)
// ---------------------------------------------------------------------------------------------------------
constexpr std::uint8_t XNU_DT_UNKNOWN = 0;
constexpr std::uint8_t XNU_DT_FIFO = 1;
constexpr std::uint8_t XNU_DT_CHR = 2;
constexpr std::uint8_t XNU_DT_DIR = 4;
constexpr std::uint8_t XNU_DT_BLK = 6;
constexpr std::uint8_t XNU_DT_REG = 8;
constexpr std::uint8_t XNU_DT_LNK = 10;
constexpr std::uint8_t XNU_DT_SOCK = 12;
constexpr std::uint8_t XNU_DT_WHT = 14;

// Record format of getdirentries64 (syscall 344) and `struct dirent` with __DARWIN_64_BIT_INO_T.
// Records are variable length: only the first d_reclen bytes of this maximal struct are written.
struct dirent {
    std::uint64_t d_ino;
    std::uint64_t d_seekoff;  // opaque cookie: telldir/seekdir position after this entry
    std::uint16_t d_reclen;
    std::uint16_t d_namlen;   // strlen(d_name)
    std::uint8_t d_type;
    char d_name[XNU_MAXPATHLEN];  // NUL-terminated
};
static_assert(sizeof(dirent) == 1048);
static_assert(offsetof(dirent, d_ino) == 0);
static_assert(offsetof(dirent, d_seekoff) == 8);
static_assert(offsetof(dirent, d_reclen) == 16);
static_assert(offsetof(dirent, d_namlen) == 18);
static_assert(offsetof(dirent, d_type) == 20);
static_assert(offsetof(dirent, d_name) == 21);
constexpr std::size_t XNU_DIRENT64_HEADER = offsetof(dirent, d_name);  // 21

// d_reclen of a record, exactly as the kernel's DIRENT64_LEN(): the maximal struct size minus the unused
// part of d_name, rounded up to 8. The 3 bytes of tail padding in sizeof(dirent) are counted, so a 1-char
// name gives 32, not 24.
constexpr std::uint16_t dirent64_reclen(std::size_t namlen) {
    return static_cast<std::uint16_t>((sizeof(dirent) + namlen - (XNU_MAXPATHLEN - 1) + 7) & ~std::size_t{7});
}
static_assert(dirent64_reclen(1) == 32);
static_assert(dirent64_reclen(7) == 32);
static_assert(dirent64_reclen(8) == 40);

// With a buffer of at least this many bytes, getdirentries64 keeps the last 4 bytes for a flags word.
constexpr std::size_t XNU_GETDIRENTRIES64_EXTENDED_BUFSIZE = 1024;
constexpr std::uint32_t XNU_GETDIRENTRIES64_EOF = 1u << 0;  // set when the directory was read to its end

// ---------------------------------------------------------------------------------------------------------
// File system calls: file flags, utimensat, statfs, pathconf, setattrlist (xnu bsd/sys/stat.h,
// bsd/sys/mount.h, bsd/sys/unistd.h, bsd/sys/syslimits.h, bsd/sys/attr.h, bsd/sys/attr_private.h,
// bsd/sys/kauth.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_ALLPERMS = 07777;     // mode bits chmod/mknod/mkfifo keep (S_ISUID|S_ISGID|S_ISTXT|0777)
constexpr int XNU_ACCESSPERMS = 0777;   // mode bits mkdir/symlink keep

// st_flags bits not listed with stat above
constexpr std::uint32_t XNU_UF_SETTABLE = 0x0000ffff;  // the owner may change these
constexpr std::uint32_t XNU_UF_OPAQUE = 0x00000008;
constexpr std::uint32_t XNU_UF_COMPRESSED = 0x00000020;
constexpr std::uint32_t XNU_UF_TRACKED = 0x00000040;
constexpr std::uint32_t XNU_UF_DATAVAULT = 0x00000080;
constexpr std::uint32_t XNU_SF_SETTABLE = 0x3fff0000;  // only the superuser may change these
constexpr std::uint32_t XNU_SF_SYNTHETIC = 0xc0000000; // read-only; chflags drops them (vnode_authattr)
constexpr std::uint32_t XNU_SF_ARCHIVED = 0x00010000;
constexpr std::uint32_t XNU_SF_RESTRICTED = 0x00080000;
constexpr std::uint32_t XNU_SF_NOUNLINK = 0x00100000;
constexpr std::uint32_t XNU_SF_FIRMLINK = 0x00800000;
constexpr std::uint32_t XNU_SF_DATALESS = 0x40000000;

// utimensat/futimens special tv_nsec values. libc resolves them before it calls setattrlistat/fsetattrlist
// (xnu libsyscall/wrappers/utimensat.c), so the kernel never sees them. Linux uses (1 << 30) - 1 and - 2.
constexpr long XNU_UTIME_NOW = -1;
constexpr long XNU_UTIME_OMIT = -2;

// Limits pathconf reports (bsd/sys/syslimits.h) and the POSIX option values it answers with.
constexpr int XNU_LINK_MAX = 32767;
constexpr int XNU_MAX_CANON = 1024;
constexpr int XNU_MAX_INPUT = 1024;
constexpr int XNU_NAME_MAX = 255;
constexpr int XNU_PIPE_BUF = 512;
constexpr int XNU_POSIX_VERSION_200112 = 200112;  // _POSIX_CHOWN_RESTRICTED, _POSIX_NO_TRUNC

// pathconf/fpathconf names (bsd/sys/unistd.h)
constexpr int XNU_PC_LINK_MAX = 1;
constexpr int XNU_PC_MAX_CANON = 2;
constexpr int XNU_PC_MAX_INPUT = 3;
constexpr int XNU_PC_NAME_MAX = 4;
constexpr int XNU_PC_PATH_MAX = 5;
constexpr int XNU_PC_PIPE_BUF = 6;
constexpr int XNU_PC_CHOWN_RESTRICTED = 7;
constexpr int XNU_PC_NO_TRUNC = 8;
constexpr int XNU_PC_VDISABLE = 9;
constexpr int XNU_PC_NAME_CHARS_MAX = 10;
constexpr int XNU_PC_CASE_SENSITIVE = 11;
constexpr int XNU_PC_CASE_PRESERVING = 12;
constexpr int XNU_PC_EXTENDED_SECURITY_NP = 13;
constexpr int XNU_PC_AUTH_OPAQUE_NP = 14;
constexpr int XNU_PC_2_SYMLINKS = 15;
constexpr int XNU_PC_ALLOC_SIZE_MIN = 16;
constexpr int XNU_PC_ASYNC_IO = 17;
constexpr int XNU_PC_FILESIZEBITS = 18;
constexpr int XNU_PC_PRIO_IO = 19;
constexpr int XNU_PC_REC_INCR_XFER_SIZE = 20;
constexpr int XNU_PC_REC_MAX_XFER_SIZE = 21;
constexpr int XNU_PC_REC_MIN_XFER_SIZE = 22;
constexpr int XNU_PC_REC_XFER_ALIGN = 23;
constexpr int XNU_PC_SYMLINK_MAX = 24;
constexpr int XNU_PC_SYNC_IO = 25;
constexpr int XNU_PC_XATTR_SIZE_BITS = 26;
constexpr int XNU_PC_MIN_HOLE_SIZE = 27;

// Mount flags in f_flags (bsd/sys/mount.h; MNT_VISFLAGMASK bits) and getfsstat's wait modes.
constexpr std::uint32_t XNU_MNT_RDONLY = 0x00000001;
constexpr std::uint32_t XNU_MNT_SYNCHRONOUS = 0x00000002;
constexpr std::uint32_t XNU_MNT_NOEXEC = 0x00000004;
constexpr std::uint32_t XNU_MNT_NOSUID = 0x00000008;
constexpr std::uint32_t XNU_MNT_NODEV = 0x00000010;
constexpr std::uint32_t XNU_MNT_UNION = 0x00000020;
constexpr std::uint32_t XNU_MNT_ASYNC = 0x00000040;
constexpr std::uint32_t XNU_MNT_CPROTECT = 0x00000080;
constexpr std::uint32_t XNU_MNT_EXPORTED = 0x00000100;
constexpr std::uint32_t XNU_MNT_REMOVABLE = 0x00000200;
constexpr std::uint32_t XNU_MNT_QUARANTINE = 0x00000400;
constexpr std::uint32_t XNU_MNT_LOCAL = 0x00001000;
constexpr std::uint32_t XNU_MNT_QUOTA = 0x00002000;
constexpr std::uint32_t XNU_MNT_ROOTFS = 0x00004000;
constexpr std::uint32_t XNU_MNT_DOVOLFS = 0x00008000;
constexpr std::uint32_t XNU_MNT_DONTBROWSE = 0x00100000;
constexpr std::uint32_t XNU_MNT_IGNORE_OWNERSHIP = 0x00200000;
constexpr std::uint32_t XNU_MNT_AUTOMOUNTED = 0x00400000;
constexpr std::uint32_t XNU_MNT_JOURNALED = 0x00800000;
constexpr std::uint32_t XNU_MNT_NOUSERXATTR = 0x01000000;
constexpr std::uint32_t XNU_MNT_DEFWRITE = 0x02000000;
constexpr std::uint32_t XNU_MNT_MULTILABEL = 0x04000000;
constexpr std::uint32_t XNU_MNT_NOFOLLOW = 0x08000000;
constexpr std::uint32_t XNU_MNT_NOATIME = 0x10000000;
constexpr std::uint32_t XNU_MNT_SNAPSHOT = 0x40000000;
constexpr std::uint32_t XNU_MNT_STRICTATIME = 0x80000000;
constexpr int XNU_MNT_WAIT = 1;
constexpr int XNU_MNT_NOWAIT = 2;
constexpr int XNU_MNT_DWAIT = 4;
constexpr int XNU_MFSTYPENAMELEN = 16;  // f_fstypename, NUL included

struct fsid {
    std::int32_t val[2];
};
static_assert(sizeof(fsid) == 8);

// struct statfs with __DARWIN_64_BIT_INO_T (every x86_64 program's statfs$INODE64) and struct statfs64:
// the one layout of statfs64/fstatfs64/getfsstat64 (345-347). Checked against the macOS 13 SDK header.
struct statfs64 {
    std::uint32_t f_bsize;   // fundamental block size: the unit of f_blocks
    std::int32_t f_iosize;   // optimal transfer size
    std::uint64_t f_blocks;
    std::uint64_t f_bfree;
    std::uint64_t f_bavail;
    std::uint64_t f_files;
    std::uint64_t f_ffree;
    fsid f_fsid;
    uid_t f_owner;
    std::uint32_t f_type;
    std::uint32_t f_flags;
    std::uint32_t f_fssubtype;
    char f_fstypename[XNU_MFSTYPENAMELEN];
    char f_mntonname[XNU_MAXPATHLEN];
    char f_mntfromname[XNU_MAXPATHLEN];
    std::uint32_t f_flags_ext;
    std::uint32_t f_reserved[7];
};
static_assert(sizeof(statfs64) == 2168);
static_assert(offsetof(statfs64, f_bsize) == 0);
static_assert(offsetof(statfs64, f_iosize) == 4);
static_assert(offsetof(statfs64, f_blocks) == 8);
static_assert(offsetof(statfs64, f_bfree) == 16);
static_assert(offsetof(statfs64, f_bavail) == 24);
static_assert(offsetof(statfs64, f_files) == 32);
static_assert(offsetof(statfs64, f_ffree) == 40);
static_assert(offsetof(statfs64, f_fsid) == 48);
static_assert(offsetof(statfs64, f_owner) == 56);
static_assert(offsetof(statfs64, f_type) == 60);
static_assert(offsetof(statfs64, f_flags) == 64);
static_assert(offsetof(statfs64, f_fssubtype) == 68);
static_assert(offsetof(statfs64, f_fstypename) == 72);
static_assert(offsetof(statfs64, f_mntonname) == 88);
static_assert(offsetof(statfs64, f_mntfromname) == 1112);
static_assert(offsetof(statfs64, f_flags_ext) == 2136);
static_assert(offsetof(statfs64, f_reserved) == 2140);

// setattrlist/fsetattrlist/setattrlistat (221, 229, 524): the calls behind libc's utimensat, futimens,
// lchmod and lchflags.
constexpr int XNU_ATTR_BIT_MAP_COUNT = 5;
constexpr std::size_t XNU_ATTR_MAX_BUFFER = 8192;
constexpr std::uint32_t XNU_ATTR_CMN_SCRIPT = 0x00000100;
constexpr std::uint32_t XNU_ATTR_CMN_CRTIME = 0x00000200;
constexpr std::uint32_t XNU_ATTR_CMN_MODTIME = 0x00000400;
constexpr std::uint32_t XNU_ATTR_CMN_CHGTIME = 0x00000800;
constexpr std::uint32_t XNU_ATTR_CMN_ACCTIME = 0x00001000;
constexpr std::uint32_t XNU_ATTR_CMN_BKUPTIME = 0x00002000;
constexpr std::uint32_t XNU_ATTR_CMN_FNDRINFO = 0x00004000;
constexpr std::uint32_t XNU_ATTR_CMN_OWNERID = 0x00008000;
constexpr std::uint32_t XNU_ATTR_CMN_GRPID = 0x00010000;
constexpr std::uint32_t XNU_ATTR_CMN_ACCESSMASK = 0x00020000;
constexpr std::uint32_t XNU_ATTR_CMN_FLAGS = 0x00040000;
constexpr std::uint32_t XNU_ATTR_CMN_EXTENDED_SECURITY = 0x00400000;
constexpr std::uint32_t XNU_ATTR_CMN_UUID = 0x00800000;
constexpr std::uint32_t XNU_ATTR_CMN_GRPUUID = 0x01000000;
constexpr std::uint32_t XNU_ATTR_CMN_ADDEDTIME = 0x10000000;
constexpr std::uint32_t XNU_ATTR_CMN_DATA_PROTECT_FLAGS = 0x40000000;
constexpr std::uint32_t XNU_ATTR_CMN_SETMASK = 0x51c7ff00;
constexpr std::uint32_t XNU_ATTR_CMN_VOLSETMASK = 0x00006700;
constexpr std::uint32_t XNU_ATTR_VOL_NAME = 0x00002000;
constexpr std::uint32_t XNU_ATTR_VOL_INFO = 0x80000000;
constexpr std::uint32_t XNU_ATTR_VOL_SETMASK = 0x80002000;
constexpr std::uint32_t XNU_ATTR_DIR_SETMASK = 0x00000000;
constexpr std::uint32_t XNU_ATTR_FILE_DEVTYPE = 0x00000020;
constexpr std::uint32_t XNU_ATTR_FILE_SETMASK = 0x00000020;
constexpr std::uint32_t XNU_ATTR_FORK_SETMASK = 0x00000000;
constexpr std::uint64_t XNU_FSOPT_NOFOLLOW = 0x00000001;
constexpr std::uint64_t XNU_FSOPT_UTIMES_NULL = 0x00000400;  // private: utimensat with both UTIME_NOW
constexpr std::uint64_t XNU_FSOPT_NOFOLLOW_ANY = 0x00000800;

struct attrlist {
    std::uint16_t bitmapcount;  // must be ATTR_BIT_MAP_COUNT
    std::uint16_t reserved;
    std::uint32_t commonattr;
    std::uint32_t volattr;
    std::uint32_t dirattr;
    std::uint32_t fileattr;
    std::uint32_t forkattr;
};
static_assert(sizeof(attrlist) == 24);
static_assert(offsetof(attrlist, commonattr) == 4);
static_assert(offsetof(attrlist, forkattr) == 20);

struct attrreference {
    std::int32_t attr_dataoffset;  // from the attrreference itself
    std::uint32_t attr_length;
};
static_assert(sizeof(attrreference) == 8);

// ATTR_CMN_EXTENDED_SECURITY carries a kauth_filesec: magic, owner and group GUIDs, then an ACL header
// (entry count, flags) and 24-byte entries.
constexpr std::uint32_t XNU_KAUTH_FILESEC_MAGIC = 0x012cc16d;
constexpr std::uint32_t XNU_KAUTH_FILESEC_NOACL = 0xffffffff;
constexpr std::uint32_t XNU_KAUTH_ACL_MAX_ENTRIES = 128;
constexpr std::size_t XNU_KAUTH_FILESEC_HEADER = 44;  // KAUTH_FILESEC_SIZE(0)
constexpr std::size_t XNU_KAUTH_ACE_SIZE = 24;
constexpr std::size_t XNU_KAUTH_FILESEC_ENTRYCOUNT_OFFSET = 36;

}  // namespace xnu
