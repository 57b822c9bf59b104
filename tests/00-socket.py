#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ktcp registers IPPROTO_KTCP (253) for AF_INET stream sockets, and
unloads once its last socket is gone."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import check, check_eq, done  # noqa: E402

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
check_eq((int(s.family), int(s.type), s.proto),
         (int(socket.AF_INET), int(socket.SOCK_STREAM), 253),
         "socket(AF_INET, SOCK_STREAM, 253): family, type, protocol")
s.close()
rc = subprocess.run(["rmmod", "ktcp"]).returncode
check_eq(rc, 0, "rmmod ktcp after the socket closed")
check(not os.path.exists("/sys/module/ktcp"), "the module is gone")
done()
