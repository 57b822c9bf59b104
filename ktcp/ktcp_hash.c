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
 * lookups).  Softirq lookups walk the established and listening chains
 * under RCU, which is safe because ktcp sockets are SOCK_RCU_FREE, and
 * take a reference before leaving the read side.  A socket may leave one
 * chain and join another while a reader stands on it (close, then
 * connect() again): the chains are hlist_nulls, whose end marker names
 * the chain, so a reader that finished on another chain starts over
 * instead of missing a socket.  The bind table is only walked under the
 * lock.
 *
 * A socket is in at most one of the established (ehash) and listening
 * (lhash) tables, through sk_nulls_node, and that membership holds a
 * reference.  No two sockets of ehash share a four-tuple: insertion
 * checks under the lock.
 *
 * IPv4 and IPv6 sockets share the tables.  A lookup's key carries the
 * segment's family, and only sockets of that family match it; the port
 * rules compare addresses across families as TCP's do, since an IPv6
 * socket bound to the any address without IPV6_V6ONLY owns the port on
 * IPv4 too.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_hash.h"
#include "ktcp_kunit.h"

#define KTCP_EHASH_BITS	14
#define KTCP_LHASH_BITS	8
/* One chain per port number: connect() looks at a port's sockets only. */
#define KTCP_BHASH_BITS	16

struct ktcp_tables {
	spinlock_t lock;		/* all writers; see the top of the file */
	struct hlist_nulls_head ehash[1 << KTCP_EHASH_BITS];
	struct hlist_nulls_head lhash[1 << KTCP_LHASH_BITS];
	struct hlist_head bhash[1 << KTCP_BHASH_BITS];
};

/* End markers of lhash chains follow those of ehash: all are distinct. */
#define KTCP_LHASH_NULLS_BASE	BIT(KTCP_EHASH_BITS)

static struct ktcp_tables *tables;
static u32 ktcp_hash_secret __read_mostly;
static siphash_key_t ktcp_isn_secret __read_mostly;
static siphash_key_t ktcp_ts_secret __read_mostly;

/**
 * ktcp_isn() - the initial sequence number of a new connection
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 *
 * RFC 6528: a keyed hash of the four-tuple plus a clock that ticks every
 * 64 ns.  The key is ktcp's own, so ISNs tell nothing about TCP's for the
 * same four-tuple, nor TCP's about ours.
 *
 * Return: the ISN.
 */
u32 ktcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	u32 hash = siphash_3u32((__force u32)saddr, (__force u32)daddr,
				(u32)ntohs(sport) << 16 | ntohs(dport),
				&ktcp_isn_secret);

	return hash + (u32)(ktime_get_real_ns() >> 6);
}

/**
 * ktcp_ts_off() - the offset of a new connection's timestamps
 * @saddr: local address
 * @daddr: remote address
 *
 * RFC 7323 5.4: a random offset per pair of hosts, as TCP's, so that a
 * timestamp says nothing of the host's uptime, while the connections
 * between two hosts share one clock: a SYN that finds the last one in
 * TIME-WAIT carries a newer TSval (RFC 6191).
 *
 * Return: the offset.
 */
u32 ktcp_ts_off(__be32 saddr, __be32 daddr)
{
	return siphash_2u32((__force u32)saddr, (__force u32)daddr,
			    &ktcp_ts_secret);
}

/* An address of the key's family, as compared with a socket's. */
static bool ktcp_addr_eq(const struct ktcp_key *key, const union ktcp_addr *a,
			 __be32 v4, const struct in6_addr *v6)
{
	return key->family == AF_INET6 ? ipv6_addr_equal(&a->v6, v6) :
					 a->v4 == v4;
}

/* Is the socket's local address, in the key's family, the any address? */
static bool ktcp_sk_laddr_any(const struct sock *sk)
{
	if (sk->sk_family == AF_INET6)
		return ipv6_addr_any(&sk->sk_v6_rcv_saddr);
	return !inet_sk(sk)->inet_rcv_saddr;
}

