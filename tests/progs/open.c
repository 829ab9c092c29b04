/* open(2) (BSD 5): access modes, O_CREAT/O_EXCL/O_TRUNC/O_APPEND/O_DIRECTORY/O_NOFOLLOW/O_CLOEXEC/O_EXLOCK,
 * creation mode and umask, lowest-free descriptor, and the EFAULT/ENAMETOOLONG/ENOENT/EINVAL error paths. */
#include "xnu.h"

#include <sys/mman.h>
#include <sys/stat.h>

static char longpath[1200];

static void make_file(const char* name, const char* data) {
    struct xres r = BSD(open, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    BSD(write, r.val, data, strlen(data));
    BSD(close, r.val);
}

int main(void) {
    struct stat st;
    char buf[64];
    BSD(umask, 0);
    make_file("f", "hello");
    BSD(mkdir, "d", 0755);
    BSD(symlink, "f", "lnk");

    struct xres r = EXPECT_OK(BSD(open, "f", O_RDONLY), "open f O_RDONLY");
    CHECK(r.val >= 3, "new descriptor is >= 3");
    int fd = (int)r.val;
    CHECK(BSD(read, fd, buf, sizeof buf).val == 5 && !memcmp(buf, "hello", 5), "read back 5 bytes");
    /* The lowest free number is reused. */
    struct xres r2 = EXPECT_OK(BSD(open, "f", O_RDONLY), "open f again");
    BSD(close, fd);
    struct xres r3 = EXPECT_OK(BSD(open, "f", O_RDONLY), "open f after close");
    CHECK(r3.val == fd, "lowest free descriptor reused");
    BSD(close, r2.val);
    BSD(close, r3.val);

    /* O_CREAT mode: only the 0777 bits survive, minus the umask (xnu openat_internal: ACCESSPERMS). */
    r = EXPECT_OK(BSD(open, "m1", O_WRONLY | O_CREAT | O_EXCL, 07777), "open O_CREAT mode 07777");
    EXPECT_OK(BSD(fstat64, r.val, &st), "fstat64 new file");
    CHECK(st.st_mode == (S_IFREG | 0777), "setuid/setgid/sticky dropped at creation");
    CHECK(st.st_size == 0 && st.st_nlink == 1, "new file empty with one link");
    BSD(close, r.val);
    BSD(umask, 027);
    r = EXPECT_OK(BSD(open, "m2", O_WRONLY | O_CREAT, 0666), "open O_CREAT with umask 027");
    BSD(fstat64, r.val, &st);
    CHECK((st.st_mode & 07777) == 0640, "umask applied to the creation mode");
    BSD(close, r.val);
    BSD(umask, 0);
    /* XNU takes int arguments from the low 32 bits of the registers. */
    r = EXPECT_OK(BSD(open, "m3", 0xdeadbeef00000000L | O_WRONLY | O_CREAT, 0x1234567800000000L | 0600),
                  "open with garbage in the high halves of flags and mode");
    BSD(fstat64, r.val, &st);
    CHECK(st.st_mode == (S_IFREG | 0600), "mode taken from the low 32 bits");
    BSD(close, r.val);

    EXPECT_ERR(BSD(open, "f", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST, "O_CREAT|O_EXCL on an existing file");
    EXPECT_ERR(BSD(open, "lnk", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST, "O_CREAT|O_EXCL on a symlink");
    EXPECT_ERR(BSD(open, "missing", O_RDONLY), ENOENT, "open a missing file");
    EXPECT_ERR(BSD(open, "nodir/x", O_RDONLY | O_CREAT, 0644), ENOENT, "O_CREAT in a missing directory");
    EXPECT_ERR(BSD(open, "f/x", O_RDONLY), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(open, "d", O_WRONLY), EISDIR, "open a directory O_WRONLY");
    EXPECT_ERR(BSD(open, "d", O_RDWR), EISDIR, "open a directory O_RDWR");
    r = EXPECT_OK(BSD(open, "d", O_RDONLY), "open a directory O_RDONLY");
    BSD(close, r.val);
    r = EXPECT_OK(BSD(open, "d", O_RDONLY | O_DIRECTORY), "O_DIRECTORY on a directory");
    BSD(close, r.val);
    EXPECT_ERR(BSD(open, "f", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
    /* xnu vn_open_auth: O_CREAT together with O_DIRECTORY is EINVAL. */
    EXPECT_ERR(BSD(open, "newdir", O_RDONLY | O_CREAT | O_DIRECTORY, 0755), EINVAL, "O_CREAT|O_DIRECTORY");
    EXPECT_ERR(BSD(stat64, "newdir", &st), ENOENT, "nothing created by O_CREAT|O_DIRECTORY");
    /* xnu open1 never rejects bits it does not define as open flags (0x10000 is the kernel's FWASWRITTEN). */
    r = EXPECT_OK(BSD(open, "f", O_RDONLY | 0x00010000), "an undefined flag bit is ignored");
    CHECK(BSD(fcntl, r.val, F_GETFL, 0).val == O_RDONLY, "and not reported by F_GETFL");
    BSD(close, r.val);
    EXPECT_ERR(BSD(open, "f", O_ACCMODE), EINVAL, "access mode 3");
    EXPECT_ERR(BSD(open, "f", O_EXEC | O_WRONLY), EINVAL, "O_EXEC with a write mode");
    EXPECT_ERR(BSD(open, "lnk", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on a symlink");
    r = EXPECT_OK(BSD(open, "lnk", O_RDONLY), "open follows a symlink");
    CHECK(BSD(read, r.val, buf, sizeof buf).val == 5, "read through the symlink");
    BSD(close, r.val);

    /* O_TRUNC and O_APPEND. */
    r = EXPECT_OK(BSD(open, "f", O_WRONLY | O_APPEND), "open O_APPEND");
    BSD(write, r.val, "!", 1);
    BSD(close, r.val);
    BSD(stat64, "f", &st);
    CHECK(st.st_size == 6, "O_APPEND write went to the end");
    r = EXPECT_OK(BSD(open, "f", O_RDWR | O_TRUNC), "open O_TRUNC");
    BSD(fstat64, r.val, &st);
    CHECK(st.st_size == 0, "O_TRUNC emptied the file");
    BSD(close, r.val);

    /* O_CLOEXEC sets FD_CLOEXEC; without it the flag is clear. */
    r = BSD(open, "f", O_RDONLY | O_CLOEXEC);
    CHECK(BSD(fcntl, r.val, F_GETFD, 0).val == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
    BSD(close, r.val);
    r = BSD(open, "f", O_RDONLY);
    CHECK(BSD(fcntl, r.val, F_GETFD, 0).val == 0, "no FD_CLOEXEC by default");
    BSD(close, r.val);

    /* O_EXLOCK takes a flock lock; a second open description conflicts, and with O_NONBLOCK fails at once
     * without truncating (xnu open1: the lock is taken before O_TRUNC is applied). */
    make_file("locked", "data");
    r = EXPECT_OK(BSD(open, "locked", O_RDONLY | O_EXLOCK), "open O_EXLOCK");
    EXPECT_ERR(BSD(open, "locked", O_RDWR | O_TRUNC | O_EXLOCK | O_NONBLOCK), EAGAIN,
               "second O_EXLOCK|O_NONBLOCK open");
    BSD(stat64, "locked", &st);
    CHECK(st.st_size == 4, "failed lock did not truncate");
    EXPECT_ERR(BSD(open, "locked", O_RDONLY | O_SHLOCK | O_NONBLOCK), EAGAIN, "O_SHLOCK against O_EXLOCK");
    BSD(close, r.val);
    r = EXPECT_OK(BSD(open, "locked", O_RDONLY | O_SHLOCK | O_NONBLOCK), "O_SHLOCK after the unlock");
    r2 = EXPECT_OK(BSD(open, "locked", O_RDONLY | O_SHLOCK | O_NONBLOCK), "two shared locks coexist");
    BSD(close, r.val);
    BSD(close, r2.val);

    /* Path errors. */
    EXPECT_ERR(BSD(open, "", O_RDONLY), ENOENT, "empty path");
    EXPECT_ERR(BSD(open, BAD_PTR, O_RDONLY), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(open, 0, O_RDONLY), EFAULT, "NULL path");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(open, longpath, O_RDONLY), ENAMETOOLONG, "path of 1101 bytes");
    /* MAXPATHLEN (1024) counts the NUL: 1023 bytes are the longest path. */
    longpath[1022] = 'f', longpath[1023] = 0;  /* "./" x 511 + "f" */
    r = EXPECT_OK(BSD(open, longpath, O_RDONLY), "path of 1023 bytes");
    BSD(close, r.val);
    longpath[1022] = '/', longpath[1023] = 'f', longpath[1024] = 0;
    EXPECT_ERR(BSD(open, longpath, O_RDONLY), ENAMETOOLONG, "path of 1024 bytes");
    char* page = (char*)BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0).val;
    BSD(munmap, page + 4096, 4096);
    memcpy(page + 4096 - 2, "f", 2);
    r = EXPECT_OK(BSD(open, page + 4096 - 2, O_RDONLY), "path whose NUL is the last mapped byte");
    BSD(close, r.val);
    memcpy(page + 4096 - 1, "f", 1);
    EXPECT_ERR(BSD(open, page + 4096 - 1, O_RDONLY), EFAULT, "path running into an unmapped page");
    return t_done();
}
