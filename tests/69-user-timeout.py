#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP_SYNCNT and TCP_USER_TIMEOUT with TCP's meaning, kernel TCP and ktcp
side by side between two namespaces:
- both read back what was set, TCP_SYNCNT the namespace's syn_retries
  before that, and both refuse the same values;
- TCP_SYNCNT 1: connect() to a peer that never answers gives up after
  one SYN retransmission, 1 + 2 seconds, with ETIMEDOUT;
- TCP_USER_TIMEOUT (RFC 5482): data to a peer that vanished ends the
  connection with ETIMEDOUT once it has gone unacknowledged that long,
  far sooner than the retransmission limit would; a window that stays
  closed ends it too, though the peer answers every probe (TCP's
  tcp_probe_timer() counts from the first probe); and keepalive gives
  up at the first probe past it instead of after TCP_KEEPCNT probes.
Kernels with net.ipv4.tcp_syn_linear_timeouts (Debian's 6.12 and 7.3,
not 6.1) time kernel TCP's first SYN retransmissions linearly; ktcp does
not, so the SYN case turns that off for kernel TCP."""
# kernels: debug 6.1 6.12 7
import errno
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import (Netns, check, check_eq, done, fill,  # noqa: E402
                      recv_exact)
from ktcpnet import PROTOS, pair, sock  # noqa: E402
from ktcpxfer import netem  # noqa: E402

TCP_SYNCNT, TCP_USER_TIMEOUT = 7, 18
USER_TIMEOUT_MS = 1500
LINEAR = "/proc/sys/net/ipv4/tcp_syn_linear_timeouts"


def options(proto):
    """What @proto's socket reads back and which settings it refuses."""
    s = sock(proto)
    got = [s.getsockopt(socket.IPPROTO_TCP, TCP_SYNCNT)]
    s.setsockopt(socket.IPPROTO_TCP, TCP_SYNCNT, 3)
    s.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, 2500)
    got += [s.getsockopt(socket.IPPROTO_TCP, opt)
            for opt in (TCP_SYNCNT, TCP_USER_TIMEOUT)]
    refused = []
    for opt, val in ((TCP_SYNCNT, 0), (TCP_SYNCNT, 128),
                     (TCP_USER_TIMEOUT, -1)):
        try:
            s.setsockopt(socket.IPPROTO_TCP, opt, val)
            refused.append(0)
        except OSError as e:
            refused.append(e.errno)
    s.close()
    return got, refused


def syn_timeout(net, proto, port):
    """Seconds until connect() with TCP_SYNCNT 1 fails, and its errno."""
    net.enter("a")
    c = sock(proto)
    net.enter(None)
    c.setsockopt(socket.IPPROTO_TCP, TCP_SYNCNT, 1)
    c.settimeout(30)
    t0 = time.time()
    try:
        c.connect((net.addr["b"], port))
        err = 0
    except OSError as e:
        err = e.errno
    c.close()
    return round(time.time() - t0, 2), err


def wait_error(s):
    """Seconds until @s reports an error, and the error."""
    t0 = time.time()
    p = select.poll()
    p.register(s, select.POLLERR)
    p.poll(60 * 1000)
    return (round(time.time() - t0, 2),
            s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))


def data_timeout(net, proto, port):
    """A connection whose peer vanishes while data is in flight."""
    c, s = pair(net, proto, port)
    for _ in range(5):
        c.sendall(b"ping")
        recv_exact(s, 4)
    c.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS)
    netem(net, "loss", "100%")
    c.send(b"x" * 3000)
    res = wait_error(c)
    netem(net)
    c.close()
    s.close()
    return res


def keepalive_timeout(net, proto, port):
    """An idle connection with keepalive (3 s idle, probes 1 s apart,
    nine of them) whose peer vanishes; a 4 s user timeout ends it at the
    second probe, 4 s after the handshake (not 12 s).  Returns seconds
    since the handshake and the error."""
    c, s = pair(net, proto, port)
    t0 = time.time()
    c.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, 4000)
    for opt, val in ((socket.TCP_KEEPIDLE, 3), (socket.TCP_KEEPINTVL, 1),
                     (socket.TCP_KEEPCNT, 9)):
        c.setsockopt(socket.IPPROTO_TCP, opt, val)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    netem(net, "loss", "100%")      # before the first probe
    err = wait_error(c)[1]
    dt = round(time.time() - t0, 2)
    netem(net)
    c.close()
    s.close()
    return dt, err


def window_timeout(net, proto, port):
    """A connection whose peer never reads: the sender fills the window,
    then probes it; the peer answers every probe."""
    def small(x):
        x.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c, s = pair(net, proto, port, listener_setup=small)
    c.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS)
    fill(c)
    res = wait_error(c)
    c.close()
    s.close()
    return res


net = Netns()
try:
    seen = {}
    for name, proto in PROTOS:
        seen[name] = options(proto)
    check_eq(seen["ktcp"], seen["tcp"], "options read back and refused "
             "as on kernel TCP")
    check_eq(seen["ktcp"][1], [errno.EINVAL] * 3, "bad values: EINVAL")

    # SYNs lost on the way: nothing ever answers.
    net.enter("a")
    if os.path.exists(LINEAR):
        with open(LINEAR, "w") as f:
            f.write("0")
    net.enter(None)
    netem(net, "loss", "100%", sides=("a",))
    for port, (name, proto) in enumerate(PROTOS, 7900):
        dt, err = syn_timeout(net, proto, port)
        print(f"     TCP_SYNCNT 1, {name}: {err} after {dt} s")
        check(err == errno.ETIMEDOUT and 2.8 <= dt <= 4.5,
              f"TCP_SYNCNT 1, {name}: ETIMEDOUT after 1 + 2 s ({dt} s)")
    netem(net)

    for port, (name, proto) in enumerate(PROTOS, 7930):
        dt, err = keepalive_timeout(net, proto, port)
        print(f"     keepalive, {name}: {err} after {dt} s")
        # The debug guest, loaded beside the others, has fired the probe
        # timer of both stacks up to 1.9 s late; giving up after the
        # ninth probe instead would take 12 s.
        check(err == errno.ETIMEDOUT and 3.5 <= dt <= 8,
              f"keepalive, {name}: ETIMEDOUT at the second probe, 4 s "
              f"on, not after the ninth ({dt} s)")

    for what, run in (("data unacknowledged", data_timeout),
                      ("window closed", window_timeout)):
        for port, (name, proto) in enumerate(PROTOS, 7910):
            dt, err = run(net, proto, port + (what[0] == "w") * 10)
            print(f"     {what}, {name}: {err} after {dt} s")
            check(err == errno.ETIMEDOUT and
                  USER_TIMEOUT_MS / 1000 - 0.2 <= dt <= USER_TIMEOUT_MS / 1000
                  + 1.5, f"{what}, {name}: ETIMEDOUT about "
                  f"{USER_TIMEOUT_MS} ms on (after {dt} s)")
finally:
    net.close()
done()
