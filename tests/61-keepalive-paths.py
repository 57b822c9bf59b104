#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Keepalive as programs set it, kernel TCP and ktcp alike (two
namespaces; netem loss 100% on one side kills the path):

- set before connect(): the client finds the dead path after
  idle + count x interval and recv() fails with ETIMEDOUT;
- set on the listener: the accepted socket inherits it and finds a dead
  client the same way;
- a half-closed socket (shutdown(SHUT_WR), FIN-WAIT-2) keeps reading
  what the peer still sends, every byte, and sees EOF only at the
  peer's FIN;
- a half-closed socket whose peer dies ends with ETIMEDOUT too."""
# kernels: debug
import errno
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done, recv_all  # noqa: E402
from ktcpxfer import netem  # noqa: E402
import ktcpnet  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

# idle longer than netem takes to set up on a debug guest
IDLE, INTVL, CNT = 3, 1, 2
DEAD_AFTER = IDLE + CNT * INTVL
SLACK = 6               # TCG guests on a busy host fire timers late
PORT = 6700


def keepalive(s):
    """The timing first, then SO_KEEPALIVE: the timer starts with IDLE."""
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, IDLE)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, INTVL)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, CNT)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)


def pair(net, proto, on_client=False, on_listener=False):
    global PORT
    PORT += 1
    return ktcpnet.pair(net, proto, PORT,
                        listener_setup=keepalive if on_listener else None,
                        client_setup=keepalive if on_client else None)


def time_to_error(s, t0, timeout=30):
    """Seconds from @t0 until recv() on @s fails, and the errno."""
    s.settimeout(timeout)
    try:
        got = s.recv(100)
        return round(time.time() - t0, 2), f"data {got!r}"
    except OSError as e:
        return round(time.time() - t0, 2), errno.errorcode.get(e.errno)


def dead_path(proto, side_dead, **kw):
    """Keepalive on one end, the other end's answers lost: (errno, s)."""
    c, s = pair(net, proto, **kw)
    c.sendall(b"x")
    s.recv(1)
    time.sleep(0.1)     # the ACK of "x" too: now the path is idle
    t0 = time.time()
    watcher = c if kw.get("on_client") else s
    netem(net, "loss", "100%", sides=(side_dead,))
    dt, err = time_to_error(watcher, t0)
    netem(net)
    c.close()
    s.close()
    return err, dt


def half_closed(proto, peer_dies):
    """Client with keepalive shuts its side; the server sends 10 pieces
    0.4 s apart, with a pause longer than the keepalive idle after the
    5th, then closes; or its path dies after the 5th.  Returns what the
    client read and how it ended."""
    c, s = pair(net, proto)
    keepalive(c)        # set once established, as most programs do
    c.shutdown(socket.SHUT_WR)
    check_eq(s.recv(10), b"", "server sees the client's FIN")
    got = b""
    outcome = None
    c.settimeout(30)
    try:
        for i in range(10):
            if i == 5:
                if peer_dies:
                    netem(net, "loss", "100%", sides=("b",))
                    break
                time.sleep(IDLE + 1.5)  # a keepalive probe, answered
            s.sendall(bytes([65 + i]) * 100)
            time.sleep(0.4)
    except OSError as e:    # the half-closed end went away early
        outcome = "peer: " + errno.errorcode.get(e.errno, str(e))
    if not peer_dies:
        s.close()
    try:
        got = recv_all(c)
        outcome = outcome or "EOF"
    except OSError as e:
        outcome = outcome or errno.errorcode.get(e.errno)
    netem(net)
    c.close()
    s.close()
    return got, outcome


def compare(what, results, want):
    for name, res in results.items():
        print(f"     {what}, {name}: {res}")
    check_eq(results["ktcp"][0], results["tcp"][0],
             f"{what}: ktcp ends as kernel TCP")
    check_eq(results["ktcp"][0], want, f"{what}: {want}")


net = Netns()
for label, kw, dead in (("set before connect()", {"on_client": True}, "b"),
                        ("inherited from the listener",
                         {"on_listener": True}, "a")):
    res = {name: dead_path(proto, dead, **kw) for name, proto in PROTOS}
    compare(f"keepalive {label}, dead path", res, "ETIMEDOUT")
    for name, (_, dt) in res.items():
        check(DEAD_AFTER - 0.2 <= dt <= DEAD_AFTER + SLACK,
              f"keepalive {label}, {name}: found dead after {dt} s "
              f"(idle {IDLE} + {CNT} x {INTVL})")

res = {name: half_closed(proto, False) for name, proto in PROTOS}
want = b"".join(bytes([65 + i]) * 100 for i in range(10))
for name, (got, outcome) in res.items():
    check(got == want and outcome == "EOF",
          f"half-closed with keepalive, {name}: every byte, then EOF "
          f"({len(got)} bytes, {outcome})")

res = {name: half_closed(proto, True)[::-1] for name, proto in PROTOS}
compare("half-closed with keepalive, the peer dies", res, "ETIMEDOUT")
net.close()
done()
