#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""SO_REUSEPORT with TCP's meaning, kernel TCP and ktcp alike, over
loopback:
- two listeners that both set it share a port; a third socket without it
  cannot bind there (EADDRINUSE), nor can one that sets it join a port
  held by a socket that did not;
- connections spread over the group, as nginx's reuseport workers need:
  of 40, each listener accepts a fair share (at least 5; the chance of
  fewer is about one in ten million);
- once one listener closes, the other takes every new connection."""
import errno
import os
import select
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check, check_eq, done  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

CONNS = 40


def listener(proto, port, reuseport=True):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("127.0.0.1", port))
    s.listen(CONNS)
    return s


def bind_error(proto, port, reuseport):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        s.bind(("127.0.0.1", port))
        s.listen(1)
        return 0
    except OSError as e:
        return e.errno
    finally:
        s.close()


def connect_all(proto, port, lsts, n):
    """Connect @n times; how many each listener of @lsts accepted."""
    clients = []
    for _ in range(n):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        c.settimeout(10)
        c.connect(("127.0.0.1", port))
        clients.append(c)
    counts = [0] * len(lsts)
    accepted = []
    while sum(counts) < n:
        ready = select.select(lsts, [], [], 10)[0]
        if not ready:
            break
        for lst in ready:
            accepted.append(lst.accept()[0])
            counts[lsts.index(lst)] += 1
    for s in clients + accepted:
        s.close()
    return counts


def case(proto, port):
    a, b = listener(proto, port), listener(proto, port)
    errs = [bind_error(proto, port, False)]
    alone = listener(proto, port + 1, reuseport=False)
    errs.append(bind_error(proto, port + 1, True))
    alone.close()
    spread = connect_all(proto, port, [a, b], CONNS)
    a.close()
    after = connect_all(proto, port, [b], 10)
    b.close()
    return errs, spread, after


seen = {}
for i, (name, proto) in enumerate(PROTOS):
    seen[name] = case(proto, 7200 + 2 * i)
    print(f"     {name}: bind errors {seen[name][0]}, 40 connections "
          f"spread {seen[name][1]}, after one closed {seen[name][2]}")
for name in seen:
    errs, spread, after = seen[name]
    check_eq(errs, [errno.EADDRINUSE] * 2, f"{name}: no SO_REUSEPORT on "
             "either side: EADDRINUSE")
    check(sum(spread) == CONNS and min(spread) >= 5, f"{name}: the "
          f"connections spread over the group ({spread})")
    check_eq(after, [10], f"{name}: the listener left takes them all")
done()
