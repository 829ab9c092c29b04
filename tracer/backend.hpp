// The interception backends, as the start sequence sees them. Each backend is described by what it can do;
// the command line finds one by the name the user gave and then asks only these questions, and handlers and
// the Mach kernel ask base::g_runtime.caps (base/runtime.hpp). Per call, a backend is a base::Thread
// (base/thread.hpp): Linux calls run as the program's thread, its memory, its signal state, new threads and
// forks.
//
// A new backend (a seccomp user-notification supervisor, the kernel module) is one more row in backend.cpp and
// one more Thread implementation; nothing outside tracer/ and cli/ learns its name.
#pragma once

#include <span>
#include <string_view>

#include "base/runtime.hpp"
#include "loader/code_map.hpp"

namespace tracer {

struct Backend {
    const char* name;  // as --backend=NAME spells it
    const char* what;  // one line for --help
    // What handlers and the Mach kernel may count on (runs inside the program's process or not, how a
    // waiting thread sleeps). Set in the process that runs the handlers when the backend takes over.
    base::BackendCaps caps;
    // Trapped call sites can be rewritten into direct calls into macrun (the fast path), and raw Linux calls
    // made by program code can be caught (Syscall User Dispatch): both need macrun in the program's process.
    bool rewrites_call_sites;
    bool catches_linux_calls;
    // With rewrites_call_sites: learns where the image's functions start (slid), to rewrite sites of any shape.
    void (*learn_code)(const loader::CodeMap& unslid, uint64_t slide);
    // Sets up interception in the calling process, which is about to become the program: handlers, the
    // supervisor, the seccomp filter. Returns 0 or -errno, with *what naming the step that failed.
    int (*take_over)(const char** what);
};

std::span<const Backend> backends();
const Backend* find_backend(std::string_view name);  // nullptr for an unknown name
const Backend& default_backend();

}  // namespace tracer
