#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""1000 connections opened and closed in a row leave nothing behind."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

sysctl("net.ktcp.tw_timeout_ms", 200)
base = live()
st0 = stats()
srv = listener(6400, backlog=64)
ok = 0
for i in range(1000):
    c = sock()
    c.connect(("127.0.0.1", 6400))
    s, _ = srv.accept()
    c.sendall(b"%d" % i)
    if s.recv(10) == b"%d" % i:
        ok += 1
    if i % 2:
        c.close()
        s.close()
    else:
        s.close()
        c.close()
check_eq(ok, 1000, "1000 connections each carried their byte")
srv.close()
check(wait_for(lambda: live() == base and not states_on(6400),
               timeout=20),
      f"socket count, TIME-WAIT aside, back to {base} (now {live()})")
check_eq(states_on(6400), [], "/proc/net/ktcp has none of them")
st = stats()
check_eq(st["ActiveOpens"] - st0["ActiveOpens"], 1000, "ActiveOpens +1000")
check_eq(st["PassiveOpens"] - st0["PassiveOpens"], 1000, "PassiveOpens +1000")
check_eq(st["CurrEstab"], st0["CurrEstab"], "CurrEstab back where it was")

if os.path.exists("/sys/kernel/debug/kmemleak"):
    with open("/sys/kernel/debug/kmemleak", "w") as f:
        f.write("scan")
    with open("/sys/kernel/debug/kmemleak") as f:
        leaks = f.read()
    check("ktcp" not in leaks, "kmemleak: no leak traced to ktcp")
r = subprocess.run(["rmmod", "ktcp"], capture_output=True, text=True)
check_eq(r.returncode, 0, "rmmod ktcp works " + r.stderr.strip())
done()
