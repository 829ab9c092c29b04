// XNU (macOS x86_64) ABI, part of xnu.hpp: proc_info and csops.
#pragma once

#include "xnu_base.hpp"
#include "xnu_time.hpp"

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// proc_info (syscall 336) (xnu bsd/sys/proc_info.h, bsd/sys/proc_info_private.h)
// ---------------------------------------------------------------------------------------------------------
// callnum (first argument)
constexpr int XNU_PROC_INFO_CALL_LISTPIDS = 0x1;
constexpr int XNU_PROC_INFO_CALL_PIDINFO = 0x2;
constexpr int XNU_PROC_INFO_CALL_PIDFDINFO = 0x3;
constexpr int XNU_PROC_INFO_CALL_KERNMSGBUF = 0x4;
constexpr int XNU_PROC_INFO_CALL_SETCONTROL = 0x5;
constexpr int XNU_PROC_INFO_CALL_PIDFILEPORTINFO = 0x6;
constexpr int XNU_PROC_INFO_CALL_TERMINATE = 0x7;
constexpr int XNU_PROC_INFO_CALL_DIRTYCONTROL = 0x8;
constexpr int XNU_PROC_INFO_CALL_PIDRUSAGE = 0x9;
constexpr int XNU_PROC_INFO_CALL_PIDORIGINATORINFO = 0xa;
constexpr int XNU_PROC_INFO_CALL_LISTCOALITIONS = 0xb;
constexpr int XNU_PROC_INFO_CALL_CANUSEFGHW = 0xc;
constexpr int XNU_PROC_INFO_CALL_PIDDYNKQUEUEINFO = 0xd;
constexpr int XNU_PROC_INFO_CALL_UDATA_INFO = 0xe;
constexpr int XNU_PROC_INFO_CALL_SET_DYLD_IMAGES = 0xf;
constexpr int XNU_PROC_INFO_CALL_TERMINATE_RSR = 0x10;
constexpr int XNU_PROC_INFO_CALL_SIGNAL_AUDITTOKEN = 0x11;
constexpr int XNU_PROC_INFO_CALL_TERMINATE_AUDITTOKEN = 0x12;
constexpr int XNU_PROC_INFO_CALL_DELEGATE_SIGNAL = 0x13;
constexpr int XNU_PROC_INFO_CALL_DELEGATE_TERMINATE = 0x14;

// LISTPIDS filter types
constexpr int XNU_PROC_ALL_PIDS = 1;
constexpr int XNU_PROC_PGRP_ONLY = 2;
constexpr int XNU_PROC_TTY_ONLY = 3;
constexpr int XNU_PROC_UID_ONLY = 4;
constexpr int XNU_PROC_RUID_ONLY = 5;
constexpr int XNU_PROC_PPID_ONLY = 6;
constexpr int XNU_PROC_KDBG_ONLY = 7;

// PIDINFO flavors
constexpr int XNU_PROC_PIDLISTFDS = 1;
constexpr int XNU_PROC_PIDTASKALLINFO = 2;
constexpr int XNU_PROC_PIDTBSDINFO = 3;
constexpr int XNU_PROC_PIDTASKINFO = 4;
constexpr int XNU_PROC_PIDTHREADINFO = 5;
constexpr int XNU_PROC_PIDLISTTHREADS = 6;
constexpr int XNU_PROC_PIDREGIONINFO = 7;
constexpr int XNU_PROC_PIDREGIONPATHINFO = 8;
constexpr int XNU_PROC_PIDVNODEPATHINFO = 9;
constexpr int XNU_PROC_PIDTHREADPATHINFO = 10;
constexpr int XNU_PROC_PIDPATHINFO = 11;
constexpr int XNU_PROC_PIDWORKQUEUEINFO = 12;
constexpr int XNU_PROC_PIDT_SHORTBSDINFO = 13;
constexpr int XNU_PROC_PIDLISTFILEPORTS = 14;
constexpr int XNU_PROC_PIDTHREADID64INFO = 15;
constexpr int XNU_PROC_PID_RUSAGE = 16;
constexpr int XNU_PROC_PIDPATHINFO_SIZE = XNU_MAXPATHLEN;
constexpr int XNU_PROC_PIDPATHINFO_MAXSIZE = 4 * XNU_MAXPATHLEN;

// PIDFDINFO flavors
constexpr int XNU_PROC_PIDFDVNODEINFO = 1;
constexpr int XNU_PROC_PIDFDVNODEPATHINFO = 2;
constexpr int XNU_PROC_PIDFDSOCKETINFO = 3;
constexpr int XNU_PROC_PIDFDPSEMINFO = 4;
constexpr int XNU_PROC_PIDFDPSHMINFO = 5;
constexpr int XNU_PROC_PIDFDPIPEINFO = 6;
constexpr int XNU_PROC_PIDFDKQUEUEINFO = 7;
constexpr int XNU_PROC_PIDFDATALKINFO = 8;
constexpr int XNU_PROC_PIDFDCHANNELINFO = 10;

