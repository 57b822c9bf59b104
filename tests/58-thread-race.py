#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Threads sharing sockets: three senders and two receivers on each end of
each connection, both ways at once; the receivers count bytes by sender and
every sender's bytes must all arrive.  Then the same threads race
shutdown(), SO_LINGER aborts and close(): every thread must return (none
stuck), nothing received that was not sent, and all sockets go away.
KTCP_RACE_PAIRS and KTCP_RACE_MS size it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpload import Settle, load, size  # noqa: E402

PAIRS = size("KTCP_RACE_PAIRS", 4, 8)
MS = size("KTCP_RACE_MS", 300, 300)
ROUNDS = size("KTCP_RACE_ROUNDS", 2, 2)
PORT = 7580
settle = Settle(PORT)
st0 = settle.stats
for i in range(ROUNDS):
    r = load("race", PORT, PAIRS, MS)
    check_eq(r.returncode, 0, f"round {i}: {PAIRS} pairs of racing threads")
st = settle.check()
check_eq(st["ActiveOpens"] - st0["ActiveOpens"], 2 * PAIRS * ROUNDS,
         "ActiveOpens: one per pair per phase")
check_eq(st["CurrEstab"], st0["CurrEstab"], "CurrEstab back where it was")
done()
