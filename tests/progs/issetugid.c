/* issetugid(2): 0 for a program started without set-id privileges. */
#include "xnu.h"

int main(void) {
    struct xres r = EXPECT_OK(BSD0(issetugid), "issetugid");
    CHECK(r.val == 0, "not tainted by set-id");
    CHECK(BSD0(issetugid).val == r.val, "stable");
    return t_done();
}
