#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""An orphan waits for the peer's FIN in FIN-WAIT-2 for fin_timeout
seconds (net.ktcp.fin_timeout, net.ipv4.tcp_fin_timeout = 2 here), kernel
TCP and ktcp alike.  The server never closes its end:

- close() at once: the client's socket is an orphan when the ACK of its
  FIN moves it to FIN-WAIT-2, and is gone fin_timeout later;
- shutdown(SHUT_WR) first: the client waits in FIN-WAIT-2 as long as its
  user holds the socket, past fin_timeout; closed, it is gone
  fin_timeout later;
- either way, the server's data then meets a reset: a send() fails with
  EPIPE, what a reset means to a socket in CLOSE-WAIT."""
# kernels: debug 6.12
import errno
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done, sysctl, wait_for  # noqa: E402
import ktcpnet  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

FIN_TIMEOUT = 2
SLACK = 4               # TCG guests on a busy host fire timers late
PORT = 6800
TABLE = {"tcp": "/proc/net/tcp", "ktcp": "/proc/net/ktcp"}
FIN_WAIT2 = 5


def client_states(name):
    """States of the client sockets to PORT, in namespace a."""
    net.enter("a")
    try:
        with open(TABLE[name]) as f:
            rows = [line.split() for line in f][1:]
    finally:
        net.enter(None)
    return [int(r[3], 16) for r in rows if int(r[2].split(":")[1], 16) == PORT]


def pair(proto):
    global PORT
    PORT += 1
    return ktcpnet.pair(net, proto, PORT)


def server_outcome(s):
    """What the server's send()s meet once the client is gone."""
    for _ in range(10):
        try:
            s.send(b"x")
        except OSError as e:
            return errno.errorcode.get(e.errno, str(e))
        time.sleep(0.3)
    return "no error"


def fin_wait2(name, proto, half_close_first):
    """Returns (held in FIN-WAIT-2 while the user held it, gone, seconds
    from close() to gone, what the server's sends met)."""
    c, s = pair(proto)
    held = True
    if half_close_first:
        c.shutdown(socket.SHUT_WR)
        check_eq(s.recv(1), b"", f"{name}: the server reads the FIN")
        time.sleep(FIN_TIMEOUT + 1)
        held = client_states(name) == [FIN_WAIT2]
    t0 = time.time()
    c.close()
    wait_for(lambda: client_states(name) == [FIN_WAIT2], timeout=2)
    check_eq(client_states(name), [FIN_WAIT2],
             f"{name}: the orphan waits in FIN-WAIT-2")
    gone = wait_for(lambda: not client_states(name),
                    timeout=FIN_TIMEOUT + SLACK, step=0.1)
    dt = round(time.time() - t0, 1)
    outcome = server_outcome(s)
    s.close()
    return held, gone, dt, outcome


net = Netns()
net.enter("a")
sysctl("net.ipv4.tcp_fin_timeout", FIN_TIMEOUT)
sysctl("net.ktcp.fin_timeout", FIN_TIMEOUT)
net.enter(None)
for label, half in (("closed at once", False),
                    ("half-closed, then closed", True)):
    res = {name: fin_wait2(name, proto, half) for name, proto in PROTOS}
    for name, (held, gone, dt, outcome) in res.items():
        print(f"     {label}, {name}: held {held}, gone {gone} after {dt} s,"
              f" server's send: {outcome}")
        check(held, f"{label}, {name}: FIN-WAIT-2 lasts while the user "
              "holds the socket")
        check(gone and FIN_TIMEOUT - 0.3 <= dt <= FIN_TIMEOUT + SLACK,
              f"{label}, {name}: the orphan is gone after fin_timeout "
              f"({dt} s)")
    check_eq(res["ktcp"][3], "EPIPE", f"{label}: the server's data meets "
             "a reset")
    check_eq(res["ktcp"][:2] + res["ktcp"][3:], res["tcp"][:2] +
             res["tcp"][3:], f"{label}: ktcp ends as kernel TCP")
net.close()
done()
