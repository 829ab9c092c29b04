// Unit tests for base/abi: XNU ABI layouts and the Linux <-> XNU translation tables; also the names the tracer
// prints with (syscalls/trace_names).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/abi/translate.hpp"
#include "base/abi/xnu.hpp"
#include "syscalls/trace_names.hpp"

namespace {

// A private temporary directory, removed with its files at scope exit.
struct TempDir {
    char path[64] = "/tmp/macrun-translate-XXXXXX";
    TempDir() { REQUIRE(mkdtemp(path) != nullptr); }
    ~TempDir() {
        std::string cmd = std::string("rm -rf ") + path;
        (void)!system(cmd.c_str());
    }
    std::string file(const char* name) const { return std::string(path) + "/" + name; }
};

std::string fmt(int (*f)(int, char*, std::size_t), int v) {
    char buf[256];
    int n = f(v, buf, sizeof buf);
    CHECK(n == static_cast<int>(std::strlen(buf)));
    return buf;
}

}  // namespace

TEST_CASE("xnu ABI layouts") {
    CHECK(sizeof(xnu::stat64) == 144);
    CHECK(sizeof(xnu::stat) == 120);
    CHECK(sizeof(xnu::kinfo_proc) == 648);
    CHECK(sizeof(xnu::termios) == 72);
    CHECK(sizeof(xnu::timeval) == 16);
    CHECK(sizeof(xnu::rusage) == 144);
    CHECK(sizeof(xnu::flock) == 24);
    CHECK(sizeof(xnu::proc_bsdinfo) == 136);
    CHECK(sizeof(xnu::proc_taskinfo) == 96);
    CHECK(xnu::XNU_TIOCGWINSZ == 0x40087468u);
    CHECK(xnu::XNU_TIOCGETA == 0x40487413u);
    CHECK(xnu::dirent64_reclen(1) == 32);
    CHECK(xnu::dirent64_reclen(255) % 8 == 0);
    CHECK(xnu::XNU_RLIM_INFINITY == 0x7fffffffffffffffull);
}

TEST_CASE("errno_to_xnu") {
    CHECK(xlate::errno_to_xnu(0) == 0);
    CHECK(xlate::errno_to_xnu(EPERM) == 1);
    CHECK(xlate::errno_to_xnu(ENOENT) == 2);
    CHECK(xlate::errno_to_xnu(EAGAIN) == 35);
    CHECK(xlate::errno_to_xnu(EWOULDBLOCK) == 35);
    CHECK(xlate::errno_to_xnu(EDEADLK) == 11);
    CHECK(xlate::errno_to_xnu(ENAMETOOLONG) == 63);
    CHECK(xlate::errno_to_xnu(ENOLCK) == 77);
    CHECK(xlate::errno_to_xnu(ENOSYS) == 78);
    CHECK(xlate::errno_to_xnu(ENOTEMPTY) == 66);
    CHECK(xlate::errno_to_xnu(ELOOP) == 62);
    CHECK(xlate::errno_to_xnu(ENOTSOCK) == 38);
    CHECK(xlate::errno_to_xnu(EOPNOTSUPP) == 45);
    CHECK(xlate::errno_to_xnu(ENOTSUP) == 45);
    CHECK(xlate::errno_to_xnu(ETIMEDOUT) == 60);
    CHECK(xlate::errno_to_xnu(ECONNREFUSED) == 61);
    CHECK(xlate::errno_to_xnu(EINPROGRESS) == 36);
    CHECK(xlate::errno_to_xnu(EOVERFLOW) == 84);
    CHECK(xlate::errno_to_xnu(ECANCELED) == 89);
    CHECK(xlate::errno_to_xnu(EILSEQ) == 92);
    CHECK(xlate::errno_to_xnu(ENODATA) == xnu::XNU_ENOATTR);
    CHECK(xlate::errno_to_xnu(EOWNERDEAD) == 105);
    CHECK(xlate::errno_to_xnu(EHWPOISON) == xnu::XNU_EIO);

    // Errnos 1..34 other than EAGAIN keep their number.
    for (int e = 1; e <= 34; ++e)
        if (e != EAGAIN) CHECK(xlate::errno_to_xnu(e) == e);
    // Total: every Linux errno lands on a real XNU errno.
    for (int e = 1; e <= 133; ++e) {
        const int x = xlate::errno_to_xnu(e);
        CHECK(x >= 1);
        CHECK(x <= xnu::XNU_ELAST);
        CHECK(xnu_sys::xnu_errno_name(x) != nullptr);
    }
    CHECK(xlate::errno_to_xnu(134) == xnu::XNU_EIO);
    CHECK(xlate::errno_to_xnu(512) == xnu::XNU_EIO);
    CHECK(xlate::errno_to_xnu(-2) == xnu::XNU_EIO);
}

