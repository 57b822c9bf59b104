#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Module lifecycle under load: while connections carry data, rmmod is
refused (again and again) and the data still arrives intact; with only
TIME-WAIT sockets and orphans left it is still refused; once they end,
within the TIME-WAIT bound, rmmod succeeds and insmod brings ktcp back.
KTCP_RMMOD_ROUNDS repeats it (make stress)."""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

KO = os.path.join(os.environ["KTCP_ROOT"], ".build", os.environ["KTCP_KERNEL"],
                  "ktcp", "ktcp.ko")
ROUNDS = int(os.environ.get("KTCP_RMMOD_ROUNDS") or 1)
CONNS = 16
TW_MS = 1500


def rmmod():
    return subprocess.run(["rmmod", "ktcp"], capture_output=True,
                          text=True).returncode


def one_round(rnd):
    sysctl("net.ktcp.tw_timeout_ms", TW_MS)
    srv = listener(7030, backlog=CONNS)
    pairs = []
    for i in range(CONNS):
        c = sock()
        c.settimeout(60)
        c.connect(("127.0.0.1", 7030))
        s, _ = srv.accept()
        s.settimeout(60)
        pairs.append((c, s))
    # Traffic on every connection while rmmod is tried.
    results = []

    def worker(c, s, seed):
        ab, ba, dab, dba = exchange(c, s, 200000)
        results.append(ab == dab and ba == dba)

    ts = [threading.Thread(target=worker, args=(c, s, i))
          for i, (c, s) in enumerate(pairs)]
    for t in ts:
        t.start()
    refused = 0
    while any(t.is_alive() for t in ts):
        refused += rmmod() != 0
        time.sleep(0.05)
    for t in ts:
        t.join()
    check(refused >= 1, f"round {rnd}: rmmod refused {refused} times "
          "under load")
    check_eq(results, [True] * CONNS,
             f"round {rnd}: data intact on every connection")
    # A new pair's server sends and closes at once: an orphan with data in
    # flight that drains as the client reads.  The other clients close
    # first and keep TIME-WAIT.
    c0 = sock()
    c0.settimeout(60)
    c0.connect(("127.0.0.1", 7030))
    s0, _ = srv.accept()
    got = []
    reader = threading.Thread(target=lambda: got.append(recv_all(c0)))
    reader.start()
    s0.sendall(pattern(9, 300000))
    s0.close()
    check(rmmod() != 0, f"round {rnd}: rmmod refused while the orphan "
          "drains")
    reader.join()
    check(got == [pattern(9, 300000)],
          f"round {rnd}: the orphan's data all arrived")
    c0.close()
    for c, s in pairs:
        c.close()
    for c, s in pairs:
        s.close()
    srv.close()
    closed = time.time()
    check("TIME_WAIT" in states_on(7030),
          f"round {rnd}: TIME-WAIT sockets remain after close")
    check(rmmod() != 0, f"round {rnd}: rmmod refused while TIME-WAIT "
          "sockets exist")
    ok = wait_for(lambda: rmmod() == 0, timeout=TW_MS / 1000 + 10, step=0.1)
    took = time.time() - closed
    check(ok, f"round {rnd}: rmmod succeeded {took:.1f} s after the last "
          f"close (TIME-WAIT {TW_MS} ms)")
    check_eq(subprocess.run(["insmod", KO]).returncode, 0,
             f"round {rnd}: insmod again")
    sock().close()


for rnd in range(ROUNDS):
    one_round(rnd)
done()
