/* getrlimit/setrlimit: RLIMIT_NOFILE (8), RLIMIT_STACK, RLIM_INFINITY (2^63-1), EINVAL and EFAULT. */
/* Semantics: xnu bsd/kern/kern_resource.c getrlimit(), dosetrlimit(). */
#include "xnu.h"

#include <sys/resource.h>

#define POSIX_FLAG 0x1000 /* _RLIMIT_POSIX_FLAG, bsd/sys/resource.h */

int main(void) {
    struct rlimit lim, got;
    int ok_range = 1;
    for (int res = 0; res < RLIM_NLIMITS; res++) {
        struct xres r = BSD(getrlimit, res, &lim);
        ok_range &= r.err == 0 && lim.rlim_cur <= RLIM_INFINITY && lim.rlim_max <= RLIM_INFINITY &&
                    lim.rlim_cur <= lim.rlim_max;
    }
    CHECK(ok_range, "every resource 0..8 reads, with values <= RLIM_INFINITY and soft <= hard");
    CHECK(RLIM_INFINITY == 0x7fffffffffffffffULL, "the SDK's RLIM_INFINITY is 2^63-1");

    /* RLIMIT_NOFILE (8): lower the soft limit, see it, then opening past it fails with EMFILE. */
    EXPECT_OK(BSD(getrlimit, RLIMIT_NOFILE, &lim), "getrlimit(RLIMIT_NOFILE)");
    struct rlimit low = {16, lim.rlim_max};
    EXPECT_OK(BSD(setrlimit, RLIMIT_NOFILE, &low), "setrlimit(RLIMIT_NOFILE, 16)");
    EXPECT_OK(BSD(getrlimit, RLIMIT_NOFILE, &got), "getrlimit(RLIMIT_NOFILE)");
    CHECK(got.rlim_cur == 16 && got.rlim_max == lim.rlim_max, "the new soft limit reads back");
    struct xres d = BSD(dup2, 1, 16);
    EXPECT_ERR(d, EBADF, "dup2 to descriptor 16 with a limit of 16");
    EXPECT_OK(BSD(setrlimit, RLIMIT_NOFILE, &lim), "restore RLIMIT_NOFILE");
    EXPECT_OK(BSD(getrlimit, RLIMIT_NOFILE | POSIX_FLAG, &got), "getrlimit with _RLIMIT_POSIX_FLAG");
    CHECK(got.rlim_cur == lim.rlim_cur, "the flag does not change the answer");

    /* RLIMIT_STACK: setting the current value back is accepted. */
    EXPECT_OK(BSD(getrlimit, RLIMIT_STACK, &lim), "getrlimit(RLIMIT_STACK)");
    CHECK(lim.rlim_cur >= 64 * 1024, "a stack limit of at least 64 KiB");
    EXPECT_OK(BSD(setrlimit, RLIMIT_STACK, &lim), "setrlimit(RLIMIT_STACK, same)");

    /* RLIM_INFINITY round-trips where the hard limit allows it. */
    EXPECT_OK(BSD(getrlimit, RLIMIT_CORE, &lim), "getrlimit(RLIMIT_CORE)");
    if (lim.rlim_max == RLIM_INFINITY) {
        struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY};
        EXPECT_OK(BSD(setrlimit, RLIMIT_CORE, &inf), "setrlimit(RLIMIT_CORE, infinity)");
        BSD(getrlimit, RLIMIT_CORE, &got);
        CHECK(got.rlim_cur == RLIM_INFINITY, "RLIM_INFINITY reads back as 2^63-1");
        EXPECT_OK(BSD(setrlimit, RLIMIT_CORE, &lim), "restore RLIMIT_CORE");
    }

    struct rlimit bad = {100, 50};
    EXPECT_ERR(BSD(setrlimit, RLIMIT_NOFILE, &bad), EINVAL, "setrlimit soft > hard");
    EXPECT_ERR(BSD(getrlimit, RLIM_NLIMITS, &got), EINVAL, "getrlimit(9)");
    EXPECT_ERR(BSD(setrlimit, 42, &lim), EINVAL, "setrlimit(42)");
    EXPECT_ERR(BSD(getrlimit, RLIMIT_NOFILE, BAD_PTR), EFAULT, "getrlimit into a bad pointer");
    EXPECT_ERR(BSD(setrlimit, RLIMIT_NOFILE, BAD_PTR), EFAULT, "setrlimit from a bad pointer");
    return t_done();
}
