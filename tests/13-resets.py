#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Resets: SO_LINGER {1, 0}, unread data at close, and RFC 5961 checks."""
import errno
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, build, ACK, RST, SYN  # noqa: E402


def expect_reset(s, what):
    try:
        d = s.recv(10)
        check(False, f"{what}: got {d!r} instead of ECONNRESET")
    except OSError as e:
        check_eq(e.errno, errno.ECONNRESET, what)


# SO_LINGER {1, 0}: close() aborts with RST.
srv, c, s = pair(6100)
st = stats()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
expect_reset(s, "SO_LINGER {1,0}: peer gets ECONNRESET")
st2 = stats()
check_eq(st2["EstabResets"] - st["EstabResets"], 1, "EstabResets +1")
check_eq(st2["OutRsts"] - st["OutRsts"], 1, "OutRsts +1")
try:
    s.send(b"x")
    s.send(b"x")
    check(False, "send after reset fails")
except OSError as e:
    check(e.errno in (errno.EPIPE, errno.ECONNRESET), "send after reset: EPIPE")
s.close()
check_eq(states_on(6100), ["LISTEN"], "nothing left but the listener")
srv.close()

# close() with unread data sends RST instead of FIN (RFC 9293 3.10.4).
srv, c, s = pair(6101)
c.sendall(b"unread")
time.sleep(0.2)
s.close()
expect_reset(c, "unread data at close: peer gets ECONNRESET")
c.close()
srv.close()

# RFC 5961: in-window RST/SYN with a wrong sequence number gets a
# challenge ACK and the connection survives; the exact RST kills it.
raw = Raw()
srv, c, s = pair(6102)
cport = c.getsockname()[1]
c.sendall(b"hello")
check_eq(recv_exact(s, 5), b"hello", "data before the attack")
time.sleep(0.1)
rcv_nxt = raw.next_seq(cport, 6102)      # what the server expects next
snd_nxt = raw.next_seq(6102, cport)
st = stats()
raw.send(build("127.0.0.1", "127.0.0.1", cport, 6102, rcv_nxt + 1000,
               0, RST))
got = raw.poll(0.5)
acks = [p for p in got if p["sport"] == 6102 and p["flags"] == ACK]
check(len(acks) == 1 and acks[0]["seq"] == snd_nxt and
      acks[0]["ack"] == rcv_nxt,
      "in-window RST: one challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>")
check_eq(stats()["ChallengeACKs"] - st["ChallengeACKs"], 1, "ChallengeACKs +1")
check_eq(sorted(states_on(6102)), ["ESTABLISHED", "ESTABLISHED", "LISTEN"],
         "connection survives an in-window RST")

raw.send(build("127.0.0.1", "127.0.0.1", cport, 6102, rcv_nxt + 5, 0,
               SYN))
got = raw.poll(0.5)
check(any(p["sport"] == 6102 and p["flags"] == ACK and p["ack"] == rcv_nxt
          for p in got), "SYN on an established connection: challenge ACK")
raw.send(build("127.0.0.1", "127.0.0.1", cport, 6102, rcv_nxt + 10 ** 9, 0,
               RST))
got = raw.poll(0.3)
check(not any(p["sport"] == 6102 for p in got),
      "out-of-window RST: silently dropped")
c.sendall(b"still")
check_eq(recv_exact(s, 5), b"still", "data flows after the attacks")

time.sleep(0.1)
rcv_nxt = raw.next_seq(cport, 6102)
raw.send(build("127.0.0.1", "127.0.0.1", cport, 6102, rcv_nxt, 0, RST))
raw.poll(0.3)
expect_reset(s, "RST with the exact sequence number resets")
s.close()
c.close()
srv.close()

# A segment to a port nobody listens on: RST per RFC 9293 3.10.7.1.
raw.send(build("127.0.0.1", "127.0.0.1", 41100, 6199, 1000, 0, ACK,
               payload=b""))
got = raw.poll(0.5)
rst = [p for p in got if p["sport"] == 6199]
check(len(rst) == 1 and rst[0]["flags"] == RST and rst[0]["seq"] == 0,
      "ACK to closed port: <SEQ=SEG.ACK><CTL=RST>")
raw.send(build("127.0.0.1", "127.0.0.1", 41101, 6199, 5000, 0, SYN,
               payload=b"abc"))
got = raw.poll(0.5)
rst = [p for p in got if p["sport"] == 6199]
check(len(rst) == 1 and rst[0]["flags"] == RST | ACK and
      rst[0]["seq"] == 0 and rst[0]["ack"] == 5004,
      "SYN+3 bytes to closed port: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK>")
raw.send(build("127.0.0.1", "127.0.0.1", 41102, 6199, 5000, 0, RST))
got = raw.poll(0.3)
check(not any(p["sport"] == 6199 for p in got), "a RST is never answered")
done()
