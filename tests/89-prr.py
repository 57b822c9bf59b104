#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Proportional Rate Reduction (RFC 6937) in SACK recovery, kernel TCP
and ktcp side by side.

Recovery brings the flight down to ssthresh.  Without PRR the window
drops to ssthresh at once and the sender goes silent until enough has
left the network, then sends in a burst; with it, the sender sends in
proportion to what each ACK delivers, ssthresh per flight at recovery's
start, and once the pipe is at ssthresh, no more than what was
delivered.

A scripted peer with SACK, without timestamps, its handshake 0.5 s late
(so that the RTO outlasts the case), acks the initial window of ten
segments: both stacks, on CUBIC, open the window to 20 and send 20 of
the 30 segments written next.  The first of them is lost; the peer's
ACKs then SACK the others, 3, then 1, 1, 1, 2, 3 and 3 more.  Both
stacks must send exactly this after each ACK (segments counted from
the first, whole MSS, since kernel TCP's GSO sends two at once on veth):
the fast retransmit and two new ones (3 delivered × 14/20, rounded
up), nothing, one, one, one, nothing (the pipe is at ssthresh 14), and
three (the pipe is 11); then the cumulative ACK of the 20 ends recovery
and the last two go."""
# kernels: 6.1 6.12 7
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check_eq, done, pattern  # noqa: E402
from ktcppeer import (FakePeer, TsConnection, sack_option,  # noqa: E402
                      side_by_side)

PORT, PPORT, MSS = 7890, 41890, 1000
P0 = 8900000                    # the peer's ISN
WAIT = 0.15
# Segments SACKed above the lost 10th (offset 10) after each ACK.
SACKED_UP_TO = (14, 15, 16, 17, 19, 22, 25)
EXPECTED = [[10, 30, 31], [], [32], [33], [34], [], [35, 36, 37]]


def sent(c, timeout):
    """The segments the peer gets within @timeout seconds, numbered from
    the first the listener's side sent."""
    return [off // MSS for off in c.sent_offsets(timeout, MSS)]


def case(net, proto, port, pport):
    peer = FakePeer(net, proto=proto)
    try:
        c = TsConnection(net, peer, proto, port, pport, P0, 0, MSS,
                         sack=True, ts=False, ack_delay=0.5)
        c.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.s.send(pattern(89, 10 * MSS))
        out = {"initial window": sent(c, WAIT)}
        c.send(P0 + 1, 0, ack=c.a0 + 10 * MSS)
        sent(c, WAIT)
        c.s.send(pattern(90, 30 * MSS))
        out["window of 20"] = sent(c, WAIT)
        out["recovery"] = []
        for end in SACKED_UP_TO:
            c.send(P0 + 1, 0, ack=c.a0 + 10 * MSS, opts=sack_option(
                [(c.a0 + 11 * MSS, c.a0 + end * MSS)]))
            out["recovery"].append(sent(c, WAIT))
        c.send(P0 + 1, 0, ack=c.a0 + 30 * MSS)
        out["after recovery"] = sent(c, WAIT)
        c.close()
    finally:
        peer.close()
    return out


seen = side_by_side(case, PORT, PPORT)

for name in ("tcp", "ktcp"):
    print(f"     {name}: {seen[name]}")
for name in ("tcp", "ktcp"):
    check_eq((seen[name]["initial window"], seen[name]["window of 20"]),
             (list(range(10)), list(range(10, 30))),
             f"{name}: ten segments, then 20 once they are acked")
    check_eq(seen[name]["recovery"], EXPECTED,
             f"{name}: what each ACK in recovery lets out")
    check_eq(seen[name]["after recovery"], [38, 39],
             f"{name}: the rest once recovery is over")
check_eq(seen["ktcp"], seen["tcp"], "ktcp sends as kernel TCP")
done()
