#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Byte-stream socket API as on TCP: MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT,
MSG_NOSIGNAL/SIGPIPE, SO_RCVTIMEO, SO_RCVLOWAT, FIONREAD/SIOCOUTQ, epoll,
a slow reader that closes the window without losing a byte, and the
reset that answers data sent after the peer's close()."""
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

SIOCOUTQ = termios.TIOCOUTQ


def ioctl_int(s, req):
    return struct.unpack("i", fcntl.ioctl(s.fileno(), req, b"\0" * 4))[0]


srv, c, s = pair(7600)

# MSG_PEEK leaves the data; FIONREAD counts it.
c.sendall(b"hello world")
time.sleep(0.1)
check_eq(ioctl_int(s, termios.FIONREAD), 11, "FIONREAD counts queued bytes")
check_eq(s.recv(5, socket.MSG_PEEK), b"hello", "MSG_PEEK sees the data")
check_eq(s.recv(5, socket.MSG_PEEK), b"hello", "...and leaves it there")
check_eq(s.recv(100), b"hello world", "recv then takes it all")
check_eq(ioctl_int(s, termios.FIONREAD), 0, "FIONREAD 0 when drained")

# MSG_DONTWAIT on an empty queue; SO_RCVTIMEO.
s.settimeout(None)
c.settimeout(None)
try:
    s.recv(10, socket.MSG_DONTWAIT)
    check(False, "MSG_DONTWAIT on empty queue")
except BlockingIOError:
    check(True, "MSG_DONTWAIT: EAGAIN when nothing is queued")
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 300000))
t0 = time.time()
try:
    s.recv(10)
    check(False, "SO_RCVTIMEO expires")
except OSError as e:
    took = time.time() - t0
    check(e.errno in (errno.EAGAIN, errno.EWOULDBLOCK) and 0.25 <= took < 2,
          f"SO_RCVTIMEO 300 ms: EAGAIN after {took:.2f} s")
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 0))

# MSG_WAITALL collects pieces sent apart.
def dribble():
    for i in range(4):
        time.sleep(0.05)
        c.sendall(b"%d" % i * 250)


th = threading.Thread(target=dribble)
th.start()
got = s.recv(1000, socket.MSG_WAITALL)
th.join()
check_eq(len(got), 1000, "MSG_WAITALL waits for all 1000 bytes")
check_eq(got, b"0" * 250 + b"1" * 250 + b"2" * 250 + b"3" * 250,
         "...in order")

# SO_RCVLOWAT: poll and recv wait for that many bytes.
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, 100)
ep = select.epoll()
ep.register(s.fileno(), select.EPOLLIN)
c.sendall(b"x" * 50)
time.sleep(0.1)
check_eq(ep.poll(0.2), [], "epoll: 50 bytes < SO_RCVLOWAT 100 is not readable")
c.sendall(b"y" * 60)
ev = ep.poll(2)
check(ev and ev[0][1] & select.EPOLLIN, "epoll: readable at 110 >= 100 bytes")
check_eq(s.recv(200), b"x" * 50 + b"y" * 60, "recv returns all 110")
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, 1)

# Writable; SIOCOUTQ counts what the peer has not acknowledged.
ep.modify(s.fileno(), select.EPOLLOUT)
check(ep.poll(1), "epoll: connected socket is writable")
check(wait_for(lambda: ioctl_int(c, SIOCOUTQ) == 0, timeout=2),
      "SIOCOUTQ 0 once all is acknowledged")

# A slow reader: the window closes, the writer blocks, nothing is lost.
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
data = pattern(7, 2 << 20)
sent = []
w = threading.Thread(target=lambda: (c.sendall(data), sent.append(True)))
w.start()
time.sleep(1.0)
check(not sent, "writer blocks while the reader sleeps")
check(ioctl_int(c, SIOCOUTQ) > 0, "SIOCOUTQ shows the backlog")
got = b""
while len(got) < len(data):
    got += s.recv(4096)
    if len(got) < 200000:
        time.sleep(0.001)       # read slowly at first
w.join()
check(got == data, f"slow reader got all {len(data)} bytes intact")

# Non-blocking writer with a full buffer gets EAGAIN, not unbounded memory.
total = fill(c)
check(0 < total < 4 << 20, f"non-blocking send: EAGAIN once a bounded "
      f"buffer fills ({total} bytes)")
c.setblocking(True)
s.close()
time.sleep(0.2)

# Writing to a reset connection: EPIPE with SIGPIPE, or only EPIPE with
# MSG_NOSIGNAL.
got_sig = []
signal.signal(signal.SIGPIPE, lambda *a: got_sig.append(1))
errs = set()
for _ in range(3):
    try:
        c.send(b"after close", socket.MSG_NOSIGNAL)
    except OSError as e:
        errs.add(e.errno)
    time.sleep(0.1)
check(errs & {errno.EPIPE, errno.ECONNRESET} and not got_sig,
      f"MSG_NOSIGNAL: {sorted(errs)} without SIGPIPE")
try:
    c.send(b"again")
except OSError as e:
    check_eq(e.errno, errno.EPIPE, "send without MSG_NOSIGNAL: EPIPE")
check(got_sig, "...and SIGPIPE")
c.close()
srv.close()

# Data sent after the peer closed with nothing unread: the peer's orphan
# resets (RFC 1122 4.2.2.13), so the next write fails.
srv, c, s = pair(7601)
s.close()
time.sleep(0.2)
before = stats()["OutRsts"]
check_eq(c.send(b"half-closed", socket.MSG_NOSIGNAL), 11,
         "after the peer's FIN a write still succeeds")
time.sleep(0.3)
check_eq(stats()["OutRsts"] - before, 1, "data after close() is reset")
try:
    c.send(b"again", socket.MSG_NOSIGNAL)
    check(False, "write after the reset fails")
except OSError as e:
    check(e.errno in (errno.EPIPE, errno.ECONNRESET),
          f"write after the reset fails ({errno.errorcode[e.errno]})")
c.close()
srv.close()
done()
