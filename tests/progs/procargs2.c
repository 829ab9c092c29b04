/* sysctl kern.procargs2.<pid>: argc, then the strings area of the process (the executable's path without
 * "executable_path=", NUL padding, argv, envp); a size query; a short buffer gets the end of the area; a pid
 * that does not exist, a zero-length buffer or a missing pid is EINVAL.
 * Facts: xnu bsd/kern/kern_sysctl.c (sysctl_procargsx), bsd/kern/kern_exec.c (the strings area). */
#include "xnu.h"

enum { X_sysctl_ = 202 };

static struct xres procargs(int pid, int namelen, void* buf, unsigned long* len) {
    int mib[3] = {1 /* CTL_KERN */, 49 /* KERN_PROCARGS2 */, pid};
    return xsys6(SYSCALL_CLASS_UNIX | X_sysctl_, (long)mib, namelen, (long)buf, (long)len, 0, 0);
}

int main(int argc, char** argv, char** envp, char** apple) {
    (void)envp;
    int pid = (int)BSD0(getpid).val;
    unsigned long len = 0;
    EXPECT_OK(procargs(pid, 3, 0, &len), "size query");
    const char* path = apple[0] + 16;  /* "executable_path=" */
    CHECK(len >= 4 + strlen(path) + 1 + strlen(argv[0]) + 1, "the size covers argc, the path and argv");
    static char buf[65536];
    unsigned long got = sizeof buf;
    EXPECT_OK(procargs(pid, 3, buf, &got), "kern.procargs2.<self>");
    CHECK(*(int*)buf == argc, "the first word is argc");
    CHECK(!strcmp(buf + 4, path), "then the executable's path, without its key");
    const char* p = buf + 4 + strlen(path);
    while (!*p) p++;  /* the padding */
    CHECK(!strcmp(p, argv[0]), "then argv[0]");
    CHECK(got <= len, "no more than the size query said");
    unsigned long small = 4 + 8;
    char sbuf[12];
    EXPECT_OK(procargs(pid, 3, sbuf, &small), "a 12-byte buffer");
    CHECK(small == 12 && !memcmp(sbuf + 4, buf + got - 8, 8), "gets argc and the last 8 bytes of the area");
    unsigned long zero = 2;
    EXPECT_ERR(procargs(pid, 3, sbuf, &zero), EINVAL, "a buffer too small for argc: EINVAL");
    unsigned long any = sizeof buf;
    EXPECT_ERR(procargs(0x7ffffff0, 3, buf, &any), EINVAL, "no such process: EINVAL");
    EXPECT_ERR(procargs(pid, 2, buf, &any), EINVAL, "no pid in the name: EINVAL");
    return t_done();
}
