// XNU (macOS x86_64) ABI, part of xnu.hpp: Terminals and ioctl request numbers.
#pragma once

#include "xnu_base.hpp"

namespace xnu {

// ---------------------------------------------------------------------------------------------------------
// Terminals (xnu bsd/sys/termios.h, bsd/sys/ttycom.h, bsd/sys/ttydefaults.h)
// ---------------------------------------------------------------------------------------------------------
// c_cc indices
constexpr int XNU_VEOF = 0;
constexpr int XNU_VEOL = 1;
constexpr int XNU_VEOL2 = 2;
constexpr int XNU_VERASE = 3;
constexpr int XNU_VWERASE = 4;
constexpr int XNU_VKILL = 5;
constexpr int XNU_VREPRINT = 6;
// 7 is a spare slot
constexpr int XNU_VINTR = 8;
constexpr int XNU_VQUIT = 9;
constexpr int XNU_VSUSP = 10;
constexpr int XNU_VDSUSP = 11;
constexpr int XNU_VSTART = 12;
constexpr int XNU_VSTOP = 13;
constexpr int XNU_VLNEXT = 14;
constexpr int XNU_VDISCARD = 15;
constexpr int XNU_VMIN = 16;
constexpr int XNU_VTIME = 17;
constexpr int XNU_VSTATUS = 18;
// 19 is a spare slot
constexpr int XNU_NCCS = 20;
constexpr cc_t XNU_POSIX_VDISABLE = 0xff;  // _POSIX_VDISABLE (Linux uses 0)

// c_iflag
constexpr tcflag_t XNU_IGNBRK = 0x00000001;
constexpr tcflag_t XNU_BRKINT = 0x00000002;
constexpr tcflag_t XNU_IGNPAR = 0x00000004;
constexpr tcflag_t XNU_PARMRK = 0x00000008;
constexpr tcflag_t XNU_INPCK = 0x00000010;
constexpr tcflag_t XNU_ISTRIP = 0x00000020;
constexpr tcflag_t XNU_INLCR = 0x00000040;
constexpr tcflag_t XNU_IGNCR = 0x00000080;
constexpr tcflag_t XNU_ICRNL = 0x00000100;
constexpr tcflag_t XNU_IXON = 0x00000200;
constexpr tcflag_t XNU_IXOFF = 0x00000400;
constexpr tcflag_t XNU_IXANY = 0x00000800;
constexpr tcflag_t XNU_IMAXBEL = 0x00002000;
constexpr tcflag_t XNU_IUTF8 = 0x00004000;

// c_oflag
constexpr tcflag_t XNU_OPOST = 0x00000001;
constexpr tcflag_t XNU_ONLCR = 0x00000002;
constexpr tcflag_t XNU_OXTABS = 0x00000004;  // same bit as TAB3
constexpr tcflag_t XNU_ONOEOT = 0x00000008;
constexpr tcflag_t XNU_OCRNL = 0x00000010;
constexpr tcflag_t XNU_ONOCR = 0x00000020;
constexpr tcflag_t XNU_ONLRET = 0x00000040;
constexpr tcflag_t XNU_OFILL = 0x00000080;
constexpr tcflag_t XNU_NLDLY = 0x00000300;
constexpr tcflag_t XNU_TABDLY = 0x00000c04;  // TAB1/TAB2 at 0x400/0x800, TAB3 at bit 2
constexpr tcflag_t XNU_CRDLY = 0x00003000;
constexpr tcflag_t XNU_FFDLY = 0x00004000;
constexpr tcflag_t XNU_BSDLY = 0x00008000;
constexpr tcflag_t XNU_VTDLY = 0x00010000;
constexpr tcflag_t XNU_OFDEL = 0x00020000;
constexpr tcflag_t XNU_NL0 = 0x00000000;
constexpr tcflag_t XNU_NL1 = 0x00000100;
constexpr tcflag_t XNU_NL2 = 0x00000200;
constexpr tcflag_t XNU_NL3 = 0x00000300;
constexpr tcflag_t XNU_TAB0 = 0x00000000;
constexpr tcflag_t XNU_TAB1 = 0x00000400;
constexpr tcflag_t XNU_TAB2 = 0x00000800;
constexpr tcflag_t XNU_TAB3 = 0x00000004;
constexpr tcflag_t XNU_CR0 = 0x00000000;
constexpr tcflag_t XNU_CR1 = 0x00001000;
constexpr tcflag_t XNU_CR2 = 0x00002000;
constexpr tcflag_t XNU_CR3 = 0x00003000;
constexpr tcflag_t XNU_FF0 = 0x00000000;
constexpr tcflag_t XNU_FF1 = 0x00004000;
constexpr tcflag_t XNU_BS0 = 0x00000000;
constexpr tcflag_t XNU_BS1 = 0x00008000;
constexpr tcflag_t XNU_VT0 = 0x00000000;
constexpr tcflag_t XNU_VT1 = 0x00010000;

// c_cflag (the speed lives in c_ispeed/c_ospeed, not here)
constexpr tcflag_t XNU_CIGNORE = 0x00000001;
constexpr tcflag_t XNU_CSIZE = 0x00000300;
constexpr tcflag_t XNU_CS5 = 0x00000000;
constexpr tcflag_t XNU_CS6 = 0x00000100;
constexpr tcflag_t XNU_CS7 = 0x00000200;
constexpr tcflag_t XNU_CS8 = 0x00000300;
constexpr tcflag_t XNU_CSTOPB = 0x00000400;
constexpr tcflag_t XNU_CREAD = 0x00000800;
constexpr tcflag_t XNU_PARENB = 0x00001000;
constexpr tcflag_t XNU_PARODD = 0x00002000;
constexpr tcflag_t XNU_HUPCL = 0x00004000;
constexpr tcflag_t XNU_CLOCAL = 0x00008000;
constexpr tcflag_t XNU_CCTS_OFLOW = 0x00010000;
constexpr tcflag_t XNU_CRTS_IFLOW = 0x00020000;
constexpr tcflag_t XNU_CRTSCTS = XNU_CCTS_OFLOW | XNU_CRTS_IFLOW;
constexpr tcflag_t XNU_CDTR_IFLOW = 0x00040000;
constexpr tcflag_t XNU_CDSR_OFLOW = 0x00080000;
constexpr tcflag_t XNU_CCAR_OFLOW = 0x00100000;
constexpr tcflag_t XNU_MDMBUF = XNU_CCAR_OFLOW;

// c_lflag
constexpr tcflag_t XNU_ECHOKE = 0x00000001;
constexpr tcflag_t XNU_ECHOE = 0x00000002;
constexpr tcflag_t XNU_ECHOK = 0x00000004;
constexpr tcflag_t XNU_ECHO = 0x00000008;
constexpr tcflag_t XNU_ECHONL = 0x00000010;
constexpr tcflag_t XNU_ECHOPRT = 0x00000020;
constexpr tcflag_t XNU_ECHOCTL = 0x00000040;
constexpr tcflag_t XNU_ISIG = 0x00000080;
constexpr tcflag_t XNU_ICANON = 0x00000100;
constexpr tcflag_t XNU_ALTWERASE = 0x00000200;
constexpr tcflag_t XNU_IEXTEN = 0x00000400;
constexpr tcflag_t XNU_EXTPROC = 0x00000800;
constexpr tcflag_t XNU_TOSTOP = 0x00400000;
constexpr tcflag_t XNU_FLUSHO = 0x00800000;
constexpr tcflag_t XNU_NOKERNINFO = 0x02000000;
constexpr tcflag_t XNU_PENDIN = 0x20000000;
constexpr tcflag_t XNU_NOFLSH = 0x80000000;

// tcsetattr actions and tcflush/tcflow arguments
constexpr int XNU_TCSANOW = 0;
constexpr int XNU_TCSADRAIN = 1;
constexpr int XNU_TCSAFLUSH = 2;
constexpr int XNU_TCSASOFT = 0x10;
constexpr int XNU_TCIFLUSH = 1;
constexpr int XNU_TCOFLUSH = 2;
constexpr int XNU_TCIOFLUSH = 3;
constexpr int XNU_TCOOFF = 1;
constexpr int XNU_TCOON = 2;
constexpr int XNU_TCIOFF = 3;
constexpr int XNU_TCION = 4;

// Speeds are plain bits-per-second numbers (B9600 == 9600), so any value is representable.
constexpr speed_t XNU_B0 = 0;
constexpr speed_t XNU_B9600 = 9600;
constexpr speed_t XNU_B38400 = 38400;
constexpr speed_t XNU_B115200 = 115200;
constexpr speed_t XNU_B230400 = 230400;

// unsigned long flags make this 72 bytes, not the 60 of Linux's glibc struct termios.
struct termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_cc[XNU_NCCS];
    std::uint8_t pad_[4];  // alignment padding before the speeds
    speed_t c_ispeed;
    speed_t c_ospeed;
};
static_assert(sizeof(termios) == 72);
static_assert(offsetof(termios, c_iflag) == 0);
static_assert(offsetof(termios, c_oflag) == 8);
static_assert(offsetof(termios, c_cflag) == 16);
static_assert(offsetof(termios, c_lflag) == 24);
static_assert(offsetof(termios, c_cc) == 32);
static_assert(offsetof(termios, c_ispeed) == 56);
static_assert(offsetof(termios, c_ospeed) == 64);

