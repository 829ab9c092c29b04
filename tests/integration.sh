#!/usr/bin/env bash
# Command-line integration tests: exit statuses, signals, pipes, --trace, one-time "unimplemented" messages,
# refusal of bad files, inspect/syscalls/conform. Each check prints "ok - ..." or "FAIL - ..."; the last line
# counts them.
set -u
cd "$(dirname "$0")/.."
M=build/macrun
C=build/tests/cli
P=build/tests/progs
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {  # check DESCRIPTION COMMAND...: passes when the command succeeds
    local what=$1
    shift
    if "$@" >"$tmp/out" 2>&1; then
        pass=$((pass + 1)); echo "ok - $what"
    else
        fail=$((fail + 1)); echo "FAIL - $what"; sed 's/^/#   /' "$tmp/out" | head -n 20
    fi
}
status_is() {  # status_is EXPECTED COMMAND...
    local want=$1
    shift
    "$@" >/dev/null 2>&1
    local got=$?
    [ "$got" -eq "$want" ] || { echo "exit status $got, expected $want"; return 1; }
}
output_has() {  # output_has PATTERN COMMAND...: stdout+stderr contain PATTERN (grep -E)
    local pat=$1
    shift
    "$@" >"$tmp/o2" 2>&1
    grep -Eq -- "$pat" "$tmp/o2" || { echo "no match for /$pat/ in:"; cat "$tmp/o2"; return 1; }
}

for b in inproc ptrace; do
    check "[$b] hello prints its greeting" output_has '^Hello from a macOS program' $M --backend=$b run $P/hello
    check "[$b] hello checks its own write: stdout on /dev/full fails it (status 1)" \
        bash -c "$M --backend=$b run $P/hello >/dev/full 2>$tmp/full.err; [ \$? -eq 1 ] && grep -q 'did not write' $tmp/full.err"
    check "[$b] exit status 3 reaches the shell" status_is 3 $M --backend=$b run $C/exitcode 3
    check "[$b] exit status 255" status_is 255 $M --backend=$b run $C/exitcode 255
    check "[$b] PIE image (random slide) runs" status_is 7 $M --backend=$b run $C/exitcode-pie 7
    check "[$b] death by SIGTERM is seen as 128+15" status_is 143 $M --backend=$b run $C/killself 15
    check "[$b] LC_MAIN entry: main's return value is the exit status" status_is 43 $M --backend=$b run $C/main_entry x y
    check "[$b] stdin pipe to stdout" bash -c "printf 'line1\nline2\n' | $M --backend=$b run $C/cat | cmp - <(printf 'line1\nline2\n')"
    check "[$b] a large pipe transfer is intact" bash -c "head -c 3000000 /dev/urandom > $tmp/big; $M --backend=$b run $C/cat < $tmp/big | cmp - $tmp/big"
    check "[$b] unimplemented call: ENOSYS and exactly one message" bash -c \
        "$M --backend=$b run $C/unimplemented 2>$tmp/err && [ \$(grep -c 'unimplemented BSD syscall 220 (getattrlist)' $tmp/err) -eq 1 ]"
    check "[$b] --trace decodes calls by name with arguments" output_has '\[[0-9]+ [0-9]+\] write\(1, 0x[0-9a-f]+, 50\) = 50' \
        $M --backend=$b --trace run $P/hello
    check "[$b] --trace names the backend" output_has "backend $b" $M --backend=$b --trace run $P/hello
    check "[$b] --trace shows the exit" output_has '\] exit\(0\) = \?' $M --backend=$b --trace run $P/hello
    check "[$b] --trace=FILE writes the trace there" bash -c "$M --backend=$b --trace=$tmp/t.txt run $P/hello >/dev/null && grep -q 'write(1' $tmp/t.txt"
done

for b in inproc ptrace; do
    check "[$b] Ctrl-C in a terminal kills the program with SIGINT" python3 tests/pty_check.py $M $b $C/cat ctrl-c
    check "[$b] Ctrl-Z stops it, SIGCONT resumes it, input intact" python3 tests/pty_check.py $M $b $C/cat ctrl-z
    check "[$b] on a terminal: window size, termios round trip (TIOCGETA/TIOCSETA), foreground group" python3 tests/pty_check.py $M $b $C/tty tty
