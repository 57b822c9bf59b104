#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The window scale offered, kernel TCP and ktcp side by side.

TCP offers the scale that the largest window its receive buffer may
grow to needs (tcp_select_initial_window()): the larger of tcp_rmem[2]
and net.core.rmem_max, unless SO_RCVBUF fixed the buffer or
TCP_WINDOW_CLAMP bounds the window.  ktcp offered 7 whatever the
buffers, so a peer such as packetdrill's scripts (tcp_rmem[2] 15 MiB:
scale 8) saw a different SYN.  The SYN's scale of a client, and the
SYN-ACK's of a listener, must be TCP's:
- with the defaults (tcp_rmem[2] 6 MiB): 7;
- with net.ipv4.tcp_rmem "4096 540000 15728640" in the namespace: 8;
- with SO_RCVBUF 64 KiB set before connect(): 1;
- with TCP_WINDOW_CLAMP 100000 set before connect(): 1."""
# kernels: debug 6.1 6.12 7
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done  # noqa: E402
from ktcppeer import PEER, SYN, FakePeer, TsConnection  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7860, 41860, 1000
RMEM = "4096 131072 6291456"
BIG_RMEM = "4096 540000 15728640"


def wscale(p):
    raw = p and p["opts"].get(3)
    return raw[0] if raw else None


def client_syn(net, proto, port, setup):
    """The window scale of the SYN a client sends to the peer."""
    peer = FakePeer(net, proto=proto)
    net.enter("a")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    net.enter(None)
    try:
        setup(s)
        s.setblocking(False)
        s.connect_ex((PEER, port))
        return wscale(peer.wait(lambda p: p["dport"] == port and
                                p["flags"] == SYN))
    finally:
        s.close()
        peer.close()


def server_synack(net, proto, port, pport):
    """The window scale of the SYN-ACK a listener sends."""
    peer = FakePeer(net, proto=proto)
    try:
        c = TsConnection(net, peer, proto, port, pport, 1000, 1, MSS)
        got = wscale(c.synack)
        c.close()
        return got
    finally:
        peer.close()


def rcvbuf(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)


def clamp(s):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_WINDOW_CLAMP, 100000)


def cases(net, proto, port):
    out = {}
    net.sysctl("net.ipv4.tcp_rmem", RMEM, sides=("a",))
    out["defaults"] = client_syn(net, proto, port, lambda s: None)
    out["SO_RCVBUF 64 KiB"] = client_syn(net, proto, port + 1, rcvbuf)
    out["TCP_WINDOW_CLAMP 100000"] = client_syn(net, proto, port + 2, clamp)
    net.sysctl("net.ipv4.tcp_rmem", BIG_RMEM, sides=("a",))
    out["tcp_rmem[2] 15 MiB"] = client_syn(net, proto, port + 3,
                                           lambda s: None)
    out["tcp_rmem[2] 15 MiB, listener"] = server_synack(
        net, proto, port + 4, port + 4 + PPORT - PORT)
    net.sysctl("net.ipv4.tcp_rmem", RMEM, sides=("a",))
    return out


net = Netns()
seen = {}
try:
    for i, (name, proto) in enumerate(PROTOS):
        seen[name] = cases(net, proto, PORT + 10 * i)
finally:
    net.close()

for case in seen["tcp"]:
    print(f"     {case}: tcp {seen['tcp'][case]}, ktcp {seen['ktcp'][case]}")
check_eq(seen["ktcp"], {"defaults": 7, "SO_RCVBUF 64 KiB": 1,
                        "TCP_WINDOW_CLAMP 100000": 1,
                        "tcp_rmem[2] 15 MiB": 8,
                        "tcp_rmem[2] 15 MiB, listener": 8},
         "ktcp offers the window scale its buffers need")
check_eq(seen["ktcp"], seen["tcp"], "the window scales kernel TCP offers")
done()
