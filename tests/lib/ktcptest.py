# SPDX-License-Identifier: GPL-2.0
"""Helpers for ktcp's in-guest tests (run with /usr/bin/python3 as root)."""
import os
import socket
import struct
import subprocess
import sys
import time

PROTO = 253
STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
          5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
          9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}

# Results are KTAP (Documentation/dev-tools/ktap.rst), as the kernel's
# selftests print them: a line per check, the plan and totals at the end.
# Exit status as kselftest's: 0 passed, 1 failed, 4 skipped.
KSFT_SKIP = 4
_count = 0
_failures = 0
_skips = 0
print("KTAP version 1", flush=True)


def check(cond, what):
    """Record one assertion; a failure is printed and fails the test."""
    global _count, _failures
    _count += 1
    print(f"{'ok' if cond else 'not ok'} {_count} {what}", flush=True)
    if not cond:
        _failures += 1
    return cond


def skip(what, why):
    """Record a check that could not run here, and why: never a pass."""
    global _count, _skips
    _count += 1
    _skips += 1
    print(f"ok {_count} {what} # SKIP {why}", flush=True)


def _short(v):
    r = repr(v)
    return r if len(r) <= 60 else r[:40] + f"...({len(v)} long)"


def check_eq(got, want, what):
    return check(got == want, f"{what}: got {_short(got)}, want {_short(want)}")


def done():
    """Print the plan and totals, and exit with the verdict."""
    print(f"1..{_count}")
    print(f"# Totals: pass:{_count - _failures - _skips} fail:{_failures} "
          f"skip:{_skips}", flush=True)
    if _failures or not _count:
        sys.exit(1)
    sys.exit(KSFT_SKIP if _skips == _count else 0)


def sock(nonblock=False):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, PROTO)
    if nonblock:
        s.setblocking(False)
    return s


def listener(port=0, addr="127.0.0.1", backlog=16, reuse=True):
    s = sock()
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def pair(port=0):
    """A listener, a connected client and the accepted server socket."""
    srv = listener(port)
    c = sock()
    c.settimeout(10)
    c.connect(srv.getsockname())
    s, _ = srv.accept()
    s.settimeout(10)
    return srv, c, s


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        d = s.recv(n - len(buf))
        if not d:
            break
        buf += d
    return buf


def recv_all(s):
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            return buf
        buf += d


def sysctl(key, value=None):
    """Sysctl @key ("net.ktcp.fin_timeout") of the namespace this thread
    is in: set to @value if given, then read back."""
    path = "/proc/sys/" + key.replace(".", "/")
    if value is not None:
        with open(path, "w") as f:
            f.write(str(value))
    with open(path) as f:
        return f.read().strip()


def param(name, value=None):
    path = f"/sys/module/ktcp/parameters/{name}"
    if value is not None:
        with open(path, "w") as f:
            f.write(str(value))
    with open(path) as f:
        return f.read().strip()


# struct tcp_info (include/uapi/linux/tcp.h): the fixed head, then the
# later fields the tests read, by offset.
_INFO_HEAD = ("state ca_state retransmits probes backoff options wscale app "
              "rto ato snd_mss rcv_mss unacked sacked lost retrans fackets "
              "last_data_sent last_ack_sent last_data_recv last_ack_recv "
              "pmtu rcv_ssthresh rtt rttvar snd_ssthresh snd_cwnd advmss "
              "reordering rcv_rtt rcv_space total_retrans").split()
_INFO_MORE = (("bytes_acked", "Q", 120), ("bytes_received", "Q", 128),
              ("segs_out", "I", 136), ("segs_in", "I", 140),
              ("min_rtt", "I", 148), ("delivery_rate", "Q", 160),
              ("bytes_sent", "Q", 200), ("bytes_retrans", "Q", 208),
              ("snd_wnd", "I", 228))
KTCP_INFO = 11


def tcp_info(s, level=socket.IPPROTO_TCP):
    """@s's struct tcp_info as a dict (TCP_INFO, or KTCP_INFO when @level
    is IPPROTO_KTCP); "size" is the length the kernel returned."""
    raw = s.getsockopt(level, socket.TCP_INFO if level == socket.IPPROTO_TCP
                       else KTCP_INFO, 232)
    d = dict(zip(_INFO_HEAD, struct.unpack_from("=8B24I", raw)))
    for name, fmt, off in _INFO_MORE:
        if off + struct.calcsize(fmt) <= len(raw):
            d[name], = struct.unpack_from("=" + fmt, raw, off)
    d["size"] = len(raw)
    return d


