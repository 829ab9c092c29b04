/* thread_selfid (372): a nonzero id for the calling thread, stable across calls. */
#include "xnu.h"

int main(void) {
    struct xres a = EXPECT_OK(BSD0(thread_selfid), "thread_selfid");
    CHECK(a.val > 0, "the id is nonzero");
    CHECK(BSD0(thread_selfid).val == a.val, "the id is stable");
    return t_done();
}
