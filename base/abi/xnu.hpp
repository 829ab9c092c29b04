// XNU (macOS x86_64) user/kernel ABI: constants and structure layouts as a 64-bit process sees them.
//
// Facts come from the xnu sources (bsd/sys/*.h, osfmk/...) and the macOS 13 SDK headers; each group names
// its header. Layouts are the LP64 ones. Nothing here depends on the host's headers, so this file can sit
// next to glibc's <errno.h>, <fcntl.h>, <termios.h> in one translation unit.
//
// Naming: every constant carries an XNU_ prefix (xnu::XNU_ENOENT, xnu::XNU_O_CREAT). The bare names are
// macros in the Linux headers, and a macro would rewrite `xnu::ENOENT` into `xnu::2` in any file that also
// includes <cerrno> (libstdc++'s <string> does). Types and field names keep their XNU spelling.
//
// This header gathers the parts, one per family (xnu_base.hpp, xnu_file.hpp, ...).
#pragma once

#include "xnu_base.hpp"
#include "xnu_file.hpp"
#include "xnu_mman.hpp"
#include "xnu_poll.hpp"
#include "xnu_procinfo.hpp"
#include "xnu_sysctl.hpp"
#include "xnu_time.hpp"
#include "xnu_tty.hpp"
