#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""RTT samples and Karn's rule (RFC 6298), against a scripted peer, read
through tcpi_rto.

After a timeout the RTO stays doubled while ACKs cover only a
retransmission, which they may answer either copy of.  It comes down
with the first segment delivered on its first transmission, here one
that the peer SACKs while the segment before it, sent in the same
flight, is missing.  Timing a single segment per flight missed that
sample: the segment timed was the one lost."""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppeer import *  # noqa: E402,F403
from ktcppkt import RST  # noqa: E402

PORT, PPORT, MSS = 7660, 40660, 1000
P0 = 3000000                    # the peer's ISN


def rto_us(s):
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return struct.unpack_from("=I", raw, 8)[0]


def rfc6298_rto_us(s):
    """max(200 ms, SRTT + 4 RTTVAR) from tcpi_rtt and tcpi_rttvar."""
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    rtt, rttvar = struct.unpack_from("=II", raw, 68)
    return max(200000, rtt + 4 * rttvar)


def backoff(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)[4]


def unacked(s):
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return struct.unpack_from("=I", raw, 24)[0]


net = Netns()
try:
    peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS)
    A = synack["seq"] + 1
    rto0 = rto_us(s)

    def sends(seq):
        return len([p for p in peer.seen if p["sport"] == PORT and
                    p["len"] and p["seq"] == seq])

    # Segment 1 goes unanswered: after a loss probe, one timeout; the
    # RTO doubles.
    s.send(pattern(40, MSS))
    check(wait_for(lambda: backoff(s) == 1, timeout=5), "one timeout")
    peer.poll(0.2)
    check(sends(A) >= 2, "segment 1 resent")
    check_eq(rto_us(s), 2 * rto0, f"RTO backed off from {rto0} us")

    # Its ACK may answer either copy: no sample, the RTO stays doubled.
    peer.send(PPORT, PORT, P0 + 1, A + MSS)
    check(wait_for(lambda: unacked(s) == 0, timeout=1), "segment 1 acked")
    check_eq(rto_us(s), 2 * rto0, "ACK of a resent segment: still doubled")

    # Segments 2 and 3 go out together (cwnd 2 after the timeout); the
    # peer SACKs 3 only.  3 was sent once: its SACK is a sample, and the
    # RTO comes down.  Segment 4 waits for the window, so that a loss
    # probe, if it fires first, sends 4 rather than 3 again.
    s.send(pattern(41, 3 * MSS))
    peer.wait(lambda p: sends(A + 2 * MSS) == 1, timeout=1)
    check_eq((sends(A + MSS), sends(A + 2 * MSS)), (1, 1),
             "segments 2 and 3 sent")
    peer.send(PPORT, PORT, P0 + 1, A + MSS,
              opts=sack_option([(A + 2 * MSS, A + 3 * MSS)]))
    check(wait_for(lambda: rto_us(s) != 2 * rto0, timeout=1),
          "SACK of a first transmission: the backed-off RTO is gone")
    # tcpi_rttvar drops the estimator's two fraction bits: up to three
    # jiffies, 30 ms at HZ=100.
    want = rfc6298_rto_us(s)
    check(abs(rto_us(s) - want) <= 30000,
          f"RTO {rto_us(s)} us is RFC 6298's from the new sample ({want})")
    check_eq(sends(A + 2 * MSS), 1, "segment 3 was sent once")

    peer.send(PPORT, PORT, P0 + 1, 0, RST)
    s.close()
    lst.close()
    peer.close()
finally:
    net.close()
done()
