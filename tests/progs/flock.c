/* flock(2) (BSD 131): shared and exclusive locks belong to the open file, LOCK_NB gives EWOULDBLOCK (35),
 * LOCK_UN releases, and xnu sys_flock's reading of `how`: LOCK_UN wins, then LOCK_EX, then LOCK_SH, other bits
 * are ignored and none of them is EBADF. A pipe is ENOTSUP (not a vnode). Locks taken by open(O_EXLOCK)
 * are the same locks. */
#include "xnu.h"

#include <sys/file.h>

int main(void) {
    BSD(close, BSD(open, "f", O_RDWR | O_CREAT, 0644).val);
    int a = (int)BSD(open, "f", O_RDWR).val;
    int b = (int)BSD(open, "f", O_RDONLY).val;
    int c = (int)BSD(dup, a).val;

    EXPECT_OK(BSD(flock, a, LOCK_EX), "LOCK_EX");
    EXPECT_ERR(BSD(flock, b, LOCK_EX | LOCK_NB), EWOULDBLOCK, "another open file: LOCK_EX|LOCK_NB");
    EXPECT_ERR(BSD(flock, b, LOCK_SH | LOCK_NB), EAGAIN, "another open file: LOCK_SH|LOCK_NB");
    EXPECT_OK(BSD(flock, c, LOCK_EX | LOCK_NB), "a dup of the holder shares the lock");
    EXPECT_OK(BSD(flock, a, LOCK_SH), "downgrade to LOCK_SH");
    EXPECT_OK(BSD(flock, b, LOCK_SH | LOCK_NB), "another shared lock");
    EXPECT_ERR(BSD(flock, a, LOCK_EX | LOCK_NB), EWOULDBLOCK, "upgrade blocked by the other shared lock");
    EXPECT_OK(BSD(flock, b, LOCK_UN), "LOCK_UN");
    EXPECT_OK(BSD(flock, a, LOCK_EX | LOCK_NB), "upgrade now succeeds");
    EXPECT_OK(BSD(flock, a, LOCK_UN | LOCK_NB), "LOCK_UN ignores LOCK_NB");
    EXPECT_OK(BSD(flock, b, LOCK_EX | LOCK_NB), "free again");
    EXPECT_OK(BSD(flock, b, LOCK_UN), "release");
    EXPECT_OK(BSD(flock, b, LOCK_UN), "LOCK_UN without a lock");

    /* How XNU reads `how`. */
    EXPECT_OK(BSD(flock, a, LOCK_SH | LOCK_EX | LOCK_NB), "LOCK_SH|LOCK_EX means LOCK_EX");
    EXPECT_ERR(BSD(flock, b, LOCK_SH | LOCK_NB), EWOULDBLOCK, "it is exclusive");
    EXPECT_OK(BSD(flock, a, LOCK_UN | LOCK_EX), "LOCK_UN|LOCK_EX unlocks");
    EXPECT_OK(BSD(flock, b, LOCK_SH | LOCK_NB), "it is released");
    EXPECT_OK(BSD(flock, b, LOCK_UN), "release");
    EXPECT_OK(BSD(flock, a, 0x100 | LOCK_EX | LOCK_NB), "unknown bits are ignored");
    EXPECT_OK(BSD(flock, a, 0xffffffff00000000L | LOCK_UN), "how with a dirty high half");
    EXPECT_OK(BSD(flock, 0x7fffffff00000000L | (unsigned)a, LOCK_SH), "fd with a dirty high half");
    EXPECT_OK(BSD(flock, a, LOCK_UN), "release");
    EXPECT_ERR(BSD(flock, a, 0), EBADF, "no operation: EBADF");
    EXPECT_ERR(BSD(flock, a, LOCK_NB), EBADF, "LOCK_NB alone: EBADF");
    EXPECT_ERR(BSD(flock, a, 0x100), EBADF, "only unknown bits: EBADF");

    EXPECT_ERR(BSD(flock, -1, LOCK_EX), EBADF, "fd -1");
    EXPECT_ERR(BSD(flock, 999, LOCK_EX), EBADF, "fd not open");
    EXPECT_ERR(BSD(flock, -1, 0), EBADF, "fd -1, no operation");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(flock, p.val, LOCK_EX), ENOTSUP, "a pipe is not a vnode");
    EXPECT_ERR(BSD(flock, p.val, 0), ENOTSUP, "a pipe, no operation: the descriptor comes first");

    /* open(O_EXLOCK) takes the same lock. */
    int x = (int)EXPECT_OK(BSD(open, "f", O_RDONLY | O_EXLOCK | O_NONBLOCK), "open with O_EXLOCK").val;
    EXPECT_ERR(BSD(flock, a, LOCK_SH | LOCK_NB), EWOULDBLOCK, "flock sees the O_EXLOCK lock");
    BSD(close, x);
    EXPECT_OK(BSD(flock, a, LOCK_SH | LOCK_NB), "closing the file released it");
    EXPECT_ERR(BSD(open, "f", O_RDONLY | O_EXLOCK | O_NONBLOCK), EAGAIN, "O_EXLOCK sees the flock lock");
    BSD(close, a);
    BSD(close, c);
    EXPECT_OK(BSD(flock, b, LOCK_EX | LOCK_NB), "closing every descriptor of the file released its lock");

    /* Directories can be locked too. */
    BSD(mkdir, "d", 0755);
    int d = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_OK(BSD(flock, d, LOCK_EX | LOCK_NB), "flock a directory");
    return t_done();
}
