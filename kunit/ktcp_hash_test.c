// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: real ktcp sockets in the connection tables: a four-tuple is
 * hashed at most once (two copies of one SYN, two connect() calls from
 * one shared port), lookups find what was hashed and nothing after it
 * went; SO_REUSEPORT listeners share a port and the connections, a
 * listener bound to the address beating them; and connect(AF_UNSPEC)
 * keeps the congestion control the user chose, with the one module
 * reference it holds.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/net.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_hash.h"
#include "ktcp_main.h"
#include "ktcp_tests.h"

static struct socket *ktcp_test_socket(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
					       ktcp_protocol, &sock), 0);
	return sock;
}

static void set_tuple(struct sock *sk, u16 lport, u16 rport)
{
	struct inet_sock *inet = inet_sk(sk);

	inet->inet_rcv_saddr = htonl(0xc0000201);	/* 192.0.2.1 */
	inet->inet_saddr = inet->inet_rcv_saddr;
	inet->inet_daddr = htonl(0xc0000202);
	inet->inet_num = lport;
	inet->inet_sport = htons(lport);
	inet->inet_dport = htons(rport);
}

static void hash_four_tuple_once(struct kunit *test)
{
	struct socket *a = ktcp_test_socket(test);
	struct socket *b = ktcp_test_socket(test);
	struct sock *found;

	set_tuple(a->sk, 41001, 80);
	set_tuple(b->sk, 41001, 80);
	KUNIT_EXPECT_EQ(test, ktcp_hash_established(a->sk), 0);
	KUNIT_EXPECT_EQ(test, ktcp_hash_established(b->sk), -EADDRINUSE);
	KUNIT_EXPECT_TRUE(test, sk_unhashed(b->sk));
	found = ktcp_lookup(&init_net, inet_sk(a->sk)->inet_daddr, htons(80),
			    inet_sk(a->sk)->inet_rcv_saddr, htons(41001), 0);
	KUNIT_EXPECT_PTR_EQ(test, found, a->sk);
	if (found)
		sock_put(found);
	/* another peer port is another four-tuple */
	set_tuple(b->sk, 41001, 81);
	KUNIT_EXPECT_EQ(test, ktcp_hash_established(b->sk), 0);
	ktcp_unhash(a->sk);
	ktcp_unhash(b->sk);
	found = ktcp_lookup(&init_net, inet_sk(a->sk)->inet_daddr, htons(80),
			    inet_sk(a->sk)->inet_rcv_saddr, htons(41001), 0);
	KUNIT_EXPECT_NULL(test, found);
	inet_sk(a->sk)->inet_num = 0;
	inet_sk(b->sk)->inet_num = 0;
	sock_release(a);
	sock_release(b);
}

#define REUSE_PORT	41080
#define REUSE_GROUP	2

/* A listener on @ip:REUSE_PORT, with SO_REUSEPORT if @reuse; NULL if
 * bind() or listen() failed, its error in @err.
 */
static struct socket *reuse_listener(struct kunit *test, __be32 ip,
				     bool reuse, int *err)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(REUSE_PORT),
		.sin_addr.s_addr = ip,
	};
	struct socket *sock = ktcp_test_socket(test);

	if (reuse)
		sock_set_reuseport(sock->sk);
	*err = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (!*err)
		*err = kernel_listen(sock, 8);
	if (*err) {
		sock_release(sock);
		return NULL;
	}
	return sock;
}

/* Which of @lsk takes a SYN from 192.0.2.2:@sport to @daddr? */
static int reuse_pick(struct socket **lsk, int n, __be32 daddr, u16 sport)
{
	struct sock *found = ktcp_lookup(&init_net, htonl(0xc0000202),
					 htons(sport), daddr,
					 htons(REUSE_PORT), 0);
	int i;

	if (found)
		sock_put(found);
	for (i = 0; i < n; i++)
		if (found == lsk[i]->sk)
			return i;
	return -1;
}

static void reuseport_spreads(struct kunit *test)
{
	__be32 any = htonl(INADDR_ANY), lo = htonl(INADDR_LOOPBACK);
	struct socket *lsk[REUSE_GROUP + 1];
	int hits[REUSE_GROUP] = {}, err, i, pick;
	u16 sport;

	for (i = 0; i < REUSE_GROUP; i++) {
		lsk[i] = reuse_listener(test, any, true, &err);
		KUNIT_ASSERT_NOT_NULL(test, lsk[i]);
	}
	/* without SO_REUSEPORT no socket joins the group */
	KUNIT_EXPECT_NULL(test, reuse_listener(test, any, false, &err));
	KUNIT_EXPECT_EQ(test, err, -EADDRINUSE);

	for (sport = 1000; sport < 1256; sport++) {
		pick = reuse_pick(lsk, REUSE_GROUP, htonl(0x7f000002), sport);
		KUNIT_ASSERT_GE(test, pick, 0);
		hits[pick]++;
		/* a retransmitted SYN meets the same listener */
		KUNIT_EXPECT_EQ(test, reuse_pick(lsk, REUSE_GROUP,
						 htonl(0x7f000002), sport),
				pick);
	}
	/* 256 SYNs over two: fewer than 80 on one: about one run in 10^9 */
	for (i = 0; i < REUSE_GROUP; i++)
		KUNIT_EXPECT_GE(test, hits[i], 80);

	/* one bound to the SYN's address beats the whole group */
	lsk[REUSE_GROUP] = reuse_listener(test, lo, true, &err);
	KUNIT_ASSERT_NOT_NULL(test, lsk[REUSE_GROUP]);
	for (sport = 1000; sport < 1032; sport++)
		KUNIT_EXPECT_EQ(test, reuse_pick(lsk, REUSE_GROUP + 1, lo, sport),
				REUSE_GROUP);
	for (i = 0; i <= REUSE_GROUP; i++)
		sock_release(lsk[i]);
}

static u32 test_ssthresh(struct sock *sk)
{
	return ktcp_reno_ssthresh(sk);
}

static void test_cong_avoid(struct sock *sk, u32 acked)
{
}

static struct ktcp_cong_ops test_owned_cong = {
	.name		= "kunit-owned",
	.owner		= THIS_MODULE,
	.ssthresh	= test_ssthresh,
	.cong_avoid	= test_cong_avoid,
};

/* TCP keeps TCP_CONGESTION across a disconnect, and so its reference. */
static void disconnect_keeps_cong(struct kunit *test)
{
	struct socket *sock;
	int base, held;

	KUNIT_ASSERT_EQ(test, ktcp_register_cong(&test_owned_cong), 0);
	sock = ktcp_test_socket(test);
	base = module_refcount(THIS_MODULE);
	lock_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, ktcp_cong_select(sock->sk, "kunit-owned"), 0);
	release_sock(sock->sk);
	held = module_refcount(THIS_MODULE);
	KUNIT_EXPECT_EQ(test, held, base + 1);
	lock_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_prot->disconnect(sock->sk, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, ktcp_sk(sock->sk)->ca_ops,
			    (const struct ktcp_cong_ops *)&test_owned_cong);
	release_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), held);
	sock_release(sock);
	/* the socket is freed after an RCU grace period */
	synchronize_rcu();
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), base);
	ktcp_unregister_cong(&test_owned_cong);
}

static struct kunit_case ktcp_hash_cases[] = {
	KUNIT_CASE(hash_four_tuple_once),
	KUNIT_CASE(reuseport_spreads),
	KUNIT_CASE(disconnect_keeps_cong),
	{}
};

struct kunit_suite ktcp_hash_suite = {
	.name = "ktcp-hash",
	.test_cases = ktcp_hash_cases,
};
