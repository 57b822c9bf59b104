#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP errors from a router (RFC 1122 4.2.3.9, RFC 5927), kernel TCP and
ktcp alike: host 0 - router - host 2, the router's route to host 2 turned
"unreachable", so that it answers with ICMP host unreachable.

- connect() to host 2: the error ends the opening connection at once,
  EHOSTUNREACH, long before the SYN retries would;
- an established connection whose path breaks keeps retransmitting (the
  error is soft), and when it times out the error it reports is the one
  the path gave, EHOSTUNREACH rather than ETIMEDOUT."""
import errno
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check, check_eq, done  # noqa: E402
from ktcpnet import PROTOS, Chain, sock  # noqa: E402

PORT = 7100
RETRIES = 3


def unreachable(chain):
    chain.ip(1, "route", "add", "unreachable", f"{chain.addr(2)}/32")


def connect_refused(proto):
    chain = Chain(3)
    try:
        unreachable(chain)
        chain.enter(0)
        c = sock(proto)
        c.settimeout(20)
        t0 = time.time()
        try:
            c.connect((chain.addr(2), PORT))
            err = "connected"
        except OSError as e:
            err = errno.errorcode.get(e.errno, str(e))
        dt = round(time.time() - t0, 2)
        c.close()
    finally:
        chain.close()
    return err, dt


def broken_path(proto):
    chain = Chain(3)
    try:
        chain.sysctl(0, "net.ipv4.tcp_retries2", RETRIES)
        chain.sysctl(0, "net.ktcp.data_retries", RETRIES)
        chain.enter(2)
        lst = sock(proto)
        lst.bind(("0.0.0.0", PORT))
        lst.listen(1)
        chain.enter(0)
        c = sock(proto)
        c.settimeout(10)
        c.connect((chain.addr(2), PORT))
        chain.enter(None)
        s, _ = lst.accept()
        c.sendall(b"before")
        s.recv(10)
        unreachable(chain)
        c.sendall(b"after")
        c.settimeout(60)
        t0 = time.time()
        try:
            c.recv(10)
            err = "no error"
        except OSError as e:
            err = errno.errorcode.get(e.errno, str(e))
        dt = round(time.time() - t0, 1)
        for x in (c, s, lst):
            x.close()
    finally:
        chain.close()
    return err, dt


seen = {}
for name, proto in PROTOS:
    err, dt = connect_refused(proto)
    print(f"     connect() across an unreachable route, {name}: {err} "
          f"after {dt} s")
    check(err == "EHOSTUNREACH" and dt < 5, f"{name}: ICMP host unreachable "
          f"ends connect() at once ({err}, {dt} s)")
    seen[name] = err
check_eq(seen["ktcp"], seen["tcp"], "connect(): ktcp as kernel TCP")

seen = {}
for name, proto in PROTOS:
    err, dt = broken_path(proto)
    print(f"     established, path broken, {RETRIES} retries, {name}: "
          f"{err} after {dt} s")
    seen[name] = err
check_eq(seen["ktcp"], "EHOSTUNREACH",
         "ktcp: the timeout reports the path's error")
check_eq(seen["ktcp"], seen["tcp"], "broken path: ktcp as kernel TCP")
done()