// proc_fdinfo.proc_fdtype
constexpr std::uint32_t XNU_PROX_FDTYPE_ATALK = 0;
constexpr std::uint32_t XNU_PROX_FDTYPE_VNODE = 1;
constexpr std::uint32_t XNU_PROX_FDTYPE_SOCKET = 2;
constexpr std::uint32_t XNU_PROX_FDTYPE_PSHM = 3;
constexpr std::uint32_t XNU_PROX_FDTYPE_PSEM = 4;
constexpr std::uint32_t XNU_PROX_FDTYPE_KQUEUE = 5;
constexpr std::uint32_t XNU_PROX_FDTYPE_PIPE = 6;
constexpr std::uint32_t XNU_PROX_FDTYPE_FSEVENTS = 7;
constexpr std::uint32_t XNU_PROX_FDTYPE_NETPOLICY = 9;
constexpr std::uint32_t XNU_PROX_FDTYPE_CHANNEL = 10;
constexpr std::uint32_t XNU_PROX_FDTYPE_NEXUS = 11;

// proc_bsdinfo.pbi_flags
constexpr std::uint32_t XNU_PROC_FLAG_SYSTEM = 0x1;
constexpr std::uint32_t XNU_PROC_FLAG_TRACED = 0x2;
constexpr std::uint32_t XNU_PROC_FLAG_INEXIT = 0x4;
constexpr std::uint32_t XNU_PROC_FLAG_PPWAIT = 0x8;
constexpr std::uint32_t XNU_PROC_FLAG_LP64 = 0x10;
constexpr std::uint32_t XNU_PROC_FLAG_SLEADER = 0x20;
constexpr std::uint32_t XNU_PROC_FLAG_CTTY = 0x40;
constexpr std::uint32_t XNU_PROC_FLAG_CONTROLT = 0x80;
constexpr std::uint32_t XNU_PROC_FLAG_THCWD = 0x100;
constexpr std::uint32_t XNU_PROC_FLAG_PSUGID = 0x2000;
constexpr std::uint32_t XNU_PROC_FLAG_EXEC = 0x4000;

struct proc_bsdinfo {
    std::uint32_t pbi_flags;
    std::uint32_t pbi_status;  // p_stat value (SRUN...)
    std::uint32_t pbi_xstatus;
    std::uint32_t pbi_pid;
    std::uint32_t pbi_ppid;
    uid_t pbi_uid;
    gid_t pbi_gid;
    uid_t pbi_ruid;
    gid_t pbi_rgid;
    uid_t pbi_svuid;
    gid_t pbi_svgid;
    std::uint32_t rfu_1;
    char pbi_comm[XNU_MAXCOMLEN];      // not necessarily NUL-terminated
    char pbi_name[2 * XNU_MAXCOMLEN];  // empty unless a longer name was set
    std::uint32_t pbi_nfiles;
    std::uint32_t pbi_pgid;
    std::uint32_t pbi_pjobc;
    std::uint32_t e_tdev;
    std::uint32_t e_tpgid;
    std::int32_t pbi_nice;
    std::uint64_t pbi_start_tvsec;
    std::uint64_t pbi_start_tvusec;
};
static_assert(sizeof(proc_bsdinfo) == 136);
static_assert(offsetof(proc_bsdinfo, pbi_flags) == 0);
static_assert(offsetof(proc_bsdinfo, pbi_status) == 4);
static_assert(offsetof(proc_bsdinfo, pbi_xstatus) == 8);
static_assert(offsetof(proc_bsdinfo, pbi_pid) == 12);
static_assert(offsetof(proc_bsdinfo, pbi_ppid) == 16);
static_assert(offsetof(proc_bsdinfo, pbi_uid) == 20);
static_assert(offsetof(proc_bsdinfo, pbi_gid) == 24);
static_assert(offsetof(proc_bsdinfo, pbi_ruid) == 28);
static_assert(offsetof(proc_bsdinfo, pbi_rgid) == 32);
static_assert(offsetof(proc_bsdinfo, pbi_svuid) == 36);
static_assert(offsetof(proc_bsdinfo, pbi_svgid) == 40);
static_assert(offsetof(proc_bsdinfo, rfu_1) == 44);
static_assert(offsetof(proc_bsdinfo, pbi_comm) == 48);
static_assert(offsetof(proc_bsdinfo, pbi_name) == 64);
static_assert(offsetof(proc_bsdinfo, pbi_nfiles) == 96);
static_assert(offsetof(proc_bsdinfo, pbi_pgid) == 100);
static_assert(offsetof(proc_bsdinfo, pbi_pjobc) == 104);
static_assert(offsetof(proc_bsdinfo, e_tdev) == 108);
static_assert(offsetof(proc_bsdinfo, e_tpgid) == 112);
static_assert(offsetof(proc_bsdinfo, pbi_nice) == 116);
static_assert(offsetof(proc_bsdinfo, pbi_start_tvsec) == 120);
static_assert(offsetof(proc_bsdinfo, pbi_start_tvusec) == 128);

