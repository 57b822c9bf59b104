#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP_WINDOW_CLAMP with TCP's meaning, kernel TCP and ktcp side by side
between two namespaces:
- it reads back what was set, raised to half of SOCK_MIN_RCVBUF when
  below; 0 is refused (EINVAL) once the socket is connected;
- a clamp of 8 KiB set before connect() bounds the window the client
  offers, though its buffer has room for more: the server sees at most
  8 KiB at the handshake, on both stacks, where without the clamp it sees
  far more; the data arrives intact.  (The clamp bounds the window, not
  the buffer: a receiver that does not read still takes data until its
  buffer is full.)
- ktcp keeps the bound for the whole transfer.  Kernel TCP does not:
  once the application reads, receive buffer autotuning
  (tcp_rcv_space_adjust()) raises its window_clamp with the buffer, and
  the window grows past the clamp (to 64 KiB on 6.12).  ktcp keeps what
  the user asked for; that difference is deliberate."""
import errno
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import (Netns, check, check_eq, done, fill,  # noqa: E402
                      tcp_info)
from ktcpnet import PROTOS, pair  # noqa: E402

TCP_WINDOW_CLAMP = 10
CLAMP = 8192


def options(net, proto, port):
    """Read back 8192, then 100, then 0 unconnected; the errno of 0 on a
    connected socket."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    got = []
    for val in (CLAMP, 100, 0):
        s.setsockopt(socket.IPPROTO_TCP, TCP_WINDOW_CLAMP, val)
        got.append(s.getsockopt(socket.IPPROTO_TCP, TCP_WINDOW_CLAMP))
    s.close()
    c, srv = pair(net, proto, port)
    try:
        c.setsockopt(socket.IPPROTO_TCP, TCP_WINDOW_CLAMP, 0)
        got.append(0)
    except OSError as e:
        got.append(e.errno)
    c.close()
    srv.close()
    return got


def clamped(net, proto, port, clamp):
    """(window the server saw at the handshake, largest window it saw,
    data intact) with the client, the receiver here, clamped to @clamp
    (0: not) before connect()."""
    def setup(c):
        if clamp:
            c.setsockopt(socket.IPPROTO_TCP, TCP_WINDOW_CLAMP, clamp)
    c, s = pair(net, proto, port, client_setup=setup)
    wnd = [tcp_info(s)["snd_wnd"]]
    sent = fill(s)
    time.sleep(0.2)
    wnd.append(tcp_info(s)["snd_wnd"])
    got = b""
    while len(got) < sent:
        got += c.recv(16384)
        wnd.append(tcp_info(s)["snd_wnd"])
    c.close()
    s.close()
    return wnd[0], max(wnd), got == b"z" * sent


net = Netns()
try:
    seen = {}
    for port, (name, proto) in enumerate(PROTOS, 7300):
        seen[name] = options(net, proto, port)
    print(f"     read back: {seen}")
    check_eq(seen["ktcp"][0], CLAMP, "TCP_WINDOW_CLAMP reads back")
    check_eq(seen["ktcp"][3], errno.EINVAL, "0 refused once connected")
    check_eq(seen["ktcp"], seen["tcp"], "read back and refused as on "
             "kernel TCP")

    for port, (name, proto) in enumerate(PROTOS, 7310):
        first, most, intact = clamped(net, proto, port, CLAMP)
        print(f"     {name}, clamp {CLAMP}: window {first} at the "
              f"handshake, at most {most}; intact {intact}")
        check(0 < first <= CLAMP and intact, f"{name}: the clamp bounds "
              f"the window offered at the handshake ({first}); data intact")
        if name == "ktcp":
            check(most <= CLAMP, f"{name}: and for the whole transfer "
                  f"({most})")
        first, most, intact = clamped(net, proto, port + 5, 0)
        print(f"     {name}, no clamp: window {first} at the handshake, at "
              f"most {most}")
        check(most > 4 * CLAMP and intact, f"{name}: without it the window "
              f"is larger ({most})")
finally:
    net.close()
done()