struct winsize {
    std::uint16_t ws_row;
    std::uint16_t ws_col;
    std::uint16_t ws_xpixel;
    std::uint16_t ws_ypixel;
};
static_assert(sizeof(winsize) == 8);
static_assert(offsetof(winsize, ws_row) == 0);
static_assert(offsetof(winsize, ws_col) == 2);
static_assert(offsetof(winsize, ws_xpixel) == 4);
static_assert(offsetof(winsize, ws_ypixel) == 6);

// Line disciplines (TIOCGETD/TIOCSETD)
constexpr int XNU_TTYDISC = 0;
constexpr int XNU_TABLDISC = 3;
constexpr int XNU_SLIPDISC = 4;
constexpr int XNU_PPPDISC = 5;

// Modem control bits (TIOCMGET/TIOCMSET)
constexpr int XNU_TIOCM_LE = 0001;
constexpr int XNU_TIOCM_DTR = 0002;
constexpr int XNU_TIOCM_RTS = 0004;
constexpr int XNU_TIOCM_ST = 0010;
constexpr int XNU_TIOCM_SR = 0020;
constexpr int XNU_TIOCM_CTS = 0040;
constexpr int XNU_TIOCM_CAR = 0100;
constexpr int XNU_TIOCM_RNG = 0200;
constexpr int XNU_TIOCM_DSR = 0400;

