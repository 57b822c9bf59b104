#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus: segments ktcp sends or must refuse.  Run from
fuzz/ after changing it; corpus/ is committed."""
import os
import struct


def seg(flags, opts=b"", payload=b"", doff=None):
    if doff is None:
        doff = (20 + len(opts) + 3) // 4
    opts = opts.ljust(doff * 4 - 20, b"\0") if doff * 4 >= 20 + len(opts) \
        else opts
    return struct.pack("!HHIIBBHHH", 40000, 5000, 1, 2, doff << 4, flags,
                       65535, 0, 0) + opts + payload


MSS = b"\x02\x04\x05\xb4"
WS = b"\x01\x03\x03\x07"
SACKP = b"\x04\x02"
TS = b"\x08\x0a" + struct.pack("!II", 0x01020304, 0x05060708)
SACK = b"\x05\x0a" + struct.pack("!II", 100, 200)
seeds = {
    "syn-all-options": seg(0x02, MSS + WS + SACKP + TS),
    "syn-mss-ws": seg(0x02, MSS + WS),
    "synack": seg(0x12, MSS + b"\x01\x01" + SACKP + TS),
    "ack-ts": seg(0x10, b"\x01\x01" + TS),
    "ack-sack": seg(0x10, b"\x01\x01" + SACK),
    "data": seg(0x18, payload=b"hello, ktcp"),
    "fin-data": seg(0x19, b"\x01\x01" + TS, b"bye"),
    "rst": seg(0x04),
    "unknown-option": seg(0x10, b"\xfe\x06abcd"),
    "eol-early": seg(0x10, b"\x00" + MSS),
    "ws-too-big": seg(0x02, b"\x03\x03\x20\x00"),
    "opt-len-0": seg(0x10, b"\x02\x00\x00\x00"),
    "opt-len-1": seg(0x10, b"\x02\x01\x00\x00"),
    "opt-too-long": seg(0x10, b"\x01\x01\x08\x20"),
    "doff-4": seg(0x10, doff=4),
    "doff-15-short": seg(0x10, doff=15),
    "doff-15-full": seg(0x02, (MSS + WS + SACKP + TS) * 2, doff=15),
    "short": seg(0x10)[:12],
}
os.makedirs("corpus", exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join("corpus", name), "wb") as f:
        f.write(data)
