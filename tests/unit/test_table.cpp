// The generated syscall table: numbers and names from the master list, and its consistency.
#include <doctest/doctest.h>
#include <set>
#include <string>

#include "syscalls/table.hpp"

using namespace xnu_sys;

TEST_CASE("well-known rows") {
    CHECK(std::string(lookup(SysClass::Bsd, 4)->name()) == "write");
    CHECK(std::string(lookup(SysClass::Bsd, 338)->name()) == "stat64");
    CHECK(std::string(lookup(SysClass::Bsd, 344)->name()) == "getdirentries64");
    CHECK(std::string(lookup(SysClass::Mach, 31)->name()) == "mach_msg_trap");
    CHECK(lookup(SysClass::Mach, 31)->nargs == 7);
    CHECK(std::string(lookup(SysClass::Machdep, 3)->name()) == "thread_fast_set_cthread_self64");
    CHECK(lookup(SysClass::Bsd, 100000) == nullptr);
    CHECK(lookup(SysClass::Diag, 1) == nullptr);
}

TEST_CASE("every row is unique and supported rows have handlers") {
    std::set<std::pair<int, int>> seen;
    for (const auto& e : all_entries()) {
        CHECK(seen.insert({int(e.cls), e.nr}).second);
        CHECK((e.support == Support::Missing || e.support == Support::XnuEnosys) == (e.thunk() == nullptr));
        CHECK(lookup(e.cls, e.nr) == &e);
    }
    CHECK(seen.size() > 500);
}

TEST_CASE("the master list's flags") {
    // A successful exit or execve does not come back; read does.
    CHECK(lookup(SysClass::Bsd, 1)->no_return());
    CHECK(lookup(SysClass::Bsd, 59)->no_return());
    CHECK_FALSE(lookup(SysClass::Bsd, 3)->no_return());
    // Handlers that set registers themselves or fork stay on the trapping path; ordinary calls do not.
    for (uint32_t nr : {2u, 59u, 184u, 244u, 360u, 361u}) CHECK(lookup(SysClass::Bsd, nr)->trap_path());
    CHECK_FALSE(lookup(SysClass::Bsd, 20)->trap_path());
    CHECK_FALSE(lookup(SysClass::Mach, 31)->trap_path());
}

TEST_CASE("a _nocancel twin shares its call's handler, and only a _nocancel row has no handler of its own") {
    // Every implemented X_nocancel row has a thunk, and its call X is implemented too, with the same arguments.
    int twins = 0;
    for (const auto& e : all_entries()) {
        std::string name = e.name();
        const std::string suffix = "_nocancel";
        if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string base_name = name.substr(0, name.size() - suffix.size());
        const SyscallEntry* base_row = nullptr;
        for (const auto& b : all_entries())
            if (b.cls == e.cls && base_name == b.name()) base_row = &b;
        REQUIRE_MESSAGE(base_row, name);
        CHECK_MESSAGE((e.thunk() == nullptr) == (base_row->thunk() == nullptr), name);
        CHECK_MESSAGE(e.nargs == base_row->nargs, name);
        if (e.thunk()) twins++;
    }
    CHECK(twins >= 17);
}
