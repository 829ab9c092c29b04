/* proc_info (336): LISTPIDS with filters, PIDINFO PATHINFO/TBSDINFO/SHORTBSDINFO/TASKINFO of self, errors. */
/* Semantics: xnu bsd/kern/proc_info.c proc_listpids(), proc_pidinfo(). */
#include <sys/proc_info.h>
#undef BSD /* <sys/param.h> defines BSD as 199506; xnu.h defines BSD() */
#include "xnu.h"

/* Call numbers (xnu bsd/sys/proc_info_private.h). */
#define PROC_INFO_CALL_LISTPIDS 1
#define PROC_INFO_CALL_PIDINFO 2

static struct xres pinfo(int call, int pid, unsigned flavor, unsigned long arg, void* buf, int size) {
    return BSD(proc_info, call, pid, flavor, arg, buf, size);
}

static int listed(int type, unsigned typeinfo, int pid) {
    static int pids[8192];
    struct xres r = pinfo(PROC_INFO_CALL_LISTPIDS, type, typeinfo, 0, pids, sizeof pids);
    if (r.err || r.val % 4) return 0;
    for (long i = 0; i < r.val / 4; i++)
        if (pids[i] == pid) return 1;
    return 0;
}

static int ends_with(const char* s, const char* suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

int main(void) {
    int pid = (int)BSD0(getpid).val, ppid = (int)BSD0(getppid).val;

    struct xres r = EXPECT_OK(pinfo(PROC_INFO_CALL_LISTPIDS, PROC_ALL_PIDS, 0, 0, 0, 0), "LISTPIDS size query");
    CHECK(r.val >= 4 && r.val % 4 == 0, "a positive multiple of sizeof(int)");
    CHECK(listed(PROC_ALL_PIDS, 0, pid), "LISTPIDS(PROC_ALL_PIDS) includes self");
    CHECK(listed(PROC_PPID_ONLY, (unsigned)ppid, pid), "LISTPIDS(PROC_PPID_ONLY, getppid()) includes self");
    CHECK(!listed(PROC_PPID_ONLY, (unsigned)pid, pid), "LISTPIDS(PROC_PPID_ONLY, getpid()) does not");
    CHECK(listed(PROC_UID_ONLY, (unsigned)BSD0(geteuid).val, pid), "LISTPIDS(PROC_UID_ONLY, geteuid()) includes self");
    int one;
    r = EXPECT_OK(pinfo(PROC_INFO_CALL_LISTPIDS, PROC_ALL_PIDS, 0, 0, &one, 4), "LISTPIDS into one slot");
    CHECK(r.val == 4, "fills exactly one pid");
    EXPECT_ERR(pinfo(PROC_INFO_CALL_LISTPIDS, PROC_ALL_PIDS, 0, 0, &one, 3), ENOMEM, "LISTPIDS into 3 bytes");

    /* PROC_PIDPATHINFO: the absolute path of the executable; the call itself returns 0. */
    static char path[PROC_PIDPATHINFO_MAXSIZE];
    r = EXPECT_OK(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDPATHINFO, 0, path, sizeof path), "PIDPATHINFO of self");
    CHECK(r.val == 0, "returns 0 (libproc takes strlen itself)");
    CHECK(path[0] == '/' && ends_with(path, "/proc_info"), "an absolute path ending in /proc_info");
    t_printf("# path %s\n", path);
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDPATHINFO, 0, path, 100), ENOMEM, "PIDPATHINFO into 100 bytes");
    static char huge[PROC_PIDPATHINFO_MAXSIZE + 1];
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDPATHINFO, 0, huge, sizeof huge), EOVERFLOW,
               "PIDPATHINFO with a buffer above PROC_PIDPATHINFO_MAXSIZE");

    /* PROC_PIDTBSDINFO. */
    struct proc_bsdinfo bi;
    memset(&bi, 0xcc, sizeof bi);
    r = EXPECT_OK(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDTBSDINFO, 0, &bi, sizeof bi), "PIDTBSDINFO of self");
    CHECK(r.val == sizeof bi && sizeof bi == 136, "returns sizeof(struct proc_bsdinfo), 136");
    CHECK((int)bi.pbi_pid == pid && (int)bi.pbi_ppid == ppid, "pbi_pid and pbi_ppid");
    CHECK(bi.pbi_uid == (uid_t)BSD0(geteuid).val && bi.pbi_ruid == (uid_t)BSD0(getuid).val, "pbi_uid and pbi_ruid");
    CHECK(!strcmp(bi.pbi_comm, "proc_info"), "pbi_comm is the program name");
    CHECK(!strcmp(bi.pbi_name, "proc_info"), "pbi_name is the program name");
    CHECK(bi.pbi_flags & PROC_FLAG_LP64, "PROC_FLAG_LP64");
    CHECK(bi.pbi_start_tvsec > 1000000000ULL, "a start time");
    CHECK(listed(PROC_PGRP_ONLY, bi.pbi_pgid, pid), "LISTPIDS(PROC_PGRP_ONLY, pbi_pgid) includes self");
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDTBSDINFO, 0, &bi, sizeof bi - 1), ENOMEM, "PIDTBSDINFO into a short buffer");

    struct proc_bsdshortinfo si;
    r = EXPECT_OK(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDT_SHORTBSDINFO, 0, &si, sizeof si), "PIDT_SHORTBSDINFO of self");
    CHECK(r.val == sizeof si && (int)si.pbsi_pid == pid && !strcmp(si.pbsi_comm, "proc_info"), "pbsi_pid and pbsi_comm");

    struct proc_taskinfo ti;
    r = EXPECT_OK(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDTASKINFO, 0, &ti, sizeof ti), "PIDTASKINFO of self");
    CHECK(r.val == sizeof ti && sizeof ti == 96, "returns sizeof(struct proc_taskinfo), 96");
    CHECK(ti.pti_threadnum >= 1 && ti.pti_virtual_size > 0 && ti.pti_resident_size > 0, "threads, virtual and resident size");

    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, 99999999, PROC_PIDTBSDINFO, 0, &bi, sizeof bi), ESRCH, "PIDTBSDINFO of a nonexistent pid");
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, 99999999, PROC_PIDPATHINFO, 0, path, sizeof path), ESRCH, "PIDPATHINFO of a nonexistent pid");
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, 99999999, PROC_PIDTBSDINFO, 0, &bi, 8), ENOMEM, "the buffer size is checked before the pid");
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, pid, 9999, 0, &bi, sizeof bi), EINVAL, "an unknown flavor");
    EXPECT_ERR(pinfo(99, pid, 0, 0, &bi, sizeof bi), EINVAL, "an unknown call number");
    EXPECT_ERR(pinfo(PROC_INFO_CALL_PIDINFO, pid, PROC_PIDTBSDINFO, 0, BAD_PTR, sizeof bi), EFAULT, "PIDTBSDINFO into a bad pointer");
    return t_done();
}
