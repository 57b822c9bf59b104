#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP_INFO's recovery fields and TCP_QUICKACK with TCP's meaning, kernel
TCP and ktcp side by side.

A scripted peer drives both stacks through the same events, and both
report the same:
- a listener: tcpi_unacked is its accept queue, tcpi_sacked the bound;
- ten segments out, SACKs of the 2nd to 4th: TCP_CA_Recovery with 10
  unacked, 3 SACKed, 1 lost and 1 resent; after the full ACK, Open with
  nothing outstanding; both use CUBIC by default: in recovery cwnd and
  ssthresh are 0.7 of the flight of ten, and ssthresh stays after it;
- three segments out and no answer until the RTO: TCP_CA_Loss with all
  three lost and the first resent; Open once they are acked.
Between the two stacks' own ends:
- TCP_QUICKACK reads 1 on a new connection, 0 once set to 0, 1 once set
  to 1; a server that answers requests at once reads 0 (interactive,
  TCP's pingpong mode) and 1 again after its delayed ACK timer fired;
- through netem 20 ms each way at 10 Mbit/s, tcpi_min_rtt is the 40 ms
  path and tcpi_delivery_rate what the transfer got: at least (most of)
  its average goodput, at most the bottleneck's rate; and the receiver's
  window (tcpi_snd_wnd at the sender) grows to 4 times the path's
  bandwidth-delay product or more (kernel TCP's to over 20 times): its
  round trip counts the queue and the window updates' delays; and the
  sender leaves slow start without a loss when the queue shows in the
  RTT (HyStart, HyStart++ on ktcp: RFC 9406)."""
# kernels: 6.1 6.12 7
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import (Netns, check, check_eq, done, pattern,  # noqa: E402
                      recv_exact, tcp_info, wait_for)
from ktcppeer import peer_connection, sack_option  # noqa: E402
from ktcppkt import ACK, SYN  # noqa: E402
from ktcpnet import PROTOS, pair  # noqa: E402
from ktcpxfer import netem, ns_stats  # noqa: E402

PORT, PPORT, MSS = 7750, 41750, 1000
P0 = 3000000                    # the peer's ISN
TCP_QUICKACK = 12
CA_OPEN, CA_RECOVERY, CA_LOSS = 0, 3, 4
RATE = 10 * 1000 * 1000 // 8    # netem's 10 Mbit/s, in bytes per second
BDP = RATE * 40 // 1000         # its bytes in flight over 40 ms


def scoreboard(s):
    i = tcp_info(s)
    return (i["ca_state"], i["unacked"], i["sacked"], i["lost"],
            i["retrans"])


def windows(s):
    i = tcp_info(s)
    return (i["snd_cwnd"], i["snd_ssthresh"])


def scripted(proto):
    """The events above against @proto; what TCP_INFO said after each."""
    net = Netns()
    out = {}
    try:
        # The handshake's ACK comes 0.5 s late: the RTO outlasts the
        # script's steps.
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS,
                                               ack_delay=0.5, proto=proto)
        a0 = synack["seq"] + 1
        peer.send(PPORT + 1, PORT, P0, 0, SYN)
        other = peer.wait(lambda p: p["dport"] == PPORT + 1 and
                          p["flags"] == SYN | ACK)
        peer.send(PPORT + 1, PORT, P0 + 1, other["seq"] + 1)
        wait_for(lambda: tcp_info(lst)["unacked"] == 1, timeout=2)
        li = tcp_info(lst)
        out["listener: queued, bound"] = (li["unacked"], li["sacked"])

        def sent(seq):
            return peer.wait(lambda p: p["sport"] == PORT and
                             p["seq"] == seq, timeout=3) is not None

        peer.seen.clear()
        s.send(pattern(75, 10 * MSS))
        out["10 segments sent"] = sent(a0 + 9 * MSS)
        peer.seen.clear()
        peer.send(PPORT, PORT, P0 + 1, a0,
                  opts=sack_option([(a0 + MSS, a0 + 4 * MSS)]))
        out["first segment resent"] = sent(a0)
        out["recovery"] = scoreboard(s)
        out["recovery: cwnd, ssthresh"] = windows(s)
        peer.send(PPORT, PORT, P0 + 1, a0 + 10 * MSS)
        time.sleep(0.2)
        out["recovered"] = scoreboard(s)
        # (cwnd then grows by CUBIC's rules for the ten acked at once,
        # which count packets on TCP and bytes on ktcp: not compared)
        out["recovered: ssthresh"] = tcp_info(s)["snd_ssthresh"]

        peer.seen.clear()
        s.send(pattern(76, 3 * MSS))
        out["3 segments sent"] = sent(a0 + 12 * MSS)
        out["timed out"] = wait_for(lambda: tcp_info(s)["retransmits"] > 0,
                                    timeout=10, step=0.02)
        out["loss"] = scoreboard(s)
        peer.send(PPORT, PORT, P0 + 1, a0 + 13 * MSS)
        time.sleep(0.2)
        out["lost flight acked"] = scoreboard(s)
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return out


def quickack(net, proto, port):
    """TCP_QUICKACK as read back by a client and a server."""
    c, s = pair(net, proto, port)
    out = [c.getsockopt(6, TCP_QUICKACK)]
    c.setsockopt(6, TCP_QUICKACK, 0)
    out.append(c.getsockopt(6, TCP_QUICKACK))
    c.setsockopt(6, TCP_QUICKACK, 1)
    out.append(c.getsockopt(6, TCP_QUICKACK))
    # Three requests answered at once: TCP's threshold is 1 from 6.5 on,
    # 3 before.
    for _ in range(3):
        c.send(b"q")
        recv_exact(s, 1)
        s.send(b"r")
        recv_exact(c, 1)
    out.append(s.getsockopt(6, TCP_QUICKACK))
    c.send(b"x")             # no answer: the server's ACK waits, then goes
    recv_exact(s, 1)
    time.sleep(0.3)
    out.append(s.getsockopt(6, TCP_QUICKACK))
    c.close()
    s.close()
    return out


def bottleneck(net, proto, port):
    """min_rtt and delivery_rate of a bulk sender through netem."""
    c, s = pair(net, proto, port, timeout=60)
    data = pattern(77, 4 << 20)
    got = []
    reader = threading.Thread(target=lambda: got.append(recv_exact(s, len(
        data))))
    t0 = time.time()
    reader.start()
    c.sendall(data)
    reader.join()
    goodput = len(data) / (time.time() - t0)
    wait_for(lambda: tcp_info(c)["unacked"] == 0, timeout=2)
    info = tcp_info(c)
    c.close()
    s.close()
    return (got == [data], info["min_rtt"], info["delivery_rate"], goodput,
            info["snd_wnd"], (info["snd_ssthresh"], info["total_retrans"]))


seen = {name: scripted(proto) for name, proto in PROTOS}
for case in seen["tcp"]:
    print(f"     {case}: tcp {seen['tcp'][case]}, ktcp {seen['ktcp'][case]}")
check_eq(seen["ktcp"], seen["tcp"], "TCP_INFO as kernel TCP's")
check_eq((seen["ktcp"]["recovery"], seen["ktcp"]["loss"]),
         ((CA_RECOVERY, 10, 3, 1, 1), (CA_LOSS, 3, 0, 3, 1)),
         "Recovery: 10 out, 3 SACKed, 1 lost and resent; "
         "Loss: all 3 lost, 1 resent")
check_eq((seen["ktcp"]["recovered"], seen["ktcp"]["lost flight acked"]),
         ((CA_OPEN, 0, 0, 0, 0),) * 2, "Open once all is acknowledged")
check_eq((seen["ktcp"]["recovery: cwnd, ssthresh"],
          seen["ktcp"]["recovered: ssthresh"]), ((7, 7), 7),
         "CUBIC by default: ssthresh 0.7 of the 10 in flight")
check_eq(seen["ktcp"]["listener: queued, bound"], (1, 16),
         "a listener: its accept queue and backlog")

net = Netns()
try:
    for port, (name, proto) in enumerate(PROTOS, 7760):
        seen[name] = quickack(net, proto, port)
    print(f"     TCP_QUICKACK: tcp {seen['tcp']}, ktcp {seen['ktcp']}")
    check_eq(seen["ktcp"], [1, 0, 1, 0, 1], "TCP_QUICKACK: new, set 0, "
             "set 1, interactive, after a delayed ACK")
    check_eq(seen["ktcp"], seen["tcp"], "TCP_QUICKACK as kernel TCP's")

    netem(net, "delay", "20ms", "rate", "10mbit")
    for port, (name, proto) in enumerate(PROTOS, 7770):
        delay_detected = ns_stats(net, "a")["HystartDelayDetect"]
        intact, min_rtt, rate, goodput, wnd, ss = bottleneck(net, proto,
                                                             port)
        print(f"     {name}: tcpi_min_rtt {min_rtt} us, tcpi_delivery_rate "
              f"{rate} B/s, goodput {goodput:.0f} B/s, window {wnd}, "
              f"ssthresh and retransmissions {ss}")
        # netem's queue of 1000 packets takes the flight the receiver's
        # window allows: no loss, and slow start ends where the queue
        # shows in the RTT (HyStart on TCP, HyStart++ on ktcp).
        check(ss[0] < 0x7fffffff and ss[1] == 0,
              f"{name}: slow start over before any loss, ssthresh "
              f"{ss[0]} segments, {ss[1]} retransmissions")
        if name == "ktcp":
            check_eq(ns_stats(net, "a")["HystartDelayDetect"] -
                     delay_detected, 1, "ktcp: HystartDelayDetect counted "
                     "the one detection")
        check(intact, f"{name}: 4 MiB intact")
        check(39000 <= min_rtt <= 52000,
              f"{name}: tcpi_min_rtt {min_rtt} us, the 40 ms path")
        # The average includes the start, the rate a late round trip.
        check(0.8 * goodput <= rate <= 1.15 * RATE,
              f"{name}: tcpi_delivery_rate {rate} B/s, from the average "
              f"goodput to the bottleneck's {RATE} B/s")
        check(wnd >= 4 * BDP, f"{name}: the receiver's window grew to "
              f"{wnd}, 4 times the path's {BDP} bytes or more")
    netem(net)
finally:
    net.close()
done()
