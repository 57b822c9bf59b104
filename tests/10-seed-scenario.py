#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The seed tutorial's connection, checked segment by segment on the wire.

Client sends 1000 bytes, server 2000; the client half-closes, the server
sends 50 more and closes.  tshark decodes the capture as TCP and every
relative seq/ack must be what RFC 9293 says: client FIN at 1001 acked
with 1002, server FIN at 2051 acked with 2052.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

CPORT, SPORT = 40000, 5000

cap = Capture("lo")
srv = listener(SPORT)
c = sock()
c.bind(("127.0.0.1", CPORT))
c.connect(("127.0.0.1", SPORT))
s, peer = srv.accept()
check_eq(peer, ("127.0.0.1", CPORT), "accept() returns the peer")
check_eq(c.getpeername(), ("127.0.0.1", SPORT), "getpeername")
check_eq(s.getsockname(), ("127.0.0.1", SPORT), "getsockname of child")

c.sendall(b"c" * 1000)
check_eq(recv_exact(s, 1000), b"c" * 1000, "server got 1000 bytes")
s.sendall(b"s" * 2000)
check_eq(recv_exact(c, 2000), b"s" * 2000, "client got 2000 bytes")
c.shutdown(socket.SHUT_WR)
check_eq(s.recv(100), b"", "server sees EOF after client FIN")
wait_for(lambda: states_on(CPORT) == ["CLOSE_WAIT", "FIN_WAIT2"])
check_eq(states_on(CPORT), ["CLOSE_WAIT", "FIN_WAIT2"],
         "half-closed: client FIN-WAIT-2, server CLOSE-WAIT")
s.sendall(b"t" * 50)
s.close()
check_eq(recv_all(c), b"t" * 50, "client still receives after its FIN")
wait_for(lambda: states_on(CPORT) == ["TIME_WAIT"])
check_eq(states_on(CPORT), ["TIME_WAIT"], "client in TIME-WAIT, server gone")
c.close()
srv.close()
cap.stop()

segs = cap.decode()
for g in segs:
    print("  ", g)
C2S = [g for g in segs if g["sport"] == CPORT]
S2C = [g for g in segs if g["sport"] == SPORT]


def has(lst, flags, seq, ack, length=None):
    return any(g["flags"] == flags and g["seq"] == seq and g["ack"] == ack
               and (length is None or g["len"] == length) for g in lst)


# Handshake
check(segs[0]["sport"] == CPORT and segs[0]["flags"] == "S" and
      segs[0]["seq"] == 0 and segs[0]["ack"] is None, "1: SYN seq=0")
check(segs[1]["sport"] == SPORT and segs[1]["flags"] == "S." and
      segs[1]["seq"] == 0 and segs[1]["ack"] == 1, "2: SYN,ACK seq=0 ack=1")
check(segs[2]["sport"] == CPORT and segs[2]["flags"] == "." and
      segs[2]["seq"] == 1 and segs[2]["ack"] == 1 and segs[2]["len"] == 0,
      "3: ACK seq=1 ack=1")
# Data
check(has(C2S, "P.", 1, 1, 1000), "client data seq=1 ack=1 len=1000")
check(has(S2C, "P.", 1, 1001, 2000), "server data seq=1 ack=1001 len=2000")
# Client half-close: FIN at 1001, acked with 1002
fins_c = [g for g in C2S if "F" in g["flags"]]
check(len(fins_c) == 1 and fins_c[0]["seq"] == 1001 and
      fins_c[0]["ack"] == 2001 and fins_c[0]["len"] == 0,
      "client FIN seq=1001 ack=2001")
check(has(S2C, ".", 2001, 1002, 0), "server ACK of client FIN: seq=2001 ack=1002")
# Server's last 50 bytes and FIN at 2051, acked with 2052
check(has(S2C, "P.", 2001, 1002, 50), "server data seq=2001 ack=1002 len=50")
fins_s = [g for g in S2C if "F" in g["flags"]]
check(len(fins_s) == 1 and fins_s[0]["seq"] + fins_s[0]["len"] == 2051 and
      fins_s[0]["ack"] == 1002, "server FIN at 2051 ack=1002")
check(segs[-1]["sport"] == CPORT and segs[-1]["flags"] == "." and
      segs[-1]["seq"] == 1002 and segs[-1]["ack"] == 2052,
      "last: client ACK seq=1002 ack=2052")
# Every pure ACK acknowledges only what was sent, never goes backwards.
for lst, limit in ((C2S, 2052), (S2C, 1002)):
    acks = [g["ack"] for g in lst if g["ack"] is not None]
    check(acks == sorted(acks) and max(acks) <= limit,
          f"acks monotonic and <= {limit}")
check(not any("R" in g["flags"] for g in segs), "no RST")
done()
