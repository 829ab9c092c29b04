/* Copies stdin to stdout with read/write (pipes and terminals under macrun). */
#include "xnu.h"

int main(void) {
    char buf[4096];
    for (;;) {
        struct xres r = BSD(read, 0, buf, sizeof buf);
        if (r.err) return 1;
        if (r.val == 0) return 0;
        t_write(1, buf, (size_t)r.val);
    }
}
