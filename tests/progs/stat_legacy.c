/* The legacy stat/fstat/lstat calls (BSD 188/189/190): the 120-byte struct with a 32-bit inode number and no
 * birth time (xnu struct user64_stat), symlink handling, and the error paths. */
#include "xnu.h"

#include <sys/stat.h>

/* xnu bsd/sys/stat.h struct user64_stat (the kernel's own ino_t is 32 bits). */
struct old_stat {
    uint32_t st_dev;
    uint32_t st_ino;
    uint16_t st_mode;
    uint16_t st_nlink;
    uint32_t st_uid, st_gid, st_rdev;
    struct timespec st_atimespec, st_mtimespec, st_ctimespec;
    int64_t st_size, st_blocks;
    int32_t st_blksize;
    uint32_t st_flags, st_gen;
    int32_t st_lspare;
    int64_t st_qspare[2];
};
_Static_assert(sizeof(struct old_stat) == 120, "user64_stat is 120 bytes");
_Static_assert(offsetof(struct old_stat, st_atimespec) == 24 && offsetof(struct old_stat, st_size) == 72, "layout");

int main(void) {
    struct old_stat o;
    struct stat st;
    unsigned char raw[136];
    BSD(umask, 0);
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0640).val;
    BSD(write, fd, "0123456789", 10);
    BSD(symlink, "f", "l");
    BSD(mkdir, "d", 0700);
    BSD(stat64, "f", &st);

    memset(raw, 0x5a, sizeof raw);
    EXPECT_OK(BSD(stat, "f", raw), "stat a file");
    CHECK(raw[120] == 0x5a && raw[135] == 0x5a, "nothing written past 120 bytes");
    memcpy(&o, raw, sizeof o);
    CHECK(o.st_mode == (S_IFREG | 0640), "st_mode S_IFREG | 0640");
    CHECK(o.st_size == 10 && o.st_nlink == 1, "st_size 10, one link");
    CHECK(o.st_ino == (uint32_t)st.st_ino, "st_ino is the low 32 bits of the 64-bit inode");
    CHECK(o.st_uid == st.st_uid && o.st_gid == st.st_gid, "owner matches stat64");
    CHECK(o.st_mtimespec.tv_sec == st.st_mtimespec.tv_sec && o.st_mtimespec.tv_nsec == st.st_mtimespec.tv_nsec,
          "mtime matches stat64");
    CHECK(o.st_blksize == st.st_blksize && o.st_blocks == st.st_blocks, "blocks match stat64");

    EXPECT_OK(BSD(stat, "l", &o), "stat follows a symlink");
    CHECK(S_ISREG(o.st_mode) && o.st_size == 10, "the target");
    EXPECT_OK(BSD(lstat, "l", &o), "lstat a symlink");
    CHECK(S_ISLNK(o.st_mode) && o.st_size == 1, "the link itself");
    EXPECT_OK(BSD(lstat, "d", &o), "lstat a directory");
    CHECK(o.st_mode == (S_IFDIR | 0700), "S_IFDIR | 0700");

    BSD(write, fd, "ab", 2);
    EXPECT_OK(BSD(fstat, fd, &o), "fstat a descriptor");
    CHECK(o.st_size == 12 && o.st_ino == (uint32_t)st.st_ino, "size 12, same inode");
    EXPECT_OK(BSD(fstat, 0xcafe000000000000L | (unsigned)fd, &o), "fstat with a dirty high half");
    struct xres p = BSD0(pipe);
    EXPECT_OK(BSD(fstat, p.val, &o), "fstat a pipe");
    CHECK(S_ISFIFO(o.st_mode), "S_IFIFO");

    EXPECT_ERR(BSD(stat, "missing", &o), ENOENT, "stat a missing file");
    EXPECT_ERR(BSD(lstat, "f/x", &o), ENOTDIR, "lstat through a file");
    EXPECT_ERR(BSD(stat, "", &o), ENOENT, "empty path");
    EXPECT_ERR(BSD(stat, BAD_PTR, &o), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(stat, "f", BAD_PTR), EFAULT, "buffer in unmapped memory");
    EXPECT_ERR(BSD(lstat, "l", BAD_PTR), EFAULT, "lstat buffer in unmapped memory");
    EXPECT_ERR(BSD(fstat, -1, &o), EBADF, "fstat(-1)");
    EXPECT_ERR(BSD(fstat, 4444, &o), EBADF, "fstat of an unused descriptor");
    EXPECT_ERR(BSD(fstat, fd, BAD_PTR), EFAULT, "fstat buffer in unmapped memory");
    BSD(close, fd);
    EXPECT_ERR(BSD(fstat, fd, &o), EBADF, "fstat of a closed descriptor");
    return t_done();
}
