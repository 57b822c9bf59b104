/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net.ktcp sysctls, per network namespace: trace, tw_timeout_ms,
 * syn_retries, rto_max_ms, data_retries, sack, gso, congestion_control,
 * challenge_ack_limit, max_tw_buckets, orphan_retries, fin_timeout and
 * timestamps.  In
 * the initial namespace the first seven are the module parameters of the
 * same names; other namespaces start with copies and then have their own.
 * congestion_control is read through ktcp_cong_get_default().  The
 * initial namespace also has mem, ktcp_sysctl_mem[] (ktcp_mem.c), the
 * memory limits of all namespaces together, and max_orphans, the limit on
 * their orphans.
 */
#ifndef _KTCP_SYSCTL_H
#define _KTCP_SYSCTL_H

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <net/net_namespace.h>

#include "ktcp_main.h"
#include "ktcp_net.h"

/* Bounds of rto_max_ms, as Linux's net.ipv4.tcp_rto_max_ms. */
#define KTCP_RTO_MAX_MS_MIN	1000
#define KTCP_RTO_MAX_MS		120000

/* Defaults of the sysctls that have no module parameter. */
#define KTCP_CHALLENGE_ACK_LIMIT_DEFAULT	1000	/* RFC 5961's example */
#define KTCP_MAX_TW_BUCKETS_DEFAULT		16384
#define KTCP_ORPHAN_RETRIES_DEFAULT		8	/* what Linux's 0 means */
#define KTCP_MAX_ORPHANS_DEFAULT		16384
#define KTCP_FIN_TIMEOUT_DEFAULT		60	/* s, as tcp_fin_timeout */

extern unsigned int ktcp_max_orphans;

int ktcp_sysctl_init_net(struct net *net);
void ktcp_sysctl_exit_net(struct net *net);

/* Readers: any context; a value may change at any time. */
static inline unsigned int ktcp_net_trace(const struct net *net)
{
	return READ_ONCE(*ktcp_pernet(net)->trace);
}

static inline unsigned int ktcp_net_tw_timeout_ms(const struct net *net)
{
	return READ_ONCE(*ktcp_pernet(net)->tw_timeout_ms);
}

static inline unsigned int ktcp_net_syn_retries(const struct net *net)
{
	return READ_ONCE(*ktcp_pernet(net)->syn_retries);
}

/* Data retransmissions before a connection times out (tcp_retries2). */
static inline unsigned int ktcp_net_data_retries(const struct net *net)
{
	return READ_ONCE(*ktcp_pernet(net)->data_retries);
}

/* Offer SACK (RFC 2018) in new connections, as net.ipv4.tcp_sack. */
static inline bool ktcp_net_sack(const struct net *net)
{
	return READ_ONCE(*ktcp_pernet(net)->sack);
}

/* Offer timestamps (RFC 7323) in new connections: net.ipv4.tcp_timestamps
 * as 1.
 */
static inline bool ktcp_net_timestamps(const struct net *net)
{
	return READ_ONCE(ktcp_pernet(net)->timestamps);
}

/* Send runs of full segments as one GSO skb. */
static inline bool ktcp_net_gso(const struct net *net)
{
	return READ_ONCE(*ktcp_pernet(net)->gso);
}

/* In jiffies; the module parameter is written without range checks. */
static inline u32 ktcp_net_rto_max(const struct net *net)
{
	return msecs_to_jiffies(clamp_t(unsigned int,
					READ_ONCE(*ktcp_pernet(net)->rto_max_ms),
					KTCP_RTO_MAX_MS_MIN, KTCP_RTO_MAX_MS));
}

static inline unsigned int ktcp_net_max_tw_buckets(const struct net *net)
{
	return READ_ONCE(ktcp_pernet(net)->max_tw_buckets);
}

static inline unsigned int ktcp_net_orphan_retries(const struct net *net)
{
	return READ_ONCE(ktcp_pernet(net)->orphan_retries);
}

/* In jiffies. */
static inline unsigned long ktcp_net_fin_timeout(const struct net *net)
{
	return READ_ONCE(ktcp_pernet(net)->fin_timeout) * HZ;
}

#endif /* _KTCP_SYSCTL_H */
