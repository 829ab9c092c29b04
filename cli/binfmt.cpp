#include "cli/binfmt.hpp"
#include "cli/files.hpp"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli {
namespace {

constexpr const char* kDir = "/proc/sys/fs/binfmt_misc";

// The formats macrun claims. Magic and mask are written with \x escapes, as binfmt_misc parses them
// (Documentation/admin-guide/binfmt-misc.rst).
struct Format {
    const char* name;
    const char* magic;
    const char* mask;
    const char* what;
};
constexpr Format kFormats[] = {
    // MH_MAGIC_64 (0xfeedfacf, little-endian on disk) with cputype CPU_TYPE_X86_64 (0x01000007).
    {"macrun-macho64", "\\xcf\\xfa\\xed\\xfe\\x07\\x00\\x00\\x01", "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff",
     "64-bit x86_64 Mach-O"},
    // FAT_MAGIC (0xcafebabe, big-endian) with an architecture count below 32. Java class files share the
    // magic, but there the next word is the class-file version, 45 (0x2d) or more: the mask on the last
    // byte (0xe0) keeps them out.
    {"macrun-fat", "\\xca\\xfe\\xba\\xbe\\x00\\x00\\x00\\x00", "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xe0",
     "fat Mach-O"},
    {"macrun-fat64", "\\xca\\xfe\\xba\\xbf\\x00\\x00\\x00\\x00", "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xe0",
     "fat Mach-O (64-bit offsets)"},
};
// P: keep the program's own argv[0] (macrun receives it after the full path). F: the interpreter is opened
// now, at registration, so it works in other mount namespaces, containers and chroots.
constexpr const char* kFlags = "PF";

std::string self_dir() {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    buf[n] = '\0';
    std::string s(buf);
    return s.substr(0, s.rfind('/'));
}

std::string rule(const Format& f, const std::string& interp) {
    return fmt::format(":{}:M:0:{}:{}:{}:{}", f.name, f.magic, f.mask, interp, kFlags);
}

bool exists(const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0;
}

bool write_control(const std::string& path, const std::string& text, std::string& err) {
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return err = strerror(errno), false;
    ssize_t n = write(fd, text.data(), text.size());
    int e = errno;
    close(fd);
    if (n != ssize_t(text.size())) return err = strerror(n < 0 ? e : EIO), false;
    return true;
}

// binfmt_misc must be mounted; as root macrun mounts it, as anyone else it says how.
bool ensure_mounted() {
    if (exists(std::string(kDir) + "/register")) return true;
    if (geteuid() == 0 && mount("binfmt_misc", kDir, "binfmt_misc", 0, nullptr) == 0) return true;
    fmt::print(stderr,
               "macrun binfmt: binfmt_misc is not mounted at {}{}\n"
               "  mount it with: mount -t binfmt_misc binfmt_misc {}\n",
               kDir, geteuid() == 0 ? fmt::format(" and mounting it failed: {}", strerror(errno)) : "", kDir);
    return false;
}

bool need_root(const char* what) {
    if (geteuid() == 0) return true;
    fmt::print(stderr, "macrun binfmt: {} needs root (binfmt_misc registrations are system-wide)\n", what);
    return false;
}

int status() {
    if (!exists(std::string(kDir) + "/register")) {
        fmt::print("binfmt_misc is not mounted at {}: nothing is registered\n", kDir);
        return 3;
    }
    int registered = 0;
    for (const Format& f : kFormats) {
        std::string entry;
        if (!read_file(std::string(kDir) + "/" + f.name, &entry, 65536).empty()) {
            fmt::print("{}: not registered ({})\n", f.name, f.what);
            continue;
        }
        registered++;
        std::string state, interp, flags;
        for (size_t at = 0; at < entry.size();) {
            size_t nl = entry.find('\n', at);
            std::string line = entry.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
            at = nl == std::string::npos ? entry.size() : nl + 1;
            if (line == "enabled" || line == "disabled") state = line;
            else if (!line.rfind("interpreter ", 0)) interp = line.substr(12);
            else if (!line.rfind("flags: ", 0)) flags = line.substr(7);
        }
        fmt::print("{}: {} ({}), interpreter {}, flags {}\n", f.name, state, f.what, interp, flags);
    }
    return registered == int(std::size(kFormats)) ? 0 : 3;
}

int uninstall() {
    if (!need_root("uninstall")) return 1;
    if (!exists(std::string(kDir) + "/register")) {
        fmt::print("binfmt_misc is not mounted: nothing to remove\n");
    } else {
        for (const Format& f : kFormats) {
            std::string entry = std::string(kDir) + "/" + f.name, err;
            if (!exists(entry)) continue;
            if (!write_control(entry, "-1", err)) {
                fmt::print(stderr, "macrun binfmt: cannot remove {}: {}\n", f.name, err);
                return 1;
            }
            fmt::print("removed {}\n", f.name);
        }
    }
    std::string link = self_dir() + "/" + kBinfmtName;
    if (unlink(link.c_str()) == 0) fmt::print("removed {}\n", link);
    return 0;
}

int install(const std::string& systemd_file) {
    std::string link = self_dir() + "/" + kBinfmtName;
    std::string target = self_dir() + "/macrun";
    if (!systemd_file.empty()) {
        // A binfmt.d file registers the formats at every boot (systemd-binfmt.service).
        if (!exists(link) && symlink("macrun", link.c_str()) != 0 && errno != EEXIST) {
            fmt::print(stderr, "macrun binfmt: cannot create {}: {}\n", link, strerror(errno));
            return 1;
        }
        std::string out = "# macOS x86_64 programs run under macrun (written by `macrun binfmt install --systemd`)\n";
        for (const Format& f : kFormats) out += rule(f, link) + "\n";
        if (std::string err = cli::write_file(systemd_file, out); !err.empty()) {
            fmt::print(stderr, "macrun binfmt: cannot write {}: {}\n", systemd_file, err);
            return 1;
        }
        fmt::print("wrote {}\n", systemd_file);
        return 0;
    }
    if (!need_root("install") || !ensure_mounted()) return 1;
    // The interpreter binfmt_misc runs: a link named macrun-binfmt beside macrun, which tells macrun that
    // its arguments come from binfmt_misc.
    unlink(link.c_str());
    if (symlink("macrun", link.c_str()) != 0) {
        fmt::print(stderr, "macrun binfmt: cannot create {}: {}\n", link, strerror(errno));
        return 1;
    }
    (void)target;
    for (const Format& f : kFormats) {
        std::string entry = std::string(kDir) + "/" + f.name, err;
        // Installing again replaces the entry (the interpreter may have moved): remove, then register.
        if (exists(entry) && !write_control(entry, "-1", err)) {
            fmt::print(stderr, "macrun binfmt: cannot replace {}: {}\n", f.name, err);
            return 1;
        }
        if (!write_control(std::string(kDir) + "/register", rule(f, link), err)) {
            fmt::print(stderr, "macrun binfmt: cannot register {}: {}\n", f.name, err);
            return 1;
        }
        fmt::print("registered {} ({}) -> {}\n", f.name, f.what, link);
    }
    return 0;
}

}  // namespace

int binfmt(int argc, char** argv) {
    std::string cmd = argc > 0 ? argv[0] : "";
    if (cmd == "status" && argc == 1) return status();
    if (cmd == "uninstall" && argc == 1) return uninstall();
    if (cmd == "install") {
        std::string systemd;
        for (int i = 1; i < argc; i++) {
            std::string a = argv[i];
            if (a == "--systemd") systemd = "/etc/binfmt.d/macrun.conf";
            else if (!a.rfind("--systemd=", 0)) systemd = a.substr(10);
            else {
                fmt::print(stderr, "macrun binfmt install: unknown option '{}'\n", a);
                return 2;
            }
        }
        return install(systemd);
    }
    fmt::print(stderr, "usage: macrun binfmt install [--systemd[=FILE]] | uninstall | status\n");
    return 2;
}

}  // namespace cli