done
# The stub `mov $N,%eax; xor %r9d,%r9d; syscall`: its 3-byte xor and the syscall become the jump, once.
xor_site=$(printf '%#x' $(($($M inspect build/bench/xnu_loop | awk '/_stub_getpid_xor$/ {print $1}') + 5)))
check "[inproc] a syscall site of another shape than Apple's is rewritten (instructions before it moved), once" bash -c \
    "$M --trace=$tmp/shape.txt run build/bench/xnu_loop getpid_xor 1000 >/dev/null && [ \$(grep -c 'call site at $xor_site now jumps to .* (3 bytes of instructions moved)' $tmp/shape.txt) -eq 1 ]"
check "[inproc] with --no-fastpath nothing is rewritten" bash -c \
    "$M --no-fastpath --trace=$tmp/shape2.txt run build/bench/xnu_loop getpid_xor 1000 >/dev/null && ! grep -q 'fast path:' $tmp/shape2.txt"
check "[inproc] dispatch alone traps the program's calls: an exec'd Linux program has no seccomp filter" bash -c \
    "$M run $C/execv /bin/grep -q '^Seccomp:[[:space:]]*0' /proc/self/status"
check "[ptrace] under ptrace the program carries the RET_TRACE filter" bash -c \
    "$M --backend=ptrace run $C/execv /bin/grep -q '^Seccomp:[[:space:]]*2' /proc/self/status"
check "a Mach-O exec'd by a Mach-O gets the TSC frequency its parent had (--tsc-hz handed on)" bash -c \
    "$M --tsc-hz=1234567890 run $C/execv $P/commpage | grep -q '^# hw.cpufrequency 1234567890\$'"
check "hw.ncpu counts the CPUs the process may run on (taskset -c 0: 1)" bash -c \
    "taskset -c 0 $M run $P/commpage | grep -q '^# hw.ncpu 1\$'"
check "[inproc] a raw Linux system call from Mach-O code is ignored as XNU ignores class 0, said once per number" bash -c \
    "$M run $C/linux_syscall 2>$tmp/e >/dev/null && [ \$(grep -c 'made Linux system call' $tmp/e) -eq 2 ]"
for b in inproc ptrace; do
    check "[$b] a signal ignored at exec reads back as SIG_IGN" bash -c "trap '' USR1; $M --backend=$b run $C/sigdisp 30; [ \$? -eq 1 ]"
    check "[$b] and one not ignored as SIG_DFL" status_is 0 $M --backend=$b run $C/sigdisp 30
done
if [ "$(cat /proc/sys/kernel/core_pattern 2>/dev/null)" = core ]; then
    for b in inproc ptrace; do
        check "[$b] a child that dumps core: wait4 shows signal 11 and the core flag" bash -c "cd $tmp && $(pwd)/$M --backend=$b run $(pwd)/$C/waitcore >/dev/null; r=\$?; rm -f core core.*; [ \$r -eq 0 ]"
    done
fi
check "a program the shell started keeps its PID" bash -c "$M run $C/killself 30 & pid=\$!; wait \$pid; [ \$? -eq 138 ]"
check "under a 2 GiB address-space limit a Mach-O still runs, and its children share its Mach kernel" bash -c \
    "ulimit -v 2097152; $M run $P/mach_bootstrap >/dev/null"
sess=itest-$$
check "two programs started apart meet in a named session (--session): bootstrap look-up and an RPC" bash -c \
    "rm -f /dev/shm/macrun.\$(id -u).$sess; $M --session=$sess run $C/session_peer server svc >$tmp/srv & s=\$!;
     for i in \$(seq 200); do grep -q ready $tmp/srv 2>/dev/null && break; sleep 0.05; done;
     MACRUN_SESSION=$sess $M run $C/session_peer client svc; c=\$?; wait \$s; r=\$?;
     rm -f /dev/shm/macrun.\$(id -u).$sess; [ \$c -eq 0 ] && [ \$r -eq 0 ]"
