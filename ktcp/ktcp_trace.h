/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: state changes, dmesg trace and tracepoints (ktcp_trace.c). */
#ifndef _KTCP_TRACE_H
#define _KTCP_TRACE_H

#include "ktcp.h"

enum ktcp_trace_level {
	KTCP_TRACE_OFF,
	KTCP_TRACE_STATES,
	KTCP_TRACE_SEGMENTS,
};

void ktcp_set_state(struct sock *sk, int state);
const char *ktcp_state_name(int state);
void ktcp_trace_retransmit(const struct sock *sk, const struct sk_buff *skb);
void ktcp_trace_reset(bool out, __be32 saddr, __be16 sport, __be32 daddr,
		      __be16 dport, int reason, int err);
void ktcp_trace_drop(int reason);
void ktcp_trace_segment(const struct sock *sk, __be32 saddr, __be32 daddr,
			const struct tcphdr *th, unsigned int datalen, bool out);

#endif /* _KTCP_TRACE_H */
