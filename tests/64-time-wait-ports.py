#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TIME-WAIT and ephemeral ports as kernel TCP has them, the same case
over kernel TCP and ktcp:

- a client reconnects from the same port while the server's side of the
  old connection is in TIME-WAIT: its SYN, beyond the old sequence
  space, opens the new connection at once (RFC 1122 4.2.2.13, RFC 6191);
- TIME-WAIT sockets are capped (net.ipv4.tcp_max_tw_buckets,
  net.ktcp.max_tw_buckets = 5): connections closed past the cap skip
  TIME-WAIT, and the overflow is counted;
- connect() shares an ephemeral port among connections to different
  peers, as long as each four-tuple is unique: with 200 ports and four
  server ports, 600 connections that the client closes first (leaving
  600 TIME-WAITs) all connect."""
# kernels: debug
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done, recv_exact, sysctl  # noqa: E402
from ktcpnet import PROTOS, sock  # noqa: E402

PORT = 7000
CPORT = 47000
TABLE = {"tcp": "/proc/net/tcp", "ktcp": "/proc/net/ktcp"}
TIME_WAIT = 6


def netstat(name):
    if name == "ktcp":
        with open("/proc/net/ktcp_stat") as f:
            return {k: int(v) for k, v in (line.split() for line in f)}
    with open("/proc/net/netstat") as f:
        lines = f.read().splitlines()
    names, values = lines[0].split()[1:], lines[1].split()[1:]
    return dict(zip(names, map(int, values)))


def time_waits(name):
    with open(TABLE[name]) as f:
        return sum(1 for line in list(f)[1:] if int(line.split()[3], 16) ==
                   TIME_WAIT)


def listeners(net, proto, ports, backlog=128):
    net.enter("b")
    out = []
    for p in ports:
        lst = sock(proto)
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lst.bind(("0.0.0.0", p))
        lst.listen(backlog)
        out.append(lst)
    net.enter(None)
    return out


def reconnect_into_time_wait(name, proto):
    net = Netns()
    try:
        lst, = listeners(net, proto, [PORT])
        times = []
        for round_ in range(2):
            net.enter("a")
            c = sock(proto)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            c.bind(("0.0.0.0", CPORT))
            c.settimeout(10)
            t0 = time.time()
            try:
                c.connect((net.addr["b"], PORT))
            except OSError as e:
                times.append(str(e))
                break
            times.append(round(time.time() - t0, 2))
            net.enter(None)
            s, _ = lst.accept()
            s.sendall(b"round %d" % round_)
            got = recv_exact(c, 7)
            s.close()               # the server closes first: TIME-WAIT
            check_eq(got + c.recv(10), b"round %d" % round_,
                     f"{name}: round {round_} data, then EOF")
            c.close()
            time.sleep(0.3)
        net.enter("b")
        tw = time_waits(name)
        reopened = netstat(name).get("TimeWaitReopened")
        net.enter(None)
        lst.close()
    finally:
        net.close()
    return times, tw, reopened


def tw_cap(name, proto, n=8, cap=5):
    net = Netns()
    try:
        net.enter("b")
        sysctl("net.ipv4.tcp_max_tw_buckets", cap)
        sysctl("net.ktcp.max_tw_buckets", cap)
        before = netstat(name)
        net.enter(None)
        lst, = listeners(net, proto, [PORT])
        for _ in range(n):
            net.enter("a")
            c = sock(proto)
            c.settimeout(10)
            c.connect((net.addr["b"], PORT))
            net.enter(None)
            s, _ = lst.accept()
            s.close()
            c.recv(10)
            c.close()
        time.sleep(0.5)
        net.enter("b")
        tw = time_waits(name)
        after = netstat(name)
        net.enter(None)
        lst.close()
    finally:
        net.close()
    key = "TimeWaitOverflow" if name == "ktcp" else "TCPTimeWaitOverflow"
    return tw, after[key] - before[key]


def churn(name, proto, n=600, ports=4):
    net = Netns()
    failures, t0 = [], time.time()
    try:
        net.enter("a")
        sysctl("net.ipv4.ip_local_port_range", "40000 40199")
        net.enter(None)
        lsts = listeners(net, proto, range(PORT, PORT + ports), backlog=512)
        for i in range(n):
            net.enter("a")
            c = sock(proto)
            c.settimeout(10)
            try:
                c.connect((net.addr["b"], PORT + i % ports))
            except OSError as e:
                failures.append(f"{i}: {e}")
                c.close()
                continue
            finally:
                net.enter(None)
            s, _ = lsts[i % ports].accept()
            c.close()               # the client closes first: TIME-WAIT
            s.close()
        net.enter("a")
        tw = time_waits(name)
        net.enter(None)
        for lst in lsts:
            lst.close()
    finally:
        net.close()
    return failures, tw, round(time.time() - t0, 1)


seen = {}
for name, proto in PROTOS:
    times, tw, reopened = reconnect_into_time_wait(name, proto)
    print(f"     SYN into TIME-WAIT, {name}: connect() took {times}, "
          f"{tw} TIME-WAIT left on the server, reopened {reopened}")
    ok = len(times) == 2 and all(isinstance(t, float) and t < 1 for t in times)
    check(ok, f"{name}: reconnecting from the same port into the server's "
          "TIME-WAIT connects at once")
    seen[name] = ok
    if name == "ktcp":
        check(reopened and reopened >= 1, "ktcp: TimeWaitReopened counts it")
check_eq(seen["ktcp"], seen["tcp"], "SYN into TIME-WAIT: ktcp as kernel TCP")

seen = {}
for name, proto in PROTOS:
    seen[name] = tw_cap(name, proto)
    print(f"     8 closes, cap 5, {name}: {seen[name][0]} TIME-WAIT, "
          f"{seen[name][1]} overflows")
check_eq(seen["ktcp"], (5, 3), "ktcp: TIME-WAIT capped at 5, 3 overflows")
check_eq(seen["ktcp"], seen["tcp"], "TIME-WAIT cap: ktcp as kernel TCP")

seen = {}
for name, proto in PROTOS:
    failures, tw, dt = churn(name, proto)
    print(f"     600 connections from 200 ports to 4 server ports, {name}: "
          f"{len(failures)} failed, {tw} TIME-WAIT, {dt} s")
    for f in failures[:3]:
        print(f"       {f}")
    check(not failures and tw >= 550, f"{name}: 600 connections from 200 "
          f"ephemeral ports, each four-tuple unique ({tw} in TIME-WAIT)")
    seen[name] = not failures
check_eq(seen["ktcp"], seen["tcp"], "port sharing: ktcp as kernel TCP")
done()