TEST_CASE("xnu_errno_name") {
    CHECK(std::string(xnu_sys::xnu_errno_name(2)) == "ENOENT");
    CHECK(std::string(xnu_sys::xnu_errno_name(35)) == "EAGAIN");
    CHECK(std::string(xnu_sys::xnu_errno_name(45)) == "ENOTSUP");
    CHECK(std::string(xnu_sys::xnu_errno_name(102)) == "EOPNOTSUPP");
    CHECK(std::string(xnu_sys::xnu_errno_name(106)) == "EQFULL");
    CHECK(std::string(xnu_sys::xnu_errno_name(xnu::XNU_ERESTART)) == "ERESTART");
    CHECK(std::string(xnu_sys::xnu_errno_name(xnu::XNU_EJUSTRETURN)) == "EJUSTRETURN");
    CHECK(xnu_sys::xnu_errno_name(0) == nullptr);
    CHECK(xnu_sys::xnu_errno_name(107) == nullptr);
}

TEST_CASE("signals") {
    CHECK(xlate::signal_to_xnu(SIGBUS) == 10);
    CHECK(xlate::signal_to_xnu(SIGUSR1) == 30);
    CHECK(xlate::signal_to_xnu(SIGUSR2) == 31);
    CHECK(xlate::signal_to_xnu(SIGSYS) == 12);
    CHECK(xlate::signal_to_xnu(SIGCHLD) == 20);
    CHECK(xlate::signal_to_xnu(SIGSTOP) == 17);
    CHECK(xlate::signal_to_xnu(SIGTSTP) == 18);
    CHECK(xlate::signal_to_xnu(SIGCONT) == 19);
    CHECK(xlate::signal_to_xnu(SIGIO) == 23);
    CHECK(xlate::signal_to_xnu(SIGURG) == 16);
    CHECK(xlate::signal_to_xnu(SIGINT) == 2);
    CHECK(xlate::signal_to_xnu(SIGPWR) == 0);
    CHECK(xlate::signal_to_xnu(SIGSTKFLT) == 0);
    CHECK(xlate::signal_to_xnu(SIGRTMIN) == 0);
    CHECK(xlate::signal_to_xnu(64) == 0);
    CHECK(xlate::signal_to_xnu(0) == 0);
    CHECK(xlate::signal_to_linux(xnu::XNU_SIGEMT) == 0);
    CHECK(xlate::signal_to_linux(xnu::XNU_SIGINFO) == 0);
    CHECK(xlate::signal_to_linux(32) == 0);

    int paired = 0;
    for (int s = 1; s < 32; ++s) {
        const int x = xlate::signal_to_xnu(s);
        if (x == 0) continue;
        ++paired;
        CHECK(xlate::signal_to_linux(x) == s);
        CHECK(xnu_sys::xnu_signal_name(x) != nullptr);
        // glibc's name and ours agree for every shared signal (glibc calls SIGIO by its alias POLL)
        if (s != SIGIO) CHECK(std::string(xnu_sys::xnu_signal_name(x)).substr(3) == std::string(sigabbrev_np(s)));
    }
    CHECK(paired == 29);
    CHECK(std::string(xnu_sys::xnu_signal_name(29)) == "SIGINFO");
    CHECK(xnu_sys::xnu_signal_name(0) == nullptr);
    CHECK(xnu_sys::xnu_signal_name(32) == nullptr);
}

