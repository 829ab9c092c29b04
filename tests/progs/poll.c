/* poll(2) on pipes: readiness bits, timeouts, POLLNVAL, skipped entries, POLLIN|POLLHUP at EOF, limits. */
/* Semantics: xnu bsd/kern/sys_generic.c poll_nocancel(), poll_callback(). */
#include "xnu.h"

#include <poll.h>
#include <sys/time.h>

static long now_ms(void) {
    struct timeval tv;
    BSD(gettimeofday, &tv, 0, 0);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

int main(void) {
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    struct pollfd f[4];

    f[0] = (struct pollfd){rd, POLLIN, 0x7777};
    struct xres r = EXPECT_OK(BSD(poll, f, 1, 0), "poll an empty pipe, timeout 0");
    CHECK(r.val == 0 && f[0].revents == 0, "nothing ready, revents cleared");

    f[0] = (struct pollfd){wr, POLLOUT | POLLWRBAND, 0};
    r = EXPECT_OK(BSD(poll, f, 1, 0), "poll the write end for POLLOUT|POLLWRBAND");
    CHECK(r.val == 1 && f[0].revents == (POLLOUT | POLLWRBAND), "both write bits are reported");
    CHECK(f[0].events == (POLLOUT | POLLWRBAND), "events are left as given");

    BSD(write, wr, "x", 1);
    f[0] = (struct pollfd){rd, POLLIN | POLLRDNORM, 0};
    f[1] = (struct pollfd){wr, POLLOUT, 0};
    r = EXPECT_OK(BSD(poll, f, 2, 1000), "poll both ends after a write");
    CHECK(r.val == 2, "both ready");
    CHECK(f[0].revents == (POLLIN | POLLRDNORM), "read end: POLLIN|POLLRDNORM");
    CHECK(f[1].revents == POLLOUT, "write end: POLLOUT");

    /* A closed descriptor is POLLNVAL and counts; a negative one is skipped; an empty mask registers nothing. */
    f[0] = (struct pollfd){77, POLLIN, 0};
    f[1] = (struct pollfd){-1, POLLIN, 0x55};
    f[2] = (struct pollfd){rd, POLLIN, 0};
    f[3] = (struct pollfd){78, 0, 0x55};
    r = EXPECT_OK(BSD(poll, f, 4, 0), "poll a closed, a negative, a ready and a maskless descriptor");
    CHECK(r.val == 2, "two entries have events");
    CHECK(f[0].revents == POLLNVAL, "closed descriptor: POLLNVAL");
    CHECK(f[1].revents == 0, "negative descriptor: revents 0");
    CHECK(f[2].revents == POLLIN, "ready descriptor: POLLIN");
    CHECK(f[3].revents == 0, "empty event mask: revents 0");

    /* A large set (600 entries, more than fit one kernel copy) is handled the same way. */
    static struct pollfd big[600];
    for (int i = 0; i < 600; i++) big[i] = (struct pollfd){-1, POLLIN | POLLEXTEND, 0x1234};
    big[0] = (struct pollfd){rd, POLLIN | POLLRDNORM, 0};
    big[300] = (struct pollfd){77, POLLIN, 0};
    big[599] = (struct pollfd){wr, POLLOUT | POLLWRBAND, 0};
    r = EXPECT_OK(BSD(poll, big, 600, 0), "poll 600 entries");
    CHECK(r.val == 3, "three entries have events");
    CHECK(big[0].revents == (POLLIN | POLLRDNORM) && big[300].revents == POLLNVAL &&
          big[599].revents == (POLLOUT | POLLWRBAND) && big[1].revents == 0 && big[598].revents == 0,
          "the same results as a small set");
    int intact = 1;
    for (int i = 1; i < 599; i++) intact &= (i == 300 ? big[i].fd == 77 : big[i].fd == -1 && big[i].events == (POLLIN | POLLEXTEND));
    CHECK(intact && big[0].fd == rd && big[599].events == (POLLOUT | POLLWRBAND), "descriptors and events are left as given");

    /* A real timeout. */
    char c;
    BSD(read, rd, &c, 1);
    f[0] = (struct pollfd){rd, POLLIN, 0};
    long t0 = now_ms();
    r = EXPECT_OK(BSD(poll, f, 1, 60), "poll an empty pipe for 60 ms");
    long waited = now_ms() - t0;
    CHECK(r.val == 0 && waited >= 50, "it waited for the timeout");
    t0 = now_ms();
    EXPECT_OK(BSD(poll, 0, 0, 30), "poll with no descriptors sleeps");
    CHECK(now_ms() - t0 >= 20, "for the timeout");

    /* The writer goes away: the reader sees POLLHUP, and on XNU POLLIN with it. */
    BSD(close, wr);
    f[0] = (struct pollfd){rd, POLLIN, 0};
    r = EXPECT_OK(BSD(poll, f, 1, 0), "poll the read end after the writer closed");
    CHECK(r.val == 1 && f[0].revents == (POLLIN | POLLHUP), "revents POLLIN|POLLHUP");

    EXPECT_ERR(BSD(poll, f, 10241, 0), EINVAL, "more than OPEN_MAX descriptors");
    EXPECT_ERR(BSD(poll, BAD_PTR, 1, 0), EFAULT, "poll a bad pointer");
    return t_done();
}
