/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: the IPv4 glue: receive and error handlers, resets, output (ktcp_ipv4.c). */
#ifndef _KTCP_IPV4_H
#define _KTCP_IPV4_H

#include "ktcp.h"

int ktcp_v4_rcv(struct sk_buff *skb);
int ktcp_validate(struct sk_buff *skb);
int ktcp_v4_err(struct sk_buff *skb, u32 info);
void ktcp_v4_mtu_reduced(struct sock *sk);
void ktcp_v4_send_reset(struct net *net, struct sk_buff *skb, int reason);
int ktcp_v4_queue_xmit(struct sock *sk, struct sk_buff *skb);

extern const struct ktcp_af_ops ktcp_ipv4_ops;

#endif /* _KTCP_IPV4_H */
