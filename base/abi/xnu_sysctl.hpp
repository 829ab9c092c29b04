// XNU (macOS x86_64) ABI, part of xnu.hpp: sysctl MIB numbers and struct kinfo_proc.
#pragma once

#include "xnu_base.hpp"
#include "xnu_time.hpp"

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// sysctl MIB numbers (xnu bsd/sys/sysctl.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_CTL_MAXNAME = 12;
constexpr int XNU_CTL_UNSPEC = 0;
constexpr int XNU_CTL_KERN = 1;
constexpr int XNU_CTL_VM = 2;
constexpr int XNU_CTL_VFS = 3;
constexpr int XNU_CTL_NET = 4;
constexpr int XNU_CTL_DEBUG = 5;
constexpr int XNU_CTL_HW = 6;
constexpr int XNU_CTL_MACHDEP = 7;
constexpr int XNU_CTL_USER = 8;
constexpr int XNU_CTL_MAXID = 9;

// The {0, ...} meta namespace (numbers from xnu bsd/kern/kern_newsysctl.c; the names are FreeBSD's)
constexpr int XNU_CTL_SYSCTL_DEBUG = 0;
constexpr int XNU_CTL_SYSCTL_NAME = 1;
constexpr int XNU_CTL_SYSCTL_NEXT = 2;
constexpr int XNU_CTL_SYSCTL_NAME2OID = 3;
constexpr int XNU_CTL_SYSCTL_OIDFMT = 4;
constexpr int XNU_CTL_SYSCTL_OIDDESCR = 5;

constexpr int XNU_CTLTYPE = 0xf;
constexpr int XNU_CTLTYPE_NODE = 1;
constexpr int XNU_CTLTYPE_INT = 2;
constexpr int XNU_CTLTYPE_STRING = 3;
constexpr int XNU_CTLTYPE_QUAD = 4;
constexpr int XNU_CTLTYPE_OPAQUE = 5;
constexpr int XNU_CTLTYPE_STRUCT = XNU_CTLTYPE_OPAQUE;
constexpr std::uint32_t XNU_CTLFLAG_RD = 0x80000000;
constexpr std::uint32_t XNU_CTLFLAG_WR = 0x40000000;
constexpr std::uint32_t XNU_CTLFLAG_RW = XNU_CTLFLAG_RD | XNU_CTLFLAG_WR;

