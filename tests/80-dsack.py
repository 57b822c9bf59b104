#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""D-SACK (RFC 2883) from the receiver, kernel TCP and ktcp side by side.

A scripted peer with SACK sends the same segments to both stacks, some
of them twice, and reads the ACK each one gets.  The first SACK block
of an ACK reports data that arrived twice, then come the usual blocks:
- a segment received again, all below RCV.NXT: a D-SACK of all of it;
- one that starts below RCV.NXT and brings new data: a D-SACK of the
  old part;
- an out-of-order segment received again: a D-SACK of it, then the SACK
  block that holds it;
- one that overlaps a queued out-of-order segment: a D-SACK of the
  overlap, then the grown SACK block;
- the segment that fills the hole: no block at all, and every byte
  reaches the reader once."""
# kernels: debug 6.1 6.12 7
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done, pattern  # noqa: E402
from ktcppeer import peer_connection, sack_blocks  # noqa: E402
from ktcppkt import ACK  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7800, 41800, 1000
P0 = 11000000                   # the peer's ISN
DATA = pattern(80, 450)
# (offset, length) the peer sends, and the ACK and blocks each must get,
# relative to its first byte of data
STEPS = [((0, 100), (100, [])),
         ((0, 100), (100, [(0, 100)])),
         ((50, 150), (200, [(50, 100)])),
         ((300, 100), (200, [(300, 400)])),
         ((300, 100), (200, [(300, 400), (300, 400)])),
         ((350, 100), (200, [(350, 400), (300, 450)])),
         ((200, 100), (450, []))]


def run(proto):
    """The (ACK, SACK blocks) each step got from one stack, and what its
    reader received."""
    net = Netns()
    got = []
    try:
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS,
                                               proto=proto)
        a0, d0 = synack["seq"] + 1, P0 + 1
        for (off, n), _ in STEPS:
            peer.poll(0.2)      # nothing left over from the last step
            peer.seen = []
            peer.send(PPORT, PORT, d0 + off, a0, ACK,
                      payload=DATA[off:off + n])
            p = peer.wait(lambda p: p["dport"] == PPORT, 1.0)
            got.append(p and ((p["ack"] - d0) & 0xffffffff,
                              [((x - d0) & 0xffffffff, (y - d0) & 0xffffffff)
                               for x, y in sack_blocks(p)]))
        s.settimeout(3)
        data = b""
        while len(data) < len(DATA):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return got, data


for name, proto in PROTOS:
    got, data = run(proto)
    for i, ((seg, want), step) in enumerate(zip(STEPS, got)):
        check_eq(step, want, f"{name}: segment {seg} ({i + 1}) is acked "
                 "with these SACK blocks")
    check_eq(data == DATA, True, f"{name}: the reader gets the "
             f"{len(DATA)} bytes once, in order")
done()