TRACEFS = "/sys/kernel/tracing"


def tracefs(path, value):
    """Write @value to a tracefs file, e.g. events/ktcp/enable."""
    with open(f"{TRACEFS}/{path}", "w") as f:
        f.write(value)


def sockets():
    """Rows of /proc/net/ktcp as dicts: local/remote port, state name."""
    rows = []
    with open("/proc/net/ktcp") as f:
        next(f)
        for line in f:
            p = line.split()
            rows.append({
                "lport": int(p[1].split(":")[1], 16),
                "rport": int(p[2].split(":")[1], 16),
                "state": STATES.get(int(p[3], 16), p[3]),
            })
    return rows


def states_on(port):
    return sorted(r["state"] for r in sockets()
                  if r["lport"] == port or r["rport"] == port)


def stats():
    with open("/proc/net/ktcp_stat") as f:
        return {k: int(v) for k, v in (l.split() for l in f)}


def inuse():
    """Sockets of ktcp in use, from /proc/net/protocols."""
    with open("/proc/net/protocols") as f:
        for line in f:
            p = line.split()
            if p and p[0] == "KTCP":
                return int(p[2])
    return None


def sockstat():
    """/proc/net/ktcp_sockstat: KTCP: inuse N alloc N mem N pressure N."""
    with open("/proc/net/ktcp_sockstat") as f:
        p = f.read().split()
    return {p[i]: int(p[i + 1]) for i in range(1, len(p) - 1, 2)}


def live():
    """Sockets in use but TIME-WAIT: a baseline that earlier tests'
    TIME-WAITs cannot move by expiring meanwhile."""
    def time_waits():
        return [r["state"] for r in sockets()].count("TIME_WAIT")

    while True:
        tw, n = time_waits(), inuse()
        if time_waits() == tw:  # none expired between the two reads
            return n - tw


