/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: from a checked segment or ICMP error to its socket (ktcp_rcv.c). */
#ifndef _KTCP_RCV_H
#define _KTCP_RCV_H

#include "ktcp.h"
#include "ktcp_hash.h"

int ktcp_check_segment(struct sk_buff *skb, int family);
bool ktcp_rcv_checked(struct net *net, struct sk_buff *skb, int family);
void ktcp_rcv(struct net *net, struct sk_buff *skb,
	      const struct ktcp_key *key, const struct ktcp_af_ops *ops);
void ktcp_rcv_error(struct net *net, const struct ktcp_key *key, u32 seq,
		    int err, u32 mtu);

#endif /* _KTCP_RCV_H */
