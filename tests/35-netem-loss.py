#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Verified transfers both ways at once under 1 %, 5 % and 20 % loss,
1 % corruption and 25 % reordering on both veth ends, like 32-netem.py:
every byte arrives once, in order, intact; both sides read EOF and close.

These stalled before bare ACKs carried snd_max (a go-back-N restart made
both ends' ACKs unacceptable to each other) and recover much faster with
SACK.  16 MiB under 5 % loss took up to 400 s while the RTT estimator
took one sample per smoothed RTT, the stall's own (84-rtt-after-stall).  Sizes keep make check's budget; tests/stress/netem-full.py runs
every condition at 64 MiB.  On 6.12 (TCG): 64 MiB under 1 % loss or
corruption takes seconds, 16 MiB under 5 % loss or 25 % reordering about
ten, and 20 % loss about a minute per MiB (every window waits for RTOs;
512 KiB took two minutes on 6.1): 128 KiB here, over a hundred segments
each way.  The debug kernel (KASAN, lockdep) runs a quarter or less.

net.ktcp.rto_max_ms is 5 s here.  Without timestamps Karn's rule gives
no RTT sample while every ACK covers a retransmission, and at 20 % loss
(netem drops a GSO skb whole) a chain of timeouts doubled the RTO to
102 s: one run stalled past the 500 s limit.  The ceiling bounds each
stall; what is tested is that every byte arrives.

One more run under 1 % loss has both ends select CUBIC (TCP_CONGESTION
"cubic"), which the two ends must report back (getsockopt).

Nothing here differs between kernel versions, and the 20 % case's minute
of RTOs is make check's budget: it runs on the debug kernel and 6.12.

On the debug kernel the loss and corruption runs send without GSO:
netem drops or corrupts a whole skb before it is cut into segments, so
with GSO one loss takes up to 45 segments, and the debug kernel's 1 MiB
may cross in 20 skbs that all arrive, leaving nothing to retransmit
(RetransSegs, the evidence, did not move in two runs); 4 MiB under 1 %
corruption crossed in so few that none was corrupted (DropBadChecksum
did not move).  The other kernels' sizes take hundreds of skbs.
"""
# kernels: debug 6.12
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpxfer import run_condition  # noqa: E402

MiB = 1 << 20
SCALE = 16 if os.environ.get("KTCP_KERNEL") == "debug" else 1
RUNS = [("loss 1%", 64 * MiB // SCALE), ("loss 5%", 16 * MiB // SCALE),
        ("loss 20%", MiB // 32 if SCALE > 1 else MiB // 8),
        ("corrupt 1%", 64 * MiB // SCALE),
        ("reorder 25%", 16 * MiB // SCALE)]

net = Netns()
net.sysctl("net.ktcp.tw_timeout_ms", 2000)
net.sysctl("net.ktcp.rto_max_ms", 5000)
try:
    for i, (name, size) in enumerate(RUNS):
        net.sysctl("net.ktcp.gso", 0 if SCALE > 1 and
                   name.startswith(("loss", "corrupt")) else 1)
        run_condition(net, name, 8200 + i, size, timeout=500, stall=60)
    net.sysctl("net.ktcp.gso", 0 if SCALE > 1 else 1)
    run_condition(net, "loss 1%", 8200 + len(RUNS), 16 * MiB // SCALE,
                  timeout=300, cong="cubic")
finally:
    net.close()
done()
