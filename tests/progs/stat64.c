/* stat64(2) (BSD 338): the 144-byte INODE64 struct stat (size, mode, nlink, ino, blocks, times), symlinks
 * followed, and ENOENT/ENOTDIR/ELOOP/EFAULT (path, buffer, buffer crossing into an unmapped page). */
#include "xnu.h"

#include <sys/mman.h>
#include <sys/stat.h>

_Static_assert(sizeof(struct stat) == 144, "INODE64 struct stat");

static char longpath[1200];

int main(void) {
    struct stat st, st2;
    unsigned char raw[160];
    BSD(umask, 0);
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0640).val;
    BSD(write, fd, "0123456789abcdefghij", 20);
    BSD(close, fd);
    BSD(mkdir, "d", 0751);
    BSD(symlink, "f", "l");
    BSD(symlink, "loop", "loop");

    memset(&st, 0xa5, sizeof st);
    EXPECT_OK(BSD(stat64, "f", &st), "stat64 a file");
    CHECK(st.st_size == 20, "st_size 20");
    CHECK(st.st_mode == (S_IFREG | 0640), "st_mode S_IFREG | 0640");
    CHECK(st.st_nlink == 1, "st_nlink 1");
    CHECK(st.st_ino != 0, "st_ino set");
    CHECK(st.st_uid == (uid_t)BSD0(geteuid).val, "st_uid is the effective uid");
    CHECK(st.st_blksize > 0, "st_blksize set");
    CHECK(st.st_blocks >= 0 && st.st_blocks < 1000, "st_blocks plausible");
    CHECK(st.st_flags == 0, "no file flags");
    CHECK(st.st_mtimespec.tv_sec > 1500000000 && st.st_mtimespec.tv_nsec >= 0 && st.st_mtimespec.tv_nsec < 1000000000,
          "st_mtimespec is a plausible time");
    CHECK(st.st_ctimespec.tv_sec >= st.st_mtimespec.tv_sec, "ctime >= mtime");
    CHECK(st.st_birthtimespec.tv_sec > 1500000000 && st.st_birthtimespec.tv_sec <= st.st_mtimespec.tv_sec,
          "st_birthtimespec set and not after mtime");
    /* The kernel writes exactly 144 bytes. */
    memset(raw, 0x5a, sizeof raw);
    EXPECT_OK(BSD(stat64, "f", raw), "stat64 into a larger buffer");
    CHECK(raw[144] == 0x5a && raw[159] == 0x5a, "nothing written past 144 bytes");

    EXPECT_OK(BSD(stat64, "d", &st2), "stat64 a directory");
    CHECK(st2.st_mode == (S_IFDIR | 0751) && st2.st_nlink == 2, "S_IFDIR | 0751 with 2 links");
    CHECK(st2.st_dev == st.st_dev, "same device as the file");
    EXPECT_OK(BSD(stat64, "l", &st2), "stat64 a symlink");
    CHECK(st2.st_ino == st.st_ino && S_ISREG(st2.st_mode), "reports the target");
    EXPECT_OK(BSD(stat64, "d/../f", &st2), "stat64 through ..");
    CHECK(st2.st_ino == st.st_ino, "same file");

    EXPECT_ERR(BSD(stat64, "missing", &st), ENOENT, "a missing file");
    EXPECT_ERR(BSD(stat64, "f/x", &st), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(stat64, "loop", &st), ELOOP, "a symlink loop");
    EXPECT_ERR(BSD(stat64, "", &st), ENOENT, "empty path");
    EXPECT_ERR(BSD(stat64, BAD_PTR, &st), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(stat64, "f", BAD_PTR), EFAULT, "buffer in unmapped memory");
    EXPECT_ERR(BSD(stat64, "f", 0), EFAULT, "NULL buffer");
    char* page = (char*)BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0).val;
    BSD(munmap, page + 4096, 4096);
    EXPECT_ERR(BSD(stat64, "f", page + 4096 - 100), EFAULT, "buffer running into an unmapped page");
    EXPECT_OK(BSD(stat64, "f", page + 4096 - 144), "buffer ending exactly at the unmapped page");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(stat64, longpath, &st), ENAMETOOLONG, "path of 1101 bytes");
    return t_done();
}
