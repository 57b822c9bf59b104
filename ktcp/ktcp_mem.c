// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp's part in the kernel's socket memory accounting (net/core/sock.c).
 *
 * Every skb in a write, receive or out-of-order queue is charged to its
 * socket's sk_forward_alloc, which the core fills in whole pages taken
 * from ktcp_memory_allocated (through a per-CPU cache, ktcp_fw_alloc).
 * net.ktcp.mem holds the three limits in pages, as net.ipv4.tcp_mem
 * does for TCP: below the first nothing is refused, above the second
 * ktcp is under memory pressure and buffers stop growing, above the
 * third new data waits (send) or is dropped (receive) unless a socket
 * would otherwise stall.  The per-socket bounds, sk_sndbuf and
 * sk_rcvbuf, apply as before; these limits are what all ktcp sockets
 * together may hold.
 */
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_kunit.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_sysctl.h"

atomic_long_t ktcp_memory_allocated;
DEFINE_PER_CPU(int, ktcp_fw_alloc);
struct percpu_counter ktcp_sockets_allocated;
unsigned long ktcp_memory_pressure;
EXPORT_SYMBOL_IF_KUNIT(ktcp_memory_pressure);
long ktcp_sysctl_mem[3];
/* Orphans: closed by their user, not yet CLOSED or in TIME-WAIT. */
atomic_long_t ktcp_orphans;

/**
 * ktcp_too_many_orphans() - is net.ktcp.max_orphans exceeded?
 *
 * Orphans hold buffers no one will read or write again; past the limit
 * they are reset (ktcp_close(), the retransmission timer), as TCP's are
 * past net.ipv4.tcp_max_orphans.
 *
 * Return: true if one more orphan is one too many.
 */
bool ktcp_too_many_orphans(void)
{
	return atomic_long_read(&ktcp_orphans) > READ_ONCE(ktcp_max_orphans);
}

/* proto->enter_memory_pressure: the core saw ktcp above net.ktcp.mem[1]. */
void ktcp_enter_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(ktcp_memory_pressure))
		return;
	if (!cmpxchg(&ktcp_memory_pressure, 0, 1))
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_MEMORYPRESSURES);
}

/* proto->leave_memory_pressure: called on every charge below mem[0]. */
void ktcp_leave_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(ktcp_memory_pressure))
		cmpxchg(&ktcp_memory_pressure, 1, 0);
}

/**
 * ktcp_mem_may_grow() - may buffer autotuning make a socket's buffer bigger?
 * @sk: socket
 *
 * Not under memory pressure (ktcp's or the socket's memory cgroup's), and
 * not while ktcp as a whole holds more than net.ktcp.mem[0].
 *
 * Return: true if it may.
 */
bool ktcp_mem_may_grow(const struct sock *sk)
{
	return !sk_under_memory_pressure(sk) &&
	       sk_memory_allocated(sk) < sk_prot_mem_limits(sk, 0);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_mem_may_grow);

/**
 * ktcp_forced_mem_schedule() - make room for what must be queued anyway
 * @sk: locked socket
 * @size: bytes about to be charged
 * @kind: SK_MEM_SEND or SK_MEM_RECV
 *
 * A SYN or FIN, the second half of a split segment, and in-order data
 * for an empty receive queue may not wait for memory.  TCP's
 * sk_forced_mem_schedule() is not exported, and only the core may charge
 * a memory cgroup; so when the limits refuse, the charge that follows
 * takes sk_forward_alloc below zero.  The socket then owes those bytes:
 * its next schedule asks for them as well, and freeing the skb repays
 * them, so that sk_forward_alloc is back at zero once the queues are.
 */
void ktcp_forced_mem_schedule(struct sock *sk, int size, int kind)
{
	int delta = size - sk->sk_forward_alloc;

	if (delta > 0 && !__sk_mem_schedule(sk, delta, kind))
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_MEMFORCED);
}

/**
 * ktcp_memory_pages() - pages charged by all ktcp sockets, exactly
 *
 * ktcp_memory_allocated alone lags by what each CPU keeps in its cache
 * (net.core.mem_pcpu_rsv pages at most, either way); this adds those.
 *
 * Return: pages; a moment's racy sum while sockets run.
 */
long ktcp_memory_pages(void)
{
	long pages = atomic_long_read(&ktcp_memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		pages += per_cpu(ktcp_fw_alloc, cpu);
	return pages;
}

/**
 * ktcp_mem_init() - set the default limits and the socket counter up
 *
 * The defaults scale with the memory that can hold buffers: about 4.7 %,
 * 6.25 % and 9.4 % of it, at least 96, 128 and 192 pages (TCP's
 * proportions, tcp_init_mem()).
 *
 * Return: 0 or -ENOMEM.
 */
int __init ktcp_mem_init(void)
{
	unsigned long pressure = max(nr_free_buffer_pages() / 16, 128UL);

	ktcp_sysctl_mem[0] = pressure - pressure / 4;
	ktcp_sysctl_mem[1] = pressure;
	ktcp_sysctl_mem[2] = 2 * ktcp_sysctl_mem[0];
	return percpu_counter_init(&ktcp_sockets_allocated, 0, GFP_KERNEL);
}

/* After proto_unregister(): no socket is left to count. */
void ktcp_mem_exit(void)
{
	percpu_counter_destroy(&ktcp_sockets_allocated);
}