check "outside the session the service is unknown (BOOTSTRAP_UNKNOWN_SERVICE)" status_is 3 $M run $C/session_peer client svc
check "a session name that is no file name: usage error 2" status_is 2 $M --session=../x run $C/session_peer client svc
check "missing file: exit 127 and a message" bash -c "$M run /nonexistent/prog 2>$tmp/e; [ \$? -eq 127 ] && grep -q 'No such file' $tmp/e"
printf 'not a mach-o at all' > "$tmp/text"
check "not a Mach-O: exit 126, message" bash -c "$M run $tmp/text 2>$tmp/e; [ \$? -eq 126 ] && grep -q 'not a Mach-O' $tmp/e"
head -c 200 $P/hello > "$tmp/trunc"
check "truncated Mach-O: exit 126, a precise message, no crash" bash -c "$M run $tmp/trunc 2>$tmp/e; [ \$? -eq 126 ] && grep -q 'macrun: ' $tmp/e"
: > "$tmp/empty"
check "empty file: exit 126" bash -c "$M run $tmp/empty 2>/dev/null; [ \$? -eq 126 ]"
check "a directory: exit 126" bash -c "$M run /tmp 2>/dev/null; [ \$? -eq 126 ]"
printf '\xca\xfe\xba\xbe\x00\x00\x00\x34rest of a class file' > "$tmp/Hello.class"
check "a Java class file is refused as not fat Mach-O" bash -c "$M run $tmp/Hello.class 2>$tmp/e; [ \$? -eq 126 ] && grep -q 'not a fat Mach-O' $tmp/e"
check "unknown option: usage error 2" status_is 2 $M --bogus run $P/hello
check "unknown backend: usage error 2" status_is 2 $M --backend=kvm run $P/hello

if [ -x .cache/zig/zig ]; then
    printf '#include <stdio.h>\nint main(void){puts("dyn");return 0;}\n' > "$tmp/dyn.c"
    if .cache/zig/zig cc -target x86_64-macos -o "$tmp/dyn" "$tmp/dyn.c" 2>/dev/null; then
        check "a dynamically linked program is refused with a clear message" bash -c \
            "$M run $tmp/dyn 2>$tmp/e; [ \$? -eq 126 ] && grep -q 'needs the dynamic linker' $tmp/e && grep -q libSystem $tmp/e"
    fi
fi

check "inspect of a directory: a clear error, status 1" bash -c "$M inspect /tmp 2>&1 | grep -q 'is a directory'; [ \${PIPESTATUS[0]} -eq 1 ]"
check "inspect of a device: refused without reading it" bash -c "timeout 5 $M inspect /dev/zero 2>&1 | grep -q 'not a regular file'"
# The layering check on a tree of its own: a forbidden include and a backend named outside tracer/ fail it.
mkdir -p "$tmp/layers/base" "$tmp/layers/mach" "$tmp/layers/tracer" "$tmp/layers/syscalls"
echo '#pragma once' > "$tmp/layers/tracer/x.hpp"
echo '#include "base/y.hpp"' > "$tmp/layers/mach/ok.cpp"; echo '#pragma once' > "$tmp/layers/base/y.hpp"
check "the layering check passes a tree whose includes point down" python3 tests/check_layering.py "$tmp/layers"
echo '#include "tracer/x.hpp"' > "$tmp/layers/mach/bad.cpp"
echo 'bool f(const char* b) { return !strcmp(b, "ptrace"); }' > "$tmp/layers/syscalls/named.cpp"
check "the layering check fails on an include that points up, and on a backend named outside tracer/" bash -c \
    "python3 tests/check_layering.py $tmp/layers > $tmp/layers.out; [ \$? -eq 1 ] && grep -q 'mach/bad.cpp:1: mach/ may not include tracer/' $tmp/layers.out && grep -q 'syscalls/named.cpp:1: tests which backend runs' $tmp/layers.out"
check "inspect shows segments, entry and symbols" output_has 'entry: LC_UNIXTHREAD rip 0x1000' $M inspect $P/hello
check "inspect of a bad file fails cleanly" bash -c "$M inspect $tmp/trunc 2>/dev/null; [ \$? -eq 1 ]"
check "syscalls prints the support table" output_has '^[0-9]+ implemented, [0-9]+ partial, [0-9]+ missing, [0-9]+ ENOSYS on xnu too$' $M syscalls
check "syscalls lists write as implemented" output_has 'BSD syscall +4  write +implemented' $M syscalls
mkdir -p "$tmp/conf" && cp $C/exitcode $P/hello "$tmp/conf/"
check "conform: TAP, summary and JUnit XML" bash -c "$M conform $tmp/conf --junit $tmp/j.xml > $tmp/tap; \
    grep -q '^1\\.\\.2' $tmp/tap && grep -q '^ok [0-9] - hello' $tmp/tap && grep -q '^2 passed, 0 failed' $tmp/tap && \
    python3 -c 'import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); assert d.documentElement.getAttribute(\"tests\")==\"2\"' $tmp/j.xml"

