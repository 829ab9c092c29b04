/* truncate(2) (BSD 200): grows and shrinks a file by path, follows symlinks; the length is checked before the
 * path (EINVAL for a negative one, SIGXFSZ and EFBIG past RLIMIT_FSIZE: xnu truncate_validate_common); EISDIR
 * for a directory, EINVAL for a FIFO (vnode_authattr), ENOENT, ENOTDIR, ELOOP, EFAULT, ENAMETOOLONG. */
#include "xnu.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

static char longpath[1200];
static volatile int xfsz;

static void on_xfsz(int sig, siginfo_t* si, void* ctx) {
    (void)si, (void)ctx;
    if (sig == SIGXFSZ) xfsz++;
}

static long size_of(const char* p) {
    struct stat st;
    st.st_size = -1;
    BSD(stat64, p, &st);
    return (long)st.st_size;
}

int main(void) {
    char buf[8];
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(write, fd, "0123456789", 10);
    BSD(mkdir, "d", 0755);
    BSD(symlink, "f", "l");
    BSD(symlink, "loop", "loop");
    BSD(mkfifo, "fifo", 0644);

    EXPECT_OK(BSD(truncate, "f", 4), "truncate to 4 bytes");
    CHECK(size_of("f") == 4, "size 4");
    CHECK(BSD(pread, fd, buf, 8, 0).val == 4 && !memcmp(buf, "0123", 4), "the first 4 bytes remain");
    EXPECT_OK(BSD(truncate, "f", 100000), "extend to 100000 bytes");
    CHECK(size_of("f") == 100000, "size 100000");
    CHECK(BSD(pread, fd, buf, 2, 50000).val == 2 && buf[0] == 0 && buf[1] == 0, "the new bytes read as zeros");
    EXPECT_OK(BSD(truncate, "l", 7), "truncate through a symlink");
    CHECK(size_of("f") == 7, "the target is 7 bytes");
    EXPECT_OK(BSD(truncate, "f", 0), "truncate to 0");
    CHECK(size_of("f") == 0, "empty");

    EXPECT_ERR(BSD(truncate, "f", -1), EINVAL, "negative length");
    EXPECT_ERR(BSD(truncate, "missing", -1), EINVAL, "negative length beats a missing file");
    EXPECT_ERR(BSD(truncate, BAD_PTR, -5), EINVAL, "negative length beats a bad path");
    EXPECT_ERR(BSD(truncate, "d", 0), EISDIR, "a directory");
    EXPECT_ERR(BSD(truncate, "fifo", 0), EINVAL, "a FIFO");
    EXPECT_ERR(BSD(truncate, "missing", 0), ENOENT, "missing file");
    EXPECT_ERR(BSD(truncate, "", 0), ENOENT, "empty path");
    EXPECT_ERR(BSD(truncate, "f/x", 0), ENOTDIR, "a file as a directory");
    EXPECT_ERR(BSD(truncate, "loop", 0), ELOOP, "a symlink loop");
    EXPECT_ERR(BSD(truncate, BAD_PTR, 0), EFAULT, "path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(truncate, longpath, 0), ENAMETOOLONG, "path of 1101 bytes");

    /* RLIMIT_FSIZE: past it the process gets SIGXFSZ and the call EFBIG, before the path is looked up. */
    EXPECT_OK(t_sigaction(SIGXFSZ, on_xfsz, SA_SIGINFO, 0, 0), "catch SIGXFSZ");
    struct rlimit lim, low;
    BSD(getrlimit, RLIMIT_FSIZE, &lim);
    low.rlim_cur = 4096;
    low.rlim_max = lim.rlim_max;
    EXPECT_OK(BSD(setrlimit, RLIMIT_FSIZE, &low), "RLIMIT_FSIZE 4096");
    EXPECT_OK(BSD(truncate, "f", 4096), "truncate to the limit");
    CHECK(xfsz == 0, "no signal");
    EXPECT_ERR(BSD(truncate, "f", 4097), EFBIG, "truncate past the limit");
    CHECK(xfsz == 1, "SIGXFSZ delivered");
    CHECK(size_of("f") == 4096, "size unchanged");
    EXPECT_ERR(BSD(truncate, "missing", 5000), EFBIG, "past the limit beats a missing file");
    EXPECT_ERR(BSD(truncate, BAD_PTR, 5000), EFBIG, "past the limit beats a bad path");
    CHECK(xfsz == 3, "one SIGXFSZ per call");
    BSD(setrlimit, RLIMIT_FSIZE, &lim);
    return t_done();
}
