// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: header validation and option parsing on malformed input, and
 * the RTT estimator of RFC 6298.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "ktcp.h"
#include "ktcp_input.h"
#include "ktcp_parse.h"
#include "ktcp_tests.h"
#include "ktcp_wire.h"

/* A header with @optlen option bytes copied from @opt, data offset set. */
static unsigned int make_hdr(u8 *buf, const u8 *opt, unsigned int optlen)
{
	struct tcphdr *th = (struct tcphdr *)buf;

	memset(buf, 0, 60);
	th->source = htons(1000);
	th->dest = htons(2000);
	th->doff = (20 + optlen + 3) / 4;
	memcpy(buf + 20, opt, optlen);
	return th->doff * 4;
}

static void parse_short(struct kunit *test)
{
	struct ktcp_opts o;
	u8 buf[60];

	make_hdr(buf, NULL, 0);
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 19, &o), KTCP_PARSE_SHORT);
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 0, &o), KTCP_PARSE_SHORT);
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 20, &o), KTCP_PARSE_OK);
}

static void parse_bad_doff(struct kunit *test)
{
	struct tcphdr *th;
	struct ktcp_opts o;
	u8 buf[60];
	int doff;

	make_hdr(buf, NULL, 0);
	th = (struct tcphdr *)buf;
	for (doff = 0; doff < 5; doff++) {
		th->doff = doff;
		KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 60, &o),
				KTCP_PARSE_BAD_DOFF);
	}
	th->doff = 6;		/* 24 bytes of header in a 20-byte segment */
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 20, &o), KTCP_PARSE_BAD_DOFF);
	th->doff = 15;
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 59, &o), KTCP_PARSE_BAD_DOFF);
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, 60, &o), KTCP_PARSE_OK);
}

static void parse_bad_option_lengths(struct kunit *test)
{
	static const u8 len0[] = { 2, 0, 0, 0 };
	static const u8 len1[] = { 2, 1, 0, 0 };
	static const u8 too_long[] = { 1, 1, 8, 12 };
	static const u8 no_len[] = { 1, 1, 1, 30 };
	struct ktcp_opts o;
	u8 buf[60];
	unsigned int n;

	n = make_hdr(buf, len0, sizeof(len0));
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_BAD_OPTION);
	n = make_hdr(buf, len1, sizeof(len1));
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_BAD_OPTION);
	n = make_hdr(buf, too_long, sizeof(too_long));
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_BAD_OPTION);
	n = make_hdr(buf, no_len, sizeof(no_len));
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_BAD_OPTION);
}

static void parse_good_options(struct kunit *test)
{
	static const u8 opts[] = {
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
		1, 3, 3, 7,			/* NOP, WS 7 */
		4, 2,				/* SACK permitted */
		8, 10, 0, 0, 0, 1, 0, 0, 0, 2,	/* TS 1, 2 */
		0, 0,				/* EOL, padding */
	};
	struct ktcp_opts o;
	u8 buf[60];
	unsigned int n;

	n = make_hdr(buf, opts, sizeof(opts));
	KUNIT_ASSERT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 1U);
	KUNIT_EXPECT_EQ(test, o.tsecr, 2U);
}

static void parse_odd_options(struct kunit *test)
{
	static const u8 big_ws[] = { 3, 3, 200, 1 };	/* clamps to 14 */
	static const u8 bad_mss_len[] = { 2, 3, 5, 1 };	/* ignored */
	static const u8 unknown[] = { 99, 4, 1, 2 };	/* skipped */
	static const u8 after_eol[] = { 0, 2, 0, 0 };	/* EOL ends parsing */
	struct ktcp_opts o;
	u8 buf[60];
	unsigned int n;

	n = make_hdr(buf, big_ws, sizeof(big_ws));
	KUNIT_ASSERT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.wscale, KTCP_MAX_WSCALE);
	n = make_hdr(buf, bad_mss_len, sizeof(bad_mss_len));
	KUNIT_ASSERT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	n = make_hdr(buf, unknown, sizeof(unknown));
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	n = make_hdr(buf, after_eol, sizeof(after_eol));
	KUNIT_EXPECT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
}

