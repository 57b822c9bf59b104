#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed segments are dropped and counted, never acted on: bad
checksum, data offset below 5 or past the end, short header, bad option
lengths.  Each is aimed at a live connection, which must survive."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, build, ACK, RST  # noqa: E402

raw = Raw()
srv, c, s = pair(7200)
cport = c.getsockname()[1]
c.sendall(b"abc")
check_eq(recv_exact(s, 3), b"abc", "connection up")
time.sleep(0.1)
rcv_nxt = raw.next_seq(cport, 7200)
snd_nxt = raw.next_seq(7200, cport)


def attack(seg, counter, what):
    before = stats()
    raw.poll(0.05)
    raw.send(seg)
    got = raw.poll(0.3)
    after = stats()
    check_eq(after[counter] - before[counter], 1, f"{what}: {counter} +1")
    check(not any(p["sport"] == 7200 for p in got), f"{what}: no reply")
    return after


# An exact RST with a bad checksum must not reset anything.
after = attack(build("127.0.0.1", "127.0.0.1", cport, 7200, rcv_nxt, 0, RST,
                     bad_csum=True), "DropBadChecksum", "bad checksum")
check(after["InCsumErrors"] >= 1, "InCsumErrors counted")
hdr = build("127.0.0.1", "127.0.0.1", cport, 7200, rcv_nxt, snd_nxt, ACK)
attack(hdr[:12], "DropShortHeader", "12-byte header")
attack(build("127.0.0.1", "127.0.0.1", cport, 7200, rcv_nxt, snd_nxt, RST,
             doff=4), "DropBadDataOffset", "data offset 4")
attack(build("127.0.0.1", "127.0.0.1", cport, 7200, rcv_nxt, snd_nxt, RST,
             doff=15), "DropBadDataOffset", "data offset past the end")
for opts, what in ((b"\x02\x00\x00\x00", "option length 0"),
                   (b"\x02\x01\x00\x00", "option length 1"),
                   (b"\x01\x01\x08\x20", "option longer than the header")):
    attack(build("127.0.0.1", "127.0.0.1", cport, 7200, rcv_nxt, snd_nxt, RST,
                 opts=opts), "DropBadOption", what)

c.sendall(b"alive")
check_eq(recv_exact(s, 5), b"alive", "connection survived every segment")
check_eq(sorted(states_on(7200)), ["ESTABLISHED", "ESTABLISHED", "LISTEN"],
         "states unchanged")
c.close()
s.close()
srv.close()
done()
