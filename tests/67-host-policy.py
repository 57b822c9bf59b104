#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The receive path applies the host's policy, kernel TCP and ktcp alike:

- an IPsec policy (ip xfrm) that requires ESP for the connection's
  traffic drops cleartext segments: connect() gets no answer, and works
  again once the policy is gone;
- a socket filter (SO_ATTACH_FILTER, classic BPF that accepts nothing)
  on a listener keeps SYNs out, and on a connection keeps data out until
  it is detached, when the retransmission gets through."""
import ctypes
import os
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import Netns, check, check_eq, done  # noqa: E402
from ktcpxfer import ns_stats  # noqa: E402
from ktcpnet import PROTOS, sock  # noqa: E402

SO_ATTACH_FILTER, SO_DETACH_FILTER = 26, 27
PORT = 7300
DROP_ALL = struct.pack("HBBI", 0x06, 0, 0, 0)     # BPF_RET | BPF_K, 0
_keep = []


def attach_drop_all(s):
    buf = ctypes.create_string_buffer(DROP_ALL)
    _keep.append(buf)
    prog = struct.pack("HxxxxxxQ", 1, ctypes.addressof(buf))
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)


def try_connect(net, proto, port, timeout=2.0):
    net.enter("a")
    c = sock(proto)
    c.settimeout(timeout)
    try:
        c.connect((net.addr["b"], port))
        return c, "connected"
    except TimeoutError:
        c.close()
        return None, "timeout"
    except OSError as e:
        c.close()
        return None, os.strerror(e.errno)
    finally:
        net.enter(None)


def listener(net, proto, port):
    net.enter("b")
    lst = sock(proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("0.0.0.0", port))
    lst.listen(4)
    net.enter(None)
    return lst


def xfrm(proto, name):
    net = Netns()
    out = []
    try:
        lst = listener(net, proto, PORT)
        before = ns_stats(net, "b")
        subprocess.run(["ip", "-n", net.names["b"], "xfrm", "policy", "add",
                        "src", f"{net.addr['a']}/32", "dst",
                        f"{net.addr['b']}/32", "proto", str(proto), "dir",
                        "in", "tmpl", "proto", "esp", "mode", "transport",
                        "level", "required"], check=True)
        c, res = try_connect(net, proto, PORT)
        out.append(res)
        after = ns_stats(net, "b")
        subprocess.run(["ip", "-n", net.names["b"], "xfrm", "policy",
                        "flush"], check=True)
        c, res = try_connect(net, proto, PORT, timeout=10)
        out.append(res)
        if c:
            c.close()
        lst.close()
    finally:
        net.close()
    if name == "ktcp":
        check(after.get("DropPolicy", 0) > before.get("DropPolicy", 0),
              "ktcp: DropPolicy counts the cleartext SYNs")
    return out


def filtered(proto, name):
    net = Netns()
    out = []
    try:
        lst = listener(net, proto, PORT)
        attach_drop_all(lst)
        c, res = try_connect(net, proto, PORT)
        out.append(res)
        lst.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, 0)
        c, res = try_connect(net, proto, PORT, timeout=10)
        out.append(res)
        s, _ = lst.accept()
        before = ns_stats(net, "b")
        attach_drop_all(s)
        c.sendall(b"filtered")
        s.settimeout(1.0)
        try:
            out.append(s.recv(10))
        except TimeoutError:
            out.append("nothing while filtered")
        after = ns_stats(net, "b")
        s.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, 0)
        s.settimeout(15)
        out.append(s.recv(10))
        for x in (c, s, lst):
            x.close()
    finally:
        net.close()
    if name == "ktcp":
        check(after.get("DropSocketFilter", 0) >
              before.get("DropSocketFilter", 0),
              "ktcp: DropSocketFilter counts the filtered segments")
    return out


seen = {name: xfrm(proto, name) for name, proto in PROTOS}
print(f"     ip xfrm policy requiring ESP: {seen}")
check_eq(seen["ktcp"], ["timeout", "connected"],
         "ktcp: cleartext refused while the policy stands")
check_eq(seen["ktcp"], seen["tcp"], "IPsec policy: ktcp as kernel TCP")

seen = {name: filtered(proto, name) for name, proto in PROTOS}
print(f"     socket filter: {seen}")
check_eq(seen["ktcp"], ["timeout", "connected", "nothing while filtered",
                        b"filtered"], "ktcp: the filter holds data out")
check_eq(seen["ktcp"], seen["tcp"], "socket filter: ktcp as kernel TCP")
done()
