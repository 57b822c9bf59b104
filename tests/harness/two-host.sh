#!/bin/bash
# Two guests joined by a virtio-net link (a QEMU socket netdev on
# 127.0.0.1): Debian 6.12 serves on 192.0.2.1, Debian 6.1 connects from
# 192.0.2.2, and each sends 16 MiB the other checks byte for byte.  Then
# again, 4 MiB, with an e1000 NIC on the client: QEMU's virtio-net has no
# checksum offload on socket netdevs, e1000's device model does.
#   two-host.sh [SERVER_KERNEL [CLIENT_KERNEL [MIB]]]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SK=${1:-6.12} CK=${2:-6.1} MIB=${3:-16}
G=$ROOT/tests/harness/two-host-guest.py

# pair SERVER_KERNEL CLIENT_KERNEL CLIENT_NIC MIB: one run of two guests.
pair() {
	local port='' p spid src crc out
	# A free port: the listening guest binds it, the other connects.
	for p in $(shuf -i 20000-40000 -n 20); do
		if ! ss -Htln "sport = :$p" | grep -q .; then port=$p; break; fi
	done
	[ -n "$port" ] || { echo "two-host: no free port"; return 1; }
	out=$(mktemp -d "${TMPDIR:-/tmp}/two-host.XXXXXX")
	"$ROOT/scripts/vm-run" --kernel "$1" --timeout 400 \
		--net-socket "listen:$port" \
		-- "$G" server 192.0.2.1 "$4" >"$out/server" 2>&1 &
	spid=$!
	# QEMU must listen before the other one connects to it.
	for _ in $(seq 600); do
		ss -Htln "sport = :$port" | grep -q . && break
		kill -0 $spid 2>/dev/null || break
		sleep 0.2
	done
	"$ROOT/scripts/vm-run" --kernel "$2" --timeout 400 \
		--net-socket "connect:$port:$3" \
		-- "$G" client 192.0.2.2 "$4" >"$out/client" 2>&1
	crc=$?
	wait $spid
	src=$?
	echo "--- server ($1, virtio-net-pci), exit $src"
	cat "$out/server"
	echo "--- client ($2, $3), exit $crc"
	cat "$out/client"
	rm -rf "$out"
	[ "$src" = 0 ] && [ "$crc" = 0 ]
}

# pair_once_more ARGS...: pair ARGS, and once more if a guest's kernel
# died while booting (vm-run's exit 122), before ktcp was loaded.
pair_once_more() {
	local log
	log=$(mktemp "${TMPDIR:-/tmp}/two-host.XXXXXX")
	pair "$@" >"$log"
	local prc=$?
	if [ "$prc" != 0 ] && grep -q '^--- .*, exit 122$' "$log"; then
		echo "two-host: a guest crashed while booting; running the pair again:"
		sed 's/^/    /' "$log"
		pair "$@" >"$log"
		prc=$?
	fi
	cat "$log"
	rm -f "$log"
	return $prc
}

rc=0
pair_once_more "$SK" "$CK" virtio-net-pci "$MIB" || rc=1
# The same across a NIC that offloads the transmit checksum.
pair_once_more "$SK" "$CK" e1000 4 || rc=1
exit $rc