TEST_CASE("signal masks") {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGPWR);  // no XNU equivalent: dropped
    std::uint64_t linux_mask = 0;
    std::memcpy(&linux_mask, &set, sizeof linux_mask);  // the first 64 bits are the kernel's sigset
    CHECK(xlate::sigmask_to_xnu(linux_mask) == ((1u << (20 - 1)) | (1u << (30 - 1))));

    const std::uint32_t xnu_all = 0x7fffffffu;  // signals 1..31
    const std::uint64_t back = xlate::sigmask_to_linux(xnu_all);
    for (int s = 1; s <= 64; ++s) {
        const bool set_in_back = back & (std::uint64_t{1} << (s - 1));
        CHECK(set_in_back == (xlate::signal_to_xnu(s) != 0));
    }
    CHECK(xlate::sigmask_to_xnu(back) == (xnu_all & ~((1u << (7 - 1)) | (1u << (29 - 1)))));  // minus EMT, INFO
}

TEST_CASE("open flags") {
    int lf = 0;
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_WRONLY | xnu::XNU_O_CREAT | xnu::XNU_O_TRUNC, &lf));
    CHECK(lf == (O_WRONLY | O_CREAT | O_TRUNC));
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_RDONLY | xnu::XNU_O_DIRECTORY | xnu::XNU_O_CLOEXEC |
                                       xnu::XNU_O_NOFOLLOW | xnu::XNU_O_NONBLOCK,
                                   &lf));
    CHECK(lf == (O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_RDWR | xnu::XNU_O_EXCL | xnu::XNU_O_CREAT | xnu::XNU_O_APPEND |
                                       xnu::XNU_O_NOCTTY,
                                   &lf));
    CHECK(lf == (O_RDWR | O_EXCL | O_CREAT | O_APPEND | O_NOCTTY));
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_WRONLY | xnu::XNU_O_SYNC, &lf));
    CHECK(lf == (O_WRONLY | O_SYNC));
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_WRONLY | xnu::XNU_O_DSYNC, &lf));
    CHECK(lf == (O_WRONLY | O_DSYNC));
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_RDONLY | xnu::XNU_O_SHLOCK, &lf));  // flock is the caller's job
    CHECK(lf == O_RDONLY);
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_SEARCH, &lf));
    CHECK(lf == (O_PATH | O_DIRECTORY));

    CHECK_FALSE(xlate::oflags_to_linux(0x2000, &lf));              // unassigned bit
    CHECK_FALSE(xlate::oflags_to_linux(0x10000000, &lf));          // unassigned bit
    CHECK_FALSE(xlate::oflags_to_linux(xnu::XNU_O_ACCMODE, &lf));  // access mode 3
    CHECK_FALSE(xlate::oflags_to_linux(xnu::XNU_O_EXEC | xnu::XNU_O_RDWR, &lf));
    CHECK_FALSE(xlate::oflags_to_linux(xnu::XNU_O_NOFOLLOW_ANY, &lf));

    // A real open through the translated flags, then F_GETFL back into XNU terms.
    TempDir dir;
    const std::string path = dir.file("f");
    REQUIRE(xlate::oflags_to_linux(xnu::XNU_O_RDWR | xnu::XNU_O_CREAT | xnu::XNU_O_EXCL | xnu::XNU_O_APPEND |
                                       xnu::XNU_O_NONBLOCK | xnu::XNU_O_CLOEXEC,
                                   &lf));
    const int fd = open(path.c_str(), lf, 0600);
    REQUIRE(fd >= 0);
    CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    const int getfl = fcntl(fd, F_GETFL);
    // The kernel adds its O_LARGEFILE (0100000; glibc's O_LARGEFILE is 0 on x86_64). The same bit is
    // XNU's O_EVTONLY, so it must not leak through.
    CHECK((getfl & 0100000) != 0);
    CHECK(xlate::oflags_to_xnu(getfl) == (xnu::XNU_O_RDWR | xnu::XNU_O_APPEND | xnu::XNU_O_NONBLOCK));
    close(fd);
    CHECK(open(path.c_str(), lf, 0600) == -1);
    CHECK(xlate::errno_to_xnu(errno) == xnu::XNU_EEXIST);

    CHECK(xlate::oflags_to_xnu(O_WRONLY | O_SYNC) == (xnu::XNU_O_WRONLY | xnu::XNU_O_SYNC));
    CHECK(xlate::oflags_to_xnu(O_WRONLY | O_DSYNC) == (xnu::XNU_O_WRONLY | xnu::XNU_O_DSYNC));
}

