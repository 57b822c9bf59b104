#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Tables are per network namespace: the same port listens in two
namespaces, each sees only its own sockets and counters."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

net = Netns()
try:
    net.enter("a")
    la = listener(7300, addr="0.0.0.0", reuse=False)
    net.enter("b")
    lb = listener(7300, addr="0.0.0.0", reuse=False)
    check(True, "port 7300 listens in both namespaces")
    c = sock()
    c.settimeout(10)
    c.connect(("192.0.2.1", 7300))
    check_eq(c.getsockname()[0], "192.0.2.2", "b's source address")
    net.enter("a")
    s, peer = la.accept()
    check_eq(peer[0], "192.0.2.2", "a accepts b's connection")
    s.sendall(b"ns")
    check_eq([r["state"] for r in sockets()], ["LISTEN", "ESTABLISHED"],
             "a's table: its listener and the connection")
    check_eq(stats()["PassiveOpens"], 1, "a counted one passive open")
    check_eq(stats()["ActiveOpens"], 0, "a opened nothing actively")
    net.enter("b")
    check_eq(recv_exact(c, 2), b"ns", "data crosses the veth")
    check_eq([r["state"] for r in sockets()], ["LISTEN", "ESTABLISHED"],
             "b's table: its listener and the connection")
    check_eq(stats()["ActiveOpens"], 1, "b counted one active open")
    net.enter(None)
    check_eq(states_on(7300), [], "the initial namespace sees none of it")
    c.close()
    s.close()
    la.close()
    lb.close()
finally:
    net.close()
done()
