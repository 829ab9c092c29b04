/* getgroups(2): the count query, the list (egid first), a short array, a bad pointer. */
/* Semantics: xnu bsd/kern/kern_prot.c getgroups(); kern_credential.c keeps the egid in cr_groups[0]. */
#include "xnu.h"

int main(void) {
    struct xres n = EXPECT_OK(BSD(getgroups, 0, 0), "getgroups(0, NULL) counts");
    CHECK(n.val >= 1 && n.val <= 16, "1..NGROUPS groups");
    unsigned groups[16 + 1];
    memset(groups, 0xff, sizeof groups);
    struct xres r = EXPECT_OK(BSD(getgroups, 16, groups), "getgroups(16, buf)");
    CHECK(r.val == n.val, "the list has the counted length");
    CHECK(groups[r.val] == 0xffffffffu, "nothing written past the list");
    CHECK(groups[0] == (unsigned)BSD0(getegid).val, "groups[0] is the effective gid");
    if (n.val > 1) EXPECT_ERR(BSD(getgroups, n.val - 1, groups), EINVAL, "getgroups with a short array");
    EXPECT_ERR(BSD(getgroups, 16, BAD_PTR), EFAULT, "getgroups into a bad pointer");
    return t_done();
}