// CTL_KERN (39, 41, 55 and 67 are retired numbers)
constexpr int XNU_KERN_OSTYPE = 1;
constexpr int XNU_KERN_OSRELEASE = 2;
constexpr int XNU_KERN_OSREV = 3;
constexpr int XNU_KERN_VERSION = 4;
constexpr int XNU_KERN_MAXVNODES = 5;
constexpr int XNU_KERN_MAXPROC = 6;
constexpr int XNU_KERN_MAXFILES = 7;
constexpr int XNU_KERN_ARGMAX = 8;
constexpr int XNU_KERN_SECURELVL = 9;
constexpr int XNU_KERN_HOSTNAME = 10;
constexpr int XNU_KERN_HOSTID = 11;
constexpr int XNU_KERN_CLOCKRATE = 12;
constexpr int XNU_KERN_VNODE = 13;
constexpr int XNU_KERN_PROC = 14;
constexpr int XNU_KERN_FILE = 15;
constexpr int XNU_KERN_PROF = 16;
constexpr int XNU_KERN_POSIX1 = 17;
constexpr int XNU_KERN_NGROUPS = 18;
constexpr int XNU_KERN_JOB_CONTROL = 19;
constexpr int XNU_KERN_SAVED_IDS = 20;
constexpr int XNU_KERN_BOOTTIME = 21;
constexpr int XNU_KERN_NISDOMAINNAME = 22;
constexpr int XNU_KERN_DOMAINNAME = XNU_KERN_NISDOMAINNAME;
constexpr int XNU_KERN_MAXPARTITIONS = 23;
constexpr int XNU_KERN_KDEBUG = 24;
constexpr int XNU_KERN_UPDATEINTERVAL = 25;
constexpr int XNU_KERN_OSRELDATE = 26;
constexpr int XNU_KERN_NTP_PLL = 27;
constexpr int XNU_KERN_BOOTFILE = 28;
constexpr int XNU_KERN_MAXFILESPERPROC = 29;
constexpr int XNU_KERN_MAXPROCPERUID = 30;
constexpr int XNU_KERN_DUMPDEV = 31;
constexpr int XNU_KERN_IPC = 32;
constexpr int XNU_KERN_DUMMY = 33;
constexpr int XNU_KERN_PS_STRINGS = 34;
constexpr int XNU_KERN_USRSTACK32 = 35;
constexpr int XNU_KERN_LOGSIGEXIT = 36;
constexpr int XNU_KERN_SYMFILE = 37;
constexpr int XNU_KERN_PROCARGS = 38;
constexpr int XNU_KERN_NETBOOT = 40;
constexpr int XNU_KERN_SYSV = 42;
constexpr int XNU_KERN_AFFINITY = 43;
constexpr int XNU_KERN_TRANSLATE = 44;
constexpr int XNU_KERN_CLASSIC = XNU_KERN_TRANSLATE;
constexpr int XNU_KERN_EXEC = 45;
constexpr int XNU_KERN_CLASSICHANDLER = XNU_KERN_EXEC;
constexpr int XNU_KERN_AIOMAX = 46;
constexpr int XNU_KERN_AIOPROCMAX = 47;
constexpr int XNU_KERN_AIOTHREADS = 48;
constexpr int XNU_KERN_PROCARGS2 = 49;
constexpr int XNU_KERN_COREFILE = 50;
constexpr int XNU_KERN_COREDUMP = 51;
constexpr int XNU_KERN_SUGID_COREDUMP = 52;
constexpr int XNU_KERN_PROCDELAYTERM = 53;
constexpr int XNU_KERN_SHREG_PRIVATIZABLE = 54;
constexpr int XNU_KERN_LOW_PRI_WINDOW = 56;
constexpr int XNU_KERN_LOW_PRI_DELAY = 57;
constexpr int XNU_KERN_POSIX = 58;
constexpr int XNU_KERN_USRSTACK64 = 59;
constexpr int XNU_KERN_USRSTACK = XNU_KERN_USRSTACK64;  // LP64 spelling
constexpr int XNU_KERN_NX_PROTECTION = 60;
constexpr int XNU_KERN_TFP = 61;
constexpr int XNU_KERN_PROCNAME = 62;
constexpr int XNU_KERN_THALTSTACK = 63;
constexpr int XNU_KERN_SPECULATIVE_READS = 64;
constexpr int XNU_KERN_OSVERSION = 65;
constexpr int XNU_KERN_SAFEBOOT = 66;
constexpr int XNU_KERN_RAGEVNODE = 68;
constexpr int XNU_KERN_TTY = 69;
constexpr int XNU_KERN_CHECKOPENEVT = 70;
constexpr int XNU_KERN_THREADNAME = 71;
constexpr int XNU_KERN_MAXID = 72;

// Third level of {CTL_KERN, KERN_PROC, ...}
constexpr int XNU_KERN_PROC_ALL = 0;
constexpr int XNU_KERN_PROC_PID = 1;
constexpr int XNU_KERN_PROC_PGRP = 2;
constexpr int XNU_KERN_PROC_SESSION = 3;
constexpr int XNU_KERN_PROC_TTY = 4;
constexpr int XNU_KERN_PROC_UID = 5;
constexpr int XNU_KERN_PROC_RUID = 6;
constexpr int XNU_KERN_PROC_LCID = 7;

// CTL_VM
constexpr int XNU_VM_METER = 1;
constexpr int XNU_VM_LOADAVG = 2;
constexpr int XNU_VM_MACHFACTOR = 4;
constexpr int XNU_VM_SWAPUSAGE = 5;
constexpr int XNU_VM_MAXID = 6;

