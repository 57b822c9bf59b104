#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Go-back-N after a retransmission timeout (RFC 5681 3.1, RFC 6298 5.4),
against a scripted peer, with exact sequence numbers.

Three segments go unanswered: a loss probe resends the last, the
timeout resends the first, and as the peer acknowledges it, the rest go
again in slow start.  Every copy after the first counts as a
retransmission, in RetransSegs and tcpi_total_retrans alike: go-back-N
resends were once sent without being counted."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppeer import *  # noqa: E402,F403
from ktcppkt import RST  # noqa: E402

PORT, PPORT, MSS = 7670, 40670, 1000
P0 = 4000000                    # the peer's ISN


def backoff(s):
    return tcp_info(s)["backoff"]


def total_retrans(s):
    return tcp_info(s)["total_retrans"]


net = Netns()
try:
    peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, MSS)
    A = synack["seq"] + 1
    before = stats()

    def sends(k):
        return len([p for p in peer.seen if p["sport"] == PORT and
                    p["len"] and p["seq"] == A + (k - 1) * MSS])

    data = pattern(18, 3 * MSS)
    s.send(data)
    check(wait_for(lambda: backoff(s) == 1, timeout=5), "one timeout")
    peer.poll(0.1)
    check_eq([sends(k) for k in (1, 2, 3)], [2, 1, 2],
             "the probe resent 3, the timeout 1")

    # The ACK of 1 opens a window of two: 2 and 3 go again.
    peer.send(PPORT, PORT, P0 + 1, A + MSS)
    peer.wait(lambda p: sends(3) == 3, timeout=2)
    check_eq([sends(k) for k in (1, 2, 3)], [2, 2, 3],
             "go-back-N resent 2 and 3")
    got = {p["seq"]: p["payload"] for p in peer.seen
           if p["sport"] == PORT and p["len"]}
    check_eq(b"".join(got[A + k * MSS] for k in range(3)), data,
             "every copy carries the bytes written")
    peer.send(PPORT, PORT, P0 + 1, A + 3 * MSS)
    check(wait_for(lambda: tcp_info(s)["unacked"] == 0, timeout=2),
          "all acknowledged")

    resent = sum(sends(k) - 1 for k in (1, 2, 3))
    check_eq(stats()["RetransSegs"] - before["RetransSegs"], resent,
             f"RetransSegs counts all {resent} copies")
    check_eq(total_retrans(s), resent, "and so does tcpi_total_retrans")

    peer.send(PPORT, PORT, P0 + 1, 0, RST)
    s.close()
    lst.close()
    peer.close()
finally:
    net.close()
done()
