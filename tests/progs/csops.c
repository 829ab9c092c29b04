/* csops (169): CS_OPS_STATUS on self and pid 0, a NULL buffer, a nonexistent pid, a bad pointer. */
/* Semantics: xnu bsd/kern/kern_proc.c csops_internal(). */
#include "xnu.h"

#define CS_OPS_STATUS 0 /* xnu osfmk/kern/cs_blobs.h */

int main(void) {
    long pid = BSD0(getpid).val;
    unsigned flags = 0xdeadbeef;
    struct xres r = EXPECT_OK(BSD(csops, pid, CS_OPS_STATUS, &flags, sizeof flags), "csops(self, CS_OPS_STATUS)");
    CHECK(r.val == 0, "returns 0");
    CHECK(flags != 0xdeadbeef, "the status word was written");
    unsigned flags0 = 0xdeadbeef;
    EXPECT_OK(BSD(csops, 0, CS_OPS_STATUS, &flags0, sizeof flags0), "csops(0, CS_OPS_STATUS) means self");
    CHECK(flags0 == flags, "same status");
    EXPECT_OK(BSD(csops, pid, CS_OPS_STATUS, 0, 0), "CS_OPS_STATUS with no buffer");
    EXPECT_ERR(BSD(csops, 99999999, CS_OPS_STATUS, &flags, sizeof flags), ESRCH, "csops of a nonexistent pid");
    EXPECT_ERR(BSD(csops, pid, CS_OPS_STATUS, BAD_PTR, 4), EFAULT, "CS_OPS_STATUS into a bad pointer");
    return t_done();
}
