#!/bin/sh
# vm-run passes the guest command's exit status through.
set -u
R=$(cd "$(dirname "$0")/../.." && pwd)
"$R/scripts/vm-run" --kernel debug -- sh -c 'exit 3'
rc=$?
[ "$rc" = 3 ] || { echo "expected exit 3, got $rc"; exit 1; }
