#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# netns: init (module parameters are the initial namespace's net.ktcp)
"""net.ktcp sysctls: trace, tw_timeout_ms, syn_retries, rto_max_ms and
congestion_control.

In the initial namespace the first four are the module parameters; a
new namespace starts with copies and then has its own.  Each is written
through /proc/sys and its effect observed: dmesg lines, a TIME-WAIT that
ends early, a connect() that gives up after one SYN retransmission, an
RTO that backs off no further than rto_max_ms, the algorithm new sockets
get (TCP_CONGESTION).
"""
import errno
import os
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

SYS = "/proc/sys/net/ktcp"
PRINTK = "/proc/sys/kernel/printk"
NAMES = ("trace", "tw_timeout_ms", "syn_retries", "rto_max_ms",
         "data_retries")
TCP_CONGESTION = 13


def cc(s):
    name = s.getsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, 16)
    return name.rstrip(b"\0").decode()


def sysctl(name, value=None):
    if value is not None:
        with open(f"{SYS}/{name}", "w") as f:
            f.write(str(value))
    with open(f"{SYS}/{name}") as f:
        return f.read().strip()


def dmesg_all():
    out = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
    return out.splitlines()


def marked(begin, end):
    """dmesg lines between two marks written to /dev/kmsg (line numbers
    would not do: the ring buffer is full of earlier tests' lines)."""
    lines = dmesg_all()
    i = max(n for n, l in enumerate(lines) if begin in l)
    j = max(n for n, l in enumerate(lines) if end in l)
    return lines[i + 1:j]


def mark(text):
    with open("/dev/kmsg", "w") as f:
        f.write(f"28-sysctl: {text}\n")


def dmesg_lines(port):
    return [l for l in dmesg_all() if f">127.0.0.1:{port} " in l]


saved = {n: param(n) for n in NAMES}
with open(PRINTK) as f:
    printk = f.read().split()[0]
for n in NAMES:
    check_eq(sysctl(n), saved[n], f"net.ktcp.{n} is the module parameter")
