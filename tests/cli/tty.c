/* On a real terminal: TIOCGWINSZ reports the size the terminal was given; TIOCGETA returns termios in XNU's
 * layout (tcflag_t is 8 bytes, speeds are plain numbers); TIOCSETA turning ECHO off is read back; TIOCGPGRP is
 * the foreground group. Prints "rows=R cols=C" and exits 0 when the round trips hold.
 * Facts: xnu bsd/sys/ttycom.h, bsd/sys/termios.h. */
#include "xnu.h"

#include <sys/ioctl.h>
#include <termios.h>

int main(void) {
    struct winsize ws = {0};
    if (BSD(ioctl, 0, TIOCGWINSZ, &ws).err) return 1;
    t_printf("rows=%d cols=%d\n", ws.ws_row, ws.ws_col);
    struct termios t, t2;
    if (BSD(ioctl, 0, TIOCGETA, &t).err) return 2;
    if (!(t.c_lflag & ICANON) || !(t.c_lflag & ECHO)) return 3;  /* a fresh terminal is canonical with echo */
    if (t.c_cc[VINTR] != 3 || t.c_cc[VEOF] != 4) return 4;        /* ^C and ^D at XNU's indices */
    if (t.c_ospeed == 0) return 5;
    t2 = t;
    t2.c_lflag &= ~(tcflag_t)ECHO;
    if (BSD(ioctl, 0, TIOCSETA, &t2).err) return 6;
    if (BSD(ioctl, 0, TIOCGETA, &t2).err || (t2.c_lflag & ECHO)) return 7;
    if (BSD(ioctl, 0, TIOCSETAW, &t).err) return 8;
    int pgrp = 0;
    if (BSD(ioctl, 0, TIOCGPGRP, &pgrp).err || pgrp != BSD0(getpid).val) return 9;
    t_printf("termios ok\n");
    return t_done();
}