// CTL_HW
constexpr int XNU_HW_MACHINE = 1;
constexpr int XNU_HW_MODEL = 2;
constexpr int XNU_HW_NCPU = 3;
constexpr int XNU_HW_BYTEORDER = 4;
constexpr int XNU_HW_PHYSMEM = 5;
constexpr int XNU_HW_USERMEM = 6;
constexpr int XNU_HW_PAGESIZE = 7;
constexpr int XNU_HW_DISKNAMES = 8;
constexpr int XNU_HW_DISKSTATS = 9;
constexpr int XNU_HW_EPOCH = 10;
constexpr int XNU_HW_FLOATINGPT = 11;
constexpr int XNU_HW_MACHINE_ARCH = 12;
constexpr int XNU_HW_VECTORUNIT = 13;
constexpr int XNU_HW_BUS_FREQ = 14;
constexpr int XNU_HW_CPU_FREQ = 15;
constexpr int XNU_HW_CACHELINE = 16;
constexpr int XNU_HW_L1ICACHESIZE = 17;
constexpr int XNU_HW_L1DCACHESIZE = 18;
constexpr int XNU_HW_L2SETTINGS = 19;
constexpr int XNU_HW_L2CACHESIZE = 20;
constexpr int XNU_HW_L3SETTINGS = 21;
constexpr int XNU_HW_L3CACHESIZE = 22;
constexpr int XNU_HW_TB_FREQ = 23;
constexpr int XNU_HW_MEMSIZE = 24;  // uint64_t, unlike the int-sized HW_PHYSMEM
constexpr int XNU_HW_AVAILCPU = 25;
constexpr int XNU_HW_TARGET = 26;
constexpr int XNU_HW_PRODUCT = 27;
constexpr int XNU_HW_MAXID = 28;

// CTL_USER
constexpr int XNU_USER_CS_PATH = 1;
constexpr int XNU_USER_BC_BASE_MAX = 2;
constexpr int XNU_USER_BC_DIM_MAX = 3;
constexpr int XNU_USER_BC_SCALE_MAX = 4;
constexpr int XNU_USER_BC_STRING_MAX = 5;
constexpr int XNU_USER_COLL_WEIGHTS_MAX = 6;
constexpr int XNU_USER_EXPR_NEST_MAX = 7;
constexpr int XNU_USER_LINE_MAX = 8;
constexpr int XNU_USER_RE_DUP_MAX = 9;
constexpr int XNU_USER_POSIX2_VERSION = 10;
constexpr int XNU_USER_POSIX2_C_BIND = 11;
constexpr int XNU_USER_POSIX2_C_DEV = 12;
constexpr int XNU_USER_POSIX2_CHAR_TERM = 13;
constexpr int XNU_USER_POSIX2_FORT_DEV = 14;
constexpr int XNU_USER_POSIX2_FORT_RUN = 15;
constexpr int XNU_USER_POSIX2_LOCALEDEF = 16;
constexpr int XNU_USER_POSIX2_SW_DEV = 17;
constexpr int XNU_USER_POSIX2_UPE = 18;
constexpr int XNU_USER_STREAM_MAX = 19;
constexpr int XNU_USER_TZNAME_MAX = 20;
constexpr int XNU_USER_MAXID = 21;

// ---------------------------------------------------------------------------------------------------------
// struct kinfo_proc, as returned by {CTL_KERN, KERN_PROC, ...} to a 64-bit process
// (xnu bsd/sys/sysctl.h, bsd/sys/proc.h, bsd/sys/ucred.h, bsd/sys/vm.h). Kernel pointers are 8-byte
// fields; the kernel leaves nearly all of them zero for user copies.
// ---------------------------------------------------------------------------------------------------------
// p_stat values (bsd/sys/proc.h)
constexpr char XNU_SIDL = 1;
constexpr char XNU_SRUN = 2;
constexpr char XNU_SSLEEP = 3;
constexpr char XNU_SSTOP = 4;
constexpr char XNU_SZOMB = 5;

