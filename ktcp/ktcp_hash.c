// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp connection tables: bound ports, listeners and connections.
 *
 * ktcp keeps its own tables instead of the inet_hashinfo helpers: those
 * would put ktcp sockets into TCP's tables on the kernels we support, and
 * they are no longer exported from Linux 6.16 on.
 *
 * All tables are global and keyed with the network namespace.  A single
 * spinlock serialises writers (bind, listen, connect, close: rare next to
 * lookups); softirq lookups walk the established and listening chains
 * under RCU, which is safe because ktcp sockets are SOCK_RCU_FREE, and
 * take a reference before leaving the read side.  The bind table is only
 * walked under the lock.
 *
 * A socket is in at most one of the established (ehash) and listening
 * (lhash) tables, through sk_node, and that membership holds a reference.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_listen.h"

#define KTCP_EHASH_BITS	14
#define KTCP_LHASH_BITS	8
#define KTCP_BHASH_BITS	10

struct ktcp_tables {
	spinlock_t lock;		/* all writers; see the top of the file */
	struct hlist_head ehash[1 << KTCP_EHASH_BITS];
	struct hlist_head lhash[1 << KTCP_LHASH_BITS];
	struct hlist_head bhash[1 << KTCP_BHASH_BITS];
};

static struct ktcp_tables *tables;
static u32 ktcp_hash_secret __read_mostly;

static unsigned int ktcp_ehashfn(const struct net *net, __be32 laddr,
				 u16 lport, __be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    ((u32)lport << 16) | (__force u16)rport,
			    ktcp_hash_secret + net_hash_mix(net)) &
	       ((1 << KTCP_EHASH_BITS) - 1);
}

static struct hlist_head *ktcp_lhash_head(const struct net *net, u16 port)
{
	return &tables->lhash[(port + net_hash_mix(net)) &
			      ((1 << KTCP_LHASH_BITS) - 1)];
}

static struct hlist_head *ktcp_bhash_head(const struct net *net, u16 port)
{
	return &tables->bhash[(port + net_hash_mix(net)) &
			      ((1 << KTCP_BHASH_BITS) - 1)];
}

static bool ktcp_dev_match(const struct sock *sk, int dif)
{
	return !sk->sk_bound_dev_if || sk->sk_bound_dev_if == dif;
}

/* Called under rcu_read_lock(). */
static struct sock *ktcp_lookup_established(struct net *net,
					    __be32 saddr, __be16 sport,
					    __be32 daddr, u16 hnum, int dif)
{
	unsigned int h = ktcp_ehashfn(net, daddr, hnum, saddr, sport);
	struct sock *sk;

	sk_for_each_rcu(sk, &tables->ehash[h]) {
		const struct inet_sock *inet = inet_sk(sk);

		if (inet->inet_num == hnum && inet->inet_dport == sport &&
		    inet->inet_daddr == saddr &&
		    inet->inet_rcv_saddr == daddr &&
		    net_eq(sock_net(sk), net) && ktcp_dev_match(sk, dif))
			return sk;
	}
	return NULL;
}

/* Called under rcu_read_lock(); prefers a listener bound to @daddr. */
static struct sock *ktcp_lookup_listener(struct net *net, __be32 daddr,
					 u16 hnum, int dif)
{
	struct sock *sk, *wildcard = NULL;

	sk_for_each_rcu(sk, ktcp_lhash_head(net, hnum)) {
		const struct inet_sock *inet = inet_sk(sk);

		if (inet->inet_num != hnum || !net_eq(sock_net(sk), net) ||
		    !ktcp_dev_match(sk, dif))
			continue;
		if (inet->inet_rcv_saddr == daddr)
			return sk;
		if (!inet->inet_rcv_saddr)
			wildcard = sk;
	}
	return wildcard;
}

/**
 * ktcp_lookup() - find the socket an incoming segment belongs to
 * @net: namespace the segment arrived in
 * @saddr: segment's source address
 * @sport: segment's source port
 * @daddr: segment's destination address
 * @dport: segment's destination port
 * @dif: incoming interface index
 *
 * Return: a connection or else a listener, with a reference held, or NULL.
 */
