#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Bulk data both ways at once, verified byte for byte: on loopback, and
across a veth pair with netem loss, reordering and delay.  The debug
kernel (KASAN, lockdep) moves a quarter: its checks, not the volume, are
what it adds.

The lossy transfer goes without GSO: netem drops whole skbs before they
are cut, and 1 MiB may cross in a few dozen 64 KiB skbs that all arrive,
leaving no loss to repair (the debug run failed "losses were repaired"
so).  38-gso and 35-netem-loss cover GSO."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403


SCALE = 4 if os.environ.get("KTCP_KERNEL") == "debug" else 1


def run(a, b, n, what):
    t0 = time.time()
    ab, ba, dab, dba = exchange(a, b, n)
    dt = time.time() - t0
    check(ab == dab, f"{what}: {n >> 20} MiB a->b intact "
          f"({len(ab or b'')} bytes, {2 * n * 8 / dt / 1e6:.0f} Mbit/s total)")
    check(ba == dba, f"{what}: {n >> 20} MiB b->a intact ({len(ba or b'')} bytes)")


srv, c, s = pair(7400)
run(c, s, (16 << 20) // SCALE, "loopback")
c.close()
s.close()
srv.close()

net = Netns()
try:
    net.sysctl("net.ktcp.gso", 0)
    for side in ("a", "b"):
        net.tc(side, "qdisc", "add", "dev", f"veth-{side}", "root", "netem",
               "delay", "5ms", "loss", "1%", "reorder", "10%")
    net.enter("b")
    lb = listener(7401, addr="0.0.0.0")
    net.enter("a")
    c = sock()
    c.settimeout(20)
    c.connect(("192.0.2.2", 7401))
    net.enter("b")
    s, _ = lb.accept()
    st = stats()
    run(c, s, (4 << 20) // SCALE, "veth, 1% loss, 10% reorder, 5 ms")
    check(stats()["RetransSegs"] > st["RetransSegs"], "losses were repaired")
    c.close()
    s.close()
    lb.close()
finally:
    net.close()
done()
