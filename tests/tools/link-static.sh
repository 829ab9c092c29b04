#!/bin/sh
# link-static.sh LD64 MKSTATIC OUT LDFLAGS... -- OBJECTS...: links a static test program with ld64.lld (which
# writes LC_MAIN) and rewrites it to LC_UNIXTHREAD with mkstatic, leaving only OUT (executable) behind.
set -e
ld64=$1 mkstatic=$2 out=$3
shift 3
"$ld64" -o "$out.lcmain" "$@"
"$mkstatic" "$out.lcmain" "$out"
chmod +x "$out"  # an executable, as ld64 makes it (execve checks the execute bits)
rm -f "$out.lcmain"
