// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: real ktcp sockets in the connection tables: a four-tuple is
 * hashed at most once (two copies of one SYN, two connect() calls from
 * one shared port), lookups find what was hashed and nothing after it
 * went.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/net.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "ktcp.h"
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

static struct kunit_case ktcp_hash_cases[] = {
	KUNIT_CASE(hash_four_tuple_once),
	{}
};

struct kunit_suite ktcp_hash_suite = {
	.name = "ktcp-hash",
	.test_cases = ktcp_hash_cases,
};
