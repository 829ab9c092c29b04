/* pathconf(2)/fpathconf(2) (BSD 191/192): the values xnu vn_pathconf answers for every vnode, the volume's
 * POSIX limits for files (NAME_MAX 255, PATH_MAX 1024, PIPE_BUF 512, _POSIX_CHOWN_RESTRICTED and
 * _POSIX_NO_TRUNC 200112, 64-bit sizes, case-preserving), spec_pathconf for devices (MAX_CANON, MAX_INPUT,
 * _POSIX_VDISABLE), and only _PC_PIPE_BUF for pipes. The lookup comes before the name (ENOENT beats EINVAL);
 * unknown names are EINVAL; the name is an int. */
#include "xnu.h"

#include <sys/stat.h>
#include <unistd.h>

static char longpath[1200];

int main(void) {
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(mkdir, "d", 0755);
    BSD(symlink, "f", "l");
    BSD(mkfifo, "fifo", 0644);
    struct xres r;

    /* Answered by vn_pathconf itself, whatever the file system. */
    static const struct { int name; long value; const char* what; } generic[] = {
        {_PC_2_SYMLINKS, 1, "_PC_2_SYMLINKS 1"},           {_PC_ALLOC_SIZE_MIN, 1, "_PC_ALLOC_SIZE_MIN 1"},
        {_PC_ASYNC_IO, 1, "_PC_ASYNC_IO 1"},               {_PC_PRIO_IO, 0, "_PC_PRIO_IO 0"},
        {_PC_REC_INCR_XFER_SIZE, 4096, "_PC_REC_INCR_XFER_SIZE 4096"},
        {_PC_REC_MIN_XFER_SIZE, 4096, "_PC_REC_MIN_XFER_SIZE 4096"},
        {_PC_REC_MAX_XFER_SIZE, 65536, "_PC_REC_MAX_XFER_SIZE 65536"},
        {_PC_REC_XFER_ALIGN, 4096, "_PC_REC_XFER_ALIGN 4096"}, {_PC_SYMLINK_MAX, 255, "_PC_SYMLINK_MAX 255"},
        {_PC_SYNC_IO, 0, "_PC_SYNC_IO 0"},
    };
    for (unsigned i = 0; i < sizeof generic / sizeof generic[0]; i++) {
        r = BSD(pathconf, "f", generic[i].name);
        CHECK(!r.err && r.val == generic[i].value, generic[i].what);
        r = BSD(fpathconf, fd, generic[i].name);
        CHECK(!r.err && r.val == generic[i].value, generic[i].what);
    }

    /* The volume's limits. */
    r = EXPECT_OK(BSD(pathconf, "f", _PC_NAME_MAX), "_PC_NAME_MAX");
    CHECK(r.val == 255, "255");
    r = EXPECT_OK(BSD(pathconf, "d", _PC_PATH_MAX), "_PC_PATH_MAX");
    CHECK(r.val == 1024, "1024");
    r = EXPECT_OK(BSD(pathconf, "d", _PC_PIPE_BUF), "_PC_PIPE_BUF");
    CHECK(r.val == 512, "512");
    r = EXPECT_OK(BSD(pathconf, "f", _PC_CHOWN_RESTRICTED), "_PC_CHOWN_RESTRICTED");
    CHECK(r.val == 200112, "200112");
    r = EXPECT_OK(BSD(pathconf, "f", _PC_NO_TRUNC), "_PC_NO_TRUNC");
    CHECK(r.val == 200112, "200112");
    r = EXPECT_OK(BSD(pathconf, "f", _PC_FILESIZEBITS), "_PC_FILESIZEBITS");
    CHECK(r.val == 64, "64");
    r = EXPECT_OK(BSD(pathconf, "f", _PC_CASE_PRESERVING), "_PC_CASE_PRESERVING");
    CHECK(r.val == 1, "1");
    r = EXPECT_OK(BSD(pathconf, "f", _PC_CASE_SENSITIVE), "_PC_CASE_SENSITIVE");
    CHECK(r.val == 0 || r.val == 1, "0 or 1");
    r = EXPECT_OK(BSD(pathconf, "f", _PC_LINK_MAX), "_PC_LINK_MAX");
    CHECK(r.val > 1, "more than one link");
    r = EXPECT_OK(BSD(fpathconf, fd, _PC_NAME_MAX), "fpathconf _PC_NAME_MAX");
    CHECK(r.val == 255, "255");
    r = EXPECT_OK(BSD(pathconf, "l", _PC_NAME_MAX), "through a symlink");
    CHECK(r.val == 255, "255");
    r = EXPECT_OK(BSD(pathconf, "f", 0xffffffff00000000L | _PC_PATH_MAX), "name with a dirty high half");
    CHECK(r.val == 1024, "1024");
    r = EXPECT_OK(BSD(fpathconf, 0x1234567800000000L | (unsigned)fd, _PC_PATH_MAX), "fd with a dirty high half");
    CHECK(r.val == 1024, "1024");

    /* Devices answer with spec_pathconf. */
    r = EXPECT_OK(BSD(pathconf, "/dev/null", _PC_MAX_CANON), "/dev/null _PC_MAX_CANON");
    CHECK(r.val == 1024, "1024");
    r = EXPECT_OK(BSD(pathconf, "/dev/null", _PC_MAX_INPUT), "/dev/null _PC_MAX_INPUT");
    CHECK(r.val == 1024, "1024");
    r = EXPECT_OK(BSD(pathconf, "/dev/null", _PC_VDISABLE), "/dev/null _PC_VDISABLE");
    CHECK(r.val == 0xff, "_POSIX_VDISABLE 0xff");
    r = EXPECT_OK(BSD(pathconf, "/dev/null", _PC_LINK_MAX), "/dev/null _PC_LINK_MAX");
    CHECK(r.val == 32767, "LINK_MAX 32767");
    EXPECT_ERR(BSD(pathconf, "/dev/null", _PC_NAME_MAX), EINVAL, "/dev/null _PC_NAME_MAX: not a device question");
    int nul = (int)BSD(open, "/dev/null", O_RDONLY).val;
    r = EXPECT_OK(BSD(fpathconf, nul, _PC_MAX_CANON), "fpathconf /dev/null _PC_MAX_CANON");
    CHECK(r.val == 1024, "1024");

    /* Pipes: only _PC_PIPE_BUF. */
    struct xres p = BSD0(pipe);
    r = EXPECT_OK(BSD(fpathconf, p.val, _PC_PIPE_BUF), "pipe _PC_PIPE_BUF");
    CHECK(r.val == 512, "512");
    r = EXPECT_OK(BSD(fpathconf, p.val2, _PC_PIPE_BUF), "write end _PC_PIPE_BUF");
    CHECK(r.val == 512, "512");
    EXPECT_ERR(BSD(fpathconf, p.val, _PC_NAME_MAX), EINVAL, "pipe _PC_NAME_MAX");
    EXPECT_ERR(BSD(fpathconf, p.val, _PC_LINK_MAX), EINVAL, "pipe _PC_LINK_MAX");
    EXPECT_ERR(BSD(fpathconf, p.val, _PC_SYNC_IO), EINVAL, "pipe _PC_SYNC_IO (no vn_pathconf for pipes)");
    int ff = (int)BSD(open, "fifo", O_RDONLY | O_NONBLOCK).val;
    r = EXPECT_OK(BSD(fpathconf, ff, _PC_PIPE_BUF), "named FIFO _PC_PIPE_BUF");
    CHECK(r.val == 512, "512");
    r = EXPECT_OK(BSD(pathconf, "fifo", _PC_PIPE_BUF), "pathconf of a FIFO");
    CHECK(r.val == 512, "512");

    /* Errors. */
    EXPECT_ERR(BSD(pathconf, "f", 0), EINVAL, "name 0");
    EXPECT_ERR(BSD(pathconf, "f", 9999), EINVAL, "name 9999");
    EXPECT_ERR(BSD(pathconf, "f", -1), EINVAL, "name -1");
    EXPECT_ERR(BSD(pathconf, "missing", _PC_NAME_MAX), ENOENT, "missing file");
    EXPECT_ERR(BSD(pathconf, "missing", 9999), ENOENT, "the lookup comes before the name");
    EXPECT_ERR(BSD(pathconf, "", _PC_NAME_MAX), ENOENT, "empty path");
    EXPECT_ERR(BSD(pathconf, "f/x", _PC_NAME_MAX), ENOTDIR, "a file as a directory");
    EXPECT_ERR(BSD(pathconf, BAD_PTR, _PC_NAME_MAX), EFAULT, "path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(pathconf, longpath, _PC_NAME_MAX), ENAMETOOLONG, "path of 1101 bytes");
    EXPECT_ERR(BSD(fpathconf, -1, _PC_NAME_MAX), EBADF, "fpathconf(-1)");
    EXPECT_ERR(BSD(fpathconf, -1, 9999), EBADF, "the descriptor comes before the name");
    EXPECT_ERR(BSD(fpathconf, 999, _PC_PIPE_BUF), EBADF, "a descriptor not open");
    EXPECT_ERR(BSD(fpathconf, fd, 9999), EINVAL, "fpathconf name 9999");
    return t_done();
}
