// Mapping a parsed Mach-O image into the current process, and building XNU's initial stack.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "macho.hpp"

namespace loader {

struct Mapped {
    uint64_t slide = 0;
    uint64_t mach_header = 0;  // address of the mapped mach_header
    uint64_t entry = 0;        // slid entry address
};

// Maps every segment of `img` (read from file descriptor `fd`) at its address plus a slide (random for PIE
// images), reserves __PAGEZERO, and applies each segment's initial protection. Returns an error message or "".
std::string map_image(const macho::Image& img, int fd, Mapped& out);

struct StackImage {
    uint64_t sp = 0;  // the initial rsp: points at argc (or at the mach_header slot when dyld is used)
    uint64_t argc = 0, argv = 0, envp = 0, apple = 0;  // for an LC_MAIN entry called without dyld
    uint64_t strings = 0, strings_end = 0;             // the strings area (KERN_PROCARGS2 reads it)
};

// Builds the initial stack as XNU's exec does (bsd/kern/kern_exec.c exec_copyout_strings): strings at the
// top, then apple[], envp[], argv[] pointer arrays and argc, 16-byte aligned. `mach_header` is pushed below
// argc only when a dynamic linker will run.
void build_stack(uint64_t top, const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                 const std::vector<std::string>& apple, uint64_t mach_header_slot, StackImage& out);

// Allocates the main thread's stack (with a guard page below it); `top` receives its highest address.
std::string allocate_stack(uint64_t stack_size, uint64_t& top);

// The apple[] strings XNU passes (executable_path=, stack_guard=, malloc_entropy=, ptr_munge=, main_stack=,
// executable_file=, th_port=).
std::vector<std::string> apple_strings(const std::string& exec_path, uint64_t main_stack_top, uint64_t stack_size);

}  // namespace loader
