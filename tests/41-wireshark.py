#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The wire format decodes as TCP: tshark -d ip.proto==253,tcp reads a
capture of a transfer with no protocol errors and no tcp.analysis
complaints (retransmissions, lost or out-of-order segments, duplicate
ACKs) on a clean link.  The wire format is the same on every kernel, so
one runs it."""
# kernels: 6.12
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

cap = Capture("lo")
srv, c, s = pair(7950)
ab, ba, dab, dba = exchange(c, s, 4 << 20)
check(ab == dab and ba == dba, "4 MiB each way intact")
c.close()
s.close()
srv.close()
cap.stop()


def tshark(*args):
    return subprocess.run(["tshark", "-r", cap.path, "-d",
                           f"ip.proto=={PROTO},tcp"] + list(args),
                          capture_output=True, text=True, check=True).stdout


total = len(tshark("-Y", "tcp").splitlines())
check(total > 100, f"tshark decodes {total} segments as TCP")
check_eq(tshark("-Y", "_ws.malformed || _ws.expert.severity >= error"), "",
         "no malformed packets or expert errors")
bad = ("tcp.analysis.retransmission || tcp.analysis.fast_retransmission || "
       "tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order || "
       "tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment || "
       "tcp.analysis.duplicate_ack || tcp.analysis.reused_ports")
found = tshark("-Y", bad, "-T", "fields", "-e", "frame.number", "-e",
               "tcp.analysis.flags", "-e", "_ws.expert.message")
check_eq(found, "", "no tcp.analysis errors on a clean link")
streams = set(tshark("-T", "fields", "-e", "tcp.stream").split())
check_eq(streams, {"0"}, "one TCP stream")
done()
