/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: the connection tables, ports and ISNs (ktcp_hash.c). */
#ifndef _KTCP_HASH_H
#define _KTCP_HASH_H

#include "ktcp.h"

int ktcp_hash_init(void);
void ktcp_hash_exit(void);
int ktcp_get_port(struct sock *sk, unsigned short snum);
void ktcp_put_port(struct sock *sk);
void ktcp_inherit_port(struct sock *child, struct sock *parent);
void ktcp_hash_listener(struct sock *sk);
int ktcp_hash_established(struct sock *sk);
void ktcp_unhash(struct sock *sk);
int ktcp_hash_connect(struct sock *sk);

/* An address of either family. */
union ktcp_addr {
	__be32 v4;
	struct in6_addr v6;
};

/**
 * struct ktcp_key - what a lookup looks for: a segment's four-tuple, as
 *                   seen from our end
 * @family: AF_INET or AF_INET6; only sockets of this family match
 * @raddr: the remote address (the segment's source)
 * @laddr: the local address (its destination)
 * @rport: the remote port
 * @lport: the local port, in host order
 * @dif: the incoming interface
 */
struct ktcp_key {
	int family;
	union ktcp_addr raddr;
	union ktcp_addr laddr;
	__be16 rport;
	u16 lport;
	int dif;
};

struct sock *ktcp_lookup_key(struct net *net, const struct ktcp_key *key);
struct sock *ktcp_lookup_listener_key(struct net *net,
				      const struct ktcp_key *key);
struct sock *ktcp_lookup(struct net *net, __be32 saddr, __be16 sport,
			 __be32 daddr, __be16 dport, int dif);
u32 ktcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u32 ktcp_ts_off(__be32 saddr, __be32 daddr);
struct ktcp_walk {
	void (*fn)(struct sock *sk, struct ktcp_walk *walk);
};

void ktcp_walk_sockets(struct net *net, struct ktcp_walk *walk);
bool ktcp_listen_port_ok(struct sock *sk);

#endif /* _KTCP_HASH_H */
