#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""RFC 6298 5.7: a handshake whose SYN or SYN-ACK was sent again gives
no RTT sample (Karn), and the RTO starts at 3 s when data begins, as
Linux's TCP_TIMEOUT_FALLBACK, instead of the 1 s initial RTO or its
backed-off value.  Without an RTT sample the loss probe waits 1 s (RFC
8985 7.2).  A scripted peer without timestamps (which would give a
sample) takes the place of the other end and acknowledges no data; each
case runs on kernel TCP and on ktcp, and the first data segment must be
sent again 1 s after it (the probe) and 3 s after that (the RTO).

- Passive: the peer lets the first SYN-ACK go and acknowledges the
  second.
- Active: the peer lets the first SYN go and answers the second."""
# kernels: debug 6.1 6.12
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done  # noqa: E402
from ktcppeer import ACK, PEER, SYN, FakePeer, syn_options  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

ISN = 1000
MSS = 1000
DATA = b"x" * 100
# The loss probe 1 s after the data (RFC 8985 7.2 without an SRTT),
# then the RTO: 3 s (RFC 6298 5.7), restarted by the probe.
WANT = [1.0, 4.0]
SLACK = 0.5


def copies(peer, sport, dport, first_seq, span=7.5):
    """Seconds after the first data segment from @sport at which copies
    of it came, within @span seconds."""
    def data(p):
        return p["sport"] == sport and p["dport"] == dport and \
            p["seq"] == first_seq and p["len"] > 0
    t0 = None
    times = []
    end = time.time() + 5
    while time.time() < end:
        for p in peer.poll(0.02):
            if not data(p):
                continue
            if t0 is None:
                t0 = time.time()
                end = t0 + span
            else:
                times.append(round(time.time() - t0, 1))
    return times if t0 else None


def passive(net, proto, port):
    net.enter("a")
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("0.0.0.0", port))
    lst.listen(4)
    net.enter(None)
    peer = FakePeer(net, proto=proto)
    pport = port + 1000
    try:
        peer.send(pport, port, ISN, 0, SYN, opts=syn_options(MSS))

        def synack(p):
            return p["dport"] == pport and p["flags"] == SYN | ACK
        first = peer.wait(synack)
        peer.seen.remove(first)
        second = peer.wait(synack, timeout=3)
        if second is None:
            return "no second SYN-ACK"
        peer.send(pport, port, ISN + 1, second["seq"] + 1)
        net.enter("a")
        s, _ = lst.accept()
        net.enter(None)
        s.send(DATA)
        gap = copies(peer, port, pport, second["seq"] + 1)
        s.close()
        return gap
    finally:
        net.enter(None)
        peer.close()
        lst.close()


def active(net, proto, port):
    peer = FakePeer(net, proto=proto)
    net.enter("a")
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    net.enter(None)
    c.setblocking(False)
    try:
        c.connect_ex((PEER, port))

        def syn(p):
            return p["dport"] == port and p["flags"] == SYN
        first = peer.wait(syn)
        peer.seen.remove(first)
        second = peer.wait(syn, timeout=3)
        if second is None:
            return "no second SYN"
        peer.send(port, second["sport"], ISN, second["seq"] + 1, SYN | ACK,
                  opts=syn_options(MSS))
        c.setblocking(True)
        c.settimeout(5)
        peer.wait(lambda p: p["sport"] == second["sport"] and
                  p["flags"] == ACK and p["len"] == 0)
        c.send(DATA)
        return copies(peer, second["sport"], port, second["seq"] + 1)
    finally:
        c.close()
        peer.close()


def compare(what, case, net, port):
    seen = {}
    for name, proto in PROTOS:
        seen[name] = case(net, proto, port)
        port += 1
    print(f"     {what}: first data sent again after {seen}")

    def near(got):
        return isinstance(got, list) and len(got) >= len(WANT) and \
            all(abs(g - w) <= SLACK for g, w in zip(got, WANT))
    for name in ("tcp", "ktcp"):
        check(near(seen[name]), f"{name}, {what}: the loss probe after 1 "
              f"s and the RTO 3 s after it, {WANT} (got {seen[name]})")
    check_eq(near(seen["ktcp"]), near(seen["tcp"]), f"{what}: ktcp as "
             "kernel TCP")


net = Netns()
try:
    compare("SYN-ACK sent twice", passive, net, 7000)
    compare("SYN sent twice", active, net, 7100)
finally:
    net.close()
done()
