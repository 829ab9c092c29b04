// sysctl and sysctlbyname: a table of the nodes macOS programs ask for, each with its MIB, name and type.
// Nodes that XNU numbers dynamically (OID_AUTO) get fixed numbers from 1000 up here, so that a name looked
// up with {0,3} (name2oid) can be read back by number.
#include <sys/utsname.h>

#include <fcntl.h>

#include "common.hpp"
#include "base/host.hpp"
#include "procfs.hpp"
#include "base/release.hpp"

namespace xnu_sys {

using base::kKernVersion;
using base::kOsRelease;
using base::kOsVersion;
using base::kProductVersion;
namespace {

enum class Type : uint8_t { Int, Quad, String, Opaque };

// Output buffer for one node's value.
struct Value {
    uint8_t bytes[1024];
    size_t len = 0;
    void put(const void* p, size_t n) {
        n = std::min(n, sizeof bytes - len);
        std::memcpy(bytes + len, p, n);
        len += n;
    }
    void i32(int32_t v) { put(&v, 4); }
    void i64(int64_t v) { put(&v, 8); }
    void str(const char* s) { put(s, strlen(s) + 1); }
};

using Getter = int (*)(Thread&, Value&);

struct Node {
    const char* name;
    int mib[2];
    Type type;
    Getter get;
};

const base::HostFacts& host() { return base::host_facts(); }

int hostname(Thread& t, Value& v) {
    struct utsname u;
    t.sys(SYS_uname, {out(u)});
    v.str(u.nodename);
    return 0;
}
int boottime(Thread& t, Value& v) {
    struct timespec rt, bt;
    t.sys(SYS_clock_gettime, {0 /* REALTIME */, out(rt)});
    t.sys(SYS_clock_gettime, {7 /* BOOTTIME */, out(bt)});
    int64_t sec = rt.tv_sec - bt.tv_sec;
    int64_t nsec = rt.tv_nsec - bt.tv_nsec;
    if (nsec < 0) sec--, nsec += 1000000000;
    xnu::timeval tv{};
    tv.tv_sec = sec;
    tv.tv_usec = int32_t(nsec / 1000);
    v.put(&tv, sizeof tv);
    return 0;
}
int maxfilesperproc(Thread& t, Value& v) {
    struct { uint64_t cur, max; } l;
    t.sys(SYS_prlimit64, {0, 7, nullptr, out(&l, sizeof l)});
    v.i32(int32_t(std::min<uint64_t>(l.max, 0x7fffffff)));
    return 0;
}
int usrstack(Thread& t, Value& v) {
    v.i64(int64_t(t.regs().rsp | 0xfffff) + 1);  // the top of the stack region the thread runs on
    return 0;
}

#define CONST_INT(val) [](Thread&, Value& v) { v.i32(val); return 0; }
#define CONST_QUAD(val) [](Thread&, Value& v) { v.i64(val); return 0; }
#define CONST_STR(val) [](Thread&, Value& v) { v.str(val); return 0; }

const Node kNodes[] = {
    {"kern.ostype", {1, 1}, Type::String, CONST_STR("Darwin")},
    {"kern.osrelease", {1, 2}, Type::String, CONST_STR(kOsRelease)},
    {"kern.osrevision", {1, 3}, Type::Int, CONST_INT(199506)},
    {"kern.version", {1, 4}, Type::String, CONST_STR(kKernVersion)},
    {"kern.maxvnodes", {1, 5}, Type::Int, CONST_INT(263168)},
    {"kern.maxproc", {1, 6}, Type::Int, CONST_INT(4176)},
    {"kern.maxfiles", {1, 7}, Type::Int, CONST_INT(245760)},
    {"kern.argmax", {1, 8}, Type::Int, CONST_INT(1048576)},
    {"kern.securelevel", {1, 9}, Type::Int, CONST_INT(0)},
    {"kern.hostname", {1, 10}, Type::String, hostname},
    {"kern.hostid", {1, 11}, Type::Int, CONST_INT(0)},
    {"kern.posix1version", {1, 17}, Type::Int, CONST_INT(200112)},
    {"kern.ngroups", {1, 18}, Type::Int, CONST_INT(16)},
    {"kern.job_control", {1, 19}, Type::Int, CONST_INT(1)},
    {"kern.saved_ids", {1, 20}, Type::Int, CONST_INT(1)},
    {"kern.boottime", {1, 21}, Type::Opaque, boottime},
    {"kern.maxfilesperproc", {1, 29}, Type::Int, maxfilesperproc},
    {"kern.maxprocperuid", {1, 30}, Type::Int, CONST_INT(2784)},
    {"kern.usrstack64", {1, 59}, Type::Quad, usrstack},
    {"kern.osversion", {1, 65}, Type::String, CONST_STR(kOsVersion)},
    {"kern.safeboot", {1, 66}, Type::Int, CONST_INT(0)},
    {"kern.osproductversion", {1, 1000}, Type::String, CONST_STR(kProductVersion)},
    {"kern.osproductversioncompat", {1, 1001}, Type::String, CONST_STR("10.16")},
    {"kern.secure_kernel", {1, 1002}, Type::Int, CONST_INT(0)},
    {"kern.hv_support", {1, 1003}, Type::Int, CONST_INT(0)},
    {"kern.osrelease_build", {1, 1004}, Type::String, CONST_STR(kOsVersion)},
    {"hw.machine", {6, 1}, Type::String, CONST_STR("x86_64")},
    {"hw.model", {6, 2}, Type::String, CONST_STR("MacPro7,1")},
    {"hw.ncpu", {6, 3}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"hw.byteorder", {6, 4}, Type::Int, CONST_INT(1234)},
    {"hw.physmem", {6, 5}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(std::min<uint64_t>(host().memsize, 0x7fffffff))); return 0; }},
    {"hw.usermem", {6, 6}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(std::min<uint64_t>(host().memsize / 2, 0x7fffffff))); return 0; }},
    // XNU numbers the 64-bit nodes dynamically; the fixed numbers belong to the int-sized *_compat nodes that
    // old programs read by MIB (xnu bsd/kern/kern_mib.c): hw.pagesize is 8 bytes by name, 4 by {6,7}.
    {"hw.pagesize", {6, 1012}, Type::Quad, CONST_QUAD(4096)},
    {"hw.pagesize_compat", {6, 7}, Type::Int, CONST_INT(4096)},
    {"hw.epoch", {6, 10}, Type::Int, CONST_INT(0)},
    {"hw.floatingpoint", {6, 11}, Type::Int, CONST_INT(1)},
    {"hw.machinearch", {6, 12}, Type::String, CONST_STR("x86_64")},
    {"hw.vectorunit", {6, 13}, Type::Int, CONST_INT(1)},
    {"hw.busfrequency", {6, 1013}, Type::Quad, CONST_QUAD(400000000)},
    {"hw.busfrequency_compat", {6, 14}, Type::Int, CONST_INT(400000000)},
    {"hw.cpufrequency", {6, 1014}, Type::Quad, [](Thread&, Value& v) { v.i64(int64_t(base::tsc_hz())); return 0; }},
    {"hw.cpufrequency_compat", {6, 15}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(std::min<uint64_t>(base::tsc_hz(), 0x7fffffff))); return 0; }},
    {"hw.cachelinesize", {6, 1015}, Type::Quad, CONST_QUAD(64)},
    {"hw.cachelinesize_compat", {6, 16}, Type::Int, CONST_INT(64)},
    {"hw.l1icachesize", {6, 1016}, Type::Quad, CONST_QUAD(32768)},
    {"hw.l1icachesize_compat", {6, 17}, Type::Int, CONST_INT(32768)},
    {"hw.l1dcachesize", {6, 1017}, Type::Quad, CONST_QUAD(32768)},
    {"hw.l1dcachesize_compat", {6, 18}, Type::Int, CONST_INT(32768)},
    {"hw.l2cachesize", {6, 1018}, Type::Quad, CONST_QUAD(524288)},
    {"hw.l2cachesize_compat", {6, 20}, Type::Int, CONST_INT(524288)},
    {"hw.l3cachesize", {6, 1019}, Type::Quad, CONST_QUAD(16777216)},
    {"hw.l3cachesize_compat", {6, 22}, Type::Int, CONST_INT(16777216)},
    {"hw.tbfrequency", {6, 1020}, Type::Quad, CONST_QUAD(1000000000)},
    {"hw.tbfrequency_compat", {6, 23}, Type::Int, CONST_INT(1000000000)},
    {"hw.memsize", {6, 24}, Type::Quad, [](Thread&, Value& v) { v.i64(int64_t(host().memsize)); return 0; }},
    {"hw.activecpu", {6, 25}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},  // HW_AVAILCPU
    {"hw.physicalcpu", {6, 1001}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"hw.physicalcpu_max", {6, 1002}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"hw.logicalcpu", {6, 1003}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"hw.logicalcpu_max", {6, 1004}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"hw.cpufrequency_max", {6, 1005}, Type::Quad, [](Thread&, Value& v) { v.i64(int64_t(base::tsc_hz())); return 0; }},
    {"hw.packages", {6, 1006}, Type::Int, CONST_INT(1)},
    {"hw.optional.x86_64", {6, 1007}, Type::Int, CONST_INT(1)},
    {"hw.optional.sse4_2", {6, 1008}, Type::Int, [](Thread&, Value& v) { v.i32((host().cpu_capabilities & 0x800) ? 1 : 0); return 0; }},
    {"hw.optional.avx1_0", {6, 1009}, Type::Int, [](Thread&, Value& v) { v.i32((host().cpu_capabilities & 0x01000000) ? 1 : 0); return 0; }},
    {"hw.optional.avx2_0", {6, 1010}, Type::Int, [](Thread&, Value& v) { v.i32((host().cpu_capabilities & 0x20000000) ? 1 : 0); return 0; }},
    {"hw.optional.arm64", {6, 1011}, Type::Int, CONST_INT(0)},
    {"machdep.cpu.brand_string", {7, 1000}, Type::String, [](Thread&, Value& v) { v.str(base::cpu_brand()); return 0; }},
    {"machdep.cpu.core_count", {7, 1001}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"machdep.cpu.thread_count", {7, 1002}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"machdep.cpu.logical_per_package", {7, 1003}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"machdep.cpu.cores_per_package", {7, 1004}, Type::Int, [](Thread&, Value& v) { v.i32(int32_t(host().ncpus)); return 0; }},
    {"sysctl.proc_translated", {0, 1000}, Type::Int, CONST_INT(0)},
    {"user.cs_path", {8, 1}, Type::String, CONST_STR("/usr/bin:/bin:/usr/sbin:/sbin")},
    {"user.posix2_version", {8, 3}, Type::Int, CONST_INT(200112)},
    {"user.line_max", {8, 9}, Type::Int, CONST_INT(2048)},
    {"user.tzname_max", {8, 20}, Type::Int, CONST_INT(255)},
};

