#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Selective acknowledgments (RFC 2018) and SACK-based loss recovery
(RFC 6675) against a scripted peer, with exact sequence numbers.

Receiving: holes in what the peer sends are reported as SACK blocks, the
newest first, merged as the holes fill; a second copy of a segment
held out of order is dropped as DropDuplicate and reported in a D-SACK
block before the others (RFC 2883, as Linux; tests/80-dsack.py compares).  Sending: after SACKs show
segments 1 and 4 of 10 missing, exactly those two are resent, nothing the
peer holds already, and new data once every hole is resent; a
retransmission shown lost by later SACKs is sent again without waiting
for the timer.  A lost tail is found by a loss probe and RACK (RFC 8985)
before the retransmission timeout."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppeer import *  # noqa: E402,F403
from ktcppkt import PSH, RST  # noqa: E402

PORT, PPORT, MSS = 7650, 40650, 1000
P0 = 1000000                    # the peer's ISN

net = Netns()
try:
    # The ACK of the handshake comes late so that the RTO exceeds the
    # script.
    peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS,
                                           ack_delay=0.5)
    check(4 in synack["opts"],
          "SYN-ACK answers SACK-permitted with SACK-permitted")
    A0 = synack["seq"]
    before = stats()

    # Receiving: segments 1, 3, 5, 6 of 6, then 2 and 4.
    data = pattern(19, 6 * MSS)

    def seg(k):
        off = (k - 1) * MSS
        peer.send(PPORT, PORT, P0 + 1 + off, A0 + 1, ACK | PSH,
                  payload=data[off:off + MSS])

    def rel(blocks):
        return [(lft - P0 - 1, rgt - P0 - 1) for lft, rgt in blocks]

    def ack_with(ack, blocks, what):
        p = peer.wait(lambda p: p["sport"] == PORT and
                      p["ack"] == P0 + 1 + ack and
                      rel(sack_blocks(p)) == blocks, timeout=3)
        check(p is not None, f"{what}: ACK {ack} SACK {blocks}")

    seg(1)
    ack_with(1000, [], "in order")
    seg(3)
    ack_with(1000, [(2000, 3000)], "hole at 1000")
    dup0 = stats()["DropDuplicate"]
    peer.seen.clear()
    seg(3)
    ack_with(1000, [(2000, 3000), (2000, 3000)],
             "segment 3 again: a D-SACK of it, then the same SACK")
    check_eq(stats()["DropDuplicate"] - dup0, 1,
             "the copy of 3 counted once as DropDuplicate")
    seg(5)
    ack_with(1000, [(4000, 5000), (2000, 3000)], "newest block first")
    seg(6)
    ack_with(1000, [(4000, 6000), (2000, 3000)], "adjacent blocks merge")
    seg(2)
    ack_with(3000, [(4000, 6000)], "first hole filled")
    seg(4)
    ack_with(6000, [], "all filled: no SACK option")
    check_eq(recv_exact(s, 6 * MSS), data, "6000 bytes delivered in order")

    # Sending: ten segments; the peer SACKs all but 1 and 4.
    peer.seen.clear()
    out = pattern(20, 10 * MSS)
    s.send(out)
    segs = [peer.wait(lambda p, k=k: p["sport"] == PORT and
                      p["seq"] == A0 + 1 + k * MSS and p["len"] == MSS)
            for k in range(10)]
    check(all(segs), "ten 1000-byte segments sent at once (IW10)")

    def dupack(blocks):
        peer.send(PPORT, PORT, P0 + 6001, A0 + 1,
                  opts=sack_option([(A0 + 1 + lft, A0 + 1 + rgt)
                                    for lft, rgt in blocks]))

    def resent(expect):
        """Segment numbers sent more than once, once @expect came."""
        def sends(q):
            return [p for p in peer.seen if p["sport"] == PORT and
                    p["len"] and p["seq"] == q]
        if expect:
            peer.wait(lambda p: len(sends(A0 + 1 + (expect - 1) * MSS)) > 1,
                      timeout=1)
        peer.poll(0.1)
        seqs = set(p["seq"] for p in peer.seen if p["sport"] == PORT)
        return sorted((q - A0 - 1) // MSS + 1 for q in seqs
                      if len(sends(q)) > 1)

    dupack([(1000, 3000)])
    check_eq(resent(None), [], "2 segments SACKed: not yet a loss")
    dupack([(4000, 6000), (1000, 3000)])
    check_eq(resent(1), [1], "more than 2 MSS SACKed above 1: 1 resent")
    dupack([(4000, 8000), (1000, 3000)])
    check_eq(resent(4), [1, 4], "and then 4, and nothing the peer holds")
    got = b"".join(p["payload"] for p in sorted(
        segs, key=lambda p: p["seq"]))
    check_eq(got, out, "segment payloads are the bytes written")
    peer.send(PPORT, PORT, P0 + 6001, A0 + 1 + 10 * MSS)
    time.sleep(0.2)
    after = stats()
    for name, n in (("SackRecoveries", 1), ("FastRetrans", 1),
                    ("RetransSegs", 2), ("Timeouts", 0),
                    ("RetransTimeouts", 0)):
        check_eq(after[name] - before[name], n, f"{name} moved by {n}")
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    check_eq(int.from_bytes(info[24:28], "little"), 0,
             "tcpi_unacked 0 after the full ACK")

    # Once every hole is resent, room in the window goes to new data
    # (RFC 6675 NextSeg() rule 2), even though nothing is left unSACKed.
    B = A0 + 1 + 10 * MSS
    peer.seen.clear()
    s.send(pattern(21, 20 * MSS))
    peer.poll(0.2)

    def sends(k):
        return len([p for p in peer.seen if p["sport"] == PORT and
                    p["len"] and p["seq"] == B + (k - 1) * MSS])

    def sack_upto(k):
        """Everything from 2 to k SACKed, 1 still missing."""
        peer.send(PPORT, PORT, P0 + 6001, B,
                  opts=sack_option([(B + MSS, B + k * MSS)]))

    n = len([p for p in peer.seen if p["sport"] == PORT and p["len"]])
    check(n >= 4 and all(sends(k) == 1 for k in range(1, n + 1)),
          f"a window of {n} new segments, each sent once")
    sack_upto(n)
    peer.wait(lambda p: sends(1) == 2 and sends(n + 1) == 1, timeout=1)
    check_eq((sends(1), sends(n + 1)), (2, 1),
             f"1 resent, then new segment {n + 1} sent")

    # A lost retransmission: once segment n + 1, sent after 1 was resent,
    # is SACKed, that copy of 1 is lost too, and 1 goes again at once
    # rather than at the retransmission timeout (seconds here, see above).
    mid = stats()
    sack_upto(n + 1)
    peer.wait(lambda p: sends(1) == 3, timeout=1)
    check_eq(sends(1), 3, f"{n + 1} SACKed: 1 sent a third time")
    after = stats()
    for name, k in (("LostRetransmits", 1), ("RetransSegs", 1),
                    ("RetransTimeouts", 0)):
        check_eq(after[name] - mid[name], k, f"{name} moved by {k}")

    # The peer aborts; nothing is left behind.
    peer.send(PPORT, PORT, P0 + 6001, 0, RST)
    check(wait_for(lambda: not [r for r in sockets() if r["lport"] == PORT and
                                r["state"] != "LISTEN"], 3),
          "the connection is gone after the peer's RST")

    # A lost tail, on a second connection now that the first is gone: the
    # peer answers nothing for its whole initial window.  Two RTTs on, one
    # new segment goes out as a loss probe (RFC 8985 7.3); its SACK alone
    # marks the window before it lost by RACK's timing, and recovery
    # resends segment 1, all well before the retransmission timeout.
    PPORT2, P1 = PPORT + 1, 2000000
    # As above, RTT 0.5 s: probe at 1 s, RTO at 1.5 s.
    s2, synack = peer.handshake(lst, PPORT2, PORT, P1, MSS, ack_delay=0.5)
    C0 = synack["seq"] + 1
    s2.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def sends2(k):
        return len([p for p in peer.seen if p["dport"] == PPORT2 and
                    p["len"] and p["seq"] == C0 + (k - 1) * MSS])

    mid = stats()
    s2.send(pattern(22, 20 * MSS))
    peer.wait(lambda p: sends2(11) == 1, timeout=3)
    check_eq([sends2(k) for k in range(1, 13)], [1] * 11 + [0],
             "ten segments, then segment 11 alone as the probe")
    peer.send(PPORT2, PORT, P1 + 1, C0,
              opts=sack_option([(C0 + 10 * MSS, C0 + 11 * MSS)]))
    peer.wait(lambda p: sends2(1) == 2, timeout=1)
    check_eq(sends2(1), 2, "the probe's SACK alone: segment 1 resent")
    after = stats()
    for name, k in (("LossProbes", 1), ("SackRecoveries", 1),
                    ("RetransTimeouts", 0)):
        check_eq(after[name] - mid[name], k, f"{name} moved by {k}")
    peer.send(PPORT2, PORT, P1 + 1, 0, RST)
    s2.close()
    s.close()
    lst.close()
    peer.close()
finally:
    net.close()
done()
