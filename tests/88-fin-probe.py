#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A lost FIN is probed for as lost data is, kernel TCP and ktcp side by
side.

TCP's tail loss probe (RFC 8985 7.2) also covers a FIN that goes
unanswered after close(): the probe is due two smoothed RTTs plus the
worst-case delayed ACK (200 ms) after it when one segment is out, but
never later than the RTO, which is SRTT + 200 ms on a short path; the
RTO follows the probe, then backs off.  So the FIN goes again after
one RTO (the probe), one RTO, and two.  A scripted peer with SACK opens
the connection, the listener's side closes it, and the peer answers
nothing.  Both stacks must send their FINs at the same gaps.

Then the peer sends a byte, without acking the FIN.  Nobody will read
it (RFC 1122 4.2.2.13): both stacks must answer with a reset of the
segment, SEQ = SEG.ACK and no ACK flag (RFC 9293 3.10.7.1), as
packetdrill's user_timeout.pkt expects of TCP, and be gone: a second
byte gets the same reset."""
# kernels: debug 6.1 6.12 7
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done  # noqa: E402
from ktcppeer import FakePeer, TsConnection  # noqa: E402
from ktcppkt import FIN, RST  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7880, 41880, 1000
P0 = 8800000                    # the peer's ISN
FINS = 4                        # the FIN and its first three resends


def fin_times(c):
    """When the first FINS FINs reach the peer, in seconds after the
    first; the handshake's RTT is about 0.2 s (the peer's polling), so
    they come within 4 s."""
    c.peer.seen.clear()
    c.close()
    times, t0 = [], None
    end = time.monotonic() + 6
    while time.monotonic() < end and len(times) < FINS:
        for p in c.peer.poll(0.01):
            if p["dport"] == c.pport and p["flags"] & FIN:
                t0 = t0 or time.monotonic()
                times.append(time.monotonic() - t0)
    return times


def reset_for_data(c, seq):
    """(flags, SEQ - a0, ACK field) of the reset that a byte at @seq,
    acking nothing, gets; None if none comes."""
    c.peer.seen.clear()
    c.send(seq, 0, payload=b"x")
    rst = c.segment(lambda p: p["flags"] & RST, timeout=2, step=0.05)
    return rst and (rst["flags"], rst["seq"] - c.a0, rst["ack"])


def case(net, proto, i):
    peer = FakePeer(net, proto=proto)
    try:
        c = TsConnection(net, peer, proto, PORT + i, PPORT + i, P0, 0, MSS,
                         ts=False, ack_delay=0)
        times = fin_times(c)
        resets = [reset_for_data(c, P0 + 1), reset_for_data(c, P0 + 2)]
        if not resets[0]:
            c.send(P0 + 1, 0, flags=RST)    # the orphan goes
    finally:
        peer.close()
    return times, resets


net = Netns()
seen = {}
try:
    for i, (name, proto) in enumerate(PROTOS):
        seen[name] = case(net, proto, i)
finally:
    net.close()


def gaps(times):
    return [round(b - a, 2) for a, b in zip(times, times[1:])]


resets = {name: seen[name][1] for name in seen}
seen = {name: seen[name][0] for name in seen}
for name in ("tcp", "ktcp"):
    print(f"     {name}: FINs at {[round(t, 2) for t in seen[name]]} s, "
          f"gaps {gaps(seen[name])}; resets for data {resets[name]}")
check_eq((len(seen["tcp"]), len(seen["ktcp"])), (FINS, FINS),
         "the FIN and three resends from both")
for name in ("tcp", "ktcp"):
    g = gaps(seen[name])
    check(len(g) == FINS - 1 and g[1] < 1.5 * g[0] and g[2] > 1.5 * g[1],
          f"{name}: the probe, then the RTO as long, then its backoff")
check(all(abs(a - b) <= max(0.1, 0.2 * b)
          for a, b in zip(gaps(seen["ktcp"]), gaps(seen["tcp"]))),
      "ktcp's gaps as kernel TCP's (within 20 %)")
for name in ("tcp", "ktcp"):
    check_eq(resets[name], [(RST, 0, 0)] * 2, f"{name}: data after close() "
             "gets a reset at SEG.ACK without ACK, and so does the next")
check_eq(resets["ktcp"], resets["tcp"], "ktcp resets as kernel TCP")
done()
