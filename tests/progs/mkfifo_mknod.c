/* mkfifo(2)/mkfifoat(2)/mknod(2)/mknodat(2) (BSD 132/553/14/554): FIFOs for anyone, the type bits of mkfifo's
 * mode ignored and the whole 12-bit umask applied; mknod of a FIFO is mkfifo; other nodes need the superuser
 * (EPERM before the path is even read) and must be character or block devices (EINVAL, after EEXIST);
 * st_rdev reports the device as given (8-bit major, 24-bit minor). Lookup errors as for any *at() call. */
#include "xnu.h"

#include <sys/stat.h>

static char longpath[1200];

static unsigned mode_of(const char* p) {
    struct stat st;
    st.st_mode = 0;
    BSD(lstat64, p, &st);
    return st.st_mode;
}

int main(void) {
    struct stat st;
    BSD(umask, 022);
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    int ffd = (int)BSD(open, "file", O_RDWR | O_CREAT, 0644).val;
    struct xres p = BSD0(pipe);

    EXPECT_OK(BSD(mkfifo, "p", 0666), "mkfifo");
    CHECK(mode_of("p") == (S_IFIFO | 0644), "S_IFIFO, 0666 & ~022");
    EXPECT_OK(BSD(mkfifo, "q", S_IFREG | 0600), "mkfifo ignores the type bits of the mode");
    CHECK(mode_of("q") == (S_IFIFO | 0600), "still a FIFO");
    BSD(umask, 0);
    EXPECT_OK(BSD(mkfifo, "r", 0xabcd000000000000L | 0612), "mode with a dirty high half");
    CHECK(mode_of("r") == (S_IFIFO | 0612), "mode 0612");
    BSD(umask, 02);
    EXPECT_OK(BSD(mkfifoat, dfd, "p", 0666), "mkfifoat relative to a directory");
    CHECK(mode_of("d/p") == (S_IFIFO | 0664), "made in d, umask 02");
    EXPECT_OK(BSD(mkfifoat, AT_FDCWD, "s", 0600), "mkfifoat AT_FDCWD");
    CHECK(mode_of("s") == (S_IFIFO | 0600), "made in the cwd");
    int rd = (int)EXPECT_OK(BSD(open, "p", O_RDONLY | O_NONBLOCK), "open the FIFO for reading").val;
    int wr = (int)EXPECT_OK(BSD(open, "p", O_WRONLY | O_NONBLOCK), "open it for writing").val;
    char c = 0;
    BSD(write, wr, "x", 1);
    CHECK(BSD(read, rd, &c, 1).val == 1 && c == 'x', "data flows through it");

    EXPECT_ERR(BSD(mkfifo, "p", 0644), EEXIST, "mkfifo: the name exists");
    EXPECT_ERR(BSD(mkfifo, "file", 0644), EEXIST, "mkfifo: a file exists");
    EXPECT_ERR(BSD(mkfifo, "no/p", 0644), ENOENT, "mkfifo: a missing directory");
    EXPECT_ERR(BSD(mkfifo, "file/p", 0644), ENOTDIR, "mkfifo: a file as a directory");
    EXPECT_ERR(BSD(mkfifo, "", 0644), ENOENT, "mkfifo: empty path");
    EXPECT_ERR(BSD(mkfifo, BAD_PTR, 0644), EFAULT, "mkfifo: path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'z';
    EXPECT_ERR(BSD(mkfifo, longpath, 0644), ENAMETOOLONG, "mkfifo: path of 1101 bytes");
    EXPECT_ERR(BSD(mkfifoat, -1, "x", 0644), EBADF, "mkfifoat: relative path, dirfd -1");
    EXPECT_ERR(BSD(mkfifoat, ffd, "x", 0644), ENOTDIR, "mkfifoat: relative path, dirfd a file");
    EXPECT_ERR(BSD(mkfifoat, p.val, "x", 0644), ENOTSUP, "mkfifoat: relative path, dirfd a pipe");
    EXPECT_ERR(BSD(mkfifoat, -1, "", 0644), EBADF, "mkfifoat: empty path, dirfd -1");

    /* mknod of a FIFO needs no privilege. */
    BSD(umask, 0);
    EXPECT_OK(BSD(mknod, "m", S_IFIFO | 0640, 0), "mknod S_IFIFO");
    CHECK(mode_of("m") == (S_IFIFO | 0640), "a FIFO");
    EXPECT_OK(BSD(mknodat, dfd, "m", S_IFIFO | 0600, 12345), "mknodat S_IFIFO (dev ignored)");
    CHECK(mode_of("d/m") == (S_IFIFO | 0600), "a FIFO in d");
    EXPECT_ERR(BSD(mknod, "m", S_IFIFO | 0600, 0), EEXIST, "mknod S_IFIFO: the name exists");

    if (BSD0(geteuid).val != 0) {
        EXPECT_ERR(BSD(mknod, "c", S_IFCHR | 0600, 0x03000002), EPERM, "a device needs the superuser");
        EXPECT_ERR(BSD(mknod, BAD_PTR, S_IFCHR | 0600, 0), EPERM, "... checked before the path");
        EXPECT_ERR(BSD(mknod, "x", S_IFREG | 0600, 0), EPERM, "any other type too");
        EXPECT_ERR(BSD(mknodat, -1, "x", S_IFBLK | 0600, 0), EPERM, "mknodat: before the descriptor");
    } else {
        EXPECT_ERR(BSD(mknod, "x", S_IFREG | 0600, 0), EINVAL, "mknod S_IFREG");
        EXPECT_ERR(BSD(mknod, "x", S_IFDIR | 0700, 0), EINVAL, "mknod S_IFDIR");
        EXPECT_ERR(BSD(mknod, "x", 0600, 0), EINVAL, "mknod without a type");
        EXPECT_ERR(BSD(mknod, "x", S_IFSOCK | 0600, 0), EINVAL, "mknod S_IFSOCK");
        EXPECT_ERR(BSD(mknod, "file", S_IFREG | 0600, 0), EEXIST, "EEXIST comes before the type check");
        EXPECT_ERR(BSD(mknod, "no/x", S_IFREG | 0600, 0), ENOENT, "so does a missing directory");
        EXPECT_ERR(BSD(mknod, "file/x", S_IFREG | 0600, 0), ENOTDIR, "and a file as a directory");
        EXPECT_ERR(BSD(mknod, BAD_PTR, S_IFCHR | 0600, 0), EFAULT, "path in unmapped memory");
        EXPECT_ERR(BSD(mknod, "file", S_IFCHR | 0600, 0), EEXIST, "mknod S_IFCHR: the name exists");
        EXPECT_ERR(BSD(mknodat, -1, "x", S_IFCHR | 0600, 0), EBADF, "mknodat: relative path, dirfd -1");
        EXPECT_ERR(BSD(mknodat, ffd, "x", S_IFCHR | 0600, 0), ENOTDIR, "mknodat: relative path, dirfd a file");
        struct xres r = BSD(mknod, "c", S_IFCHR | 0600, 0x03000002);
        if (r.err == EPERM) {
            t_printf("# device nodes refused here (no CAP_MKNOD): not checked further\n");
        } else {
            EXPECT_OK(r, "mknod S_IFCHR 3/2");
            BSD(lstat64, "c", &st);
            CHECK(st.st_mode == (S_IFCHR | 0600), "a character device");
            CHECK(st.st_rdev == 0x03000002, "st_rdev major 3 minor 2");
            EXPECT_OK(BSD(mknodat, dfd, "b", S_IFBLK | 0640, 0x07000105), "mknodat S_IFBLK 7/261");
            BSD(lstat64, "d/b", &st);
            CHECK(st.st_mode == (S_IFBLK | 0640) && st.st_rdev == 0x07000105, "a block device, major 7 minor 261");
        }
    }
    return t_done();
}
