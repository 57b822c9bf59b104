#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# netns: init (module parameters are the initial namespace's net.ktcp)
"""Registration: protocol number parameter, taken slot, autoload alias,
rmmod refused while sockets exist, and state/segment tracing in dmesg."""
import errno
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

KO = os.path.join(os.environ["KTCP_ROOT"], ".build", os.environ["KTCP_KERNEL"],
                  "ktcp", "ktcp.ko")


def run(*cmd):
    return subprocess.run(list(cmd), capture_output=True, text=True)


def dmesg():
    return run("dmesg").stdout


alias = run("modinfo", "-F", "alias", KO).stdout.split()
check("net-pf-2-proto-253-type-1" in alias,
      "module alias lets socket() autoload ktcp")

# Tracing: one line per state change, then one per segment.
param("tw_timeout_ms", 300)
run("dmesg", "-C")
param("trace", 1)
srv, c, s = pair(7100)
cport = c.getsockname()[1]
c.close()
recv_all(s)
s.close()
srv.close()
wait_for(lambda: states_on(cport) == ["TIME_WAIT"])
log = dmesg()
want = [
    f"ktcp: 127.0.0.1:{cport}>127.0.0.1:7100 CLOSED>SYN-SENT seq=0 ack=0",
    f"ktcp: 127.0.0.1:{cport}>127.0.0.1:7100 SYN-SENT>ESTABLISHED seq=1 ack=1",
    f"ktcp: 127.0.0.1:7100>127.0.0.1:{cport} SYN-RECEIVED>ESTABLISHED seq=1 ack=1",
    f"ktcp: 127.0.0.1:{cport}>127.0.0.1:7100 ESTABLISHED>FIN-WAIT-1 seq=1 ack=1",
    f"ktcp: 127.0.0.1:7100>127.0.0.1:{cport} ESTABLISHED>CLOSE-WAIT seq=1 ack=2",
    f"ktcp: 127.0.0.1:{cport}>127.0.0.1:7100 FIN-WAIT-1>FIN-WAIT-2 seq=2 ack=1",
    f"ktcp: 127.0.0.1:7100>127.0.0.1:{cport} CLOSE-WAIT>LAST-ACK seq=1 ack=2",
    f"ktcp: 127.0.0.1:{cport}>127.0.0.1:7100 FIN-WAIT-2>TIME-WAIT seq=2 ack=2",
    f"ktcp: 127.0.0.1:7100>127.0.0.1:{cport} LAST-ACK>CLOSED seq=2 ack=2",
]
lines = [l.split("] ", 1)[-1] for l in log.splitlines() if "ktcp: 127" in l]
for w in want:
    check(w in lines, "trace: " + w.split(" ", 2)[2])
check(not any(" out " in l or " in " in l for l in lines),
      "trace=1 logs no segments")
run("dmesg", "-C")
param("trace", 2)
srv, c, s = pair(7101)
c.close()
s.close()
srv.close()
param("trace", 0)
segs = [l for l in dmesg().splitlines() if re.search(r"ktcp: (in|out) ", l)]
check(any("[S] seq=0 ack=0" in l and " out " in l for l in segs),
      "trace=2 logs the SYN going out")
check(any("[SA] seq=0 ack=1" in l and " in " in l for l in segs),
      "trace=2 logs the SYN-ACK coming in")
check(wait_for(lambda: sockets() == []), "all connections gone")

# rmmod is refused while a socket exists, works once it is closed.
x = sock()
r = run("rmmod", "ktcp")
check(r.returncode != 0, "rmmod refused while a socket is open")
x.close()
r = run("rmmod", "ktcp")
check_eq(r.returncode, 0, "rmmod works after close " + r.stderr.strip())

# A taken protocol number is a clear error, not a crash.
r = run("insmod", KO, "proto=17")
check(r.returncode != 0, "insmod proto=17 (UDP's) fails")
check("IP protocol 17 is taken" in dmesg(), "dmesg says the slot is taken")
r = run("insmod", KO, "proto=254")
check_eq(r.returncode, 0, "insmod proto=254 works " + r.stderr.strip())
y = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 254)
y.close()
check(True, "socket(AF_INET, SOCK_STREAM, 254) works")
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
    check(False, "253 is not registered now")
except OSError as e:
    check(e.errno in (errno.EPROTONOSUPPORT, errno.ESOCKTNOSUPPORT),
          "253 unknown while ktcp uses 254")
check_eq(run("rmmod", "ktcp").returncode, 0, "rmmod again")
check_eq(run("insmod", KO).returncode, 0, "insmod with the default again")
socket.socket(socket.AF_INET, socket.SOCK_STREAM, PROTO).close()
done()
