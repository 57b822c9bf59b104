#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""GSO across a veth pair.  A bulk sender hands IP one skb for a run of
full segments (ktcp_output.c).  veth takes it whole, so the peer receives
packets larger than the MTU; with veth's SCTP segmentation (ktcp's GSO
type) switched off, ktcp_gso_segment() cuts them into segments of their
own sequence number and checksum, computed in software when checksum
offload is off too.  Each way the data must arrive byte for byte, with
no checksum error, and the segments the sender counts (gso_segs each)
must be exactly those the receiver counts.  gso=0 sends one segment per
skb."""
import os
import re
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

N = 2 << 20
MTU = 1500
MSS = MTU - 40 - 12             # the timestamps ride on every segment


class RawSizes:
    """Sizes of the ktcp packets to @port this namespace receives."""

    def __init__(self, port):
        self.port = port
        self.sizes = []
        self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
        self.raw.settimeout(0.2)
        self.stop = False
        self.t = threading.Thread(target=self.run)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                p = self.raw.recv(1 << 17)
            except socket.timeout:
                continue
            ihl = (p[0] & 15) * 4
            if int.from_bytes(p[ihl + 2:ihl + 4], "big") == self.port:
                self.sizes.append(len(p))

    def close(self):
        self.stop = True
        self.t.join()
        self.raw.close()
        return self.sizes


def out_lens(port):
    """len= of the data segments ktcp traced going out to @port."""
    lines = open(f"{TRACEFS}/trace").read().splitlines()
    return [int(m.group(1)) for m in
            (re.search(rf"ktcp_segment: out \S+>192\.0\.2\.2:{port} .* "
                       r"len=(\d+)", l) for l in lines) if m and
            int(m.group(1))]


def transfer(net, port, what):
    """Send N bytes a->b; return (raw packet sizes at b, traced lengths,
    OutSegs delta at a, InSegs delta at b)."""
    net.enter("b")
    lb = listener(port, addr="0.0.0.0")
    raw = RawSizes(port)
    sb = stats()
    net.enter("a")
    sa = stats()
    tracefs("trace", "")
    tracefs("events/ktcp/ktcp_segment/enable", "1")
    c = sock()
    c.settimeout(60)
    c.connect(("192.0.2.2", port))
    net.enter("b")
    s, _ = lb.accept()
    s.settimeout(60)
    data = pattern(port, N)

    def send():
        c.sendall(data)
        c.close()
    t = threading.Thread(target=send)
    t.start()
    got = recv_all(s)
    t.join()
    s.close()
    lb.close()
    tracefs("events/ktcp/ktcp_segment/enable", "0")
    check(got == data, f"{what}: {N} bytes arrive intact ({len(got)})")
    # Quiet: b's side is gone, a's sent its last ACK (TIME-WAIT).
    check(wait_for(lambda: states_on(port) == []), f"{what}: b closed")
    net.enter("a")
    check(wait_for(lambda: states_on(port) == ["TIME_WAIT"]),
          f"{what}: a in TIME-WAIT")
    ea = stats()
    net.enter("b")
    eb = stats()
    sizes = raw.close()
    lens = out_lens(port)
    check_eq(eb["InCsumErrors"] - sb["InCsumErrors"], 0,
             f"{what}: no checksum errors at b")
    outsegs = ea["OutSegs"] - sa["OutSegs"]
    check_eq(eb["InSegs"] - sb["InSegs"], outsegs,
             f"{what}: b counts the segments a counts")
    return sizes, lens, outsegs


net = Netns()
try:
    net.sysctl("net.ktcp.gso", 1)
    sizes, lens, outsegs = transfer(net, 7410, "GSO through veth")
    check(max(sizes) > 2 * MTU,
          f"GSO: veth delivers skbs of many segments (largest {max(sizes)})")
    check(max(lens) <= 65536 and all(n % MSS == 0 for n in lens
                                     if n > MSS),
          "GSO: every skb of several segments is whole MSS multiples")
    check(len(lens) < outsegs // 2,
          f"GSO: far fewer skbs ({len(lens)}) than segments ({outsegs})")

    # Software segmentation, first with checksum offload, then without.
    net.enter("a")
    for feat, port in (("tx-sctp-segmentation", 7411),
                       ("tx-checksumming", 7412)):
        subprocess.run(["ethtool", "-K", "veth-a", feat, "off"], check=True,
                       stdout=subprocess.DEVNULL)
        sizes, lens, outsegs = transfer(net, port, f"{feat} off")
        check(max(sizes) <= MTU,
              f"{feat} off: segments on the wire fit the MTU "
              f"(largest {max(sizes)})")
        check(max(lens) > 2 * MSS,
              f"{feat} off: ktcp still sends GSO skbs (largest {max(lens)})")
        net.enter("a")

    net.sysctl("net.ktcp.gso", 0)
    sizes, lens, outsegs = transfer(net, 7413, "gso=0")
    check(max(sizes) <= MTU and max(lens) <= MSS,
          f"gso=0: one segment per skb (largest {max(lens)})")
    check(len(lens) >= N // MSS,
          f"gso=0: an skb per segment ({len(lens)} for {N} bytes)")
finally:
    tracefs("events/ktcp/ktcp_segment/enable", "0")
    net.close()
done()
