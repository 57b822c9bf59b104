#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Initial sequence numbers differ across connections (RFC 6528), and
ktcp's come from a secret of its own: for one four-tuple, kernel TCP's ISN
and ktcp's are unrelated, where a shared secret would make them differ
by the clock alone (64 ns ticks)."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, SYN, ACK, parse  # noqa: E402

raw = Raw()
srv = listener(6300)
for i in range(8):
    c = sock()
    c.connect(("127.0.0.1", 6300))
    s, _ = srv.accept()
    c.close()
    s.close()
raw.poll(0.3)
client_isn = [p["seq"] for p in raw.seen if p["flags"] == SYN]
server_isn = [p["seq"] for p in raw.seen if p["flags"] == SYN | ACK]
check_eq(len(client_isn), 8, "eight SYNs seen")
check_eq(len(server_isn), 8, "eight SYN-ACKs seen")
check_eq(len(set(client_isn)), 8, "client ISNs all differ")
check_eq(len(set(server_isn)), 8, "server ISNs all differ")
diffs = {(b - a) & 0xffffffff for a, b in zip(client_isn, client_isn[1:])}
check(len(diffs) > 1, "ISNs do not advance by a constant step")
check(not set(client_isn) & set(server_isn), "the two sides pick unrelated ISNs")
srv.close()


def isn(proto, cport, sport, capture):
    """Connect from @cport to @sport over @proto; the SYN's ISN and when."""
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", sport))
    lst.listen(1)
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("127.0.0.1", cport))
    t = time.time()
    c.connect(("127.0.0.1", sport))
    s, _ = lst.accept()
    for x in (c, s, lst):
        x.close()
    while True:
        p = parse(capture.recv(70000))
        if p and p["sport"] == cport and p["flags"] == SYN:
            return p["seq"], t


tcp_raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
tcp_raw.settimeout(5)
raw.s.settimeout(5)
far = 0
for i in range(3):
    tcp_isn, t_tcp = isn(socket.IPPROTO_TCP, 46300 + i, 6310, tcp_raw)
    ktcp_isn, t_ktcp = isn(PROTO, 46300 + i, 6310, raw.s)
    # what a secret shared with TCP would give, give or take a millisecond
    clock = int((t_ktcp - t_tcp) * 1e9) >> 6
    off = (ktcp_isn - tcp_isn - clock) & 0xffffffff
    off = min(off, (1 << 32) - off)
    print(f"     port {46300 + i}: TCP ISN {tcp_isn:#x}, ktcp ISN "
          f"{ktcp_isn:#x}, {off:#x} off the clock")
    far += off > 1 << 24
check(far > 0, "ktcp's ISNs are not TCP's plus the clock (a secret of its "
      f"own): {far} of 3 four-tuples far off")
done()
