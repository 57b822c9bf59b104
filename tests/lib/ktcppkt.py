# SPDX-License-Identifier: GPL-2.0
"""Craft and watch ktcp segments from user space with raw IP sockets.

A raw socket of protocol 253 sends a header we build (the kernel adds the
IP header) and receives a copy of every protocol-253 packet the host
receives, which on loopback is every segment of every connection.
"""
import select
import socket
import struct
import threading
import time

PROTO = 253
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def build(src, dst, sport, dport, seq, ack=0, flags=ACK, win=65535,
          opts=b"", payload=b"", doff=None, bad_csum=False, proto=PROTO,
          urg=0):
    """A ktcp header + payload with a correct pseudo-header checksum
    (@proto 6: a TCP segment); @urg: the urgent pointer."""
    if doff is None:
        doff = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                      ack & 0xffffffff, doff << 4, flags, win, 0, urg) + opts
    return seal(hdr + payload, src, dst, bad_csum, proto)


def seal(seg, src, dst, bad_csum=False, proto=PROTO):
    """@seg with its checksum field set for the pseudo-header of src, dst
    and @proto, 253 unless told (or deliberately wrong)."""
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + \
        struct.pack("!BBH", 0, proto, len(seg))
    c = csum(pseudo + seg[:16] + b"\0\0" + seg[18:])
    if bad_csum:
        c ^= 0x5555
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def parse(pkt):
    """IP packet -> dict of the ktcp header fields, or None if too short."""
    ihl = (pkt[0] & 0xf) * 4
    if len(pkt) < ihl + 20:
        return None
    src = socket.inet_ntoa(pkt[12:16])
    dst = socket.inet_ntoa(pkt[16:20])
    sport, dport, seq, ack, off, flags, win, urg = struct.unpack(
        "!HHIIBBH2xH", pkt[ihl:ihl + 20])
    doff = (off >> 4) * 4
    return {"src": src, "dst": dst, "sport": sport, "dport": dport,
            "seq": seq, "ack": ack, "flags": flags, "win": win, "urg": urg,
            "len": len(pkt) - ihl - doff, "payload": pkt[ihl + doff:],
            "opts": options(pkt[ihl + 20:ihl + doff]),
            "kinds": option_kinds(pkt[ihl + 20:ihl + doff])}


def options(raw):
    """Option bytes -> {kind: value bytes}; stops at EOL or a bad length."""
    out, i = {}, 0
    while i < len(raw):
        kind = raw[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(raw) or raw[i + 1] < 2:
            break
        out[kind] = raw[i + 2:i + raw[i + 1]]
        i += raw[i + 1]
    return out


def option_kinds(raw):
    """The kinds of the options in @raw in order, NOPs included."""
    out, i = [], 0
    while i < len(raw) and raw[i]:
        out.append(raw[i])
        if raw[i] == 1:
            i += 1
        elif i + 1 >= len(raw) or raw[i + 1] < 2:
            break
        else:
            i += raw[i + 1]
    return out


def timestamps(p):
    """(TSval, TSecr) of a parsed segment, or None."""
    raw = p["opts"].get(8)
    if raw is None or len(raw) != 8:
        return None
    return (int.from_bytes(raw[:4], "big"), int.from_bytes(raw[4:], "big"))


def ts_option(val, ecr):
    """Two NOPs and the timestamps option, as Linux aligns it."""
    return bytes([1, 1, 8, 10]) + (val & 0xffffffff).to_bytes(4, "big") + \
        (ecr & 0xffffffff).to_bytes(4, "big")


def frames(s, timeout):
    """What socket @s receives within @timeout seconds, frame by frame."""
    end = time.time() + timeout
    while True:
        left = end - time.time()
        if left <= 0:
            return
        r, _, _ = select.select([s], [], [], left)
        if not r:
            return
        yield s.recv(70000)


class Sniffer(threading.Thread):
    """Every segment reaching the namespace it was made in that @keep
    likes, with its arrival time: (time, segment) in .segs."""

    def __init__(self, keep=lambda p: True):
        super().__init__(daemon=True)
        self.raw = Raw()
        self.keep = keep
        self.segs = []
        self.stop = False

    def run(self):
        while not self.stop:
            for frame in frames(self.raw.s, 0.1):
                p = parse(frame)
                if p and self.keep(p):
                    self.segs.append((time.time(), p))


class Raw:
    """Send crafted segments; remember every segment seen."""

    def __init__(self):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, PROTO)
        self.s.setsockopt(socket.SOL_SOCKET, 33, 1 << 24)  # SO_RCVBUFFORCE
        self.seen = []

    def send(self, seg, dst="127.0.0.1"):
        self.s.sendto(seg, (dst, 0))

    def poll(self, timeout=0.3):
        """Collect segments arriving within @timeout seconds."""
        got = [p for p in map(parse, frames(self.s, timeout)) if p]
        self.seen += got
        return got

    def last_from(self, sport, dport):
        """The newest segment seen from sport to dport."""
        self.poll(0.1)
        for p in reversed(self.seen):
            if p["sport"] == sport and p["dport"] == dport:
                return p
        return None

    def next_seq(self, sport, dport):
        """Sequence number that follows the newest sport->dport segment."""
        p = self.last_from(sport, dport)
        return (p["seq"] + p["len"] + (1 if p["flags"] & (SYN | FIN) else 0)) \
            & 0xffffffff


def from_scapy(tcp, src="127.0.0.1", dst="127.0.0.1", bad_csum=False):
    """Bytes of a scapy TCP() layer (and what follows it) as a ktcp segment.

    scapy's TCP checksum covers a protocol-6 pseudo-header even when the
    layer is bound to protocol 253, so the checksum is computed here.
    """
    return seal(bytes(tcp), src, dst, bad_csum)
