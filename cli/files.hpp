// Whole-file reads and writes for the command line, with POSIX calls rather than iostreams (which would bring
// C++ locales into macrun and their set-up into every start of every program).
#pragma once

#include <cstddef>
#include <string>

namespace cli {

// Reads at most `max` bytes of a regular file (a directory, a FIFO or a device is refused without blocking).
// Returns "" on success, else why not.
std::string read_file(const std::string& path, std::string* out, size_t max);
// Creates or truncates `path` and writes `data`. Returns "" on success, else why not.
std::string write_file(const std::string& path, const std::string& data);

}  // namespace cli
