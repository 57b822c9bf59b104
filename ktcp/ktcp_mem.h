/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: socket memory accounting (ktcp_mem.c). */
#ifndef _KTCP_MEM_H
#define _KTCP_MEM_H

#include "ktcp.h"

/* Socket memory accounting. */
extern atomic_long_t ktcp_memory_allocated;
DECLARE_PER_CPU(int, ktcp_fw_alloc);
extern struct percpu_counter ktcp_sockets_allocated;
extern unsigned long ktcp_memory_pressure;
extern long ktcp_sysctl_mem[3];
extern atomic_long_t ktcp_orphans;
bool ktcp_too_many_orphans(void);
int ktcp_mem_init(void);
void ktcp_mem_exit(void);
void ktcp_enter_memory_pressure(struct sock *sk);
void ktcp_leave_memory_pressure(struct sock *sk);
bool ktcp_mem_may_grow(const struct sock *sk);
void ktcp_forced_mem_schedule(struct sock *sk, int size, int kind);
long ktcp_memory_pages(void);

/* Queue @skb's memory on the write queue's account (already scheduled). */
static inline void ktcp_wmem_charge(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, skb->truesize);
	sk_mem_charge(sk, skb->truesize);
}

/* Free an skb taken off the write queue, with what it was charged. */
static inline void ktcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	sk_mem_uncharge(sk, skb->truesize);
	consume_skb(skb);
}

/*
 * Give queued @skb data of its own before its fragments change: a clone
 * in flight shares them.  The copy keeps the truesize @skb was charged
 * with, so the write queue's account stays exact (TCP's
 * skb_unclone_keeptruesize(), which modules cannot call).
 */
static inline int ktcp_wmem_unclone(struct sk_buff *skb)
{
	unsigned int truesize = skb->truesize;
	int err;

	if (!skb_cloned(skb))
		return 0;
	err = pskb_expand_head(skb, 0, 0, GFP_ATOMIC);
	skb->truesize = truesize;
	return err;
}

#endif /* _KTCP_MEM_H */
