#!/usr/bin/env bash
# The whole test suite: the layering check, unit tests, the x86 decoder against llvm-objdump, the Mach-O
# conformance programs under each backend, command-line integration tests, the parser fuzzer (bounded) and
# the LIEF differential check. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ninja -C build >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }
# Reads the last "N passed, N failed" line of a log.
count_from() {
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then add 0 1; return; fi
    add "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')"
}

logs=$(mktemp -d)

echo "== layering (tests/check_layering.py: includes only go down the layers)"
python3 tests/check_layering.py >"$logs/layering" 2>&1
grep -v -E '^[0-9]+ passed' "$logs/layering" | head -n 30
count_from "$logs/layering"

echo "== unit tests"
timeout 300 build/tests/unit-tests >"$logs/unit" 2>&1
tail -n 3 "$logs/unit"
u=$(grep -E '^\[doctest\] test cases:' "$logs/unit" | tail -n 1)
if [ -n "$u" ]; then
    add "$(echo "$u" | awk -F'|' '{print $2}' | awk '{print $1}')" "$(echo "$u" | awk -F'|' '{print $3}' | awk '{print $1}')"
else
    add 0 1
fi

echo "== x86 decoder against llvm-objdump"
timeout 300 tests/decode_diff.sh >"$logs/decode" 2>&1
grep -E '^not ok' "$logs/decode" | head -n 20
tail -n 1 "$logs/decode"
count_from "$logs/decode"

for backend in inproc sigsys ptrace; do
    echo "== conformance programs (backend $backend)"
    flags=(--backend=$backend)
    [ $backend = sigsys ] && flags=(--backend=inproc --no-fastpath)
    timeout 1800 build/macrun conform build/tests/progs "${flags[@]}" --timeout 120 --junit "build/conform-$backend.xml" >"$logs/conform-$backend" 2>&1
    grep -E '^(not ok|ok)' "$logs/conform-$backend" | grep -c '^ok' | xargs -I{} echo "{} programs passed"
    grep -A8 '^not ok' "$logs/conform-$backend" | head -n 60
    count_from "$logs/conform-$backend"
done

echo "== integration tests"
timeout 900 tests/integration.sh >"$logs/integration" 2>&1
grep -E '^(FAIL|not ok)' "$logs/integration" | head -n 30
count_from "$logs/integration"

echo "== Mach-O parser fuzzing"
FUZZ_SECONDS=${FUZZ_SECONDS:-60} tests/fuzz/run.sh >"$logs/fuzz" 2>&1
tail -n 2 "$logs/fuzz"
count_from "$logs/fuzz"

echo "== parser against LIEF"
timeout 300 build/tests/lief-diff build/tests/progs/* build/tests/cli/* >"$logs/lief" 2>&1
grep -E '^(FAIL|mismatch)' "$logs/lief" | head -n 20
count_from "$logs/lief"

rm -rf "$logs"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
