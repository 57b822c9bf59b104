#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel's drop monitors (the skb:kfree_skb event that dropwatch,
perf and drop_monitor read) see ktcp's real drops and nothing else: a
clean connection, with data both ways and its teardown, frees every skb
it consumed (ACKs, data read, segments copied) with consume_skb(), and a
segment ktcp drops still shows, with the reason kernel TCP gives for the
same fault: a bad checksum is TCP_CSUM for both."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, build, RST  # noqa: E402

EVENT = "events/skb/kfree_skb"
# What a spurious loss probe or RTO would add: a duplicate is a real drop.
NOISE = ("RetransSegs", "LossProbes", "RetransTimeouts")


def module_range():
    """[start, end) of ktcp's memory, from /proc/modules."""
    with open("/proc/modules") as f:
        for line in f:
            p = line.split()
            if p[0] == "ktcp":
                start = int(p[5], 16)
                return start, start + int(p[1])
    raise RuntimeError("ktcp is not loaded")


def ktcp_frees():
    """kfree_skb events at ktcp's call sites since the trace was cleared."""
    with open(f"{TRACEFS}/trace") as f:
        return [l.strip() for l in f if "kfree_skb:" in l]


def clean_connection(port):
    """1 MiB each way and a close; True if nothing was lost or resent."""
    before = stats()
    srv, c, s = pair(port)
    ab, ba, dab, dba = exchange(c, s, 1 << 20)
    check(ab == dab and ba == dba, "1 MiB each way intact")
    for x in (c, s, srv):
        x.close()
    check(wait_for(lambda: set(states_on(port)) <= {"TIME_WAIT"}),
          "the connection is torn down")
    after = stats()
    moved = {k: after[k] - before[k] for k in after
             if after[k] != before[k] and (k in NOISE or k.startswith("Drop"))}
    return not moved, moved


start, end = module_range()
check(start > 0, f"ktcp's address is readable ({start:#x})")
check(os.path.isdir(f"{TRACEFS}/{EVENT}"), "skb:kfree_skb exists in tracefs")
tracefs(f"{EVENT}/filter", f"location >= {start:#x} && location < {end:#x}")
frees, moved = None, None
try:
    # A loss probe can fire spuriously on a loaded host: its duplicate is
    # a real drop.  Take the first run that had none.
    for attempt in range(3):
        tracefs("trace", "")
        tracefs(f"{EVENT}/enable", "1")
        clean, moved = clean_connection(7710 + attempt)
        tracefs(f"{EVENT}/enable", "0")
        if clean:
            frees = ktcp_frees()
            break
    if check(frees is not None, f"a run with nothing lost or resent: {moved}"):
        check_eq(len(frees), 0, "a clean connection reports no drop "
                 f"({' | '.join(frees[:2])})")

    # The filter does see ktcp: a bad checksum is one drop.
    tracefs("trace", "")
    tracefs(f"{EVENT}/enable", "1")
    Raw().send(build("127.0.0.1", "127.0.0.1", 41779, 7719, 1, 0, RST,
                     bad_csum=True))
    time.sleep(0.3)
    tracefs(f"{EVENT}/enable", "0")
    frees = ktcp_frees()
    check_eq(len(frees), 1, "a bad checksum is reported as a drop")
    check(any("reason: TCP_CSUM" in f for f in frees),
          f"ktcp's reason is TCP_CSUM ({' | '.join(frees[:1])})")

    # Kernel TCP, the same segment as protocol 6, all call sites watched.
    tracefs(f"{EVENT}/filter", "0")
    tracefs("trace", "")
    tracefs(f"{EVENT}/enable", "1")
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_TCP) as r:
        r.sendto(build("127.0.0.1", "127.0.0.1", 41779, 7719, 1, 0, RST,
                       bad_csum=True, proto=socket.IPPROTO_TCP),
                 ("127.0.0.1", 0))
    time.sleep(0.3)
    tracefs(f"{EVENT}/enable", "0")
    with open(f"{TRACEFS}/trace") as f:
        tcp = [l.strip() for l in f if "kfree_skb:" in l]
    check(any("reason: TCP_CSUM" in f for f in tcp),
          f"kernel TCP's reason for the same segment is TCP_CSUM "
          f"({len(tcp)} drops)")
finally:
    tracefs(f"{EVENT}/enable", "0")
    tracefs(f"{EVENT}/filter", "0")
done()
