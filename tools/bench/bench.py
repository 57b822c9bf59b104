#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Guest side of `make bench` (scripts/bench): ktcp against kernel TCP.

Runs as root in one guest boot with ktcp loaded.  Each measurement runs
for TCP and for ktcp back to back on the same path, so the two see the
same machine; with --rounds N the order alternates between rounds, each
stack's median is kept, and the ratio is the median of the rounds'
ktcp/TCP ratios.  Paths: loopback, a veth pair between two namespaces, and
that veth pair with netem (10 ms delay, 1 % loss) on the data direction,
one segment per skb.

Writes results.json, results.md and ratios.dat (for gnuplot) to --out and
prints the table.  --perf records `perf record -a -g` around each ktcp
and TCP run of the selected cases and keeps the top symbols.
"""
import argparse
import collections
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.environ.get("KTCP_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import ktcptest  # noqa: E402

BENCH = os.path.join(ROOT, "tools", "bench", "ktcp-bench")
SHIM = os.path.join(ROOT, "tools", "ktcp-run")
PROTOS = {"tcp": socket.IPPROTO_TCP, "ktcp": ktcptest.PROTO}

# name, path, kind, seconds, streams
CASES = [
    ("lo-bulk1", "lo", "bulk", 4, 1),
    ("lo-bulk4", "lo", "bulk", 4, 4),
    ("lo-rr", "lo", "rr", 3, 1),
    ("lo-crr", "lo", "crr", 3, 1),
    ("veth-bulk1", "veth", "bulk", 4, 1),
    ("veth-bulk4", "veth", "bulk", 4, 4),
    ("veth-rr", "veth", "rr", 3, 1),
    ("veth-crr", "veth", "crr", 3, 1),
    ("loss-bulk1", "loss", "bulk", 10, 1),
    ("lo-idle", "lo", "idle", 10000, 1),
]

# Goodput under loss turns on where the first losses fall in slow start:
# one 10 s run of TCP gave 5.0 Mbit/s, the next 7.4.  Its median needs
# more rounds than the other cases.
LOSS_ROUNDS = 7

# veth's default gso_max_segs, restored after the loss case.
GSO_MAX_SEGS = 65535

# What each kind reports, its unit, and whether more is better.
METRICS = {
    "bulk": [("gbps", "Gbit/s", True), ("tx_cpu", "tx CPU s/GB", False),
             ("rx_cpu", "rx CPU s/GB", False)],
    "rr": [("p50_us", "us p50", False), ("p99_us", "us p99", False)],
    "crr": [("rate", "conn/s", True)],
    "idle": [("bytes_per_conn", "B/conn", False)],
}

# Issue #7's targets for the ktcp/TCP ratio: at least this where more is
# better, at most where less is.  CPU per byte and p99 are shown, not
# judged.
TARGETS = {"gbps": 1.0, "p50_us": 1.0, "rate": 1.0, "bytes_per_conn": 1.0}
LOSS_GOODPUT_TARGET = 0.9


def target_of(path, key):
    if path == "loss" and key == "gbps":
        return LOSS_GOODPUT_TARGET
    return TARGETS.get(key)


def verdict(ratio, target, higher):
    """1 if the ratio meets its target, 0 if not (or if no run gave a
    figure), None if the measure has no target."""
    if target is None:
        return None
    if ratio is None:
        return 0
    return int(ratio >= target if higher else ratio <= target)


# Where each path's server listens and which namespaces run the ends.
PATHS = {
    "lo": {"addr": "127.0.0.1", "server": None, "client": None},
    "veth": {"addr": "192.0.2.2", "server": "b", "client": "a"},
    "loss": {"addr": "192.0.2.2", "server": "b", "client": "a"},
}

port_base = 20000


def next_port():
    global port_base
    port_base += 1
    return port_base


def in_ns(netns, side, argv):
    if side is None:
        return argv
    return ["ip", "netns", "exec", netns.names[side]] + argv


def wait_listening(netns, side, proto, port, timeout=10.0):
    """Until something listens on port: try to connect with proto."""
    addr = PATHS["lo"]["addr"] if side is None else netns.addr[side]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if side is not None:
            netns.enter(side)
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        finally:
            if side is not None:
                netns.enter(None)
        try:
            s.settimeout(1)
            s.connect((addr, port))
            return
        except OSError:
            time.sleep(0.1)
        finally:
            s.close()
    raise RuntimeError(f"nothing listens on {addr}:{port}")


def listening(netns, side, name, port):
    """Does a socket of protocol name listen on port in side's namespace?"""
    argv = in_ns(netns, side, ["cat", f"/proc/net/{name}"])
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    for line in out.splitlines()[1:]:
        v = line.split()
        if len(v) > 3 and v[3] == "0A" and v[1].endswith(f":{port:04X}"):
            return True
    return False