try:
    # trace: one value under two names; out of range is refused.
    sysctl("trace", 1)
    check_eq(param("trace"), "1", "sysctl write shows in the parameter")
    try:
        sysctl("trace", 3)
        check(False, "trace=3 refused")
    except OSError as e:
        check_eq(e.errno, errno.EINVAL, "trace=3 refused with EINVAL")
    check_eq(sysctl("trace"), "1", "trace unchanged by the refused write")
    srv, c, s = pair(7828)
    wait_for(lambda: len(dmesg_lines(7828)) >= 2)
    c.sendall(b"data")
    check_eq(recv_exact(s, 4), b"data", "data under trace=1")
    check(any("CLOSED>SYN-SENT" in l for l in dmesg_lines(7828)),
          "trace=1 via sysctl: dmesg shows the client's CLOSED>SYN-SENT")
    for x in (c, s, srv):
        x.close()
    check_eq([l for l in dmesg_lines(7828) if "[" in l.split("ktcp:")[1]],
             [], "trace=1: states only, no segment lines")

    # trace=2 prints every segment, at most 200 lines a second: send
    # one-byte segments until the lines asked for outrun the limit.  The
    # lines skip the serial console meanwhile: printing them there is
    # what slows the sender most, on the debug kernel to near the limit.
    with open(PRINTK, "w") as f:
        f.write("1")
    sysctl("trace", 2)
    srv, c, s = pair(7827)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    got = []
    reader = threading.Thread(target=lambda: got.append(len(recv_all(s))))
    reader.start()

    def segments():
        st = stats()
        return st["InSegs"] + st["OutSegs"]

    mark("rate-begin")
    seg0 = segments()
    t0 = time.time()
    sends = asked = allowed = 0
    while time.time() - t0 < 30 and asked <= allowed:
        for _ in range(50):
            c.send(b"r")
        sends += 50
        asked = segments() - seg0          # a line each, in and out
        allowed = 200 * (int(time.time() - t0) + 2)
    mark("rate-end")
    elapsed = time.time() - t0
    bound = 200 * (int(elapsed) + 2)
    burst = marked("28-sysctl: rate-begin", "28-sysctl: rate-end")
    printed = len([l for l in burst if " ktcp: " in l])
    check(asked > allowed, f"{asked} segments in {elapsed:.1f} s")
    check(100 <= printed <= bound, f"{printed} dmesg lines for them: at "
          f"most {bound}, 200 a second")
    c.shutdown(socket.SHUT_WR)
    reader.join()
    check_eq(got, [sends], "all the bytes arrive")
    time.sleep(1.1)         # a line in a new second reports the rest
    for x in (c, s, srv):
        x.close()
    mark("rate-closed")
    check(any("callbacks suppressed" in l for l in
              marked("28-sysctl: rate-begin", "28-sysctl: rate-closed")),
          "dmesg says lines were suppressed")
    sysctl("trace", 1)
    sysctl("trace", 0)
    srv, c, s = pair(7829)
    for x in (c, s, srv):
        x.close()
    check_eq(dmesg_lines(7829), [], "trace=0 via sysctl: no dmesg lines")

    # tw_timeout_ms: a 300 ms TIME-WAIT ends long before the default.
    sysctl("tw_timeout_ms", 300)
    check_eq(param("tw_timeout_ms"), "300", "tw_timeout_ms is the parameter")
    srv, c, s = pair(7830)
    c.close()
    recv_all(s)
    s.close()
    srv.close()
    wait_for(lambda: states_on(7830) == ["TIME_WAIT"], timeout=5)
    check_eq(states_on(7830), ["TIME_WAIT"], "client in TIME-WAIT")
    wait_for(lambda: states_on(7830) == [], timeout=10)
    check_eq(states_on(7830), [], "TIME-WAIT over after tw_timeout_ms=300")

    # congestion_control: what new sockets start with; no module parameter.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
        tcp_default = cc(t)
    check_eq((sysctl("congestion_control"), cc(sock())),
             ("cubic", tcp_default),
             "congestion_control is cubic, as a new kernel TCP socket's")
    old = sock()
    sysctl("congestion_control", "reno")
    check_eq(sysctl("congestion_control"), "reno", "congestion_control=reno")
    try:
        sysctl("congestion_control", "no-such-cc")
        check(False, "an unknown algorithm is refused")
    except OSError as e:
        check_eq(e.errno, errno.ENOENT, "unknown algorithm refused with ENOENT")
    check_eq(sysctl("congestion_control"), "reno", "unchanged by the refusal")
    check_eq(cc(old), "cubic", "an existing socket keeps its algorithm")
    srv, c, s = pair(7832)
    check_eq([cc(x) for x in (srv, c, s)], ["reno"] * 3,
             "new sockets and the accepted one use reno")
    c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, b"cubic")
    check_eq(cc(c), "cubic", "TCP_CONGESTION still overrides the default")
    try:
        c.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, b"no-such-cc")
        check(False, "TCP_CONGESTION with an unknown name fails")
    except OSError as e:
        check_eq(e.errno, errno.ENOENT, "TCP_CONGESTION unknown name: ENOENT")
    check_eq(cc(c), "cubic", "and the socket keeps its algorithm")
    for x in (c, s, srv, old):
        x.close()
finally:
    with open(PRINTK, "w") as f:
        f.write(printk)
    for n in NAMES:
        sysctl(n, saved[n])
    sysctl("congestion_control", "cubic")

