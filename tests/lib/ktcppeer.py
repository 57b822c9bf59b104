# SPDX-License-Identifier: GPL-2.0
"""A scripted ktcp peer that the kernel's own ktcp never interferes with.

On loopback, ktcp answers every segment for a port without a socket with
a RST, so a raw-socket peer cannot hold a connection there.  This peer
lives in namespace b of a ktcptest.Netns under an address no interface
owns (192.0.2.3): namespace a reaches it through a static neighbour
entry, b's stack drops what it receives for it (not local, no
forwarding), and the peer sees those frames on an AF_PACKET socket.
"""
import socket
import subprocess
import time

import ktcppkt
from ktcpnet import PROTOS
from ktcppkt import ACK, SYN
from ktcptest import Netns

PEER = "192.0.2.3"
ETH_P_IP = 0x0800
IP_TRANSPARENT = 19


class FakePeer:
    def __init__(self, net, local=PEER, proto=ktcppkt.PROTO):
        """@proto 6 makes it a TCP peer of the kernel's own TCP."""
        self.net = net
        self.local = local
        self.proto = proto
        self.remote = net.addr["a"]
        net.ip("a", "neigh", "replace", local, "lladdr", "02:00:00:00:00:0b",
               "dev", net.dev["a"], "nud", "permanent")
        # A peer on a wire sees segments: veth-a must not pass ktcp's GSO
        # skbs on whole, so that the GSO layer cuts them as for a NIC.
        net.run("a", "ethtool", "-K", net.dev["a"], "tx-sctp-segmentation",
                "off", check=True, stdout=subprocess.DEVNULL)
        net.enter("b")
        self.tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
        self.tx.setsockopt(socket.SOL_IP, IP_TRANSPARENT, 1)
        self.tx.bind((local, 0))
        self.rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                socket.htons(ETH_P_IP))
        self.rx.bind((net.dev["b"], ETH_P_IP))
        net.enter(None)
        self.seen = []

    def send(self, sport, dport, seq, ack=0, flags=ACK, **kw):
        self.tx.sendto(ktcppkt.build(self.local, self.remote, sport, dport,
                                     seq, ack, flags, proto=self.proto, **kw),
                       (self.remote, 0))

    def poll(self, timeout=0.3):
        """Segments for us that arrive within @timeout seconds."""
        got = []
        for frame in ktcppkt.frames(self.rx, timeout):
            ip = frame[14:]
            if len(ip) < 20 or ip[9] != self.proto or \
                    socket.inet_ntoa(ip[16:20]) != self.local:
                continue
            p = ktcppkt.parse(ip)
            if p:
                got.append(p)
        self.seen += got
        return got

    def wait(self, pred, timeout=3.0, step=0.2):
        """The first segment (already seen or arriving) that @pred likes,
        looked for every @step seconds."""
        for p in self.seen:
            if pred(p):
                return p
        end = time.time() + timeout
        while time.time() < end:
            for p in self.poll(min(step, max(end - time.time(), 0.001))):
                if pred(p):
                    return p
        return None

    def handshake(self, lst, sport, dport, isn, mss, ack_delay=0.0):
        """Open a connection from sport to lst, listening on dport in
        namespace a, announcing mss and SACK-permitted.

        ack_delay holds the third segment back: the RTT measured from
        the handshake, and so the RTO, grow with it.  Returns the
        accepted socket and the SYN-ACK; the caller is left in a.
        """
        self.send(sport, dport, isn, 0, SYN, opts=syn_options(mss))
        synack = self.wait(lambda p: p["dport"] == sport and
                           p["flags"] == SYN | ACK)
        if synack is None:
            raise RuntimeError(f"no SYN-ACK from port {dport}")
        time.sleep(ack_delay)
        self.send(sport, dport, isn + 1, synack["seq"] + 1)
        self.net.enter("a")
        s, _ = lst.accept()
        return s, synack

    def close(self):
        self.tx.close()
        self.rx.close()


def peer_connection(net, port, pport, isn, mss, ack_delay=0.0,
                    proto=ktcppkt.PROTO, rcvbuf=None):
    """A FakePeer, and a connection from its @pport to a listener on @port
    in namespace a (FakePeer.handshake), with TCP_NODELAY so that every
    write goes out at once; @proto 6: the kernel's TCP; @rcvbuf: the
    listener's SO_RCVBUF, which the connection inherits.

    Returns (peer, listener, accepted socket, SYN-ACK); the caller is
    left in a.
    """
    net.enter("a")
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    lst.bind(("0.0.0.0", port))
    lst.listen(16)
    net.enter(None)
    peer = FakePeer(net, proto=proto)
    s, synack = peer.handshake(lst, pport, port, isn, mss, ack_delay)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return peer, lst, s, synack


