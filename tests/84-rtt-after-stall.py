#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One inflated RTT sample, kernel TCP and ktcp side by side.

RFC 7323 4.3 makes an echoed timestamp conservative: when the ACK of a
segment is lost, the ACK of its retransmission echoes the first copy's
TSval, and the sample spans the whole stall.  Under heavy loss such
samples are common.  TCP takes a sample from every ACK, so the next
round trips bring the estimate back down at once; ktcp took one per
smoothed RTT, so after a stall the next sample was always the stall's,
the RTO grew with each stall and each stall with the RTO (16 MiB under
5 % loss, normally half a minute, took 400 s).

A scripted peer acknowledges five writes at once, then lets one go
unanswered 1.5 s after the last until it is sent again, and acks it
echoing that last write's TSval.  Then:
- the RTO stays within the sysctl's bound (net.ktcp.rto_max_ms, and
  net.ipv4.tcp_rto_max_ms where the kernel has it), 1 s here;
- thirty prompt round trips later tcpi_rtt is back near the path's,
  and tcpi_rto near TCP's."""
# kernels: 6.12 7
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done, tcp_info  # noqa: E402
from ktcppeer import FakePeer, TsConnection  # noqa: E402
from ktcppkt import timestamps  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7840, 41840, 1000
P0 = 6000000                    # the peer's ISN
TS0 = 900000                    # the peer's first TSval
STALL = 1.5
RTO_MAX_MS = 1000
SYSCTL = {socket.IPPROTO_TCP: "net.ipv4.tcp_rto_max_ms",
          253: "net.ktcp.rto_max_ms"}
WRITE = 100


class Peer:
    """The peer's side of one connection: what it acked, its TSval."""

    def __init__(self, c):
        self.c = c
        self.seq = c.a0
        self.tsval = TS0 + 2

    def write(self):
        """One write on the stack's socket: its first segment."""
        self.c.peer.seen.clear()
        self.c.s.send(b"r" * WRITE)
        return self.c.segment(lambda p: p["len"] == WRITE and
                              p["seq"] == self.seq, step=0.002)

    def ack(self, tsecr):
        self.seq += WRITE
        self.c.send(P0 + 1, self.tsval, ack=self.seq, tsecr=tsecr)
        self.tsval += 1

    def rounds(self, n):
        """@n writes, each acked at once echoing its TSval.  Return: the
        last one's TSval, or None if a segment did not come."""
        for _ in range(n):
            seg = self.write()
            if seg is None or not timestamps(seg):
                return None
            self.ack(timestamps(seg)[0])
            time.sleep(0.005)
        return timestamps(seg)[0]


def case(net, proto, port, pport):
    peer = FakePeer(net, proto=proto)
    out = {}
    try:
        c = TsConnection(net, peer, proto, port, pport, P0, TS0, MSS)
        c.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        p = Peer(c)
        last = p.rounds(5)
        time.sleep(STALL)
        first = p.write()
        again = c.segment(lambda s: s["len"] == WRITE and
                          s["seq"] == p.seq and s is not first, timeout=3)
        if last is None or first is None or again is None:
            return None
        p.ack(last)
        time.sleep(0.1)
        info = tcp_info(c.s)
        out["after the stall"] = (info["rtt"], info["rto"])
        if p.rounds(30) is None:
            return None
        time.sleep(0.1)
        info = tcp_info(c.s)
        out["30 round trips later"] = (info["rtt"], info["rto"])
        c.close()
    finally:
        peer.close()
    return out


def has_sysctl(net, key):
    return os.path.exists(f"/proc/sys/{key.replace('.', '/')}")


net = Netns()
seen = {}
try:
    bounded = {}
    for name, proto in PROTOS:
        bounded[name] = has_sysctl(net, SYSCTL[proto])
        if bounded[name]:
            net.sysctl(SYSCTL[proto], RTO_MAX_MS, sides=("a",))
    for i, (name, proto) in enumerate(PROTOS):
        seen[name] = case(net, proto, PORT + i, PPORT + i)
finally:
    net.close()

print(f"     (tcpi_rtt, tcpi_rto) in us: {seen}, rto_max_ms set: {bounded}")
for name in ("tcp", "ktcp"):
    got = seen[name]
    if not check(got is not None, f"{name}: the peer's script ran"):
        continue
    rtt, rto = got["after the stall"]
    # the sample, about 1.7 s, adds an eighth of itself to the estimate
    check(rtt >= 150000, f"{name}: the stall's sample taken, tcpi_rtt "
          f"{rtt} us")
    if bounded[name]:
        check(rto <= RTO_MAX_MS * 1000, f"{name}: tcpi_rto {rto} us "
              f"within rto_max_ms {RTO_MAX_MS}")
    rtt, rto = got["30 round trips later"]
    check(rtt < 60000, f"{name}: tcpi_rtt back to {rtt} us, under 60 ms, "
          "30 round trips after the stall")
check_eq(bounded["ktcp"], True, "ktcp has net.ktcp.rto_max_ms")
if None not in seen.values():
    tcp, ktcp = seen["tcp"]["30 round trips later"][1], \
        seen["ktcp"]["30 round trips later"][1]
    check(abs(ktcp - tcp) <= 0.25 * tcp, f"tcpi_rto then: ktcp {ktcp} us, "
          f"tcp {tcp} us, within a quarter")
done()
