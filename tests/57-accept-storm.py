#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Accept storm: many non-blocking connects at once to a listener with a
backlog of 8.  SYNs beyond the accept queue are dropped and retransmitted;
every client must still get through with its data intact, and nothing may
be left behind.  KTCP_STORM_N sets the number of clients."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpload import Settle, load, size  # noqa: E402

N = size("KTCP_STORM_N", 100, 300)
PORT = 7570
settle = Settle(PORT)
st0 = settle.stats
r = load("storm", PORT, N, 8)
check_eq(r.returncode, 0, f"{N} clients storming a backlog of 8 all served")
check(f"storm: {N} of {N} clients verified" in r.stdout,
      "every client's request and reply verified")
st = settle.check()
d = {k: st[k] - st0[k] for k in st}
print("counters moved: " + ", ".join(f"{k} {v}" for k, v in d.items() if v))
check_eq(d["ActiveOpens"], N, f"ActiveOpens +{N}")
check_eq(d["PassiveOpens"], N, f"PassiveOpens +{N}: each client one child")
check_eq(d["AttemptFails"], 0, "no connect failed")
check_eq(st["CurrEstab"], st0["CurrEstab"], "CurrEstab back where it was")
done()