def sack_blocks(p):
    """The SACK blocks of a parsed segment as [(left, right), ...]."""
    raw = p["opts"].get(5, b"")
    return [(int.from_bytes(raw[i:i + 4], "big"),
             int.from_bytes(raw[i + 4:i + 8], "big"))
            for i in range(0, len(raw) - 7, 8)]


def sack_option(blocks):
    """NOP, NOP and a SACK option carrying @blocks."""
    out = bytes([1, 1, 5, 2 + 8 * len(blocks)])
    for left, right in blocks:
        out += (left & 0xffffffff).to_bytes(4, "big") + \
            (right & 0xffffffff).to_bytes(4, "big")
    return out


def syn_options(mss, sack=True, ts=None, wscale=None):
    """A SYN's options in Linux's order: MSS, SACK-permitted, timestamps
    @ts (TSval, TSecr) if given, window scale @wscale if given."""
    out = bytes([2, 4]) + mss.to_bytes(2, "big")
    if ts is not None:
        out += bytes([4, 2]) if sack else bytes([1, 1])
        out += ktcppkt.ts_option(*ts)[2:]
    elif sack:
        out += bytes([1, 1, 4, 2])
    if wscale is not None:
        out += bytes([1, 3, 3, wscale])
    return out


class TsConnection:
    """A connection from the peer's @pport to a listener on @port in
    namespace a, opened with a SYN that offers timestamps (TSval @ts0)
    unless @ts is False, window scale 7 and, if @sack, SACK; the
    handshake's ACK echoes the SYN-ACK's TSval, @ack_delay seconds
    late (the RTT, and so the RTO, grow with it).  @isn: the peer's
    ISN; a0: the first sequence number the listener's side sends."""

    def __init__(self, net, peer, proto, port, pport, isn, ts0, mss,
                 sack=True, ts=True, ack_delay=0.0):
        self.peer, self.port, self.pport = peer, port, pport
        net.enter("a")
        self.lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        self.lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lst.bind(("0.0.0.0", port))
        self.lst.listen(4)
        net.enter(None)
        peer.send(pport, port, isn, 0, SYN, opts=syn_options(
            mss, sack, (ts0, 0) if ts else None, 7))
        self.synack = peer.wait(lambda p: p["dport"] == pport and
                                p["flags"] == SYN | ACK)
        if self.synack is None:
            self.lst.close()
            raise RuntimeError(f"no SYN-ACK from port {port}")
        self.a0 = self.synack["seq"] + 1
        self.ts = ktcppkt.timestamps(self.synack)
        time.sleep(ack_delay)
        self.send(isn + 1, ts0 + 1)
        self.s, _ = self.lst.accept()
        self.s.settimeout(3)

    def send(self, seq, tsval, flags=ACK, ack=None, payload=b"",
             tsecr=None, opts=b""):
        """A segment from the peer; it echoes @tsecr, else the SYN-ACK's
        TSval; @opts (e.g. sack_option()) follow the timestamps."""
        if tsecr is None and self.ts:
            tsecr = self.ts[0]
        if self.ts:
            opts = ktcppkt.ts_option(tsval, tsecr) + opts
        self.peer.send(self.pport, self.port, seq,
                       self.a0 if ack is None else ack, flags, opts=opts,
                       payload=payload)

    def collect(self, timeout):
        """Every segment to the peer's port within @timeout seconds."""
        self.peer.seen.clear()
        self.peer.wait(lambda p: False, timeout, step=0.01)
        return [p for p in self.peer.seen if p["dport"] == self.pport]

    def sent_offsets(self, timeout, mss):
        """Offsets from a0 of the @mss-sized segments the peer gets within
        @timeout seconds, in the order sent: kernel TCP's GSO frames
        count as the segments they carry."""
        return [off for p in self.collect(timeout)
                for off in range(p["seq"] - self.a0,
                                 p["seq"] - self.a0 + p["len"], mss)]

    def segment(self, pred, timeout=3.0, step=0.2):
        """The first segment to the peer's port that @pred likes."""
        return self.peer.wait(lambda p: p["dport"] == self.pport and
                              pred(p), timeout, step)

    def close(self):
        self.s.close()
        self.lst.close()


def side_by_side(case, port, pport):
    """{name: case(net, proto, port + i, pport + i)} for kernel TCP and
    ktcp, one after the other, in one pair of namespaces."""
    net = Netns()
    try:
        return {name: case(net, proto, port + i, pport + i)
                for i, (name, proto) in enumerate(PROTOS)}
    finally:
        net.close()


__all__ = ["FakePeer", "TsConnection", "peer_connection", "sack_blocks", "sack_option", "side_by_side", "syn_options", "PEER",
           "ACK", "SYN"]
