// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp KUnit suites.  Load after ktcp.ko in a KUnit-enabled kernel; the
 * suites run at load time and report KTAP in the kernel log.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_sock.h"
#include "ktcp_tests.h"

static struct lock_class_key ktcp_test_slock_key, ktcp_test_lock_key;

/**
 * ktcp_test_sock() - a zeroed ktcp socket: enough for the functions
 *                    under test, freed with the test
 * @test: the test case
 *
 * The socket is owned (lock_sock()), as the functions under test assert,
 * until the test hands it back with ktcp_test_sock_unlock(); the test may
 * sleep meanwhile.  (KUnit runs cleanup actions in another thread, so the
 * test itself must unlock.)
 *
 * Return: the socket, established, with KTCP_TEST_MSS and a 1 MiB
 * receive buffer.
 */
struct sock *ktcp_test_sock(struct kunit *test)
{
	struct ktcp_sock *ks = kunit_kzalloc(test, sizeof(*ks), GFP_KERNEL);
	struct sock *sk = (struct sock *)ks;

	KUNIT_ASSERT_NOT_NULL(test, ks);
	sock_lock_init_class_and_name(sk, "slock-KTCP-TEST",
				      &ktcp_test_slock_key,
				      "sk_lock-KTCP-TEST", &ktcp_test_lock_key);
	sock_net_set(sk, &init_net);	/* drops count in its MIB */
	sk->sk_prot = &ktcp_prot;
	sk->sk_state = TCP_ESTABLISHED;
	sk->sk_rcvbuf = 1 << 20;
	skb_queue_head_init(&sk->sk_receive_queue);
	ks->ooo_root = RB_ROOT;
	ks->mss = KTCP_TEST_MSS;
	ks->advmss = KTCP_TEST_MSS;
	ks->ca_ops = &ktcp_reno;
	lock_sock(sk);
	return sk;
}

/* The end of a test that used ktcp_test_sock(). */
void ktcp_test_sock_unlock(struct sock *sk)
{
	release_sock(sk);
}

kunit_test_suites(&ktcp_seq_suite, &ktcp_fsm_suite, &ktcp_parse_suite,
		  &ktcp_rtt_suite, &ktcp_validate_suite, &ktcp_window_suite,
		  &ktcp_reasm_suite, &ktcp_cong_suite, &ktcp_cubic_suite,
		  &ktcp_hash_suite, &ktcp_recovery_suite,
		  &ktcp_input_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ktcp");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