TEST_CASE("mmap flags and protections") {
    int lp = 0, lf = 0;
    REQUIRE(xlate::prot_to_linux(xnu::XNU_PROT_READ | xnu::XNU_PROT_WRITE, &lp));
    CHECK(lp == (PROT_READ | PROT_WRITE));
    REQUIRE(xlate::prot_to_linux(xnu::XNU_PROT_NONE, &lp));
    CHECK(lp == PROT_NONE);
    CHECK_FALSE(xlate::prot_to_linux(0x10, &lp));

    REQUIRE(xlate::mapflags_to_linux(xnu::XNU_MAP_PRIVATE | xnu::XNU_MAP_ANON | xnu::XNU_MAP_JIT, &lf));
    CHECK(lf == (MAP_PRIVATE | MAP_ANONYMOUS));
    REQUIRE(xlate::mapflags_to_linux(xnu::XNU_MAP_SHARED | xnu::XNU_MAP_FIXED | xnu::XNU_MAP_NOCACHE, &lf));
    CHECK(lf == (MAP_SHARED | MAP_FIXED));
    REQUIRE(xlate::mapflags_to_linux(xnu::XNU_MAP_SHARED | xnu::XNU_MAP_PRIVATE, &lf));
    CHECK(lf == MAP_SHARED);  // never MAP_SHARED_VALIDATE
    REQUIRE(xlate::mapflags_to_linux(xnu::XNU_MAP_ANON | xnu::XNU_MAP_NORESERVE, &lf));
    CHECK(lf == (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE));

    CHECK_FALSE(xlate::mapflags_to_linux(xnu::XNU_MAP_ANON | xnu::XNU_MAP_UNIX03, &lf));
    CHECK_FALSE(xlate::mapflags_to_linux(xnu::XNU_MAP_PRIVATE | xnu::XNU_MAP_ANON | 0x10000, &lf));
    CHECK_FALSE(xlate::mapflags_to_linux(xnu::XNU_MAP_PRIVATE | xnu::XNU_MAP_ANON | xnu::XNU_MAP_JIT |
                                             xnu::XNU_MAP_FIXED,
                                         &lf));
    CHECK_FALSE(xlate::mapflags_to_linux(xnu::XNU_MAP_SHARED | xnu::XNU_MAP_JIT | xnu::XNU_MAP_ANON, &lf));

    // What libc's mmap(NULL, n, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANON, -1, 0) sends.
    REQUIRE(xlate::prot_to_linux(xnu::XNU_PROT_READ | xnu::XNU_PROT_WRITE, &lp));
    REQUIRE(xlate::mapflags_to_linux(xnu::XNU_MAP_PRIVATE | xnu::XNU_MAP_ANON | xnu::XNU_MAP_UNIX03, &lf));
    void* p = mmap(nullptr, 4096, lp, lf, -1, 0);
    REQUIRE(p != MAP_FAILED);
    static_cast<char*>(p)[4095] = 1;
    munmap(p, 4096);
}

TEST_CASE("at flags") {
    int lf = 0;
    REQUIRE(xlate::atflags_to_linux(0, &lf));
    CHECK(lf == 0);
    REQUIRE(xlate::atflags_to_linux(xnu::XNU_AT_SYMLINK_NOFOLLOW, &lf));
    CHECK(lf == AT_SYMLINK_NOFOLLOW);
    REQUIRE(xlate::atflags_to_linux(xnu::XNU_AT_SYMLINK_FOLLOW, &lf));
    CHECK(lf == AT_SYMLINK_FOLLOW);
    REQUIRE(xlate::atflags_to_linux(xnu::XNU_AT_REMOVEDIR, &lf));
    CHECK(lf == AT_REMOVEDIR);
    REQUIRE(xlate::atflags_to_linux(xnu::XNU_AT_EACCESS, &lf));
    CHECK(lf == AT_EACCESS);
    REQUIRE(xlate::atflags_to_linux(xnu::XNU_AT_FDONLY | xnu::XNU_AT_REALDEV, &lf));
    CHECK(lf == AT_EMPTY_PATH);
    CHECK_FALSE(xlate::atflags_to_linux(xnu::XNU_AT_SYMLINK_NOFOLLOW_ANY, &lf));
    CHECK_FALSE(xlate::atflags_to_linux(0x4000, &lf));
    CHECK_FALSE(xlate::atflags_to_linux(0x1, &lf));
}

