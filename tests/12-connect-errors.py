#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""connect(): refused, non-blocking, SYN retransmission and ETIMEDOUT."""
import errno
import os
import select
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, SYN  # noqa: E402

# Refused: the RST of RFC 9293 3.10.7.1 for a SYN to a closed port.
st = stats()
c = sock()
try:
    c.connect(("127.0.0.1", 5999))
    check(False, "connect to a closed port fails")
except OSError as e:
    check_eq(e.errno, errno.ECONNREFUSED, "blocking connect: ECONNREFUSED")
c.close()
st2 = stats()
check_eq(st2["AttemptFails"] - st["AttemptFails"], 1, "AttemptFails +1")
check_eq(st2["OutRsts"] - st["OutRsts"], 1, "OutRsts +1")
check_eq(st2["DropNoSocket"] - st["DropNoSocket"], 1, "DropNoSocket +1")

# Non-blocking to a closed port: EINPROGRESS, then POLLERR and SO_ERROR.
c = sock(nonblock=True)
check_eq(c.connect_ex(("127.0.0.1", 5999)) in (errno.EINPROGRESS,
                                               errno.ECONNREFUSED), True,
         "non-blocking connect starts")
p = select.poll()
p.register(c, select.POLLOUT)
ev = p.poll(5000)
check(ev and ev[0][1] & select.POLLERR, "POLLERR after refusal")
check_eq(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), errno.ECONNREFUSED,
         "SO_ERROR is ECONNREFUSED")
c.close()

# Non-blocking success: EINPROGRESS, POLLOUT, SO_ERROR 0.
srv = listener(6000)
c = sock(nonblock=True)
check_eq(c.connect_ex(("127.0.0.1", 6000)) in (errno.EINPROGRESS, 0), True,
         "non-blocking connect returns EINPROGRESS")
p = select.poll()
p.register(c, select.POLLOUT)
ev = p.poll(5000)
check(ev and ev[0][1] & select.POLLOUT and not ev[0][1] & select.POLLERR,
      "POLLOUT once established")
check_eq(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0, "SO_ERROR 0")
check_eq(c.connect_ex(("127.0.0.1", 6000)), 0,
         "connect again completes the connection")
check_eq(c.connect_ex(("127.0.0.1", 6000)), errno.EISCONN,
         "connect once more: EISCONN")
s, _ = srv.accept()
s.close()
c.close()

# Non-blocking accept on an empty queue.
srv.setblocking(False)
try:
    srv.accept()
    check(False, "accept on empty queue")
except BlockingIOError:
    check(True, "non-blocking accept: EAGAIN")
srv.close()

# SYN retransmission with exponential backoff, then ETIMEDOUT: a full
# accept queue (backlog 0, one connection waiting) drops further SYNs.
sysctl("net.ktcp.syn_retries", 2)
srv = listener(6001, backlog=0)
first = sock()
first.connect(("127.0.0.1", 6001))
raw = Raw()
st = stats()
c = sock()
c.bind(("127.0.0.1", 41001))
t0 = time.time()
try:
    c.connect(("127.0.0.1", 6001))
    check(False, "connect to a full listener times out")
except OSError as e:
    check_eq(e.errno, errno.ETIMEDOUT, "connect: ETIMEDOUT")
elapsed = time.time() - t0
# RTO 1 s doubling: SYN at 0, 1, 3; give up at 7 s.
check(6.0 <= elapsed <= 10.0, f"gave up after 1+2+4 s (took {elapsed:.1f} s)")
raw.poll(0.2)
syns = [p for p in raw.seen if p["sport"] == 41001 and p["flags"] == SYN]
check_eq(len(syns), 3, "one SYN and two retransmissions")
check(len({p["seq"] for p in syns}) == 1, "retransmitted SYNs keep the ISN")
st2 = stats()
check_eq(st2["ListenOverflows"] - st["ListenOverflows"], 3,
         "listener counted the dropped SYNs")
check_eq(st2["AttemptFails"] - st["AttemptFails"], 1, "AttemptFails +1")
c.close()
first.close()
srv.close()
done()