const Node* find_by_mib(const int* mib) {
    for (const Node& node : kNodes)
        if (node.mib[0] == mib[0] && node.mib[1] == mib[1]) return &node;
    return nullptr;
}

const Node* find_by_name(const char* name) {
    for (const Node& node : kNodes)
        if (!strcmp(node.name, name)) return &node;
    return nullptr;
}

// The request as XNU's sysctl() sets it up (sysctl_create_user_req() in xnu bsd/kern/kern_newsysctl.c): the
// old buffer's length comes from *oldlenp (0 without one), and a new value exists only when newlen is nonzero.
struct Request {
    TraceeAddr old, oldlenp, newp;
    uint64_t oldlen = 0, newlen = 0;
    bool writing() const { return !newp.null() && newlen != 0; }
};

int make_request(Thread& t, TraceeAddr old, TraceeAddr oldlenp, TraceeAddr newp, uint64_t newlen, Request& req) {
    req.old = old, req.oldlenp = oldlenp, req.newp = newp, req.newlen = newlen;
    if (!oldlenp.null()) XNU_TRY_ERRNO(t.read(oldlenp, &req.oldlen, sizeof req.oldlen));
    return 0;
}

// The end of every read, as sysctl_old_user() and sysctl() do it: a buffer too small for the value gets
// nothing and ENOMEM, and *oldlenp then reports what was copied (0); without a buffer *oldlenp reports the
// size needed. Other errors leave *oldlenp alone.
SysResult finish(Thread& t, const Request& req, const void* p, uint64_t n, uint64_t size_hint = 0) {
    uint64_t reported = n;
    int err = 0;
    if (!req.old.null()) {
        if (req.oldlen < n) err = xnu::XNU_ENOMEM, reported = 0;
        else XNU_TRY(t.write(req.old, p, n));
    } else if (size_hint) {
        reported = size_hint;
    }
    if (!req.oldlenp.null()) XNU_TRY(t.write(req.oldlenp, &reported, sizeof reported));
    return err ? SysResult::error(err) : SysResult::ok(0);
}