TEST_CASE("stat_to_xnu of a real file") {
    TempDir dir;
    const std::string path = dir.file("data");
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, 0640);
    REQUIRE(fd >= 0);
    char block[1234];
    std::memset(block, 'x', sizeof block);
    REQUIRE(write(fd, block, sizeof block) == static_cast<ssize_t>(sizeof block));
    REQUIRE(fchmod(fd, 0640) == 0);
    REQUIRE(link(path.c_str(), dir.file("second").c_str()) == 0);
    struct stat st;
    REQUIRE(fstat(fd, &st) == 0);
    close(fd);

    xnu::stat64 x;
    std::memset(&x, 0xa5, sizeof x);
    xlate::stat_to_xnu(st, x);
    CHECK(x.st_mode == (xnu::XNU_S_IFREG | 0640));
    CHECK(x.st_nlink == 2);
    CHECK(x.st_ino == st.st_ino);
    CHECK(x.st_uid == getuid());
    CHECK(x.st_gid == st.st_gid);
    CHECK(x.st_size == 1234);
    CHECK(x.st_blocks == st.st_blocks);
    CHECK(x.st_blksize == st.st_blksize);
    CHECK(x.st_mtimespec.tv_sec == st.st_mtim.tv_sec);
    CHECK(x.st_mtimespec.tv_nsec == st.st_mtim.tv_nsec);
    CHECK(x.st_atimespec.tv_sec == st.st_atim.tv_sec);
    CHECK(x.st_ctimespec.tv_nsec == st.st_ctim.tv_nsec);
    const bool birth_not_after_mtime =
        x.st_birthtimespec.tv_sec < x.st_mtimespec.tv_sec ||
        (x.st_birthtimespec.tv_sec == x.st_mtimespec.tv_sec && x.st_birthtimespec.tv_nsec <= x.st_mtimespec.tv_nsec);
    CHECK(birth_not_after_mtime);
    CHECK(xnu::dev_major(x.st_dev) == (major(st.st_dev) & 0xff));
    CHECK(xnu::dev_minor(x.st_dev) == (minor(st.st_dev) & 0xffffff));
    CHECK(x.st_flags == 0);
    CHECK(x.st_gen == 0);
    CHECK(x.pad0_ == 0);
    CHECK(x.st_lspare == 0);
    CHECK(x.st_qspare[0] == 0);
    CHECK(x.st_qspare[1] == 0);

    xnu::stat old;
    xlate::stat_to_xnu_old(st, old);
    CHECK(old.st_ino == static_cast<std::uint32_t>(st.st_ino));
    CHECK(old.st_size == 1234);
    CHECK(old.st_mode == x.st_mode);
    CHECK(old.st_mtimespec.tv_sec == x.st_mtimespec.tv_sec);

    struct stat null_st;
    REQUIRE(stat("/dev/null", &null_st) == 0);
    xlate::stat_to_xnu(null_st, x);
    CHECK((x.st_mode & xnu::XNU_S_IFMT) == xnu::XNU_S_IFCHR);
    CHECK(x.st_rdev == xnu::make_dev(1, 3));  // mem major 1, null minor 3
    CHECK(static_cast<std::uint32_t>(x.st_rdev) == 0x01000003u);
}

