/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: receive queues and reassembly (ktcp_reasm.c). */
#ifndef _KTCP_REASM_H
#define _KTCP_REASM_H

#include "ktcp.h"

enum ktcp_reasm {
	KTCP_REASM_IN_ORDER,		/* rcv_nxt advanced */
	KTCP_REASM_OUT_OF_ORDER,	/* queued beyond a hole */
	KTCP_REASM_DUPLICATE,		/* nothing new: dropped */
};

void ktcp_dsack_set(struct sock *sk, u32 start, u32 end);
enum ktcp_reasm ktcp_reassemble(struct sock *sk, struct sk_buff *skb);
int ktcp_rmem_make_room(struct sock *sk, struct sk_buff *skb);
struct sk_buff *ktcp_compact(struct sk_buff *skb);
void ktcp_ooo_purge(struct sock *sk);

#endif /* _KTCP_REASM_H */