static u32 ktcp_addr_hash(const struct ktcp_key *key, const union ktcp_addr *a)
{
	return key->family == AF_INET6 ? ipv6_addr_hash(&a->v6) :
					 (__force u32)a->v4;
}

static unsigned int ktcp_ehashfn(const struct net *net,
				 const struct ktcp_key *key)
{
	return jhash_3words(ktcp_addr_hash(key, &key->laddr),
			    ktcp_addr_hash(key, &key->raddr),
			    ((u32)key->lport << 16) | (__force u16)key->rport,
			    ktcp_hash_secret + net_hash_mix(net)) &
	       ((1 << KTCP_EHASH_BITS) - 1);
}

/* The key of @sk's own four-tuple, with local port @lport. */
static void ktcp_sk_key(const struct sock *sk, u16 lport,
			struct ktcp_key *key)
{
	const struct inet_sock *inet = inet_sk(sk);

	memset(key, 0, sizeof(*key));
	key->family = sk->sk_family;
	if (key->family == AF_INET6) {
		key->laddr.v6 = sk->sk_v6_rcv_saddr;
		key->raddr.v6 = sk->sk_v6_daddr;
	} else {
		key->laddr.v4 = inet->inet_rcv_saddr;
		key->raddr.v4 = inet->inet_daddr;
	}
	key->lport = lport;
	key->rport = inet->inet_dport;
	key->dif = sk->sk_bound_dev_if;
}

