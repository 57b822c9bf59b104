#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The full netem matrix of issue 4: 64 MiB each way at once, verified
byte for byte and closed in order, under each condition on both veth
ends.  Too slow for make check (20 ms delay with jitter alone takes over
5 minutes on TCG; 20 % loss longer); run it in a guest:

	scripts/vm-run --kernel 6.12 --timeout 7200 -- tests/stress/netem-full.py [CONDITION...]

Conditions are the names in tests/lib/ktcpxfer.py CONDITIONS; default
all of them."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpxfer import CONDITIONS, run_condition  # noqa: E402

names = sys.argv[1:] or list(CONDITIONS)
net = Netns()
try:
    param("tw_timeout_ms", 2000)
    for i, name in enumerate(names):
        run_condition(net, name, 8300 + i, 64 << 20, timeout=3600)
finally:
    net.close()
    param("tw_timeout_ms", 60000)
done()
