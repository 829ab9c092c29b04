/* getdirentries64(2) (BSD 344): record layout (d_reclen = DIRENT64_LEN(d_namlen), d_namlen, d_type, NUL-
 * terminated names), every entry exactly once across small reads, *position = the directory offset before the
 * call, GETDIRENTRIES64_EOF in the last 4 bytes of buffers >= 1024, and EINVAL/ENOTSUP/EBADF/EFAULT. */
#include "xnu.h"

#include <sys/dirent.h>

_Static_assert(offsetof(struct dirent, d_name) == 21, "INODE64 struct dirent");
#define EOF_FLAG 1u /* GETDIRENTRIES64_EOF, xnu bsd/sys/dirent.h */

static const char* names[] = {".", "..", "a", "bb", "ccc", "sub", "ln", 0 /* the 255-byte name */};
enum { NNAMES = 8 };
static char longname[256];
static int seen[NNAMES];
static char buf[8192];

static int reclen_for(int namlen) { return (namlen + 32) & ~7; } /* DIRENT64_LEN: (1048 + n - 1023 + 7) & ~7 */

/* Walks the records of one call; returns 0 when all are well formed. */
static int scan(const char* p, long n) {
    int bad = 0;
    for (long off = 0; off < n;) {
        const struct dirent* d = (const struct dirent*)(p + off);
        if (d->d_reclen != reclen_for(d->d_namlen) || d->d_name[d->d_namlen] != 0 || strlen(d->d_name) != d->d_namlen ||
            d->d_ino == 0) {
            t_printf("bad record at %ld: reclen %d namlen %d\n", off, d->d_reclen, d->d_namlen);
            return 1;
        }
        int k = -1;
        for (int i = 0; i < NNAMES; i++)
            if (!strcmp(d->d_name, names[i])) k = i;
        if (k < 0) { t_printf("unexpected name %s\n", d->d_name); bad = 1; }
        else {
            seen[k]++;
            int want = k < 2 || k == 5 ? DT_DIR : k == 6 ? DT_LNK : DT_REG;
            if (d->d_type != want) { t_printf("%s: d_type %d, expected %d\n", d->d_name, d->d_type, want); bad = 1; }
        }
        off += d->d_reclen;
        if (off > n) bad = 1;
    }
    return bad;
}

static int all_seen_once(void) {
    int ok = 1;
    for (int i = 0; i < NNAMES; i++) {
        if (seen[i] != 1) ok = 0;
        seen[i] = 0;
    }
    return ok;
}

