#include "cli/files.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cli {

std::string read_file(const std::string& path, std::string* out, size_t max) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return strerror(errno);
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        return S_ISDIR(st.st_mode) ? "is a directory" : e && !st.st_mode ? strerror(e) : "not a regular file";
    }
    out->clear();
    char buf[65536];
    while (out->size() < max) {
        ssize_t n = read(fd, buf, std::min(sizeof buf, max - out->size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            return strerror(e);
        }
        if (n == 0) break;
        out->append(buf, size_t(n));
    }
    close(fd);
    return "";
}

std::string write_file(const std::string& path, const std::string& data) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return strerror(errno);
    for (size_t done = 0; done < data.size();) {
        ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            return strerror(e);
        }
        done += size_t(n);
    }
    return close(fd) == 0 ? "" : strerror(errno);
}

}  // namespace cli