// p_flag bits (bsd/sys/proc.h)
constexpr std::int32_t XNU_P_ADVLOCK = 0x00000001;
constexpr std::int32_t XNU_P_CONTROLT = 0x00000002;
constexpr std::int32_t XNU_P_LP64 = 0x00000004;
constexpr std::int32_t XNU_P_NOCLDSTOP = 0x00000008;
constexpr std::int32_t XNU_P_PPWAIT = 0x00000010;
constexpr std::int32_t XNU_P_PROFIL = 0x00000020;
constexpr std::int32_t XNU_P_SELECT = 0x00000040;
constexpr std::int32_t XNU_P_CONTINUED = 0x00000080;
constexpr std::int32_t XNU_P_SUGID = 0x00000100;
constexpr std::int32_t XNU_P_SYSTEM = 0x00000200;
constexpr std::int32_t XNU_P_TIMEOUT = 0x00000400;
constexpr std::int32_t XNU_P_TRACED = 0x00000800;
constexpr std::int32_t XNU_P_WEXIT = 0x00002000;
constexpr std::int32_t XNU_P_EXEC = 0x00004000;
constexpr std::int32_t XNU_P_THCWD = 0x01000000;
constexpr std::int32_t XNU_P_NOCLDWAIT = 0x40000000;

// e_flag bits (bsd/sys/sysctl.h)
constexpr std::int32_t XNU_EPROC_CTTY = 0x01;
constexpr std::int32_t XNU_EPROC_SLEADER = 0x02;

constexpr int XNU_WMESGLEN = 7;
constexpr int XNU_COMAPT_MAXLOGNAME = 12;  // sic: xnu's spelling

struct extern_proc {
    // The SDK names this union p_un and reaches into it with macros (p_starttime, p_forw); an anonymous
    // union gives the same spelling, kp_proc.p_starttime.
    union {
        struct {
            user_addr_t p_forw;
            user_addr_t p_back;
        } p_st1;
        timeval p_starttime;  // the part user space reads: process start time
    };
    user_addr_t p_vmspace;
    user_addr_t p_sigacts;
    std::int32_t p_flag;
    char p_stat;
    char pad0_[3];
    pid_t p_pid;
    pid_t p_oppid;
    std::int32_t p_dupfd;
    std::int32_t pad1_;
    user_addr_t user_stack;
    user_addr_t exit_thread;
    std::int32_t p_debugger;
    std::int32_t sigwait;  // boolean_t
    std::uint32_t p_estcpu;
    std::int32_t p_cpticks;
    fixpt_t p_pctcpu;
    std::int32_t pad2_;
    user_addr_t p_wchan;
    user_addr_t p_wmesg;
    std::uint32_t p_swtime;
    std::uint32_t p_slptime;
    itimerval p_realtimer;
    timeval p_rtime;
    std::uint64_t p_uticks;
    std::uint64_t p_sticks;
    std::uint64_t p_iticks;
    std::int32_t p_traceflag;
    std::int32_t pad3_;
    user_addr_t p_tracep;
    std::int32_t p_siglist;
    std::int32_t pad4_;
    user_addr_t p_textvp;
    std::int32_t p_holdcnt;
    sigset_t p_sigmask;
    sigset_t p_sigignore;
    sigset_t p_sigcatch;
    std::uint8_t p_priority;
    std::uint8_t p_usrpri;
    char p_nice;
    char p_comm[XNU_MAXCOMLEN + 1];
    char pad5_[4];
    user_addr_t p_pgrp;
    user_addr_t p_addr;
    std::uint16_t p_xstat;
    std::uint16_t p_acflag;
    std::int32_t pad6_;
    user_addr_t p_ru;
};
static_assert(sizeof(extern_proc) == 296);
static_assert(offsetof(extern_proc, p_st1) == 0);
static_assert(offsetof(extern_proc, p_starttime) == 0);
static_assert(offsetof(extern_proc, p_vmspace) == 16);
static_assert(offsetof(extern_proc, p_sigacts) == 24);
static_assert(offsetof(extern_proc, p_flag) == 32);
static_assert(offsetof(extern_proc, p_stat) == 36);
static_assert(offsetof(extern_proc, p_pid) == 40);
static_assert(offsetof(extern_proc, p_oppid) == 44);
static_assert(offsetof(extern_proc, p_dupfd) == 48);
static_assert(offsetof(extern_proc, user_stack) == 56);
static_assert(offsetof(extern_proc, exit_thread) == 64);
static_assert(offsetof(extern_proc, p_debugger) == 72);
static_assert(offsetof(extern_proc, sigwait) == 76);
static_assert(offsetof(extern_proc, p_estcpu) == 80);
static_assert(offsetof(extern_proc, p_cpticks) == 84);
static_assert(offsetof(extern_proc, p_pctcpu) == 88);
static_assert(offsetof(extern_proc, p_wchan) == 96);
static_assert(offsetof(extern_proc, p_wmesg) == 104);
static_assert(offsetof(extern_proc, p_swtime) == 112);
static_assert(offsetof(extern_proc, p_slptime) == 116);
static_assert(offsetof(extern_proc, p_realtimer) == 120);
static_assert(offsetof(extern_proc, p_rtime) == 152);
static_assert(offsetof(extern_proc, p_uticks) == 168);
static_assert(offsetof(extern_proc, p_sticks) == 176);
static_assert(offsetof(extern_proc, p_iticks) == 184);
static_assert(offsetof(extern_proc, p_traceflag) == 192);
static_assert(offsetof(extern_proc, p_tracep) == 200);
static_assert(offsetof(extern_proc, p_siglist) == 208);
static_assert(offsetof(extern_proc, p_textvp) == 216);
static_assert(offsetof(extern_proc, p_holdcnt) == 224);
static_assert(offsetof(extern_proc, p_sigmask) == 228);
static_assert(offsetof(extern_proc, p_sigignore) == 232);
static_assert(offsetof(extern_proc, p_sigcatch) == 236);
static_assert(offsetof(extern_proc, p_priority) == 240);
static_assert(offsetof(extern_proc, p_usrpri) == 241);
static_assert(offsetof(extern_proc, p_nice) == 242);
static_assert(offsetof(extern_proc, p_comm) == 243);
static_assert(offsetof(extern_proc, p_pgrp) == 264);
static_assert(offsetof(extern_proc, p_addr) == 272);
static_assert(offsetof(extern_proc, p_xstat) == 280);
static_assert(offsetof(extern_proc, p_acflag) == 282);
static_assert(offsetof(extern_proc, p_ru) == 288);

