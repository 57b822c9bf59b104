# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# KTAP for the shell tests, as tests/lib/ktcptest.py prints it, and proof
# that a program's traffic went through ktcp rather than kernel TCP.
# Sourced; ktap_done prints the plan and totals and sets the exit status.
fails=0 n=0
echo "KTAP version 1"
ok() { n=$((n + 1)); echo "ok $n $*"; }
bad() { n=$((n + 1)); echo "not ok $n $*"; fails=$((fails + 1)); }
ktap_done() {
	echo "1..$n"
	echo "# Totals: pass:$((n - fails)) fail:$fails skip:0"
	[ $fails = 0 ]
}

insegs() { awk '$1 == "InSegs" { print $2 }' /proc/net/ktcp_stat; }
mark=$(insegs)
# moved WHAT MIN: WHAT, since the last call, took at least MIN segments in.
moved() {
	local now
	now=$(insegs)
	if [ $((now - mark)) -ge "$2" ]; then
		ok "$1 went through ktcp ($((now - mark)) segments in)"
	else
		bad "$1: ktcp saw only $((now - mark)) segments"
	fi
	mark=$now
}
