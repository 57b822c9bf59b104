// SPDX-License-Identifier: GPL-2.0
/* KUnit: sequence number arithmetic across the 2^32 wrap. */
#include <kunit/test.h>

#include "ktcp_seq.h"
#include "ktcp_tests.h"

static void seq_before_after_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ktcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_before(2, 1));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_before(7, 7));
	/* 0xffffff00 comes before 0x10 once the space wraps */
	KUNIT_EXPECT_TRUE(test, ktcp_seq_before(0xffffff00U, 0x10));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_after(0x10, 0xffffff00U));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_before(0xffffffffU, 0));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_after(0, 0xffffffffU));
	/* just under half the space apart still orders correctly */
	KUNIT_EXPECT_TRUE(test, ktcp_seq_before(0, 0x7fffffffU));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_before(0x80000000U, 0xffffffffU));
}

static void seq_leq_geq(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ktcp_seq_leq(5, 5));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_geq(5, 5));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_leq(0xfffffffeU, 1));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_geq(0xfffffffeU, 1));
}

static void seq_between_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ktcp_seq_between(5, 1, 10));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_between(1, 1, 10));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_between(10, 1, 10));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_between(11, 1, 10));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_between(0, 1, 10));
	/* window straddling the wrap */
	KUNIT_EXPECT_TRUE(test, ktcp_seq_between(0xfffffff0U, 0xffffffe0U, 0x20));
	KUNIT_EXPECT_TRUE(test, ktcp_seq_between(0x5, 0xffffffe0U, 0x20));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_between(0x21, 0xffffffe0U, 0x20));
	KUNIT_EXPECT_FALSE(test, ktcp_seq_between(0xffffffd0U, 0xffffffe0U, 0x20));
}

static void seq_min_max(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ktcp_seq_max(0xfffffff0U, 3), 3U);
	KUNIT_EXPECT_EQ(test, ktcp_seq_min(0xfffffff0U, 3), 0xfffffff0U);
	KUNIT_EXPECT_EQ(test, ktcp_seq_max(100, 200), 200U);
}

static struct kunit_case ktcp_seq_cases[] = {
	KUNIT_CASE(seq_before_after_wrap),
	KUNIT_CASE(seq_leq_geq),
	KUNIT_CASE(seq_between_wrap),
	KUNIT_CASE(seq_min_max),
	{}
};

struct kunit_suite ktcp_seq_suite = {
	.name = "ktcp-seq",
	.test_cases = ktcp_seq_cases,
};
