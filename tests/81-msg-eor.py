#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""MSG_EOR ends a record: no later write joins its segment, kernel TCP
and ktcp side by side.

With Nagle on, a scripted peer holds the ACK of a first 100-byte write
while two more writes of 100 bytes follow:
- without MSG_EOR the two join in one segment, which Nagle holds until
  the ACK and which then goes as 200 bytes;
- with MSG_EOR on the second write, the third starts a segment of its
  own; Nagle only holds the last segment of the queue, so the second
  goes at once, alone, and the third after the second's ACK."""
# kernels: debug 6.1 6.12 7
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done  # noqa: E402
from ktcppeer import peer_connection  # noqa: E402
from ktcppkt import ACK  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7810, 41810, 1000
P0 = 13000000                   # the peer's ISN
MSG_EOR = 0x80


def lengths(peer, a0, timeout=0.3):
    """(offset from a0, length) of the data segments that reach the
    peer within @timeout seconds."""
    peer.seen = []
    peer.wait(lambda p: False, timeout)
    return [(p["seq"] - a0, p["len"]) for p in peer.seen
            if p["dport"] == PPORT and p["len"]]


def run(proto, eor):
    """The segments sent at first, after the first ACK and after the
    second, with MSG_EOR on the second write if @eor."""
    net = Netns()
    try:
        # a half-second handshake RTT keeps loss probes and the RTO
        # (seconds) out of the test's fractions of a second
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS,
                                               ack_delay=0.5, proto=proto)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        a0, d0 = synack["seq"] + 1, P0 + 1
        s.send(b"a" * 100)
        first = lengths(peer, a0)
        s.sendmsg([b"b" * 100], [], MSG_EOR if eor else 0)
        s.send(b"c" * 100)
        held = lengths(peer, a0)
        peer.send(PPORT, PORT, d0, a0 + 100, ACK)
        after_one = lengths(peer, a0)
        end = max(o + n for o, n in first + held + after_one)
        peer.send(PPORT, PORT, d0, a0 + end, ACK)
        after_two = lengths(peer, a0)
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return first + held, after_one, after_two


for eor, want in ((False, ([(0, 100)], [(100, 200)], [])),
                  (True, ([(0, 100), (100, 100)], [], [(200, 100)]))):
    what = "with MSG_EOR" if eor else "without MSG_EOR"
    for name, proto in PROTOS:
        got = run(proto, eor)
        check_eq(got, want, f"{name}, {what}: segments sent at first, "
                 "after the first ACK and after the second")
done()
