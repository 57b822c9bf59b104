#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# netns: init (net.ktcp.mem exists in the initial namespace only)
"""Socket memory accounting: ktcp charges its queues to the kernel's
per-protocol counters and net.ktcp.mem limits them all together.

- /proc/net/protocols shows KTCP's memory and pressure columns (-1 and
  "NI" when a protocol does no accounting);
- a connection whose reader does not read holds at least the bytes it
  took, in pages, and gives every page back once closed;
- with net.ktcp.mem tiny, a sender with room left in a large locked
  SO_SNDBUF gets EAGAIN (and a blocking one sleeps) instead of filling
  it; a receiver over the limit takes in-order data only into an empty
  queue; raising the limit lets the data through intact.
"""
import fcntl
import os
import socket
import struct
import subprocess
import sys
import termios
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

MEM = "/proc/sys/net/ktcp/mem"
PAGE = os.sysconf("SC_PAGE_SIZE")
SO_SNDBUFFORCE = 32
SNDBUF = 4 << 20            # doubled by the kernel: 8 MiB, locked
CHUNK = 64 << 10
TOTAL = 12 << 20
PRE = 5 << 20


def protocols_row():
    with open("/proc/net/protocols") as f:
        head = f.readline().split()
        for line in f:
            p = line.split()
            if p and p[0] == "KTCP":
                return dict(zip(head, p))
    return {}


def read_mem():
    with open(MEM) as f:
        return f.read().split()


def write_mem(values):
    with open(MEM, "w") as f:
        f.write(" ".join(str(v) for v in values))


def fill(c, data, start, end):
    """MSG_DONTWAIT sends of data[start:end] until EAGAIN; where it got."""
    while start < end:
        try:
            start += c.send(data[start:min(end, start + CHUNK)],
                            socket.MSG_DONTWAIT)
        except BlockingIOError:
            break
    return start


def big_pair():
    """A connection whose client has a locked 8 MiB send buffer and does
    not block (a timeout would make Python poll() and retry on EAGAIN)."""
    srv, c, s = pair()
    c.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, SNDBUF)
    c.setblocking(False)
    return srv, c, s


try:
    with open("/proc/sys/net/core/mem_pcpu_rsv") as f:
        rsv = int(f.read())
except OSError:
    rsv = 1 << (20 - 12)
# How far ktcp_memory_allocated may be from the exact count: each CPU's
# cache lies in (-rsv, rsv) and is flushed when it leaves that range.
slack = (os.cpu_count() or 1) * rsv

# Before: nothing charged (earlier tests' sockets may still be ending).
check(wait_for(lambda: sockstat()["mem"] == 0, timeout=20),
      f"no ktcp memory charged at the start ({sockstat()})")
alloc0 = sockstat()["alloc"]
row = protocols_row()
check(row.get("memory") not in (None, "-1"),
      "/proc/net/protocols KTCP memory column is accounted: "
      f"{row.get('memory')}")
check_eq(row.get("press"), "no", "/proc/net/protocols KTCP pressure column")
check_eq(len(read_mem()), 3, "net.ktcp.mem has three limits")
out = subprocess.run(["unshare", "-n", "ls", "/proc/sys/net/ktcp"],
                     capture_output=True, text=True).stdout.split()
check("trace" in out and "mem" not in out,
      f"net.ktcp.mem only in the initial namespace (new one: {out})")

data = pattern(37, TOTAL)

# 1. A reader that does not read: the memory shows, then goes back to 0.
srv, c, s = big_pair()
taken = fill(c, data, 0, TOTAL)
st = sockstat()
check(taken >= 6 << 20, f"an 8 MiB locked send buffer takes {taken} bytes")
check(st["mem"] * PAGE >= taken,
      f"{st['mem']} pages charged hold the {taken} bytes queued")
check(st["alloc"] >= 3, f"sockets allocated: {st['alloc']}")
mem_col = int(protocols_row()["memory"])
check(abs(mem_col - st["mem"]) <= slack,
      f"/proc/net/protocols memory {mem_col} is {st['mem']} within {slack} "
      "cached pages")
for x in (c, s, srv):
    x.close()
check(wait_for(lambda: sockstat()["mem"] == 0, timeout=10),
      f"every page back after close ({sockstat()})")
# (earlier tests' TIME-WAIT sockets may end meanwhile: at most as before)
check(wait_for(lambda: sockstat()["alloc"] <= alloc0, timeout=10),
      f"sockets allocated back to {alloc0} ({sockstat()})")

# 2. net.ktcp.mem tiny once 5 MiB are queued: more than the per-CPU
# caches can hide, so ktcp_memory_allocated is over the limit at once.
saved = read_mem()
st0 = stats()
srv, c, s = big_pair()
result = {}
try:
    off = fill(c, data, 0, PRE)
    check_eq(off, PRE, "5 MiB queued within the limits")
    pages0 = sockstat()["mem"]
    write_mem([1, 2, 3])
    more = fill(c, data, off, TOTAL) - off
    check(more <= 2 * CHUNK, f"over net.ktcp.mem the sender gets EAGAIN "
          f"after {more} more bytes, with 3 MiB of SO_SNDBUF left")
    off += more
    check_eq(sockstat()["pressure"], 1, "ktcp is under memory pressure")
    check_eq(protocols_row().get("press"), "yes",
             "/proc/net/protocols shows the pressure")

    def rest():
        # blocking, so that the kernel sleeps in sk_stream_wait_memory()
        c.setblocking(True)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                     struct.pack("ll", 30, 0))
        c.sendall(data[off:])
        result["done"] = time.time()

    t = threading.Thread(target=rest, daemon=True)
    t.start()
    time.sleep(0.5)
    check(t.is_alive(), "a blocking send sleeps while over the limit")
    pages = sockstat()["mem"]
    check(pages <= pages0 + 2 * CHUNK // PAGE,
          f"{pages0} -> {pages} pages: the queue did not grow")
    # The reader empties its queue: the segment the new window lets in
    # is taken although over the limit (the queue is empty), and more
    # is dropped.
    inq = struct.unpack("i", fcntl.ioctl(s, termios.FIONREAD, b"\0" * 4))[0]
    got = recv_exact(s, inq)
    check(wait_for(lambda: stats()["MemoryForcedCharges"] >
                   st0["MemoryForcedCharges"], timeout=5),
          "in-order data for an empty receive queue is taken over the limit")
    check(t.is_alive(), "the blocking send still sleeps")
    released = time.time()
    write_mem(saved)
    got += recv_exact(s, TOTAL - len(got))
    t.join(30)
    check(got == data,
          f"{len(got)} bytes arrive intact once the limit is raised")
    check("done" in result and result["done"] >= released,
          "the blocked send finished only after the limit was raised")
finally:
    write_mem(saved)
    for x in (c, s, srv):
        x.close()
st1 = stats()
print("info: DropMemoryLimit "
      f"+{st1['DropMemoryLimit'] - st0['DropMemoryLimit']}")
check(st1["MemoryPressures"] > st0["MemoryPressures"],
      "MemoryPressures counted")
check_eq(read_mem(), saved, "net.ktcp.mem restored")
check(wait_for(lambda: sockstat()["mem"] == 0, timeout=10),
      f"every page back after the limited transfer ({sockstat()})")
check(wait_for(lambda: sockstat()["pressure"] == 0, timeout=10),
      "memory pressure over")
done()
