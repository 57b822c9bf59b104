#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""SYN-ACK and FIN retransmission across a veth pair whose sender side
drops everything for a while (netem loss 100%), and an orphaned socket
that finishes its teardown after close()."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

net = Netns()
net.sysctl("net.ktcp.tw_timeout_ms", 1000)
try:
    # Server in b drops all it sends: its SYN-ACK is retransmitted at
    # 1 s and 3 s (RFC 6298 backoff); the loss ends at 2 s.
    net.enter("b")
    srv = listener(7000, addr="0.0.0.0")
    net.tc("b", "qdisc", "add", "dev", "veth-b", "root", "netem", "loss",
           "100%")
    before_b = stats()
    net.enter("a")
    c = sock()
    c.settimeout(20)
    t0 = time.time()
    c.setblocking(False)
    c.connect_ex(("192.0.2.2", 7000))
    time.sleep(2.0)
    # The loss ends somewhere while tc runs, which takes a second on the
    # debug kernel: bound it from both sides.
    lifting = time.time() - t0
    net.tc("b", "qdisc", "del", "dev", "veth-b", "root")
    lifted = time.time() - t0
    c.setblocking(True)
    import select
    p = select.poll()
    p.register(c, select.POLLOUT)
    p.poll(10000)
    took = time.time() - t0
    check_eq(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0,
             "connect completes once SYN-ACKs get through")
    # SYN-ACKs go at 1, 3, 7 s (RFC 6298 backoff); the first one after
    # the loss was lifted (2 s, later on a slow kernel) gets through.
    first = min(t for t in (1, 3, 7, 15) if t >= lifting)
    last = min(t for t in (1, 3, 7, 15) if t >= lifted)
    check(first - 0.2 <= took <= last + 1.5,
          f"...at the retransmission at {first}-{last} s ({took:.2f} s, "
          f"loss lifted at {lifting:.2f}-{lifted:.2f} s)")
    net.enter("b")
    s, _ = srv.accept()
    # Its timer fires at 1 s and 3 s; the client's repeated SYNs at the
    # same moments make it resend too, so count at least the timer's.
    check(stats()["RetransSegs"] - before_b["RetransSegs"] >= 2,
          "server retransmitted its SYN-ACK")

    # Orphaned close with a lost FIN: the FIN is retransmitted after
    # close() returned, and the connection still ends properly.
    s.sendall(b"x" * 1000)
    net.enter("a")
    c.settimeout(10)
    check_eq(recv_exact(c, 1000), b"x" * 1000, "data before close")
    net.enter("b")
    before_b = stats()
    net.tc("b", "qdisc", "add", "dev", "veth-b", "root", "netem", "loss",
           "100%")
    s.close()                   # orphan: FIN-WAIT-1 with nobody watching
    time.sleep(1.5)
    check_eq([r["state"] for r in sockets() if r["lport"] == 7000
              and r["rport"] != 0], ["FIN_WAIT1"],
             "orphan waits in FIN-WAIT-1 while its FIN is lost")
    net.tc("b", "qdisc", "del", "dev", "veth-b", "root")
    net.enter("a")
    check_eq(c.recv(10), b"", "peer gets EOF from the retransmitted FIN")
    c.close()
    net.enter("b")
    check(stats()["RetransSegs"] - before_b["RetransSegs"] >= 1,
          "FIN was retransmitted")
    check(wait_for(lambda: [r for r in sockets() if r["rport"] != 0] == [],
                   timeout=10), "orphan went through TIME-WAIT and is gone")
    srv.close()
    net.enter("a")
    check(wait_for(lambda: sockets() == [], timeout=5), "client side gone")
finally:
    net.close()
done()
