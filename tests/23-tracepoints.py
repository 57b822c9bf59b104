#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Tracepoints of the ktcp system in tracefs: state changes in order with
relative seq/ack, segments both ways, resets sent and received with
their reason and error, drops with their reason, retransmissions."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, build, RST  # noqa: E402



check(os.path.isdir(f"{TRACEFS}/events/ktcp"), "events/ktcp exists in tracefs")
for ev in ("ktcp_state", "ktcp_segment", "ktcp_retransmit", "ktcp_reset",
           "ktcp_drop"):
    check(os.path.isdir(f"{TRACEFS}/events/ktcp/{ev}"), f"event {ev}")
tracefs("trace", "")
tracefs("events/ktcp/enable", "1")
try:
    srv, c, s = pair(7700)
    cport = c.getsockname()[1]
    c.sendall(b"q" * 100)
    recv_exact(s, 100)
    c.close()
    recv_all(s)
    s.close()
    srv.close()
    # A bad checksum and a reset to a closed port.
    raw = Raw()
    raw.send(build("127.0.0.1", "127.0.0.1", 41777, 7799, 1, 0, RST,
                   bad_csum=True))
    raw.send(build("127.0.0.1", "127.0.0.1", 41778, 7799, 1, 0, 0x10))
    time.sleep(0.3)
    # An abort, RFC 9293 3.10.4: the server closes with data unread.
    srv2, c2, s2 = pair(7701)
    c2port = c2.getsockname()[1]
    c2.sendall(b"unread")
    check_eq(s2.recv(6, socket.MSG_PEEK), b"unread", "data waiting unread")
    s2.close()
    try:
        c2.recv(10)
        check(False, "the client sees the reset")
    except ConnectionResetError:
        pass
    c2.close()
    srv2.close()
    # A SYN retransmission: a full accept queue drops the SYN.
    srv3 = listener(7702, backlog=0)
    first = sock()
    first.connect(("127.0.0.1", 7702))
    check(wait_for(lambda: states_on(7702).count("ESTABLISHED") == 2),
          "accept queue full")
    c3 = sock(nonblock=True)
    c3.connect_ex(("127.0.0.1", 7702))
    c3port = c3.getsockname()[1]
    time.sleep(1.5)         # the first retransmission is due at 1 s
    for x in (c3, first, srv3):
        x.close()
finally:
    tracefs("events/ktcp/enable", "0")
out = open(f"{TRACEFS}/trace").read()
lines = [l for l in out.splitlines() if "ktcp_" in l]
states = [l.split("ktcp_state: ", 1)[1] for l in lines if "ktcp_state:" in l]
C, S = f"127.0.0.1:{cport}", "127.0.0.1:7700"
want = [
    f"{C}>{S} CLOSED>SYN-SENT seq=0 ack=0",
    f"{S}>{C} LISTEN>SYN-RECEIVED seq=0 ack=1",
    f"{C}>{S} SYN-SENT>ESTABLISHED seq=1 ack=1",
    f"{S}>{C} SYN-RECEIVED>ESTABLISHED seq=1 ack=1",
    f"{C}>{S} ESTABLISHED>FIN-WAIT-1 seq=101 ack=1",
    f"{S}>{C} ESTABLISHED>CLOSE-WAIT seq=1 ack=102",
    f"{C}>{S} FIN-WAIT-1>FIN-WAIT-2 seq=102 ack=1",
    f"{S}>{C} CLOSE-WAIT>LAST-ACK seq=1 ack=102",
    f"{C}>{S} FIN-WAIT-2>TIME-WAIT seq=102 ack=2",
    f"{S}>{C} LAST-ACK>CLOSED seq=2 ack=102",
]
mine = [x for x in states if C in x]
check_eq(mine, want, "ktcp_state events, in order, relative seq/ack")
segs = [l.split("ktcp_segment: ", 1)[1] for l in lines if "ktcp_segment:" in l]
check(any(x.startswith(f"out {C}>{S} [SYN] seq=0 ack=0") for x in segs),
      "ktcp_segment: our SYN going out")
check(any(x.startswith(f"in {S}>{C} [SYN|ACK] seq=0 ack=1") for x in segs),
      "ktcp_segment: the SYN-ACK coming in")
check(any(re.match(rf"out {C}>{S} \[PSH\|ACK\] seq=1 ack=1 win=\d+ len=100",
                   x) for x in segs), "ktcp_segment: 100 bytes of data")
check(any("ktcp_drop: reason=DropBadChecksum" in l for l in lines),
      "ktcp_drop: bad checksum named")
check(any("ktcp_drop: reason=DropNoSocket" in l for l in lines),
      "ktcp_drop: no socket named")
resets = [l.split("ktcp_reset: ", 1)[1] for l in lines if "ktcp_reset:" in l]
check("sent 127.0.0.1:7799>127.0.0.1:41778 reason=NoSocket error=0" in resets,
      f"ktcp_reset: the RST for no socket, with its reason: {resets}")
C2, S2 = f"127.0.0.1:{c2port}", "127.0.0.1:7701"
check_eq([x for x in resets if C2 in x],
         [f"sent {S2}>{C2} reason=UnreadData error=0",
          f"received {C2}>{S2} reason=Peer error=-104"],
         "ktcp_reset: the abort sent, and taken as ECONNRESET")
rtx = [l.split("ktcp_retransmit: ", 1)[1] for l in lines
       if "ktcp_retransmit:" in l]
check_eq([x for x in rtx if x.startswith(f"127.0.0.1:{c3port}>")][:1],
         [f"127.0.0.1:{c3port}>127.0.0.1:7702 seq=0 len=0 rto=2000ms "
          "retries=1"],
         "ktcp_retransmit: the SYN again, RTO backed off to 2 s")
done()