struct sock *ktcp_lookup(struct net *net, __be32 saddr, __be16 sport,
			 __be32 daddr, __be16 dport, int dif)
{
	u16 hnum = ntohs(dport);
	struct sock *sk;

	rcu_read_lock();
	sk = ktcp_lookup_established(net, saddr, sport, daddr, hnum, dif);
	if (!sk)
		sk = ktcp_lookup_listener(net, daddr, hnum, dif);
	if (sk && !refcount_inc_not_zero(&sk->sk_refcnt))
		sk = NULL;
	rcu_read_unlock();
	return sk;
}

static void ktcp_hash_into(struct sock *sk, struct hlist_head *head)
{
	spin_lock_bh(&tables->lock);
	if (!sk_hashed(sk)) {
		sk_add_node_rcu(sk, head);
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	}
	spin_unlock_bh(&tables->lock);
}

/**
 * ktcp_hash_listener() - make a bound socket findable by SYNs
 * @sk: socket entering LISTEN
 */
void ktcp_hash_listener(struct sock *sk)
{
	ktcp_hash_into(sk, ktcp_lhash_head(sock_net(sk), inet_sk(sk)->inet_num));
}

/**
 * ktcp_hash_established() - make a connection findable by its four-tuple
 * @sk: socket with addresses and ports set
 */
void ktcp_hash_established(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	ktcp_hash_into(sk, &tables->ehash[ktcp_ehashfn(sock_net(sk),
						       inet->inet_rcv_saddr,
						       inet->inet_num,
						       inet->inet_daddr,
						       inet->inet_dport)]);
}

/**
 * ktcp_unhash() - remove a socket from the listening or established table
 * @sk: socket; the caller holds a reference besides the table's
 */
void ktcp_unhash(struct sock *sk)
{
	spin_lock_bh(&tables->lock);
	if (sk_del_node_init_rcu(sk))
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	spin_unlock_bh(&tables->lock);
}

static bool ktcp_addr_overlap(const struct sock *a, const struct sock *b)
{
	__be32 x = inet_sk(a)->inet_rcv_saddr, y = inet_sk(b)->inet_rcv_saddr;

	if (a->sk_bound_dev_if && b->sk_bound_dev_if &&
	    a->sk_bound_dev_if != b->sk_bound_dev_if)
		return false;
	return !x || !y || x == y;
}

/*
 * TCP's rules: two sockets may share a port on overlapping addresses only
 * if both set SO_REUSEADDR and the holder is not listening; a holder in
 * TIME-WAIT gives way to any SO_REUSEADDR socket.  @listen checks for
 * moving @sk to LISTEN, where only another listener conflicts.
 * Called with tables->lock held.
 */
static bool ktcp_port_conflict(const struct sock *sk, u16 port, bool listen)
{
	const struct sock *sk2;

	sk_for_each_bound(sk2, ktcp_bhash_head(sock_net(sk), port)) {
		if (sk2 == sk || inet_sk(sk2)->inet_num != port ||
		    !net_eq(sock_net(sk2), sock_net(sk)) ||
		    !ktcp_addr_overlap(sk, sk2))
			continue;
		if (listen) {
			if (sk2->sk_state == TCP_LISTEN)
				return true;
			continue;
		}
		if (sk->sk_reuse && sk2->sk_state == TCP_TIME_WAIT)
			continue;
		if (sk->sk_reuse && sk2->sk_reuse &&
		    sk2->sk_state != TCP_LISTEN)
			continue;
		return true;
	}
	return false;
}

static bool ktcp_port_in_use(const struct net *net, u16 port)
{
	const struct sock *sk2;

	sk_for_each_bound(sk2, ktcp_bhash_head(net, port))
		if (inet_sk(sk2)->inet_num == port &&
		    net_eq(sock_net(sk2), net))
			return true;
	return false;
}

/* Pick a free ephemeral port; called with tables->lock held. */
static int ktcp_pick_port(struct net *net)
{
	int low, high, remaining, port;

	inet_get_local_port_range(net, &low, &high);
	remaining = high - low + 1;
	if (remaining <= 0)
		return 0;
	port = low + get_random_u32_below(remaining);
	for (; remaining > 0; remaining--, port++) {
		if (port > high)
			port = low;
		if (inet_is_local_reserved_port(net, port))
			continue;
		if (!ktcp_port_in_use(net, port))
			return port;
	}
	return 0;
}