def wait_for(pred, timeout=10.0, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


class Capture:
    """dumpcap on an interface; decode() returns segments via tshark."""

    def __init__(self, iface="lo", path=None):
        self.path = path or f"/tmp/ktcp-{os.getpid()}.pcap"
        self.proc = subprocess.Popen(
            ["dumpcap", "-q", "-i", iface, "-f", f"ip proto {PROTO}",
             "-s", "128", "-B", "32", "-w", self.path], stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        # dumpcap reports "File: ..." on stderr once it captures
        wait_for(lambda: os.path.exists(self.path) and
                 os.path.getsize(self.path) > 0, timeout=20)
        time.sleep(0.2)

    def stop(self):
        time.sleep(0.3)
        self.proc.terminate()
        self.proc.wait()

    def decode(self, absolute=False):
        fields = ["tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq",
                  "tcp.ack", "tcp.len"]
        cmd = ["tshark", "-r", self.path, "-d", f"ip.proto=={PROTO},tcp",
               "-T", "fields", "-E", "separator=,"]
        if absolute:
            cmd += ["-o", "tcp.relative_sequence_numbers:FALSE"]
        for f in fields:
            cmd += ["-e", f]
        out = subprocess.run(cmd, capture_output=True, text=True,
                             check=True).stdout
        segs = []
        for line in out.splitlines():
            sp, dp, fl, seq, ack, ln = line.split(",")
            fl = int(fl, 16)
            segs.append({"sport": int(sp), "dport": int(dp),
                         "flags": flag_str(fl), "seq": int(seq),
                         "ack": int(ack) if fl & 0x10 else None,
                         "len": int(ln)})
        return segs


def flag_str(fl):
    names = [(0x02, "S"), (0x01, "F"), (0x04, "R"), (0x08, "P"), (0x10, ".")]
    return "".join(n for bit, n in names if fl & bit)


def in_netns(name):
    """The command prefix that runs a program in network namespace @name:
    static busybox's nsenter, which starts in a fraction of the time
    "ip netns exec" takes on the debug guest (~1.6 s there)."""
    return ["/bin/busybox", "nsenter", f"--net=/run/netns/{name}"]


def ip_batch(lines, netns=None, check=True):
    """Run @lines ("link set lo up", ...) in one ip process, in @netns if
    given: each program started costs up to a second on the debug guest.
    With @check False, a failing line does not stop the rest."""
    cmd = ["ip"] + (["-n", netns] if netns else [])
    cmd += ["-batch", "-"] if check else ["-force", "-batch", "-"]
    subprocess.run(cmd, input="\n".join(lines) + "\n", text=True,
                   check=check, stderr=None if check else subprocess.DEVNULL)


class Netns:
    """Two network namespaces joined by a veth pair: 192.0.2.1 <-> .2.

    enter(name) moves this thread into a namespace; sockets keep the
    namespace they were created in, and programs started meanwhile run
    in it.
    """

    def __init__(self, a="ktcpa", b="ktcpb"):
        import ctypes
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.names = {"a": a, "b": b}
        self.addr = {"a": "192.0.2.1", "b": "192.0.2.2"}
        self.dev = {"a": "veth-a", "b": "veth-b"}
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        mac = {"a": "02:00:00:00:00:0a", "b": "02:00:00:00:00:0b"}
        ip_batch([f"netns del {a}", f"netns del {b}"], check=False)
        ip_batch([f"netns add {a}", f"netns add {b}",
                  f"link add veth-a address {mac['a']} netns {a} type veth "
                  f"peer name veth-b address {mac['b']} netns {b}"])
        for side, other in (("a", "b"), ("b", "a")):
            dev = self.dev[side]
            # Static neighbours: loss tests must not lose ARP too.
            ip_batch([f"addr add {self.addr[side]}/24 dev {dev}",
                      f"link set {dev} up", "link set lo up",
                      f"neigh add {self.addr[other]} lladdr {mac[other]} "
                      f"dev {dev} nud permanent"], self.names[side])

    def ip(self, side, *args):
        subprocess.run(["ip", "-n", self.names[side]] + list(args), check=True)

    def run(self, side, *cmd, **kw):
        """subprocess.run(@cmd) in the namespace of @side."""
        return subprocess.run(in_netns(self.names[side]) + list(cmd), **kw)

    def sysctl(self, key, value, sides=("a", "b")):
        """Set sysctl @key to @value in the namespaces of @sides."""
        for side in sides:
            self.enter(side)
            try:
                sysctl(key, value)
            finally:
                self.enter(None)

    def tc(self, side, *args, check=True):
        subprocess.run(["tc", "-n", self.names[side]] + list(args),
                       check=check)

    def enter(self, side):
        CLONE_NEWNET = 0x40000000
        if side is None:
            fd = self.home
        else:
            fd = os.open(f"/run/netns/{self.names[side]}", os.O_RDONLY)
        if self.libc.setns(fd, CLONE_NEWNET):
            raise OSError("setns failed")
        if side is not None:
            os.close(fd)

    def close(self):
        self.enter(None)
        ip_batch([f"netns del {ns}" for ns in self.names.values()],
                 check=False)


def fill(s):
    """Write to @s without blocking until its send buffer is full; the
    bytes written."""
    s.setblocking(False)
    total = 0
    try:
        while True:
            total += s.send(b"z" * 65536)
    except BlockingIOError:
        return total


def pattern(seed, n):
    """n pseudo-random bytes, reproducible from seed."""
    import random
    return random.Random(seed).randbytes(n)


def exchange(a, b, n, timeout=120):
    """Send n pseudo-random bytes each way at once, half-close, and return
    (what b got from a, what a got from b, what was sent each way)."""
    import threading
    data_ab, data_ba = pattern(1, n), pattern(2, n)
    got = {}
    for s in (a, b):
        s.settimeout(timeout)

    def send(s, d):
        s.sendall(d)
        s.shutdown(socket.SHUT_WR)

    def recv(s, key):
        got[key] = recv_all(s)

    ts = [threading.Thread(target=send, args=(a, data_ab)),
          threading.Thread(target=send, args=(b, data_ba)),
          threading.Thread(target=recv, args=(b, "ab")),
          threading.Thread(target=recv, args=(a, "ba"))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return got.get("ab"), got.get("ba"), data_ab, data_ba
