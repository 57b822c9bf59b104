// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: real ktcp sockets in the connection tables: a four-tuple is
 * hashed at most once (two copies of one SYN, two connect() calls from
 * one shared port), lookups find what was hashed and nothing after it
 * went; and connect(AF_UNSPEC) keeps the congestion control the user
 * chose, with the one module reference it holds.
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
	KUNIT_CASE(disconnect_keeps_cong),
	{}
};

struct kunit_suite ktcp_hash_suite = {
	.name = "ktcp-hash",
	.test_cases = ktcp_hash_cases,
};
