#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Path MTU discovery (RFC 1191) through routers, kernel TCP and ktcp
alike: host 0 - router - router - host 3, the link between the routers
smaller than the hosts' own.  Full-size segments do not fit; the router
answers "fragmentation needed", and the sender must shrink its MSS, cut
what it had queued and resend it at once.  Every case runs over kernel
TCP and ktcp in the same guest and must end the same way:

- a 1280-byte middle link: data each way arrives intact, and IP_MTU
  reads the path's MTU on both ends;
- IP_MTU_DISCOVER DO, WANT, PROBE and DONT (PROBE and DONT send without
  the DF bit: the router fragments, the route keeps its MTU);
- a 1492-byte middle link whose router cuts GSO packets itself: the
  stack must measure ktcp's GSO packets with ktcp's header, not SCTP's
  12 bytes, or the too-big pieces are lost without an ICMP error;
- the first host's own link lowered to 1200 bytes in mid-transfer."""
# kernels: debug 6.1 6.12 7
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check, check_eq, done, exchange, tcp_info  # noqa: E402
from ktcpnet import PROTOS, Chain, sock, stats  # noqa: E402

IP_MTU_DISCOVER, IP_MTU = 10, 14
MODES = {"DONT": 0, "WANT": 1, "DO": 2, "PROBE": 3}
DEBUG = os.environ.get("KTCP_KERNEL") == "debug"
BIG = 4 << 20
SMALL = (256 << 10) if DEBUG else (1 << 20)
LIMIT = 60              # seconds a transfer may take
PORT = 6600


def connect(chain, proto, port, mode=None):
    """Client in host 0, connection accepted in host 3."""
    chain.enter(3)
    lst = sock(proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mode is not None:
        lst.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, mode)
    lst.bind(("0.0.0.0", port))
    lst.listen(1)
    chain.enter(0)
    c = sock(proto)
    if mode is not None:
        c.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, mode)
    c.settimeout(10)
    c.connect((chain.addr(3), port))
    chain.enter(None)
    s, _ = lst.accept()
    lst.close()
    return c, s


def stalled(chain, c, s):
    """Show what a transfer that takes too long is waiting for."""
    for name, x in (("client", c), ("server", s)):
        ti = tcp_info(x)
        print(f"# {name}: IP_MTU {x.getsockopt(socket.IPPROTO_IP, IP_MTU)} "
              + " ".join(f"{k} {ti[k]}" for k in (
                  "state", "snd_mss", "pmtu", "rto", "backoff", "unacked",
                  "total_retrans", "bytes_acked", "bytes_received",
                  "snd_wnd")), flush=True)
    for node, peer in ((0, 3), (3, 0)):
        route = chain.run(node, "ip", "route", "get", chain.addr(peer),
                          capture_output=True, text=True).stdout
        print(f"# node {node}: {' '.join(route.split())}", flush=True)
    for node in range(4):
        text = chain.run(node, "cat", "/proc/net/snmp", "/proc/net/ktcp_stat",
                         capture_output=True, text=True).stdout.splitlines()
        icmp = [line.split()[1:] for line in text if line.startswith("Icmp:")]
        counts = list(zip(*icmp)) + [line.split() for line in text
                                     if ":" not in line]
        print(f"# node {node}: " + " ".join(f"{k} {v}" for k, v in counts
                                            if v != "0"), flush=True)


def transfer(chain, proto, port, size, mode=None, during=None):
    """@size bytes each way at once; returns (intact, seconds, client's
    IP_MTU, server's IP_MTU)."""
    c, s = connect(chain, proto, port, mode)
    t0 = time.time()
    if during:
        threading.Timer(0.3, during).start()
    watch = threading.Timer(LIMIT / 2, stalled, (chain, c, s))
    watch.start()
    ab, ba, want_ab, want_ba = exchange(c, s, size, timeout=LIMIT)
    watch.cancel()
    dt = time.time() - t0
    mtus = [x.getsockopt(socket.IPPROTO_IP, IP_MTU) for x in (c, s)]
    c.close()
    s.close()
    return ab == want_ab and ba == want_ba, round(dt, 2), mtus[0], mtus[1]


def case(chain, what, mid, size, mode=None, offload_off=False,
         during=None, want_mtu=None, reduced=2, mtus=2):
    """One case over kernel TCP and ktcp on @chain, its middle link set to
    @mid bytes; both must deliver every byte within LIMIT and agree on
    the MTUs learnt (the first @mtus of client's and server's); ICMP
    must have lowered @reduced ktcp ends' MSS."""
    global PORT
    seen = {}
    onoff = "off" if offload_off else "on"
    for name, proto in PROTOS:
        PORT += 1
        chain.mtu(0, 1, 1500)
        chain.mtu(1, 2, mid)
        for node in range(4):   # forget what earlier runs taught the routes
            chain.forget_routes(node)
        # the first router cuts GSO packets itself, as for a NIC
        chain.run(1, "ethtool", "-K", chain.dev(1, 2), "tx-sctp-segmentation",
                  onoff, "tx-tcp-segmentation", onoff, check=True,
                  stdout=subprocess.DEVNULL)
        st0 = [stats(chain, n) for n in (0, 3)]
        ok, dt, cmtu, smtu = transfer(chain, proto, PORT, size, mode,
                                      during and (lambda: during(chain)))
        st1 = [stats(chain, n) for n in (0, 3)]
        print(f"     {what}, {name}: {dt} s, IP_MTU {cmtu}/{smtu}")
        check(ok and dt < LIMIT, f"{what}, {name}: {size >> 10} KiB each "
              f"way intact within {LIMIT} s ({dt} s)")
        if name == "ktcp" and reduced:
            red = sum(b.get("PathMtuReduced", 0) - a.get("PathMtuReduced", 0)
                      for a, b in zip(st0, st1))
            check(red >= reduced, f"{what}: ICMP lowered the MSS of "
                  f"{reduced} ktcp end(s) ({red} times)")
        seen[name] = (ok, cmtu, smtu)[:1 + mtus]
    check_eq(seen["ktcp"], seen["tcp"], f"{what}: ktcp ends as kernel TCP")
    if want_mtu:
        check_eq(seen["ktcp"][1:], (want_mtu,) * (len(seen["ktcp"]) - 1),
                 f"{what}: IP_MTU reads {want_mtu}")


chain = Chain(4)
try:
    case(chain, "1280-byte path", 1280, BIG, want_mtu=1280)
    # PROBE and DONT send without DF: the router fragments, no ICMP comes
    for mode, value in MODES.items():
        df = mode in ("WANT", "DO")
        case(chain, f"IP_PMTUDISC_{mode}", 1280, SMALL, mode=value,
             want_mtu=1280 if df else 1500, reduced=2 if df else 0)
    case(chain, "1492-byte path, GSO cut by the router", 1492, SMALL,
         offload_off=True, want_mtu=1492)
    # What IP_MTU reads after the change is a race, kernel TCP's as
    # ktcp's: the link's 1200 if the socket looked its route up again
    # after the change, else the 1280 it learnt before (seen both ways on
    # 6.1 and 7).  Only delivery is compared.
    case(chain, "own link lowered to 1200 in mid-transfer", 1280, BIG,
         during=lambda chain: chain.mtu(0, 1, 1200), reduced=0, mtus=0)
finally:
    chain.close()
done()
