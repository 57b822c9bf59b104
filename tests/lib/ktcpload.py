# SPDX-License-Identifier: GPL-2.0
"""Running the load generators of tools/stress/ from guest tests."""
import os
import subprocess

from ktcptest import (check, check_eq, done, live, sockstat, states_on,
                      stats, sysctl, wait_for)

TOOLS = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "stress")


def tool(name):
    """Path of a tools/stress program; the test ends if it is not built."""
    path = os.path.join(TOOLS, name)
    if not check(os.access(path, os.X_OK), f"{name} is built (make tools)"):
        done()
    return path


def size(var, debug, other):
    """$var if set, else the size for this kernel (debug is ~3x slower)."""
    return int(os.environ.get(var) or
               (debug if os.environ.get("KTCP_KERNEL") == "debug" else other))


def load(*args):
    """Run ktcp-load ARGS, show its output, return the CompletedProcess."""
    r = subprocess.run([tool("ktcp-load")] + [str(a) for a in args],
                       capture_output=True, text=True, timeout=1800)
    print(r.stdout + r.stderr[-3000:])
    return r


class Settle:
    """What the load tests check after their load: every socket on @port
    gone (TIME-WAIT shortened to 200 ms in the test's namespace), socket
    memory back; returns the counters for the test's own checks."""

    def __init__(self, port):
        self.port = port
        sysctl("net.ktcp.tw_timeout_ms", 200)
        self.live, self.stats, self.mem = live(), stats(), sockstat()["mem"]

    def check(self):
        base, port = self.live, self.port
        check(wait_for(lambda: live() == base and not states_on(port),
                       timeout=60),
              f"socket count, TIME-WAIT aside, back to {base} (now {live()})")
        check_eq(states_on(port), [], "/proc/net/ktcp has none of them")
        check(wait_for(lambda: sockstat()["mem"] <= self.mem),
              f"socket memory back to {self.mem} pages "
              f"(now {sockstat()['mem']})")
        return stats()

