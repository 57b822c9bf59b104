#!/bin/sh
# The Debian 6.1 kernel boots, loads ktcp and runs a command.
set -eu
R=$(cd "$(dirname "$0")/../.." && pwd)
exec "$R/scripts/vm-run" --kernel 6.1 -- true
