#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Simultaneous open and simultaneous close (RFC 9293 figures 8 and 13).

Two sockets bound to each other's ports connect at once; netem delays
loopback by 100 ms so both SYNs, and later both FINs, cross in flight.
The close is judged by the ktcp_state tracepoint, which sees every state
however briefly held: sampling /proc/net/ktcp inside the 100 ms windows
failed on a slow host.
"""
import os
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, ACK, FIN, RST, SYN  # noqa: E402

A, B = 42001, 42002


def transitions(sport, dport):
    """Old>new state of each ktcp_state event of one end, in order."""
    with open(f"{TRACEFS}/trace") as f:
        out = f.read()
    return re.findall(rf"ktcp_state: 127\.0\.0\.1:{sport}>127\.0\.0\.1:"
                      rf"{dport} (\S+)", out)


sysctl("net.ktcp.tw_timeout_ms", 1000)
subprocess.run(["tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay",
                "100ms"], check=True)
try:
    raw = Raw()
    a = sock(nonblock=True)
    b = sock(nonblock=True)
    a.bind(("127.0.0.1", A))
    b.bind(("127.0.0.1", B))
    a.connect_ex(("127.0.0.1", B))
    b.connect_ex(("127.0.0.1", A))
    p = select.poll()
    p.register(a, select.POLLOUT)
    p.register(b, select.POLLOUT)
    ready = set()
    end = time.time() + 10
    while len(ready) < 2 and time.time() < end:
        for fd, ev in p.poll(500):
            if ev & select.POLLOUT and not ev & select.POLLERR:
                ready.add(fd)
    check_eq(len(ready), 2, "both connects complete")
    check_eq(a.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0, "a: no error")
    check_eq(b.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0, "b: no error")
    check_eq(states_on(A), ["ESTABLISHED", "ESTABLISHED"], "both ESTABLISHED")

    raw.poll(0.5)
    seg = [q for q in raw.seen if {q["sport"], q["dport"]} == {A, B}]
    syn = {q["sport"]: q["seq"] for q in seg if q["flags"] == SYN}
    check_eq(sorted(syn), [A, B], "each side sent a SYN")
    for src, dst in ((A, B), (B, A)):
        sa = [q for q in seg if q["sport"] == src and q["flags"] == SYN | ACK]
        check(len(sa) >= 1 and sa[0]["seq"] == syn[src] and
              sa[0]["ack"] == (syn[dst] + 1) & 0xffffffff,
              f"{src} answered with SYN,ACK seq=ISS ack=peer ISS+1")
    check(not any(q["flags"] & RST for q in seg), "no RST in the handshake")

    a.setblocking(True)
    b.setblocking(True)
    a.settimeout(10)
    b.settimeout(10)
    a.sendall(b"from a")
    b.sendall(b"from b")
    check_eq(recv_exact(b, 6), b"from a", "a -> b data")
    check_eq(recv_exact(a, 6), b"from b", "b -> a data")

    # Both FINs cross: FIN-WAIT-1 -> CLOSING -> TIME-WAIT on both sides.
    tracefs("trace", "")
    tracefs("events/ktcp/ktcp_state/enable", "1")
    a.shutdown(socket.SHUT_WR)
    b.shutdown(socket.SHUT_WR)
    wait_for(lambda: states_on(A) == ["TIME_WAIT", "TIME_WAIT"], timeout=5)
    tracefs("events/ktcp/ktcp_state/enable", "0")
    for src, dst in ((A, B), (B, A)):
        check_eq(transitions(src, dst), ["ESTABLISHED>FIN-WAIT-1",
                                         "FIN-WAIT-1>CLOSING",
                                         "CLOSING>TIME-WAIT"],
                 f"{src}: FIN-WAIT-1, CLOSING, TIME-WAIT")
    check_eq(states_on(A), ["TIME_WAIT", "TIME_WAIT"], "both in TIME-WAIT")
    check_eq(a.recv(10), b"", "a reads EOF")
    check_eq(b.recv(10), b"", "b reads EOF")
    raw.poll(0.3)
    fins = [q for q in raw.seen if q["flags"] & FIN]
    check_eq(len(fins), 2, "exactly one FIN each way")
    a.close()
    b.close()
    check(wait_for(lambda: states_on(A) == [], timeout=5), "TIME-WAIT expires")
finally:
    tracefs("events/ktcp/ktcp_state/enable", "0")
    subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"])
done()
