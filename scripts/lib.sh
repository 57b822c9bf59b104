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

# Host apt-get that waits for another apt or dpkg (unattended-upgrades, a
# parallel kernel-setup or scripts/deps) instead of failing. apt 2.6 waits
# for dpkg's locks when given DPkg::Lock::Timeout, but `apt-get update` takes
# only the lists lock, for which it has no timeout (`apt-get download` takes
# none): a run that fails on a lock is retried until 10 minutes have passed.
# stdout passes through; stderr comes once the run is over.
apt_get() {
	local end=$((SECONDS + 600)) err
	while :; do
		if { err=$(LC_ALL=C apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1 >&3 3>&-); } 3>&1; then
			[ -z "$err" ] || printf '%s\n' "$err" >&2
			return 0
		fi
		if [[ $err == *"Could not get lock"* ]] && [ "$SECONDS" -lt "$end" ]; then
			sleep 5
			continue
		fi
		printf '%s\n' "$err" >&2
		return 1
	done
}

# apt_retry LOG COMMAND...: run an apt-get command quietly into LOG; on
# failure refresh stale package lists once.
apt_retry() {
	local log=$1
	shift
	export DEBIAN_FRONTEND=noninteractive
	"$@" >"$log" 2>&1 && return
	apt_get update -qq >>"$log" 2>&1 || true
	"$@" >>"$log" 2>&1 && return
	tail -n 20 "$log" >&2
	die "failed: $*"
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