// Process credentials as exported (bsd/sys/sysctl.h `struct _pcred`)
struct pcred {
    char pc_lock[72];  // opaque
    user_addr_t pc_ucred;
    uid_t p_ruid;
    uid_t p_svuid;
    gid_t p_rgid;
    gid_t p_svgid;
    std::int32_t p_refcnt;
    std::int32_t pad_;
};
static_assert(sizeof(pcred) == 104);
static_assert(offsetof(pcred, pc_lock) == 0);
static_assert(offsetof(pcred, pc_ucred) == 72);
static_assert(offsetof(pcred, p_ruid) == 80);
static_assert(offsetof(pcred, p_svuid) == 84);
static_assert(offsetof(pcred, p_rgid) == 88);
static_assert(offsetof(pcred, p_svgid) == 92);
static_assert(offsetof(pcred, p_refcnt) == 96);

// bsd/sys/sysctl.h `struct _ucred`
struct ucred {
    std::int32_t cr_ref;
    uid_t cr_uid;  // effective uid
    std::int16_t cr_ngroups;
    std::int16_t pad_;
    gid_t cr_groups[XNU_NGROUPS];
};
static_assert(sizeof(ucred) == 76);
static_assert(offsetof(ucred, cr_ref) == 0);
static_assert(offsetof(ucred, cr_uid) == 4);
static_assert(offsetof(ucred, cr_ngroups) == 8);
static_assert(offsetof(ucred, cr_groups) == 12);

