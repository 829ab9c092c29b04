// libFuzzer target for the Mach-O parser: any input must give an image or an error message, never a crash,
// a hang or an out-of-bounds read (the run script builds it with AddressSanitizer).
#include <cstddef>
#include <cstdint>

#include "loader/macho.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto r = macho::parse({data, size});
    if (r.image) {
        // Touch what the loader would use, so a bad description cannot hide.
        (void)r.image->entry();
        (void)r.image->vm_low();
        (void)r.image->vm_high();
    } else if (r.error.empty()) {
        __builtin_trap();  // an error must always say what is wrong
    }
    return 0;
}
