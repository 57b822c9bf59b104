# Shared by the scripts in this directory (sourced, not run).
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KTCP_CACHE=${KTCP_CACHE:-$HOME/.cache/ktcp}
export KTCP_CACHE
KERNELS="debug 6.1 6.12 7"
# Kernels a guest test runs on unless its "# kernels:" line names others.
# The 7.x kernel (newest Debian ships) runs a smoke set, see scripts/check.
TEST_KERNELS="debug 6.1 6.12"

# Kernel messages that mean a bug (vm-run, run-tests).
KTCP_SPLAT='BUG:|Oops|KASAN:|UBSAN:|WARNING:|kernel BUG|general protection fault|Kernel panic|'\
'possible recursive locking|inconsistent lock state|circular locking|suspicious RCU usage|'\
'lock held when returning|bad unlock balance|possible irq lock inversion|'\
'refcount_t:|soft lockup|hung task|blocked for more than|suspected memory leak|'\
'sleeping function called from invalid context|list_add corruption|list_del corruption'

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
