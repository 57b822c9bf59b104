# SPDX-License-Identifier: GPL-2.0
"""Paths with routers for in-guest tests, and the same case run over
kernel TCP and ktcp.

Chain(n) builds n network namespaces in a row, each joined to the next
by a veth pair, the inner ones forwarding: host 0, routers, host n-1.
Link i (between node i and i+1) is on TEST-NET subnet i, node i at .1,
node i+1 at .2; every node routes everything else along the chain.
Tests run one case for each of PROTOS and compare what they saw: kernel
TCP is the oracle for behaviour the two share.
"""
import ctypes
import os
import socket
import subprocess

from ktcptest import in_netns, ip_batch, sysctl

SUBNETS = ("192.0.2", "198.51.100", "203.0.113")
PROTOS = (("tcp", socket.IPPROTO_TCP), ("ktcp", 253))
CLONE_NEWNET = 0x40000000


def sock(proto, nonblock=False):
    """A stream socket of @proto (6: kernel TCP, 253: ktcp)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    if nonblock:
        s.setblocking(False)
    return s


def pair(net, proto, port, listener_setup=None, client_setup=None,
         timeout=10):
    """A connection of @proto from namespace "a" of @net to "b" on @port:
    (client, accepted server), both with @timeout.  The setups, if
    given, are called with the listener before bind() and with the client
    before connect(); the accepted socket inherits the listener's."""
    net.enter("b")
    lst = sock(proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if listener_setup:
        listener_setup(lst)
    lst.bind(("0.0.0.0", port))
    lst.listen(1)
    net.enter("a")
    c = sock(proto)
    if client_setup:
        client_setup(c)
    c.settimeout(timeout)
    try:
        c.connect((net.addr["b"], port))
    finally:
        net.enter(None)
    s, _ = lst.accept()
    lst.close()
    s.settimeout(timeout)
    return c, s


class Chain:
    def __init__(self, nodes=3, mtus=None, prefix="ktcpc"):
        if not 2 <= nodes <= len(SUBNETS) + 1:
            raise ValueError(f"a chain has 2 to {len(SUBNETS) + 1} nodes")
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.names = [f"{prefix}{i}" for i in range(nodes)]
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        mtus = mtus or [1500] * (nodes - 1)
        # A few ip processes for the lot: each costs up to a second on
        # the debug guest.
        ip_batch([f"netns del {ns}" for ns in self.names], check=False)
        ip_batch([f"netns add {ns}" for ns in self.names] +
                 [f"link add {self.dev(i, i + 1)} netns {self.names[i]} "
                  f"mtu {mtus[i]} type veth peer name {self.dev(i + 1, i)} "
                  f"netns {self.names[i + 1]} mtu {mtus[i]}"
                  for i in range(nodes - 1)])
        for node in range(nodes):
            lines = ["link set lo up"]
            for i in range(nodes - 1):
                if i in (node - 1, node):  # on a link of its own
                    dev = self.dev(node, i + 1 if i == node else i)
                    host = 1 if i == node else 2
                    lines += [f"addr add {SUBNETS[i]}.{host}/24 dev {dev}",
                              f"link set {dev} up"]
                    continue
                via = (f"{SUBNETS[node - 1]}.1" if i < node else
                       f"{SUBNETS[node]}.2")
                lines.append(f"route add {SUBNETS[i]}.0/24 via {via}")
            # routes need the links up and addressed first
            lines.sort(key=lambda line: line.startswith("route"))
            ip_batch(lines, self.names[node])
            if 0 < node < nodes - 1:
                self.sysctl(node, "net.ipv4.ip_forward", 1)

    @staticmethod
    def dev(node, peer):
        return f"v{node}to{peer}"

    def addr(self, node):
        """The address of host @node (0 or the last) on its one link."""
        if node == 0:
            return f"{SUBNETS[0]}.1"
        return f"{SUBNETS[node - 1]}.2"

    def ip(self, node, *args, check=True):
        return subprocess.run(["ip", "-n", self.names[node]] + list(args),
                              check=check)

    def run(self, node, *cmd, **kw):
        return subprocess.run(in_netns(self.names[node]) + list(cmd), **kw)

    def sysctl(self, node, key, value):
        self.enter(node)
        try:
            sysctl(key, value)
        finally:
            self.enter(None)

    def forget_routes(self, node):
        """What "ip route flush cache" does for IPv4 (learnt PMTUs and
        redirects gone), without starting ip."""
        self.enter(node)
        try:
            with open("/proc/sys/net/ipv4/route/flush", "w") as f:
                f.write("-1")
        finally:
            self.enter(None)

    def mtu(self, node, peer, mtu):
        """Set both ends of the link between @node and @peer to @mtu."""
        self.ip(node, "link", "set", self.dev(node, peer), "mtu", str(mtu))
        self.ip(peer, "link", "set", self.dev(peer, node), "mtu", str(mtu))

    def enter(self, node):
        """Move this thread into @node's namespace (None: back home);
        sockets keep the namespace they were created in."""
        if node is None:
            fd = self.home
        else:
            fd = os.open(f"/run/netns/{self.names[node]}", os.O_RDONLY)
        if self.libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns failed")
        if node is not None:
            os.close(fd)

    def close(self):
        self.enter(None)
        ip_batch([f"netns del {ns}" for ns in self.names], check=False)


def stats(chain, node):
    """/proc/net/ktcp_stat of @node."""
    chain.enter(node)
    try:
        with open("/proc/net/ktcp_stat") as f:
            return {k: int(v) for k, v in (line.split() for line in f)}
    finally:
        chain.enter(None)


def tcp_netstat(chain, node):
    """TcpExt counters of /proc/net/netstat in @node, by name."""
    chain.enter(node)
    try:
        with open("/proc/net/netstat") as f:
            lines = f.read().splitlines()
    finally:
        chain.enter(None)
    out = {}
    for names, values in zip(lines[::2], lines[1::2]):
        kind, names = names.split(":", 1)
        _, values = values.split(":", 1)
        out.update({f"{kind}.{n}": int(v)
                    for n, v in zip(names.split(), values.split())})
    return out
