/* fstat64(2) (BSD 339): files (size follows writes), directories, pipes (S_IFIFO, st_size = unread bytes),
 * unlinked files, EBADF for -1/closed/huge descriptors, 32-bit fd argument, EFAULT for the buffer. */
#include "xnu.h"

#include <sys/mman.h>
#include <sys/stat.h>

int main(void) {
    struct stat st, st2;
    BSD(umask, 0);
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0604).val;

    EXPECT_OK(BSD(fstat64, fd, &st), "fstat64 a new file");
    CHECK(st.st_mode == (S_IFREG | 0604) && st.st_size == 0 && st.st_nlink == 1, "S_IFREG | 0604, empty, 1 link");
    BSD(write, fd, "hello", 5);
    BSD(fstat64, fd, &st);
    CHECK(st.st_size == 5, "st_size follows a write");
    BSD(stat64, "f", &st2);
    CHECK(st2.st_ino == st.st_ino && st2.st_dev == st.st_dev, "same inode as stat64");
    EXPECT_OK(BSD(fstat64, 0xdeadbeef00000000L | (unsigned)fd, &st2), "fd with a dirty high half");
    CHECK(st2.st_ino == st.st_ino, "same file");
    BSD(unlink, "f");
    BSD(fstat64, fd, &st);
    CHECK(st.st_nlink == 0 && st.st_size == 5, "an unlinked open file: 0 links, data still there");

    BSD(mkdir, "d", 0700);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_OK(BSD(fstat64, dfd, &st), "fstat64 a directory");
    CHECK(st.st_mode == (S_IFDIR | 0700), "S_IFDIR | 0700");

    /* xnu pipe_stat: S_IFIFO with mode 0660, st_size = bytes waiting in the pipe, on either end. */
    struct xres p = BSD0(pipe);
    EXPECT_OK(BSD(fstat64, p.val, &st), "fstat64 a pipe");
    CHECK(S_ISFIFO(st.st_mode), "S_IFIFO");
    CHECK((st.st_mode & 07777) == 0660, "mode 0660");
    CHECK(st.st_size == 0, "empty");
    BSD(write, p.val2, "abcdefg", 7);
    BSD(fstat64, p.val, &st);
    CHECK(st.st_size == 7, "st_size 7 on the read end");
    BSD(fstat64, p.val2, &st);
    CHECK(st.st_size == 7 && S_ISFIFO(st.st_mode), "st_size 7 on the write end");

    EXPECT_ERR(BSD(fstat64, -1, &st), EBADF, "fstat64(-1)");
    EXPECT_ERR(BSD(fstat64, 9999, &st), EBADF, "an unused descriptor");
    EXPECT_ERR(BSD(fstat64, 0x7fffffff, &st), EBADF, "fd INT_MAX");
    EXPECT_ERR(BSD(fstat64, dfd, BAD_PTR), EFAULT, "buffer in unmapped memory");
    char* page = (char*)BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0).val;
    BSD(munmap, page + 4096, 4096);
    EXPECT_ERR(BSD(fstat64, dfd, page + 4096 - 143), EFAULT, "buffer one byte short of the unmapped page");
    EXPECT_OK(BSD(fstat64, dfd, page + 4096 - 144), "buffer ending at the unmapped page");
    BSD(close, fd);
    EXPECT_ERR(BSD(fstat64, fd, &st), EBADF, "a closed descriptor");
    return t_done();
}
