#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP_NOTSENT_LOWAT with TCP's meaning, kernel TCP and ktcp side by side
between two namespaces.  The server reads nothing until told, so its
window closes and what the client writes after that stays unsent:
- the option reads back what was set, 0 when unset;
- with 32 KiB set, a non-blocking client's send() meets EAGAIN once that
  much waits unsent (or a segment's worth more: the check comes before
  each new buffer, as on TCP), long before its send buffer (SO_SNDBUF
  1 MiB, as far as net.core.wmem_max allows) is full; without the option
  the buffer fills, several times as much;
- poll() reports the client writable only once less than half of that
  waits: not while the server reads nothing, and once it reads, poll()
  wakes up."""
import fcntl
import os
import select
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done  # noqa: E402
from ktcpnet import PROTOS, pair  # noqa: E402

TCP_NOTSENT_LOWAT = 25
SIOCOUTQNSD = 0x894B
LOWAT = 32768
SNDBUF = 1 << 20
CHUNK = 4096
SEGMENT = 65536         # the most one send buffer (skb) holds


def notsent(s):
    """Bytes @s holds that it has not sent yet."""
    buf = fcntl.ioctl(s.fileno(), SIOCOUTQNSD, struct.pack("i", 0))
    return struct.unpack("i", buf)[0]


def writable(s, ms):
    p = select.poll()
    p.register(s, select.POLLOUT)
    return bool(p.poll(ms))


def options(proto):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    got = [s.getsockopt(socket.IPPROTO_TCP, TCP_NOTSENT_LOWAT)]
    s.setsockopt(socket.IPPROTO_TCP, TCP_NOTSENT_LOWAT, LOWAT)
    got.append(s.getsockopt(socket.IPPROTO_TCP, TCP_NOTSENT_LOWAT))
    s.close()
    return got


def stuff(c):
    """Write to non-blocking @c until it stays unwritable for a second
    (data the window let out after an EAGAIN may make room again)."""
    for _ in range(20):
        try:
            while True:
                c.send(b"z" * CHUNK)
        except BlockingIOError:
            pass
        time.sleep(0.3)
        if not writable(c, 1000):
            return True
    return False


def drain(s):
    """Read what @s has now; the bytes read."""
    n = 0
    s.setblocking(False)
    try:
        while True:
            got = s.recv(1 << 20)
            if not got:
                break
            n += len(got)
    except BlockingIOError:
        pass
    return n


def case(net, proto, port, lowat):
    """(unsent bytes when the client stopped, whether poll() said
    writable once the server read)."""
    def setup(c):
        c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SNDBUF)
        if lowat:
            c.setsockopt(socket.IPPROTO_TCP, TCP_NOTSENT_LOWAT, lowat)
    c, s = pair(net, proto, port, client_setup=setup)
    c.setblocking(False)
    stopped = stuff(c)
    unsent = notsent(c)

    def read_later():
        time.sleep(0.3)
        for _ in range(20):
            drain(s)
            time.sleep(0.05)
    reader = threading.Thread(target=read_later)
    reader.start()
    again = writable(c, 5000)   # asleep before the server reads
    reader.join()
    c.close()
    s.close()
    return stopped, unsent, again


net = Netns()
try:
    seen = {name: options(proto) for name, proto in PROTOS}
    check_eq(seen["ktcp"], [0, LOWAT], "TCP_NOTSENT_LOWAT reads back 0, "
             "then what was set")
    check_eq(seen["ktcp"], seen["tcp"], "read back as on kernel TCP")

    for port, (name, proto) in enumerate(PROTOS, 7000):
        stopped, unsent, again = case(net, proto, port, LOWAT)
        print(f"     {name}, TCP_NOTSENT_LOWAT {LOWAT}: stopped {stopped} "
              f"with {unsent} bytes unsent; writable once read: {again}")
        check(stopped and LOWAT // 2 <= unsent < LOWAT + SEGMENT,
              f"{name}: the sender stops with about TCP_NOTSENT_LOWAT "
              f"unsent ({unsent} bytes)")
        check(again, f"{name}: poll() says writable once the server reads")

        stopped, unsent, again = case(net, proto, port + 10, 0)
        print(f"     {name}, no TCP_NOTSENT_LOWAT: {unsent} bytes unsent")
        check(stopped and unsent >= 4 * LOWAT,
              f"{name}: without it, the send buffer fills ({unsent} bytes "
              "unsent)")
finally:
    net.close()
done()
