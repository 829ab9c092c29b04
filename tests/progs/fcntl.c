/* fcntl(2) (BSD 92): F_GETFD/F_SETFD, F_GETFL/F_SETFL, F_DUPFD/F_DUPFD_CLOEXEC, F_GETPATH, F_NOCACHE,
 * F_FULLFSYNC, F_SETLK/F_GETLK, F_PREALLOCATE, F_SETNOSIGPIPE/F_GETNOSIGPIPE, unknown commands, EBADF, and
 * EBADF for vnode-only commands on a pipe (xnu sys_fcntl_nocancel). */
#include "xnu.h"

#include <sys/stat.h>

static int ends_with(const char* s, const char* tail) {
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

int main(void) {
    char path[1024]; /* MAXPATHLEN */
    struct stat st;
    int fd = (int)EXPECT_OK(BSD(open, "file.txt", O_RDWR | O_CREAT | O_APPEND, 0644), "create file.txt").val;
    struct xres p = BSD0(pipe);
    int prd = (int)p.val, pwr = (int)p.val2;

    /* Descriptor flags. */
    CHECK(BSD(fcntl, fd, F_GETFD, 0).val == 0, "F_GETFD 0");
    EXPECT_OK(BSD(fcntl, fd, F_SETFD, FD_CLOEXEC), "F_SETFD FD_CLOEXEC");
    CHECK(BSD(fcntl, fd, F_GETFD, 0).val == FD_CLOEXEC, "F_GETFD FD_CLOEXEC");
    EXPECT_OK(BSD(fcntl, fd, F_SETFD, 0), "F_SETFD 0");
    CHECK(BSD(fcntl, fd, F_GETFD, 0).val == 0, "cleared");
    CHECK(BSD(fcntl, fd, 0x7777777700000000L | F_GETFD, 0).val == 0, "cmd with a dirty high half");

    /* Status flags: F_SETFL changes only O_NONBLOCK/O_APPEND/O_ASYNC/O_FSYNC/O_DSYNC, never the access mode;
     * F_GETFL reports the access mode and status flags, not open-time flags (xnu FMASK). */
    CHECK(BSD(fcntl, fd, F_GETFL, 0).val == (O_RDWR | O_APPEND), "F_GETFL O_RDWR|O_APPEND");
    EXPECT_OK(BSD(fcntl, fd, F_SETFL, O_NONBLOCK), "F_SETFL O_NONBLOCK");
    CHECK(BSD(fcntl, fd, F_GETFL, 0).val == (O_RDWR | O_NONBLOCK), "O_APPEND replaced by O_NONBLOCK");
    EXPECT_OK(BSD(fcntl, fd, F_SETFL, O_RDONLY | O_APPEND | O_CREAT | O_TRUNC), "F_SETFL with non-status bits");
    CHECK(BSD(fcntl, fd, F_GETFL, 0).val == (O_RDWR | O_APPEND), "access mode kept, only O_APPEND set");
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC).val;
    CHECK(BSD(fcntl, dfd, F_GETFL, 0).val == O_RDONLY, "O_DIRECTORY and O_CLOEXEC are not status flags");
    int nf = (int)BSD(open, "file.txt", O_WRONLY | O_NOFOLLOW | O_NONBLOCK).val;
    CHECK(BSD(fcntl, nf, F_GETFL, 0).val == (O_WRONLY | O_NONBLOCK), "O_NOFOLLOW is not reported");
    BSD(close, nf);

    /* F_DUPFD / F_DUPFD_CLOEXEC: the lowest free number >= arg (an int). */
    struct xres r = EXPECT_OK(BSD(fcntl, fd, F_DUPFD, 20), "F_DUPFD 20");
    CHECK(r.val == 20, "got 20");
    r = EXPECT_OK(BSD(fcntl, fd, F_DUPFD, 20), "F_DUPFD 20 again");
    CHECK(r.val == 21, "got 21");
    CHECK(BSD(fcntl, 21, F_GETFD, 0).val == 0, "F_DUPFD clears FD_CLOEXEC");
    r = EXPECT_OK(BSD(fcntl, fd, F_DUPFD_CLOEXEC, 30), "F_DUPFD_CLOEXEC 30");
    CHECK(r.val == 30 && BSD(fcntl, 30, F_GETFD, 0).val == FD_CLOEXEC, "30 with FD_CLOEXEC");
    r = EXPECT_OK(BSD(fcntl, fd, F_DUPFD, 0x8000000000000028L), "F_DUPFD arg taken as int 40");
    CHECK(r.val == 40, "got 40");
    EXPECT_ERR(BSD(fcntl, fd, F_DUPFD, -1), EINVAL, "F_DUPFD -1");
    EXPECT_ERR(BSD(fcntl, fd, F_DUPFD, 0xffffffffL), EINVAL, "F_DUPFD 0xffffffff is int -1");
    EXPECT_ERR(BSD(fcntl, fd, F_DUPFD, 1 << 30), EINVAL, "F_DUPFD beyond RLIMIT_NOFILE");

    /* F_GETPATH: the absolute path, NUL-terminated. */
    memset(path, 'x', sizeof path);
    EXPECT_OK(BSD(fcntl, fd, F_GETPATH, path), "F_GETPATH");
    CHECK(path[0] == '/' && ends_with(path, "/file.txt"), "an absolute path ending in /file.txt");
    BSD(rename, "file.txt", "renamed.txt");
    BSD(fcntl, fd, F_GETPATH, path);
    CHECK(ends_with(path, "/renamed.txt"), "F_GETPATH follows a rename");
    BSD(fcntl, dfd, F_GETPATH, path);
    CHECK(path[0] == '/' && ends_with(path, "/d"), "F_GETPATH of a directory");
    EXPECT_ERR(BSD(fcntl, fd, F_GETPATH, BAD_PTR), EFAULT, "F_GETPATH into unmapped memory");
    EXPECT_ERR(BSD(fcntl, prd, F_GETPATH, path), EBADF, "F_GETPATH of a pipe");

    /* Hints and syncs. */
    EXPECT_OK(BSD(fcntl, fd, F_NOCACHE, 1), "F_NOCACHE 1");
    EXPECT_OK(BSD(fcntl, fd, F_NOCACHE, 0), "F_NOCACHE 0");
    EXPECT_ERR(BSD(fcntl, prd, F_NOCACHE, 1), EBADF, "F_NOCACHE on a pipe");
    EXPECT_OK(BSD(fcntl, fd, F_FULLFSYNC, 0), "F_FULLFSYNC");
    EXPECT_ERR(BSD(fcntl, pwr, F_FULLFSYNC, 0), EBADF, "F_FULLFSYNC on a pipe");

    /* POSIX record locks (XNU: F_RDLCK 1, F_UNLCK 2, F_WRLCK 3). A process never conflicts with itself. */
    struct flock fl = {.l_start = 0, .l_len = 10, .l_pid = 0, .l_type = F_WRLCK, .l_whence = SEEK_SET};
    EXPECT_OK(BSD(fcntl, fd, F_SETLK, &fl), "F_SETLK F_WRLCK [0,10)");
    struct flock q = {.l_start = 0, .l_len = 0, .l_pid = 1234, .l_type = F_WRLCK, .l_whence = SEEK_SET};
    EXPECT_OK(BSD(fcntl, fd, F_GETLK, &q), "F_GETLK");
    CHECK(q.l_type == F_UNLCK, "own lock does not conflict: F_UNLCK");
    fl.l_type = F_UNLCK;
    EXPECT_OK(BSD(fcntl, fd, F_SETLK, &fl), "F_SETLK F_UNLCK");
    int ro = (int)BSD(open, "renamed.txt", O_RDONLY).val;
    fl.l_type = F_WRLCK;
    EXPECT_ERR(BSD(fcntl, ro, F_SETLK, &fl), EBADF, "F_WRLCK on an O_RDONLY descriptor");
    fl.l_type = F_RDLCK;
    EXPECT_OK(BSD(fcntl, ro, F_SETLK, &fl), "F_RDLCK on an O_RDONLY descriptor");
    fl.l_type = 0;
    EXPECT_ERR(BSD(fcntl, fd, F_SETLK, &fl), EINVAL, "l_type 0 is not a lock type on XNU");
    fl.l_type = F_RDLCK, fl.l_whence = 7;
    EXPECT_ERR(BSD(fcntl, fd, F_GETLK, &fl), EINVAL, "bad l_whence");
    EXPECT_ERR(BSD(fcntl, fd, F_SETLK, BAD_PTR), EFAULT, "F_SETLK with an unmapped struct");

    /* F_PREALLOCATE reserves space without changing the size. */
    BSD(ftruncate, fd, 100);
    fstore_t fs = {.fst_flags = F_ALLOCATEALL, .fst_posmode = F_PEOFPOSMODE, .fst_offset = 0, .fst_length = 65536};
    EXPECT_OK(BSD(fcntl, fd, F_PREALLOCATE, &fs), "F_PREALLOCATE 64 KiB from the physical EOF");
    CHECK(fs.fst_bytesalloc >= 65536, "fst_bytesalloc >= 64 KiB");
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 100, "st_size unchanged");
    fs.fst_posmode = 99;
    EXPECT_ERR(BSD(fcntl, fd, F_PREALLOCATE, &fs), EINVAL, "bad fst_posmode");
    fs.fst_posmode = F_PEOFPOSMODE, fs.fst_offset = 4096;
    EXPECT_ERR(BSD(fcntl, fd, F_PREALLOCATE, &fs), EINVAL, "F_PEOFPOSMODE needs fst_offset 0");
    fs.fst_posmode = F_VOLPOSMODE, fs.fst_offset = 0;
    EXPECT_ERR(BSD(fcntl, fd, F_PREALLOCATE, &fs), EINVAL, "F_VOLPOSMODE needs fst_offset > 0");
    EXPECT_ERR(BSD(fcntl, ro, F_PREALLOCATE, BAD_PTR), EBADF, "O_RDONLY is EBADF before the struct is read");
    EXPECT_ERR(BSD(fcntl, fd, F_PREALLOCATE, BAD_PTR), EFAULT, "unmapped fstore_t");
    EXPECT_ERR(BSD(fcntl, pwr, F_PREALLOCATE, &fs), EBADF, "F_PREALLOCATE on a pipe");

    /* F_SETNOSIGPIPE: EPIPE instead of SIGPIPE; the flag belongs to the open file, so dups share it. */
    CHECK(BSD(fcntl, pwr, F_GETNOSIGPIPE, 0).val == 0, "F_GETNOSIGPIPE 0 by default");
    EXPECT_OK(BSD(fcntl, pwr, F_SETNOSIGPIPE, 1), "F_SETNOSIGPIPE 1");
    CHECK(BSD(fcntl, pwr, F_GETNOSIGPIPE, 0).val == 1, "F_GETNOSIGPIPE 1");
    int pdup = (int)BSD(dup, pwr).val;
    CHECK(BSD(fcntl, pdup, F_GETNOSIGPIPE, 0).val == 1, "a dup shares it");
    EXPECT_OK(BSD(fcntl, pwr, F_SETNOSIGPIPE, 0x100000000L), "F_SETNOSIGPIPE arg taken as int 0");
    CHECK(BSD(fcntl, pwr, F_GETNOSIGPIPE, 0).val == 0, "cleared");
    BSD(fcntl, pwr, F_SETNOSIGPIPE, 1);
    BSD(close, prd);
    EXPECT_ERR(BSD(write, pwr, "x", 1), EPIPE, "EPIPE and no SIGPIPE");
    EXPECT_ERR(BSD(write, pdup, "x", 1), EPIPE, "through the dup as well");

    /* Unknown commands and bad descriptors. */
    EXPECT_ERR(BSD(fcntl, fd, 12345, 0), EINVAL, "unknown command");
    EXPECT_ERR(BSD(fcntl, -1, F_GETFD, 0), EBADF, "fd -1");
    EXPECT_ERR(BSD(fcntl, 999, F_GETFL, 0), EBADF, "unused descriptor");
    EXPECT_ERR(BSD(fcntl, 999, 12345, 0), EBADF, "EBADF before an unknown command");
    BSD(close, fd);
    EXPECT_ERR(BSD(fcntl, fd, F_GETFD, 0), EBADF, "closed descriptor");
    return t_done();
}
