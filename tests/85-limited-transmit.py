#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Limited transmit (RFC 3042), kernel TCP and ktcp side by side.

Before fast retransmit, each duplicate ACK says that a segment has left
the network, and a new segment may take its place, so that a small
window still gets the three duplicate ACKs fast retransmit needs.  TCP
counts every duplicate ACK so (its pipe subtracts what the peer reports
received: SACKed segments, or one per duplicate ACK without SACK).

A scripted peer without SACK or timestamps lets a 20-segment write fill
the initial window of ten segments, then sends three duplicate ACKs,
0.3 s apart (its handshake took 0.5 s, so the RTO is longer than the
case).  Both stacks must send segment 11 after the first, segment 12
after the second, and resend segment 1 after the third: counted in
segments, since kernel TCP's GSO sends two at once on veth."""
# kernels: debug 6.1 6.12 7
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check_eq, done, pattern  # noqa: E402
from ktcppeer import FakePeer, TsConnection, side_by_side  # noqa: E402

PORT, PPORT, MSS = 7850, 41850, 1000
P0 = 7000000                    # the peer's ISN
WAIT = 0.3


def case(net, proto, port, pport):
    peer = FakePeer(net, proto=proto)
    try:
        c = TsConnection(net, peer, proto, port, pport, P0, 0, MSS,
                         sack=False, ts=False, ack_delay=0.5)
        c.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.s.send(pattern(85, 20 * MSS))
        out = [c.sent_offsets(WAIT, MSS)]
        for _ in range(3):
            c.send(P0 + 1, 0)           # a duplicate ACK: nothing acked
            out.append(c.sent_offsets(WAIT, MSS))
        c.close()
    finally:
        peer.close()
    return out


seen = side_by_side(case, PORT, PPORT)

for name in ("tcp", "ktcp"):
    print(f"     {name}: the first flight {seen[name][0]}, after each "
          f"duplicate ACK {seen[name][1:]}")
for name in ("tcp", "ktcp"):
    first, dup1, dup2, dup3 = seen[name]
    check_eq(first, [i * MSS for i in range(10)], f"{name}: the initial "
             "window's ten segments")
    check_eq((dup1, dup2, dup3[:1]), ([10 * MSS], [11 * MSS], [0]),
             f"{name}: a new segment after each of the first two "
             "duplicate ACKs, fast retransmit after the third")
check_eq(seen["ktcp"], seen["tcp"], "ktcp sends as kernel TCP")
done()
