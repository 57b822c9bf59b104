/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: segments out: data, control, retransmission (ktcp_output.c). */
#ifndef _KTCP_OUTPUT_H
#define _KTCP_OUTPUT_H

#include "ktcp.h"
#include "ktcp_main.h"
#include "ktcp_sysctl.h"

/* May @sk send runs of segments as one GSO skb? */
static inline bool ktcp_can_gso(const struct sock *sk)
{
	return ktcp_net_gso(sock_net(sk)) && sk_can_gso(sk) &&
	       (sk->sk_route_caps & NETIF_F_HW_CSUM);
}

/* Data bytes one GSO skb may carry: IP's 64 KiB less headers. */
static inline u32 ktcp_gso_max_bytes(const struct sock *sk)
{
	return min_t(u32, sk->sk_gso_max_size, 65536U) - KTCP_MAX_HEADER;
}

int ktcp_send_syn(struct sock *sk);
int ktcp_send_ack(struct sock *sk);
int ktcp_send_fin(struct sock *sk);
void ktcp_send_active_reset(struct sock *sk, gfp_t gfp);
int ktcp_write_wakeup(struct sock *sk);
void ktcp_push(struct sock *sk);
int ktcp_retransmit_head(struct sock *sk);
int ktcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
void ktcp_send_new(struct sock *sk, u32 cwnd_end);
int ktcp_transmit_skb(struct sock *sk, struct sk_buff *skb, gfp_t gfp);
u32 ktcp_select_window(struct sock *sk);
u32 ktcp_rcv_sws_thresh(const struct sock *sk);
void ktcp_sync_mss(struct sock *sk);
void ktcp_write_queue_purge(struct sock *sk);
int ktcp_trim_head(struct sk_buff *skb, u32 len);
int ktcp_send_probe(struct sock *sk);
void ktcp_simple_retransmit(struct sock *sk);

void ktcp_fill_reset(struct tcphdr *rth, const struct sk_buff *skb);

#endif /* _KTCP_OUTPUT_H */
