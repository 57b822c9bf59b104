// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp KUnit suites.  Load after ktcp.ko in a KUnit-enabled kernel; the
 * suites run at load time and report KTAP in the kernel log.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "ktcp_tests.h"

kunit_test_suites(&ktcp_seq_suite, &ktcp_fsm_suite, &ktcp_parse_suite,
		  &ktcp_rtt_suite, &ktcp_validate_suite, &ktcp_window_suite,
		  &ktcp_reasm_suite, &ktcp_cong_suite, &ktcp_cubic_suite,
		  &ktcp_hash_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ktcp");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
