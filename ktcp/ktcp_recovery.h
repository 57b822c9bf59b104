/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: loss recovery: SACK scoreboard, RACK, TLP (ktcp_recovery.c). */
#ifndef _KTCP_RECOVERY_H
#define _KTCP_RECOVERY_H

#include "ktcp.h"
#include "ktcp_input.h"

void ktcp_wq_queue_tail(struct sock *sk, struct sk_buff *skb);
void ktcp_wq_queue_after(struct sock *sk, struct sk_buff *prev,
			 struct sk_buff *skb);
void ktcp_wq_unlink(struct sock *sk, struct sk_buff *skb);
void ktcp_sacktag(struct sock *sk, const struct sk_buff *skb,
		  struct ktcp_rtt_probe *rp);
void ktcp_scoreboard_acked(struct sock *sk, struct sk_buff *skb);
void ktcp_scoreboard_trim(struct sock *sk, struct sk_buff *skb, u32 len);
bool ktcp_rack_lost(const struct ktcp_sock *ks, const struct ktcp_skb_cb *cb);
void ktcp_rack_delivered(struct ktcp_sock *ks, const struct ktcp_skb_cb *cb);
void ktcp_prr_delivered(struct sock *sk, u32 acked, u32 prior_sacked);
void ktcp_sack_xmit(struct sock *sk);
void ktcp_sack_forget(struct sock *sk);
void ktcp_on_dupack(struct sock *sk);
void ktcp_recovery_ack(struct sock *sk, u32 ack, u32 acked);
void ktcp_send_loss_probe(struct sock *sk);

#endif /* _KTCP_RECOVERY_H */
