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
for call in getpid write1 fstat; do
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

startup() {  # median microseconds of 20 runs of CMD
    for _ in $(seq 20); do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done | median
}
native_us=$(startup build/bench/native-true)
for backend in inproc ptrace; do
    ours_us=$(startup $M --backend=$backend run build/tests/progs/hello)
    printf 'start-to-exit of a trivial static Mach-O, %-6s: %6s us (native static ELF %s us, %s)\n' \
        $backend "$ours_us" "$native_us" "$(ratio "$ours_us" "$native_us")"
done

# Per-call cost of each candidate interception mechanism for a fake XNU getpid, measured directly
# (bench/mechanisms.c); prints its own table.
echo
build/bench/mechanisms "$n"
