#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""2 MiB in 200-byte TCP_NODELAY writes through 3 % loss each way to a
reader with a 16 KiB SO_RCVBUF, over kernel TCP and ktcp: every byte
arrives, in order, within the limit.

Each small segment sits in a buffer several times its size, so with one
segment lost the out-of-order queue fills the receive budget long before
the window is used up.  The receiver must still take the retransmission
that fills the hole: it copies queued data into fewer buffers and, if
that is not enough, gives up out-of-order data beyond the hole, as TCP
does (tcp_collapse(), tcp_prune_ofo_queue()), instead of dropping the one
segment everything waits for.

The same without chance: a scripted peer sends 150 one-byte segments
beyond a hole, each in a buffer hundreds of times its size, then the
data that fills the hole and joins them; the receiver must take it and
deliver every byte."""
# kernels: debug
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import (Netns, check, check_eq, done, pattern,  # noqa: E402
                      recv_exact)
from ktcpxfer import netem, ns_stats  # noqa: E402
import ktcpnet  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402
from ktcppeer import peer_connection  # noqa: E402

SIZE, WRITE = 2 << 20, 200
RCVBUF = 16384
LIMIT = 180
PORT = 6800


def run(proto):
    net = Netns()
    try:
        # a small buffer: the out-of-order queue fills it within a window
        c, s = ktcpnet.pair(net, proto, PORT, listener_setup=lambda lst:
                            lst.setsockopt(socket.SOL_SOCKET,
                                           socket.SO_RCVBUF, RCVBUF))
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.settimeout(LIMIT)
        s.settimeout(LIMIT)
        before = {side: ns_stats(net, side) for side in "ab"}
        netem(net, "loss", "3%")
        data = pattern(62, SIZE)
        got = {}

        def reader():
            try:
                got["data"] = recv_exact(s, SIZE)
            except OSError as e:
                got["error"] = e

        t = threading.Thread(target=reader)
        t.start()
        t0 = time.time()
        try:
            for off in range(0, SIZE, WRITE):
                c.sendall(data[off:off + WRITE])
        except OSError as e:
            got["send error"] = e
        t.join(LIMIT)
        dt = time.time() - t0
        netem(net)
        after = {side: ns_stats(net, side) for side in "ab"}
        c.close()
        s.close()
    finally:
        net.close()
    delta = {f"{side}.{k}": after[side].get(k, 0) -
             before[side].get(k, 0)
             for side, keys in (("b", ("RcvCollapsed", "DropOfoPruned",
                                       "DropRcvbufFull")),
                                ("a", ("RetransSegs", "RetransTimeouts",
                                       "LossProbes", "SackRecoveries")))
             for k in keys}
    return got.get("data") == data, round(dt, 1), got, delta


def barrage(proto):
    """One-byte segments at every other sequence number past a hole, then
    the hole and the gaps filled by one segment, sent up to three times
    as a sender would resend it.  Returns what the receiver delivered."""
    net = Netns()
    try:
        peer, lst, s, synack = peer_connection(net, PORT + 1, 41100, 5000,
                                               1460, proto=proto,
                                               rcvbuf=4096)
        net.enter(None)
        rn, sn = 5000 + 1, synack["seq"] + 1
        data = pattern(63, 2 * BARRAGE + 1)
        for i in range(1, BARRAGE + 1):
            peer.send(41100, PORT + 1, rn + 2 * i, sn,
                      payload=data[2 * i:2 * i + 1])
        s.settimeout(1.0)
        got = b""
        for attempt in range(3):
            peer.send(41100, PORT + 1, rn, sn, payload=data)
            try:
                while len(got) < len(data):
                    d = s.recv(len(data) - len(got))
                    if not d:
                        break
                    got += d
                break
            except TimeoutError:
                continue
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return got == data, len(got)


BARRAGE = 150
seen = {}
for name, proto in PROTOS:
    seen[name] = barrage(proto)
    print(f"     {BARRAGE} tiny segments past a hole, {name}: "
          f"delivered {seen[name][1]} bytes")
    check(seen[name][0], f"{name}: the segment that fills the hole is "
          f"taken, every byte delivered")
check_eq(seen["ktcp"][0], seen["tcp"][0], "tiny segments past a hole: "
         "ktcp as kernel TCP")

for name, proto in PROTOS:
    ok, dt, got, delta = run(proto)
    print(f"     {name}: {dt} s; ktcp counters {delta}")
    if not ok:
        print(f"     {name}: {len(got.get('data') or b'')} bytes, "
              f"{got.get('error') or got.get('send error')}")
    check(ok and dt < LIMIT, f"{name}: {SIZE >> 20} MiB of {WRITE}-byte "
          f"writes through 3 % loss intact within {LIMIT} s ({dt} s)")
done()
