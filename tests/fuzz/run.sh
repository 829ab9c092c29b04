#!/usr/bin/env bash
# Builds the parser fuzzer with clang (-fsanitize=fuzzer,address) and runs it for a bounded time on a seed corpus
# of every Mach-O the build made plus the kept regression inputs; then replays every regression input.
# Prints "N passed, N failed". FUZZ_SECONDS sets the time (default 60).
set -u
cd "$(dirname "$0")/../.."
out=build/fuzz
mkdir -p "$out/corpus"
seconds=${FUZZ_SECONDS:-60}
if ! clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I. \
        -DFMT_HEADER_ONLY tests/fuzz/fuzz_macho.cpp loader/macho.cpp -o "$out/fuzz_macho" 2>"$out/build.log"; then
    cat "$out/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
cp build/tests/progs/* build/tests/cli/* "$out/corpus/" 2>/dev/null
cp tests/fuzz/regressions/* "$out/corpus/" 2>/dev/null
pass=0
fail=0
# The fuzzer writes any crashing input into $out; a crash fails this run and the input should be copied into
# tests/fuzz/regressions/ once fixed.
if "$out/fuzz_macho" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -artifact_prefix="$out/" \
        "$out/corpus" >"$out/fuzz.log" 2>&1; then
    pass=$((pass + 1))
    echo "ok - fuzzed for ${seconds}s: $(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$out/fuzz.log" | tail -n 1)"
else
    fail=$((fail + 1))
    echo "FAIL - fuzzer found a crash:"
    tail -n 40 "$out/fuzz.log"
fi
for f in tests/fuzz/regressions/*; do
    [ -f "$f" ] || continue
    if "$out/fuzz_macho" "$f" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL - regression $f"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
