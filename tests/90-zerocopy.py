#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""MSG_ZEROCOPY (Documentation/networking/msg_zerocopy.rst), kernel TCP
and ktcp side by side between two namespaces.

A client with SO_ZEROCOPY sends eight 4000-byte writes and one of 1 MiB
with MSG_ZEROCOPY, then 2 MiB more with netem dropping 3 % of its
segments, so that page-fragment segments are cut, resent and partly
acknowledged.  On both stacks:
- setsockopt(SO_ZEROCOPY) succeeds and reads back 1;
- the server receives every byte intact;
- poll() reports POLLERR once notifications wait;
- the error queue (recvmsg(MSG_ERRQUEUE)) holds SO_EE_ORIGIN_ZEROCOPY
  notifications whose ranges cover the writes' numbers 0 to 9 exactly
  once, with the same code as kernel TCP's (veth copies the pages into
  the receiving namespace, so SO_EE_CODE_ZEROCOPY_COPIED);
- after it is read, the error queue is empty and poll() stops saying
  POLLERR.
Then sendfile() sends a 3 MiB file, the second half under the same loss,
and the server receives it intact.  The segments hold the file's pages
(MSG_SPLICE_PAGES, before Linux 6.5 ->sendpage; KUnit checks that): a
file overwritten after sendfile() queued 256 KiB of it, before the
server reads them, shows the change in what the server reads, as on
kernel TCP.
The server then splices 2 MiB from its socket into a pipe, intact; and
with 99 bytes and an urgent one queued, splice() returns the 99, then 0
at the urgent mark, which MSG_OOB then reads, as on TCP; once the peer
resets the connection, splice() fails with ECONNRESET, as recv() would.
Linux 6.1 lets no protocol but TCP take SO_ZEROCOPY (it lacks
SOCK_CUSTOM_SOCKOPT): there ktcp's setsockopt fails with EOPNOTSUPP and
MSG_ZEROCOPY is ignored, as on a socket without SO_ZEROCOPY; the bytes
still arrive intact and no notification comes."""
# kernels: debug 6.1 6.12 7
import errno
import os
import select
import signal
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import (Netns, check, check_eq, done, pattern, recv_all,  # noqa: E402
                      recv_exact)
from ktcpnet import PROTOS, pair  # noqa: E402
from ktcpxfer import netem  # noqa: E402

SO_ZEROCOPY = 60
MSG_ZEROCOPY = 0x4000000
IP_RECVERR = 11
SO_EE_ORIGIN_ZEROCOPY = 5
SMALL, SMALL_WRITES, BIG, LOSSY = 4000, 8, 1 << 20, 2 << 20
FILE = 3 << 20
WRITES = SMALL_WRITES + 2
OLD_KERNEL = os.uname().release.startswith("6.1.")


def set_zerocopy(s):
    """setsockopt(SO_ZEROCOPY, 1): 0 or the errno."""
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_ZEROCOPY, 1)
    except OSError as e:
        return e.errno
    return 0


def notifications(c):
    """Read @c's error queue: ([(origin, errno, code, lo, hi)], the errno
    that ended the reading, EAGAIN once the queue is empty)."""
    got = []
    while True:
        try:
            _, anc, _, _ = c.recvmsg(0, 256, socket.MSG_ERRQUEUE |
                                     socket.MSG_DONTWAIT)
        except OSError as e:
            return got, e.errno
        for level, kind, data in anc:
            if level == socket.SOL_IP and kind == IP_RECVERR:
                err, origin, _, code, _, lo, hi = struct.unpack_from(
                    "=IBBBBII", data)
                got.append((origin, err, code, lo, hi))


def pollerr(c, ms):
    p = select.poll()
    p.register(c, select.POLLERR)
    return any(ev & select.POLLERR for _, ev in p.poll(ms))


def sendfile_case(net, proto, port):
    """Whether a file sent with sendfile() arrives intact."""
    data = pattern(port, FILE)
    with open(f"/dev/shm/ktcp-sendfile-{port}", "w+b") as f:
        f.write(data)
        f.flush()
        os.unlink(f.name)
        c, s = pair(net, proto, port, timeout=120)
        got = {}
        reader = threading.Thread(target=lambda: got.update(d=recv_all(s)))
        reader.start()
        c.setblocking(True)
        off = 0
        while off < FILE:
            if off >= FILE // 2:
                netem(net, "loss", "3%", sides=("a",))
            off += os.sendfile(c.fileno(), f.fileno(), off,
                               min(FILE // 2, FILE - off))
        c.shutdown(socket.SHUT_WR)
        reader.join()
        netem(net, sides=("a",))
        c.close()
        s.close()
    return got.get("d") == data


def sendfile_reference_case(net, proto, port):
    """Queue 256 KiB of a file with sendfile() to a peer that does not
    read yet, then overwrite the file: (how many of the bytes read carry
    the new content, whether every byte is the old or the new one)."""
    size = 256 << 10
    old, new = pattern(port, size), pattern(port + 1, size)
    with open(f"/dev/shm/ktcp-sendfile-{port}", "w+b") as f:
        f.write(old)
        f.flush()
        os.unlink(f.name)
        c, s = pair(net, proto, port, timeout=30)
        c.setblocking(False)
        sent = 0
        while sent < size:
            try:
                sent += os.sendfile(c.fileno(), f.fileno(), sent, size - sent)
            except BlockingIOError:
                break
        os.pwrite(f.fileno(), new, 0)
        got = recv_exact(s, sent)
    c.close()
    s.close()
    fresh = sum(g == b != a for g, a, b in zip(got, old, new))
    whole = all(g in (a, b) for g, a, b in zip(got, old, new))
    return fresh, whole


def on_alarm(signum, frame):
    raise TimeoutError


def splice_case(net, proto, port):
    """(whether 2 MiB spliced from the socket arrive intact, what two
    splices and a MSG_OOB read return with an urgent byte queued)."""
    data = pattern(port, LOSSY)
    c, s = pair(net, proto, port, timeout=120)
    s.setblocking(True)     # splice() would not wait for data otherwise
    rd, wr = os.pipe()
    writer = threading.Thread(target=lambda: c.sendall(data))
    writer.start()
    got = bytearray()
    while len(got) < len(data):
        n = os.splice(s.fileno(), wr, min(65536, len(data) - len(got)))
        if not n:
            break
        got += os.read(rd, n)
    writer.join()
    c.send(b"u" * 99)
    c.send(b"U", socket.MSG_OOB)
    p = select.poll()
    p.register(s, select.POLLPRI)
    p.poll(5000)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(10)        # a splice that waits at the mark would hang
    try:
        urgent = [os.splice(s.fileno(), wr, 200),
                  os.splice(s.fileno(), wr, 1)]
        urgent.append(s.recv(1, socket.MSG_OOB))
    except TimeoutError:
        urgent = "still waiting after 10 s"
    signal.alarm(0)
    # the peer resets: splice() reports it as recv() would
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    p.register(s, select.POLLERR | select.POLLHUP)
    p.poll(5000)
    try:
        reset = os.splice(s.fileno(), wr, 100)
    except OSError as e:
        reset = errno.errorcode[e.errno]
    for fd in (rd, wr):
        os.close(fd)
    s.close()
    return bytes(got) == data, urgent, reset


def covered(notes):
    """The write numbers the notifications cover, in order, repeats kept."""
    return sorted(n for _, _, _, lo, hi in notes for n in range(lo, hi + 1))


def case(net, proto, port):
    """What one stack shows; see the module's docstring."""
    res = {}
    c, s = pair(net, proto, port, timeout=120)
    res["setsockopt"] = set_zerocopy(c)
    res["flag"] = c.getsockopt(socket.SOL_SOCKET, SO_ZEROCOPY)
    data = pattern(port, SMALL * SMALL_WRITES + BIG + LOSSY)
    got = {}
    reader = threading.Thread(target=lambda: got.update(d=recv_all(s)))
    reader.start()
    c.setblocking(True)     # each write one call, whole: one number each
    off = res["writes"] = 0
    for n in [SMALL] * SMALL_WRITES + [BIG, LOSSY]:
        if n == LOSSY:
            netem(net, "loss", "3%", sides=("a",))
        view = memoryview(data)[off:off + n]
        while view:     # a signal could cut a write short: send the rest
            view = view[c.send(view, MSG_ZEROCOPY):]
            res["writes"] += 1
        off += n
    c.shutdown(socket.SHUT_WR)
    reader.join()
    netem(net, sides=("a",))
    res["intact"] = got.get("d") == data
    res["pollerr"] = pollerr(c, 5000)
    notes = []
    for _ in range(50):         # the last may come after the first poll
        got, res["errqueue"] = notifications(c)
        notes += got
        if len(covered(notes)) >= res["writes"] or not pollerr(c, 200):
            break
    res["notes"] = notes
    res["pollerr_after"] = pollerr(c, 0)
    c.close()
    s.close()
    return res


