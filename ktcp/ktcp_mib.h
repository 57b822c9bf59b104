/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp MIB counters, per network namespace, shown in /proc/net/ktcp_stat.
 * Every dropped segment increments exactly one KTCP_MIB_DROP_* reason.
 */
#ifndef _KTCP_MIB_H
#define _KTCP_MIB_H

#include <linux/percpu.h>
#include <net/net_namespace.h>

#include "ktcp_net.h"

enum ktcp_mib_field {
	KTCP_MIB_ACTIVEOPENS,
	KTCP_MIB_PASSIVEOPENS,
	KTCP_MIB_ATTEMPTFAILS,
	KTCP_MIB_ESTABRESETS,
	KTCP_MIB_CURRESTAB,
	KTCP_MIB_INSEGS,
	KTCP_MIB_OUTSEGS,
	KTCP_MIB_RETRANSSEGS,
	KTCP_MIB_INCSUMERRORS,
	KTCP_MIB_OUTRSTS,
	KTCP_MIB_INRSTS,
	KTCP_MIB_CHALLENGEACKS,
	KTCP_MIB_TIMEOUTS,
	KTCP_MIB_LISTENOVERFLOWS,
	KTCP_MIB_FASTRETRANS,
	KTCP_MIB_SACKRECOVERY,
	KTCP_MIB_LOST_RETRANSMITS,
	KTCP_MIB_LOSS_PROBES,
	KTCP_MIB_RETRANS_TIMEOUTS,	/* RTO expiries; TIMEOUTS counts aborts */
	KTCP_MIB_DROP_SHORT,
	KTCP_MIB_DROP_BAD_DOFF,
	KTCP_MIB_DROP_BAD_OPTION,
	KTCP_MIB_DROP_CSUM,
	KTCP_MIB_DROP_NOT_HOST,
	KTCP_MIB_DROP_NO_SOCKET,
	KTCP_MIB_DROP_SEQ,
	KTCP_MIB_DROP_RST,
	KTCP_MIB_DROP_SYN,
	KTCP_MIB_DROP_NO_ACK,
	KTCP_MIB_DROP_BAD_ACK,
	KTCP_MIB_DROP_BACKLOG,
	KTCP_MIB_DROP_LISTEN,
	KTCP_MIB_DROP_NOMEM,
	KTCP_MIB_DROP_RCVBUF,
	KTCP_MIB_DROP_TIME_WAIT,
	KTCP_MIB_DROP_STATE,
	KTCP_MIB_DROP_MEMLIMIT,		/* over net.ktcp.mem */
	KTCP_MIB_DROP_DUPLICATE,	/* data the socket held already */
	KTCP_MIB_SYNQ_EVICTIONS,	/* SYN flood: oldest embryonic child dropped */
	KTCP_MIB_MEMORYPRESSURES,	/* times ktcp entered memory pressure */
	KTCP_MIB_MEMFORCED,		/* charges the limits refused but had to take */
	KTCP_MIB_DROP_EXISTS,		/* a SYN for a four-tuple just taken */
	KTCP_MIB_DROP_POLICY,		/* refused by the IPsec policy */
	KTCP_MIB_DROP_FILTER,		/* refused by a socket filter or the LSM */
	KTCP_MIB_DROP_OFO_PRUNED,	/* out-of-order data dropped for room */
	KTCP_MIB_ACK_SKIPPED_SEQ,	/* answer to a bad segment rate limited */
	KTCP_MIB_ACK_SKIPPED_CHALLENGE,	/* challenge ACK rate limited */
	KTCP_MIB_OUT_OF_WINDOW_ICMPS,	/* ICMP quoting what is not in flight */
	KTCP_MIB_MTU_REDUCED,		/* path MTU lowered by ICMP */
	KTCP_MIB_RCV_COLLAPSED,		/* segments copied into fewer buffers */
	KTCP_MIB_TW_REOPENED,		/* a SYN reopened a TIME-WAIT four-tuple */
	KTCP_MIB_TW_OVERFLOW,		/* closed without TIME-WAIT: too many */
	KTCP_MIB_ABORT_ON_MEMORY,	/* orphan reset: too many orphans */
	KTCP_MIB_PROBE_TIMEOUTS,	/* aborted: zero-window probes unanswered */
	KTCP_MIB_DEFER_ACCEPT_HELD,	/* TCP_DEFER_ACCEPT: a bare ACK waited */
	KTCP_MIB_DROP_PAWS,		/* TSval older than ts_recent, RFC 7323 */
	KTCP_MIB_DSACK_OLD_SENT,	/* D-SACK of data below rcv_nxt */
	KTCP_MIB_DSACK_OFO_SENT,	/* D-SACK of out-of-order data */
	KTCP_MIB_HYSTART_DELAY,		/* HyStart++: slow start left on delay */
	KTCP_MIB_MAX
};

struct ktcp_mib {
	unsigned long mibs[KTCP_MIB_MAX];
};

#define KTCP_INC_STATS(net, field) \
	this_cpu_inc(ktcp_pernet(net)->mib->mibs[field])
#define KTCP_ADD_STATS(net, field, n) \
	this_cpu_add(ktcp_pernet(net)->mib->mibs[field], n)
#define KTCP_DEC_STATS(net, field) \
	this_cpu_dec(ktcp_pernet(net)->mib->mibs[field])

/* A counter of @net, summed over the CPUs. */
static inline unsigned long ktcp_mib_read(const struct net *net,
					  enum ktcp_mib_field field)
{
	const struct ktcp_net *kn = ktcp_pernet(net);
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(kn->mib, cpu)->mibs[field];
	return sum;
}

#endif /* _KTCP_MIB_H */
