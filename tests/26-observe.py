#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One scripted connection, observed three ways.

The seed tutorial's connection (tests/lib/ktcpseed.py), step by step:
- the ktcp tracepoints give exactly the expected state changes and
  segments, in order, with flags, seq/ack relative to the ISNs and lengths;
- every /proc/net/ktcp_stat counter moves by exactly the expected amount
  (most by zero);
- /proc/net/ktcp shows the right states after each step, TIME-WAIT last.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpseed import seed_connection  # noqa: E402

CPORT, SPORT = 40026, 5026
C, S, ANY = f"127.0.0.1:{CPORT}", f"127.0.0.1:{SPORT}", "0.0.0.0:0"


def st(old, new, seq, ack, src=C, dst=S):
    return f"state {src}>{dst} {old}>{new} seq={seq} ack={ack}"


def seg(d, src, dst, flags, seq, ack, ln):
    return f"segment {d} {src}>{dst} [{flags}] seq={seq} ack={ack} len={ln}"


def c2s(flags, seq, ack, ln=0):
    """A segment from the client, as sent and as received."""
    return [seg("out", C, S, flags, seq, ack, ln),
            seg("in", C, S, flags, seq, ack, ln)]


def s2c(flags, seq, ack, ln=0):
    return [seg("out", S, C, flags, seq, ack, ln),
            seg("in", S, C, flags, seq, ack, ln)]


# RFC 9293 on the seed scenario; the listener's SYN is traced before the
# connection has an ISN to subtract (seq is raw: checked separately).
WANT = [
    st("CLOSED", "LISTEN", 0, 0, S, ANY),
    st("CLOSED", "SYN-SENT", 0, 0),
    seg("out", C, S, "SYN", 0, 0, 0),
    seg("in", C, S, "SYN", "ISN", 0, 0),
    st("LISTEN", "SYN-RECEIVED", 0, 1, S, C),
    *s2c("SYN|ACK", 0, 1),
    st("SYN-SENT", "ESTABLISHED", 1, 1),
    *c2s("ACK", 1, 1),
    st("SYN-RECEIVED", "ESTABLISHED", 1, 1, S, C),
    *c2s("PSH|ACK", 1, 1, 1000),
    *s2c("ACK", 1, 1001),                       # delayed ACK
    *s2c("PSH|ACK", 1, 1001, 2000),
    *c2s("ACK", 1001, 2001),
    st("ESTABLISHED", "FIN-WAIT-1", 1001, 2001),
    *c2s("FIN|ACK", 1001, 2001),
    st("ESTABLISHED", "CLOSE-WAIT", 2001, 1002, S, C),
    *s2c("ACK", 2001, 1002),
    st("FIN-WAIT-1", "FIN-WAIT-2", 1002, 2001),
    *s2c("PSH|ACK", 2001, 1002, 50),
    *c2s("ACK", 1002, 2051),
    st("CLOSE-WAIT", "LAST-ACK", 2051, 1002, S, C),
    *s2c("FIN|ACK", 2051, 1002),
    st("FIN-WAIT-2", "TIME-WAIT", 1002, 2052),
    *c2s("ACK", 1002, 2052),
    st("LAST-ACK", "CLOSED", 2052, 1002, S, C),
    st("LISTEN", "CLOSED", 0, 0, S, ANY),
]
# Counters this connection moves, by how much; every other one by 0.
DELTAS = {"ActiveOpens": 1, "PassiveOpens": 1, "InSegs": 13, "OutSegs": 13}
STATES = {
    "established": ["ESTABLISHED", "ESTABLISHED", "LISTEN"],
    "client-data": ["ESTABLISHED", "ESTABLISHED", "LISTEN"],
    "server-data": ["ESTABLISHED", "ESTABLISHED", "LISTEN"],
    "half-close": ["CLOSE_WAIT", "FIN_WAIT2", "LISTEN"],
    "last-data": ["CLOSE_WAIT", "FIN_WAIT2", "LISTEN"],
    "closed": ["LISTEN", "TIME_WAIT"],
}
seen_states = {}
currestab = {}


def step(name):
    seen_states[name] = states_on(SPORT)
    currestab[name] = stats()["CurrEstab"]


before = stats()
tracefs("trace", "")
tracefs("events/ktcp/enable", "1")
try:
    c = seed_connection(CPORT, SPORT, step)
finally:
    tracefs("events/ktcp/enable", "0")
after = stats()
trace = open(f"{TRACEFS}/trace").read()

ev_re = re.compile(r"ktcp_(state|segment): (.*)")
got = []
for line in trace.splitlines():
    m = ev_re.search(line)
    if not m or not (C in m.group(2) or f"{S}>{ANY}" in m.group(2)):
        continue
    body = re.sub(r" win=\d+", "", m.group(2))
    got.append(f"{m.group(1)} {body}")
isn = [g for g in got if g.startswith(f"segment in {C}>{S} [SYN]")]
check(len(isn) == 1 and re.search(r"seq=\d+ ", isn[0]) is not None,
      "the listener traces the SYN it receives")
got = [re.sub(r"seq=\d+", "seq=ISN", g) if g in isn else g for g in got]
for i, (g, w) in enumerate(zip(got, WANT)):
    check_eq(g, w, f"event {i}")
check_eq(len(got), len(WANT), "number of events")

for name, want in STATES.items():
    check_eq(seen_states.get(name), want, f"/proc/net/ktcp after {name}")
check_eq(currestab.get("server-data", 0) - before["CurrEstab"], 2,
         "CurrEstab +2 while connected")
for name in before:
    check_eq(after[name] - before[name], DELTAS.get(name, 0),
             f"{name} delta")
check_eq(states_on(CPORT), ["TIME_WAIT"], "client still in TIME-WAIT")
c.close()
done()
