/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp's state in each network namespace: counters, TIME-WAIT count,
 * challenge ACK budget and the net.ktcp sysctls' values.  Created and
 * destroyed with the namespace (ktcp_net.c).
 */
#ifndef _KTCP_NET_H
#define _KTCP_NET_H

#include <linux/atomic.h>
#include <linux/compiler_types.h>
#include <linux/types.h>

struct ctl_table_header;
struct ktcp_mib;
struct net;

struct ktcp_net {
	struct ktcp_mib __percpu *mib;
	u32 challenge_stamp;		/* second of challenge_count */
	u32 challenge_count;		/* challenge ACKs left this second */
	atomic_t tw_count;		/* sockets in TIME-WAIT */

	/*
	 * net.ktcp sysctls (ktcp_sysctl.c).  The pointers lead to the module
	 * parameters in init_net and to the values below elsewhere.
	 */
	struct ctl_table_header *sysctl_hdr;
	unsigned int *trace;
	unsigned int *tw_timeout_ms;
	unsigned int *syn_retries;
	unsigned int *rto_max_ms;
	unsigned int *data_retries;
	bool *sack;
	bool *gso;
	unsigned int own_trace;
	unsigned int own_tw_timeout_ms;
	unsigned int own_syn_retries;
	unsigned int own_rto_max_ms;
	unsigned int own_data_retries;
	bool own_sack;
	bool own_gso;
	/* net.ktcp.congestion_control, under ktcp_cong.c's lock */
	char congestion_control[16];	/* KTCP_CA_NAME_MAX */
	/* Sysctls without a module parameter. */
	u32 challenge_ack_limit;	/* per second, for the namespace */
	u32 max_tw_buckets;		/* TIME-WAIT sockets at most */
	u32 orphan_retries;		/* retransmissions of an orphan */
	u32 fin_timeout;		/* s an orphan waits in FIN-WAIT-2 */
	u32 timestamps;			/* offer RFC 7323 timestamps */
};

struct ktcp_net *ktcp_pernet(const struct net *net);
int ktcp_net_register(void);
void ktcp_net_unregister(void);

#endif /* _KTCP_NET_H */
