# Shared by the scripts in this directory (sourced, not run).
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KTCP_CACHE=${KTCP_CACHE:-$HOME/.cache/ktcp}
export KTCP_CACHE
KERNELS="debug 6.1 6.12"

die() { echo "${0##*/}: $*" >&2; exit 1; }

check_kernel() {
	case " $KERNELS " in
	*" $1 "*) ;;
	*) die "unknown kernel '$1' (want one of: $KERNELS)" ;;
	esac
}

# Run a long, noisy command with its output in LOG; show the tail on failure.
quiet_run() {
	local log=$1; shift
	if ! "$@" >>"$log" 2>&1; then
		echo "${0##*/}: failed: $*" >&2
		tail -n 40 "$log" >&2
		echo "${0##*/}: full log: $log" >&2
		return 1
	fi
}
