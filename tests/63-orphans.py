#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# netns: init (tcp_max_orphans and net.ktcp.max_orphans are global)
"""Orphans do not live forever, kernel TCP and ktcp alike.  A server
writes to a client that stops reading (its window shuts) and closes:
its socket is an orphan in FIN-WAIT-1 with data it cannot send.

- The server keeps its socket and the client vanishes: unanswered
  zero-window probes end the connection with ETIMEDOUT after as many
  as the retransmission limit allows (net.ipv4.tcp_retries2, ktcp's
  data_retries = 2).
- The client vanishes (its answers are lost): the orphan's zero-window
  probes go unanswered and it is gone after orphan_retries of them
  (net.ipv4.tcp_orphan_retries, net.ktcp.orphan_retries = 2).
- ktcp only: the client stays and keeps its window shut.  An orphan's
  probes count until the window opens, so it is gone after as many
  probes; Linux probes such an orphan until its probe interval reaches
  two minutes (a difference Documentation/design.rst states).
- More orphans than net.ipv4.tcp_max_orphans / net.ktcp.max_orphans
  (2 more than earlier tests left): the one closed while the limit's
  worth of others are about is reset at once, and the timers reset
  others until no more than the limit are left."""
# kernels: debug
import errno
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import (Netns, check, check_eq, done, fill,  # noqa: E402
                      sysctl, wait_for)
from ktcpxfer import netem  # noqa: E402
from ktcpnet import PROTOS, sock  # noqa: E402

PORT = 6900
RETRIES = 2
LONG_RETRIES = 6
DATA_RETRIES = 2
MAX_ORPHANS = 2
TABLE = {"tcp": "/proc/net/tcp", "ktcp": "/proc/net/ktcp"}
FIN_WAIT1 = 4


def orphans(net, name):
    """Server-side sockets of PORT in FIN-WAIT-1 in namespace b."""
    net.enter("b")
    try:
        with open(TABLE[name]) as f:
            rows = [line.split() for line in f][1:]
    finally:
        net.enter(None)
    return sum(1 for r in rows if int(r[1].split(":")[1], 16) == PORT and
               int(r[3], 16) == FIN_WAIT1)


def stuck_pairs(net, proto, n):
    """@n connections whose clients never read, servers filled up."""
    global PORT
    PORT += 1
    net.enter("b")
    lst = sock(proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("0.0.0.0", PORT))
    lst.listen(n)
    net.enter("a")
    clients = []
    for _ in range(n):
        c = sock(proto)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.settimeout(10)
        c.connect((net.addr["b"], PORT))
        clients.append(c)
    net.enter(None)
    servers = []
    for _ in range(n):
        s, _ = lst.accept()
        fill(s)
        servers.append(s)
    lst.close()
    time.sleep(1.0)         # the windows are shut, the probing begins
    return clients, servers


def vanished(name, proto, client_gone):
    clients, servers = stuck_pairs(net, proto, 1)
    if client_gone:
        netem(net, "loss", "100%", sides=("a",))
    servers[0].close()
    t0 = time.time()
    check_eq(orphans(net, name), 1, f"{name}: the orphan is there")
    gone = wait_for(lambda: orphans(net, name) == 0, timeout=60, step=0.2)
    dt = round(time.time() - t0, 1)
    netem(net)
    for c in clients:
        c.close()
    return gone, dt


def probed_out(proto):
    """The client of a stuck pair vanishes; the server, still its owner,
    waits in recv().  Returns how that ends and when."""
    clients, servers = stuck_pairs(net, proto, 1)
    netem(net, "loss", "100%", sides=("a",))
    s = servers[0]
    s.settimeout(60)
    t0 = time.time()
    try:
        s.recv(1)
        outcome = "no error"
    except OSError as e:
        outcome = errno.errorcode.get(e.errno, str(e)) if e.errno else str(e)
    dt = round(time.time() - t0, 1)
    netem(net)
    for x in clients + servers:
        x.close()
    return outcome, dt


def global_orphans():
    """Orphans of all namespaces, as TCP and ktcp count them."""
    counts = {}
    for name, path, tag in (("tcp", "/proc/net/sockstat", "TCP:"),
                            ("ktcp", "/proc/net/ktcp_sockstat", "KTCP:")):
        with open(path) as f:
            row = next(line.split() for line in f if line.startswith(tag))
        counts[name] = int(row[row.index("orphan") + 1])
    return counts


