#!/usr/bin/env bash
# The x86-64 length decoder (tracer/x86_decode.cpp) against llvm-objdump: for each Mach-O file, the instruction
# boundaries build/tests/decode-diff finds from every function start of the code map must be instructions of
# the same length in `llvm-objdump --macho -d` (whose raw bytes give the length). An instruction the decoder
# refuses passes only where llvm-objdump also has a bad opcode. With no arguments, checks every Mach-O the
# build makes (test programs, command-line test programs, bench/xnu_loop); objects and other files are
# skipped. Prints "ok"/"not ok" per file and "N passed, N failed".
#
# Where the SDM and llvm-objdump disagree the decoder follows the SDM (see tracer/x86_decode.cpp: 66 before a
# near branch, mod in mov to/from CR/DR, UD0, more than 15 bytes); compilers emit none of these, so a
# difference here means a decoder bug or a new kind of code to look at.
set -uo pipefail
cd "$(dirname "$0")/.."

objdump=${LLVM_OBJDUMP:-$(command -v llvm-objdump || command -v llvm-objdump-14)}
tool=build/tests/decode-diff
if [ -z "$objdump" ] || [ ! -x "$tool" ]; then
    echo "not ok - llvm-objdump or $tool missing"
    echo "0 passed, 1 failed"
    exit 1
fi

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=(build/tests/progs/* build/tests/cli/* build/tests/decode/* build/bench/xnu_loop)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
for f in "${files[@]}"; do
    case "$f" in *.o) continue ;; esac
    [ -f "$f" ] || continue
    magic=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
    # MH_MAGIC_64 as stored by a little-endian x86-64 image, or FAT_MAGIC (big-endian).
    [ "$magic" = cffaedfe ] || [ "$magic" = cafebabe ] || continue
    if ! "$tool" "$f" >"$tmp/ours" 2>"$tmp/err"; then
        echo "not ok - $f: decode-diff failed: $(head -n 1 "$tmp/err")"
        failed=$((failed + 1))
        continue
    fi
    if ! "$objdump" --macho -d "$f" >"$tmp/theirs" 2>"$tmp/err"; then
        echo "not ok - $f: llvm-objdump failed: $(head -n 1 "$tmp/err")"
        failed=$((failed + 1))
        continue
    fi
    # llvm-objdump lines: "ADDR:<tab>BYTES<tab>TEXT", "ADDR:<tab><tab>.byte 0xNN #bad opcode", and for data in
    # code "ADDR:<tab>BYTES<tab>.long N<tab>@ KIND_...". It prints some prefixes on a line of their own (lock
    # before an instruction with a rip-relative operand, for one); such a line is joined to the instruction
    # on the next line, as the prefix belongs to it (Intel SDM vol. 2, 2.1.1). Our lines: "ADDR LEN" or
    # "ADDR ? LEFT"; an undecodable instruction also passes where llvm-objdump's runs past the LEFT bytes the
    # decoder was given (into the next function or data: alignment padding before a function, typically).
    result=$(awk -v file="$f" '
        FNR == NR {
            if ($0 !~ /^ *[0-9a-f]+:\t/) { pend = ""; next }
            line = $0
            sub(/^ +/, "", line)
            split(line, field, "\t")
            addr = substr(field[1], 1, length(field[1]) - 1)
            if (line ~ /#bad opcode/) { len[addr] = "bad"; pend = ""; next }
            if (field[3] ~ /^\.(long|short|byte|quad)/) { pend = ""; next }
            n = split(field[2], b, " ")
            asm = line
            sub(/^[^\t]*\t[^\t]*\t/, "", asm)
            alone = asm ~ /^(lock|rep|repne|data16|addr32|rex64|[c-gs]s|xacquire|xrelease|notrack)[ \t]*$/
            if (pend != "") {
                len[pend] += n
                text[pend] = text[pend] " " field[3]
                if (!alone) pend = ""
                next
            }
            len[addr] = n
            text[addr] = field[3]
            if (alone) pend = addr
            next
        }
        /^#/ { next }
        function differ(why) {
            if (!bad) first = sprintf("first difference at %s: %s", $1, why)
            bad = 1
        }
        {
            if ($2 == "?") {
                if (!($1 in len)) differ("undecodable; llvm-objdump has no instruction starting here")
                else if (len[$1] != "bad" && len[$1] + 0 <= $3 + 0)
                    differ("undecodable; llvm-objdump: " len[$1] " bytes, " text[$1])
                next
            }
            count++
            if (!($1 in len)) differ($2 " bytes; llvm-objdump has no instruction starting here")
            else if (len[$1] == "bad") differ($2 " bytes; llvm-objdump: bad opcode")
            else if (len[$1] != $2) differ($2 " bytes; llvm-objdump: " len[$1] " bytes, " text[$1])
        }
        END {
            if (bad) print "not ok - " file ": " first
            else print "ok - " file ": " count + 0 " instructions"
        }' "$tmp/theirs" "$tmp/ours")
    echo "$result"
    case "$result" in
        ok*) passed=$((passed + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
