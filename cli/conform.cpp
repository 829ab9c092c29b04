#include "cli/conform.hpp"
#include "cli/files.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "loader/macho.hpp"

namespace cli {
namespace {

struct Outcome {
    std::string name;
    bool passed = false;
    std::string reason;
    std::string output;
    double seconds = 0;
};

bool is_macho_executable(const std::string& path) {
    std::string head;
    if (!read_file(path, &head, 4096).empty() || head.size() < 4) return false;
    uint32_t m, filetype = 0;
    memcpy(&m, head.data(), 4);
    if (__builtin_bswap32(m) == macho::kFatMagic) return true;
    if (m != macho::kMagic64 || head.size() < 16) return false;
    memcpy(&filetype, head.data() + 12, 4);
    return filetype == macho::MH_EXECUTE;  // objects and dylibs are not programs
}

std::string xml_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '&': o += "&amp;"; break;
            case '"': o += "&quot;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') o += fmt::format("&#x{:x};", int(c));
                else o += c;
        }
    }
    return o;
}

Outcome run_one(const std::string& self, const std::string& path, const std::string& name, int timeout_s,
                const std::string& backend, bool no_fastpath) {
    Outcome out;
    out.name = name;
    char tmpl[] = "/tmp/macrun-conform-XXXXXX";
    char* dir = mkdtemp(tmpl);
    int pipefd[2];
    if (!dir || pipe2(pipefd, O_CLOEXEC) != 0) {
        out.reason = "cannot create a working directory";
        return out;
    }
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        if (chdir(dir) != 0) _exit(125);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        if (devnull > 2) close(devnull);  // each program starts with exactly 0, 1 and 2 open
        setenv("TMPDIR", dir, 1);
        std::string b = "--backend=" + backend;
        if (no_fastpath)
            execl(self.c_str(), self.c_str(), b.c_str(), "--no-fastpath", "run", path.c_str(), static_cast<char*>(nullptr));
        else
            execl(self.c_str(), self.c_str(), b.c_str(), "run", path.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(pipefd[1]);
    bool timed_out = false;
    auto deadline = start + std::chrono::seconds(timeout_s);
    char buf[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            kill(-pid, SIGKILL);
            break;
        }
        pollfd p{pipefd[0], POLLIN, 0};
        if (poll(&p, 1, int(left.count())) <= 0) continue;
        ssize_t n = read(pipefd[0], buf, sizeof buf);
        if (n <= 0) break;
        if (out.output.size() < (1 << 20)) out.output.append(buf, size_t(n));
    }
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timed_out) out.reason = fmt::format("timed out after {} s", timeout_s);
    else if (WIFSIGNALED(status)) out.reason = fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0) out.reason = fmt::format("exit status {}", WEXITSTATUS(status));
    else out.passed = true;
    std::string rm = fmt::format("rm -rf '{}'", dir);
    if (system(rm.c_str()) != 0) { /* a leftover temporary directory is harmless */ }
    return out;
}

}  // namespace

int conform(int argc, char** argv, const char* argv0) {
    std::string dir, junit, backend = "inproc";
    bool no_fastpath = false;
    int timeout_s = 30;
    for (int i = 0; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--junit" && i + 1 < argc) junit = argv[++i];
        else if (a == "--timeout" && i + 1 < argc) timeout_s = std::max(1, atoi(argv[++i]));
        else if (a.rfind("--backend=", 0) == 0) backend = a.substr(10);
        else if (a == "--no-fastpath") no_fastpath = true;
        else if (a[0] != '-' && dir.empty()) dir = a;
        else {
            fmt::print(stderr, "usage: macrun conform DIR [--junit FILE] [--timeout SECONDS] [--backend=B] [--no-fastpath]\n");
            return 2;
        }
    }
    if (dir.empty()) {
        fmt::print(stderr, "usage: macrun conform DIR [--junit FILE] [--timeout SECONDS] [--backend=B]\n");
        return 2;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string selfpath = n > 0 ? std::string(self, size_t(n)) : std::string(argv0);

    std::vector<std::string> names;
    DIR* d = opendir(dir.c_str());
    if (!d) {
        fmt::print(stderr, "macrun conform: {}: {}\n", dir, strerror(errno));
        return 2;
    }
    while (dirent* e = readdir(d)) {
        std::string p = dir + "/" + e->d_name;
        struct stat st {};
        if (e->d_name[0] == '.' || stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (is_macho_executable(p)) names.push_back(e->d_name);
    }
    closedir(d);
    std::sort(names.begin(), names.end());

    fmt::print("TAP version 13\n1..{}\n", names.size());
    std::fflush(stdout);
    std::vector<Outcome> results;
    int passed = 0, failed = 0;
    char real[4096];
    std::string absdir = realpath(dir.c_str(), real) ? real : dir;
    for (size_t i = 0; i < names.size(); i++) {
        Outcome o = run_one(selfpath, absdir + "/" + names[i], names[i], timeout_s, backend, no_fastpath);
        if (o.passed) {
            passed++;
            fmt::print("ok {} - {}\n", i + 1, o.name);
        } else {
            failed++;
            fmt::print("not ok {} - {} # {}\n", i + 1, o.name, o.reason);
            size_t start = 0;
            while (start < o.output.size()) {
                size_t end = o.output.find('\n', start);
                if (end == std::string::npos) end = o.output.size();
                fmt::print("#   {}\n", o.output.substr(start, end - start));
                start = end + 1;
            }
        }
        std::fflush(stdout);
        results.push_back(std::move(o));
    }
    if (!junit.empty()) {
        std::string x;
        x += fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"macrun-conform\" tests=\"{}\" "
                         "failures=\"{}\">\n",
                         results.size(), failed);
        for (const auto& o : results) {
            x += fmt::format("  <testcase classname=\"conform\" name=\"{}\" time=\"{:.3f}\"", xml_escape(o.name), o.seconds);
            if (o.passed) x += "/>\n";
            else
                x += fmt::format(">\n    <failure message=\"{}\">{}</failure>\n  </testcase>\n", xml_escape(o.reason),
                                 xml_escape(o.output));
        }
        x += "</testsuite>\n";
        if (std::string err = write_file(junit, x); !err.empty())
            fmt::print(stderr, "macrun conform: cannot write {}: {}\n", junit, err);
    }
    fmt::print("{} passed, {} failed\n", passed, failed);
    return failed ? 1 : 0;
}

}  // namespace cli
