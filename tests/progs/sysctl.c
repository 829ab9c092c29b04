/* sysctl(2) by MIB: string/int/quad/opaque nodes, XNU's copy-out rules, kern.proc.pid, name2oid, errors. */
/* Semantics: xnu bsd/kern/kern_newsysctl.c sysctl(), sysctl_root(), sysctl_old_user(), sysctl_io_number();
 * kern_sysctl.c sysctl_prochandle(); kern_mib.c. */
#include <sys/sysctl.h>
#include <sys/time.h>
#undef BSD /* <sys/param.h> defines BSD as 199506; xnu.h defines BSD() */
#include "xnu.h"

static struct xres sc(int* mib, unsigned n, void* old, size_t* oldlen, void* new, size_t newlen) {
    return BSD(sysctl, mib, n, old, oldlen, new, newlen);
}

static const char* base(const char* p) {
    const char* b = p;
    for (; *p; p++) if (*p == '/') b = p + 1;
    return b;
}

int main(int argc, char** argv) {
    (void)argc;
    char buf[256];
    size_t len;

    /* Strings. */
    int ostype[2] = {CTL_KERN, KERN_OSTYPE};
    len = sizeof buf;
    EXPECT_OK(sc(ostype, 2, buf, &len, 0, 0), "kern.ostype");
    CHECK(len == 7 && !strcmp(buf, "Darwin"), "kern.ostype is \"Darwin\", length 7 with the NUL");
    len = 0;
    EXPECT_OK(sc(ostype, 2, 0, &len, 0, 0), "kern.ostype size query");
    CHECK(len == 7, "the size query reports 7");
    memset(buf, 'z', 8);
    len = 3;
    EXPECT_ERR(sc(ostype, 2, buf, &len, 0, 0), ENOMEM, "kern.ostype into 3 bytes");
    CHECK(buf[0] == 'z' && len == 0, "a short buffer gets nothing and the length becomes 0");
    EXPECT_ERR(sc(ostype, 2, buf, 0, 0, 0), ENOMEM, "a buffer without a length pointer has length 0");
    int osrelease[2] = {CTL_KERN, KERN_OSRELEASE};
    len = sizeof buf;
    EXPECT_OK(sc(osrelease, 2, buf, &len, 0, 0), "kern.osrelease");
    CHECK(buf[0] >= '1' && buf[0] <= '9' && strstr(buf, ".") && len == strlen(buf) + 1, "kern.osrelease looks like 23.6.0");

    /* Ints: 4 bytes even when 8 are offered. */
    int ncpu_mib[2] = {CTL_HW, HW_NCPU};
    int ncpu = 0;
    len = sizeof ncpu;
    EXPECT_OK(sc(ncpu_mib, 2, &ncpu, &len, 0, 0), "hw.ncpu {6,3}");
    CHECK(len == 4 && ncpu >= 1, "hw.ncpu is a positive int");
    int pagesize_mib[2] = {CTL_HW, HW_PAGESIZE};
    long long big = -1;
    len = sizeof big;
    EXPECT_OK(sc(pagesize_mib, 2, &big, &len, 0, 0), "hw.pagesize {6,7} into 8 bytes");
    CHECK(len == 4 && (int)big == 4096, "by MIB hw.pagesize is a 4-byte int");

    /* Quads: 8 bytes; a 4-byte buffer gets an int when the value fits, else ERANGE. */
    int memsize_mib[2] = {CTL_HW, HW_MEMSIZE};
    unsigned long long mem = 0;
    len = sizeof mem;
    EXPECT_OK(sc(memsize_mib, 2, &mem, &len, 0, 0), "hw.memsize {6,24}");
    CHECK(len == 8 && mem >= 256ULL << 20, "hw.memsize is a quad of at least 256 MiB");
    int small = 0;
    len = 4;
    struct xres r = sc(memsize_mib, 2, &small, &len, 0, 0);
    if (mem > 0x7fffffffULL) EXPECT_ERR(r, ERANGE, "hw.memsize into 4 bytes (does not fit an int)");
    else CHECK(!r.err && small == (int)mem, "hw.memsize into 4 bytes");

    /* Opaque: kern.boottime is a 64-bit struct timeval. */
    int bt_mib[2] = {CTL_KERN, KERN_BOOTTIME};
    struct timeval bt, now;
    len = sizeof bt;
    EXPECT_OK(sc(bt_mib, 2, &bt, &len, 0, 0), "kern.boottime");
    BSD(gettimeofday, &now, 0, 0);
    CHECK(len == sizeof(struct timeval) && len == 16, "kern.boottime is 16 bytes");
    CHECK(bt.tv_sec > 1000000000L && bt.tv_sec <= now.tv_sec && bt.tv_usec >= 0 && bt.tv_usec < 1000000,
          "kern.boottime is in the past");

    /* kern.proc.pid.<self>: one struct kinfo_proc. */
    long pid = BSD0(getpid).val;
    int kp_mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid};
    struct kinfo_proc kp;
    CHECK(sizeof kp == 648, "struct kinfo_proc is 648 bytes");
    len = 0;
    EXPECT_OK(sc(kp_mib, 4, 0, &len, 0, 0), "kern.proc.pid size query");
    CHECK(len >= sizeof kp && len % sizeof kp == 0, "room for at least one kinfo_proc");
    memset(&kp, 0xee, sizeof kp);
    len = sizeof kp;
    EXPECT_OK(sc(kp_mib, 4, &kp, &len, 0, 0), "kern.proc.pid.<self>");
    CHECK(len == 648, "648 bytes returned");
    CHECK(kp.kp_proc.p_pid == pid, "kp_proc.p_pid is getpid()");
    CHECK(kp.kp_eproc.e_ppid == BSD0(getppid).val, "kp_eproc.e_ppid is getppid()");
    CHECK(kp.kp_eproc.e_pcred.p_ruid == (uid_t)BSD0(getuid).val, "e_pcred.p_ruid is getuid()");
    CHECK(kp.kp_eproc.e_ucred.cr_uid == (uid_t)BSD0(geteuid).val, "e_ucred.cr_uid is geteuid()");
    CHECK(!strncmp(kp.kp_proc.p_comm, base(argv[0]), MAXCOMLEN), "p_comm is the program's name");
    CHECK(kp.kp_proc.p_flag & P_LP64, "p_flag has P_LP64");
    len = 100;
    EXPECT_ERR(sc(kp_mib, 4, &kp, &len, 0, 0), ENOMEM, "kern.proc.pid into 100 bytes");
    int nokp[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, 99999999};
    len = sizeof kp;
    EXPECT_OK(sc(nokp, 4, &kp, &len, 0, 0), "kern.proc.pid.<nonexistent> succeeds");
    CHECK(len == 0, "with nothing returned");
    len = sizeof kp;
    EXPECT_ERR(sc(kp_mib, 3, &kp, &len, 0, 0), EINVAL, "kern.proc.pid without the pid");

    /* name2oid. */
    int n2o[2] = {0, 3};
    int oid[CTL_MAXNAME];
    len = sizeof oid;
    EXPECT_OK(sc(n2o, 2, oid, &len, "kern.ostype", 11), "name2oid(\"kern.ostype\")");
    CHECK(len == 8 && oid[0] == CTL_KERN && oid[1] == KERN_OSTYPE, "kern.ostype is {1,1}");
    len = sizeof oid;
    EXPECT_OK(sc(n2o, 2, oid, &len, "hw.ncpu", 7), "name2oid(\"hw.ncpu\")");
    CHECK(len == 8 && oid[0] == CTL_HW && oid[1] == HW_NCPU, "hw.ncpu is {6,3}");
    len = sizeof oid;
    EXPECT_ERR(sc(n2o, 2, oid, &len, "kern.no_such_node", 17), ENOENT, "name2oid of an unknown name");
    len = sizeof oid;
    EXPECT_OK(sc(n2o, 2, oid, &len, "hw.memsize", 10), "name2oid(\"hw.memsize\")");
    mem = 0;
    size_t len2 = sizeof mem;
    EXPECT_OK(sc(oid, (unsigned)(len / sizeof(int)), &mem, &len2, 0, 0), "read hw.memsize by the returned oid");
    CHECK(len2 == 8 && mem >= 256ULL << 20, "same quad");

    /* Errors. */
    int unknown[2] = {CTL_KERN, 9999};
    len = sizeof buf;
    EXPECT_ERR(sc(unknown, 2, buf, &len, 0, 0), ENOENT, "an unknown MIB {1,9999}");
    int unknown_top[2] = {99, 1};
    EXPECT_ERR(sc(unknown_top, 2, buf, &len, 0, 0), ENOENT, "an unknown top level {99,1}");
    int below_leaf[3] = {CTL_KERN, KERN_OSTYPE, 0};
    EXPECT_ERR(sc(below_leaf, 3, buf, &len, 0, 0), EISDIR, "a name below a leaf {1,1,0}");
    int node_only[2] = {CTL_KERN, KERN_PROC};
    EXPECT_ERR(sc(node_only, 2, buf, &len, 0, 0), ENOENT, "a node without a handler {1,14}");
    EXPECT_ERR(sc(ostype, 1, buf, &len, 0, 0), EINVAL, "namelen 1");
    EXPECT_ERR(sc(oid, 13, buf, &len, 0, 0), EINVAL, "namelen 13 (> CTL_MAXNAME)");
    len = sizeof buf;
    EXPECT_ERR(sc(ostype, 2, buf, &len, "Linux", 6), EPERM, "writing kern.ostype");
    len = sizeof buf;
    EXPECT_OK(sc(ostype, 2, buf, &len, "Linux", 0), "a new pointer with newlen 0 is a read");
    CHECK(!strcmp(buf, "Darwin"), "and reads Darwin");
    return t_done();
}
