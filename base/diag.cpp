#include "base/diag.hpp"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "base/runtime.hpp"

namespace base {
namespace {

// One bit per (class, number) already reported in this process; class 0 holds raw Linux calls.
std::atomic<uint64_t> g_reported[5][1024 / 64];

bool first_report(unsigned cls, uint32_t nr) {
    uint32_t slot = nr % 1024;
    uint64_t bit = 1ULL << (slot % 64);
    return !(g_reported[cls < 5 ? cls : 0][slot / 64].fetch_or(bit, std::memory_order_relaxed) & bit);
}

// Writes the trace prefix when `traced` ("[pid tid] ", or "[pid] " without a thread), then `a` `text` `b` and a newline, cut to
// one 1 KiB line.
void write_line(int fd, bool traced, Thread* t, const char* a, const char* text, const char* b) {
    char line[1024];
    size_t p = traced ? trace_prefix(t, line, sizeof line) : 0;
    int n = snprintf(line + p, sizeof line - p, "%s%s%s\n", a, text, b);
    write_all(fd, line, p + (n < 0 ? 0 : size_t(n) < sizeof line - p ? size_t(n) : sizeof line - p - 1));
}

// "macrun: TEXT" on the diagnostics descriptor, and "[pid] TRACE_TEXT" in the trace when it goes elsewhere.
void say(const char* text, const char* trace_text) {
    write_line(g_runtime.diag_fd, false, nullptr, "macrun: ", text, "");
    if (g_runtime.trace_fd >= 0 && g_runtime.trace_fd != g_runtime.diag_fd)
        write_line(g_runtime.trace_fd, true, nullptr, "", trace_text, "");
}

}  // namespace

const char* class_name(SysClass cls) {
    switch (cls) {
        case SysClass::Mach: return "Mach trap";
        case SysClass::Bsd: return "BSD syscall";
        case SysClass::Machdep: return "machdep call";
        case SysClass::Diag: return "diagnostic call";
        default: return "invalid class";
    }
}

size_t trace_prefix(Thread* t, char* buf, size_t cap) {
    int n = t ? snprintf(buf, cap, "[%d %d] ", t->pid(), t->tid()) : snprintf(buf, cap, "[%d] ", int(getpid()));
    return n < 0 ? 0 : size_t(n) < cap ? size_t(n) : cap - 1;
}

void write_all(int fd, const char* buf, size_t len) {
    while (len) {
        ssize_t w = ::write(fd, buf, len);
        if (w <= 0) return;
        buf += w, len -= size_t(w);
    }
}

void report_unimplemented(SysClass cls, uint32_t nr, const char* name) {
    if (!first_report(unsigned(cls), nr)) return;
    char trace_text[480], text[512];
    snprintf(trace_text, sizeof trace_text, "unimplemented %s %u (%s)", class_name(cls), nr, name);
    snprintf(text, sizeof text, "%s: returning an error", trace_text);
    say(text, trace_text);
}

void report_linux_call(uint32_t nr, uint64_t addr) {
    if (!first_report(0, nr)) return;
    char text[200];
    snprintf(text, sizeof text,
             "Mach-O code at %#llx made Linux system call %u; XNU has no such call (class 0) and ignores it, so "
             "does macrun", static_cast<unsigned long long>(addr), nr);
    say(text, text);
}

void trace_note(const char* text) { say(text, text); }

void trace_event(Thread* t, const char* text) {
    if (g_runtime.trace_fd >= 0) write_line(g_runtime.trace_fd, true, t, "--- ", text, " ---");
}

}  // namespace base
