#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Guest half of two-host.sh: bring up the virtio-net NIC as ADDR/24 and, as
server, accept one connection on 192.0.2.1:7600 or, as client, connect to it;
both ends then send 16 MiB at once and check every byte they receive.
  two-host-guest.py server|client ADDR [MIB]"""
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from ktcptest import *  # noqa: E402,F403

role, me = sys.argv[1], sys.argv[2]
size = int(sys.argv[3] if len(sys.argv) > 3 else 16) << 20
SERVER = ("192.0.2.1", 7600)

# Stock kernels have the NIC drivers as modules; the debug kernel builds
# virtio_net in.
for m in ("virtio_net", "e1000"):
    subprocess.run(["modprobe", m], stderr=subprocess.DEVNULL)
check(wait_for(lambda: [d for d in os.listdir("/sys/class/net") if d != "lo"],
               timeout=20), "a NIC appeared")
dev = sorted(d for d in os.listdir("/sys/class/net") if d != "lo")[0]
drv = os.path.basename(os.readlink(f"/sys/class/net/{dev}/device/driver"))
print(f"{role}: {dev} driver {drv}, kernel {os.uname().release}")
subprocess.run(["ip", "addr", "add", me + "/24", "dev", dev], check=True)
subprocess.run(["ip", "link", "set", dev, "up"], check=True)
feat = subprocess.run(["ethtool", "-k", dev], capture_output=True,
                      text=True).stdout
print("\n".join(l for l in feat.splitlines() if "checksum" in l))
# QEMU's virtio-net offers checksum offload only to backends with a vnet
# header (tap), not to socket netdevs; e1000 computes the checksum in the
# device model, so ktcp hands it CHECKSUM_PARTIAL segments.
if drv == "e1000":
    check("tx-checksum-ip-generic: on" in feat,
          f"{role}: {drv} offloads the transmit checksum")
st0 = stats()

if role == "server":
    srv = listener(SERVER[1], addr=SERVER[0], backlog=1)
    srv.settimeout(120)
    peer, _ = srv.accept()
    srv.close()
    mine = peer
else:
    # The other guest may still be booting: retry until it listens.
    end = time.time() + 120
    while True:
        c = sock()
        c.settimeout(10)
        try:
            c.connect(SERVER)
            break
        except OSError as e:
            c.close()
            if time.time() > end:
                check(False, f"connect to the other guest: {e}")
                done()
            time.sleep(0.5)
    mine = c

# exchange() sends pattern(1) from its first argument, pattern(2) from the
# second: each guest plays its own side and checks what the other sent.
want_in = pattern(2 if role == "server" else 1, size)
out = pattern(1 if role == "server" else 2, size)
import threading  # noqa: E402
got = {}
mine.settimeout(120)


def rx():
    got["data"] = recv_all(mine)


t = threading.Thread(target=rx)
t.start()
t0 = time.time()
mine.sendall(out)
mine.shutdown(socket.SHUT_WR)
t.join()
secs = time.time() - t0
check_eq(len(got.get("data", b"")), size, f"{role}: received {size >> 20} MiB")
check(got.get("data") == want_in, f"{role}: every byte from the other kernel "
      "intact")
st = stats()
print(f"{role}: {2 * size / secs / 1e6:.1f} MB/s both ways together; "
      f"InCsumErrors +{st['InCsumErrors'] - st0['InCsumErrors']}, "
      f"RetransSegs +{st['RetransSegs'] - st0['RetransSegs']}")
check_eq(st["InCsumErrors"] - st0["InCsumErrors"], 0,
         f"{role}: no checksum errors")
# Having read EOF, one guest may be done before what it sent has all
# arrived: linger, so that close() returns once the other has acked it
# all and the FIN, and the guest does not power off with data in flight.
mine.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 60))
mine.close()
done()
