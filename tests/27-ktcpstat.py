#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tools/ktcpstat shows every user's ktcp sockets with their info.

It runs as nobody, so the per-socket numbers can only come from
/proc/net/ktcp_info: they must equal what TCP_INFO says to the owner,
bytes exactly, and the queues must show data nobody has read yet.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

STAT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "tools", "ktcpstat")
PORT = 7727
TCP_CONGESTION = 13


def ktcpstat(*args):
    r = subprocess.run([STAT, *args], capture_output=True, text=True,
                       preexec_fn=lambda: (os.setgid(65534), os.setuid(65534)))
    check_eq(r.returncode, 0, f"ktcpstat {' '.join(args)} as nobody exits 0")
    if r.stderr:
        print(r.stderr)
    return r.stdout


def rows(*args):
    return [json.loads(line) for line in ktcpstat("-j", *args).splitlines()]


srv, c, s = pair(PORT)
C = f"127.0.0.1:{c.getsockname()[1]}"
S = f"127.0.0.1:{PORT}"
c.sendall(b"a" * 1000)
recv_exact(s, 1000)
s.sendall(b"b" * 3000)
recv_exact(c, 3000)
c.sendall(b"q" * 500)           # left unread in the server's queue
s.setsockopt(socket.IPPROTO_TCP, TCP_CONGESTION, b"reno")
time.sleep(0.3)

info = {(r["local"], r["remote"]): r for r in rows("-a", "-p", str(PORT))}
check_eq(sorted((r["local"], r["remote"], r["state"]) for r in info.values()),
         sorted([(S, "0.0.0.0:0", "LISTEN"), (C, S, "ESTABLISHED"),
                 (S, C, "ESTABLISHED")]), "listener, client and server")
srow, crow = info.get((S, C)), info.get((C, S))
if not (srow and crow):
    done()
check_eq((crow["bytes_sent"], crow["bytes_acked"], crow["bytes_received"]),
         (1500, 1500, 3000), "client bytes sent/acked/received")
check_eq((srow["bytes_sent"], srow["bytes_acked"], srow["bytes_received"]),
         (3000, 3000, 1500), "server bytes sent/acked/received")
check_eq((srow["rx_queue"], srow["tx_queue"]), (500, 0),
         "server Recv-Q holds the 500 unread bytes")
check_eq((crow["rx_queue"], crow["tx_queue"]), (0, 0), "client queues empty")
check_eq(crow["uid"], 0, "owner uid is root's, though nobody reads it")
check_eq((crow["cc"], srow["cc"]), ("cubic", "reno"),
         "congestion control: the default, and the one TCP_CONGESTION set")
for name, sk, row in (("client", c, crow), ("server", s, srow)):
    ti = tcp_info(sk)
    check_eq((row["mss"], row["cwnd"] // row["mss"], row["rto_ms"],
              row["total_retrans"], row["bytes_acked"],
              row["bytes_received"]),
             (ti["snd_mss"], ti["snd_cwnd"], ti["rto"] // 1000,
              ti["total_retrans"], ti["bytes_acked"], ti["bytes_received"]),
             f"{name}: ktcp_info agrees with TCP_INFO")
    check(row["rtt_us"] == ti["rtt"] and row["rtt_us"] > 0,
          f"{name}: rtt {row['rtt_us']} us measured, as TCP_INFO")
    check(row["segs_out"] > 0 and row["segs_in"] > 0, f"{name}: segments")

# The ss-like text: header, one ESTAB line per end, info lines under them.
text = ktcpstat("-i", "-p", str(PORT))
print(text)
lines = text.splitlines()
check(lines[0].split()[:3] == ["State", "Recv-Q", "Send-Q"], "header line")
est = [l.split() for l in lines if l.startswith("ESTAB")]
check_eq(sorted(est), sorted([["ESTAB", "0", "0", C, S],
                              ["ESTAB", "500", "0", S, C]]), "ESTAB lines")
check(not any(l.startswith("LISTEN") for l in lines),
      "listener hidden without -a")
infos = [l for l in lines if l.startswith("\t")]
check_eq(len(infos), 2, "one info line per connection")
check(any("bytes_sent:1500 bytes_acked:1500 bytes_received:3000" in l
          for l in infos), "client info line has its byte counts")
check_eq(sorted(l.split()[0] for l in infos), ["cubic", "reno"],
         "info lines start with the congestion control, as in ss")
check(all("rto:" in l and "rtt:" in l and "cwnd:" in l and "retrans:0/0" in l
          for l in infos), "info lines: rto, rtt, cwnd, retrans")
check_eq([l.split()[0] for l in ktcpstat("-l", "-p", str(PORT)).splitlines()
          [1:]], ["LISTEN"], "-l lists only the listener")

c.close()
recv_all(s)
s.close()
srv.close()
wait_for(lambda: states_on(PORT) == ["TIME_WAIT"])
tw = rows("-s", "TIME-WAIT", "-p", str(PORT))
check_eq([(r["local"], r["remote"]) for r in tw], [(C, S)],
         "the client's TIME-WAIT socket")
done()
