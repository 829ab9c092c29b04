// The typed result of every XNU call handler. Handlers never touch registers: they return a SysResult, and
// syscalls/dispatch.cpp (apply_result, the one place) turns it into rax/rdx/CF for BSD calls or rax for Mach
// traps.
#pragma once

#include <cstdint>

namespace base {

struct SysResult {
    enum class Kind : uint8_t { Value, Error, Restart, JustReturn };
    Kind kind = Kind::Value;
    int32_t err = 0;     // XNU errno when kind == Error
    uint64_t value = 0;  // rax
    uint64_t value2 = 0; // rdx (pipe's second fd, fork's child flag)
    bool sets_rdx = false;

    static constexpr SysResult ok(uint64_t v) { return SysResult{Kind::Value, 0, v, 0, false}; }
    static constexpr SysResult ok2(uint64_t v, uint64_t v2) { return SysResult{Kind::Value, 0, v, v2, true}; }
    static constexpr SysResult error(int xnu_errno) { return SysResult{Kind::Error, xnu_errno, 0, 0, false}; }
    // ERESTART: the call is re-executed (rip backed up over the 2-byte syscall instruction).
    static constexpr SysResult restart() { return SysResult{Kind::Restart, 0, 0, 0, false}; }
    // EJUSTRETURN: registers were set by the handler itself (sigreturn, thread creation).
    static constexpr SysResult just_return() { return SysResult{Kind::JustReturn, 0, 0, 0, false}; }

    bool failed() const { return kind == Kind::Error; }
};

// Early return of an error: `TRY(t.read(...))` where the expression yields 0 or an XNU errno.
#define XNU_TRY(expr)                                                      \
    do {                                                                   \
        if (int try_err_ = (expr); try_err_ != 0) return SysResult::error(try_err_); \
    } while (0)

// The same inside helpers that themselves return 0 or an XNU errno.
#define XNU_TRY_ERRNO(expr)                              \
    do {                                                 \
        if (int try_err_ = (expr); try_err_ != 0) return try_err_; \
    } while (0)

}  // namespace base
