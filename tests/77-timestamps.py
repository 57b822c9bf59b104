#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""RFC 7323 timestamps, kernel TCP and ktcp side by side.

A scripted peer drives both stacks through the same events, and both
answer the same:
- a SYN offering timestamps gets a SYN-ACK with them, options in Linux's
  order (MSS, SACK-permitted, timestamps, NOP, window scale), echoing the
  SYN's TSval; a client's SYN offers them with TSecr 0;
- data segments carry them and are 12 bytes shorter (tcpi_snd_mss), and
  echo the TSval of the segment that last moved the window;
- PAWS: data with an older TSval is dropped with an ACK, the same data
  with a newer one is taken; a reset with an old TSval still resets;
- an ACK of a retransmission times the round trip through its echo
  (Karn's rule leaves it untimed without): the peer's 1 s answer raises
  tcpi_rtt by an eighth of what it adds, on both stacks;
- RFC 6191: in TIME-WAIT, a SYN with a lower sequence number but a newer
  TSval opens a new connection, one with an older TSval does not;
- net.ipv4.tcp_timestamps / net.ktcp.timestamps 0: neither offers nor
  accepts them."""
# kernels: 6.1 6.12 7
import errno
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done, pattern, tcp_info  # noqa: E402
from ktcppeer import PEER, FakePeer, TsConnection, syn_options  # noqa: E402
from ktcppkt import ACK, FIN, RST, SYN, timestamps, ts_option  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

PORT, PPORT, MSS = 7780, 41780, 1000
P0 = 5000000                    # the peer's ISN
TS0 = 700000                    # the peer's first TSval
TCPI_OPT_TIMESTAMPS = 1
SYSCTL = {socket.IPPROTO_TCP: "net.ipv4.tcp_timestamps",
          253: "net.ktcp.timestamps"}


def Conn(net, peer, proto, port, pport, sack=True, ts=True):
    """TsConnection with this test's ISN, first TSval and MSS."""
    return TsConnection(net, peer, proto, port, pport, P0, TS0, MSS,
                        sack=sack, ts=ts)


def drained(s, wait=False):
    """Bytes waiting on @s; @wait: for up to its timeout."""
    try:
        return len(s.recv(4096, 0 if wait else socket.MSG_DONTWAIT))
    except (BlockingIOError, TimeoutError):
        return 0


def scripted(net, proto):
    out = {}
    peer = FakePeer(net, proto=proto)
    try:
        c = Conn(net, peer, proto, PORT, PPORT)
        out["SYN-ACK options"] = c.synack["kinds"]
        out["SYN-ACK echoes the SYN"] = c.ts and c.ts[1] == TS0
        out["tcpi_snd_mss"] = tcp_info(c.s)["snd_mss"]
        out["timestamps in tcpi_options"] = bool(
            tcp_info(c.s)["options"] & TCPI_OPT_TIMESTAMPS)

        peer.seen.clear()
        c.s.send(pattern(78, 300))
        data = c.segment(lambda p: p["len"] > 0)
        out["data echoes the last TSval"] = \
            timestamps(data)[1] if data and timestamps(data) else None
        c.send(P0 + 1, TS0 + 2, ack=c.a0 + 300)

        peer.seen.clear()
        c.send(P0 + 1, TS0 - 1000, ack=c.a0 + 300, payload=pattern(79, 100))
        ack = c.segment(lambda p: p["flags"] & ACK, timeout=1)
        out["older TSval: an ACK of"] = ack["ack"] - P0 if ack else None
        time.sleep(0.1)
        out["older TSval: bytes taken"] = drained(c.s)

        peer.seen.clear()
        c.send(P0 + 1, TS0 + 3, ack=c.a0 + 300, payload=pattern(79, 100))
        ack = c.segment(lambda p: p["ack"] == P0 + 101, timeout=1)
        out["newer TSval: echoed"] = \
            timestamps(ack)[1] - TS0 if ack and timestamps(ack) else None
        out["newer TSval: bytes taken"] = drained(c.s, wait=True)

        c.send(P0 + 101, TS0 - 5000, flags=RST)
        try:
            c.s.recv(10)
            out["older TSval, reset"] = "no reset"
        except OSError as e:
            out["older TSval, reset"] = errno.errorcode.get(e.errno, e.errno)
        c.close()
    finally:
        peer.close()
    return out


def retransmission_rtt(net, proto):
    """tcpi_rtt once the peer acks a resent segment 0.8 s after it."""
    peer = FakePeer(net, proto=proto)
    try:
        c = Conn(net, peer, proto, PORT + 1, PPORT + 1, sack=False)
        before = tcp_info(c.s)["rtt"]
        c.s.send(pattern(80, 100))
        first = c.segment(lambda p: p["len"] > 0)
        peer.seen.clear()
        again = c.segment(lambda p: p["len"] > 0 and
                          p["seq"] == first["seq"], timeout=5)
        time.sleep(0.8)
        after = None
        if again and timestamps(again):
            c.peer.send(c.pport, c.port, P0 + 1, c.a0 + 100, ACK,
                        opts=ts_option(TS0 + 9, timestamps(again)[0]))
            time.sleep(0.2)
            after = tcp_info(c.s)["rtt"]
        c.close()
    finally:
        peer.close()
    return before, after


def time_wait_syn(net, proto):
    """Whether SYNs into the server's TIME-WAIT, with a lower sequence
    number and an older, then a newer TSval, get a SYN-ACK."""
    peer = FakePeer(net, proto=proto)
    out = []
    try:
        c = Conn(net, peer, proto, PORT + 2, PPORT + 2)
        c.s.close()
        fin = c.segment(lambda p: p["flags"] & FIN)
        c.send(P0 + 1, TS0 + 2, flags=FIN | ACK, ack=fin["seq"] + 1)
        c.segment(lambda p: p["ack"] == P0 + 2)
        for tsval in (TS0 - 100, TS0 + 100):
            peer.seen.clear()
            peer.send(c.pport, c.port, P0 - 100000, 0, SYN,
                      opts=syn_options(MSS, True, (tsval, 0), 7))
            p = c.segment(lambda p: p["flags"] & ACK, timeout=1)
            out.append("SYN-ACK" if p and p["flags"] & SYN else
                       "ACK" if p else None)
        c.lst.close()
    finally:
        peer.close()
    return out


def disabled(net, proto):
    """With the sysctl 0: the SYN-ACK to a SYN offering timestamps, and
    a client's SYN."""
    net.sysctl(SYSCTL[proto], 0, sides=("a",))
    peer = FakePeer(net, proto=proto)
    try:
        c = Conn(net, peer, proto, PORT + 3, PPORT + 3)
        out = {"SYN-ACK options": c.synack["kinds"],
               "timestamps in tcpi_options": bool(
                   tcp_info(c.s)["options"] & TCPI_OPT_TIMESTAMPS)}
        c.close()
        out["client SYN options"] = client_syn(net, peer, proto, PORT + 4)
    finally:
        peer.close()
        net.sysctl(SYSCTL[proto], 1, sides=("a",))
    return out


def client_syn(net, peer, proto, port):
    """The options of a SYN connect() sends to the peer, and whether its
    TSecr is 0."""
    net.enter("a")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    s.setblocking(False)
    s.connect_ex((PEER, port))
    net.enter(None)
    syn = peer.wait(lambda p: p["dport"] == port and p["flags"] == SYN)
    s.close()
    if syn is None:
        return None
    ts = timestamps(syn)
    return syn["kinds"], ts is not None and ts[1] == 0


net = Netns()
try:
    seen, rtt, tw, off, csyn = {}, {}, {}, {}, {}
    for name, proto in PROTOS:
        seen[name] = scripted(net, proto)
        peer = FakePeer(net, proto=proto)
        csyn[name] = client_syn(net, peer, proto, PORT + 5)
        peer.close()
        rtt[name] = retransmission_rtt(net, proto)
        tw[name] = time_wait_syn(net, proto)
        off[name] = disabled(net, proto)
finally:
    net.close()

for case in seen["tcp"]:
    print(f"     {case}: tcp {seen['tcp'][case]}, ktcp {seen['ktcp'][case]}")
print(f"     client SYN: tcp {csyn['tcp']}, ktcp {csyn['ktcp']}")
print(f"     tcpi_rtt before and after: tcp {rtt['tcp']}, ktcp {rtt['ktcp']}")
print(f"     SYNs into TIME-WAIT: tcp {tw['tcp']}, ktcp {tw['ktcp']}")
print(f"     disabled: tcp {off['tcp']}, ktcp {off['ktcp']}")

check_eq(seen["ktcp"], seen["tcp"], "timestamps as kernel TCP's")
check_eq(seen["ktcp"]["SYN-ACK options"], [2, 4, 8, 1, 3],
         "SYN-ACK: MSS, SACK-permitted, timestamps, NOP, window scale")
check_eq((seen["ktcp"]["tcpi_snd_mss"],
          seen["ktcp"]["data echoes the last TSval"]),
         (MSS - 12, TS0 + 1), "segments 12 bytes shorter, echoing")
check_eq((seen["ktcp"]["older TSval: an ACK of"],
          seen["ktcp"]["older TSval: bytes taken"],
          seen["ktcp"]["newer TSval: bytes taken"]), (1, 0, 100),
         "PAWS: older TSval dropped with an ACK, newer taken")
check_eq(csyn["ktcp"], csyn["tcp"], "a client's SYN as kernel TCP's")
check_eq(csyn["ktcp"], ([2, 4, 8, 1, 3], True),
         "a client's SYN offers timestamps, TSecr 0")
for name in ("tcp", "ktcp"):
    before, after = rtt[name]
    # The peer answers a poll late, so the handshake's RTT is its 0.2 s
    # poll; the resent segment's 1 s adds about an eighth of 0.8 s.
    check(after is not None and after - before >= 60000,
          f"{name}: tcpi_rtt {before} -> {after} us: the resent segment's "
          "second timed by its echo")
check(None not in (rtt["ktcp"][1], rtt["tcp"][1]) and
      abs(rtt["ktcp"][1] - rtt["tcp"][1]) <= 0.2 * rtt["tcp"][1],
      f"tcpi_rtt after it: ktcp {rtt['ktcp'][1]} us, tcp {rtt['tcp'][1]} us")
check_eq(tw["ktcp"], tw["tcp"], "SYNs into TIME-WAIT as kernel TCP's")
check_eq(tw["ktcp"], ["ACK", "SYN-ACK"],
         "TIME-WAIT: an older TSval refused, a newer one reopens")
check_eq(off["ktcp"], off["tcp"], "disabled as kernel TCP's")
check_eq(off["ktcp"]["SYN-ACK options"], [2, 1, 1, 4, 1, 3],
         "disabled: no timestamps in the SYN-ACK")
done()
