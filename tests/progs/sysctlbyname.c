/* sysctlbyname (274): counted names, common nodes, quads by name (hw.pagesize is 8 bytes), errors. */
/* Semantics: xnu bsd/kern/kern_newsysctl.c sys_sysctlbyname(); kern_mib.c; bsd/dev/i386/sysctl.c. */
#include <sys/sysctl.h>
#undef BSD /* <sys/param.h> defines BSD as 199506; xnu.h defines BSD() */
#include "xnu.h"

static struct xres byname(const char* name, void* old, size_t* oldlen) {
    return BSD(sysctlbyname, name, strlen(name), old, oldlen, 0, 0);
}

int main(void) {
    char buf[256];
    size_t len = sizeof buf;
    EXPECT_OK(byname("kern.ostype", buf, &len), "kern.ostype");
    CHECK(!strcmp(buf, "Darwin") && len == 7, "kern.ostype is Darwin");

    len = sizeof buf;
    EXPECT_OK(BSD(sysctlbyname, "kern.ostypeXYZ", 11, buf, &len, 0, 0), "the name is namelen bytes, not NUL-terminated");
    CHECK(!strcmp(buf, "Darwin"), "kern.ostype read through a counted name");

    len = sizeof buf;
    EXPECT_OK(byname("kern.osproductversion", buf, &len), "kern.osproductversion");
    CHECK(buf[0] >= '1' && buf[0] <= '9' && strstr(buf, "."), "kern.osproductversion looks like 14.6");

    len = sizeof buf;
    EXPECT_OK(byname("kern.osrelease", buf, &len), "kern.osrelease");
    int mib[2] = {CTL_KERN, KERN_OSRELEASE};
    char buf2[256];
    size_t len2 = sizeof buf2;
    BSD(sysctl, mib, 2, buf2, &len2, 0, 0);
    CHECK(len == len2 && !strcmp(buf, buf2), "kern.osrelease by name equals by MIB");

    len = sizeof buf;
    EXPECT_OK(byname("machdep.cpu.brand_string", buf, &len), "machdep.cpu.brand_string");
    CHECK(len > 1 && len == strlen(buf) + 1, "a non-empty string");

    int one = 0;
    len = sizeof one;
    EXPECT_OK(byname("hw.optional.x86_64", &one, &len), "hw.optional.x86_64");
    CHECK(one == 1 && len == 4, "hw.optional.x86_64 is 1");

    int ncpu = 0, ncpu2 = 0;
    len = sizeof ncpu;
    EXPECT_OK(byname("hw.ncpu", &ncpu, &len), "hw.ncpu");
    int ncpu_mib[2] = {CTL_HW, HW_NCPU};
    len2 = sizeof ncpu2;
    BSD(sysctl, ncpu_mib, 2, &ncpu2, &len2, 0, 0);
    CHECK(ncpu >= 1 && ncpu == ncpu2, "hw.ncpu by name equals by MIB");
    int logical = 0;
    len = sizeof logical;
    EXPECT_OK(byname("hw.logicalcpu", &logical, &len), "hw.logicalcpu");
    CHECK(logical >= 1, "at least one logical CPU");

    /* hw.pagesize by name is the quad node; a 4-byte buffer still gets the value as an int. */
    long long ps = 0;
    len = sizeof ps;
    EXPECT_OK(byname("hw.pagesize", &ps, &len), "hw.pagesize");
    CHECK(len == 8 && ps == 4096, "hw.pagesize by name is 8 bytes, 4096");
    int ps32 = 0;
    len = sizeof ps32;
    EXPECT_OK(byname("hw.pagesize", &ps32, &len), "hw.pagesize into 4 bytes");
    CHECK(len == 4 && ps32 == 4096, "a quad fitting an int is returned in 4 bytes");

    unsigned long long mem = 0;
    len = sizeof mem;
    EXPECT_OK(byname("hw.memsize", &mem, &len), "hw.memsize");
    CHECK(len == 8 && mem >= 256ULL << 20, "hw.memsize is a quad");

    len = sizeof buf;
    EXPECT_ERR(byname("kern.no_such_node", buf, &len), ENOENT, "an unknown name");
    EXPECT_ERR(byname("kern", buf, &len), ENOENT, "a node without a handler");
    static char longname[1100];
    memset(longname, 'a', sizeof longname - 1);
    EXPECT_ERR(BSD(sysctlbyname, longname, 300, buf, &len, 0, 0), ENOENT, "a 300-byte unknown name is ENOENT");
    EXPECT_ERR(BSD(sysctlbyname, longname, 1024, buf, &len, 0, 0), ENAMETOOLONG, "namelen 1024 (MAXPATHLEN)");
    len = sizeof buf;
    EXPECT_ERR(BSD(sysctlbyname, "kern.ostype", 11, buf, &len, "Linux", 6), EPERM, "writing kern.ostype");
    return t_done();
}
