#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Adversarial segments built with scapy, each answered exactly as the
RFCs say: malformed headers are dropped silently, segments outside the
window get an ACK, RST/SYN/ACK attacks of RFC 5961 get challenge ACKs,
segments for no connection get the RST of RFC 9293 3.10.7.1.  Every case
checks the reply on the wire (flags, seq, ack) or its absence, the drop
counter that must move (and that no other one did), and that the
connection under attack still carries data intact afterwards."""
import errno
import os

import select
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcppkt import Raw, from_scapy, ACK, RST, SYN  # noqa: E402
from scapy.layers.inet import IP, TCP  # noqa: E402
from scapy.packet import Raw as Payload, bind_layers  # noqa: E402

bind_layers(IP, TCP, proto=PROTO)
LO = "127.0.0.1"
FAR = 0x40000000            # a quarter of the sequence space away
raw = Raw()
last_reply = 0.0


def drops(st):
    return sum(v for k, v in st.items() if k.startswith("Drop"))


def attack(what, seg, frm, to, want=None, moved=None, ignore=None,
           seq_any=False, noise=()):
    """Send @seg; the reply from port @frm to port @to must be @want,
    (flags, seq, ack) or None for silence, and the counters in @moved
    must move by exactly the given amounts, drops by no other reason.
    @ignore filters out segments that are not replies (retransmits);
    @seq_any accepts any sequence number (an ISS); drop reasons in @noise
    may move on their own."""
    global last_reply
    moved = moved or {}
    if want is not None:
        # RFC 5961 7: one answer to bad segments per connection per half
        # second, as net.ipv4.tcp_invalid_ratelimit
        time.sleep(max(0.0, last_reply + 0.55 - time.time()))
        last_reply = time.time()
    raw.poll(0.05)
    before = stats()
    raw.send(seg)
    got = [p for p in raw.poll(0.3) if p["sport"] == frm and p["dport"] == to
           and not (ignore and ignore(p))]
    after = stats()
    if want is None:
        check(not got, f"{what}: no reply (got {len(got)})")
    else:
        flags, seq, ack = want
        r = [(p["flags"], seq if seq_any else p["seq"],
              p["ack"] if p["flags"] & ACK else None, p["len"]) for p in got]
        check_eq(r, [(flags, seq if seq_any else seq & 0xffffffff,
                      None if ack is None else ack & 0xffffffff, 0)],
                 f"{what}: reply")
    for k, n in moved.items():
        check_eq(after[k] - before[k], n, f"{what}: {k} +{n}")
    want_drops = sum(n for k, n in moved.items() if k.startswith("Drop"))
    quiet = sum(after[k] - before[k] for k in noise)
    check_eq(drops(after) - drops(before) - quiet, want_drops,
             f"{what}: no other drop reason moved")


def seg(sport, dport, seq, ack=0, flags="A", data=b"", opts=b"", doff=None,
        bad_csum=False, cut=None, win=65535):
    """A ktcp segment from scapy; @opts are raw option bytes (malformed
    ones included), @cut truncates the result after the checksum."""
    t = TCP(sport=sport, dport=dport, seq=seq & 0xffffffff,
            ack=ack & 0xffffffff, flags=flags, window=win,
            dataofs=doff if doff is not None else 5 + len(opts) // 4)
    b = from_scapy(t / Payload(opts + data) if opts or data else t,
                   bad_csum=bad_csum)
    return b if cut is None else b[:cut]


def settle(port):
    """Let delayed ACKs go out; return (rcv_nxt, snd_nxt) of the server
    side on @port, from the last segments each way."""
    time.sleep(0.3)
    raw.poll(0.1)
    return raw.next_seq(cport, port), raw.next_seq(port, cport)


def orderly_close(port):
    """Both ends closed: nothing but TIME-WAIT is left."""
    check(wait_for(lambda: set(states_on(port)) == {"LISTEN", "TIME_WAIT"}),
          f"orderly close on {port}: {states_on(port)}")


def expect_errno(s, err, what):
    try:
        d = s.recv(10)
        check(False, f"{what}: got {d!r}")
    except OSError as e:
        check_eq(e.errno, err, what)


# --- An established connection under attack ------------------------------
P = 9100
srv, c, s = pair(P)
cport = c.getsockname()[1]
c.sendall(b"before")
check_eq(recv_exact(s, 6), b"before", "connection up")
s.sendall(b"reply")
check_eq(recv_exact(c, 5), b"reply", "both directions")
rn, sn = settle(P)


def to_srv(seq, ack=None, flags="A", **kw):
    return seg(cport, P, seq, sn if ack is None else ack, flags, **kw)


# Malformed headers: dropped before anything reads them.  The exact RST
# each one carries would kill the connection if it were acted on.
exact_rst = to_srv(rn, flags="RA")
for n in (0, 1, 19):
    attack(f"{n}-byte segment", exact_rst[:n], P, cport, None,
           {"DropShortHeader": 1})
for doff, extra in ((0, b""), (4, b""), (6, b""), (15, b"\1" * 20)):
    attack(f"data offset {doff} in a {20 + len(extra)}-byte segment",
           to_srv(rn, flags="RA", doff=doff, opts=extra), P, cport, None,
           {"DropBadDataOffset": 1})
for opts, what in ((b"\x02\x00\x05\xb4", "option length 0"),
                   (b"\x02\x01\x05\xb4", "option length 1"),
                   (b"\x01\x01\x01\x02", "option without its length byte"),
                   (b"\x01\x01\x08\x0a", "timestamp longer than the header"),
                   (b"\x01\xfe\x28\x00", "unknown option 40 bytes long")):
    attack(what, to_srv(rn, flags="RA", opts=opts), P, cport, None,
           {"DropBadOption": 1})
attack("exact RST with a bad checksum", to_srv(rn, flags="RA", bad_csum=True),
       P, cport, None, {"DropBadChecksum": 1, "InCsumErrors": 1})
attack("in-window data with a bad checksum",
       to_srv(rn, data=b"EVIL", bad_csum=True), P, cport, None,
       {"DropBadChecksum": 1, "InCsumErrors": 1})

# RFC 9293 3.10.7.4 first check: unacceptable segments get
# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and are dropped.
attack("data far beyond the window", to_srv(rn + FAR, data=b"EVIL"), P,
       cport, (ACK, sn, rn), {"DropOutOfWindow": 1, "ChallengeACKs": 0})
attack("old duplicate data", to_srv(rn - 100, data=b"EVIL" * 10), P, cport,
       (ACK, sn, rn), {"DropOutOfWindow": 1})
attack("empty ACK left of the window", to_srv(rn - 1), P, cport,
       (ACK, sn, rn), {"DropOutOfWindow": 1})

# RFC 5961 3.2: a RST outside the window is dropped silently, one inside
# but not exactly at RCV.NXT gets a challenge ACK.
attack("RST beyond the window", to_srv(rn + FAR, flags="R"), P, cport, None,
       {"DropOutOfWindow": 1, "InRsts": 0})
attack("RST left of the window", to_srv(rn - 1, flags="R"), P, cport, None,
       {"DropOutOfWindow": 1, "InRsts": 0})
attack("RST in the window, RCV.NXT+1", to_srv(rn + 1, flags="R"), P, cport,
       (ACK, sn, rn), {"DropRstIgnored": 1, "ChallengeACKs": 1, "InRsts": 0})
attack("RST,ACK in the window, RCV.NXT+1000",
       to_srv(rn + 1000, flags="RA"), P, cport, (ACK, sn, rn),
       {"DropRstIgnored": 1, "ChallengeACKs": 1, "InRsts": 0})
time.sleep(1.1)     # RFC 5961 7: challenge ACKs are rate limited

# RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK
# wherever its sequence number lies.
attack("SYN at RCV.NXT", to_srv(rn, flags="S", ack=0), P, cport,
       (ACK, sn, rn), {"DropUnexpectedSyn": 1, "ChallengeACKs": 1})
attack("SYN in the window", to_srv(rn + 7, flags="S", ack=0), P, cport,
       (ACK, sn, rn), {"DropUnexpectedSyn": 1, "ChallengeACKs": 1})
attack("SYN,ACK in the window", to_srv(rn + 7, flags="SA"), P, cport,
       (ACK, sn, rn), {"DropUnexpectedSyn": 1, "ChallengeACKs": 1})
time.sleep(1.1)
attack("SYN beyond the window", to_srv(rn + FAR, flags="S", ack=0), P, cport,
       (ACK, sn, rn), {"DropUnexpectedSyn": 1, "ChallengeACKs": 1})

# RFC 9293 3.10.7.4 fifth check and RFC 5961 5.2: an ACK of data never
# sent is answered with an ACK and dropped, data and all; one older than
# SND.UNA - MAX.SND.WND is a blind attack and gets a challenge ACK.
attack("ACK of unsent data, with data", to_srv(rn, sn + 1000, data=b"EVIL"),
       P, cport, (ACK, sn, rn), {"DropBadAck": 1, "ChallengeACKs": 0})
attack("ACK far below SND.UNA", to_srv(rn, sn - 0x50000000, data=b"EVIL"),
       P, cport, (ACK, sn, rn), {"DropBadAck": 1, "ChallengeACKs": 1})
attack("data without ACK", to_srv(rn, flags="P", data=b"EVIL"), P, cport,
       None, {"DropNoAck": 1})
attack("FIN without ACK", to_srv(rn, flags="F"), P, cport, None,
       {"DropNoAck": 1})

# RFC 9293 3.10.7.4 window update, taken from in-order segments only.
# A zero window from beyond RCV.NXT would move SND.WL1 ahead of the
# peer, whose own ACKs could then never reopen it: the sender would
# stall for good, and with both ends attacked the connection deadlocks.
attack("zero window beyond RCV.NXT", to_srv(rn + 1000, win=0), P, cport,
       None, {})
s.sendall(b"y" * 50000)
check_eq(recv_exact(c, 50000), b"y" * 50000,
         "zero window beyond RCV.NXT: ignored")
rn, sn = settle(P)
# One at RCV.NXT is the peer's to send: it closes the window, and the
# peer's next ACK, drawn by a zero-window probe, opens it again.
attack("zero window at RCV.NXT", to_srv(rn, win=0), P, cport, None, {})
s.sendall(b"z" * 50000)
check_eq(recv_exact(c, 50000), b"z" * 50000,
         "zero window at RCV.NXT: reopened by the peer")
rn, sn = settle(P)

check_eq(states_on(P), ["ESTABLISHED", "ESTABLISHED", "LISTEN"],
         "states unchanged by the attacks")
c.sendall(b"alive")
check_eq(recv_exact(s, 5), b"alive", "no attacker byte reached the stream")
ab, ba, want_ab, want_ba = exchange(c, s, 100000)
check(ab == want_ab and ba == want_ba, "100 kB each way intact afterwards")
c.close()
s.close()
orderly_close(P)
srv.close()

# --- The exact RST is the one that resets --------------------------------
P = 9104
srv, c, s = pair(P)
cport = c.getsockname()[1]
c.sendall(b"x")
check_eq(recv_exact(s, 1), b"x", "second connection up")
rn, sn = settle(P)
attack("RST at RCV.NXT", to_srv(rn, flags="R"), P, cport, None,
       {"InRsts": 1, "EstabResets": 1})
expect_errno(s, errno.ECONNRESET, "RST at RCV.NXT: ECONNRESET")
s.close()
c.close()
srv.close()

# On loopback the replies below come back to ktcp: a RST aimed at the
# listener is counted DropRstIgnored, one aimed at a port without a socket
# DropNoSocket.  The expected counters include those echoes.

# --- SYN-SENT: RFC 9293 3.10.7.3 -----------------------------------------
# A listener with a full accept queue drops SYNs, which holds a client in
# SYN-SENT while segments are aimed at it.
P = 9101
srv = listener(P, backlog=0)
first = sock()
first.connect((LO, P))
check(wait_for(lambda: states_on(P).count("ESTABLISHED") == 2),
      "accept queue full")
raw.poll(0.05)
c = sock(nonblock=True)
try:
    c.connect((LO, P))
except BlockingIOError:
    pass
cport = c.getsockname()[1]
syns = [p for p in raw.poll(0.3) if p["sport"] == cport and p["flags"] == SYN]
check(len(syns) >= 1, "client SYN seen")
iss = syns[0]["seq"]
check_eq([r["state"] for r in sockets() if r["lport"] == cport],
         ["SYN_SENT"], "client in SYN-SENT")


def to_cli(seq, ack, flags):
    return seg(P, cport, seq, ack, flags)


def syn_retransmit(p):
    return p["flags"] == SYN and p["seq"] == iss


def attack_syn_sent(*args, **kw):
    """SYN retransmits reach the full listener meanwhile."""
    attack(*args, **kw, ignore=syn_retransmit, noise=("DropListenerFull",))


attack_syn_sent("SYN-SENT: FIN", to_cli(5000, 0, "F"), cport, P, None,
                {"DropStateMismatch": 1})
attack_syn_sent("SYN-SENT: FIN,ACK of our SYN", to_cli(5000, iss + 1, "FA"),
                cport, P, None, {"DropStateMismatch": 1})
attack_syn_sent("SYN-SENT: FIN,ACK of unsent data",
                to_cli(5000, iss + 1000, "FA"), cport, P,
                (RST, iss + 1000, None),
                {"DropBadAck": 1, "OutRsts": 1, "DropRstIgnored": 1})
attack_syn_sent("SYN-SENT: ACK of ISS", to_cli(5000, iss, "A"), cport, P,
                (RST, iss, None), {"DropBadAck": 1, "DropRstIgnored": 1})
attack_syn_sent("SYN-SENT: RST without ACK", to_cli(5000, 0, "R"), cport, P,
                None, {"DropRstIgnored": 1, "AttemptFails": 0})
attack_syn_sent("SYN-SENT: RST,ACK of unsent data",
                to_cli(5000, iss + 9, "RA"), cport, P, None,
                {"DropBadAck": 1, "AttemptFails": 0})
check_eq([r["state"] for r in sockets() if r["lport"] == cport],
         ["SYN_SENT"], "client still in SYN-SENT")
a, _ = srv.accept()         # room in the queue: the next SYN gets through
_, w, _ = select.select([], [c], [], 20)
check(w and c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0,
      "the attacked connect() completes")
c.setblocking(True)
s, _ = srv.accept()
ab, ba, want_ab, want_ba = exchange(c, s, 20000)
check(ab == want_ab and ba == want_ba, "and carries data intact")
for x in (a, first, c, s):
    x.close()
orderly_close(P)
srv.close()

# --- LISTEN: RFC 9293 3.10.7.2 -------------------------------------------
P = 9102
srv = listener(P)
cport = 41000


def to_lst(seq, ack, flags, **kw):
    return seg(cport, P, seq, ack, flags, **kw)


attack("LISTEN: RST", to_lst(100, 0, "R"), P, cport, None,
       {"DropRstIgnored": 1, "OutRsts": 0})
attack("LISTEN: RST,ACK", to_lst(100, 555, "RA"), P, cport, None,
       {"DropRstIgnored": 1, "OutRsts": 0})
ECHO = {"DropNoSocket": 1}
attack("LISTEN: ACK", to_lst(100, 5555, "A"), P, cport, (RST, 5555, None),
       {"DropBadAck": 1, "OutRsts": 1, **ECHO})
attack("LISTEN: ACK with data", to_lst(100, 7777, "PA", data=b"x" * 10), P,
       cport, (RST, 7777, None), {"DropBadAck": 1, "OutRsts": 1, **ECHO})
attack("LISTEN: SYN,ACK", to_lst(100, 9999, "SA"), P, cport,
       (RST, 9999, None), {"DropBadAck": 1, "OutRsts": 1, **ECHO})
attack("LISTEN: data without ACK", to_lst(100, 0, "P", data=b"x"), P, cport,
       None, {"DropNoAck": 1})
attack("LISTEN: FIN", to_lst(100, 0, "F"), P, cport, None, {"DropNoAck": 1})
attack("LISTEN: SYN with a bad checksum", to_lst(100, 0, "S", bad_csum=True),
       P, cport, None, {"DropBadChecksum": 1, "PassiveOpens": 0})
attack("LISTEN: SYN with option length 1",
       to_lst(100, 0, "S", opts=b"\x02\x01\x05\xb4"), P, cport, None,
       {"DropBadOption": 1, "PassiveOpens": 0})
attack("LISTEN: SYN with data offset past the end",
       to_lst(100, 0, "S", doff=8), P, cport, None,
       {"DropBadDataOffset": 1, "PassiveOpens": 0})
check_eq(states_on(P), ["LISTEN"], "no child from any of them")

# A well-formed SYN with every option gets a SYN-ACK acking it.  That
# SYN-ACK reaches a port without a socket, whose RST (SEQ=SEG.ACK, the
# child's RCV.NXT) must then reset the embryonic child.
opts = b"\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02\x08\x0a" + b"\0" * 8
attack("LISTEN: SYN with MSS, window scale, SACK-permitted, timestamps",
       to_lst(100, 0, "S", opts=opts), P, cport, (SYN | ACK, None, 101),
       {"PassiveOpens": 1, "DropNoSocket": 1, "OutRsts": 1, "InRsts": 1,
        "AttemptFails": 1}, seq_any=True)
check(wait_for(lambda: states_on(P) == ["LISTEN"]), "child reset")
c = sock()
c.settimeout(10)
c.connect((LO, P))
s, _ = srv.accept()
c.sendall(b"listener works")
check_eq(recv_exact(s, 14), b"listener works", "listener still accepts")
c.close()
s.close()
orderly_close(P)
srv.close()

# --- No socket: RFC 9293 3.10.7.1 ----------------------------------------
P, cport = 9103, 41001
attack("closed port: data with ACK", seg(cport, P, 100, 4242, "PA",
                                          data=b"abc"),
       P, cport, (RST, 4242, None), {"DropNoSocket": 2, "OutRsts": 1})
attack("closed port: data without ACK", seg(cport, P, 100, 0, "P",
                                             data=b"abc"),
       P, cport, (RST | ACK, 0, 103), {"DropNoSocket": 2, "OutRsts": 1})
attack("closed port: SYN,FIN with data", seg(cport, P, 0xfffffffe, 0, "SF",
                                             data=b"abcd"),
       P, cport, (RST | ACK, 0, 4), {"DropNoSocket": 2, "OutRsts": 1})
attack("closed port: RST", seg(cport, P, 100, 0, "R"), P, cport, None,
       {"DropNoSocket": 1, "OutRsts": 0})
attack("closed port: RST,ACK", seg(cport, P, 100, 7, "RA"), P, cport, None,
       {"DropNoSocket": 1, "OutRsts": 0})

check_eq([r for r in sockets() if 9100 <= r["lport"] <= 9104 and
          r["state"] != "TIME_WAIT"], [], "no socket left but TIME-WAIT")
done()
