/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktcp user-space API.
 *
 * ktcp is a TCP-like reliable byte stream carried directly over IPv4 under
 * its own IP protocol number.  Open a socket with
 *
 *	socket(AF_INET, SOCK_STREAM, IPPROTO_KTCP);
 *
 * IPPROTO_TCP-level options (TCP_NODELAY, TCP_MAXSEG, ...) are accepted
 * with TCP's meaning; ktcp's own options live at level IPPROTO_KTCP.
 */
#ifndef _UAPI_LINUX_KTCP_H
#define _UAPI_LINUX_KTCP_H

/* RFC 3692 experimental protocol number; the module parameter "proto" may pick another. */
#define IPPROTO_KTCP	253

/*
 * getsockopt(fd, IPPROTO_KTCP, KTCP_INFO, ...) fills a struct tcp_info
 * (<linux/tcp.h>), as TCP_INFO at level IPPROTO_TCP does: state, RTT,
 * RTO, cwnd, ssthresh, MSS, windows, bytes and segments counted.
 */
#define KTCP_INFO	11	/* same number and layout as TCP_INFO */

#endif /* _UAPI_LINUX_KTCP_H */
