#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""MSS option sent and honoured, TCP_MAXSEG/TCP_NODELAY with TCP's
meaning (inherited by accepted sockets), window scale option, and
shutdown(SHUT_RD / SHUT_RDWR)."""
import os
import select
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, ACK, SYN  # noqa: E402

raw = Raw()
mtu = int(open("/sys/class/net/lo/mtu").read())

# Default: each side announces the route's MTU minus 40.
srv, c, s = pair(7500)
raw.poll(0.2)
syn = [p for p in raw.seen if p["flags"] == SYN and p["dport"] == 7500]
synack = [p for p in raw.seen if p["flags"] == SYN | ACK and p["sport"] == 7500]
check(syn and struct.unpack("!H", syn[0]["opts"].get(2, b"\0\0"))[0] ==
      min(mtu - 40, 65495), f"SYN announces MSS {min(mtu - 40, 65495)}")
check(synack and struct.unpack("!H", synack[0]["opts"].get(2, b"\0\0"))[0] ==
      min(mtu - 40, 65495), "SYN-ACK announces the same MSS")
check(syn and 3 in syn[0]["opts"] and synack and 3 in synack[0]["opts"],
      "both offer window scaling")
c.close()
s.close()
srv.close()

# TCP_MAXSEG 1000 on the client: announced, and the server obeys it.
# Without GSO: it would hand lo one 5000-byte skb (38-gso checks how GSO
# skbs are cut).
sysctl("net.ktcp.gso", 0)
raw.seen.clear()
srv = listener(7501)
srv.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
c = sock()
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
check_eq(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG), 1000,
         "TCP_MAXSEG reads back before connect")
c.connect(("127.0.0.1", 7501))
s, _ = srv.accept()
check_eq(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1,
         "accepted socket inherits TCP_NODELAY")
# As on TCP, the MSS in use leaves room for the timestamps (RFC 6691).
check_eq(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG), 1000 - 12,
         "server's MSS is the client's announced 1000 less timestamps")
# RFC 6928's ten segments are the agreed MSS's, not the route's 1460.
check_eq(tcp_info(s)["snd_cwnd"], 10,
         "server's initial cwnd is 10 segments of 1000 (tcpi_snd_cwnd)")
s.sendall(b"m" * 5000)
check_eq(recv_exact(c, 5000), b"m" * 5000, "5000 bytes arrive")
raw.poll(0.2)
syn = [p for p in raw.seen if p["flags"] == SYN and p["dport"] == 7501]
check(syn and struct.unpack("!H", syn[0]["opts"][2])[0] == 1000,
      "client's SYN announces MSS 1000")
sizes = [p["len"] for p in raw.seen if p["sport"] == 7501 and p["len"]]
check(sizes and max(sizes) == 1000 - 12 and sum(sizes) == 5000,
      f"server segments are at most 988 bytes ({sizes})")
sysctl("net.ktcp.gso", 1)

# shutdown(SHUT_RD): reads end at once; the peer is not told.
c.shutdown(socket.SHUT_RD)
check_eq(c.recv(10), b"", "recv after SHUT_RD returns EOF at once")
c.sendall(b"still writes")
check_eq(recv_exact(s, 12), b"still writes", "SHUT_RD side still writes")
# shutdown(SHUT_RDWR): FIN to the peer, POLLHUP here.
c.shutdown(socket.SHUT_RDWR)
check_eq(s.recv(10), b"", "peer reads EOF after SHUT_RDWR")
p = select.poll()
p.register(c, select.POLLIN | select.POLLOUT)
ev = p.poll(1000)
check(ev and ev[0][1] & select.POLLHUP, "POLLHUP after SHUT_RDWR")
c.close()
s.close()
srv.close()
done()
