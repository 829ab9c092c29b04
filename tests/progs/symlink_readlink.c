/* symlink(2)/readlink(2) (BSD 57/58): link text round trip (no NUL), truncation to the buffer, dangling links,
 * count 0 and count < 0, EINVAL on non-links, EEXIST, ENOENT, ENOTDIR, EFAULT, ENAMETOOLONG. */
#include "xnu.h"

#include <sys/mman.h>
#include <sys/stat.h>

static char longpath[1200];

int main(void) {
    char buf[64];
    struct stat st;
    BSD(close, BSD(open, "target", O_WRONLY | O_CREAT, 0644).val);
    BSD(mkdir, "d", 0755);

    EXPECT_OK(BSD(symlink, "target", "l"), "symlink target l");
    memset(buf, '#', sizeof buf);
    struct xres r = EXPECT_OK(BSD(readlink, "l", buf, sizeof buf), "readlink l");
    CHECK(r.val == 6 && !memcmp(buf, "target", 6), "returns the 6-byte text");
    CHECK(buf[6] == '#', "no NUL appended");
    memset(buf, '#', sizeof buf);
    r = EXPECT_OK(BSD(readlink, "l", buf, 3), "readlink into 3 bytes");
    CHECK(r.val == 3 && !memcmp(buf, "tar#", 4), "truncated to 3 bytes");
    /* xnu readlinkat_internal: a count of 0 reads nothing and succeeds; a negative int count becomes a huge
     * size_t and is EINVAL before the lookup. */
    r = EXPECT_OK(BSD(readlink, "l", buf, 0), "readlink with count 0");
    CHECK(r.val == 0, "returns 0");
    EXPECT_ERR(BSD(readlink, "missing", buf, -1), EINVAL, "count -1, even for a missing path");
    r = EXPECT_OK(BSD(readlink, "l", buf, 0x7fffffff00000000L | 6), "count with a dirty high half");
    CHECK(r.val == 6, "count taken from the low 32 bits");

    EXPECT_OK(BSD(lstat64, "l", &st), "lstat64 the link");
    CHECK(S_ISLNK(st.st_mode) && st.st_size == 6, "S_IFLNK with st_size = text length");
    EXPECT_OK(BSD(stat64, "l", &st), "stat64 follows it");
    CHECK(S_ISREG(st.st_mode), "to the regular file");

    /* Link text is not checked. */
    EXPECT_OK(BSD(symlink, "no/such/thing", "dangling"), "dangling symlink");
    r = BSD(readlink, "dangling", buf, sizeof buf);
    CHECK(r.val == 13 && !memcmp(buf, "no/such/thing", 13), "its text");
    EXPECT_ERR(BSD(stat64, "dangling", &st), ENOENT, "stat64 through a dangling link");
    EXPECT_OK(BSD(symlink, "d", "dl"), "symlink to a directory");
    EXPECT_OK(BSD(symlink, "../target", "dl/up"), "creating through a symlinked directory");
    EXPECT_OK(BSD(stat64, "d/up", &st), "the link landed in d");

    EXPECT_ERR(BSD(symlink, "x", "l"), EEXIST, "symlink onto an existing link");
    EXPECT_ERR(BSD(symlink, "x", "target"), EEXIST, "symlink onto an existing file");
    EXPECT_ERR(BSD(symlink, "x", "d"), EEXIST, "symlink onto an existing directory");
    EXPECT_ERR(BSD(symlink, "x", "nodir/l"), ENOENT, "symlink in a missing directory");
    EXPECT_ERR(BSD(symlink, "x", "target/l"), ENOTDIR, "symlink under a file");
    EXPECT_ERR(BSD(symlink, BAD_PTR, "l2"), EFAULT, "link text in unmapped memory");
    EXPECT_ERR(BSD(symlink, "x", BAD_PTR), EFAULT, "link path in unmapped memory");
    for (int i = 0; i < 1100; i += 2) longpath[i] = '.', longpath[i + 1] = '/';
    longpath[1100] = 'f';
    EXPECT_ERR(BSD(symlink, "x", longpath), ENAMETOOLONG, "link path of 1101 bytes");
    EXPECT_ERR(BSD(readlink, longpath, buf, sizeof buf), ENAMETOOLONG, "readlink of a 1101-byte path");

    EXPECT_ERR(BSD(readlink, "target", buf, sizeof buf), EINVAL, "readlink of a regular file");
    EXPECT_ERR(BSD(readlink, "d", buf, sizeof buf), EINVAL, "readlink of a directory");
    EXPECT_ERR(BSD(readlink, "missing", buf, sizeof buf), ENOENT, "readlink of a missing path");
    EXPECT_ERR(BSD(readlink, "target/x", buf, sizeof buf), ENOTDIR, "a file used as a directory");
    EXPECT_ERR(BSD(readlink, "", buf, sizeof buf), ENOENT, "empty path");
    EXPECT_ERR(BSD(readlink, BAD_PTR, buf, sizeof buf), EFAULT, "path in unmapped memory");
    EXPECT_ERR(BSD(readlink, "l", BAD_PTR, sizeof buf), EFAULT, "buffer in unmapped memory");
    char* page = (char*)BSD(mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0).val;
    BSD(munmap, page + 4096, 4096);
    EXPECT_ERR(BSD(readlink, "l", page + 4096 - 2, 6), EFAULT, "buffer running into an unmapped page");
    r = EXPECT_OK(BSD(readlink, "l", page + 4096 - 6, 64), "6 bytes ending at the unmapped page");
    CHECK(r.val == 6 && !memcmp(page + 4096 - 6, "target", 6), "text copied");
    return t_done();
}
