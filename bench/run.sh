#!/usr/bin/env bash
# Prints the cost of one XNU call (made through a libsystem_kernel-shaped stub) against the native Linux call,
# per backend, with the tracee and supervisor pinned to one CPU and unpinned, and the start-to-exit time of a
# trivial static Mach-O. Backends: inproc (default: SIGSYS on first use, then the rewritten call site),
# sigsys (inproc with --no-fastpath: a signal per call), ptrace (RET_TRACE, supervisor process).
# Usage: bench/run.sh [N]   (N calls per measurement, default 200000; each figure is the median of 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
ninja -C build >/dev/null
n=${1:-200000}
M=build/macrun
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # measure PIN CMD...: median ns per call over 5 runs
    local pin=$1
    shift
    for _ in 1 2 3 4 5; do
        if [ "$pin" = pinned ]; then taskset -c 0 "$@" | sed -n 1p; else "$@" | sed -n 1p; fi
    done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

printf '%-8s %-9s %-8s %12s %12s %8s\n' call cpus backend "native ns" "macrun ns" ratio
for call in getpid getpid_xor getpid_reg write1 fstat; do
    for pin in pinned unpinned; do
        native=$(measure $pin build/bench/native-loop $call "$n")
        for backend in inproc sigsys ptrace; do
            count=$n
            flags=(--backend=$backend)
            [ $backend = ptrace ] && count=$((n / 10))
            [ $backend = sigsys ] && flags=(--backend=inproc --no-fastpath)
            ours=$(measure $pin $M "${flags[@]}" run build/bench/xnu_loop $call $count)
            printf '%-8s %-9s %-8s %12s %12s %8s\n' $call $pin $backend "$native" "$ours" "$(ratio "$ours" "$native")"
        done
    done
done

# Mach IPC: an RPC round trip between two threads of one program (client -> server thread -> reply, one
# mach_msg2 per message on each side), against the same exchange over two pipes natively; and a MIG call to
# macrun's own kernel (mach_port_get_refs on the task port), which has no Linux counterpart.
echo
printf '%-8s %-9s %-8s %12s %12s %8s\n' ipc cpus backend "native ns" "macrun ns" ratio
for pin in pinned unpinned; do
    native=$(measure $pin build/bench/native-loop rpc $((n / 10)))
    for backend in inproc ptrace; do
        count=$((n / 10))
        [ $backend = ptrace ] && count=$((n / 200))
        ours=$(measure $pin $M --backend=$backend run build/bench/xnu_loop rpc $count)
        printf '%-8s %-9s %-8s %12s %12s %8s\n' rpc $pin $backend "$native" "$ours" "$(ratio "$ours" "$native")"
    done
    for backend in inproc ptrace; do
        count=$n
        [ $backend = ptrace ] && count=$((n / 20))
        ours=$(measure $pin $M --backend=$backend run build/bench/xnu_loop mig $count)
        printf '%-8s %-9s %-8s %12s %12s %8s\n' mig $pin $backend - "$ours" -
    done
done
echo

# Start to exit, timed by hyperfine without a shell (-N): a static Mach-O that makes no call but exit against
# a static native ELF that returns from main. The median of 300 runs, in microseconds.
hf_median_us() {
    local json
    json=$(mktemp)
    hyperfine -N --warmup 20 --runs 300 --export-json "$json" "$@" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join("%.0f" % (x["median"] * 1e6) for x in r))' "$json"
    rm -f "$json"
}
read -r native_us inproc_us ptrace_us < <(hf_median_us build/bench/native-true \
    "$M --backend=inproc run build/tests/cli/exitcode" "$M --backend=ptrace run build/tests/cli/exitcode")
echo
printf '%-34s %10s %10s %8s\n' "start and exit" "native us" "macrun us" ratio
printf '%-34s %10s %10s %8s\n' "static program, inproc" "$native_us" "$inproc_us" "$(ratio "$inproc_us" "$native_us")"
printf '%-34s %10s %10s %8s\n' "static program, ptrace" "$native_us" "$ptrace_us" "$(ratio "$ptrace_us" "$native_us")"

# fork + exit + wait4, and fork + execve + wait4 of a trivial program, from a program of the same kind, per
# iteration.
forks=$((n / 500 > 50 ? n / 500 : 50))
native_fw=$(measure unpinned build/bench/native-loop forkwait "$forks")
ours_fw=$(measure unpinned $M run build/bench/xnu_loop forkwait "$forks")
printf '%-34s %10s %10s %8s\n' "fork+exit+wait, inproc (ns)" "$native_fw" "$ours_fw" "$(ratio "$ours_fw" "$native_fw")"
native_fe=$(measure unpinned build/bench/native-loop forkexec "$forks" build/bench/native-true)
ours_fe=$(measure unpinned $M run build/bench/xnu_loop forkexec "$forks" build/tests/cli/exitcode)
printf '%-34s %10s %10s %8s\n' "fork+exec+wait, inproc (ns)" "$native_fe" "$ours_fe" "$(ratio "$ours_fe" "$native_fe")"

# Resident memory of an idle process (blocked reading an empty pipe): the Mach-O under macrun against the
# same loop built for Linux, in KiB.
rss_kib() {
    "$@" < <(sleep 1) >/dev/null &
    local pid=$!
    sleep 0.5
    awk '/^VmRSS:/ {print $2}' /proc/$pid/status
    wait $pid 2>/dev/null
}
native_rss=$(rss_kib build/bench/native-loop idle 0)
ours_rss=$(rss_kib $M run build/bench/xnu_loop idle 0)
printf '%-34s %10s %10s %8s\n' "resident memory when idle (KiB)" "$native_rss" "$ours_rss" "+$((ours_rss - native_rss))"

# Per-call cost of each candidate interception mechanism for a fake XNU getpid, measured directly
# (bench/mechanisms.c); prints its own table.
echo
build/bench/mechanisms "$n"
