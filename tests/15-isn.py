#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Initial sequence numbers differ across connections (RFC 6528)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, SYN, ACK  # noqa: E402

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
done()
