#!/usr/bin/env python3
"""Generates the syscall table and the handler prototypes from syscalls/xnu.master.

usage: gen_table.py xnu.master table.gen.cpp handlers.gen.hpp mach_traps.gen.hpp

handlers.gen.hpp declares the BSD and machdep handlers (syscalls/), mach_traps.gen.hpp the Mach trap handlers
(mach/), so that each layer includes only the prototypes it implements.
"""
import re
import sys

CLASSES = {"mach": "Mach", "bsd": "Bsd", "machdep": "Machdep"}
# How each C type of the master list is passed to a handler. XNU takes 32-bit arguments from the low half of
# the 64-bit register (munging), so int-like types are truncated here exactly as the kernel would.
SIGNED32 = {"int", "pid_t", "id_t", "idtype_t", "key_t", "int32_t", "au_asid_t", "boolean_t", "semun_t"}
UNSIGNED32 = {"u_int", "uint32_t", "uid_t", "gid_t", "mode_t", "socklen_t", "mach_port_name_t", "mach_msg_size_t",
              "mach_msg_option_t", "mach_msg_timeout_t", "mach_port_t", "mach_msg_return_t", "vm_prot_t",
              "mach_port_right_t", "mach_port_delta_t", "mach_port_rights_t", "unsigned int", "sigset_t",
              "mach_msg_type_name_t", "clock_res_t", "natural_t", "au_id_t", "mach_port_msgcount_t",
              "mach_port_flavor_t", "vm_inherit_t", "vm_behavior_t", "mach_msg_id_t", "kern_return_t",
              "mach_msg_priority_t", "mach_port_context32_t", "mach_port_type_t", "sync_policy_t", "ipc_space_t",
              "uint16_t", "u_short", "ushort"}
SIGNED64 = {"off_t", "user_ssize_t", "int64_t", "long", "user_long_t", "time_t", "ssize_t", "mach_port_delta64_t"}
POINTERS = {"user_addr_t", "caddr_t", "char *", "void *", "uintptr_t"}
DECODERS = {"int": "Int", "uint": "UInt", "hex": "Hex", "ptr": "Ptr", "path": "Path", "str": "Str", "fd": "Fd",
            "atfd": "AtFd", "oflags": "OFlags", "mode": "Mode", "prot": "Prot", "mapflags": "MapFlags",
            "fcntlcmd": "FcntlCmd", "ioctlcmd": "IoctlCmd", "signal": "Signal", "whence": "Whence",
            "atflags": "AtFlags", "accmode": "AccMode"}


CXX_KEYWORDS = {"new", "delete", "class", "template", "this", "operator", "private", "public", "namespace",
                "default", "register", "signed", "unsigned", "union"}


def cxx_type(ctype):
    t = ctype.strip()
    if t.endswith("_ut"):  # xnu 11 kernel-only wrapper types (caddr_ut, size_ut, ...)
        t = t[:-3] + "_t"
    if t in SIGNED32 or t.startswith("enum"):
        return "int32_t", "Int"
    if t in UNSIGNED32:
        return "uint32_t", "Hex" if "mach_port" not in t else "UInt"
    if t in SIGNED64:
        return "int64_t", "Int"
    if t in POINTERS or t.endswith("*") or t.endswith("_ptr_t") or t == "mach_vm_address_t" or t == "user_addr_t":
        return "base::TraceeAddr", "Ptr"
    return "uint64_t", "UInt"