/**
 * ktcp_get_port() - bind a socket to a local port
 * @sk: socket with inet_rcv_saddr set
 * @snum: port in host order, 0 for an ephemeral one
 *
 * Return: 0, or -EADDRINUSE (proto->get_port).
 */
int ktcp_get_port(struct sock *sk, unsigned short snum)
{
	struct net *net = sock_net(sk);
	int ret = -EADDRINUSE;

	spin_lock_bh(&tables->lock);
	if (!snum)
		snum = ktcp_pick_port(net);
	else if (ktcp_port_conflict(sk, snum, false))
		snum = 0;
	if (snum) {
		inet_sk(sk)->inet_num = snum;
		sk_add_bind_node(sk, ktcp_bhash_head(net, snum));
		ret = 0;
	}
	spin_unlock_bh(&tables->lock);
	return ret;
}

/**
 * ktcp_listen_port_ok() - may a bound socket start listening?
 * @sk: bound socket
 *
 * Return: true unless another listener holds the same port and address.
 */
bool ktcp_listen_port_ok(struct sock *sk)
{
	bool ok;

	spin_lock_bh(&tables->lock);
	ok = !ktcp_port_conflict(sk, inet_sk(sk)->inet_num, true);
	spin_unlock_bh(&tables->lock);
	return ok;
}

/**
 * ktcp_put_port() - release a socket's local port
 * @sk: socket
 */
void ktcp_put_port(struct sock *sk)
{
	spin_lock_bh(&tables->lock);
	if (!hlist_unhashed(&sk->sk_bind_node)) {
		__sk_del_bind_node(sk);
		INIT_HLIST_NODE(&sk->sk_bind_node);
		inet_sk(sk)->inet_num = 0;
	}
	spin_unlock_bh(&tables->lock);
}

/**
 * ktcp_inherit_port() - let a passively opened child share the port
 * @child: new socket, cloned from @parent
 * @parent: the listener
 *
 * Return: 0.
 */
int ktcp_inherit_port(struct sock *child, struct sock *parent)
{
	spin_lock_bh(&tables->lock);
	sk_add_bind_node(child, ktcp_bhash_head(sock_net(parent),
						inet_sk(parent)->inet_num));
	spin_unlock_bh(&tables->lock);
	return 0;
}

/**
 * ktcp_hash_connect() - bind if needed and enter the established table
 * @sk: connecting socket with addresses and destination port set
 *
 * Return: 0, -EADDRNOTAVAIL if no port is free or the four-tuple exists.
 */
int ktcp_hash_connect(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct sock *other;

	if (!inet->inet_num && ktcp_get_port(sk, 0))
		return -EADDRNOTAVAIL;
	inet->inet_sport = htons(inet->inet_num);

	rcu_read_lock();
	other = ktcp_lookup_established(sock_net(sk), inet->inet_daddr,
					inet->inet_dport, inet->inet_rcv_saddr,
					inet->inet_num, sk->sk_bound_dev_if);
	rcu_read_unlock();
	if (other)
		return -EADDRNOTAVAIL;
	ktcp_hash_established(sk);
	return 0;
}

/**
 * ktcp_walk_sockets() - call @walk->fn for every hashed socket of @net
 * @net: namespace
 * @walk: fn is called with the table lock held and BHs off; must not sleep
 */
void ktcp_walk_sockets(struct net *net, struct ktcp_walk *walk)
{
	struct sock *sk;
	unsigned int i;

	spin_lock_bh(&tables->lock);
	for (i = 0; i < ARRAY_SIZE(tables->lhash); i++)
		sk_for_each(sk, &tables->lhash[i])
			if (net_eq(sock_net(sk), net))
				walk->fn(sk, walk);
	for (i = 0; i < ARRAY_SIZE(tables->ehash); i++)
		sk_for_each(sk, &tables->ehash[i])
			if (net_eq(sock_net(sk), net))
				walk->fn(sk, walk);
	spin_unlock_bh(&tables->lock);
}

int ktcp_hash_init(void)
{
	tables = kvzalloc(sizeof(*tables), GFP_KERNEL);
	if (!tables)
		return -ENOMEM;
	spin_lock_init(&tables->lock);
	ktcp_hash_secret = get_random_u32();
	return 0;
}

void ktcp_hash_exit(void)
{
	kvfree(tables);
}
