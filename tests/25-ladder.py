#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tools/ktcp-ladder draws the seed tutorial's connection as expected.

The connection runs once, traced three ways at the same time: tracefs
events, the dmesg trace (trace=2) and a pcap.  The text ladder from the
tracepoints and from dmesg must equal tests/25-ladder.expected byte for
byte; the pcap (no states in it) must give the same arrows; the SVG must
be well-formed XML with one arrow per segment, same directions and labels.
"""
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403
from ktcpseed import seed_connection  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LADDER = os.path.join(HERE, "..", "tools", "ktcp-ladder")
OUT = os.path.join(HERE, "..", ".build", "25-ladder")
CPORT, SPORT = 40025, 5025


def ladder(*args):
    r = subprocess.run([LADDER, *args], capture_output=True, text=True)
    check_eq(r.returncode, 0, f"ktcp-ladder {' '.join(args[:-1])} exits 0")
    if r.stderr:
        print(r.stderr)
    return r.stdout


os.makedirs(OUT, exist_ok=True)
pcap = os.path.join(OUT, "seed.pcap")
tracefs("trace", "")
tracefs("events/ktcp/enable", "1")
sysctl("net.ktcp.trace", 2)
subprocess.run(["dmesg", "-C"], check=True)
cap = Capture("lo")
try:
    c = seed_connection(CPORT, SPORT)
finally:
    cap.stop()
    sysctl("net.ktcp.trace", 0)
    tracefs("events/ktcp/enable", "0")
c.close()
shutil.copyfile(cap.path, pcap)
os.unlink(cap.path)
with open(os.path.join(OUT, "trace.txt"), "w") as f:
    f.write(open(f"{TRACEFS}/trace").read())
with open(os.path.join(OUT, "dmesg.txt"), "w") as f:
    f.write(subprocess.run(["dmesg"], capture_output=True, text=True,
                           check=True).stdout)

want = open(os.path.join(HERE, "25-ladder.expected")).read()
got = ladder(os.path.join(OUT, "trace.txt"))
print(got)
check_eq(got, want, "tracepoint ladder equals 25-ladder.expected")
check_eq(ladder(os.path.join(OUT, "dmesg.txt")), want,
         "dmesg ladder equals 25-ladder.expected")
check_eq(ladder("--no-states", pcap),
         ladder("--no-states", os.path.join(OUT, "trace.txt")),
         "pcap ladder has the tracepoint ladder's arrows")

# The arrows of the expected text: direction and label.
arrows = []
for line in want.splitlines():
    if "-->|" in line:
        arrows.append(("right", line.split("|--", 1)[1].split(" -")[0]))
    elif "|<-" in line:
        arrows.append(("left", line.rsplit("--|", 1)[0].split("- ")[-1]))
check_eq(len(arrows), 13, "expected ladder has the seed's 13 segments")

svg = ladder("--svg", os.path.join(OUT, "trace.txt"))
with open(os.path.join(OUT, "seed.svg"), "w") as f:
    f.write(svg)
try:
    root = ET.fromstring(svg)
except ET.ParseError as e:
    root = None
    check(False, f"SVG is well-formed XML: {e}")
if root is not None:
    ns = "{http://www.w3.org/2000/svg}"
    check_eq(root.tag, ns + "svg", "root element is svg")
    segs = [el for el in root.iter(ns + "line") if el.get("class") == "seg"]
    labels = [el.text for el in root.iter(ns + "text")
              if el.get("class") == "label"]
    check_eq([s.get("data-dir") for s in segs], [a[0] for a in arrows],
             "SVG arrows: same directions, in order")
    check_eq(labels, [a[1] for a in arrows], "SVG arrow labels, in order")
    check(all(s.get("marker-end") == "url(#arrow)" for s in segs),
          "every SVG arrow has an arrowhead (none lost)")
    xs = {s.get("x1") for s in segs} | {s.get("x2") for s in segs}
    check_eq(len(xs), 2, "arrows run between the two timelines")
    states = [el.text for el in root.iter(ns + "text")
              if el.get("class") == "state"]
    check_eq(states[:2], ["CLOSED", "LISTEN"], "SVG initial states")
    check_eq(states[-2:], ["TIME-WAIT", "CLOSED"], "SVG final states")
done()
