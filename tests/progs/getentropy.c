/* getentropy(2): up to 256 bytes, 257 is EINVAL, size 0, bad pointer. */
/* Semantics: xnu bsd/dev/random/randomdev.c getentropy(). */
#include "xnu.h"

int main(void) {
    unsigned char a[300], b[300];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    EXPECT_OK(BSD(getentropy, a, 256), "getentropy 256 bytes");
    EXPECT_OK(BSD(getentropy, b, 256), "getentropy 256 bytes again");
    CHECK(memcmp(a, b, 256) != 0, "two draws differ");
    int nonzero = 0;
    for (int i = 0; i < 256; i++) nonzero += a[i] != 0;
    CHECK(nonzero > 200, "the bytes look random");
    CHECK(a[256] == 0, "nothing written past the size");

    EXPECT_ERR(BSD(getentropy, a, 257), EINVAL, "getentropy 257 bytes");
    EXPECT_ERR(BSD(getentropy, a, ~0UL), EINVAL, "getentropy SIZE_MAX bytes");
    EXPECT_OK(BSD(getentropy, a, 0), "getentropy 0 bytes");
    EXPECT_OK(BSD(getentropy, BAD_PTR, 0), "getentropy 0 bytes to a bad pointer");
    EXPECT_ERR(BSD(getentropy, BAD_PTR, 16), EFAULT, "getentropy into a bad pointer");
    return t_done();
}