# Per namespace: a new namespace copies the values, then has its own.
net = Netns()
try:
    net.enter("a")
    for n in NAMES:
        check_eq(sysctl(n), saved[n], f"new namespace starts with {n}")
    check_eq(sysctl("congestion_control"), "cubic",
             "new namespace starts with init_net's congestion_control")
    sysctl("congestion_control", "reno")
    check_eq(cc(sock()), "reno", "the namespace's sockets use its choice")
    net.enter(None)
    check_eq(sysctl("congestion_control"), "cubic",
             "init_net's congestion_control unchanged")
    check_eq(cc(sock()), "cubic", "init_net's sockets keep cubic")
    net.enter("a")
    sysctl("syn_retries", 1)
    net.enter(None)
    check_eq(sysctl("syn_retries"), saved["syn_retries"],
             "init_net's syn_retries unchanged")
    check_eq(param("syn_retries"), saved["syn_retries"],
             "module parameter unchanged")
    net.enter("a")
    check_eq(sysctl("syn_retries"), "1", "namespace keeps its own value")

    # sack and gso read 0 or 1, the module parameters N or Y.
    for n in ("sack", "gso"):
        check_eq(sysctl(n), "1", f"new namespace starts with {n} on")
        try:
            sysctl(n, 2)
            check(False, f"{n}=2 refused")
        except OSError as e:
            check_eq(e.errno, errno.EINVAL, f"{n}=2: EINVAL")
        sysctl(n, 0)
    sacks = []
    for on in (0, 1):
        sysctl("sack", on)
        srv, c, s = pair(7835 + on)
        sacks.append(tcp_info(c)["options"] & 2)
        for x in (c, s, srv):
            x.close()
    check_eq(sacks, [0, 2], "sack=0: no SACK; sack=1: SACK (tcpi_options)")
    net.enter(None)
    check_eq((sysctl("sack"), param("sack"), sysctl("gso"), param("gso")),
             ("1", "Y", "1", "Y"), "init_net's sack and gso unchanged")
    sysctl("gso", 0)
    check_eq(param("gso"), "N", "gso=0 in init_net is the parameter's N")
    sysctl("gso", 1)
    net.enter("a")
    # A full listener (backlog 0, one connection waiting) drops SYNs.
    srv = listener(7831, backlog=0)
    first = sock()
    first.connect(("127.0.0.1", 7831))
    st = stats()
    c = sock()
    try:
        c.connect(("127.0.0.1", 7831))
        check(False, "connect to a full listener times out")
    except OSError as e:
        check_eq(e.errno, errno.ETIMEDOUT, "connect: ETIMEDOUT")
    st2 = stats()
    check_eq(st2["RetransSegs"] - st["RetransSegs"], 1,
             "syn_retries=1 in the namespace: one SYN retransmission")
    check_eq(st2["AttemptFails"] - st["AttemptFails"], 1, "AttemptFails +1")
    for x in (c, first, srv):
        x.close()

    # rto_max_ms: bounds checked, then the ceiling of the backoff.  With
    # everything on lo lost, the RTO goes 200, 400, 800 ms and then stays
    # at 1000 where it would reach 1600 and 3200.
    for bad in (999, 120001):
        try:
            sysctl("rto_max_ms", bad)
            check(False, f"rto_max_ms={bad} refused")
        except OSError as e:
            check_eq(e.errno, errno.EINVAL, f"rto_max_ms={bad}: EINVAL")
    check_eq(sysctl("rto_max_ms"), saved["rto_max_ms"],
             "rto_max_ms unchanged by refused writes")
    sysctl("rto_max_ms", 1000)
    srv, c, s = pair(7832)
    net.tc("a", "qdisc", "add", "dev", "lo", "root", "netem", "loss", "100%")
    c.send(b"r" * 1000)

    def backoff_rto():
        raw = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        return raw[4], struct.unpack_from("=I", raw, 8)[0]

    check(wait_for(lambda: backoff_rto()[0] >= 4, timeout=10),
          "four timeouts in a row")
    check_eq(backoff_rto()[1], 1000000,
             "rto_max_ms=1000: tcpi_rto stays at 1 s")
    net.tc("a", "qdisc", "del", "dev", "lo", "root")
    check_eq(recv_exact(s, 1000), b"r" * 1000, "delivered once lo works")
    for x in (c, s, srv):
        x.close()
    net.enter(None)
    check_eq(sysctl("rto_max_ms"), saved["rto_max_ms"],
             "init_net's rto_max_ms unchanged")
finally:
    net.close()
done()