SysResult read_node(Thread& t, const Node& node, const Request& req) {
    if (req.writing()) return SysResult::error(xnu::XNU_EPERM);  // every node here is read-only
    Value v;
    XNU_TRY(node.get(t, v));
    if (node.type == Type::Int || node.type == Type::Quad) {
        // sysctl_io_number(): an int is always 4 bytes; a quad is 8, except into a buffer of exactly 4 bytes,
        // which gets it as an int when it fits and ERANGE when it does not.
        int64_t big = 0;
        if (node.type == Type::Int) {
            int32_t i;
            std::memcpy(&i, v.bytes, 4);
            big = i;
        } else {
            std::memcpy(&big, v.bytes, 8);
        }
        if (!req.old.null() && (node.type == Type::Int || req.oldlen == 4)) {
            auto small = int32_t(big);
            if (small != big) return SysResult::error(xnu::XNU_ERANGE);
            return finish(t, req, &small, 4);
        }
        return finish(t, req, &big, node.type == Type::Int ? 4 : 8);
    }
    return finish(t, req, v.bytes, v.len);
}

// kern.proc.pid.N: one struct kinfo_proc (sysctl_prochandle() in xnu bsd/kern/kern_sysctl.c).
SysResult kern_proc_pid(Thread& t, int pid, const Request& req) {
    if (req.writing()) return SysResult::error(xnu::XNU_EPERM);
    ProcSnapshot s;
    bool found = read_proc(t, pid, s) == 0;
    // A size query is answered with room for five more processes (KERN_PROCSLOP); a missing process is
    // success with nothing copied.
    constexpr uint64_t kSlop = 5 * sizeof(xnu::kinfo_proc);
    if (!found) return finish(t, req, nullptr, 0, kSlop);
    xnu::kinfo_proc kp{};
    kp.kp_proc.p_starttime.tv_sec = int64_t(s.start_sec);
    kp.kp_proc.p_starttime.tv_usec = int32_t(s.start_usec);
    kp.kp_proc.p_flag = xnu::XNU_P_LP64 | xnu::XNU_P_EXEC;
    kp.kp_proc.p_stat = xnu_pstat(s.state);
    kp.kp_proc.p_pid = s.pid;
    std::memcpy(kp.kp_proc.p_comm, s.comm, std::min<size_t>(sizeof kp.kp_proc.p_comm - 1, strlen(s.comm)));
    kp.kp_eproc.e_pcred.p_ruid = s.uid[0];
    kp.kp_eproc.e_pcred.p_svuid = s.uid[2];
    kp.kp_eproc.e_pcred.p_rgid = s.gid[0];
    kp.kp_eproc.e_pcred.p_svgid = s.gid[2];
    kp.kp_eproc.e_ucred.cr_uid = s.uid[1];
    kp.kp_eproc.e_ucred.cr_ngroups = 1;
    kp.kp_eproc.e_ucred.cr_groups[0] = s.gid[1];
    kp.kp_eproc.e_ppid = s.ppid;
    kp.kp_eproc.e_pgid = s.pgid;
    kp.kp_eproc.e_tdev = xnu_tdev(s.tty_nr);
    kp.kp_eproc.e_tpgid = s.tpgid;
    return finish(t, req, &kp, sizeof kp, sizeof kp + kSlop);
}