def too_many_once(name, proto):
    """Closes MAX_ORPHANS + 2 stuck servers one by one: which of them are
    reset at close, how many orphans are left a little later, and whether
    the orphans of other namespaces stayed as many as the limit assumed."""
    # The limits count orphans of every namespace: earlier tests' may
    # still be about, some for minutes.  Give those about to go a moment,
    # then set the limit above the ones left.
    wait_for(lambda: global_orphans()[name] == 0, timeout=5, step=0.5)
    others = global_orphans()[name]
    limit = others + MAX_ORPHANS
    old = (sysctl("net.ipv4.tcp_max_orphans"), sysctl("net.ktcp.max_orphans"))
    reset = []
    try:
        sysctl("net.ipv4.tcp_max_orphans", limit)
        sysctl("net.ktcp.max_orphans", limit)
        clients, servers = stuck_pairs(net, proto, MAX_ORPHANS + 2)
        for c, s in zip(clients, servers):
            s.close()
            time.sleep(0.5)     # TCP counts its orphans every 100 ms
            # the client reads nothing, which would open its window
            reset.append(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) ==
                         errno.ECONNRESET)
        steady = global_orphans()[name] - orphans(net, name) == others
        wait_for(lambda: orphans(net, name) <= MAX_ORPHANS, timeout=10,
                 step=0.2)
        left = orphans(net, name)
        for c in clients:
            c.close()
    finally:
        sysctl("net.ipv4.tcp_max_orphans", old[0])
        sysctl("net.ktcp.max_orphans", old[1])
    return reset, left, steady


def too_many(name, proto):
    """too_many_once() until no orphan of another namespace came or went
    while the servers were closed: one that did moves the limit."""
    for attempt in range(3):
        reset, left, steady = too_many_once(name, proto)
        if steady:
            break
        print(f"     {name}: orphans of other namespaces changed, again")
    return reset, left


net = Netns()
net.enter("b")
sysctl("net.ipv4.tcp_orphan_retries", RETRIES)
sysctl("net.ktcp.orphan_retries", RETRIES)
old_retries = (sysctl("net.ipv4.tcp_retries2"),
               sysctl("net.ktcp.data_retries"))
sysctl("net.ipv4.tcp_retries2", DATA_RETRIES)
sysctl("net.ktcp.data_retries", DATA_RETRIES)
net.enter(None)
seen = {}
try:
    for name, proto in PROTOS:
        seen[name] = probed_out(proto)
        print(f"     vanished client, server waits, {name}: {seen[name]}")
finally:
    net.enter("b")
    sysctl("net.ipv4.tcp_retries2", old_retries[0])
    sysctl("net.ktcp.data_retries", old_retries[1])
    net.enter(None)
check_eq(seen["ktcp"][0], "ETIMEDOUT", "ktcp: unanswered zero-window probes "
         f"end the connection ({seen['ktcp'][1]} s)")
check_eq(seen["ktcp"][0], seen["tcp"][0], "server waits for a vanished "
         "client: ktcp ends as TCP")

seen = {}
for name, proto in PROTOS:
    gone, dt = vanished(name, proto, True)
    print(f"     vanished client, {name}: orphan gone {gone} after {dt} s")
    check(gone, f"{name}: a zero-window orphan whose client vanished is "
          f"gone after {RETRIES} probes ({dt} s)")
    seen[name] = gone
check_eq(seen["ktcp"], seen["tcp"], "vanished client: ktcp ends as TCP")

gone, dt = vanished("ktcp", 253, False)
check(gone, f"ktcp: an orphan held at a zero window is gone after "
      f"{RETRIES} probes ({dt} s)")

# Orphans that live through the closes: with orphan_retries 2 they are
# probed out within a second, before the next one is closed.
net.enter("b")
sysctl("net.ipv4.tcp_orphan_retries", LONG_RETRIES)
sysctl("net.ktcp.orphan_retries", LONG_RETRIES)
net.enter(None)
seen = {}
for name, proto in PROTOS:
    reset, left = too_many(name, proto)
    print(f"     {MAX_ORPHANS + 2} orphans, {name}: reset at close {reset}, "
          f"{left} left")
    check(left <= MAX_ORPHANS, f"{name}: at most {MAX_ORPHANS} orphans "
          f"left ({left})")
    seen[name] = reset
# The one closed while MAX_ORPHANS others are about is the first too many.
check_eq(seen["ktcp"], [False] * (MAX_ORPHANS + 1) + [True],
         "ktcp: only the orphan past the limit is reset at close")
check_eq(seen["ktcp"], seen["tcp"], "which orphans are reset at close: "
         "ktcp as kernel TCP")
net.close()
done()
