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
  EPIPE, what a reset means to a socket in CLOSE-WAIT.

TCP_LINGER2 sets one socket's wait instead (fin_timeout 20 s then): it
reads back as TCP's does (fin_timeout for 0, at most 120, -1 for any
negative value); 2 s ends the orphan 2 s after close(); -1 lets no orphan
wait in FIN-WAIT-2: closed there, the socket resets the connection, and
closed before, it is gone when its FIN is acknowledged."""
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
TCP_LINGER2 = 8
LINGER2 = 2


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


def linger2_options(proto):
    """What TCP_LINGER2 reads back: unset, then after each setting."""
    net.enter("a")
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    net.enter(None)
    got = [c.getsockopt(socket.IPPROTO_TCP, TCP_LINGER2)]
    for val in (5, 1000, -5, 0):
        c.setsockopt(socket.IPPROTO_TCP, TCP_LINGER2, val)
        got.append(c.getsockopt(socket.IPPROTO_TCP, TCP_LINGER2))
    c.close()
    return got


def fin_wait2(name, proto, half_close_first, linger2=None):
    """Returns (held in FIN-WAIT-2 while the user held it, gone, seconds
    from close() to gone, what the server's sends met)."""
    c, s = pair(proto)
    if linger2 is not None:
        c.setsockopt(socket.IPPROTO_TCP, TCP_LINGER2, linger2)
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


def no_fin_wait2(name, proto, half_close_first):
    """TCP_LINGER2 -1: (gone within a second of close(), what the
    server's sends met)."""
    c, s = pair(proto)
    c.setsockopt(socket.IPPROTO_TCP, TCP_LINGER2, -1)
    if half_close_first:
        c.shutdown(socket.SHUT_WR)
        check_eq(s.recv(1), b"", f"{name}: the server reads the FIN")
        wait_for(lambda: client_states(name) == [FIN_WAIT2], timeout=2)
    c.close()
    gone = wait_for(lambda: not client_states(name), timeout=1, step=0.05)
    outcome = server_outcome(s)
    s.close()
    return gone, outcome


def fin_timeout(seconds):
    net.enter("a")
    sysctl("net.ipv4.tcp_fin_timeout", seconds)
    sysctl("net.ktcp.fin_timeout", seconds)
    net.enter(None)


net = Netns()
fin_timeout(FIN_TIMEOUT)
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

fin_timeout(20)
res = {name: linger2_options(proto) for name, proto in PROTOS}
check_eq(res["ktcp"], [20, 5, 120, -1, 20], "TCP_LINGER2 reads back "
         "fin_timeout, 5, at most 120, -1 and fin_timeout again")
check_eq(res["ktcp"], res["tcp"], "TCP_LINGER2 reads back as on kernel TCP")

res = {name: fin_wait2(name, proto, False, LINGER2) for name, proto in PROTOS}
for name, (_, gone, dt, outcome) in res.items():
    print(f"     TCP_LINGER2 {LINGER2}, {name}: gone {gone} after {dt} s, "
          f"server's send: {outcome}")
    check(gone and LINGER2 - 0.3 <= dt <= LINGER2 + SLACK,
          f"TCP_LINGER2 {LINGER2}, {name}: the orphan is gone after "
          f"{LINGER2} s, not fin_timeout ({dt} s)")
check_eq(res["ktcp"][3], res["tcp"][3], "TCP_LINGER2: the server's data "
         "meets what it meets on kernel TCP")

for label, half in (("closed at once", False),
                    ("half-closed, then closed", True)):
    res = {name: no_fin_wait2(name, proto, half) for name, proto in PROTOS}
    print(f"     TCP_LINGER2 -1, {label}: {res}")
    check_eq(res["ktcp"], (True, "EPIPE"), f"TCP_LINGER2 -1, {label}: no "
             "orphan in FIN-WAIT-2, and the server's data meets a reset")
    check_eq(res["ktcp"], res["tcp"], f"TCP_LINGER2 -1, {label}: as on "
             "kernel TCP")
net.close()
done()
