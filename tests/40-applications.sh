#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified TCP programs over ktcp: through tools/ktcp-run (LD_PRELOAD)
# for iperf3, curl + python3 -m http.server, wget and nc; natively with
# socat's protocol option.  Every transfer is verified, and each must have
# gone through ktcp (its segments counted), not kernel TCP.  Not on the debug
# kernel: these programs take most of its time starting up, and their
# socket calls are the ones the other tests make there.
# kernels: 6.1 6.12
set -u
T=$KTCP_ROOT/tools
# shellcheck source=tests/lib/ktap.sh
. "$KTCP_ROOT/tests/lib/ktap.sh"
work=$(mktemp -d)
cd "$work" || exit 1

# iperf3 for a few seconds; the run must move data over ktcp.
$T/ktcp-run iperf3 -s -4 -1 -p 5201 >iperf-s.log 2>&1 &
sleep 1
if $T/ktcp-run iperf3 -4 -c 127.0.0.1 -p 5201 -t 3 -J >iperf.json 2>iperf.err; then
	bps=$(/usr/bin/python3 -c 'import json,sys; print(int(json.load(open("iperf.json"))["end"]["sum_received"]["bits_per_second"]))')
	if [ "${bps:-0}" -gt 0 ]; then ok "iperf3 over ktcp: $((bps / 1000000)) Mbit/s"; else bad "iperf3 moved no data"; fi
else
	bad "iperf3 client failed: $(tail -n 3 iperf.err)"
fi
wait
moved iperf3 1000

# HTTP: python3 -m http.server, curl and wget, bytes verified.
head -c 3000000 /dev/urandom >blob
$T/ktcp-run /usr/bin/python3 -m http.server 8000 --bind 127.0.0.1 >http.log 2>&1 &
srv=$!
for _ in $(seq 50); do
	grep -q "^KTCP\|Serving" http.log 2>/dev/null && break
	sleep 0.2
done
sleep 0.5
if $T/ktcp-run curl -s -o got.curl http://127.0.0.1:8000/blob && cmp -s blob got.curl; then
	ok "curl downloaded 3 MB over ktcp, bytes identical"
else
	bad "curl download"
fi
moved curl 40
if $T/ktcp-run wget -q -O got.wget http://127.0.0.1:8000/blob && cmp -s blob got.wget; then
	ok "wget downloaded 3 MB over ktcp, bytes identical"
else
	bad "wget download"
fi
moved wget 40
kill $srv; wait $srv 2>/dev/null
mark=$(insegs)

# nc through the shim.
$T/ktcp-run nc -l 127.0.0.1 7901 >got.nc &
sleep 0.5
$T/ktcp-run nc -N 127.0.0.1 7901 <blob
wait
if cmp -s blob got.nc; then ok "nc carried 3 MB over ktcp"; else bad "nc transfer"; fi
moved nc 40

# socat without the shim: the protocol number picks ktcp.
sa=$(/usr/bin/python3 -c 'import socket,struct; print((struct.pack("!H",7902)+socket.inet_aton("127.0.0.1")+bytes(8)).hex())')
socat -u SOCKET-LISTEN:2:253:x$sa OPEN:got.socat,creat >/dev/null 2>&1 &
sleep 0.5
socat -u OPEN:blob SOCKET-CONNECT:2:253:x$sa
wait
if cmp -s blob got.socat; then ok "socat protocol 253 carried 3 MB"; else bad "socat transfer"; fi
moved "socat SOCKET-CONNECT" 40

# socat's TCP4 addresses with prototype=253: an echo server and a client.
head -c 300000 /dev/urandom >small
socat -t 10 TCP4-LISTEN:7903,bind=127.0.0.1,reuseaddr,prototype=253 PIPE \
	>/dev/null 2>&1 &
sleep 0.5
socat -t 10 - TCP4:127.0.0.1:7903,prototype=253 <small >got.echo
wait
if cmp -s small got.echo; then
	ok "socat TCP4 prototype=253 echoed 300 kB intact"
else
	bad "socat TCP4 echo: $(stat -c %s got.echo) of 300000 bytes back"
fi
moved "socat TCP4 prototype=253" 10
cd / && rm -rf "$work"
ktap_done