struct proc_bsdshortinfo {
    std::uint32_t pbsi_pid;
    std::uint32_t pbsi_ppid;
    std::uint32_t pbsi_pgid;
    std::uint32_t pbsi_status;
    char pbsi_comm[XNU_MAXCOMLEN];
    std::uint32_t pbsi_flags;
    uid_t pbsi_uid;
    gid_t pbsi_gid;
    uid_t pbsi_ruid;
    gid_t pbsi_rgid;
    uid_t pbsi_svuid;
    gid_t pbsi_svgid;
    std::uint32_t pbsi_rfu;
};
static_assert(sizeof(proc_bsdshortinfo) == 64);
static_assert(offsetof(proc_bsdshortinfo, pbsi_pid) == 0);
static_assert(offsetof(proc_bsdshortinfo, pbsi_ppid) == 4);
static_assert(offsetof(proc_bsdshortinfo, pbsi_pgid) == 8);
static_assert(offsetof(proc_bsdshortinfo, pbsi_status) == 12);
static_assert(offsetof(proc_bsdshortinfo, pbsi_comm) == 16);
static_assert(offsetof(proc_bsdshortinfo, pbsi_flags) == 32);
static_assert(offsetof(proc_bsdshortinfo, pbsi_uid) == 36);
static_assert(offsetof(proc_bsdshortinfo, pbsi_gid) == 40);
static_assert(offsetof(proc_bsdshortinfo, pbsi_ruid) == 44);
static_assert(offsetof(proc_bsdshortinfo, pbsi_rgid) == 48);
static_assert(offsetof(proc_bsdshortinfo, pbsi_svuid) == 52);
static_assert(offsetof(proc_bsdshortinfo, pbsi_svgid) == 56);
static_assert(offsetof(proc_bsdshortinfo, pbsi_rfu) == 60);

struct proc_taskinfo {
    std::uint64_t pti_virtual_size;
    std::uint64_t pti_resident_size;
    std::uint64_t pti_total_user;  // nanoseconds (mach absolute time units on arm64)
    std::uint64_t pti_total_system;
    std::uint64_t pti_threads_user;
    std::uint64_t pti_threads_system;
    std::int32_t pti_policy;
    std::int32_t pti_faults;
    std::int32_t pti_pageins;
    std::int32_t pti_cow_faults;
    std::int32_t pti_messages_sent;
    std::int32_t pti_messages_received;
    std::int32_t pti_syscalls_mach;
    std::int32_t pti_syscalls_unix;
    std::int32_t pti_csw;
    std::int32_t pti_threadnum;
    std::int32_t pti_numrunning;
    std::int32_t pti_priority;
};
static_assert(sizeof(proc_taskinfo) == 96);
static_assert(offsetof(proc_taskinfo, pti_virtual_size) == 0);
static_assert(offsetof(proc_taskinfo, pti_resident_size) == 8);
static_assert(offsetof(proc_taskinfo, pti_total_user) == 16);
static_assert(offsetof(proc_taskinfo, pti_total_system) == 24);
static_assert(offsetof(proc_taskinfo, pti_threads_user) == 32);
static_assert(offsetof(proc_taskinfo, pti_threads_system) == 40);
static_assert(offsetof(proc_taskinfo, pti_policy) == 48);
static_assert(offsetof(proc_taskinfo, pti_faults) == 52);
static_assert(offsetof(proc_taskinfo, pti_pageins) == 56);
static_assert(offsetof(proc_taskinfo, pti_cow_faults) == 60);
static_assert(offsetof(proc_taskinfo, pti_messages_sent) == 64);
static_assert(offsetof(proc_taskinfo, pti_messages_received) == 68);
static_assert(offsetof(proc_taskinfo, pti_syscalls_mach) == 72);
static_assert(offsetof(proc_taskinfo, pti_syscalls_unix) == 76);
static_assert(offsetof(proc_taskinfo, pti_csw) == 80);
static_assert(offsetof(proc_taskinfo, pti_threadnum) == 84);
static_assert(offsetof(proc_taskinfo, pti_numrunning) == 88);
static_assert(offsetof(proc_taskinfo, pti_priority) == 92);

struct proc_taskallinfo {
    proc_bsdinfo pbsd;
    proc_taskinfo ptinfo;
};
static_assert(sizeof(proc_taskallinfo) == 232);
static_assert(offsetof(proc_taskallinfo, pbsd) == 0);
static_assert(offsetof(proc_taskallinfo, ptinfo) == 136);