// {0, 3} (name2oid): the MIB of a name, as an int array (sysctl_sysctl_name2oid()).
SysResult name2oid(Thread& t, const Request& req) {
    char name[xnu::XNU_MAXPATHLEN];
    if (!req.writing()) return SysResult::error(xnu::XNU_ENOENT);
    if (req.newlen >= sizeof name) return SysResult::error(xnu::XNU_ENAMETOOLONG);
    XNU_TRY(t.read(req.newp, name, req.newlen));
    name[req.newlen] = '\0';
    const Node* node = find_by_name(name);
    if (!node) return SysResult::error(xnu::XNU_ENOENT);
    return finish(t, req, node->mib, sizeof node->mib);
}

// kern.procargs2.<pid>: argc, then the process's strings area (xnu bsd/kern/kern_sysctl.c
// sysctl_procargsx): the executable's path (without XNU's "executable_path=" key) padded with NULs, then the
// argv and envp strings. A buffer smaller than the data gets its last bytes. For this process the area is
// read from its initial stack, as XNU reads it; for another, it is made from /proc/PID/{exe,cmdline,environ}.
SysResult kern_procargs2(Thread& t, int pid, const Request& req) {
    constexpr int64_t kArgMax = 1024 * 1024;
    int64_t buflen = req.old.null() ? 0 : int64_t(req.oldlen) - int64_t(sizeof(int32_t));
    if (!req.old.null() && (buflen <= 0 || buflen > kArgMax)) return SysResult::error(xnu::XNU_EINVAL);
    constexpr uint64_t kKey = 16;  // strlen("executable_path=")
    char chunk[4096];
    int32_t argc = 0;
    // The pieces of the area, in order: a range of this process's memory, or a /proc file of another.
    struct Piece { uint64_t addr = 0; const char* file = nullptr; uint64_t len = 0; };
    Piece pieces[4];
    int npieces = 0;
    char exe[xnu::XNU_PATH_MAX + 8] = {}, cmdline_path[64], environ_path[64];
    auto file_size = [&](const char* path, int* nuls) -> int64_t {
        int64_t fd = t.sys(SYS_openat, {-100, in(path, strlen(path) + 1), O_RDONLY | O_CLOEXEC, 0});
        if (fd < 0) return -1;
        int64_t total = 0, n;
        while ((n = t.sys(SYS_read, {fd, out(chunk, sizeof chunk), sizeof chunk})) > 0) {
            total += n;
            if (nuls) for (int64_t k = 0; k < n; k++) *nuls += chunk[k] == 0;
        }
        t.sys(SYS_close, {fd});
        return total;
    };
    if (pid == t.pid() && base::g_runtime.args_area) {
        argc = base::g_runtime.argc;
        pieces[npieces++] = {base::g_runtime.args_area + kKey, nullptr,
                             base::g_runtime.args_area_end - base::g_runtime.args_area - kKey};
    } else {
        char link[64];
        snprintf(link, sizeof link, "/proc/%d/exe", pid);
        int64_t n = t.sys(SYS_readlinkat, {-100, in(link, strlen(link) + 1), out(exe, sizeof exe - 8), sizeof exe - 8});
        if (n < 0) return SysResult::error(xnu::XNU_EINVAL);  // no such process (XNU: EINVAL)
        size_t padded = (size_t(n) + 1 + 7) & ~size_t(7);
        pieces[npieces++] = {reinterpret_cast<uint64_t>(exe), nullptr, padded};
        snprintf(cmdline_path, sizeof cmdline_path, "/proc/%d/cmdline", pid);
        snprintf(environ_path, sizeof environ_path, "/proc/%d/environ", pid);
        int nuls = 0;
        int64_t c = file_size(cmdline_path, &nuls), e = file_size(environ_path, nullptr);
        argc = nuls;
        if (c > 0) pieces[npieces++] = {0, cmdline_path, uint64_t(c)};
        if (e > 0) pieces[npieces++] = {0, environ_path, uint64_t(e)};
    }
    uint64_t total = 0;
    for (int k = 0; k < npieces; k++) total += pieces[k].len;
    if (req.old.null()) {
        uint64_t size = (total + sizeof(int32_t) + 3) & ~uint64_t(3);
        if (!req.oldlenp.null()) XNU_TRY(t.write(req.oldlenp, &size, sizeof size));
        return SysResult::ok(0);
    }
    uint64_t size = std::min<uint64_t>(total, uint64_t(buflen));
    uint64_t skip = total - size;  // a short buffer gets the end of the area
    XNU_TRY(t.write(req.old, &argc, sizeof argc));
    uint64_t dst = req.old.addr + sizeof argc, pos = 0;
    for (int k = 0; k < npieces; k++) {
        const Piece& pc = pieces[k];
        int64_t fd = -1;
        if (pc.file) fd = t.sys(SYS_openat, {-100, in(pc.file, strlen(pc.file) + 1), O_RDONLY | O_CLOEXEC, 0});
        for (uint64_t off = 0; off < pc.len;) {
            uint64_t n = std::min<uint64_t>(sizeof chunk, pc.len - off);
            if (pc.file) {
                int64_t r = fd >= 0 ? t.sys(SYS_read, {fd, out(chunk, n), n}) : -1;
                if (r <= 0) break;
                n = uint64_t(r);
            } else if (pc.addr == reinterpret_cast<uint64_t>(exe)) {
                memcpy(chunk, exe + off, n);
            } else if (t.read(TraceeAddr(pc.addr + off), chunk, n) != 0) {
                break;
            }
            // Copy out the part of [pos, pos + n) that lies at or after `skip`.
            uint64_t from = pos + n > skip ? (pos >= skip ? 0 : skip - pos) : n;
            if (from < n) {
                XNU_TRY(t.write(TraceeAddr(dst), chunk + from, n - from));
                dst += n - from;
            }
            pos += n, off += n;
        }
        if (fd >= 0) t.sys(SYS_close, {fd});
    }
    uint64_t reported = size + sizeof argc;
    if (!req.oldlenp.null()) XNU_TRY(t.write(req.oldlenp, &reported, sizeof reported));
    return SysResult::ok(0);
}

}  // namespace

