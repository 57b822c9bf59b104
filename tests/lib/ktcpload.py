# SPDX-License-Identifier: GPL-2.0
"""Running the load generators of tools/stress/ from guest tests."""
import os
import subprocess

from ktcptest import check, done

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
