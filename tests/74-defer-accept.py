#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP_DEFER_ACCEPT with TCP's meaning, kernel TCP and ktcp alike, over
loopback:
- it reads back as TCP reports it: seconds rounded up to a whole number
  of SYN-ACK retransmissions (1, 2, 4, ... s apart), so 5 reads back as
  7 and 10 as 15; 0 and negative values turn it off;
- with 1 s set, a connection whose client has sent nothing is not
  accepted (the listener is not readable), and is at once when data
  comes; accept() returns it with the data;
- a client that never sends is accepted without data once the second
  passed (after one SYN-ACK retransmission, which its ACK answers);
- ktcp counts each held ACK in DeferAcceptHeld."""
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check, check_eq, done, stats  # noqa: E402
from ktcpnet import PROTOS  # noqa: E402

TCP_DEFER_ACCEPT = 9
VALUES = (0, 1, 5, 10, -3)


def options(proto):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    got = []
    for val in VALUES:
        s.setsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT, val)
        got.append(s.getsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT))
    s.close()
    return got


def readable(s, seconds):
    return bool(select.select([s], [], [], seconds)[0])


def deferred(proto, port, send):
    """(listener readable 0.3 s after connect(), readable within 4 s more
    (after @send, if any), the bytes the accepted socket then holds)."""
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    lst.setsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT, 1)
    lst.bind(("127.0.0.1", port))
    lst.listen(4)
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    c.connect(("127.0.0.1", port))
    early = readable(lst, 0.3)
    if send:
        c.send(send)
    t0 = time.time()
    later = readable(lst, 4)
    waited = time.time() - t0
    got = b""
    if later:
        s, _ = lst.accept()
        s.setblocking(False)
        try:
            got = s.recv(100)
        except BlockingIOError:
            pass
        s.close()
    c.close()
    lst.close()
    return early, later, got, round(waited, 1)


seen = {name: options(proto) for name, proto in PROTOS}
print(f"     read back after {VALUES}: {seen}")
check_eq(seen["ktcp"], [0, 1, 7, 15, 0], "TCP_DEFER_ACCEPT reads back in "
         "whole SYN-ACK retransmissions")
check_eq(seen["ktcp"], seen["tcp"], "read back as on kernel TCP")

held = stats()["DeferAcceptHeld"]
for label, send, want in (("data", b"hello", b"hello"), ("no data", b"", b"")):
    res = {}
    for i, (name, proto) in enumerate(PROTOS):
        res[name] = deferred(proto, 7400 + i + 10 * bool(send), send)
        print(f"     {label}, {name}: readable at 0.3 s {res[name][0]}, "
              f"then {res[name][1]} after {res[name][3]} s, accepted "
              f"holding {res[name][2]!r}")
    check_eq(res["ktcp"][:3], (False, True, want), f"{label}: not accepted "
             "before the data or the deferral's end; then with what came")
    check_eq(res["ktcp"][:3], res["tcp"][:3], f"{label}: as on kernel TCP")
    if send:
        check(res["ktcp"][3] < 0.5, "data ends the deferral at once "
              f"({res['ktcp'][3]} s)")
check(stats()["DeferAcceptHeld"] >= held + 2, "ktcp: DeferAcceptHeld "
      "counts the ACKs held")
done()
