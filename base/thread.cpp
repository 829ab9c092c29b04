#include "thread.hpp"

#include <algorithm>
#include <cstring>

#include "base/abi/xnu.hpp"

namespace base {

int Thread::read_cstr(TraceeAddr src, char* dst, size_t cap) {
    size_t got = 0;
    while (got < cap) {
        uint64_t a = src.addr + got;
        size_t chunk = std::min<size_t>(cap - got, 4096 - (a & 4095));
        if (read(TraceeAddr(a), dst + got, chunk) != 0) return xnu::XNU_EFAULT;
        if (memchr(dst + got, 0, chunk)) return 0;
        got += chunk;
    }
    dst[cap - 1] = 0;
    return xnu::XNU_ENAMETOOLONG;
}

}  // namespace base
