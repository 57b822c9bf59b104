# SPDX-License-Identifier: GPL-2.0
"""Verified transfers with tools/ktcp-xfer between the two namespaces of
ktcptest.Netns (server in b at 192.0.2.2, client in a), under tc netem."""
import os
import subprocess
import time

from ktcptest import check, check_eq, in_netns, sockets, stats, wait_for

XFER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "..", "..", "tools", "ktcp-xfer")


def netem(net, *args, sides=("a", "b")):
    """The same netem on the egress of both veth ends, or of @sides; no
    arguments: remove it."""
    for side in sides:
        if args:
            net.tc(side, "qdisc", "replace", "dev", net.dev[side], "root",
                   "netem", *args)
        else:
            subprocess.run(["tc", "-n", net.names[side], "qdisc", "del",
                            "dev", net.dev[side], "root"],
                           stderr=subprocess.DEVNULL)


def ns_stats(net, side):
    net.enter(side)
    try:
        return stats()
    finally:
        net.enter(None)


def ns_states(net, side, port):
    net.enter(side)
    try:
        return sorted(r["state"] for r in sockets()
                      if port in (r["lport"], r["rport"]))
    finally:
        net.enter(None)


def _cmd(net, side, args):
    return in_netns(net.names[side]) + [XFER] + args


def xfer(net, what, port, size, server_args=(), client_args=(),
         timeout=300, stall=60):
    """Run one transfer of @size bytes each way and check it end to end:
    both programs verified every byte and read EOF (exit 0), and the
    connection closed in order: within @stall seconds nothing but
    TIME-WAIT is left of it in either namespace.  Returns the seconds the
    transfer took and the two programs' report lines."""
    if not check(os.access(XFER, os.X_OK), f"{XFER} is built"):
        return None
    common = ["-P", str(port), "-n", str(size), "-t", str(stall)]
    t0 = time.time()
    srv = subprocess.Popen(_cmd(net, "b", ["-s"] + common + list(server_args)),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    first = srv.stdout.readline()
    cli = subprocess.Popen(_cmd(net, "a", ["-c", "-a", net.addr["b"]] +
                                common + list(client_args)),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    try:
        cout, _ = cli.communicate(timeout=timeout)
        left = timeout - (time.time() - t0)
        sout, _ = srv.communicate(timeout=max(10, left))
    except subprocess.TimeoutExpired:
        cli.kill()
        srv.kill()
        cout, _ = cli.communicate()
        sout, _ = srv.communicate()
    dt = time.time() - t0
    for line in (first + sout + cout).splitlines():
        print(f"     {line}")
    for name, p in (("client", cli), ("server", srv)):
        check_eq(p.returncode, 0, f"{what}: {name} sent and verified every "
                 "byte, read EOF, closed")
    print(f"     {what}: {dt:.1f} s")
    # The FIN exchange runs under the same netem, with an RTO that the
    # transfer may have backed off: give it as long as a stall.
    for side in ("a", "b"):
        left = []
        ok = wait_for(lambda: not [s for s in ns_states(net, side, port)
                                   if s != "TIME_WAIT"], timeout=stall)
        if not ok:
            left = ns_states(net, side, port)
        check(ok, f"{what}: only TIME-WAIT left on side {side} {left}")
    return dt, sout, cout


# The conditions of issue 4, as netem arguments for both ends.  netem
# reorders only packets it delays, so reordering needs a delay.
CONDITIONS = {
    "loss 1%": ("loss", "1%"),
    "loss 5%": ("loss", "5%"),
    "loss 20%": ("loss", "20%"),
    "reorder 25%": ("delay", "5ms", "reorder", "25%", "50%"),
    "duplicate 5%": ("duplicate", "5%"),
    "corrupt 1%": ("corrupt", "1%"),
    "delay 20ms jitter 5ms": ("delay", "20ms", "5ms"),
}

# What each condition must make the stack do, as counter deltas summed
# over both namespaces: losses are repaired by retransmission, corrupt
# segments fail the checksum, duplicates are dropped as old.
EVIDENCE = {
    "loss": "RetransSegs",
    "corrupt": "DropBadChecksum",
    "duplicate": "DropOutOfWindow",
}


def run_condition(net, name, port, size, timeout=600, stall=60, cong=None):
    """netem @name on both ends, one verified transfer, netem removed.
    @cong: the congestion control both ends select (ktcp-xfer -C), which
    both must then report."""
    before = [ns_stats(net, s) for s in ("a", "b")]
    what = f"{name}, {size / (1 << 20):g} MiB" + (f", {cong}" if cong else "")
    args = ("-C", cong) if cong else ()
    netem(net, *CONDITIONS[name])
    try:
        res = xfer(net, what, port, size, server_args=args, client_args=args,
                   timeout=timeout, stall=stall)
    finally:
        netem(net)
    if cong:
        for side, out in zip(("server", "client"), res[1:] if res else ("", "")):
            check(f"congestion control {cong}\n" in out,
                  f"{what}: the {side} reports congestion control {cong}")
    after = [ns_stats(net, s) for s in ("a", "b")]
    counter = EVIDENCE.get(name.split()[0])
    if counter:
        moved = sum(a[counter] - b[counter] for a, b in zip(after, before))
        check(moved > 0, f"{name}: {counter} moved ({moved})")
    return res