TEST_CASE("termios round trip") {
    // A real terminal's settings: a fresh pty, as tcgetattr() reports them.
    struct termios t;
    const int master = posix_openpt(O_RDWR | O_NOCTTY);
    int slave = -1;
    if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0) slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    if (slave >= 0) {
        REQUIRE(tcgetattr(slave, &t) == 0);
    } else {
        MESSAGE("no pty available; using synthesized default settings");
        std::memset(&t, 0, sizeof t);
        t.c_iflag = ICRNL | IXON | IUTF8;
        t.c_oflag = OPOST | ONLCR;
        t.c_cflag = CS8 | CREAD | HUPCL;
        t.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
        const unsigned char defaults[] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22};
        std::memcpy(t.c_cc, defaults, sizeof defaults);
        cfsetospeed(&t, B38400);
        cfsetispeed(&t, B38400);
    }

    xnu::termios x;
    xlate::termios_to_xnu(t, x);
    CHECK(cfgetospeed(&t) == B38400);  // Linux ptys start at 38400 bps
    CHECK(x.c_ospeed == 38400);
    CHECK(x.c_ispeed == 38400);
    CHECK(((x.c_lflag & xnu::XNU_ICANON) != 0) == ((t.c_lflag & ICANON) != 0));
    CHECK(((x.c_lflag & xnu::XNU_ECHO) != 0) == ((t.c_lflag & ECHO) != 0));
    CHECK(((x.c_lflag & xnu::XNU_ISIG) != 0) == ((t.c_lflag & ISIG) != 0));
    CHECK(((x.c_iflag & xnu::XNU_ICRNL) != 0) == ((t.c_iflag & ICRNL) != 0));
    CHECK(((x.c_iflag & xnu::XNU_IXON) != 0) == ((t.c_iflag & IXON) != 0));
    CHECK(((x.c_oflag & xnu::XNU_ONLCR) != 0) == ((t.c_oflag & ONLCR) != 0));
    CHECK((x.c_cflag & xnu::XNU_CSIZE) == xnu::XNU_CS8);
    CHECK(x.c_cc[xnu::XNU_VINTR] == t.c_cc[VINTR]);
    CHECK(x.c_cc[xnu::XNU_VEOF] == t.c_cc[VEOF]);
    CHECK(x.c_cc[xnu::XNU_VERASE] == t.c_cc[VERASE]);
    CHECK(x.c_cc[xnu::XNU_VMIN] == t.c_cc[VMIN]);
    CHECK(x.c_cc[xnu::XNU_VTIME] == t.c_cc[VTIME]);
    CHECK(x.c_cc[xnu::XNU_VSTATUS] == xnu::XNU_POSIX_VDISABLE);
    CHECK(x.c_cc[7] == xnu::XNU_POSIX_VDISABLE);

    struct termios back;
    REQUIRE(xlate::termios_to_linux(x, back));
    // Every flag a Linux pty sets by default exists on XNU, so the round trip is exact.
    CHECK(back.c_iflag == t.c_iflag);
    CHECK(back.c_oflag == t.c_oflag);
    CHECK(back.c_cflag == t.c_cflag);
    CHECK(back.c_lflag == t.c_lflag);
    CHECK(cfgetospeed(&back) == cfgetospeed(&t));
    CHECK(cfgetispeed(&back) == cfgetispeed(&t));
    const int mapped[] = {VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSTART, VSTOP,
                          VSUSP, VEOL, VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2};
    for (int i : mapped) CHECK(back.c_cc[i] == t.c_cc[i]);

    if (slave >= 0) {
        // The translated-back settings are acceptable to the kernel and read back unchanged.
        REQUIRE(tcsetattr(slave, TCSANOW, &back) == 0);
        struct termios again;
        REQUIRE(tcgetattr(slave, &again) == 0);
        CHECK(again.c_lflag == t.c_lflag);
        CHECK(again.c_cflag == t.c_cflag);
        close(slave);
    }
    if (master >= 0) close(master);
}

TEST_CASE("termios speeds and flag details") {
    struct termios t;
    std::memset(&t, 0, sizeof t);
    t.c_cflag = CS7 | PARENB | CRTSCTS;
    t.c_oflag = OPOST | TAB3 | CR2;
    t.c_lflag = ICANON | TOSTOP | NOFLSH;
    t.c_cc[VINTR] = _POSIX_VDISABLE;
    cfsetospeed(&t, B9600);
    cfsetispeed(&t, B9600);

    xnu::termios x;
    xlate::termios_to_xnu(t, x);
    CHECK(x.c_ospeed == 9600);
    CHECK(x.c_ispeed == 9600);
    CHECK(x.c_cflag == (xnu::XNU_CS7 | xnu::XNU_PARENB | xnu::XNU_CRTSCTS));
    CHECK(x.c_oflag == (xnu::XNU_OPOST | xnu::XNU_OXTABS | xnu::XNU_CR2));
    CHECK(x.c_lflag == (xnu::XNU_ICANON | xnu::XNU_TOSTOP | xnu::XNU_NOFLSH));
    CHECK(x.c_cc[xnu::XNU_VINTR] == xnu::XNU_POSIX_VDISABLE);

    x.c_ospeed = 115200;
    x.c_ispeed = 0;  // "same as output"
    x.c_lflag |= xnu::XNU_ALTWERASE | xnu::XNU_NOKERNINFO;  // XNU-only: dropped
    struct termios back;
    REQUIRE(xlate::termios_to_linux(x, back));
    CHECK(cfgetospeed(&back) == B115200);
    CHECK((back.c_cflag & CIBAUD) == 0);
    CHECK(back.c_lflag == (ICANON | TOSTOP | NOFLSH));
    CHECK(back.c_cc[VINTR] == _POSIX_VDISABLE);

    x.c_ospeed = 14400;  // a Darwin speed with no Linux Bxxx code
    CHECK_FALSE(xlate::termios_to_linux(x, back));
}

