#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Data retransmitted to a peer that vanished (netem loss 100% both
ways) ends in ETIMEDOUT after data_retries retransmissions, RFC 9293
3.8.3: the RTO doubles each time, so with the limit at 4 the connection
dies 1+2+4+8+16 = 31 RTOs after the first send.  The socket is CLOSED
and the error reaches poll (POLLERR), recv and send; counters move.
The bound is the namespace's net.ktcp.data_retries, set in the
sender's namespace only (69-user-timeout checks TCP_USER_TIMEOUT)."""
import errno
import os
import select
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpxfer import netem, ns_stats  # noqa: E402

RETRIES = 4
net = Netns()
try:
    net.enter("a")
    sysctl("net.ktcp.data_retries", RETRIES)
    net.enter("b")
    srv = listener(7800, addr="0.0.0.0")
    net.enter("a")
    conns = []
    for _ in range(2):
        c = sock()
        c.settimeout(20)
        c.connect(("192.0.2.2", 7800))
        conns.append(c)
    net.enter("b")
    peers = [srv.accept()[0] for _ in conns]
    net.enter(None)
    # A little traffic so the RTO comes from measured RTTs.
    for c, p in zip(conns, peers):
        for _ in range(5):
            c.sendall(b"ping")
            check_eq(recv_exact(p, 4), b"ping", "echo before the loss")
    p_poll, c_recv = conns
    ports = [c.getsockname()[1] for c in conns]
    # The last ping's delayed ACK in, before the counters are read: a
    # guest stalled past the RTO would time it out and count one more.
    check(wait_for(lambda: all(tcp_info(c)["unacked"] == 0 for c in conns),
                   timeout=5), "every ping acknowledged before the loss")
    ti = tcp_info(p_poll)
    rto, retrans0 = ti["rto"] / 1e6, ti["total_retrans"]
    print(f"     rto {rto:.3f} s")

    before = ns_stats(net, "a")
    netem(net, "loss", "100%")
    t0 = time.time()
    for c in conns:
        c.send(b"x" * 3000)     # now unacknowledged for ever

    # Blocked in poll() when the abort comes.
    p = select.poll()
    p.register(p_poll, select.POLLIN)
    ev = p.poll(120 * 1000)
    took = time.time() - t0
    want = rto * (2 ** (RETRIES + 1) - 1)
    print(f"     aborted after {took:.2f} s, {want:.2f} s expected")
    check(ev and ev[0][1] & select.POLLERR,
          f"poll reports POLLERR on the timeout ({ev})")
    check(want * 0.9 <= took <= want + 5,
          f"abort after {RETRIES} retransmissions: {took:.2f} s, "
          f"31 x RTO = {want:.2f} s")
    check_eq(p_poll.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR),
             errno.ETIMEDOUT, "SO_ERROR is ETIMEDOUT")
    ti = tcp_info(p_poll)
    state, retrans = ti["state"], ti["total_retrans"]
    check_eq(STATES.get(state), "CLOSE", "socket is CLOSED")
    check(retrans - retrans0 >= RETRIES,
          f"TCP_INFO counts the {RETRIES} retransmissions "
          f"({retrans - retrans0})")
    check(wait_for(lambda: tcp_info(c_recv)["state"] == 7, timeout=10),
          "the other connection timed out too")
    try:
        c_recv.recv(10)
        check(False, "recv after the abort fails")
    except OSError as e:
        check_eq(e.errno, errno.ETIMEDOUT, "recv reports ETIMEDOUT")
    try:
        p_poll.send(b"y")
        check(False, "send after the abort fails")
    except OSError as e:
        check_eq(e.errno, errno.EPIPE, "send then fails with EPIPE")
    net.enter("a")
    check_eq([r["state"] for r in sockets() if r["lport"] in ports], [],
             "no entry left in /proc/net/ktcp")
    net.enter(None)
    after = ns_stats(net, "a")
    check_eq(after["Timeouts"] - before["Timeouts"], 2,
             "Timeouts counts both connections")
    check_eq(after["RetransTimeouts"] - before["RetransTimeouts"],
             2 * RETRIES, f"RetransTimeouts counts the {RETRIES} timer "
             "expiries of each connection before its abort")
    check(after["RetransSegs"] - before["RetransSegs"] >= 2 * RETRIES,
          f"RetransSegs moved by >= {2 * RETRIES} "
          f"({after['RetransSegs'] - before['RetransSegs']})")
    check_eq(after["CurrEstab"], before["CurrEstab"] - 2,
             "CurrEstab drops by two")

    netem(net)
    for c in conns + peers:
        c.close()
    srv.close()
finally:
    net.close()
done()
