/* Calls XNU answers with ENOSYS and no signal (mlockall, munlockall): the process keeps running. */
/* Semantics: xnu bsd/kern/kern_mman.c mlockall(), munlockall(). */
#include "xnu.h"

#include <sys/mman.h>

int main(void) {
    EXPECT_ERR(BSD(mlockall, MCL_CURRENT), ENOSYS, "mlockall(MCL_CURRENT)");
    EXPECT_ERR(BSD(mlockall, MCL_CURRENT | MCL_FUTURE), ENOSYS, "mlockall(MCL_CURRENT|MCL_FUTURE)");
    EXPECT_ERR(BSD(munlockall, 0), ENOSYS, "munlockall");
    CHECK(BSD0(getpid).val > 0, "still running, no SIGSYS");
    return t_done();
}