// ---------------------------------------------------------------------------------------------------------
// ioctl request encoding (xnu bsd/sys/ioccom.h): dir(3 bits) | len(13 bits) << 16 | group << 8 | num
// ---------------------------------------------------------------------------------------------------------
constexpr std::uint32_t XNU_IOCPARM_MASK = 0x1fff;
constexpr std::uint32_t XNU_IOC_VOID = 0x20000000;
constexpr std::uint32_t XNU_IOC_OUT = 0x40000000;
constexpr std::uint32_t XNU_IOC_IN = 0x80000000;
constexpr std::uint32_t XNU_IOC_INOUT = XNU_IOC_IN | XNU_IOC_OUT;
constexpr std::uint32_t XNU_IOC_DIRMASK = 0xe0000000;

constexpr std::uint32_t ioc(std::uint32_t dir, char group, std::uint32_t num, std::size_t len) {
    return dir | ((static_cast<std::uint32_t>(len) & XNU_IOCPARM_MASK) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(group)) << 8) | num;
}
constexpr std::uint32_t io(char g, std::uint32_t n) { return ioc(XNU_IOC_VOID, g, n, 0); }
constexpr std::uint32_t ior(char g, std::uint32_t n, std::size_t len) { return ioc(XNU_IOC_OUT, g, n, len); }
constexpr std::uint32_t iow(char g, std::uint32_t n, std::size_t len) { return ioc(XNU_IOC_IN, g, n, len); }
constexpr std::uint32_t iowr(char g, std::uint32_t n, std::size_t len) { return ioc(XNU_IOC_INOUT, g, n, len); }
constexpr std::uint32_t ioc_len(std::uint64_t request) { return (request >> 16) & XNU_IOCPARM_MASK; }
constexpr std::uint32_t ioc_dir(std::uint64_t request) { return request & XNU_IOC_DIRMASK; }

