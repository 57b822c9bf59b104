#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP_INFO at IPPROTO_TCP and KTCP_INFO at IPPROTO_KTCP: a struct
tcp_info that existing tools read."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ktcptest import *  # noqa: E402,F403


srv, c, s = pair(7800)
c.sendall(b"i" * 1000)
recv_exact(s, 1000)
time.sleep(0.2)
ci = tcp_info(c)
si = tcp_info(s)
n = ci["size"]
check(n >= 144, f"TCP_INFO returns {n} bytes of struct tcp_info")
check_eq(ci["state"], 1, "tcpi_state ESTABLISHED")
mtu = int(open("/sys/class/net/lo/mtu").read())
check_eq(ci["snd_mss"], min(mtu - 40, 65495) - 12,
         "tcpi_snd_mss from the route, less the timestamps (as TCP's)")
check_eq(ci["pmtu"], min(mtu, 65535),
         "tcpi_pmtu is the route's MTU, at most IP_MAX_MTU (as TCP's)")
check(ci["options"] & 4 and ci["wscale"] == 0x77, "window scale 7 both ways")
check(ci["options"] & 2, "TCPI_OPT_SACK: both ends offered SACK")
check(ci["options"] & 1, "TCPI_OPT_TIMESTAMPS: both ends offered them")
check(ci["rto"] >= 200000, f"tcpi_rto {ci['rto']} us >= 200 ms")
check(ci["snd_cwnd"] >= 10, f"tcpi_snd_cwnd {ci['snd_cwnd']} segments")
check_eq(ci["snd_ssthresh"], 0x7fffffff,
         "tcpi_snd_ssthresh infinite before any loss, as TCP shows it")
check_eq(ci["bytes_sent"], 1000, "client's tcpi_bytes_sent")
check_eq(ci["bytes_acked"], 1000, "client's tcpi_bytes_acked")
rcvbuf = s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
check(0 < ci["snd_wnd"] <= rcvbuf and ci["snd_wnd"] % 128 == 0,
      f"tcpi_snd_wnd {ci['snd_wnd']}: the server's window, scaled by 2^7")
check_eq(si["bytes_received"], 1000, "server's tcpi_bytes_received")
check(ci["segs_out"] >= 3 and si["segs_in"] >= 3, "segments counted")
ki = tcp_info(c, PROTO)
check_eq((ki["state"], ki["snd_mss"]), (ci["state"], ci["snd_mss"]),
         "KTCP_INFO at IPPROTO_KTCP gives the same")
c.close()
s.close()
time.sleep(0.2)
li = tcp_info(srv)
check_eq(li["state"], 10, "listener reports LISTEN")
srv.close()
done()
