#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Answers to bad segments are rate limited per connection, kernel TCP
and ktcp alike (a scripted peer, tests/lib/ktcppeer.py, against each):

- RFC 5961: in-window RSTs and SYNs each earn a challenge ACK, but one
  connection gets at most one per half second (TCP's
  net.ipv4.tcp_invalid_ratelimit), and no fixed count for the namespace
  tells an attacker what other connections got (CVE-2016-5696);
- RFC 9293 3.10.7.4: out-of-window ACKs are answered, no more than one
  per half second, while out-of-window data is answered each time (it
  cannot be part of an ACK loop)."""
# kernels: debug 6.12
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done  # noqa: E402
from ktcppeer import peer_connection  # noqa: E402
from ktcppkt import ACK, RST, SYN  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT = 7200, 41000
ISN = 1000000
FAR = 0x40000000


def answers(peer, sport, send, n, gap=0.0):
    """Send @n segments (@send(i)); the ACKs that come back."""
    peer.poll(0.3)
    peer.seen = []
    for i in range(n):
        send(i)
        if gap:
            time.sleep(gap)
    got = peer.poll(0.4)
    return len([p for p in got if p["dport"] == sport and p["flags"] == ACK])


def run(proto):
    net = Netns()
    try:
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, ISN, 1460,
                                               proto=proto)
        net.enter(None)
        rn, sn = ISN + 1, synack["seq"] + 1
        out = {}

        def rst(i):
            peer.send(PPORT, PORT, rn + 100 + i, 0, RST)

        def syn(i):
            peer.send(PPORT, PORT, rn + 200 + i, 0, SYN)

        def old_ack(i):
            peer.send(PPORT, PORT, rn + FAR + i, sn, ACK)

        def old_data(i):
            peer.send(PPORT, PORT, rn + FAR + i, sn, ACK, payload=b"x")

        time.sleep(0.6)
        out["3 RSTs at once"] = answers(peer, PPORT, rst, 3)
        time.sleep(0.6)
        out["3 RSTs 0.6 s apart"] = answers(peer, PPORT, rst, 3, 0.6)
        time.sleep(0.6)
        out["3 SYNs at once"] = answers(peer, PPORT, syn, 3)
        time.sleep(0.6)
        out["3 out-of-window ACKs"] = answers(peer, PPORT, old_ack, 3)
        time.sleep(0.6)
        out["3 out-of-window data"] = answers(peer, PPORT, old_data, 3)
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return out


seen = {name: run(proto) for name, proto in PROTOS}
for case in seen["tcp"]:
    print(f"     {case}: tcp {seen['tcp'][case]}, ktcp {seen['ktcp'][case]}")
want = {"3 RSTs at once": 1, "3 RSTs 0.6 s apart": 3, "3 SYNs at once": 1,
        "3 out-of-window ACKs": 1, "3 out-of-window data": 3}
check_eq(seen["ktcp"], want, "ktcp: one answer per half second, data always")
check_eq(seen["ktcp"], seen["tcp"], "ktcp answers as kernel TCP")
done()
