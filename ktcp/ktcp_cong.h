/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pluggable congestion control.  An algorithm decides how the congestion
 * window grows on new ACKs and where the slow start threshold goes on a
 * loss; loss detection and recovery (NewReno, SACK) stay in ktcp_input.c.
 * Windows are in bytes.  Every callback runs with the socket locked.
 */
#ifndef _KTCP_CONG_H
#define _KTCP_CONG_H

#include <linux/list.h>
#include <linux/module.h>
#include <net/sock.h>

#include "ktcp_mib.h"

#define KTCP_CA_NAME_MAX	16	/* as TCP_CA_NAME_MAX */
#define KTCP_CA_PRIV_SIZE	(8 * sizeof(u64))

struct ktcp_cong_ops {
	struct list_head list;		/* in ktcp_cong_list, under its lock */
	char name[KTCP_CA_NAME_MAX];
	struct module *owner;		/* NULL when built into ktcp */

	/* optional: set up ktcp_ca_priv() for a connection */
	void (*init)(struct sock *sk);
	/* required: the slow start threshold after a loss */
	u32 (*ssthresh)(struct sock *sk);
	/* required: grow cwnd; @acked bytes newly acknowledged */
	void (*cong_avoid)(struct sock *sk, u32 acked);
	/* optional: the retransmission timer fired */
	void (*on_rto)(struct sock *sk);
	/* optional: an RTT sample, in jiffies, of the newest segment the
	 * ACK of @ack delivered (before cong_avoid, if that is called, and
	 * before SND.UNA moves to @ack)
	 */
	void (*rtt_sample)(struct sock *sk, u32 ack, u32 rtt);
};

int ktcp_register_cong(struct ktcp_cong_ops *ops);
void ktcp_unregister_cong(struct ktcp_cong_ops *ops);

/* Building blocks for algorithms. */
u32 ktcp_slow_start(struct sock *sk, u32 acked);
void ktcp_cong_avoid_ai(struct sock *sk, u32 w, u32 acked);
u32 ktcp_reno_ssthresh(struct sock *sk);
void *ktcp_ca_priv(struct sock *sk);

/* For the rest of ktcp. */
extern struct ktcp_cong_ops ktcp_reno;
extern struct ktcp_cong_ops ktcp_cubic;	/* ktcp_cubic.c */
int ktcp_cong_select(struct sock *sk, const char *name);
void ktcp_cong_inherit(struct sock *child, const struct sock *parent);
void ktcp_cong_default(struct sock *sk);
void ktcp_cong_get_default(struct ktcp_net *kn, char *name);
int ktcp_cong_set_default(struct ktcp_net *kn, const char *name);
void ktcp_cong_start(struct sock *sk);
void ktcp_cong_release(struct sock *sk);
int ktcp_cong_init(void);
void ktcp_cong_exit(void);

#endif /* _KTCP_CONG_H */
