#!/bin/sh
# A guest that outlives --timeout is killed and vm-run exits 124.
set -u
R=$(cd "$(dirname "$0")/../.." && pwd)
"$R/scripts/vm-run" --kernel debug --timeout 20 -- sleep 600
rc=$?
[ "$rc" = 124 ] || { echo "expected exit 124, got $rc"; exit 1; }
