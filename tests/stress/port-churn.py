#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Connection churn from one client, kernel TCP and ktcp alike: 2000 new
connections a second for a minute (KTCP_CHURN_RATE, KTCP_CHURN_SECONDS)
to eight server ports across a veth pair, each closed by the client
first, so that its side waits in TIME-WAIT.  120 000 connections need
more four-tuples than the 28 000 ports of the default range: connect()
must share its ports among peers, as TCP's inet_hash_connect() does.
Every connect() must succeed and the rate must hold.  make check runs
the small version in tests/64-time-wait-ports.py; run this one in a
guest:

	scripts/vm-run --kernel 6.12 --timeout 1800 -- tests/stress/port-churn.py
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from ktcptest import Netns, check, check_eq, done  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

CHURN = os.path.join(os.path.dirname(__file__), "..", "..", "tools",
                     "stress", "ktcp-churn")
RATE = int(os.environ.get("KTCP_CHURN_RATE", 2000))
SECONDS = int(os.environ.get("KTCP_CHURN_SECONDS", 60))
PORT, NPORTS = 7400, 8

if not check(os.access(CHURN, os.X_OK), f"{CHURN} is built (make tools)"):
    done()
seen = {}
for name, proto in PROTOS:
    net = Netns()
    try:
        srv = subprocess.Popen(["ip", "netns", "exec", net.names["b"], CHURN,
                                "server", str(proto), str(PORT), str(NPORTS)],
                               stdout=subprocess.PIPE, text=True)
        srv.stdout.readline()
        t0 = time.time()
        cli = subprocess.run(["ip", "netns", "exec", net.names["a"], CHURN,
                              "client", str(proto), net.addr["b"], str(PORT),
                              str(NPORTS), str(RATE), str(SECONDS)],
                             capture_output=True, text=True,
                             timeout=SECONDS * 3 + 60)
        print(f"     {name}: {cli.stdout.strip()} ({time.time() - t0:.0f} s)")
        srv.kill()
        srv.wait()
    finally:
        net.close()
    check(cli.returncode == 0, f"{name}: {RATE}/s for {SECONDS} s, every "
          "connect() succeeded")
    seen[name] = cli.returncode
check_eq(seen["ktcp"], seen["tcp"], "ktcp churns as kernel TCP")
done()
