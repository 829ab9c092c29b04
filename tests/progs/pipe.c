/* pipe(2) (BSD 42): two descriptors in rax and rdx, read end O_RDONLY and write end O_WRONLY, data flow,
 * EOF after the writer closes, EBADF for the wrong direction, EPIPE with SIGPIPE suppressed. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    char buf[16];
    struct stat st;
    int lowest = (int)BSD(dup, 0).val;
    BSD(close, lowest);
    struct xres r = EXPECT_OK(BSD0(pipe), "pipe");
    int rd = (int)r.val, wr = (int)r.val2;
    CHECK(rd >= 3 && wr > rd, "two new descriptors, read end in rax, write end in rdx");
    CHECK(rd == lowest, "the read end is the lowest free number");
    int between_used = 1;
    for (int i = rd + 1; i < wr; i++) between_used &= !BSD(fcntl, i, F_GETFD, 0).err;
    CHECK(between_used, "the write end is the next free number");
    CHECK(BSD(fcntl, rd, F_GETFL, 0).val == O_RDONLY, "read end is O_RDONLY");
    CHECK(BSD(fcntl, wr, F_GETFL, 0).val == O_WRONLY, "write end is O_WRONLY");
    CHECK(BSD(fcntl, rd, F_GETFD, 0).val == 0 && BSD(fcntl, wr, F_GETFD, 0).val == 0, "no FD_CLOEXEC");
    BSD(fstat64, rd, &st);
    CHECK(S_ISFIFO(st.st_mode), "S_IFIFO");

    CHECK(BSD(write, wr, "hello", 5).val == 5, "write 5 bytes");
    r = EXPECT_OK(BSD(read, rd, buf, sizeof buf), "read them");
    CHECK(r.val == 5 && !memcmp(buf, "hello", 5), "same bytes");
    EXPECT_ERR(BSD(write, rd, "x", 1), EBADF, "write to the read end");
    EXPECT_ERR(BSD(read, wr, buf, 1), EBADF, "read from the write end");
    BSD(fcntl, rd, F_SETFL, O_NONBLOCK);
    EXPECT_ERR(BSD(read, rd, buf, 1), EAGAIN, "empty O_NONBLOCK read");
    BSD(write, wr, "ab", 2);
    BSD(close, wr);
    CHECK(BSD(read, rd, buf, sizeof buf).val == 2, "data written before the close is still there");
    CHECK(BSD(read, rd, buf, sizeof buf).val == 0, "then EOF");
    BSD(close, rd);

    /* Writing with no reader: EPIPE (SIGPIPE suppressed with F_SETNOSIGPIPE so the test survives). */
    r = BSD0(pipe);
    rd = (int)r.val, wr = (int)r.val2;
    EXPECT_OK(BSD(fcntl, wr, F_SETNOSIGPIPE, 1), "F_SETNOSIGPIPE on the write end");
    BSD(close, rd);
    EXPECT_ERR(BSD(write, wr, "x", 1), EPIPE, "write with the read end closed");
    BSD(close, wr);

    /* Fill the buffer: a non-blocking writer gets a short count or EAGAIN, never a hang. */
    r = BSD0(pipe);
    rd = (int)r.val, wr = (int)r.val2;
    BSD(fcntl, wr, F_SETFL, O_NONBLOCK);
    static char big[4096];
    long total = 0;
    for (int i = 0; i < 1000; i++) {
        struct xres w = BSD(write, wr, big, sizeof big);
        if (w.err) { CHECK(w.err == EAGAIN, "a full pipe says EAGAIN"); break; }
        total += w.val;
    }
    CHECK(total >= 8192, "the pipe buffers at least 8 KiB");
    return t_done();
}