static void build_syn_roundtrip(struct kunit *test)
{
	static const u8 linux_order[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
					  0, 0, 0x30, 0x39, 0, 0, 0, 0,
					  1, 3, 3, 7 };
	struct ktcp_ts ts = { 12345, 0 };
	struct ktcp_opts o;
	u8 opt[KTCP_SYN_OPT_MAX];
	unsigned int n;

	/* <mss 1460,sackOK,TS val 12345 ecr 0,nop,wscale 7>, as Linux's */
	n = ktcp_build_syn_options(opt, 1460, 7, true, &ts);
	KUNIT_ASSERT_EQ(test, n, sizeof(linux_order));
	KUNIT_EXPECT_EQ(test, memcmp(opt, linux_order, n), 0);
	KUNIT_ASSERT_EQ(test, ktcp_parse_options(opt, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 12345);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0);
	/* without SACK, two NOPs align the timestamps */
	n = ktcp_build_syn_options(opt, 1460, -1, false, &ts);
	KUNIT_ASSERT_EQ(test, n, 16U);
	KUNIT_EXPECT_EQ(test, opt[4], KTCP_OPT_NOP);
	KUNIT_EXPECT_EQ(test, opt[6], KTCP_OPT_TIMESTAMP);

	n = ktcp_build_syn_options(opt, 1448, 7, true, NULL);
	KUNIT_ASSERT_EQ(test, n, 12U);
	KUNIT_ASSERT_EQ(test, ktcp_parse_options(opt, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 1448);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);
	n = ktcp_build_syn_options(opt, 536, -1, false, NULL);
	KUNIT_ASSERT_EQ(test, n, 4U);
	KUNIT_ASSERT_EQ(test, ktcp_parse_options(opt, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
}

/* RFC 2018: 2 + 8n bytes hold n blocks; other lengths are ignored. */
static void parse_sack_blocks(struct kunit *test)
{
	static const u8 two[] = { 1, 1, 5, 18,
				  0, 0, 0, 10, 0, 0, 0, 20,
				  0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 5 };
	static const u8 odd[] = { 5, 9, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1 };
	struct ktcp_opts o;
	u8 buf[64];
	unsigned int n;

	n = make_hdr(buf, two, sizeof(two));
	KUNIT_ASSERT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.sack_nr, 2);
	/* blocks start after the 20-byte header, two NOPs, kind and length */
	KUNIT_EXPECT_EQ(test, o.sack_off, 24);
	KUNIT_EXPECT_EQ(test, buf[o.sack_off + 3], 10);
	KUNIT_EXPECT_EQ(test, buf[o.sack_off + 8], 0xff);
	n = make_hdr(buf, odd, sizeof(odd));
	KUNIT_ASSERT_EQ(test, ktcp_parse_header(buf, n, &o), KTCP_PARSE_OK);
	KUNIT_EXPECT_EQ(test, o.sack_nr, 0);
}

static struct kunit_case ktcp_parse_cases[] = {
	KUNIT_CASE(parse_short),
	KUNIT_CASE(parse_bad_doff),
	KUNIT_CASE(parse_bad_option_lengths),
	KUNIT_CASE(parse_good_options),
	KUNIT_CASE(parse_odd_options),
	KUNIT_CASE(build_syn_roundtrip),
	KUNIT_CASE(parse_sack_blocks),
	{}
};

struct kunit_suite ktcp_parse_suite = {
	.name = "ktcp-parse",
	.test_cases = ktcp_parse_cases,
};

static void rtt_first_sample(struct kunit *test)
{
	struct ktcp_sock *ks = kunit_kzalloc(test, sizeof(*ks), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ks);
	ktcp_update_rtt(ks, HZ, KTCP_RTO_MAX);	/* R = 1 s */
	KUNIT_EXPECT_EQ(test, ks->srtt >> 3, (u32)HZ);	/* SRTT = R */
	KUNIT_EXPECT_EQ(test, ks->rttvar >> 2, (u32)HZ / 2);	/* RTTVAR = R/2 */
	KUNIT_EXPECT_EQ(test, ks->rto, (u32)(3 * HZ));	/* SRTT + 4 RTTVAR */
}

static void rtt_smoothing(struct kunit *test)
{
	struct ktcp_sock *ks = kunit_kzalloc(test, sizeof(*ks), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ks);
	ktcp_update_rtt(ks, 8 * HZ, KTCP_RTO_MAX);
	ktcp_update_rtt(ks, 8 * HZ, KTCP_RTO_MAX);
	/* same sample: SRTT stays, RTTVAR decays to 3/4 */
	KUNIT_EXPECT_EQ(test, ks->srtt >> 3, (u32)(8 * HZ));
	KUNIT_EXPECT_EQ(test, ks->rttvar, (u32)(3 * 4 * HZ));
	KUNIT_EXPECT_EQ(test, ks->rto, (u32)(8 * HZ + 12 * HZ));
	ktcp_update_rtt(ks, 16 * HZ, KTCP_RTO_MAX);
	/* SRTT += (16 - 8) / 8 = 1 s */
	KUNIT_EXPECT_EQ(test, ks->srtt >> 3, (u32)(9 * HZ));
}

static void rtt_bounds(struct kunit *test)
{
	struct ktcp_sock *ks = kunit_kzalloc(test, sizeof(*ks), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ks);
	ktcp_update_rtt(ks, 0, KTCP_RTO_MAX);	/* clock granularity */
	KUNIT_EXPECT_EQ(test, ks->rto, (u32)(1 + KTCP_RTO_MIN));
	/* a 10 ms path: SRTT + 200 ms, as TCP's, not max(200 ms, 30 ms) */
	memset(ks, 0, sizeof(*ks));
	ktcp_update_rtt(ks, msecs_to_jiffies(10), KTCP_RTO_MAX);
	KUNIT_EXPECT_EQ(test, ks->rto, msecs_to_jiffies(10) + KTCP_RTO_MIN);
	memset(ks, 0, sizeof(*ks));
	ktcp_update_rtt(ks, 100 * HZ, KTCP_RTO_MAX);
	KUNIT_EXPECT_EQ(test, ks->rto, (u32)KTCP_RTO_MAX);
	/* a lower net.ktcp.rto_max_ms bounds the estimate too */
	memset(ks, 0, sizeof(*ks));
	ktcp_update_rtt(ks, 2 * HZ, HZ);
	KUNIT_EXPECT_EQ(test, ks->srtt >> 3, (u32)(2 * HZ));
	KUNIT_EXPECT_EQ(test, ks->rto, (u32)HZ);
}

static struct kunit_case ktcp_rtt_cases[] = {
	KUNIT_CASE(rtt_first_sample),
	KUNIT_CASE(rtt_smoothing),
	KUNIT_CASE(rtt_bounds),
	{}
};

struct kunit_suite ktcp_rtt_suite = {
	.name = "ktcp-rtt",
	.test_cases = ktcp_rtt_cases,
};