// bsd/sys/ttycom.h
constexpr std::uint32_t XNU_TIOCMODG = ior('t', 3, sizeof(int));
constexpr std::uint32_t XNU_TIOCMODS = iow('t', 4, sizeof(int));
constexpr std::uint32_t XNU_TIOCEXCL = io('t', 13);
constexpr std::uint32_t XNU_TIOCNXCL = io('t', 14);
constexpr std::uint32_t XNU_TIOCFLUSH = iow('t', 16, sizeof(int));
constexpr std::uint32_t XNU_TIOCGETA = ior('t', 19, sizeof(termios));
constexpr std::uint32_t XNU_TIOCSETA = iow('t', 20, sizeof(termios));
constexpr std::uint32_t XNU_TIOCSETAW = iow('t', 21, sizeof(termios));
constexpr std::uint32_t XNU_TIOCSETAF = iow('t', 22, sizeof(termios));
constexpr std::uint32_t XNU_TIOCGETD = ior('t', 26, sizeof(int));
constexpr std::uint32_t XNU_TIOCSETD = iow('t', 27, sizeof(int));
constexpr std::uint32_t XNU_TIOCIXON = io('t', 129);
constexpr std::uint32_t XNU_TIOCIXOFF = io('t', 128);
constexpr std::uint32_t XNU_TIOCSBRK = io('t', 123);
constexpr std::uint32_t XNU_TIOCCBRK = io('t', 122);
constexpr std::uint32_t XNU_TIOCSDTR = io('t', 121);
constexpr std::uint32_t XNU_TIOCCDTR = io('t', 120);
constexpr std::uint32_t XNU_TIOCGPGRP = ior('t', 119, sizeof(int));
constexpr std::uint32_t XNU_TIOCSPGRP = iow('t', 118, sizeof(int));
constexpr std::uint32_t XNU_TIOCOUTQ = ior('t', 115, sizeof(int));
constexpr std::uint32_t XNU_TIOCSTI = iow('t', 114, sizeof(char));
constexpr std::uint32_t XNU_TIOCNOTTY = io('t', 113);
constexpr std::uint32_t XNU_TIOCPKT = iow('t', 112, sizeof(int));
constexpr std::uint32_t XNU_TIOCSTOP = io('t', 111);
constexpr std::uint32_t XNU_TIOCSTART = io('t', 110);
constexpr std::uint32_t XNU_TIOCMSET = iow('t', 109, sizeof(int));
constexpr std::uint32_t XNU_TIOCMBIS = iow('t', 108, sizeof(int));
constexpr std::uint32_t XNU_TIOCMBIC = iow('t', 107, sizeof(int));
constexpr std::uint32_t XNU_TIOCMGET = ior('t', 106, sizeof(int));
constexpr std::uint32_t XNU_TIOCGWINSZ = ior('t', 104, sizeof(winsize));
constexpr std::uint32_t XNU_TIOCSWINSZ = iow('t', 103, sizeof(winsize));
constexpr std::uint32_t XNU_TIOCUCNTL = iow('t', 102, sizeof(int));
constexpr std::uint32_t XNU_TIOCSTAT = io('t', 101);
constexpr std::uint32_t XNU_TIOCSCONS = io('t', 99);
constexpr std::uint32_t XNU_TIOCCONS = iow('t', 98, sizeof(int));
constexpr std::uint32_t XNU_TIOCSCTTY = io('t', 97);
constexpr std::uint32_t XNU_TIOCEXT = iow('t', 96, sizeof(int));
constexpr std::uint32_t XNU_TIOCSIG = io('t', 95);
constexpr std::uint32_t XNU_TIOCDRAIN = io('t', 94);
constexpr std::uint32_t XNU_TIOCMSDTRWAIT = iow('t', 91, sizeof(int));
constexpr std::uint32_t XNU_TIOCMGDTRWAIT = ior('t', 90, sizeof(int));
constexpr std::uint32_t XNU_TIOCTIMESTAMP = ior('t', 89, sizeof(timeval));
constexpr std::uint32_t XNU_TIOCDCDTIMESTAMP = ior('t', 88, sizeof(timeval));
constexpr std::uint32_t XNU_TIOCSDRAINWAIT = iow('t', 87, sizeof(int));
constexpr std::uint32_t XNU_TIOCGDRAINWAIT = ior('t', 86, sizeof(int));
constexpr std::uint32_t XNU_TIOCDSIMICROCODE = io('t', 85);
constexpr std::uint32_t XNU_TIOCPTYGRANT = io('t', 84);                    // grantpt(3)
constexpr std::uint32_t XNU_TIOCPTYGNAME = ioc(XNU_IOC_OUT, 't', 83, 128);  // ptsname(3): 128-byte buffer
constexpr std::uint32_t XNU_TIOCPTYUNLK = io('t', 82);                     // unlockpt(3)
constexpr std::uint32_t XNU_TIOCREVOKE = io('t', 81);        // private
constexpr std::uint32_t XNU_TIOCREVOKECLEAR = io('t', 80);   // private
// bsd/sys/ioctl_compat.h (not part of the modern API, kept for old binaries)
constexpr std::uint32_t XNU_TIOCGSID = ior('t', 99, sizeof(int));
// There is no TIOCISATTY on XNU: isatty(3) is a TIOCGETA that succeeds.

// bsd/sys/filio.h
constexpr std::uint32_t XNU_FIOCLEX = io('f', 1);
constexpr std::uint32_t XNU_FIONCLEX = io('f', 2);
constexpr std::uint32_t XNU_FIONREAD = ior('f', 127, sizeof(int));
constexpr std::uint32_t XNU_FIONBIO = iow('f', 126, sizeof(int));
constexpr std::uint32_t XNU_FIOASYNC = iow('f', 125, sizeof(int));
constexpr std::uint32_t XNU_FIOSETOWN = iow('f', 124, sizeof(int));
constexpr std::uint32_t XNU_FIOGETOWN = ior('f', 123, sizeof(int));
constexpr std::uint32_t XNU_FIODTYPE = ior('f', 122, sizeof(int));

static_assert(XNU_TIOCGWINSZ == 0x40087468);
static_assert(XNU_TIOCSWINSZ == 0x80087467);
static_assert(XNU_TIOCGETA == 0x40487413);
static_assert(XNU_TIOCSETA == 0x80487414);
static_assert(XNU_TIOCPTYGNAME == 0x40807453);
static_assert(XNU_FIONREAD == 0x4004667f);
static_assert(XNU_FIONBIO == 0x8004667e);

}  // namespace xnu
