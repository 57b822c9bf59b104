#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""MSG_MORE and MSG_TRUNC with TCP's meaning, kernel TCP and ktcp side by
side between two namespaces (TCP_NODELAY on, so only the flag holds data
back):
- send(MSG_MORE) of 100 bytes, nothing in flight, holds them: the server
  sees nothing 50 ms on; the next send() without the flag sends both
  pieces as one segment, which the server reads in one piece;
- with no next send() the held bytes still go once the retransmission
  timer (TCP's probe timer) finds nothing in flight;
- recv(MSG_TRUNC) consumes what it asks for without copying it: it
  returns the count, leaves the buffer as it was, and the next recv()
  returns the bytes after those; with MSG_PEEK too, nothing is consumed;
- TCP_INQ: each read then carries a TCP_CM_INQ cmsg with the bytes left,
  a received FIN counting as one; values other than 0 and 1 are EINVAL;
- TCP_CC_INFO returns nothing for the default algorithm;
- TCP_CORK with TCP_NODELAY: setting TCP_NODELAY under the cork sends
  what is queued once, a later write is held again, and pulling the
  cork sends it."""
import errno
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check_eq, done, recv_exact  # noqa: E402
from ktcpnet import PROTOS, pair  # noqa: E402

PIECE = 100
TCP_CC_INFO, TCP_INQ = 26, 36


def readable(s, ms):
    p = select.poll()
    p.register(s, select.POLLIN)
    return bool(p.poll(ms))


def nodelay(c):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def msg_more(net, proto, port):
    """(seen 50 ms after MSG_MORE, the first read after the next send,
    seen within 3 s of a MSG_MORE with nothing after it)."""
    c, s = pair(net, proto, port, client_setup=nodelay)
    c.send(b"a" * PIECE, socket.MSG_MORE)
    early = readable(s, 50)
    c.send(b"b" * PIECE)
    first = len(s.recv(4 * PIECE))
    c.send(b"c" * PIECE, socket.MSG_MORE)
    alone = readable(s, 3000) and s.recv(4 * PIECE) == b"c" * PIECE
    c.close()
    s.close()
    return early, first, alone


def msg_trunc(net, proto, port):
    """(what MSG_TRUNC and MSG_PEEK | MSG_TRUNC returned, whether they
    left the buffer alone, the bytes a plain recv() returned next)."""
    c, s = pair(net, proto, port)
    data = bytes(range(PIECE))
    c.sendall(data)
    readable(s, 3000)
    buf = bytearray(b"\xaa" * 30)
    got = [s.recv_into(buf, 30, socket.MSG_TRUNC),
           s.recv_into(buf, 30, socket.MSG_PEEK | socket.MSG_TRUNC)]
    untouched = buf == bytearray(b"\xaa" * 30)
    rest = recv_exact(s, PIECE - 30)
    c.close()
    s.close()
    return got, untouched, rest == data[30:]


def inq_hint(s, n):
    """recvmsg() of up to @n bytes: (bytes read, its TCP_CM_INQ hint)."""
    data, anc, _, _ = s.recvmsg(n, socket.CMSG_SPACE(4))
    hints = [struct.unpack("=i", d)[0] for level, kind, d in anc
             if level == socket.IPPROTO_TCP and kind == TCP_INQ]
    return len(data), hints[0] if hints else None


def tcp_inq(net, proto, port):
    """TCP_INQ read back, a bad value's error, the reads' hints over 100
    bytes and the FIN after them, and TCP_CC_INFO's length."""
    c, s = pair(net, proto, port)
    s.setsockopt(socket.IPPROTO_TCP, TCP_INQ, 1)
    out = [s.getsockopt(socket.IPPROTO_TCP, TCP_INQ)]
    try:
        s.setsockopt(socket.IPPROTO_TCP, TCP_INQ, 2)
        out.append(0)
    except OSError as e:
        out.append(errno.errorcode[e.errno])
    c.sendall(bytes(PIECE))
    readable(s, 3000)
    time.sleep(0.05)
    out += [inq_hint(s, 30), inq_hint(s, PIECE)]
    c.close()
    readable(s, 3000)
    out.append(inq_hint(s, PIECE))
    out.append(len(s.getsockopt(socket.IPPROTO_TCP, TCP_CC_INFO, 64)))
    s.close()
    return out


def cork_nodelay(net, proto, port):
    """The bytes the server could read within 50 ms (0: none) after each
    step under TCP_CORK: a write, TCP_NODELAY set, a second write, the
    cork pulled."""
    c, s = pair(net, proto, port)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)

    def seen():
        return len(s.recv(4 * PIECE)) if readable(s, 50) else 0
    out = []
    c.send(b"a" * PIECE)
    out.append(seen())
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    out.append(seen())
    c.send(b"b" * PIECE)
    out.append(seen())
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
    out.append(seen())
    c.close()
    s.close()
    return out


net = Netns()
try:
    seen = {}
    for port, (name, proto) in enumerate(PROTOS, 7100):
        seen[name] = msg_more(net, proto, port)
        print(f"     MSG_MORE, {name}: seen at 50 ms {seen[name][0]}, first "
              f"read {seen[name][1]} bytes, held bytes sent alone "
              f"{seen[name][2]}")
    check_eq(seen["ktcp"], (False, 2 * PIECE, True), "MSG_MORE holds a "
             "short segment until the next send, or the timer, sends it")
    check_eq(seen["ktcp"], seen["tcp"], "MSG_MORE as on kernel TCP")

    for port, (name, proto) in enumerate(PROTOS, 7110):
        seen[name] = msg_trunc(net, proto, port)
        print(f"     MSG_TRUNC, {name}: {seen[name]}")
    check_eq(seen["ktcp"], ([30, 30], True, True), "MSG_TRUNC consumes "
             "without copying; with MSG_PEEK it consumes nothing")
    check_eq(seen["ktcp"], seen["tcp"], "MSG_TRUNC as on kernel TCP")

    for port, (name, proto) in enumerate(PROTOS, 7120):
        seen[name] = tcp_inq(net, proto, port)
        print(f"     TCP_INQ, {name}: {seen[name]}")
    check_eq(seen["ktcp"], [1, "EINVAL", (30, 70), (70, 0), (0, 1), 0],
             "TCP_INQ: the bytes left after each read, a FIN as one; "
             "TCP_CC_INFO empty")
    check_eq(seen["ktcp"], seen["tcp"], "TCP_INQ and TCP_CC_INFO as on "
             "kernel TCP")

    for port, (name, proto) in enumerate(PROTOS, 7130):
        seen[name] = cork_nodelay(net, proto, port)
        print(f"     TCP_CORK, {name}: bytes read after a write, "
              f"TCP_NODELAY, a write, uncork: {seen[name]}")
    check_eq(seen["ktcp"], [0, PIECE, 0, PIECE], "TCP_NODELAY under "
             "TCP_CORK sends what is queued once; the cork holds the next")
    check_eq(seen["ktcp"], seen["tcp"], "TCP_CORK with TCP_NODELAY as on "
             "kernel TCP")
finally:
    net.close()
done()
