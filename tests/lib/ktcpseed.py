# SPDX-License-Identifier: GPL-2.0
"""The seed tutorial's connection, one step at a time, for ladder diagrams.

Client sends 1000 bytes, server 2000; the client half-closes, the server
sends 50 more and closes.  Each step waits until the previous one has
settled and the delayed-ACK timer has fired, so the segments on the wire
are the same on every run and every kernel: a diagram of them can be
compared with an expected one.
"""
import socket
import time

from ktcptest import check_eq, listener, recv_all, recv_exact, sock, \
    states_on, wait_for

SETTLE = 0.3	# well over the 40 ms delayed ACK, even on the debug kernel


def seed_connection(cport, sport, step=None):
    """Run the connection; step(name), if given, is called once each step
    has settled: "established", "client-data", "server-data", "half-close",
    "last-data", "closed".  Returns the client socket, in TIME-WAIT."""
    def settle(name=None):
        time.sleep(SETTLE)
        if step and name:
            step(name)

    srv = listener(sport)
    c = sock()
    c.bind(("127.0.0.1", cport))
    c.connect(("127.0.0.1", sport))
    s, _ = srv.accept()
    settle("established")
    c.sendall(b"c" * 1000)
    check_eq(recv_exact(s, 1000), b"c" * 1000, "server got 1000 bytes")
    settle("client-data")
    s.sendall(b"s" * 2000)
    check_eq(recv_exact(c, 2000), b"s" * 2000, "client got 2000 bytes")
    settle("server-data")
    c.shutdown(socket.SHUT_WR)
    check_eq(s.recv(100), b"", "server sees the client's FIN")
    wait_for(lambda: states_on(cport) == ["CLOSE_WAIT", "FIN_WAIT2"])
    settle("half-close")
    s.sendall(b"t" * 50)
    check_eq(recv_exact(c, 50), b"t" * 50, "client got 50 bytes")
    settle("last-data")
    s.close()
    check_eq(recv_all(c), b"", "client sees the server's FIN")
    wait_for(lambda: states_on(cport) == ["TIME_WAIT"])
    settle("closed")
    srv.close()
    return c
