/* chflags(2)/fchflags(2) (BSD 34/35) and libc's lchflags (setattrlist with FSOPT_NOFOLLOW): st_flags reports
 * what was set, SF_SYNTHETIC bits are ignored, symlinks are followed by chflags; UF_IMMUTABLE and SF_APPEND
 * are enforced (open for writing and unlink are EPERM). Errors: ENOENT, ENOTDIR, EFAULT, EBADF, EINVAL for a
 * pipe (not a vnode), EPERM for SF_ flags without the superuser. */
#include <sys/attr.h>
#include <sys/stat.h>
#undef BSD /* <sys/param.h>'s 199506; xnu.h's BSD() makes the calls */

#include "xnu.h"

static unsigned flags_of(const char* p) {
    struct stat st;
    st.st_flags = 0xdeadbeef;
    BSD(stat64, p, &st);
    return st.st_flags;
}

int main(void) {
    struct stat st;
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(symlink, "f", "l");
    BSD(mkdir, "d", 0755);
    CHECK(flags_of("f") == 0, "a new file has no flags");

    EXPECT_OK(BSD(chflags, "f", UF_NODUMP), "chflags UF_NODUMP");
    CHECK(flags_of("f") == UF_NODUMP, "stat reports UF_NODUMP");
    BSD(fstat64, fd, &st);
    CHECK(st.st_flags == UF_NODUMP, "fstat too");
    EXPECT_OK(BSD(chflags, "f", 0), "chflags 0");
    CHECK(flags_of("f") == 0, "cleared");
    EXPECT_OK(BSD(chflags, "l", UF_NODUMP), "chflags through a symlink");
    CHECK(flags_of("f") == UF_NODUMP, "the target has UF_NODUMP");
    EXPECT_OK(BSD(chflags, "f", UF_NODUMP | SF_DATALESS), "SF_DATALESS (synthetic) is ignored");
    CHECK(flags_of("f") == UF_NODUMP, "still just UF_NODUMP");
    EXPECT_OK(BSD(chflags, "f", 0xffffffff00000000L), "flags with only a dirty high half: 0");
    CHECK(flags_of("f") == 0, "cleared");
    EXPECT_OK(BSD(fchflags, fd, UF_NODUMP), "fchflags UF_NODUMP");
    CHECK(flags_of("f") == UF_NODUMP, "set");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_OK(BSD(fchflags, 0x1234567800000000L | (unsigned)ro, 0), "fchflags through O_RDONLY, dirty fd");
    CHECK(flags_of("f") == 0, "cleared");
    EXPECT_OK(BSD(chflags, "d", UF_NODUMP), "chflags a directory");
    CHECK(flags_of("d") == UF_NODUMP, "set");
    EXPECT_OK(BSD(chflags, "d", 0), "and clear it");

    /* lchflags: setattrlist(ATTR_CMN_FLAGS, FSOPT_NOFOLLOW). */
    struct attrlist a = {ATTR_BIT_MAP_COUNT, 0, ATTR_CMN_FLAGS, 0, 0, 0, 0};
    unsigned v = UF_NODUMP;
    EXPECT_OK(BSD(setattrlist, "f", &a, &v, sizeof v, FSOPT_NOFOLLOW), "lchflags a file");
    CHECK(flags_of("f") == UF_NODUMP, "set");
    v = 0;
    EXPECT_OK(BSD(setattrlist, "l", &a, &v, sizeof v, FSOPT_NOFOLLOW), "lchflags(0) a symlink");
    CHECK(flags_of("f") == UF_NODUMP, "the target kept its flag");
    EXPECT_OK(BSD(setattrlist, "l", &a, &v, sizeof v, 0), "setattrlist following the symlink");
    CHECK(flags_of("f") == 0, "the target cleared");
    EXPECT_OK(BSD(fsetattrlist, fd, &a, &v, sizeof v, 0), "fsetattrlist ATTR_CMN_FLAGS");

    /* Enforcement. The superuser may set them on macOS; a Linux container without CAP_LINUX_IMMUTABLE may not. */
    struct xres r = BSD(chflags, "f", UF_IMMUTABLE);
    if (r.err == EPERM) {
        t_printf("# UF_IMMUTABLE refused (no CAP_LINUX_IMMUTABLE here): enforcement not checked\n");
    } else {
        EXPECT_OK(r, "chflags UF_IMMUTABLE");
        CHECK(flags_of("f") == UF_IMMUTABLE, "stat reports UF_IMMUTABLE");
        EXPECT_ERR(BSD(open, "f", O_WRONLY), EPERM, "open for writing an immutable file");
        EXPECT_ERR(BSD(unlink, "f"), EPERM, "unlink an immutable file");
        EXPECT_ERR(BSD(chmod, "f", 0600), EPERM, "chmod an immutable file");
        EXPECT_OK(BSD(chflags, "f", 0), "clear UF_IMMUTABLE");
        EXPECT_OK(BSD(chmod, "f", 0644), "chmod works again");
        EXPECT_OK(BSD(chflags, "f", SF_APPEND), "chflags SF_APPEND");
        CHECK(flags_of("f") & (SF_APPEND | UF_APPEND), "stat reports an append-only flag");
        EXPECT_ERR(BSD(open, "f", O_WRONLY), EPERM, "open for writing without O_APPEND");
        int w = (int)EXPECT_OK(BSD(open, "f", O_WRONLY | O_APPEND), "open with O_APPEND").val;
        CHECK(BSD(write, w, "abc", 3).val == 3, "append");
        BSD(close, w);
        EXPECT_OK(BSD(chflags, "f", 0), "clear SF_APPEND");
        CHECK(flags_of("f") == 0, "no flags");
    }

    EXPECT_ERR(BSD(chflags, "missing", UF_NODUMP), ENOENT, "missing file");
    EXPECT_ERR(BSD(chflags, "", UF_NODUMP), ENOENT, "empty path");
    EXPECT_ERR(BSD(chflags, "f/x", UF_NODUMP), ENOTDIR, "a file as a directory");
    EXPECT_ERR(BSD(chflags, BAD_PTR, UF_NODUMP), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(fchflags, -1, UF_NODUMP), EBADF, "fchflags(-1)");
    EXPECT_ERR(BSD(fchflags, 999, 0), EBADF, "fchflags of a descriptor not open");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fchflags, p.val, 0), EINVAL, "fchflags on a pipe");
    if (BSD0(geteuid).val != 0) EXPECT_ERR(BSD(chflags, "f", SF_ARCHIVED), EPERM, "SF_ flags need the superuser");
    return t_done();
}