// One PROC_PIDLISTFDS record
struct proc_fdinfo {
    std::int32_t proc_fd;
    std::uint32_t proc_fdtype;  // PROX_FDTYPE_*
};
static_assert(sizeof(proc_fdinfo) == 8);
static_assert(offsetof(proc_fdinfo, proc_fd) == 0);
static_assert(offsetof(proc_fdinfo, proc_fdtype) == 4);

// ---------------------------------------------------------------------------------------------------------
// csops (syscall 169) (xnu bsd/sys/codesign.h, osfmk/kern/cs_blobs.h)
// ---------------------------------------------------------------------------------------------------------
constexpr int XNU_CS_OPS_STATUS = 0;
constexpr int XNU_CS_OPS_MARKINVALID = 1;
constexpr int XNU_CS_OPS_MARKHARD = 2;
constexpr int XNU_CS_OPS_MARKKILL = 3;
// 4 was CS_OPS_PIDPATH
constexpr int XNU_CS_OPS_CDHASH = 5;
constexpr int XNU_CS_OPS_PIDOFFSET = 6;
constexpr int XNU_CS_OPS_ENTITLEMENTS_BLOB = 7;
constexpr int XNU_CS_OPS_MARKRESTRICT = 8;
constexpr int XNU_CS_OPS_SET_STATUS = 9;
constexpr int XNU_CS_OPS_BLOB = 10;
constexpr int XNU_CS_OPS_IDENTITY = 11;
constexpr int XNU_CS_OPS_CLEARINSTALLER = 12;
constexpr int XNU_CS_OPS_CLEARPLATFORM = 13;
constexpr int XNU_CS_OPS_TEAMID = 14;
constexpr int XNU_CS_OPS_CLEAR_LV = 15;
constexpr int XNU_CS_OPS_DER_ENTITLEMENTS_BLOB = 16;
constexpr int XNU_CS_OPS_VALIDATION_CATEGORY = 17;
constexpr int XNU_CS_MAX_TEAMID_LEN = 64;
constexpr int XNU_CS_CDHASH_LEN = 20;  // CS_OPS_CDHASH answer size

// Code-signing status flags (CS_OPS_STATUS result)
constexpr std::uint32_t XNU_CS_VALID = 0x00000001;
constexpr std::uint32_t XNU_CS_ADHOC = 0x00000002;
constexpr std::uint32_t XNU_CS_GET_TASK_ALLOW = 0x00000004;
constexpr std::uint32_t XNU_CS_INSTALLER = 0x00000008;
constexpr std::uint32_t XNU_CS_FORCED_LV = 0x00000010;
constexpr std::uint32_t XNU_CS_INVALID_ALLOWED = 0x00000020;
constexpr std::uint32_t XNU_CS_HARD = 0x00000100;
constexpr std::uint32_t XNU_CS_KILL = 0x00000200;
constexpr std::uint32_t XNU_CS_CHECK_EXPIRATION = 0x00000400;
constexpr std::uint32_t XNU_CS_RESTRICT = 0x00000800;
constexpr std::uint32_t XNU_CS_ENFORCEMENT = 0x00001000;
constexpr std::uint32_t XNU_CS_REQUIRE_LV = 0x00002000;
constexpr std::uint32_t XNU_CS_ENTITLEMENTS_VALIDATED = 0x00004000;
constexpr std::uint32_t XNU_CS_NVRAM_UNRESTRICTED = 0x00008000;
constexpr std::uint32_t XNU_CS_RUNTIME = 0x00010000;
constexpr std::uint32_t XNU_CS_LINKER_SIGNED = 0x00020000;
constexpr std::uint32_t XNU_CS_EXEC_SET_HARD = 0x00100000;
constexpr std::uint32_t XNU_CS_EXEC_SET_KILL = 0x00200000;
constexpr std::uint32_t XNU_CS_EXEC_SET_ENFORCEMENT = 0x00400000;
constexpr std::uint32_t XNU_CS_EXEC_INHERIT_SIP = 0x00800000;
constexpr std::uint32_t XNU_CS_KILLED = 0x01000000;
constexpr std::uint32_t XNU_CS_NO_UNTRUSTED_HELPERS = 0x02000000;
constexpr std::uint32_t XNU_CS_PLATFORM_BINARY = 0x04000000;
constexpr std::uint32_t XNU_CS_PLATFORM_PATH = 0x08000000;
constexpr std::uint32_t XNU_CS_DEBUGGED = 0x10000000;
constexpr std::uint32_t XNU_CS_SIGNED = 0x20000000;
constexpr std::uint32_t XNU_CS_DEV_CODE = 0x40000000;
constexpr std::uint32_t XNU_CS_DATAVAULT_CONTROLLER = 0x80000000;

}  // namespace xnu
