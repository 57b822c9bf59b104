#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Verified transfers both ways at once between two namespaces with netem
on both veth ends: every byte arrives once, in order, intact, and both
sides read EOF and close in order (tools/ktcp-xfer checks the bytes,
tests/lib/ktcpxfer.py the end states).

Sizes keep make check's budget: 64 MiB each way under duplication
(6-50 s on 6.12 and 6.1 depending on the host's load); 4 MiB on the
debug kernel, where KASAN and lockdep make 16 MiB take 2 minutes and
64 MiB over 10 on a loaded 2-core host.  20 ms delay with 5 ms jitter
(40 ms RTT, reordered by the jitter) runs at ~3.5 Mbit/s on TCG, 64 MiB
would take over 5 minutes on 6.12: 1 MiB here.  tests/stress/netem-full.py
runs every condition at 64 MiB.  1 %, 5 %, 20 % loss, 1 % corruption
and 25 % reordering are in 35-netem-loss.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpxfer import run_condition  # noqa: E402

MiB = 1 << 20
BIG = (4 if os.environ.get("KTCP_KERNEL") == "debug" else 64) * MiB
RUNS = [("duplicate 5%", BIG), ("delay 20ms jitter 5ms", 1 * MiB)]

net = Netns()
net.sysctl("net.ktcp.tw_timeout_ms", 2000)
try:
    for i, (name, size) in enumerate(RUNS):
        run_condition(net, name, 8000 + i, size, timeout=400)
finally:
    net.close()
done()
