/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: the socket layer: proto, proto_ops and their helpers (ktcp_sock.c). */
#ifndef _KTCP_SOCK_H
#define _KTCP_SOCK_H

#include "ktcp.h"

extern struct proto ktcp_prot;
extern const struct proto_ops ktcp_stream_ops;
int ktcp_backlog_rcv(struct sock *sk, struct sk_buff *skb);
u64 ktcp_rcvbuf_goal(u64 per_rtt, u32 prev, u32 advmss);
void ktcp_done(struct sock *sk);
void ktcp_orphan(struct sock *sk);
void ktcp_reset(struct sock *sk, int err);
void ktcp_init_xmit_vars(struct sock *sk);
void ktcp_sock_init_common(struct sock *sk);
int ktcp_ioctl_value(struct sock *sk, int cmd, int *karg);
int ktcp_recvmsg_common(struct sock *sk, struct msghdr *msg, size_t len,
			int flags);
int ktcp_connect_common(struct sock *sk, struct sockaddr *uaddr,
			int addr_len);

#endif /* _KTCP_SOCK_H */