def parse(path):
    rows = []
    seen = set()
    for lineno, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split(" | ")]
        while len(fields) < 6:
            fields.append("")
        if len(fields) != 6:
            sys.exit(f"{path}:{lineno}: expected 4 to 6 fields separated by ' | '")
        cls, num, name, support, args, flagtext = fields
        flags, same_as = set(), None
        for f in [f.strip() for f in flagtext.split(",") if f.strip()]:
            if f.startswith("same_as="):
                same_as = f.partition("=")[2]
            elif f in FLAGS:
                flags.add(f)
            else:
                sys.exit(f"{path}:{lineno}: unknown flag {f!r}")
        if cls not in CLASSES:
            sys.exit(f"{path}:{lineno}: unknown class {cls!r}")
        note = ""
        if support.startswith("partial"):
            note = support.partition(":")[2].strip()
            support = "partial"
        if support not in ("full", "partial", "missing", "enosys"):
            sys.exit(f"{path}:{lineno}: unknown support level {support!r}")
        key = (cls, int(num))
        if key in seen or (cls, name) in seen:
            sys.exit(f"{path}:{lineno}: duplicate {cls} call {num} {name}")
        seen.add(key)
        seen.add((cls, name))
        arglist = []
        for a in [a.strip() for a in args.split(",") if a.strip() and a.strip() != "void"]:
            decoder = None
            if ":" in a:
                a, decoder = a.rsplit(":", 1)
                if decoder not in DECODERS:
                    sys.exit(f"{path}:{lineno}: unknown decoder {decoder!r}")
            m = re.match(r"^(.*?)([A-Za-z_][A-Za-z0-9_]*)$", a.strip())
            if not m:
                sys.exit(f"{path}:{lineno}: cannot read argument {a!r}")
            ctype, aname = m.group(1).strip(), m.group(2)
            if aname in CXX_KEYWORDS:
                aname += "_"
            cxx, default_dec = cxx_type(ctype)
            if decoder in ("path", "str") or decoder == "ptr":
                cxx = "base::TraceeAddr"
            arglist.append((cxx, aname, DECODERS[decoder] if decoder else default_dec))
        if len(arglist) > 8:
            sys.exit(f"{path}:{lineno}: more than 8 arguments")
        rows.append(dict(cls=cls, num=int(num), name=name, support=support, note=note, args=arglist,
                         flags=flags, same_as=same_as, lineno=lineno))
    by_name = {(r["cls"], r["name"]): r for r in rows}
    for r in rows:
        if not r["same_as"]:
            continue
        target = by_name.get((r["cls"], r["same_as"]))
        where = f"{path}:{r['lineno']}"
        if not target or target["same_as"]:
            sys.exit(f"{where}: same_as={r['same_as']} names no row with a handler of its own")
        if [t for t, _, _ in target["args"]] != [t for t, _, _ in r["args"]]:
            sys.exit(f"{where}: same_as={r['same_as']}: the argument types differ")
        if (r["support"] in ("missing", "enosys")) != (target["support"] in ("missing", "enosys")):
            sys.exit(f"{where}: same_as={r['same_as']}: one of the two is implemented, the other not")
    rows.sort(key=lambda r: (list(CLASSES).index(r["cls"]), r["num"]))
    return rows


# FLAGS (the sixth field): facts about a call that code outside its handler needs.
#   noreturn      a successful call does not come back to its caller (exit, execve): dispatch traces it first
#   trap_path     the fast path must never rewrite its call sites: the handler sets registers itself
#                 (EJUSTRETURN) or forks or replaces the process, which needs the full trap frame
#   same_as=NAME  served by NAME's handler with the same arguments (the _nocancel twins)
FLAGS = {"noreturn": "kNoReturn", "trap_path": "kTrapPath"}


def handler_name(row, rows_by_name=None):
    if row.get("same_as") and rows_by_name is not None:
        row = rows_by_name[(row["cls"], row["same_as"])]
    prefix = {"bsd": "sys_", "mach": "mach_", "machdep": "mdep_"}[row["cls"]]
    return prefix + row["name"].lstrip("_")