/// sysctl implements XNU BSD sysctl(3)'s system call (202) for the nodes in kNodes, kern.proc.pid and
/// name2oid, following sysctl_root() in xnu bsd/kern/kern_newsysctl.c: an unknown MIB is ENOENT, a name that
/// continues below a leaf is EISDIR, writes are EPERM.
SysResult sys_sysctl(Thread& t, TraceeAddr name, uint32_t namelen, TraceeAddr old, TraceeAddr oldlenp, TraceeAddr newp,
                     uint64_t newlen) {
    if (namelen < 2 || namelen > uint32_t(xnu::XNU_CTL_MAXNAME)) return SysResult::error(xnu::XNU_EINVAL);
    int mib[xnu::XNU_CTL_MAXNAME];
    XNU_TRY(t.read(name, mib, namelen * sizeof(int)));
    Request req;
    XNU_TRY(make_request(t, old, oldlenp, newp, newlen, req));
    if (mib[0] == 0 && mib[1] == xnu::XNU_CTL_SYSCTL_NAME2OID && namelen == 2) return name2oid(t, req);
    if (mib[0] == xnu::XNU_CTL_KERN && mib[1] == xnu::XNU_KERN_PROC && namelen >= 3 && mib[2] == xnu::XNU_KERN_PROC_PID) {
        // The handler takes exactly one argument after kern.proc.pid.
        if (namelen != 4) return SysResult::error(xnu::XNU_EINVAL);
        return kern_proc_pid(t, mib[3], req);
    }
    if (mib[0] == xnu::XNU_CTL_KERN && mib[1] == xnu::XNU_KERN_PROCARGS2) {
        if (namelen != 3) return SysResult::error(xnu::XNU_EINVAL);
        return kern_procargs2(t, mib[2], req);
    }
    const Node* node = find_by_mib(mib);
    if (!node) return SysResult::error(xnu::XNU_ENOENT);
    if (namelen > 2) return SysResult::error(xnu::XNU_EISDIR);
    return read_node(t, *node, req);
}

/// sysctlbyname implements XNU BSD sysctlbyname (274): the name is namelen bytes, not NUL-terminated, and
/// at most MAXPATHLEN-1 of them (sys_sysctlbyname() in xnu bsd/kern/kern_newsysctl.c).
SysResult sys_sysctlbyname(Thread& t, TraceeAddr name, uint64_t namelen, TraceeAddr old, TraceeAddr oldlenp,
                           TraceeAddr newp, uint64_t newlen) {
    char buf[xnu::XNU_MAXPATHLEN];
    if (namelen >= sizeof buf) return SysResult::error(xnu::XNU_ENAMETOOLONG);
    XNU_TRY(t.read(name, buf, namelen));
    buf[namelen] = '\0';
    Request req;
    XNU_TRY(make_request(t, old, oldlenp, newp, newlen, req));
    const Node* node = find_by_name(buf);
    if (!node) return SysResult::error(xnu::XNU_ENOENT);
    return read_node(t, *node, req);
}

}  // namespace xnu_sys
