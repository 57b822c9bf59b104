#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Keepalive across a veth pair: SO_KEEPALIVE with TCP_KEEPIDLE 2 s,
TCP_KEEPINTVL 1 s, TCP_KEEPCNT 3.  Probes (RFC 9293 3.8.4: no data,
SEG.SEQ = SND.NXT - 1) go after 2 s of silence; answered ones keep the
connection; when the peer vanishes (netem loss 100% on its side) the
connection aborts with ETIMEDOUT after idle + 3 x interval = 5 s."""
import errno
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpxfer import netem, ns_states  # noqa: E402
import ktcppkt  # noqa: E402

IDLE, INTVL, CNT = 2, 1, 3
SLACK = 1.5     # TCG guests on a busy host fire timers late


def probes(sniff, sport, since):
    """Keepalive probes from @sport that @sniff saw since @since."""
    return [(t, p) for t, p in sniff.segs if t >= since and
            p["sport"] == sport and p["len"] == 0 and
            not p["flags"] & (ktcppkt.SYN | ktcppkt.FIN | ktcppkt.RST)]


net = Netns()
try:
    net.enter("b")
    sniff = ktcppkt.Sniffer()   # sees what reaches b, netem or not
    sniff.start()
    srv = listener(7900, addr="0.0.0.0")
    net.enter("a")
    c = sock()
    c.settimeout(20)
    c.connect(("192.0.2.2", 7900))
    cport = c.getsockname()[1]
    net.enter("b")
    s, _ = srv.accept()
    net.enter(None)
    c.sendall(b"hello")
    check_eq(recv_exact(s, 5), b"hello", "data before keepalive")
    time.sleep(0.3)
    data = [p for _, p in sniff.segs if p["sport"] == cport and p["len"]]
    snd_nxt = (data[-1]["seq"] + data[-1]["len"]) & 0xffffffff

    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, INTVL)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, CNT)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, IDLE)
    check_eq([c.getsockopt(socket.IPPROTO_TCP, o) for o in
              (socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT)],
             [IDLE, INTVL, CNT], "keepalive options read back")
    t0 = time.time()
    time.sleep(3 * IDLE + 0.5)

    # Answered probes: one per idle period, the connection stays up.
    pr = probes(sniff, cport, t0)
    times = [round(t - t0, 2) for t, _ in pr]
    print(f"     answered probes at {times} s")
    check(len(pr) >= 2, f"probes sent while idle ({len(pr)})")
    check_eq(sorted({p["seq"] for _, p in pr}), [(snd_nxt - 1) & 0xffffffff],
             "every probe has SEG.SEQ = SND.NXT - 1")
    if pr:
        check(IDLE - 0.1 <= times[0] <= IDLE + SLACK,
              f"first probe after {IDLE} s idle ({times[0]} s)")
    for a, b in zip(times, times[1:]):
        check(IDLE - 0.1 <= b - a <= IDLE + SLACK,
              f"answered probe resets the idle time: next after {b - a:.2f} s")
    check_eq(ns_states(net, "a", 7900), ["ESTABLISHED"],
             "answered probes keep the connection")
    s.sendall(b"still")
    check_eq(recv_exact(c, 5), b"still", "data still flows")

    # The peer vanishes: b's answers are dropped.  Restarting the idle
    # timer with TCP_KEEPIDLE gives a known start.
    netem(net, "loss", "100%", sides=("b",))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, IDLE)
    t1 = time.time()
    c.settimeout(60)
    try:
        c.recv(10)
        check(False, "recv fails when the peer is gone")
    except OSError as e:
        check_eq(e.errno, errno.ETIMEDOUT, "recv reports ETIMEDOUT")
    took = time.time() - t1
    want = IDLE + CNT * INTVL
    check(want - 0.1 <= took <= want + 2 * SLACK,
          f"abort after idle + cnt x intvl = {want} s ({took:.2f} s)")
    pr = probes(sniff, cport, t1)
    times = [round(t - t1, 2) for t, _ in pr]
    print(f"     unanswered probes at {times} s")
    check_eq(len(pr), CNT, f"{CNT} unanswered probes")
    check_eq(sorted({p["seq"] for _, p in pr}), [(snd_nxt - 1) & 0xffffffff],
             "...with SEG.SEQ = SND.NXT - 1")
    for a, b in zip(times, times[1:]):
        check(INTVL - 0.1 <= b - a <= INTVL + SLACK,
              f"unanswered probes {INTVL} s apart ({b - a:.2f} s)")
    check_eq(ns_states(net, "a", 7900), [], "client connection is gone")
    sniff.stop = True
    netem(net)
    c.close()
    s.close()
    srv.close()
finally:
    net.close()
done()
