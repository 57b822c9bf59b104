#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The PSH bit, kernel TCP and ktcp side by side.

TCP sets PSH on the last segment of a write (tcp_push()), not on every
segment, and not on a resend of a segment that had none; and it sets PSH
on every GSO frame, so that a GRO receiver delivers it at once, and on
what its probe timer sends of a write held by MSG_MORE.  A
scripted peer takes writes in segments of 1000 bytes and acknowledges
none of them."""
# kernels: debug 6.1 6.12 7
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done, pattern  # noqa: E402
from ktcppeer import FakePeer, TsConnection  # noqa: E402
from ktcppkt import PSH  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7870, 41870, 1000
P0 = 8000000                    # the peer's ISN


def frames(c, pred, timeout):
    """(offset, length, PSH) of the data segments the peer gets within
    @timeout seconds that @pred likes."""
    return [(p["seq"] - c.a0, p["len"], bool(p["flags"] & PSH))
            for p in c.collect(timeout) if p["len"] and pred(p)]


def connect(net, peer, proto, i):
    c = TsConnection(net, peer, proto, PORT + i, PPORT + i, P0, 0, MSS,
                     ts=False)
    c.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c


def write_end(net, peer, proto, i):
    """A 5000-byte write: the frames that first carry each byte, and
    the first segment's resend after the RTO."""
    c = connect(net, peer, proto, i)
    try:
        c.s.send(pattern(87, 5 * MSS))
        first = {}
        for f in frames(c, lambda p: True, 0.5):
            first.setdefault(f[0], f)
        resend = frames(c, lambda p: p["seq"] == c.a0, 3.0)[:1]
    finally:
        c.close()
    return sorted(first.values()), resend


def corked(net, peer, proto, i):
    """A 40-byte write with MSG_MORE while nothing is in flight: the
    timer that ends the hold sends it (TCP's probe timer)."""
    c = connect(net, peer, proto, i)
    try:
        c.s.send(pattern(89, 40), socket.MSG_MORE)
        got = frames(c, lambda p: True, 2.0)
    finally:
        c.close()
    return got[:1]


def pushed_as_tcp(write, resend, end):
    """The frames that break TCP's rule: PSH on a frame of several
    segments or on the one that ends the write at @end, on no other."""
    return [f for f in write + resend
            if f[2] != (f[1] > MSS or f[0] + f[1] == end)]


def sctp_segmentation(net, state):
    """veth-a's segmentation of ktcp's GSO frames, which FakePeer turns
    off so that the peer sees segments as a NIC's would send them."""
    net.run("a", "ethtool", "-K", net.dev["a"], "tx-sctp-segmentation", state,
            check=True, stdout=subprocess.DEVNULL)


def gso_frames(net, peer, proto, i):
    """A 20000-byte write: do the frames of several segments carry PSH?
    For this case ktcp's frames pass veth whole, as TCP's do."""
    sctp_segmentation(net, "on")
    c = connect(net, peer, proto, i)
    try:
        c.s.send(pattern(88, 20 * MSS))
        got = frames(c, lambda p: True, 0.5)
    finally:
        c.close()
        sctp_segmentation(net, "off")
    multi = [f for f in got if f[1] > MSS]
    return bool(multi), all(f[2] for f in multi)


net = Netns()
seen = {}
try:
    for i, (name, proto) in enumerate(PROTOS):
        peer = FakePeer(net, proto=proto)
        try:
            # ktcp's segments one by one: TCP's are always GSO frames
            net.sysctl("net.ktcp.gso", 0, sides=("a",))
            we = write_end(net, peer, proto, 3 * i)
            net.sysctl("net.ktcp.gso", 1, sides=("a",))
            seen[name] = (we, gso_frames(net, peer, proto, 3 * i + 1),
                          corked(net, peer, proto, 3 * i + 2))
        finally:
            peer.close()
finally:
    net.close()

for name in ("tcp", "ktcp"):
    print(f"     {name}: the write {seen[name][0][0]}, the resend "
          f"{seen[name][0][1]}; GSO frames sent and all pushed "
          f"{seen[name][1]}; the corked write {seen[name][2]}")
check_eq(seen["ktcp"][0], ([(i * MSS, MSS, i == 4) for i in range(5)],
                           [(0, MSS, False)]),
         "PSH on a write's last segment only, not on the resend")
for name in ("tcp", "ktcp"):
    check_eq(pushed_as_tcp(*seen[name][0], 5 * MSS), [],
             f"{name}: PSH on a write's end and on GSO frames only")
check(seen["tcp"][1] == (True, True),
      "kernel TCP sends GSO frames, each with PSH")
check_eq(seen["ktcp"][1], seen["tcp"][1], "GSO frames' PSH as kernel TCP's")
check_eq(seen["tcp"][2], [(0, 40, True)],
         "kernel TCP: a corked write's timer sends it pushed")
check_eq(seen["ktcp"][2], seen["tcp"][2], "the corked write as kernel TCP's")
done()
