// Starting a Mach-O program in the current process: parse, map, set up the chosen interception backend, build
// the XNU initial stack and jump. The process keeps its PID, so the shell sees the program's own exit status.
#pragma once

#include <string>
#include <vector>

#include "tracer/backend.hpp"

namespace cli {

struct ExecOptions {
    std::string path;               // the file to run
    std::vector<std::string> argv;  // argv[0] included
    std::vector<std::string> envp;
    const tracer::Backend* backend = &tracer::default_backend();
    std::string trace_file;  // "-" for stderr, "" for no trace
    int trace_fd = -1;       // an inherited trace descriptor (a traced program's execve), used when trace_file is ""
    bool fastpath = true;    // inproc: rewrite trapped call sites into direct calls
    int mach_fd = -1;        // the session's Mach kernel region, handed on (--mach-fd, MACRUN_MACH_FD)
    std::string session;     // a named session to join (--session, MACRUN_SESSION)
};

// Does not return on success. On failure prints "macrun: ..." and returns the exit status a shell would use
// (126 for an unrunnable file, 127 for a missing one).
int exec_macho(const ExecOptions& opts);

}  // namespace cli
