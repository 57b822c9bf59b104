#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Socket buffer autotuning: buffers grow only up to tcp_rmem[2] and
tcp_wmem[2], never shrink, and SO_RCVBUF/SO_SNDBUF turn it off."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

SOL, RCV, SND = socket.SOL_SOCKET, socket.SO_RCVBUF, socket.SO_SNDBUF


def sysctl(name):
    with open(f"/proc/sys/net/{name}") as f:
        return [int(v) for v in f.read().split()]


rmem_max = sysctl("ipv4/tcp_rmem")[2]
wmem_max = sysctl("ipv4/tcp_wmem")[2]
n = 8 << 20

# Set by the user: autotuning leaves them exactly as set (doubled, as ever).
srv, c, s = pair()
c.setsockopt(SOL, SND, 65536)
s.setsockopt(SOL, RCV, 65536)
snd, rcv = c.getsockopt(SOL, SND), s.getsockopt(SOL, RCV)
check_eq((snd, rcv), (131072, 131072), "SO_SNDBUF/SO_RCVBUF as set, doubled")
ab, _, dab, _ = exchange(c, s, n)
check(ab == dab, f"{n >> 20} MiB intact with small locked buffers")
check_eq(c.getsockopt(SOL, SND), snd, "locked SO_SNDBUF unchanged by a transfer")
check_eq(s.getsockopt(SOL, RCV), rcv, "locked SO_RCVBUF unchanged by a transfer")
for x in (c, s, srv):
    x.close()

# Defaults: free to grow, within the TCP limits, never below the start.
srv, c, s = pair()
snd0, rcv0 = c.getsockopt(SOL, SND), s.getsockopt(SOL, RCV)
ab, _, dab, _ = exchange(c, s, n)
check(ab == dab, f"{n >> 20} MiB intact with autotuned buffers")
snd, rcv = c.getsockopt(SOL, SND), s.getsockopt(SOL, RCV)
check(snd0 <= snd <= max(snd0, wmem_max),
      f"send buffer {snd0} -> {snd}, at most tcp_wmem[2] {wmem_max}")
check(rcv0 <= rcv <= max(rcv0, rmem_max),
      f"receive buffer {rcv0} -> {rcv}, at most tcp_rmem[2] {rmem_max}")
for x in (c, s, srv):
    x.close()
done()
