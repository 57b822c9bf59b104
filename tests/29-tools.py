#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The ktcp events through the tools kernel people use: trace-cmd, perf
record/script, perf trace, and dynamic debug in dmesg.  Each records the
seed tutorial's connection; where the tool prints the events as text,
tools/ktcp-ladder must draw exactly tests/25-ladder.expected from it.
"""
# kernels: 6.1 6.12 7
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LADDER = os.path.join(ROOT, "tools", "ktcp-ladder")
OUT = os.path.join(ROOT, ".build", "29-tools", os.environ.get("KTCP_KERNEL",
                                                              "k"))
DDC = "/sys/kernel/debug/dynamic_debug/control"
os.makedirs(OUT, exist_ok=True)
EXPECTED = open(os.path.join(HERE, "25-ladder.expected")).read()


def scenario(cport, sport):
    """The command that runs the seed connection on these ports."""
    return [sys.executable, "-c",
            f"import sys; sys.path.insert(0, {os.path.join(HERE, 'lib')!r})\n"
            "from ktcpseed import seed_connection\n"
            f"seed_connection({cport}, {sport}).close()"]


def expected(cport, sport):
    # Same widths as 40025/5025, so the layout is identical.
    return EXPECTED.replace("40025", str(cport)).replace(":5025", f":{sport}")


def run(what, cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    check_eq(r.returncode, 0, f"{what} exits 0")
    if r.returncode:
        print(r.stdout[-2000:], r.stderr[-2000:])
    return r


def ladder_of(what, text, cport, sport):
    path = os.path.join(OUT, what.replace(" ", "-") + ".txt")
    with open(path, "w") as f:
        f.write(text)
    r = run(f"ktcp-ladder on {what}", [LADDER, path])
    check_eq(r.stdout, expected(cport, sport),
             f"ktcp-ladder of {what} equals 25-ladder.expected")


def record_report(tool, record, report, cport, sport, event):
    """Record the seed connection with a tool, print it as text, and find
    the client's first event in it and the whole ladder."""
    # Guest tmpfs: perf writes from its ring buffer's pages, which 9p
    # cannot take on 7.x (EFAULT).
    dat = os.path.join("/tmp", f"29-tools-{tool}.dat")
    run(f"{tool} {' '.join(record)}",
        [tool, *record, "-o", dat, *scenario(cport, sport)], cwd=OUT)
    text = run(f"{tool} {report}", [tool, report, "-i", dat]).stdout
    pat = (rf"ktcp_{event}: +(out )?127\.0\.0\.1:{cport}>127\.0\.0\.1:"
           rf"{sport} ")
    check(re.search(pat, text) is not None,
          f"{tool} {report}: the client's {event} events")
    ladder_of(f"{tool} {report}", text, cport, sport)


check(shutil.which("trace-cmd") is not None,
      "trace-cmd is installed (scripts/deps)")
record_report("trace-cmd", ["record", "-q", "-e", "ktcp"], "report",
              40291, 5291, "state")
# -a: delayed ACKs go out from timers, in no task of the command.
record_report("perf", ["record", "-q", "-a", "-e", "ktcp:*"], "script",
              40292, 5292, "segment")

# perf trace -e 'ktcp:*' prints the events as they happen.
r = run("perf trace -e ktcp:*",
        ["perf", "trace", "-a", "-e", "ktcp:*", "-o",
         os.path.join(OUT, "perf-trace.txt"), *scenario(40293, 5293)],
        cwd=OUT)
ptrace = open(os.path.join(OUT, "perf-trace.txt")).read()
print(ptrace[:1500])
# perf trace prints the fields by name and leaves out those that are 0;
# perf 6.1 shows the address arrays as pointers, so match the ports.
for what, pat in (("state", r"ktcp:ktcp_state\(.*sport: 40293, dport: 5293, "
                            r"oldstate: 7, newstate: 2\)"),
                  ("SYN-ACK", r"ktcp:ktcp_segment\(out: 1, .*sport: 5293, "
                              r"dport: 40293, flags: 18, ack: 1, win: \d+\)"),
                  ("last ACK", r"ktcp:ktcp_segment\(.*sport: 40293, dport: "
                               r"5293, flags: 16, seq: 1002, ack: 2052, "
                               r"win: \d+\)")):
    check(re.search(pat, ptrace) is not None, f"perf trace shows the {what}")

# Dynamic debug: the dmesg lines without the trace parameter.
if not os.path.exists(DDC):
    subprocess.run(["mount", "-t", "debugfs", "none", "/sys/kernel/debug"])
check(os.path.exists(DDC), "dynamic debug control file")
sysctl("net.ktcp.trace", 0)
subprocess.run(["dmesg", "-C"], check=True)
with open(DDC, "w") as f:
    f.write("module ktcp +p")
try:
    run("seed connection", scenario(40294, 5294))
finally:
    with open(DDC, "w") as f:
        f.write("module ktcp -p")
dm = run("dmesg", ["dmesg"]).stdout
ladder_of("dynamic debug dmesg", dm, 40294, 5294)
# Only the state changes: one call site, by function.
subprocess.run(["dmesg", "-C"], check=True)
with open(DDC, "w") as f:
    f.write("module ktcp func ktcp_set_state +p")
try:
    srv, c, s = pair(7295)
    c.close()
    s.close()
    srv.close()
finally:
    with open(DDC, "w") as f:
        f.write("module ktcp -p")
dm = [l for l in run("dmesg", ["dmesg"]).stdout.splitlines()
      if "127.0.0.1:7295" in l]
check(any("LISTEN>SYN-RECEIVED" in l for l in dm),
      "func ktcp_set_state +p: state lines")
check(not any("ktcp: out " in l or "ktcp: in " in l for l in dm),
      "func ktcp_set_state +p: no segment lines")
done()
