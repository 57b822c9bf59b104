#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Quick-ACK mode as TCP's: when ACKs of data go at once rather than
after the delayed-ACK timer, kernel TCP and ktcp side by side.

A scripted peer sends 100-byte segments, each 60 ms after the last, to a
server that does not read them, and times each one's ACK:
- the first 16 of a connection are ACKed at once (TCP's quick-ACK mode,
  TCP_MAX_QUICKACKS), the next ones after the delayed-ACK timer, which
  waits 40 ms, then longer each time it had to fire, up to the smoothed
  RTT (here the scripted peer's slow 0.2 s handshake);
- after an idle longer than the RTO, the mode starts again;
- a segment sent again below what was ACKed is answered at once.
A server that reads each segment as it comes ACKs every one at once when
the segments carry PSH: a read that empties the queue of a pushed
segment sends its ACK, as TCP's tcp_cleanup_rbuf() does for a
connection that is not interactive.  Without PSH, equal short segments
are the peer's full size to TCP, and nothing is pushed.
Timing through a guest jitters, so a few of the quick ACKs may come late;
a delayed ACK never comes early, so none of those may be quick."""
# kernels: 6.1 6.12 7
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, done, pattern  # noqa: E402
from ktcppeer import peer_connection  # noqa: E402
from ktcppkt import ACK, PSH, frames, parse  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7790, 41790, 1000
P0 = 9000000                    # the peer's ISN
QUICK_MS = 20                   # an ACK sooner than this went at once


def ack_delay(peer, pport, want, timeout=0.3):
    """Milliseconds until a segment to @pport acks @want, or None."""
    t0 = time.monotonic()
    for frame in frames(peer.rx, timeout):
        ip = frame[14:]
        if len(ip) < 20 or ip[9] != peer.proto:
            continue
        p = parse(ip)
        if p and p["dport"] == pport and p["ack"] == want:
            return (time.monotonic() - t0) * 1000
    return None


def read_all(s, stop):
    s.settimeout(0.2)
    while not stop.is_set():
        try:
            if not s.recv(4096):
                return
        except socket.timeout:
            pass


def delays(proto, reader=False):
    """ACK delays of 20 segments, of 3 more after an idle second and a
    half, and of a segment sent again; @reader: the server reads, and
    the segments carry PSH."""
    net = Netns()
    stop = threading.Event()
    try:
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS,
                                               proto=proto)
        a0 = synack["seq"] + 1
        t = threading.Thread(target=read_all, args=(s, stop))
        if reader:
            t.start()
        seq = P0 + 1

        def one():
            nonlocal seq
            peer.send(PPORT, PORT, seq, a0, ACK | (PSH if reader else 0),
                      payload=pattern(seq, 100))
            seq += 100
            d = ack_delay(peer, PPORT, seq)
            time.sleep(0.06)
            return d

        start = [one() for _ in range(20)]
        time.sleep(1.5)
        idle = [one() for _ in range(3)]
        peer.send(PPORT, PORT, seq - 100, a0, ACK,
                  payload=pattern(seq - 100, 100))
        again = ack_delay(peer, PPORT, seq)
        stop.set()
        if reader:
            t.join()
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return start, idle, again


def quick(ds):
    return sum(1 for d in ds if d is not None and d < QUICK_MS)


for name, proto in PROTOS:
    start, idle, again = delays(proto)
    fmt = " ".join("-" if d is None else f"{d:.0f}" for d in start + idle)
    print(f"     {name}: ACK delays (ms) {fmt}; again: {again}")
    check(quick(start[:16]) >= 14, f"{name}: the first 16 segments ACKed "
          f"at once ({quick(start[:16])})")
    late = start[16:19]
    check(quick(start[16:]) == 0 and None not in late and
          late[1] > late[0] + 20 and late[2] > late[1] + 40,
          f"{name}: the next ones after the delayed-ACK timer, which waits "
          f"longer each time ({late} ms)")
    check(quick(idle) >= 2, f"{name}: after an idle RTO, at once again "
          f"({quick(idle)} of 3)")
    check(again is not None and again < QUICK_MS,
          f"{name}: a segment sent again is answered at once")
    start, idle, again = delays(proto, reader=True)
    fmt = " ".join("-" if d is None else f"{d:.0f}" for d in start)
    print(f"     {name}, server reading: ACK delays (ms) {fmt}")
    check(quick(start) >= 18, f"{name}, server reading pushed segments: "
          f"each ACKed at once ({quick(start)} of 20)")
done()
