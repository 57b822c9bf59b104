#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Run packetdrill's TCP scripts against kernel TCP and against ktcp, in
the guest that make packetdrill boots, and write a table of the outcomes.

    suite.py BUILD_DIR SCRIPTS_DIR TABLE [DIR...]

BUILD_DIR holds the patched packetdrill and in_netns.sh; SCRIPTS_DIR is
gtests/net/tcp of the packetdrill checkout; DIRs, if given, limit the run
to those subdirectories.  Every script runs over IPv4 (as packetdrill's
run_all.py runs its ipv4 variant), one at a time in its own network
namespace, first on kernel TCP, then with PACKETDRILL_TCP_PROTOCOL=253 so
that its sockets are ktcp sockets and its segments ride protocol 253.
"""
import os
import subprocess
import sys
import time

IPV4 = ["--ip_version=ipv4", "--local_ip=192.168.0.1",
        "--gateway_ip=192.168.0.1", "--netmask_ip=255.255.0.0",
        "--remote_ip=192.0.2.1", "-D", "TFO_COOKIE=3021b9d889017eeb",
        "-D", "CODE=host_unreachable", "-D", "CMSG_LEVEL_IP=SOL_IP",
        "-D", "CMSG_TYPE_RECVERR=IP_RECVERR"]
STACKS = (("tcp", {}), ("ktcp", {"PACKETDRILL_TCP_PROTOCOL": "253"}))
TIMEOUT = 180


def scripts(top, dirs):
    """The IPv4 scripts under @top (or its @dirs), sorted."""
    found = []
    for sub in sorted(os.listdir(top)):
        path = os.path.join(top, sub)
        if not os.path.isdir(path) or (dirs and sub not in dirs):
            continue
        for name in sorted(os.listdir(path)):
            if name.endswith(".pkt") and not name.endswith("v6.pkt"):
                found.append(os.path.join(path, name))
    return found


def first_error(out):
    """The line of packetdrill's output that says what failed first."""
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    for line in lines:
        if ".pkt:" in line or "error" in line.lower():
            return line
    return lines[0] if lines else ""


def run(build, script, env):
    cmd = [os.path.join(build, "in_netns.sh"),
           os.path.join(build, "packetdrill"), "--send_omit_free"] + IPV4 + \
        [os.path.basename(script)]
    try:
        p = subprocess.run(cmd, cwd=os.path.dirname(script),
                           env=dict(os.environ, **env), timeout=TIMEOUT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return False, f"timed out after {TIMEOUT} s"
    return p.returncode == 0, "" if p.returncode == 0 else first_error(
        p.stdout)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    build, top, table = sys.argv[1:4]
    subprocess.run(["modprobe", "tun"], stderr=subprocess.DEVNULL)
    rows = []
    t0 = time.time()
    for script in scripts(top, set(sys.argv[4:])):
        name = os.path.relpath(script, top)
        got = {stack: run(build, script, env) for stack, env in STACKS}
        rows.append((name, got))
        print(f"{name}: tcp {'pass' if got['tcp'][0] else 'FAIL'}, ktcp "
              f"{'pass' if got['ktcp'][0] else 'FAIL'}", flush=True)
    both = sum(1 for _, g in rows if g["tcp"][0] and g["ktcp"][0])
    tcp = sum(1 for _, g in rows if g["tcp"][0])
    ktcp = sum(1 for _, g in rows if g["ktcp"][0])
    width = max([len(n) for n, _ in rows] + [4])
    with open(table, "w") as f:
        f.write(f"{'test':{width}}  tcp   ktcp  ktcp's first error\n")
        for name, got in rows:
            f.write(f"{name:{width}}  {'pass' if got['tcp'][0] else 'FAIL'}"
                    f"  {'pass' if got['ktcp'][0] else 'FAIL'}  "
                    f"{got['ktcp'][1]}\n")
        summary = (f"{len(rows)} scripts: kernel TCP passes {tcp}, ktcp "
                   f"{ktcp}, ktcp {both} of TCP's {tcp} "
                   f"({100 * both // max(tcp, 1)} %); "
                   f"{time.time() - t0:.0f} s\n")
        f.write(summary)
    print(summary, end="")


if __name__ == "__main__":
    main()
