#!/bin/sh
# The Debian 6.12 kernel boots, loads ktcp and runs a command.
set -eu
R=$(cd "$(dirname "$0")/../.." && pwd)
exec "$R/scripts/vm-run" --kernel 6.12 -- true