static unsigned int ktcp_lhashfn(const struct net *net, u16 port)
{
	return (port + net_hash_mix(net)) & ((1 << KTCP_LHASH_BITS) - 1);
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

/* Are @sk's addresses and ports the four-tuple of @key? */
static bool ktcp_tuple_match(const struct sock *sk, const struct ktcp_key *key)
{
	const struct inet_sock *inet = inet_sk(sk);

	return sk->sk_family == key->family && inet->inet_num == key->lport &&
	       inet->inet_dport == key->rport &&
	       ktcp_addr_eq(key, &key->raddr, inet->inet_daddr,
			    &sk->sk_v6_daddr) &&
	       ktcp_addr_eq(key, &key->laddr, inet->inet_rcv_saddr,
			    &sk->sk_v6_rcv_saddr);
}

/* Is @sk the connection @key names? */
static bool ktcp_established_match(const struct sock *sk,
				   const struct net *net,
				   const struct ktcp_key *key)
{
	return ktcp_tuple_match(sk, key) && net_eq(sock_net(sk), net) &&
	       ktcp_dev_match(sk, key->dif);
}

/* Called under rcu_read_lock(); returns a reference. */
static struct sock *ktcp_lookup_established(struct net *net,
					    const struct ktcp_key *key)
{
	unsigned int slot = ktcp_ehashfn(net, key);
	struct hlist_nulls_node *node;
	struct sock *sk;

begin:
	sk_nulls_for_each_rcu(sk, node, &tables->ehash[slot]) {
		if (!ktcp_established_match(sk, net, key))
			continue;
		if (unlikely(!refcount_inc_not_zero(&sk->sk_refcnt)))
			return NULL;	/* on its way out */
		/* it may have been rehashed between the match and the get */
		if (unlikely(!ktcp_established_match(sk, net, key))) {
			sock_put(sk);
			goto begin;
		}
		return sk;
	}
	/* we ended on another chain: a socket we passed moved */
	if (get_nulls_value(node) != slot)
		goto begin;
	return NULL;
}

/* Is @sk a listener for @key's local end, bound to it or to any address? */
static bool ktcp_listener_match(const struct sock *sk, const struct net *net,
				const struct ktcp_key *key)
{
	const struct inet_sock *inet = inet_sk(sk);

	return READ_ONCE(sk->sk_state) == TCP_LISTEN &&
	       sk->sk_family == key->family && inet->inet_num == key->lport &&
	       net_eq(sock_net(sk), net) && ktcp_dev_match(sk, key->dif) &&
	       (ktcp_sk_laddr_any(sk) ||
		ktcp_addr_eq(key, &key->laddr, inet->inet_rcv_saddr,
			     &sk->sk_v6_rcv_saddr));
}

/*
 * How well listener @sk suits a SYN with four-tuple hash @hash: one bound
 * to the address beats one bound to any.  Within a SO_REUSEPORT group
 * each member draws a weight from the hash and itself, and the heaviest
 * wins (rendezvous hashing): connections spread evenly over the group,
 * and a retransmitted SYN meets the listener its first copy met.
 */
static u64 ktcp_listener_score(const struct sock *sk, u32 hash)
{
	u64 score = ktcp_sk_laddr_any(sk) ? 1ULL << 32 : 2ULL << 32;

	if (sk->sk_reuseport)
		score |= jhash_2words(hash, (u32)(unsigned long)sk,
				      ktcp_hash_secret);
	return score;
}

/* Called under rcu_read_lock(); the best listener by the score above. */
static struct sock *ktcp_lookup_listener(struct net *net,
					 const struct ktcp_key *key)
{
	unsigned int slot = ktcp_lhashfn(net, key->lport);
	u32 hash = ktcp_ehashfn(net, key);
	struct hlist_nulls_node *node;
	struct sock *sk, *found;
	u64 score, best;

begin:
	found = NULL;
	best = 0;
	sk_nulls_for_each_rcu(sk, node, &tables->lhash[slot]) {
		if (!ktcp_listener_match(sk, net, key))
			continue;
		score = ktcp_listener_score(sk, hash);
		if (score > best) {
			found = sk;
			best = score;
		}
	}
	if (get_nulls_value(node) != KTCP_LHASH_NULLS_BASE + slot)
		goto begin;
	if (!found)
		return NULL;
	if (unlikely(!refcount_inc_not_zero(&found->sk_refcnt)))
		return NULL;
	/* it may have closed, even connected, between the match and the get */
	if (unlikely(!ktcp_listener_match(found, net, key))) {
		sock_put(found);
		goto begin;
	}
	return found;
}

/**
 * ktcp_lookup_key() - find the socket an incoming segment belongs to
 * @net: namespace the segment arrived in
 * @key: the segment's four-tuple, family and incoming interface
 *
 * Return: a connection or else a listener, with a reference held, or NULL.
 */
struct sock *ktcp_lookup_key(struct net *net, const struct ktcp_key *key)
{
	struct sock *sk;

	rcu_read_lock();
	sk = ktcp_lookup_established(net, key);
	if (!sk)
		sk = ktcp_lookup_listener(net, key);
	rcu_read_unlock();
	return sk;
}

/**
 * ktcp_lookup_listener_key() - find the listener for a new connection
 * @net: namespace
 * @key: the SYN's four-tuple, family and incoming interface
 *
 * Return: the listener with a reference held, or NULL.
 */
struct sock *ktcp_lookup_listener_key(struct net *net,
				      const struct ktcp_key *key)
{
	struct sock *sk;

	rcu_read_lock();
	sk = ktcp_lookup_listener(net, key);
	rcu_read_unlock();
	return sk;
}

/**
 * ktcp_lookup() - ktcp_lookup_key() for an IPv4 segment
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
	struct ktcp_key key = {
		.family = AF_INET, .raddr.v4 = saddr, .laddr.v4 = daddr,
		.rport = sport, .lport = ntohs(dport), .dif = dif,
	};

	return ktcp_lookup_key(net, &key);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_lookup);

/* Is @sk's four-tuple in ehash already?  Called with tables->lock held. */
static bool ktcp_four_tuple_taken(const struct sock *sk, u16 lport)
	__must_hold(&tables->lock)
{
	struct hlist_nulls_node *node;
	struct ktcp_key key;
	struct sock *sk2;

	lockdep_assert_held(&tables->lock);
	ktcp_sk_key(sk, lport, &key);
	sk_nulls_for_each(sk2, node,
			  &tables->ehash[ktcp_ehashfn(sock_net(sk), &key)]) {
		if (sk2 != sk && ktcp_tuple_match(sk2, &key) &&
		    net_eq(sock_net(sk2), sock_net(sk)) &&
		    (!sk->sk_bound_dev_if || !sk2->sk_bound_dev_if ||
		     sk->sk_bound_dev_if == sk2->sk_bound_dev_if))
			return true;
	}
	return false;
}

static void ktcp_nulls_add(struct sock *sk, struct hlist_nulls_head *head)
	__must_hold(&tables->lock)
{
	lockdep_assert_held(&tables->lock);
	sk_nulls_add_node_rcu(sk, head);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
}

/**
 * ktcp_hash_listener() - make a bound socket findable by SYNs
 * @sk: socket entering LISTEN
 */
void ktcp_hash_listener(struct sock *sk)
{
	unsigned int slot = ktcp_lhashfn(sock_net(sk), inet_sk(sk)->inet_num);

	spin_lock_bh(&tables->lock);
	if (sk_unhashed(sk))
		ktcp_nulls_add(sk, &tables->lhash[slot]);
	spin_unlock_bh(&tables->lock);
}

static void ktcp_ehash_add(struct sock *sk)
	__must_hold(&tables->lock)
{
	struct ktcp_key key;

	ktcp_sk_key(sk, inet_sk(sk)->inet_num, &key);
	ktcp_nulls_add(sk, &tables->ehash[ktcp_ehashfn(sock_net(sk), &key)]);
}

/**
 * ktcp_hash_established() - make a connection findable by its four-tuple
 * @sk: socket with addresses and ports set
 *
 * Return: 0, or -EADDRINUSE if another socket has the four-tuple (two
 * copies of one SYN, or two connect() calls from one shared port).
 */
int ktcp_hash_established(struct sock *sk)
{
	int err = 0;

	spin_lock_bh(&tables->lock);
	if (ktcp_four_tuple_taken(sk, inet_sk(sk)->inet_num))
		err = -EADDRINUSE;
	else if (sk_unhashed(sk))
		ktcp_ehash_add(sk);
	spin_unlock_bh(&tables->lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_hash_established);

/**
 * ktcp_unhash() - remove a socket from the listening or established table
 * @sk: socket; the caller holds a reference besides the table's
 */
void ktcp_unhash(struct sock *sk)
{
	spin_lock_bh(&tables->lock);
	if (sk_nulls_del_node_init_rcu(sk))
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	spin_unlock_bh(&tables->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_unhash);

/*
 * Does IPv6 socket @v6 own the port on IPv4 address @v4 (0: any) too?
 * Only without IPV6_V6ONLY, bound to the any address or to a v4-mapped
 * one that covers @v4, as inet_rcv_saddr_equal() says for TCP.
 */
static bool ktcp_v6_covers_v4(const struct sock *v6, __be32 v4)
{
	const struct in6_addr *a = &v6->sk_v6_rcv_saddr;

	if (ipv6_only_sock(v6))
		return false;
	if (ipv6_addr_any(a))
		return true;
	return ipv6_addr_v4mapped(a) && (!v4 || a->s6_addr32[3] == v4);
}

static bool ktcp_addr_overlap(const struct sock *a, const struct sock *b)
{
	if (a->sk_bound_dev_if && b->sk_bound_dev_if &&
	    a->sk_bound_dev_if != b->sk_bound_dev_if)
		return false;
	if (a->sk_family == AF_INET6 && b->sk_family == AF_INET6)
		return ipv6_addr_any(&a->sk_v6_rcv_saddr) ||
		       ipv6_addr_any(&b->sk_v6_rcv_saddr) ||
		       ipv6_addr_equal(&a->sk_v6_rcv_saddr,
				       &b->sk_v6_rcv_saddr);
	if (a->sk_family == AF_INET6)
		return ktcp_v6_covers_v4(a, inet_sk(b)->inet_rcv_saddr);
	if (b->sk_family == AF_INET6)
		return ktcp_v6_covers_v4(b, inet_sk(a)->inet_rcv_saddr);
	return !inet_sk(a)->inet_rcv_saddr || !inet_sk(b)->inet_rcv_saddr ||
	       inet_sk(a)->inet_rcv_saddr == inet_sk(b)->inet_rcv_saddr;
}

/*
 * TCP's rules: two sockets may share a port on overlapping addresses only
 * if both set SO_REUSEADDR and the holder is not listening, or both set
 * SO_REUSEPORT and belong to one user (listening or not); a holder in
 * TIME-WAIT gives way to any SO_REUSEADDR socket.  @listen checks for
 * moving @sk to LISTEN, where only another listener conflicts.
 */
static bool ktcp_port_conflict(const struct sock *sk, u16 port, bool listen)
	__must_hold(&tables->lock)
{
	const struct sock *sk2;

	lockdep_assert_held(&tables->lock);
	sk_for_each_bound(sk2, ktcp_bhash_head(sock_net(sk), port)) {
		if (sk2 == sk || inet_sk(sk2)->inet_num != port ||
		    !net_eq(sock_net(sk2), sock_net(sk)) ||
		    !ktcp_addr_overlap(sk, sk2))
			continue;
		if (sk->sk_reuseport && sk2->sk_reuseport &&
		    uid_eq(sk->sk_uid, sk2->sk_uid))
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
	__must_hold(&tables->lock)
{
	const struct sock *sk2;

	sk_for_each_bound(sk2, ktcp_bhash_head(net, port))
		if (inet_sk(sk2)->inet_num == port &&
		    net_eq(sock_net(sk2), net))
			return true;
	return false;
}

/*
 * May connect() give @sk local port @port?  As inet_hash_connect(): a
 * port that only connect() chose may carry connections to other peers;
 * one that bind() or a listener holds is not connect()'s to share; the
 * four-tuple must be new.
 */
static bool ktcp_connect_port_ok(const struct sock *sk, u16 port)
	__must_hold(&tables->lock)
{
	const struct sock *sk2;

	sk_for_each_bound(sk2, ktcp_bhash_head(sock_net(sk), port))
		if (inet_sk(sk2)->inet_num == port &&
		    net_eq(sock_net(sk2), sock_net(sk)) &&
		    !ktcp_sk(sk2)->connect_port)
			return false;
	return !ktcp_four_tuple_taken(sk, port);
}

/*
 * Walk the ephemeral range from a random point for a port that @ok
 * accepts.  Return: the port, or 0 if none.
 */
static int ktcp_scan_ports(const struct sock *sk,
			   bool (*ok)(const struct sock *sk, u16 port))
	__must_hold(&tables->lock)
{
	struct net *net = sock_net(sk);
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
		if (ok(sk, port))
			return port;
	}
	return 0;
}

static bool ktcp_bind_port_free(const struct sock *sk, u16 port)
{
	return !ktcp_port_in_use(sock_net(sk), port);
}

static void ktcp_bind_to(struct sock *sk, u16 port)
	__must_hold(&tables->lock)
{
	inet_sk(sk)->inet_num = port;
	sk_add_bind_node(sk, ktcp_bhash_head(sock_net(sk), port));
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
	int ret = -EADDRINUSE;

	spin_lock_bh(&tables->lock);
	if (!snum)
		snum = ktcp_scan_ports(sk, ktcp_bind_port_free);
	else if (ktcp_port_conflict(sk, snum, false))
		snum = 0;
	if (snum) {
		ktcp_bind_to(sk, snum);
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
		ktcp_sk(sk)->connect_port = 0;
	}
	spin_unlock_bh(&tables->lock);
}

/**
 * ktcp_inherit_port() - let a passively opened child share the port
 * @child: new socket, cloned from @parent
 * @parent: the listener
 */
void ktcp_inherit_port(struct sock *child, struct sock *parent)
{
	spin_lock_bh(&tables->lock);
	sk_add_bind_node(child, ktcp_bhash_head(sock_net(parent),
						inet_sk(parent)->inet_num));
	spin_unlock_bh(&tables->lock);
}

/**
 * ktcp_hash_connect() - bind if needed and enter the established table
 * @sk: connecting socket with addresses and destination port set
 *
 * A socket not bound yet gets a port that may also carry connections to
 * other peers, as TCP's does: a client churning through connections is
 * limited by its four-tuples, not by the size of the port range.
 *
 * Return: 0, -EADDRNOTAVAIL if no port is free or the four-tuple exists.
 */
int ktcp_hash_connect(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	int err = 0;
	int port;

	spin_lock_bh(&tables->lock);
	if (inet->inet_num) {
		if (ktcp_four_tuple_taken(sk, inet->inet_num))
			err = -EADDRNOTAVAIL;
	} else {
		port = ktcp_scan_ports(sk, ktcp_connect_port_ok);
		if (port) {
			ktcp_bind_to(sk, port);
			ktcp_sk(sk)->connect_port = 1;
		} else {
			err = -EADDRNOTAVAIL;
		}
	}
	if (!err) {
		inet->inet_sport = htons(inet->inet_num);
		ktcp_ehash_add(sk);
	}
	spin_unlock_bh(&tables->lock);
	return err;
}

static void ktcp_walk_chain(struct net *net, struct hlist_nulls_head *head,
			    struct ktcp_walk *walk)
{
	struct hlist_nulls_node *node;
	struct sock *sk;

	if (hlist_nulls_empty(head))	/* racy, as a walk is anyway */
		return;
	spin_lock_bh(&tables->lock);
	sk_nulls_for_each(sk, node, head)
		if (net_eq(sock_net(sk), net))
			walk->fn(sk, walk);
	spin_unlock_bh(&tables->lock);
}

/**
 * ktcp_walk_sockets() - call @walk->fn for every hashed socket of @net
 * @net: namespace
 * @walk: fn is called with the tables' lock held and BHs off, without
 *        the socket's lock; it must not sleep
 *
 * The lock is taken for one chain at a time, so a reader of /proc never
 * holds up the tables' writers or softirq for long.  RCU alone would
 * not do: a socket unhashed under a reader may be reset by disconnect(),
 * its listen queues and congestion control briefly NULL, while the
 * reader looks at it.  A socket that moves while the walk goes on may be
 * seen twice or not at all, as in TCP's /proc files.
 */
void ktcp_walk_sockets(struct net *net, struct ktcp_walk *walk)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tables->lhash); i++)
		ktcp_walk_chain(net, &tables->lhash[i], walk);
	for (i = 0; i < ARRAY_SIZE(tables->ehash); i++) {
		ktcp_walk_chain(net, &tables->ehash[i], walk);
		if (!(i & 255))
			cond_resched();
	}
}

int ktcp_hash_init(void)
{
	unsigned int i;

	tables = kvzalloc(sizeof(*tables), GFP_KERNEL);
	if (!tables)
		return -ENOMEM;
	spin_lock_init(&tables->lock);
	for (i = 0; i < ARRAY_SIZE(tables->ehash); i++)
		INIT_HLIST_NULLS_HEAD(&tables->ehash[i], i);
	for (i = 0; i < ARRAY_SIZE(tables->lhash); i++)
		INIT_HLIST_NULLS_HEAD(&tables->lhash[i],
				      KTCP_LHASH_NULLS_BASE + i);
	ktcp_hash_secret = get_random_u32();
	get_random_bytes(&ktcp_isn_secret, sizeof(ktcp_isn_secret));
	get_random_bytes(&ktcp_ts_secret, sizeof(ktcp_ts_secret));
	return 0;
}

void ktcp_hash_exit(void)
{
	kvfree(tables);
}
