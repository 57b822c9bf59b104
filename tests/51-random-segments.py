#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Random mutated segments (fuzz/segstorm.c) at once against a listener
and both ends of an established and of a half-closed connection: bit
flips, truncation, random flags, options and data offsets, mostly with
valid checksums.  They play a blind attacker, so afterwards the
connections must still carry data intact and close orderly, the listener
must still accept, and no socket may be left behind (run-tests fails the
test on any kernel splat).  The storm's random URG bits mark bytes urgent
as they would on TCP, which takes such a byte out of the stream; the
connections' ends set SO_OOBINLINE so that it stays in.

KTCP_STORM sets the number of segments; the default is 100 000 on the
stock kernels and 10 000 on the debug kernel, where KASAN, lockdep and
kmemleak make each segment ~40 times dearer (measured under TCG: 100 000
in 12 s on 6.12, 24 000 in 108-154 s on debug).  make fuzz runs a longer
storm."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STORM = os.path.join(ROOT, ".build", "fuzz", "segstorm")
P = 9200
default = 10000 if os.environ.get("KTCP_KERNEL") == "debug" else 100000
total = int(os.environ.get("KTCP_STORM", default))
seed = int(os.environ.get("KTCP_STORM_SEED", time.time()))
print(f"{total} segments, seed {seed} (KTCP_STORM_SEED reproduces)")

subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "fuzz"), "segstorm"],
               check=True)


def unhashed():
    """ktcp sockets in use that /proc/net/ktcp does not list."""
    return inuse() - len(sockets())


def live_rows():
    return sorted((r["lport"], r["rport"], r["state"]) for r in sockets()
                  if r["state"] != "TIME_WAIT")


base_unhashed = unhashed()
base_rows = live_rows()

srv = listener(P, backlog=64)
hsrv = listener(P + 1)
raw = Raw()


def connect(lst, port, what):
    """A client and its accepted peer, data exchanged both ways; urgent
    bytes stay inline."""
    c = sock()
    c.settimeout(10)
    c.connect(("127.0.0.1", port))
    s, _ = lst.accept()
    s.settimeout(10)
    for x in (c, s):
        x.setsockopt(socket.SOL_SOCKET, socket.SO_OOBINLINE, 1)
    c.sendall(b"ping")
    check_eq(recv_exact(s, 4), b"ping", f"{what}: connection up")
    s.sendall(b"pong")
    check_eq(recv_exact(c, 4), b"pong", f"{what}: both ways")
    return c, s, c.getsockname()[1]


c, s, cport = connect(srv, P, "established")
# A half-closed connection too: its client in FIN-WAIT-2, server in
# CLOSE-WAIT.
hc, hs, hport = connect(hsrv, P + 1, "half-closed")
hc.shutdown(socket.SHUT_WR)
check_eq(hs.recv(10), b"", "half-closed: EOF")
check(wait_for(lambda: states_on(hport) == ["CLOSE_WAIT", "FIN_WAIT2"]),
      "half-closed: FIN-WAIT-2 and CLOSE-WAIT")
time.sleep(0.3)             # delayed ACKs out
ends = []
for a, b in ((cport, P), (hport, P + 1)):
    a_rcv, b_rcv = raw.next_seq(b, a), raw.next_seq(a, b)
    ends += [(a, b, b_rcv, a_rcv), (b, a, a_rcv, b_rcv)]
raw.s.close()

before = stats()
t0 = time.time()
addr = "127.0.0.1"
n_end = total * 15 // 100
storms = [[STORM, "listen", str(total - 4 * n_end), str(seed), addr,
           str(cport), str(P)]]
for i, (sport, dport, rcv_nxt, snd_nxt) in enumerate(ends):
    storms.append([STORM, "conn", str(n_end), str(seed + 1 + i), addr,
                   str(sport), str(dport), str(rcv_nxt), str(snd_nxt)])
procs = [subprocess.Popen(a, stdout=subprocess.PIPE, text=True)
         for a in storms]
sent = 0
for p in procs:
    out, _ = p.communicate()
    check_eq(p.returncode, 0, f"segstorm: {out.strip()}")
    sent += int(out.split("sent=")[1].split()[0]) if "sent=" in out else 0
elapsed = time.time() - t0
after = stats()
d = {k: after[k] - before[k] for k in after if after[k] != before[k]}
print(f"{sent} segments in {elapsed:.1f} s; counter deltas: {d}")
check(sent >= total * 0.99, f"at least 99% of {total} segments sent")
seen = sum(d.get(k, 0) for k in ("InSegs", "DropShortHeader",
                                 "DropBadDataOffset", "DropBadOption",
                                 "DropBadChecksum"))
check(seen >= sent * 0.95, f"ktcp received them: {seen} of {sent}")
check(d.get("DropBadChecksum", 0) >= sent // 20, "bad checksums dropped")
check(d.get("InSegs", 0) >= sent // 2, "most reached the state machine")

# The listener's embryonic children all end (each SYN-ACK draws a RST
# from the random port it went to, or times out after 5 SYN-ACKs, 63 s).
check(wait_for(lambda: states_on(P) == ["ESTABLISHED", "ESTABLISHED",
                                        "LISTEN"], timeout=75),
      f"only the connection and the listener left: {states_on(P)[:6]}")
c.sendall(b"alive")
check_eq(recv_exact(s, 5), b"alive", "the byte stream is intact")
s.sendall(b"alive too")
check_eq(recv_exact(c, 9), b"alive too", "both ways")
ab, ba, want_ab, want_ba = exchange(c, s, 300000)
check(ab == want_ab, "300 kB client to server intact")
check(ba == want_ba, "300 kB server to client intact")
c.close()
s.close()
check(wait_for(lambda: set(states_on(P)) <= {"LISTEN", "TIME_WAIT"}),
      "orderly close")
check_eq(states_on(hport), ["CLOSE_WAIT", "FIN_WAIT2"],
         "half-closed: states unchanged")
hs.sendall(pattern(3, 100000))
hs.close()
check(recv_all(hc) == pattern(3, 100000),
      "half-closed: 100 kB from CLOSE-WAIT intact, then EOF")
hc.close()
hsrv.close()
check(wait_for(lambda: states_on(hport) in ([], ["TIME_WAIT"])),
      "half-closed: orderly close")

n = sock()
n.settimeout(10)
n.connect(("127.0.0.1", P))
a, _ = srv.accept()
n.sendall(b"new connection")
check_eq(recv_exact(a, 14), b"new connection", "the listener still accepts")
n.close()
a.close()
srv.close()
check(wait_for(lambda: live_rows() == base_rows, timeout=30),
      "sockets back to baseline (TIME-WAIT aside)")
check(wait_for(lambda: unhashed() == base_unhashed, timeout=30),
      f"no unlisted socket left: {unhashed()} vs {base_unhashed}")
done()
