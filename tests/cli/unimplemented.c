/* Calls an XNU BSD syscall macrun does not implement (getattrlist, 220) twice: ENOSYS both times, one message. */
#include "xnu.h"

int main(void) {
    struct xres a = xsys6(SYSCALL_CLASS_UNIX | 220, 0, 0, 0, 0, 0, 0);
    struct xres b = xsys6(SYSCALL_CLASS_UNIX | 220, 0, 0, 0, 0, 0, 0);
    return (a.err == ENOSYS && b.err == ENOSYS) ? 0 : 1;
}
