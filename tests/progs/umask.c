/* umask(2) (BSD 60): returns the previous mask, keeps all 12 bits (ALLPERMS), takes a 32-bit argument, and
 * applies to open(O_CREAT) and mkdir. */
#include "xnu.h"

#include <sys/stat.h>

int main(void) {
    struct stat st;
    struct xres r = EXPECT_OK(BSD(umask, 077), "umask 077");
    CHECK((r.val & ~07777) == 0, "the previous mask is a permission mask");
    CHECK(BSD(umask, 022).val == 077, "umask returns 077");
    CHECK(BSD(umask, 07777).val == 022, "umask returns 022");
    CHECK(BSD(umask, 0).val == 07777, "all 12 bits are kept");
    CHECK(BSD(umask, 0177777).val == 0, "umask returns 0");
    CHECK(BSD(umask, 0).val == 07777, "bits above 07777 are dropped");
    CHECK(BSD(umask, 0x1234567800000000L | 027).val == 0, "set 027 with a dirty high half");
    CHECK(BSD(umask, 027).val == 027, "only the low 32 bits counted");

    BSD(close, BSD(open, "f", O_WRONLY | O_CREAT, 0777).val);
    BSD(stat64, "f", &st);
    CHECK(st.st_mode == (S_IFREG | 0750), "open(O_CREAT, 0777) under umask 027");
    BSD(mkdir, "d", 0777);
    BSD(stat64, "d", &st);
    CHECK(st.st_mode == (S_IFDIR | 0750), "mkdir(0777) under umask 027");
    BSD(umask, 0);
    BSD(close, BSD(open, "g", O_WRONLY | O_CREAT, 0777).val);
    BSD(stat64, "g", &st);
    CHECK(st.st_mode == (S_IFREG | 0777), "umask 0 masks nothing");
    BSD(umask, 0777);
    BSD(close, BSD(open, "h", O_WRONLY | O_CREAT, 0777).val);
    BSD(stat64, "h", &st);
    CHECK(st.st_mode == S_IFREG, "umask 0777 masks everything");
    return t_done();
}
