// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ktcp_validate(), the receive path's first look at a segment,
 * on skbs laid out as IP delivers them: checksum, length, data offset
 * and option checks, and the control block it fills.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "ktcp.h"
#include "ktcp_input.h"
#include "ktcp_ipv4.h"
#include "ktcp_main.h"
#include "ktcp_mib.h"
#include "ktcp_tests.h"

#define SADDR	htonl(0xc0000201)	/* 192.0.2.1 */
#define DADDR	htonl(0xc0000202)

enum csum_mode { CSUM_GOOD, CSUM_BAD, CSUM_KEEP };

/* An skb holding @len bytes of @seg after an IPv4 header, as IP hands it. */
static struct sk_buff *make_seg(struct kunit *test, const void *seg,
				unsigned int len, enum csum_mode csum)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + sizeof(struct iphdr) + len,
					GFP_KERNEL);
	struct tcphdr *th;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_HEADER);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(sizeof(*iph) + len);
	iph->protocol = ktcp_protocol;
	iph->saddr = SADDR;
	iph->daddr = DADDR;
	skb_reset_network_header(skb);
	th = skb_put_data(skb, seg, len);
	skb_set_transport_header(skb, sizeof(*iph));
	__skb_pull(skb, sizeof(*iph));
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	if (len >= 18 && csum != CSUM_KEEP) {
		th->check = 0;
		th->check = csum_tcpudp_magic(SADDR, DADDR, len, ktcp_protocol,
					      csum_partial(th, len, 0));
		if (csum == CSUM_BAD)
			th->check ^= htons(0x1234);
	}
	return skb;
}

static void fill(u8 *buf, u8 doff, u8 flags)
{
	struct tcphdr *th = (struct tcphdr *)buf;

	memset(buf, 0, 64);
	th->source = htons(40000);
	th->dest = htons(5000);
	th->seq = htonl(1000);
	th->ack_seq = htonl(2000);
	th->doff = doff;
	buf[13] = flags;
	th->window = htons(512);
}

static void validate_good(struct kunit *test)
{
	struct ktcp_skb_cb *cb;
	struct sk_buff *skb;
	u8 buf[64];

	fill(buf, 5, KTCP_FLAG_SYN | KTCP_FLAG_ACK);
	memcpy(buf + 20, "data", 4);
	skb = make_seg(test, buf, 24, CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), 0);
	cb = KTCP_SKB_CB(skb);
	KUNIT_EXPECT_EQ(test, cb->seq, 1000U);
	KUNIT_EXPECT_EQ(test, cb->end_seq, 1000U + 1 + 4);	/* SYN + data */
	KUNIT_EXPECT_EQ(test, cb->ack_seq, 2000U);
	KUNIT_EXPECT_EQ(test, cb->flags, KTCP_FLAG_SYN | KTCP_FLAG_ACK);
	kfree_skb(skb);
}

static void validate_bad_checksum(struct kunit *test)
{
	struct sk_buff *skb;
	u8 buf[64];

	fill(buf, 5, KTCP_FLAG_RST);
	skb = make_seg(test, buf, 20, CSUM_BAD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_CSUM);
	kfree_skb(skb);
	/* a checksum over TCP's protocol number is wrong for ktcp */
	fill(buf, 5, KTCP_FLAG_ACK);
	((struct tcphdr *)buf)->check =
		csum_tcpudp_magic(SADDR, DADDR, 20, IPPROTO_TCP,
				  csum_partial(buf, 20, 0));
	skb = make_seg(test, buf, 20, CSUM_KEEP);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_CSUM);
	kfree_skb(skb);
}

static void validate_lengths(struct kunit *test)
{
	struct sk_buff *skb;
	u8 buf[64];

	fill(buf, 5, KTCP_FLAG_ACK);
	skb = make_seg(test, buf, 12, CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_SHORT);
	kfree_skb(skb);
	fill(buf, 4, KTCP_FLAG_ACK);
	skb = make_seg(test, buf, 20, CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_BAD_DOFF);
	kfree_skb(skb);
	fill(buf, 15, KTCP_FLAG_ACK);		/* 60-byte header in 24 bytes */
	skb = make_seg(test, buf, 24, CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_BAD_DOFF);
	kfree_skb(skb);
}

