#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A segment acknowledged in part, kernel TCP and ktcp side by side.

A peer may acknowledge the front of a segment only (one it cut to its
window).  A scripted peer takes a 1000-byte segment, acknowledges 400
bytes of it and then stays silent.  Both stacks must:
- resend only the 600 bytes the peer lacks, from the acknowledged point
  (TCP's tcp_trim_head());
- take an ICMP "fragmentation needed" (MTU 576) that quotes that resend
  as in window: cut the MSS to 536 and resend at once from the same
  point.  A resend from the segment's start would quote a sequence below
  SND.UNA, out of window, and a path with a smaller MTU would lose the
  segment on every try: the stall of tests/60-pmtu.py when the router
  side trimmed a segment;
- count the 1000 bytes in tcpi_bytes_acked once the rest is acked."""
# kernels: debug 6.1 6.12 7
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done, pattern, tcp_info  # noqa: E402
from ktcppeer import PEER, peer_connection  # noqa: E402
from ktcppkt import ACK, csum  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7790, 41790, 1000
P0 = 9000000                    # the peer's ISN
IP_TRANSPARENT = 19


def frag_needed(net, proto, seq, mtu):
    """From the peer's address, an ICMP "fragmentation needed" for @mtu
    quoting a segment of a's with sequence number @seq."""
    quoted = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 20 + 600, 0, 0x4000,
                         64, proto, 0, socket.inet_aton(net.addr["a"]),
                         socket.inet_aton(PEER))
    quoted += struct.pack("!HHI", PORT, PPORT, seq & 0xffffffff)
    icmp = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + quoted
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    net.enter("b")
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    net.enter(None)
    tx.setsockopt(socket.SOL_IP, IP_TRANSPARENT, 1)
    tx.bind((PEER, 0))
    tx.sendto(icmp, (net.addr["a"], 0))
    tx.close()


def next_data(peer, a0, not_len=None, timeout=3.0):
    """(offset from a0, length) of the next data segment to the peer,
    skipping those of length @not_len."""
    p = peer.wait(lambda p: p["dport"] == PPORT and p["len"] > 0 and
                  p["len"] != not_len, timeout)
    return p and (p["seq"] - a0, p["len"])


def run(proto):
    """What one stack sends after the partial ACK and after the ICMP
    error, and its tcpi_bytes_acked at the end."""
    net = Netns()
    try:
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS,
                                               proto=proto)
        net.enter(None)
        a0 = synack["seq"] + 1
        s.send(pattern(1, 1000))
        first = next_data(peer, a0)
        peer.seen = []
        peer.send(PPORT, PORT, P0 + 1, a0 + 400, ACK)
        resent = next_data(peer, a0)
        # a timer's resend of the 600 bytes may be on its way: the one
        # the ICMP error makes is shorter
        frag_needed(net, proto, a0 + 400, 576)
        after_icmp = next_data(peer, a0, 600, 1.0)
        peer.send(PPORT, PORT, P0 + 1, a0 + 1000, ACK)
        peer.wait(lambda p: False, 0.3)
        acked = tcp_info(s)["bytes_acked"]
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return first, resent, after_icmp, acked


seen = {}
for name, proto in PROTOS:
    seen[name] = run(proto)
    print(f"     {name}: sent {seen[name][0]}, after the partial ACK "
          f"{seen[name][1]}, after the ICMP error {seen[name][2]}, "
          f"bytes acked {seen[name][3]}")
for name, _ in PROTOS:
    first, resent, after_icmp, acked = seen[name]
    check_eq(first, (0, 1000), f"{name}: the segment goes whole")
    check_eq(resent, (400, 600), f"{name}: only the unacknowledged 600 "
             "bytes are resent")
    check_eq(after_icmp, (400, 536), f"{name}: the ICMP error quoting the "
             "resend cuts the MSS to 536, resent at once from 400")
    check_eq(acked, 1000, f"{name}: tcpi_bytes_acked counts each byte once")
done()