TEST_CASE("tracer formatting") {
    CHECK(fmt(xnu_sys::format_oflags, xnu::XNU_O_WRONLY | xnu::XNU_O_CREAT | xnu::XNU_O_TRUNC) ==
          "O_WRONLY|O_CREAT|O_TRUNC");
    CHECK(fmt(xnu_sys::format_oflags, 0) == "O_RDONLY");
    CHECK(fmt(xnu_sys::format_oflags, xnu::XNU_O_RDWR | xnu::XNU_O_CLOEXEC | 0x2000) == "O_RDWR|O_CLOEXEC|0x2000");
    CHECK(fmt(xnu_sys::format_oflags, xnu::XNU_O_SEARCH) == "O_DIRECTORY|O_EXEC");
    CHECK(fmt(xnu_sys::format_prot, 0) == "PROT_NONE");
    CHECK(fmt(xnu_sys::format_prot, xnu::XNU_PROT_READ | xnu::XNU_PROT_EXEC) == "PROT_READ|PROT_EXEC");
    CHECK(fmt(xnu_sys::format_mapflags, xnu::XNU_MAP_PRIVATE | xnu::XNU_MAP_ANON) == "MAP_PRIVATE|MAP_ANON");
    CHECK(fmt(xnu_sys::format_mapflags, 0) == "0");
    CHECK(fmt(xnu_sys::format_atflags, xnu::XNU_AT_SYMLINK_NOFOLLOW) == "AT_SYMLINK_NOFOLLOW");
    CHECK(fmt(xnu_sys::format_atflags, 0) == "0");
    CHECK(fmt(xnu_sys::format_mode, 0644) == "0644");
    CHECK(fmt(xnu_sys::format_mode, 04755) == "04755");
    CHECK(fmt(xnu_sys::format_mode, 0) == "0000");
    CHECK(fmt(xnu_sys::format_mode, xnu::XNU_S_IFDIR | 0755) == "S_IFDIR|0755");

    // Truncation keeps the terminator and reports what was written.
    char small[5];
    CHECK(xnu_sys::format_oflags(xnu::XNU_O_WRONLY, small, sizeof small) == 4);
    CHECK(std::string(small) == "O_WR");
    char none[1] = {'z'};
    CHECK(xnu_sys::format_prot(1, none, 0) == 0);
    CHECK(none[0] == 'z');

    CHECK(std::string(xnu_sys::fcntl_cmd_name(xnu::XNU_F_GETPATH)) == "F_GETPATH");
    CHECK(std::string(xnu_sys::fcntl_cmd_name(67)) == "F_DUPFD_CLOEXEC");
    CHECK(std::string(xnu_sys::fcntl_cmd_name(85)) == "F_BARRIERFSYNC");
    CHECK(xnu_sys::fcntl_cmd_name(999) == nullptr);
    CHECK(std::string(xnu_sys::ioctl_name(0x40087468ul)) == "TIOCGWINSZ");
    CHECK(std::string(xnu_sys::ioctl_name(0x40487413ul)) == "TIOCGETA");
    CHECK(std::string(xnu_sys::ioctl_name(xnu::XNU_FIONBIO)) == "FIONBIO");
    CHECK(std::string(xnu_sys::ioctl_name(xnu::XNU_TIOCPTYGNAME)) == "TIOCPTYGNAME");
    CHECK(xnu_sys::ioctl_name(0) == nullptr);
    CHECK(xnu_sys::ioctl_name(0x5413) == nullptr);  // Linux TIOCGWINSZ is not an XNU request
}
