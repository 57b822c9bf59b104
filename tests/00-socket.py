#!/usr/bin/python3
# ktcp registers IPPROTO_KTCP (253) for AF_INET stream sockets, and unloads.
import socket
import subprocess

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
s.close()
subprocess.run(["rmmod", "ktcp"], check=True)