def shim(name, argv):
    return [SHIM] + argv if name == "ktcp" else argv


def children_cpu():
    """CPU seconds of the children waited for so far.  Protocol work done
    in a task's context (loopback's receive softirq runs in the sender's)
    is charged to that task."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_bulk(netns, path, name, secs, streams):
    p = PATHS[path]
    port = next_port()
    srv = subprocess.Popen(in_ns(netns, p["server"], shim(name, [
        "iperf3", "-4", "-s", "-p", str(port)])),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # A probe connection would upset iperf3's control protocol:
        # look for its listener in /proc/net instead.
        deadline = time.time() + 30
        while not listening(netns, p["server"], name, port):
            if srv.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"iperf3 server: {srv.stderr.read()}")
            time.sleep(0.2)
        cpu0 = children_cpu()
        out = subprocess.run(in_ns(netns, p["client"], shim(name, [
            "iperf3", "-4", "-c", p["addr"], "-p", str(port), "-t",
            str(secs), "-l", "64K", "-P", str(streams), "-J"])),
            capture_output=True, text=True, timeout=secs + 60)
        cpu1 = children_cpu()
        r = json.loads(out.stdout)
        if "error" in r:
            raise RuntimeError(f"iperf3: {r['error']}")
        end = r["end"]
        bps = end["sum_received"]["bits_per_second"]
        retr = end["sum_sent"].get("retransmits", 0)
        gbytes = end["sum_received"]["bytes"] / 1e9
        if not gbytes:
            raise RuntimeError("iperf3: nothing received")
    finally:
        srv.kill()
        srv.wait()
    return {"gbps": bps / 1e9, "retransmits": retr,
            "tx_cpu": (cpu1 - cpu0) / gbytes,
            "rx_cpu": (children_cpu() - cpu1) / gbytes}


def run_small(netns, path, name, kind, secs):
    p = PATHS[path]
    port = next_port()
    proto = PROTOS[name]
    srv = subprocess.Popen(in_ns(netns, p["server"], [
        BENCH, "server", str(proto), p["addr"], str(port)]))
    try:
        wait_listening(netns, p["server"], proto, port)
        out = subprocess.run(in_ns(netns, p["client"], [
            BENCH, kind, str(proto), p["addr"], str(port), str(secs)]),
            capture_output=True, text=True, timeout=secs + 60, check=True)
        return json.loads(out.stdout)
    finally:
        srv.kill()
        srv.wait()


def slabinfo():
    """Cache name -> (active objects, object size)."""
    caches = {}
    with open("/proc/slabinfo") as f:
        for line in f:
            if line.startswith(("slabinfo", "#")):
                continue
            v = line.split()
            caches[v[0]] = (int(v[1]), int(v[3]))
    return caches


def run_idle(name, n):
    """Slab memory per idle connection; the caches that grew, per conn."""
    p = subprocess.Popen([BENCH, "idle", str(PROTOS[name]), str(n)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    snaps = []
    for want in ("base", "held"):
        line = p.stdout.readline().strip()
        if line != want:
            p.kill()
            raise RuntimeError(f"ktcp-bench idle: {line!r}, not {want}")
        snaps.append(slabinfo())
        p.stdin.write("\n")
        p.stdin.flush()
    r = json.loads(p.stdout.readline())
    p.wait(timeout=600)
    grew = {}
    for cache, (objs, size) in snaps[1].items():
        delta = objs - snaps[0].get(cache, (0, size))[0]
        if delta * size >= n * 16:
            grew[cache] = round(delta * size / n)
    r["caches"] = dict(sorted(grew.items(), key=lambda kv: -kv[1]))
    # Closed sockets sit in TIME-WAIT; let them go before the next run.
    time.sleep(1)
    return r


def run_case(netns, case, name):
    cname, path, kind, secs, streams = case
    if kind == "bulk":
        return run_bulk(netns, path, name, secs, streams)
    if kind == "idle":
        return run_idle(name, secs)
    return run_small(netns, path, name, kind, secs)


class Perf:
    """perf record -a -g around one run; the top symbols into a file.

    The samples go to the guest's tmpfs: writing them over 9p would
    profile 9p.
    """

    def __init__(self, out, tag):
        self.data = f"/tmp/perf-{tag}.data"
        self.txt = os.path.join(out, f"perf-{tag}.txt")
        ctl, ack = "/tmp/perf-ctl", "/tmp/perf-ack"
        for fifo in (ctl, ack):
            if os.path.exists(fifo):
                os.unlink(fifo)
            os.mkfifo(fifo)
        # Start disabled and enable through the control FIFO: the ack
        # comes once perf has set up and really records (seconds in TCG).
        self.proc = subprocess.Popen(
            ["perf", "record", "-a", "-g", "-q", "-D", "-1", "--control",
             f"fifo:{ctl},{ack}", "-o", self.data],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(ctl, "w") as c, open(ack) as a:
            c.write("enable\n")
            c.flush()
            a.readline()

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait()
        base = ["perf", "report", "-i", self.data, "--stdio",
                "--kallsyms=/proc/kallsyms", "-g", "none",
                "--percent-limit", "0.3"]
        with open(self.txt, "w") as f:
            for title, args in (("self", ["--no-children", "--sort", "sym"]),
                                ("with children", ["--children", "--sort",
                                                   "sym"])):
                f.write(f"## {title}\n")
                f.flush()
                subprocess.run(base + args, stdout=f,
                               stderr=subprocess.DEVNULL)
        os.unlink(self.data)


def setup_loss(netns):
    # The data direction (client a -> server b) is delayed and lossy;
    # ACKs only see the delay of the other side so the RTT is 20 ms.
    # netem drops whole skbs, so with GSO "1 % loss" would lose 1 % of
    # skbs of up to 45 segments each, a rate per segment set by how each
    # stack sizes its skbs.  One segment per skb makes it 1 % of packets
    # for both; sockets take the limit from the route when they connect.
    netns.ip("a", "link", "set", "veth-a", "gso_max_segs", "1")
    netns.tc("a", "qdisc", "add", "dev", "veth-a", "root", "netem",
             "delay", "10ms", "loss", "1%", "limit", "10000")
    netns.tc("b", "qdisc", "add", "dev", "veth-b", "root", "netem",
             "delay", "10ms", "limit", "10000")


def clear_loss(netns):
    netns.ip("a", "link", "set", "veth-a", "gso_max_segs",
             str(GSO_MAX_SEGS))
    netns.tc("a", "qdisc", "del", "dev", "veth-a", "root", check=False)
    netns.tc("b", "qdisc", "del", "dev", "veth-b", "root", check=False)


def ratio_of(kind, runs):
    """Per measure, the median of the rounds' ktcp/TCP ratios.  A round
    runs the two stacks back to back, so each pair shares the host's
    state, which drifts between rounds by more than the stacks differ."""
    out = {}
    tcp = {r["round"]: r for r in runs["tcp"]}
    for key, _, _ in METRICS[kind]:
        rs = [k[key] / tcp[k["round"]][key] for k in runs["ktcp"]
              if tcp.get(k["round"], {}).get(key) and
              k.get(key) is not None]
        out[key] = statistics.median(rs) if rs else None
    return out


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


# One line of the table; met is 1, 0, or None where no target applies.
Row = collections.namedtuple(
    "Row", "measure tcp ktcp ratio better target met")


def table(results):
    rows = []
    for cname, r in results.items():
        kind = r["kind"]
        for key, unit, higher in METRICS[kind]:
            # The lossy path's goodput is window-bound: CPU per byte
            # there measures timers, not the stacks' costs.
            if r["path"] == "loss" and key != METRICS[kind][0][0]:
                continue
            rat = r["ratio"].get(key)
            tgt = target_of(r["path"], key)
            goal = "-" if tgt is None else \
                f"{'>=' if higher else '<='} {tgt:g}"
            rows.append(Row(f"{cname} {unit}", r["tcp"].get(key),
                            r["ktcp"].get(key), rat,
                            "higher" if higher else "lower", goal,
                            verdict(rat, tgt, higher)))
    return rows


def summary(rows):
    judged = [r for r in rows if r.met is not None]
    missed = [r.measure for r in judged if not r.met]
    line = f"targets met: {len(judged) - len(missed)} of {len(judged)}"
    return line + (f" (missed: {', '.join(missed)})" if missed else "")


def write_outputs(out, meta, results):
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    rows = table(results)
    head = ("measure", "TCP", "ktcp", "ktcp/TCP", "better", "target")
    cells = [[r.measure, fmt(r.tcp), fmt(r.ktcp), fmt(r.ratio), r.better,
              r.target] for r in rows]
    w = [max(len(head[i]), *(len(c[i]) for c in cells))
         for i in range(len(head))]
    lines = ["  ".join(h.ljust(w[i]) for i, h in enumerate(head))]
    for c in cells:
        lines.append("  ".join(x.ljust(w[i]) for i, x in enumerate(c)))
    print("\n".join(lines))
    print(summary(rows))
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(f"ktcp against kernel TCP, kernel {meta['kernel']}, "
                f"{meta['rounds']} round(s) ({meta['loss_rounds']} under "
                f"loss); TCP and ktcp: medians; ktcp/TCP: median of "
                f"the rounds' ratios\n\n")
        f.write("| " + " | ".join(head) + " |\n")
        f.write("|" + "---|" * len(head) + "\n")
        for c in cells:
            f.write("| " + " | ".join(c) + " |\n")
        f.write(f"\n{summary(rows)}\n")
        for cname, r in results.items():
            if r["kind"] != "idle":
                continue
            f.write(f"\nSlab caches that grew, bytes per connection "
                    f"(both ends), {cname}:\n\n")
            for name in ("tcp", "ktcp"):
                caches = (r["runs"][name] or [{}])[0].get("caches", {})
                f.write(f"- {name}: " + ", ".join(
                    f"{c} {b}" for c, b in caches.items()) + "\n")
    with open(os.path.join(out, "ratios.dat"), "w") as f:
        f.write("# measure ratio target(1 met, 0 missed, -1 none)\n")
        for r in rows:
            if r.ratio is not None:
                met = -1 if r.met is None else r.met
                f.write(f"\"{r.measure}\" {r.ratio:.4f} {met}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, ".build", "bench"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--perf", action="store_true",
                    help="profile each run with perf record -a -g")
    ap.add_argument("--conns", type=int, default=10000,
                    help="idle connections for the memory case")
    ap.add_argument("--param", action="append", default=[],
                    metavar="NAME=VALUE",
                    help="set a ktcp module parameter first, e.g. gso=0")
    ap.add_argument("--sysctl", action="append", default=[],
                    metavar="NAME=VALUE",
                    help="set net.ktcp.NAME first; new namespaces copy it, "
                    "e.g. congestion_control=reno")
    a = ap.parse_args()
    for nv in a.param:
        name, value = nv.split("=", 1)
        ktcptest.param(name, value)
    for nv in a.sysctl:
        name, value = nv.split("=", 1)
        with open(f"/proc/sys/net/ktcp/{name}", "w") as f:
            f.write(value)
    os.makedirs(a.out, exist_ok=True)
    cases = [c for c in CASES if not a.only or c[0] in a.only.split(",")]
    cases = [(c[0], c[1], c[2], a.conns, c[4]) if c[2] == "idle" else c
             for c in cases]
    if a.perf:
        for k, v in (("kptr_restrict", "0"), ("perf_event_paranoid", "-1")):
            with open(f"/proc/sys/kernel/{k}", "w") as f:
                f.write(v)

    netns = ktcptest.Netns()
    raw = {}
    try:
        for case in cases:
            cname, path, kind = case[0], case[1], case[2]
            if path == "loss":
                setup_loss(netns)
            try:
                runs = {"tcp": [], "ktcp": []}
                # Slab memory does not vary between runs like timings do.
                rounds = 1 if kind == "idle" else a.rounds
                if path == "loss":
                    rounds = max(rounds, LOSS_ROUNDS)
                for rnd in range(rounds):
                    order = ("tcp", "ktcp") if rnd % 2 == 0 else ("ktcp", "tcp")
                    for name in order:
                        perf = Perf(a.out, f"{cname}-{name}") if a.perf else None
                        try:
                            r = run_case(netns, case, name)
                        except (RuntimeError, OSError, ValueError,
                                subprocess.SubprocessError) as e:
                            # One failed run must not cost the others.
                            print(f"# {cname} {name}: failed: {e}",
                                  file=sys.stderr, flush=True)
                            continue
                        finally:
                            if perf:
                                perf.stop()
                        r["round"] = rnd
                        runs[name].append(r)
                        print(f"# {cname} {name}: {json.dumps(r)}",
                              file=sys.stderr, flush=True)
            finally:
                if path == "loss":
                    clear_loss(netns)
            res = {"kind": kind, "path": path, "runs": runs}
            for name in runs:
                res[name] = {k: statistics.median(r[k] for r in runs[name])
                             for k, v in (runs[name] or [{}])[0].items()
                             if isinstance(v, (int, float)) and k != "round"}
            res["ratio"] = ratio_of(kind, runs)
            raw[cname] = res
    finally:
        netns.close()
    meta = {"kernel": os.uname().release, "rounds": a.rounds,
            "loss_rounds": max(a.rounds, LOSS_ROUNDS),
            "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "cpus": os.cpu_count()}
    write_outputs(a.out, meta, raw)


if __name__ == "__main__":
    main()
