/* fchown(2) (BSD 123): -1 leaves an id alone, setting the current owner and group succeeds, EBADF, EINVAL for
 * descriptors that are not vnodes (xnu file_vnode). */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st, st2;
    int fd = (int)BSD(open, "f", O_RDWR | O_CREAT, 0644).val;
    BSD(fstat64, fd, &st);
    CHECK(st.st_uid == (uid_t)BSD0(geteuid).val, "a new file belongs to the effective uid");

    EXPECT_OK(BSD(fchown, fd, -1, -1), "fchown(-1, -1) changes nothing");
    EXPECT_OK(BSD(fchown, fd, st.st_uid, st.st_gid), "fchown to the current owner and group");
    EXPECT_OK(BSD(fchown, fd, st.st_uid, -1), "owner only");
    EXPECT_OK(BSD(fchown, fd, -1, st.st_gid), "group only");
    BSD(fstat64, fd, &st2);
    CHECK(st2.st_uid == st.st_uid && st2.st_gid == st.st_gid, "ids unchanged");
    EXPECT_OK(BSD(fchown, 0x1234567800000000L | (unsigned)fd, 0xffffffff00000000L | st.st_uid,
                  0xabcdabcd00000000L | st.st_gid), "dirty high halves of fd, uid and gid");
    EXPECT_OK(BSD(fchown, fd, 0x00000000ffffffffL, 0x00000000ffffffffL), "uid/gid 0xffffffff means -1");
    int ro = (int)BSD(open, "f", O_RDONLY).val;
    EXPECT_OK(BSD(fchown, ro, -1, -1), "through an O_RDONLY descriptor");
    BSD(mkdir, "d", 0755);
    int dfd = (int)BSD(open, "d", O_RDONLY).val;
    EXPECT_OK(BSD(fchown, dfd, -1, -1), "on a directory");

    EXPECT_ERR(BSD(fchown, -1, -1, -1), EBADF, "fchown(-1)");
    EXPECT_ERR(BSD(fchown, 2222, -1, -1), EBADF, "unused descriptor");
    struct xres p = BSD0(pipe);
    EXPECT_ERR(BSD(fchown, p.val, -1, -1), EINVAL, "a pipe");
    BSD(close, fd);
    EXPECT_ERR(BSD(fchown, fd, -1, -1), EBADF, "closed descriptor");
    return t_done();
}