net = Netns()
try:
    seen = {name: case(net, proto, port)
            for port, (name, proto) in enumerate(PROTOS, 7900)}
    tcp, ktcp = seen["tcp"], seen["ktcp"]
    for name, r in seen.items():
        print(f"     {name}: setsockopt {r['setsockopt']}, "
              f"notifications {[n[2:] for n in r['notes']]}")
    check_eq(tcp["setsockopt"], 0, "kernel TCP takes SO_ZEROCOPY")
    check_eq((tcp["errqueue"], ktcp["errqueue"]),
             (errno.EAGAIN, errno.EAGAIN),
             "recvmsg(MSG_ERRQUEUE) reads the error queue until it is empty")
    check(tcp["intact"] and ktcp["intact"],
          "both servers receive every byte intact, 2 MiB of it under loss")
    check_eq(tcp["writes"], WRITES, "kernel TCP: each write one call")
    check_eq(covered(tcp["notes"]), list(range(tcp["writes"])),
             "kernel TCP notifies writes 0 to 9, each once")
    if OLD_KERNEL:
        check_eq(ktcp["setsockopt"], errno.EOPNOTSUPP,
                 "Linux 6.1: SO_ZEROCOPY on ktcp fails with EOPNOTSUPP")
        check_eq((ktcp["flag"], ktcp["notes"], ktcp["pollerr"]),
                 (0, [], False), "and MSG_ZEROCOPY is ignored: no "
                 "notification, no POLLERR")
    else:
        check_eq((ktcp["setsockopt"], ktcp["flag"]), (0, 1),
                 "ktcp takes SO_ZEROCOPY, which reads back 1")
        check(ktcp["pollerr"], "poll() reports POLLERR for notifications")
        check_eq(covered(ktcp["notes"]), list(range(WRITES)),
                 "ktcp notifies writes 0 to 9, each once")
        check_eq({n[:3] for n in ktcp["notes"]},
                 {n[:3] for n in tcp["notes"]},
                 "with kernel TCP's origin, errno and code")
        check(not ktcp["pollerr_after"] and not tcp["pollerr_after"],
              "read, the error queue is empty: no POLLERR")
    intact = {name: sendfile_case(net, proto, port)
              for port, (name, proto) in enumerate(PROTOS, 7910)}
    check_eq(intact, {"tcp": True, "ktcp": True},
             "a file sent with sendfile() arrives intact, half under loss")
    shared = {name: sendfile_reference_case(net, proto, port)
              for port, (name, proto) in enumerate(PROTOS, 7930)}
    print(f"     bytes read that changed with the file: {shared}")
    check(shared["tcp"][0] > 0, "kernel TCP sends the file's pages by "
          "reference: bytes read show the file's change")
    check_eq({name: (fresh > 0, whole) for name, (fresh, whole)
              in shared.items()}, {"tcp": (True, True), "ktcp": (True, True)},
             "ktcp too, and every byte is the old or the new content")
    spliced = {name: splice_case(net, proto, port)
               for port, (name, proto) in enumerate(PROTOS, 7920)}
    check_eq([res[0] for res in spliced.values()], [True, True],
             "2 MiB spliced from the socket into a pipe arrive intact")
    check_eq(spliced["tcp"][1], [99, 0, b"U"],
             "kernel TCP splices up to the urgent mark, then 0")
    check_eq(spliced["ktcp"][1], spliced["tcp"][1],
             "ktcp splices as kernel TCP around the urgent byte")
    check_eq(spliced["tcp"][2], "ECONNRESET",
             "kernel TCP's splice() after the peer's reset: ECONNRESET")
    check_eq(spliced["ktcp"][2], spliced["tcp"][2],
             "ktcp's splice() after the peer's reset: as kernel TCP's")
finally:
    net.close()
done()