def main():
    master, out_cpp, out_hpp, out_mach_hpp = sys.argv[1:5]
    rows = parse(master)
    by_name = {(r["cls"], r["name"]): r for r in rows}
    impl = [r for r in rows if r["support"] not in ("missing", "enosys")]

    for path, classes in ((out_hpp, ("bsd", "machdep")), (out_mach_hpp, ("mach",))):
        with open(path, "w") as h:
            h.write("// Generated by syscalls/gen_table.py from syscalls/xnu.master. Do not edit.\n")
            h.write("#pragma once\n#include \"base/result.hpp\"\n#include \"base/thread.hpp\"\n\n")
            h.write("namespace xnu_sys {\n\nusing base::SysResult;\n\n")
            for r in impl:
                if r["cls"] not in classes or r["same_as"]:
                    continue
                params = "".join(f", {t} {n}" for t, n, _ in r["args"])
                h.write(f"SysResult {handler_name(r)}(base::Thread& t{params});\n")
            h.write("\n}  // namespace xnu_sys\n")

    with open(out_cpp, "w") as c:
        c.write("// Generated by syscalls/gen_table.py from syscalls/xnu.master. Do not edit.\n")
        c.write("#include \"syscalls/table.hpp\"\n#include \"handlers.gen.hpp\"\n#include \"mach_traps.gen.hpp\"\n\n"
                "namespace xnu_sys {\nnamespace {\n\n")
        for r in impl:
            conv = []
            for i, (t, _, _) in enumerate(r["args"]):
                if t == "base::TraceeAddr":
                    conv.append(f"base::TraceeAddr(a[{i}])")
                else:
                    conv.append(f"static_cast<{t}>(a[{i}])")
            args = "".join(", " + x for x in conv)
            unused = "" if r["args"] else "[[maybe_unused]] "
            c.write(f"SysResult thunk_{r['cls']}_{r['num']}(base::Thread& t, {unused}const uint64_t* a) "
                        f"{{ return {handler_name(r, by_name)}(t{args}); }}\n")
        # The table holds no pointers: names and notes are offsets into one string block and handlers are
        # indices into kThunks, so the table is read-only data that needs no relocation when macrun (a static
        # PIE) starts; only g_thunks is relocated, a page instead of seventeen.
        strings, offsets = [], {}

        def string_offset(text):
            if text not in offsets:
                offsets[text] = sum(len(x.encode()) + 1 for x in strings)
                strings.append(text)
            return offsets[text]

        impl_index = {}
        c.write("\n}  // namespace\n\nconst Thunk g_thunks[] = {\n")
        for r in rows:
            if r["support"] in ("missing", "enosys"):
                continue
            impl_index[(r["cls"], r["num"])] = len(impl_index)
            c.write(f"    thunk_{r['cls']}_{r['num']},\n")
        c.write("};\n\nnamespace {\n\n")
        c.write("constexpr SyscallEntry kEntries[] = {\n")
        for r in rows:
            decs = ", ".join(f"Decoder::{d}" for _, _, d in r["args"])
            handler = impl_index.get((r["cls"], r["num"]), -1)
            sup = {"full": "Full", "partial": "Partial", "missing": "Missing", "enosys": "XnuEnosys"}[r["support"]]
            flags = " | ".join(f"SyscallEntry::{FLAGS[f]}" for f in sorted(r["flags"])) or "0"
            c.write(f"    {{SysClass::{CLASSES[r['cls']]}, {r['num']}, {string_offset(r['name'])}, "
                    f"{string_offset(r['note'])}, Support::{sup}, {len(r['args'])}, {{{decs}}}, {handler}, "
                    f"{flags}}},\n")
        c.write("};\n\n")

        def c_string(text):
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '\\0"'

        c.write("constexpr char kStrings[] =\n")
        for text in strings:
            c.write(f"    {c_string(text)}\n")
        c.write("    ;\n\n")
        for cls in CLASSES:
            nums = [r["num"] for r in rows if r["cls"] == cls]
            size = (max(nums) + 1) if nums else 1
            idx = {r["num"]: i for i, r in enumerate(rows) if r["cls"] == cls}
            c.write(f"constexpr int16_t k{CLASSES[cls]}Index[{size}] = {{")
            c.write(", ".join(str(idx.get(n, -1)) for n in range(size)))
            c.write("};\n")
        c.write("\ntemplate <size_t N>\nconst SyscallEntry* find(const int16_t (&index)[N], uint32_t nr) {\n"
                "    if (nr >= N || index[nr] < 0) return nullptr;\n    return &kEntries[index[nr]];\n}\n\n")
        c.write("}  // namespace\n\n")
        c.write("const SyscallEntry* lookup(SysClass cls, uint32_t nr) {\n    switch (cls) {\n")
        for cls in CLASSES:
            c.write(f"        case SysClass::{CLASSES[cls]}: return find(k{CLASSES[cls]}Index, nr);\n")
        c.write("        default: return nullptr;\n    }\n}\n\n")
        c.write("std::span<const SyscallEntry> all_entries() { return kEntries; }\n\n")
        c.write("const char* SyscallEntry::name() const { return kStrings + name_offset; }\n")
        c.write("const char* SyscallEntry::note() const { return kStrings + note_offset; }\n")
        c.write("}  // namespace xnu_sys\n")


if __name__ == "__main__":
    main()