static void validate_options(struct kunit *test)
{
	struct sk_buff *skb;
	u8 buf[64];

	fill(buf, 6, KTCP_FLAG_SYN);
	buf[20] = KTCP_OPT_MSS;
	buf[21] = 0;				/* length 0 */
	skb = make_seg(test, buf, 24, CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_BAD_OPTION);
	kfree_skb(skb);
	/* the checksum is judged before the options */
	skb = make_seg(test, buf, 24, CSUM_BAD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_CSUM);
	kfree_skb(skb);
	buf[21] = 4;
	buf[22] = 0x02;
	buf[23] = 0x18;				/* MSS 536 */
	skb = make_seg(test, buf, 24, CSUM_GOOD);
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), 0);
	kfree_skb(skb);
}

static void validate_not_for_host(struct kunit *test)
{
	struct sk_buff *skb;
	u8 buf[64];

	fill(buf, 5, KTCP_FLAG_ACK);
	skb = make_seg(test, buf, 20, CSUM_GOOD);
	skb->pkt_type = PACKET_OTHERHOST;
	KUNIT_EXPECT_EQ(test, ktcp_validate(skb), KTCP_MIB_DROP_NOT_HOST);
	kfree_skb(skb);
}

/*
 * What the kernel's drop monitor and skb:kfree_skb are told: the reason
 * tcp_v4_rcv() gives for the same fault, so tools read both stacks alike.
 */
static void drop_reasons_as_tcp(struct kunit *test)
{
	static const struct {
		int mib;
		enum skb_drop_reason why;
	} as_tcp[] = {
		{ KTCP_MIB_DROP_SHORT,		SKB_DROP_REASON_PKT_TOO_SMALL },
		{ KTCP_MIB_DROP_BAD_DOFF,	SKB_DROP_REASON_PKT_TOO_SMALL },
		{ KTCP_MIB_DROP_CSUM,		SKB_DROP_REASON_TCP_CSUM },
		{ KTCP_MIB_DROP_NOT_HOST,	SKB_DROP_REASON_OTHERHOST },
		{ KTCP_MIB_DROP_NO_SOCKET,	SKB_DROP_REASON_NO_SOCKET },
		{ KTCP_MIB_DROP_POLICY,		SKB_DROP_REASON_XFRM_POLICY },
		{ KTCP_MIB_DROP_FILTER,		SKB_DROP_REASON_SOCKET_FILTER },
		{ KTCP_MIB_DROP_BACKLOG,	SKB_DROP_REASON_SOCKET_BACKLOG },
		{ KTCP_MIB_DROP_OFO_PRUNED,	SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(as_tcp); i++)
		KUNIT_EXPECT_EQ_MSG(test, ktcp_skb_drop_reason(as_tcp[i].mib),
				    as_tcp[i].why, "counter %d", as_tcp[i].mib);
	/* counters that are not drops, and nonsense, say nothing */
	KUNIT_EXPECT_EQ(test, ktcp_skb_drop_reason(KTCP_MIB_INSEGS),
			SKB_DROP_REASON_NOT_SPECIFIED);
	KUNIT_EXPECT_EQ(test, ktcp_skb_drop_reason(-1),
			SKB_DROP_REASON_NOT_SPECIFIED);
	KUNIT_EXPECT_EQ(test, ktcp_skb_drop_reason(KTCP_MIB_MAX),
			SKB_DROP_REASON_NOT_SPECIFIED);
}

static struct kunit_case ktcp_validate_cases[] = {
	KUNIT_CASE(drop_reasons_as_tcp),
	KUNIT_CASE(validate_good),
	KUNIT_CASE(validate_bad_checksum),
	KUNIT_CASE(validate_lengths),
	KUNIT_CASE(validate_options),
	KUNIT_CASE(validate_not_for_host),
	{}
};

struct kunit_suite ktcp_validate_suite = {
	.name = "ktcp-validate",
	.test_cases = ktcp_validate_cases,
};
