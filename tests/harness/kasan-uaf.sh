#!/bin/sh
# A use-after-free in a module is caught: KASAN's report fails vm-run and is
# shown on its stderr, although insmod itself succeeds.
set -u
R=$(cd "$(dirname "$0")/../.." && pwd)
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$R/scripts/vm-run" --kernel debug -- insmod "$R/.build/debug-harness/uaf.ko" 2>"$err"
rc=$?
cat "$err"
[ "$rc" != 0 ] || { echo "vm-run exited 0 despite the use-after-free"; exit 1; }
grep -q 'BUG: KASAN: slab-use-after-free' "$err" || { echo "no KASAN report on stderr"; exit 1; }
