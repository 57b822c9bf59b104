#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Many connections open at once (KTCP_LOAD_CONNS, default 10 000; 1000 on
the debug kernel, where KASAN and lockdep make each far dearer), each
carrying its own byte stream both ways, verified; then all closed, half
from each end: counters exact, sockets back to baseline."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpload import Settle, load, size  # noqa: E402

N = size("KTCP_LOAD_CONNS", 1000, 10000)
PORT = 7560
settle = Settle(PORT)
st0 = settle.stats
r = load("conns", PORT, N, 1000)
check_eq(r.returncode, 0, f"{N} concurrent connections, every byte verified")
check(f"{N} of {N} verified both ways" in r.stdout,
      "the load generator verified every connection")
st = settle.check()
check_eq(st["ActiveOpens"] - st0["ActiveOpens"], N, f"ActiveOpens +{N}")
check_eq(st["PassiveOpens"] - st0["PassiveOpens"], N, f"PassiveOpens +{N}")
check_eq(st["CurrEstab"], st0["CurrEstab"], "CurrEstab back where it was")
check_eq(st["EstabResets"] - st0["EstabResets"], 0, "no connection was reset")
done()