int main(void) {
    long pos;
    memset(longname, 'n', 255);
    names[7] = longname;
    BSD(mkdir, "d", 0755);
    BSD(mkdir, "d/sub", 0755);
    BSD(close, BSD(open, "d/a", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "d/bb", O_RDONLY | O_CREAT, 0644).val);
    BSD(close, BSD(open, "d/ccc", O_RDONLY | O_CREAT, 0644).val);
    BSD(symlink, "a", "d/ln");
    static char path[300];
    memcpy(path, "d/", 2);
    memcpy(path + 2, longname, 256);
    EXPECT_OK(BSD(close, BSD(open, path, O_RDONLY | O_CREAT, 0644).val), "create a 255-byte name");
    int fd = (int)EXPECT_OK(BSD(open, "d", O_RDONLY | O_DIRECTORY), "open d").val;

    /* One big read: everything, EOF flagged, position 0. */
    pos = -1;
    memset(buf, 0x77, sizeof buf);
    struct xres r = EXPECT_OK(BSD(getdirentries64, fd, buf, sizeof buf, &pos), "getdirentries64 into 8192 bytes");
    CHECK(pos == 0, "*position is 0 for the first call");
    CHECK(r.val > 0 && r.val <= (long)sizeof buf - 4, "returned bytes fit before the flag word");
    CHECK(scan(buf, r.val) == 0, "records well formed, d_type right");
    CHECK(all_seen_once(), "all 8 entries exactly once");
    CHECK(*(unsigned*)(buf + sizeof buf - 4) == EOF_FLAG, "GETDIRENTRIES64_EOF in the last 4 bytes");
    long after = BSD(lseek, fd, 0, SEEK_CUR).val;
    r = EXPECT_OK(BSD(getdirentries64, fd, buf, sizeof buf, &pos), "read again at the end");
    CHECK(r.val == 0, "returns 0");
    CHECK(pos == after, "*position is the offset the call started at");
    CHECK(*(unsigned*)(buf + sizeof buf - 4) == EOF_FLAG, "EOF flag set again");

    /* Small reads (300 bytes: no flag word, room for the 280-byte record) see every entry exactly once. */
    CHECK(reclen_for(255) == 280, "DIRENT64_LEN(255) is 280");
    BSD(lseek, fd, 0, SEEK_SET);
    int calls = 0, bad = 0, untouched = 1, positions = 1;
    for (;;) {
        long before = BSD(lseek, fd, 0, SEEK_CUR).val;
        memset(buf, 0x77, 400);
        r = BSD(getdirentries64, fd, buf, 300, &pos);
        if (r.err || r.val == 0) break;
        calls++;
        if (pos != before) positions = 0;
        bad |= scan(buf, r.val);
        for (long i = r.val; i < 400; i++)
            if ((unsigned char)buf[i] != 0x77) untouched = 0;
    }
    CHECK(!r.err, "small reads end with 0, not an error");
    CHECK(calls >= 2, "several small reads were needed");
    CHECK(!bad, "records well formed");
    CHECK(all_seen_once(), "all 8 entries exactly once across the small reads");
    CHECK(untouched, "nothing written past the returned bytes (no flag word under 1024)");
    CHECK(positions, "each *position is the offset before that call");

    /* Exactly 1024 bytes: 1020 for records and the flag word. */
    BSD(lseek, fd, 0, SEEK_SET);
    memset(buf, 0x77, 1100);
    r = EXPECT_OK(BSD(getdirentries64, fd, buf, 1024, &pos), "1024-byte buffer");
    CHECK(r.val > 0 && r.val <= 1020, "at most 1020 bytes of records");
    CHECK(*(unsigned*)(buf + 1020) == EOF_FLAG || *(unsigned*)(buf + 1020) == 0, "flag word written at 1020");
    CHECK((unsigned char)buf[1024] == 0x77, "nothing past 1024 bytes");
    CHECK(scan(buf, r.val) == 0 && all_seen_once(), "records well formed, all 504 bytes of them");
    /* The descriptor is an int: garbage above it is ignored. */
    BSD(lseek, fd, 0, SEEK_SET);
    r = EXPECT_OK(BSD(getdirentries64, 0xdeadbeef00000000L | (unsigned)fd, buf, sizeof buf, &pos), "fd with a dirty high half");
    CHECK(scan(buf, r.val) == 0 && all_seen_once(), "all entries");

    /* Errors. */
    int ffd = (int)BSD(open, "d/a", O_RDONLY).val;
    EXPECT_ERR(BSD(getdirentries64, ffd, buf, sizeof buf, &pos), EINVAL, "a regular file (xnu: not VDIR)");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(getdirentries64, p.val, buf, sizeof buf, &pos), ENOTSUP, "a pipe (xnu fp_getfvp: ENOTSUP)");
    EXPECT_ERR(BSD(getdirentries64, -1, buf, sizeof buf, &pos), EBADF, "fd -1");
    EXPECT_ERR(BSD(getdirentries64, 1234, buf, sizeof buf, &pos), EBADF, "an unused descriptor");
    BSD(lseek, fd, 0, SEEK_SET);
    EXPECT_ERR(BSD(getdirentries64, fd, BAD_PTR, sizeof buf, &pos), EFAULT, "buffer in unmapped memory");
    BSD(lseek, fd, 0, SEEK_SET);
    EXPECT_ERR(BSD(getdirentries64, fd, buf, sizeof buf, BAD_PTR), EFAULT, "position in unmapped memory");
    BSD(lseek, fd, 0, SEEK_SET);
    EXPECT_ERR(BSD(getdirentries64, fd, buf, sizeof buf, 0), EFAULT, "NULL position");
    BSD(close, fd);
    EXPECT_ERR(BSD(getdirentries64, fd, buf, sizeof buf, &pos), EBADF, "a closed descriptor");
    return t_done();
}
