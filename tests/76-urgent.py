#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Urgent data (MSG_OOB, SIOCATMARK, SO_OOBINLINE, EPOLLPRI, SIGURG) with
TCP's meaning, kernel TCP and ktcp side by side.

Between two ends of one stack, "abc", "!" with MSG_OOB, then "def":
- out of line: the receiver gets EPOLLPRI and SIGURG; a read stops at
  the mark with "abc"; SIOCATMARK then says 1; recv(MSG_OOB) gives "!",
  once (then EINVAL); the next read gives "def";
- SO_OOBINLINE: "abc", then at the mark "!def"; MSG_OOB is EINVAL;
- a second urgent byte before the first is read moves the mark: the
  first becomes ordinary data.
Against a scripted peer, the wire: a segment "abc!def" with URG and the
pointer 4 (BSD's, one past the urgent byte, as Linux reads it) gives
"!" out of line; a pointer far ahead leaves recv(MSG_OOB) with EAGAIN;
and send(MSG_OOB) of 5 bytes puts URG and the pointer 5 on the segment.
"""
# kernels: debug 6.1 6.12
import errno
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done, wait_for  # noqa: E402
from ktcppeer import peer_connection  # noqa: E402
from ktcppkt import ACK, PSH  # noqa: E402
from ktcpnet import PROTOS, pair  # noqa: E402

URG = 0x20
SIOCATMARK, SIOCINQ = 0x8905, 0x541B
PORT, PPORT = 7780, 41780
P0 = 4000000
sigurg = []
signal.signal(signal.SIGURG, lambda *_: sigurg.append(1))


def ioctl_int(s, req):
    return struct.unpack("i", fcntl.ioctl(s, req, b"\0" * 4))[0]


def oob(s, flags=0):
    """recv(MSG_OOB), which never waits: the byte, or the errno.  Python
    would poll for POLLIN first on a socket with a timeout."""
    timeout = s.gettimeout()
    s.settimeout(None)
    try:
        return s.recv(1, socket.MSG_OOB | socket.MSG_DONTWAIT | flags)
    except OSError as e:
        return errno.errorcode.get(e.errno, repr(e))
    finally:
        s.settimeout(timeout)


def arrived(s, n):
    return wait_for(lambda: ioctl_int(s, SIOCINQ) >= n, timeout=3)


def send_marked(c, s):
    """"abc", "!" urgent, "def" from @c, all arrived at @s."""
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.send(b"abc")
    c.send(b"!", socket.MSG_OOB)
    c.send(b"def")
    arrived(s, 7)


def out_of_line(net, proto, port):
    c, s = pair(net, proto, port)
    fcntl.fcntl(s, fcntl.F_SETOWN, os.getpid())
    sigurg.clear()
    out = {"no urgent data: MSG_OOB": oob(s)}
    send_marked(c, s)
    p = select.poll()
    p.register(s, select.POLLPRI)
    out["POLLPRI"] = bool(p.poll(2000))
    out["SIGURG"] = len(sigurg) > 0
    out["read to the mark"] = s.recv(100)
    out["SIOCATMARK at the mark"] = ioctl_int(s, SIOCATMARK)
    out["MSG_OOB|MSG_PEEK"] = oob(s, socket.MSG_PEEK)
    out["MSG_OOB"] = oob(s)
    out["MSG_OOB again"] = oob(s)
    out["read after"] = s.recv(100)
    out["SIOCATMARK after"] = ioctl_int(s, SIOCATMARK)
    c.close()
    s.close()
    return out


def inline(net, proto, port):
    c, s = pair(net, proto, port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_OOBINLINE, 1)
    send_marked(c, s)
    out = {"inline: read to the mark": s.recv(100),
           "inline: SIOCATMARK": ioctl_int(s, SIOCATMARK),
           "inline: MSG_OOB": oob(s),
           "inline: read after": s.recv(100)}
    c.close()
    s.close()
    return out


def two_marks(net, proto, port):
    c, s = pair(net, proto, port)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for data, flags in ((b"a", 0), (b"1", socket.MSG_OOB), (b"b", 0),
                        (b"2", socket.MSG_OOB), (b"c", 0)):
        c.send(data, flags)
        time.sleep(0.05)
    arrived(s, 5)
    out = {"two marks: read": s.recv(100), "two marks: MSG_OOB": oob(s),
           "two marks: read after": s.recv(100)}
    c.close()
    s.close()
    return out


def wire(proto):
    """The urgent pointer on the wire, against a scripted peer."""
    net = Netns()
    out = {}
    try:
        peer, lst, s, synack = peer_connection(net, PORT, PPORT, P0, 1000,
                                               proto=proto)
        a0 = synack["seq"] + 1
        peer.send(PPORT, PORT, P0 + 1, a0, ACK | PSH | URG,
                  payload=b"abc!def", urg=4)
        arrived(s, 7)
        out["pointer 4: read"] = s.recv(100)
        out["pointer 4: MSG_OOB"] = oob(s)
        out["pointer 4: read after"] = s.recv(100)
        peer.send(PPORT, PORT, P0 + 8, a0, ACK | PSH | URG,
                  payload=b"xyz", urg=60000)
        arrived(s, 3)
        out["far pointer: MSG_OOB"] = oob(s)
        out["far pointer: read"] = s.recv(100)
        peer.seen.clear()
        s.send(b"hello", socket.MSG_OOB)
        p = peer.wait(lambda p: p["sport"] == PORT and p["len"] == 5)
        out["send(MSG_OOB): URG, pointer"] = \
            (bool(p["flags"] & URG), p["urg"]) if p else None
        s.close()
        lst.close()
        peer.close()
    finally:
        net.close()
    return out


seen = {}
net = Netns()
try:
    for i, (name, proto) in enumerate(PROTOS):
        seen[name] = {}
        for j, case in enumerate((out_of_line, inline, two_marks)):
            seen[name].update(case(net, proto, PORT + 10 * i + j))
finally:
    net.close()
for name, proto in PROTOS:
    seen[name].update(wire(proto))
for case in seen["tcp"]:
    print(f"     {case}: tcp {seen['tcp'][case]!r}, "
          f"ktcp {seen['ktcp'][case]!r}")
want = {"no urgent data: MSG_OOB": "EINVAL", "POLLPRI": True,
        "SIGURG": True, "read to the mark": b"abc",
        "SIOCATMARK at the mark": 1, "MSG_OOB|MSG_PEEK": b"!",
        "MSG_OOB": b"!", "MSG_OOB again": "EINVAL", "read after": b"def",
        "SIOCATMARK after": 0, "inline: read to the mark": b"abc",
        "inline: SIOCATMARK": 1, "inline: MSG_OOB": "EINVAL",
        "inline: read after": b"!def", "two marks: read": b"a1b",
        "two marks: MSG_OOB": b"2", "two marks: read after": b"c",
        "pointer 4: read": b"abc", "pointer 4: MSG_OOB": b"!",
        "pointer 4: read after": b"def", "far pointer: MSG_OOB": "EAGAIN",
        "far pointer: read": b"xyz",
        "send(MSG_OOB): URG, pointer": (True, 5)}
check_eq(seen["ktcp"], want, "ktcp's urgent data")
check_eq(seen["ktcp"], seen["tcp"], "urgent data as kernel TCP's")
done()
