/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: segment arrival and the state machine's receive side (ktcp_input.c). */
#ifndef _KTCP_INPUT_H
#define _KTCP_INPUT_H

#include "ktcp.h"

int ktcp_fill_cb(struct sk_buff *skb);
u32 ktcp_backlog_limit(const struct sock *sk);
void ktcp_open_error(struct sock *sk);
int ktcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void ktcp_update_rtt(struct ktcp_sock *ks, long rtt, u32 rto_max);

/* What one ACK newly delivered, for the RTT estimator (ktcp_rtt_note()). */
struct ktcp_rtt_probe {
	u32 oldest;		/* (u32)jiffies it was sent */
	u32 newest;		/* the latest clean send: min_rtt's sample */
	bool found;
	bool resent;
};

void ktcp_rtt_note(struct ktcp_rtt_probe *rp, const struct ktcp_skb_cb *cb);

void ktcp_accept_syn(struct sock *sk, struct sk_buff *skb);
enum skb_drop_reason ktcp_skb_drop_reason(int reason);
void ktcp_drop_net(struct net *net, struct sk_buff *skb, int reason);
void ktcp_drop(struct sock *sk, struct sk_buff *skb, int reason);
void ktcp_rcv_fin(struct sock *sk);

#endif /* _KTCP_INPUT_H */
