#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TIME-WAIT: its length, port reuse, FIN retransmission, RFC 1337."""
import errno
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, build, ACK, FIN, RST  # noqa: E402

check_eq(sysctl("net.ktcp.tw_timeout_ms"), "60000",
         "TIME-WAIT defaults to 2*MSL = 60 s")
sysctl("net.ktcp.tw_timeout_ms", 2000)
raw = Raw()

srv, c, s = pair(6200)
cport = c.getsockname()[1]
c.close()                                   # active close: client waits
check_eq(recv_all(s), b"", "server sees EOF")
s.close()
t0 = time.time()
wait_for(lambda: states_on(cport) == ["TIME_WAIT"])
check_eq(states_on(cport), ["TIME_WAIT"], "active closer in TIME-WAIT")

# The port is held: a plain bind fails, SO_REUSEADDR may take it.
b = sock()
try:
    b.bind(("127.0.0.1", cport))
    check(False, "bind over TIME-WAIT without SO_REUSEADDR fails")
except OSError as e:
    check_eq(e.errno, errno.EADDRINUSE, "bind without SO_REUSEADDR: EADDRINUSE")
b.close()
b = sock()
b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
b.bind(("127.0.0.1", cport))
check(True, "bind with SO_REUSEADDR over TIME-WAIT works")
b.close()

# RFC 1337: a RST must not end TIME-WAIT.
time.sleep(0.1)
rcv_nxt = raw.next_seq(6200, cport)
raw.send(build("127.0.0.1", "127.0.0.1", 6200, cport, rcv_nxt, 0, RST))
raw.poll(0.2)
check_eq(states_on(cport), ["TIME_WAIT"], "RST in TIME-WAIT is ignored")

# A retransmitted FIN is acknowledged and restarts the 2MSL timer.
time.sleep(1.0)
fin_seq = (rcv_nxt - 1) & 0xffffffff
snd_nxt = raw.next_seq(cport, 6200)
raw.send(build("127.0.0.1", "127.0.0.1", 6200, cport, fin_seq, snd_nxt,
               FIN | ACK))
t_fin = time.time()
got = raw.poll(0.3)
check(any(p["sport"] == cport and p["flags"] == ACK and p["ack"] == rcv_nxt
          for p in got), "retransmitted FIN is acknowledged")
wait_for(lambda: states_on(cport) == [], timeout=10)
gone = time.time()
check_eq(states_on(cport), [], "TIME-WAIT ends")
check(1.8 <= gone - t_fin <= 3.5,
      f"2MSL restarted by the FIN: ended {gone - t_fin:.2f} s after it")
check(gone - t0 >= 2.8, f"TIME-WAIT lasted {gone - t0:.2f} s in all")

b = sock()
b.bind(("127.0.0.1", cport))
check(True, "port free again after TIME-WAIT")
b.close()
srv.close()
done()
