#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""bind/listen/accept rules as on TCP: EADDRINUSE, SO_REUSEADDR, names."""
import errno
import os
import select
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403


def bind_err(port, reuse=False, addr="127.0.0.1"):
    s = sock()
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((addr, port))
        return s, 0
    except OSError as e:
        s.close()
        return None, e.errno


srv = listener(6500, addr="0.0.0.0", backlog=32, reuse=False)
s, err = bind_err(6500)
check_eq(err, errno.EADDRINUSE, "bind to a listener's port: EADDRINUSE")
s, err = bind_err(6500, reuse=True)
check_eq(err, errno.EADDRINUSE, "even with SO_REUSEADDR while it listens")
s, err = bind_err(6501)
check_eq(err, 0, "another port binds")
check_eq(s.getsockname(), ("127.0.0.1", 6501), "getsockname after bind")
s.close()

# Two SO_REUSEADDR sockets may share a port until one listens.
x, err1 = bind_err(6502, reuse=True)
y, err2 = bind_err(6502, reuse=True)
check_eq((err1, err2), (0, 0), "two SO_REUSEADDR sockets bind one port")
x.listen(4)
try:
    y.listen(4)
    check(False, "second listener on the port fails")
except OSError as e:
    check_eq(e.errno, errno.EADDRINUSE, "second listen(): EADDRINUSE")
x.close()
y.close()

# Ephemeral ports: distinct, inside ip_local_port_range.
lo, hi = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
ports = set()
cs = []
for _ in range(20):
    c = sock()
    c.connect(("127.0.0.1", 6500))
    ports.add(c.getsockname()[1])
    cs.append(c)
check_eq(len(ports), 20, "20 connections, 20 ephemeral ports")
check(all(lo <= p <= hi for p in ports), "ports within ip_local_port_range")
p = select.poll()
p.register(srv, select.POLLIN)
check(p.poll(1000), "listener polls readable with connections queued")
peers = set()
for _ in range(20):
    a, addr = srv.accept()
    check_eq(a.getsockname(), ("127.0.0.1", 6500), "accepted socket's name")
    peers.add(addr[1])
    a.close()
check_eq(peers, ports, "accept() reports every peer")
check_eq(p.poll(0), [], "listener not readable once drained")
for c in cs:
    c.close()

# listen() on an unbound socket picks a port; connect() on a listener fails.
u = sock()
u.listen(1)
check(u.getsockname()[1] != 0, "listen() autobinds")
check_eq(u.connect_ex(("127.0.0.1", 6500)), errno.EISCONN,
         "connect() on a listener fails")
u.close()

# Half-close readiness: POLLIN|POLLRDHUP after the peer's FIN.
srv2, c, a = pair(6503)
c.shutdown(socket.SHUT_WR)
p = select.poll()
p.register(a, select.POLLIN | select.POLLRDHUP)
ev = p.poll(2000)
check(ev and ev[0][1] & select.POLLRDHUP and ev[0][1] & select.POLLIN,
      "peer FIN: POLLIN|POLLRDHUP")
check_eq(a.recv(1), b"", "recv returns 0 at EOF")
a.sendall(b"after")
check_eq(recv_exact(c, 5), b"after", "half-closed side still receives")
c.close()
a.close()
srv2.close()
srv.close()
done()
