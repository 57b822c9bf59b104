# SPDX-License-Identifier: GPL-2.0
"""Verified transfers with tools/ktcp-xfer between the two namespaces of
ktcptest.Netns (server in b at 192.0.2.2, client in a), under tc netem."""
import os
import subprocess
import time

from ktcptest import check, check_eq, sockets, stats, wait_for

XFER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "..", "..", "tools", "ktcp-xfer")


def netem(net, *args):
    """The same netem on the egress of both veth ends (None: remove)."""
    for side in ("a", "b"):
        subprocess.run(["ip", "netns", "exec", net.names[side], "tc",
                        "qdisc", "del", "dev", net.dev[side], "root"],
                       stderr=subprocess.DEVNULL)
        if args:
            net.tc(side, "qdisc", "add", "dev", net.dev[side], "root",
                   "netem", *args)


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
    return ["ip", "netns", "exec", net.names[side], XFER] + args


def xfer(net, what, port, size, server_args=(), client_args=(),
         timeout=300, stall=60):
    """Run one transfer of @size bytes each way and check it end to end:
    both programs verified every byte and read EOF (exit 0), and the
    connection closed in order: within a few seconds nothing but
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
        sout, _ = srv.communicate(timeout=max(10, timeout - (time.time() - t0)))
    except subprocess.TimeoutExpired:
        cli.kill()
        srv.kill()
        cout, _ = cli.communicate()
        sout, _ = srv.communicate()
    dt = time.time() - t0
    for line in (first + sout + cout).splitlines():
        print(f"     {line}")
    mib = f"{size / (1 << 20):g} MiB"
    check_eq(cli.returncode, 0, f"{what}: client sent and verified {mib} "
             "each way, read EOF, closed")
    check_eq(srv.returncode, 0, f"{what}: server sent and verified {mib} "
             "each way, read EOF, closed")
    print(f"     {what}: {dt:.1f} s")
    for side in ("a", "b"):
        left = []
        ok = wait_for(lambda: not [s for s in ns_states(net, side, port)
                                   if s != "TIME_WAIT"], timeout=15)
        if not ok:
            left = ns_states(net, side, port)
        check(ok, f"{what}: only TIME-WAIT left on side {side} {left}")
    return dt, sout, cout
