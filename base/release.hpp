// The macOS release macrun reports (macOS 14.6, Darwin 23.6.0): sysctl kern.* and the host's MIG
// host_kernel_version read the same strings.
#pragma once

namespace base {

inline constexpr const char* kOsRelease = "23.6.0";
inline constexpr const char* kOsVersion = "23G80";
inline constexpr const char* kProductVersion = "14.6";
inline constexpr const char* kKernVersion =
    "Darwin Kernel Version 23.6.0: Mon Jul 29 21:13:00 PDT 2024; root:xnu-10063.141.2~1/RELEASE_X86_64";

}  // namespace base
