#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A slow reader with a small receive buffer closes the window: the
receiver advertises zero windows, the sender probes the closed window
(RFC 9293 3.8.6.1: a bare ACK with SEG.SEQ = SND.UNA - 1) instead of
sending data beyond it, no byte is lost, and the transfer never stalls
(tools/ktcp-xfer fails after 30 s without progress)."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpxfer import xfer  # noqa: E402
import ktcppkt  # noqa: E402

PORT = 8100
SIZE = 512 << 10


net = Netns()
net.sysctl("net.ktcp.tw_timeout_ms", 2000)
try:
    net.enter("b")
    to_b = ktcppkt.Sniffer(lambda p: p["dport"] == PORT)  # data, probes
    to_b.start()
    net.enter("a")
    to_a = ktcppkt.Sniffer(lambda p: p["sport"] == PORT)  # the windows
    to_a.start()
    net.enter(None)
    # The server reads 32 KiB every 500 ms from a small buffer, so the
    # window stays shut for longer than the 200 ms minimum RTO: the
    # sender must probe.
    xfer(net, "slow reader", PORT, SIZE,
         server_args=["-n", "0", "-m", str(SIZE), "-R", "32768",
                      "-r", "32768:500"],
         client_args=["-m", "0"], timeout=120, stall=30)
    time.sleep(0.3)
    to_a.stop = to_b.stop = True
    to_a_segs = [p for _, p in to_a.segs]
    to_b_segs = [p for _, p in to_b.segs]
    zero = [p for p in to_a_segs if p["win"] == 0 and
            not p["flags"] & ktcppkt.SYN]
    check(len(zero) > 0, f"receiver advertised a zero window ({len(zero)} "
          "times)")
    check(any(p["win"] > 0 for p in to_a_segs[to_a_segs.index(zero[-1]):])
          if zero else False, "...and opened it again")
    data = [p for p in to_b_segs if p["dport"] == PORT]
    high = 0
    probes = 0
    start = data[0]["seq"] if data else 0
    for p in data:
        rel = (p["seq"] - start) & 0xffffffff
        if p["len"]:
            high = max(high, rel + p["len"])
        elif not p["flags"] & (ktcppkt.SYN | ktcppkt.FIN) and \
                rel == (high - 1) & 0xffffffff and high:
            probes += 1
    check(probes > 0, f"sender probed the zero window ({probes} probes "
          "with SEG.SEQ = SND.UNA - 1)")
finally:
    net.close()
done()
