#include "trace.hpp"

#include <cstring>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/abi/xnu.hpp"
#include "base/runtime.hpp"
#include "trace_names.hpp"

namespace xnu_sys {
namespace {

// A fixed buffer that formatting appends to, truncating at the end.
struct Line {
    char buf[2048];
    size_t len = 0;
    template <typename... A>
    void add(fmt::format_string<A...> f, A&&... a) {
        if (len >= sizeof buf) return;
        auto r = fmt::format_to_n(buf + len, sizeof buf - len, f, std::forward<A>(a)...);
        len = std::min(sizeof buf, len + r.size);
    }
    void add_raw(const char* s, size_t n) {
        n = std::min(n, sizeof buf - len);
        std::memcpy(buf + len, s, n);
        len += n;
    }
    void write_to(int fd) {
        if (len >= sizeof buf) len = sizeof buf - 1;
        buf[len++] = '\n';
        base::write_all(fd, buf, len);
    }
};

void add_string(Line& l, base::Thread& t, uint64_t addr) {
    if (!addr) return l.add("NULL");
    char s[256];
    int err = t.read_cstr(base::TraceeAddr(addr), s, sizeof s);
    if (err == xnu::XNU_EFAULT) return l.add("{:#x}", addr);
    l.add("\"");
    for (const char* p = s; *p; p++) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"' || c == '\\') l.add("\\{}", char(c));
        else if (c == '\n') l.add("\\n");
        else if (c < 0x20 || c >= 0x7f) l.add("\\x{:02x}", c);
        else l.add("{}", char(c));
    }
    l.add("{}", err == xnu::XNU_ENAMETOOLONG ? "\"..." : "\"");
}

template <typename F>
void add_flags(Line& l, F format, int v) {
    char s[256];
    format(v, s, sizeof s);
    l.add("{}", s);
}

void add_arg(Line& l, base::Thread& t, Decoder d, uint64_t v) {
    int32_t i = int32_t(v);
    switch (d) {
        case Decoder::Int: return l.add("{}", int64_t(v));
        case Decoder::UInt: return l.add("{}", v);
        case Decoder::Hex: return l.add("{:#x}", v);
        case Decoder::Ptr: return v ? l.add("{:#x}", v) : l.add("NULL");
        case Decoder::Path:
        case Decoder::Str: return add_string(l, t, v);
        case Decoder::Fd: return l.add("{}", i);
        case Decoder::AtFd: return i == xnu::XNU_AT_FDCWD ? l.add("AT_FDCWD") : l.add("{}", i);
        case Decoder::OFlags: return add_flags(l, format_oflags, i);
        case Decoder::Mode: return add_flags(l, format_mode, i);
        case Decoder::Prot: return add_flags(l, format_prot, i);
        case Decoder::MapFlags: return add_flags(l, format_mapflags, i);
        case Decoder::AtFlags: return add_flags(l, format_atflags, i);
        case Decoder::FcntlCmd: {
            const char* n = fcntl_cmd_name(i);
            return n ? l.add("{}", n) : l.add("{}", i);
        }
        case Decoder::IoctlCmd: {
            const char* n = ioctl_name(static_cast<unsigned long>(v));
            return n ? l.add("{}", n) : l.add("{:#x}", v);
        }
        case Decoder::Signal: {
            const char* n = xnu_signal_name(i);
            return n ? l.add("{}", n) : l.add("{}", i);
        }
        case Decoder::Whence: {
            static const char* const names[] = {"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_HOLE", "SEEK_DATA"};
            return (i >= 0 && i < 5) ? l.add("{}", names[i]) : l.add("{}", i);
        }
        case Decoder::AccMode: {
            if (i == 0) return l.add("F_OK");
            bool first = true;
            for (auto [bit, name] : {std::pair{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}})
                if (i & bit) l.add("{}{}", first ? "" : "|", name), first = false;
            if (i & ~7) l.add("{}{:#x}", first ? "" : "|", i & ~7);
            return;
        }
    }
}

void add_prefix(Line& l, base::Thread* t) {
    char p[64];
    l.add_raw(p, base::trace_prefix(t, p, sizeof p));
}

}  // namespace

void trace_call(base::Thread& t, SysClass cls, uint32_t nr, const SyscallEntry* e, const uint64_t* args,
                const SysResult& res) {
    Line l;
    add_prefix(l, &t);
    if (!e) {
        l.add("{} {} (no such call)", class_name(cls), nr);
    } else {
        l.add("{}(", e->name());
        for (int i = 0; i < e->nargs; i++) {
            if (i) l.add(", ");
            add_arg(l, t, e->decoders[i], args[i]);
        }
        l.add(")");
    }
    switch (res.kind) {
        case SysResult::Kind::Value:
            if (cls == SysClass::Mach && res.value >= 0x10000000) l.add(" = {:#x}", res.value);
            else if (res.value > 0xffff && cls == SysClass::Bsd && e && e->decoders[0] == Decoder::Ptr)
                l.add(" = {:#x}", res.value);
            else l.add(" = {}", int64_t(res.value));
            if (res.sets_rdx) l.add(" (rdx {})", res.value2);
            break;
        case SysResult::Kind::Error: {
            const char* n = xnu_errno_name(res.err);
            l.add(" = -1 {} ({})", n ? n : "?", res.err);
            break;
        }
        case SysResult::Kind::Restart: l.add(" = ? ERESTART"); break;
        case SysResult::Kind::JustReturn: l.add(" = ?"); break;
    }
    l.write_to(base::g_runtime.trace_fd);
}

}  // namespace xnu_sys