# Processes: execve of Linux programs and of Mach-O programs (started under macrun again), with --trace carried
# across every exec, under both backends.
for b in inproc ptrace; do
    check "[$b] a Mach-O that execs /bin/sh -c 'exit 3' exits 3" status_is 3 $M --backend=$b run $C/execv /bin/sh -c 'exit 3'
    check "[$b] a Mach-O that execs a Mach-O: its status, same backend, one trace" bash -c \
        "$M --backend=$b --trace=$tmp/x.txt run $C/execv $C/exitcode 6; [ \$? -eq 6 ] && \
         [ \$(grep -c -- '--- exec .*(backend $b' $tmp/x.txt) -eq 2 ] && grep -q 'exit(6)' $tmp/x.txt"
    check "[$b] exec chain Mach-O -> /bin/sh -> Mach-O: both Mach-O programs traced" bash -c \
        "$M --backend=$b --trace=$tmp/chain.txt run $C/execv /bin/sh -c '$M run $C/exitcode 5'; [ \$? -eq 5 ] && \
         grep -q -- '--- exec $C/execv ' $tmp/chain.txt && grep -q -- '--- exec /bin/sh (Linux program) ---' $tmp/chain.txt && \
         grep -q -- '--- exec $C/exitcode ' $tmp/chain.txt && grep -q 'exit(5)' $tmp/chain.txt"
done

# binfmt_misc: only as root where binfmt_misc can be mounted (registrations are system-wide); everything is
# removed again at the end.
if [ "$(id -u)" -eq 0 ] && { [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null; }; then
    cp $P/hello $C/exitcode $C/cat "$tmp/" && chmod +x "$tmp/hello" "$tmp/exitcode" "$tmp/cat"
    [ -e $C/hello-fat ] && cp $C/hello-fat "$tmp/" && chmod +x "$tmp/hello-fat"
    printf '\xca\xfe\xba\xbe\x00\x00\x00\x34Java class file body' > "$tmp/Hello.class" && chmod +x "$tmp/Hello.class"
    check "binfmt install registers three formats" bash -c "$M binfmt install >/dev/null && $M binfmt status | grep -c ': enabled' | grep -qx 3"
    check "binfmt install again replaces the entries (idempotent)" bash -c "$M binfmt install >/dev/null && $M binfmt status >/dev/null"
    check "./hello runs from bash, argv[0] as typed" bash -c "cd $tmp && ./hello | grep -q 'argv\[0\]=./hello'"
    check "\$? is the program's exit status" bash -c "cd $tmp && ./exitcode 7; [ \$? -eq 7 ]"
    check "kill -TERM \$! ends it as a native program (same PID, status 143)" bash -c \
        "cd $tmp && mkfifo fifo && { ./cat < fifo & pid=\$!; exec 3>fifo; sleep 0.3; kill -TERM \$pid; wait \$pid; [ \$? -eq 143 ]; }"
    check "a fat Mach-O runs as ./prog" bash -c "[ ! -e $tmp/hello-fat ] || (cd $tmp && ./hello-fat | grep -q Hello)"
    check "a Java class file is not claimed (Exec format error, 126)" bash -c "cd $tmp && ./Hello.class 2>/dev/null; [ \$? -eq 126 ]"
    printf 'one\ntwo\n' > "$tmp/in.txt"
    check "a Mach-O runs /bin/sh -c './cat < in | ./cat > out': the pipeline works and both Mach-O cats are traced" bash -c \
        "cd $tmp && $(pwd)/$M --trace=$tmp/pipe.txt run $(pwd)/$C/execv /bin/sh -c './cat < in.txt | ./cat > out.txt' && cmp in.txt out.txt && \
         [ \$(grep -c -- '--- exec ./cat' $tmp/pipe.txt) -eq 2 ] && grep -q 'read(0' $tmp/pipe.txt"
    check "binfmt install --systemd writes a binfmt.d file" bash -c "$M binfmt install --systemd=$tmp/macrun.conf >/dev/null && grep -c '^:macrun-' $tmp/macrun.conf | grep -qx 3"
    check "binfmt uninstall removes every entry" bash -c "$M binfmt uninstall >/dev/null; ! $M binfmt status >/dev/null && [ ! -e /proc/sys/fs/binfmt_misc/macrun-macho64 ] && [ ! -e build/macrun-binfmt ]"
    check "after uninstall ./hello is no longer runnable" bash -c "cd $tmp && ./hello 2>/dev/null; [ \$? -eq 126 ]"
fi
check "binfmt with a bad subcommand: usage error 2" status_is 2 $M binfmt frobnicate

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
