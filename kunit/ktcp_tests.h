/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KTCP_TESTS_H
#define _KTCP_TESTS_H

#include <kunit/test.h>

struct sock;

#define KTCP_TEST_MSS	1000U

struct sock *ktcp_test_sock(struct kunit *test);
void ktcp_test_sock_unlock(struct sock *sk);

extern struct kunit_suite ktcp_seq_suite;
extern struct kunit_suite ktcp_fsm_suite;
extern struct kunit_suite ktcp_parse_suite;
extern struct kunit_suite ktcp_rtt_suite;
extern struct kunit_suite ktcp_validate_suite;
extern struct kunit_suite ktcp_window_suite;
extern struct kunit_suite ktcp_reasm_suite;
extern struct kunit_suite ktcp_cong_suite;
extern struct kunit_suite ktcp_cubic_suite;
extern struct kunit_suite ktcp_hash_suite;
extern struct kunit_suite ktcp_recovery_suite;
extern struct kunit_suite ktcp_input_suite;

#endif /* _KTCP_TESTS_H */