// bsd/sys/vm.h: placeholder contents only
struct vmspace {
    std::int32_t dummy;
    std::int32_t pad0_;
    user_addr_t dummy2;
    std::int32_t dummy3[5];
    std::int32_t pad1_;
    user_addr_t dummy4[3];
};
static_assert(sizeof(vmspace) == 64);
static_assert(offsetof(vmspace, dummy) == 0);
static_assert(offsetof(vmspace, dummy2) == 8);
static_assert(offsetof(vmspace, dummy3) == 16);
static_assert(offsetof(vmspace, dummy4) == 40);

struct eproc {
    user_addr_t e_paddr;
    user_addr_t e_sess;
    pcred e_pcred;
    ucred e_ucred;
    std::int32_t pad0_;
    vmspace e_vm;
    pid_t e_ppid;
    pid_t e_pgid;
    std::int16_t e_jobc;
    std::int16_t pad1_;
    dev_t e_tdev;  // controlling tty, XNU dev_t encoding; -1 (NODEV) when none
    pid_t e_tpgid;
    std::int32_t pad2_;
    user_addr_t e_tsess;
    char e_wmesg[XNU_WMESGLEN + 1];
    segsz_t e_xsize;
    std::int16_t e_xrssize;
    std::int16_t e_xccount;
    std::int16_t e_xswrss;
    std::int16_t pad3_;
    std::int32_t e_flag;
    char e_login[XNU_COMAPT_MAXLOGNAME];
    std::int32_t e_spare[4];
    std::int32_t pad4_;
};
static_assert(sizeof(eproc) == 352);
static_assert(offsetof(eproc, e_paddr) == 0);
static_assert(offsetof(eproc, e_sess) == 8);
static_assert(offsetof(eproc, e_pcred) == 16);
static_assert(offsetof(eproc, e_ucred) == 120);
static_assert(offsetof(eproc, e_vm) == 200);
static_assert(offsetof(eproc, e_ppid) == 264);
static_assert(offsetof(eproc, e_pgid) == 268);
static_assert(offsetof(eproc, e_jobc) == 272);
static_assert(offsetof(eproc, e_tdev) == 276);
static_assert(offsetof(eproc, e_tpgid) == 280);
static_assert(offsetof(eproc, e_tsess) == 288);
static_assert(offsetof(eproc, e_wmesg) == 296);
static_assert(offsetof(eproc, e_xsize) == 304);
static_assert(offsetof(eproc, e_xrssize) == 308);
static_assert(offsetof(eproc, e_xccount) == 310);
static_assert(offsetof(eproc, e_xswrss) == 312);
static_assert(offsetof(eproc, e_flag) == 316);
static_assert(offsetof(eproc, e_login) == 320);
static_assert(offsetof(eproc, e_spare) == 332);

struct kinfo_proc {
    extern_proc kp_proc;
    eproc kp_eproc;
};
static_assert(sizeof(kinfo_proc) == 648);
static_assert(offsetof(kinfo_proc, kp_proc) == 0);
static_assert(offsetof(kinfo_proc, kp_eproc) == 296);
static_assert(offsetof(kinfo_proc, kp_proc.p_pid) == 40);
static_assert(offsetof(kinfo_proc, kp_proc.p_stat) == 36);
static_assert(offsetof(kinfo_proc, kp_proc.p_flag) == 32);
static_assert(offsetof(kinfo_proc, kp_proc.p_comm) == 243);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ppid) == 560);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pgid) == 564);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pcred.p_ruid) == 392);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pcred.p_svuid) == 396);
static_assert(offsetof(kinfo_proc, kp_eproc.e_pcred.p_rgid) == 400);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ucred.cr_uid) == 420);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ucred.cr_ngroups) == 424);
static_assert(offsetof(kinfo_proc, kp_eproc.e_ucred.cr_groups) == 428);
static_assert(offsetof(kinfo_proc, kp_eproc.e_tdev) == 572);
static_assert(offsetof(kinfo_proc, kp_eproc.e_tpgid) == 576);
static_assert(offsetof(kinfo_proc, kp_eproc.e_flag) == 612);

}  // namespace xnu
