/* select(2) on pipes: readiness, timeouts left unmodified, EBADF, timeout validation, nd clamping. */
/* Semantics: xnu bsd/kern/sys_generic.c select_nocancel(), kern_time.c itimerfix(). */
#include "xnu.h"

#include <sys/select.h>
#include <sys/time.h>

/* The SDK's FD_SET checks the descriptor through this libSystem function; there is no libSystem here. */
int __darwin_check_fd_set_overflow(int fd, const void* set, int unlimited) {
    (void)set, (void)unlimited;
    return fd >= 0 && fd < FD_SETSIZE;
}

static long now_ms(void) {
    struct timeval tv;
    BSD(gettimeofday, &tv, 0, 0);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

int main(void) {
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    int nd = (rd > wr ? rd : wr) + 1;
    fd_set r, w;
    struct timeval zero = {0, 0};

    FD_ZERO(&r), FD_ZERO(&w);
    FD_SET(rd, &r), FD_SET(wr, &w);
    struct xres x = EXPECT_OK(BSD(select, nd, &r, &w, 0, &zero), "select, timeout 0");
    CHECK(x.val == 1, "one descriptor ready");
    CHECK(!FD_ISSET(rd, &r) && FD_ISSET(wr, &w), "only the write end is ready");

    BSD(write, wr, "x", 1);
    FD_ZERO(&r), FD_ZERO(&w);
    FD_SET(rd, &r), FD_SET(wr, &w);
    x = EXPECT_OK(BSD(select, nd, &r, &w, 0, 0), "select with no timeout after a write");
    CHECK(x.val == 2 && FD_ISSET(rd, &r) && FD_ISSET(wr, &w), "both ends ready");

    char c;
    BSD(read, rd, &c, 1);
    FD_ZERO(&r);
    FD_SET(rd, &r);
    struct timeval tv = {0, 60000};
    long t0 = now_ms();
    x = EXPECT_OK(BSD(select, nd, &r, 0, 0, &tv), "select an empty pipe for 60 ms");
    CHECK(x.val == 0 && now_ms() - t0 >= 50, "it timed out after waiting");
    CHECK(!FD_ISSET(rd, &r), "the set is cleared");
    CHECK(tv.tv_sec == 0 && tv.tv_usec == 60000, "the timeout is left as given (unlike Linux)");

    tv = (struct timeval){0, 30000};
    t0 = now_ms();
    EXPECT_OK(BSD(select, 0, 0, 0, 0, &tv), "select with no sets sleeps");
    CHECK(now_ms() - t0 >= 20, "for the timeout");

    FD_ZERO(&r);
    FD_SET(rd, &r);
    FD_SET(60, &r);
    EXPECT_ERR(BSD(select, 61, &r, 0, 0, &zero), EBADF, "a closed descriptor in the set");
    EXPECT_ERR(BSD(select, -1, 0, 0, 0, &zero), EINVAL, "nd -1");
    FD_ZERO(&w);
    FD_SET(wr, &w);
    x = EXPECT_OK(BSD(select, 100000, 0, &w, 0, &zero), "nd beyond the table is clamped");

    struct timeval badtv[] = {{0, 1000000}, {-1, 0}, {0, -1}, {100000001, 0}};
    EXPECT_ERR(BSD(select, nd, &r, 0, 0, &badtv[0]), EINVAL, "tv_usec 1000000");
    EXPECT_ERR(BSD(select, nd, &r, 0, 0, &badtv[1]), EINVAL, "tv_sec -1");
    EXPECT_ERR(BSD(select, nd, &r, 0, 0, &badtv[2]), EINVAL, "tv_usec -1");
    EXPECT_ERR(BSD(select, nd, &r, 0, 0, &badtv[3]), EINVAL, "tv_sec above 100000000");
    EXPECT_ERR(BSD(select, nd, BAD_PTR, 0, 0, &zero), EFAULT, "select a bad set pointer");
    EXPECT_ERR(BSD(select, nd, &r, 0, 0, BAD_PTR), EFAULT, "select a bad timeout pointer");
    return t_done();
}
