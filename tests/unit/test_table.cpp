// The generated syscall table: numbers and names from the master list, and its consistency.
#include <doctest/doctest.h>
#include <set>
#include <string>

#include "syscalls/table.hpp"

using namespace xnu_sys;

TEST_CASE("well-known rows") {
    CHECK(std::string(lookup(SysClass::Bsd, 4)->name) == "write");
    CHECK(std::string(lookup(SysClass::Bsd, 338)->name) == "stat64");
    CHECK(std::string(lookup(SysClass::Bsd, 344)->name) == "getdirentries64");
    CHECK(std::string(lookup(SysClass::Mach, 31)->name) == "mach_msg_trap");
    CHECK(lookup(SysClass::Mach, 31)->nargs == 7);
    CHECK(std::string(lookup(SysClass::Machdep, 3)->name) == "thread_fast_set_cthread_self64");
    CHECK(lookup(SysClass::Bsd, 100000) == nullptr);
    CHECK(lookup(SysClass::Diag, 1) == nullptr);
}

TEST_CASE("every row is unique and supported rows have handlers") {
    std::set<std::pair<int, int>> seen;
    for (const auto& e : all_entries()) {
        CHECK(seen.insert({int(e.cls), e.nr}).second);
        CHECK((e.support == Support::Missing || e.support == Support::XnuEnosys) == (e.thunk == nullptr));
        CHECK(lookup(e.cls, e.nr) == &e);
    }
    CHECK(seen.size() > 500);
}
