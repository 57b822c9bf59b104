// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the SACK scoreboard on a bare socket with a queue of sent
 * segments, transmission replaced by a stub that records what would go
 * out: which segments SACK blocks mark (whole ones only, repeated blocks
 * changing nothing), which IsLost() marks lost (RFC 6675 DupThresh),
 * what SACK recovery resends and in which order, pipe kept by counters,
 * a lost retransmission sent again, everything undone by an RTO, and
 * PRR's window through recovery.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp.h"
#include "ktcp_input.h"
#include "ktcp_mib.h"
#include "ktcp_output.h"
#include "ktcp_recovery.h"
#include "ktcp_tests.h"

#define BASE	0xfffff000U	/* the sequence space wraps inside the queue */
#define SEG	KTCP_TEST_MSS
#define NSEG	20

struct sent {
	unsigned int n;
	u32 seq[64];
};

static int fake_transmit(struct sock *sk, struct sk_buff *skb, gfp_t gfp)
{
	struct kunit *test = kunit_get_current_test();
	struct sent *sent = test->priv;

	if (sent->n < ARRAY_SIZE(sent->seq))
		sent->seq[sent->n++] = KTCP_SKB_CB(skb)->seq;
	return 0;
}

/* A socket in SACK recovery's reach with NSEG segments of SEG bytes sent. */
static struct sock *sender(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sent *sent = kunit_kzalloc(test, sizeof(*sent), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sent);
	test->priv = sent;
	kunit_activate_static_stub(test, ktcp_transmit_skb, fake_transmit);
	skb_queue_head_init(&sk->sk_write_queue);
	ks->wq_index = RB_ROOT;
	ks->sack_ok = 1;
	ks->snd_una = BASE;
	for (i = 0; i < NSEG; i++) {
		struct sk_buff *skb = alloc_skb(SEG, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, skb);
		skb_put(skb, SEG);
		KTCP_SKB_CB(skb)->seq = BASE + i * SEG;
		KTCP_SKB_CB(skb)->end_seq = BASE + (i + 1) * SEG;
		ktcp_wq_queue_tail(sk, skb);
	}
	ks->snd_nxt = BASE + NSEG * SEG;
	ks->snd_max = ks->snd_nxt;
	ks->lost_scan = BASE;
	ks->rxt_scan = BASE;
	ks->rxt_lost_scan = BASE;
	ks->cwnd = 100 * SEG;
	return sk;
}

static void release(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		ktcp_wq_unlink(sk, skb);
		kfree_skb(skb);
	}
	ktcp_test_sock_unlock(sk);
}

/* An ACK of @ack carrying the SACK blocks in @edges (start, end, ...). */
static struct sk_buff *sack_ack(struct kunit *test, u32 ack, const u32 *edges,
				unsigned int n)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	struct ktcp_opts *opts;
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reset_transport_header(skb);
	p = skb_put(skb, sizeof(struct tcphdr) + 4 + 8 * n);
	memset(skb->cb, 0, sizeof(skb->cb));
	KTCP_SKB_CB(skb)->ack_seq = ack;
	opts = KTCP_SKB_OPTS(skb);
	opts->sack_off = sizeof(struct tcphdr) + 4;
	opts->sack_nr = n;
	for (i = 0; i < 2 * n; i++) {
		__be32 edge = htonl(edges[i]);

		memcpy(p + opts->sack_off + 4 * i, &edge, sizeof(edge));
	}
	return skb;
}

static void sack(struct kunit *test, struct sock *sk, const u32 *edges,
		 unsigned int n)
{
	struct sk_buff *skb = sack_ack(test, ktcp_sk(sk)->snd_una, edges, n);
	struct ktcp_rtt_probe rp = {};

	ktcp_sacktag(sk, skb, &rp);
	kfree_skb(skb);
}

static struct ktcp_skb_cb *seg_cb(struct sock *sk, unsigned int i)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb)
		if (KTCP_SKB_CB(skb)->seq == BASE + i * SEG)
			return KTCP_SKB_CB(skb);
	return NULL;
}

/* Whole segments only; a block sent again changes nothing. */
static void sack_marks_whole_segments(struct kunit *test)
{
	const u32 one[] = { BASE + 2 * SEG, BASE + 5 * SEG + SEG / 2 };
	const u32 more[] = { BASE + 2 * SEG, BASE + 7 * SEG,
			     BASE + 9 * SEG, BASE + 10 * SEG };
	struct sock *sk = sender(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned int i;

	sack(test, sk, one, 1);
	KUNIT_EXPECT_EQ(test, ks->sacked_out, 3 * SEG);
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ_MSG(test, !!seg_cb(sk, i)->sacked, i >= 2 && i < 5,
				    "segment %u", i);
	sack(test, sk, one, 1);
	KUNIT_EXPECT_EQ(test, ks->sacked_out, 3 * SEG);
	/* the half-covered segment, when the block grows over it */
	sack(test, sk, more, 2);
	KUNIT_EXPECT_EQ(test, ks->sacked_out, 6 * SEG);
	KUNIT_EXPECT_TRUE(test, seg_cb(sk, 5)->sacked);
	KUNIT_EXPECT_TRUE(test, seg_cb(sk, 9)->sacked);
	KUNIT_EXPECT_EQ(test, ks->high_sacked, BASE + 10 * SEG);
	/* outside what is outstanding: ignored */
	sack(test, sk, (const u32[]){ BASE - SEG, BASE + SEG }, 1);
	KUNIT_EXPECT_FALSE(test, seg_cb(sk, 0)->sacked);
	release(sk);
}

/*
 * RFC 6675: segments with more than DupThresh - 1 segments SACKed above
 * are lost and resent in order; pipe counts what is still out.
 */
static void sack_recovery_resends_holes(struct kunit *test)
{
	const u32 blocks[] = { BASE + 4 * SEG, BASE + 8 * SEG,
			       BASE + 12 * SEG, BASE + 13 * SEG };
	const u32 two_above[] = { BASE + 4 * SEG, BASE + 8 * SEG,
				  BASE + 12 * SEG, BASE + 14 * SEG };
	const u32 three_above[] = { BASE + 4 * SEG, BASE + 8 * SEG,
				    BASE + 12 * SEG, BASE + 15 * SEG };
	struct sock *sk = sender(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sent *sent = test->priv;

	sack(test, sk, blocks, 2);
	ks->in_recovery = 1;
	ks->sack_recovery = 1;
	ktcp_sack_xmit(sk);
	/* 0..3 have 5 SACKed above; 8..11 have 1: not lost (yet) */
	KUNIT_ASSERT_EQ(test, sent->n, 4U);
	KUNIT_EXPECT_EQ(test, sent->seq[0], BASE);
	KUNIT_EXPECT_EQ(test, sent->seq[3], BASE + 3 * SEG);
	KUNIT_EXPECT_EQ(test, ks->lost_out, 4 * SEG);
	KUNIT_EXPECT_EQ(test, ks->retrans_out, 4 * SEG);
	/* the scan stands at the first segment neither SACKed nor lost */
	KUNIT_EXPECT_EQ(test, ks->rxt_scan, BASE + 8 * SEG);
	/* nothing more to resend until more is SACKed */
	ktcp_sack_xmit(sk);
	KUNIT_EXPECT_EQ(test, sent->n, 4U);
	/* one more above 8..11 makes three: they are lost, 15 is not */
	sack(test, sk, two_above, 2);
	ktcp_sack_xmit(sk);
	KUNIT_EXPECT_EQ(test, sent->n, 4U);
	sack(test, sk, three_above, 2);
	ktcp_sack_xmit(sk);
	KUNIT_ASSERT_EQ(test, sent->n, 8U);
	KUNIT_EXPECT_EQ(test, sent->seq[4], BASE + 8 * SEG);
	KUNIT_EXPECT_EQ(test, sent->seq[7], BASE + 11 * SEG);
	KUNIT_EXPECT_FALSE(test, seg_cb(sk, 15)->lost);
	/* pipe: 20 out, 7 SACKed, 8 lost, 8 resent */
	KUNIT_EXPECT_EQ(test, ks->snd_nxt - ks->snd_una + ks->retrans_out -
			ks->sacked_out - ks->lost_out, 13 * SEG);
	release(sk);
}

/* A retransmission is lost once data sent after it is SACKed. */
static void sack_recovery_lost_retransmit(struct kunit *test)
{
	const u32 after_resend[] = { BASE + SEG, BASE + 10 * SEG,
				     BASE + 16 * SEG, BASE + 18 * SEG };
	struct sock *sk = sender(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sent *sent = test->priv;
	unsigned long lost;

	sack(test, sk, (const u32[]){ BASE + SEG, BASE + 10 * SEG }, 1);
	ks->in_recovery = 1;
	ks->sack_recovery = 1;
	ks->snd_nxt -= 5 * SEG;		/* five not sent yet */
	ktcp_sack_xmit(sk);
	KUNIT_ASSERT_EQ(test, sent->n, 1U);
	KUNIT_EXPECT_EQ(test, seg_cb(sk, 0)->rxt_nxt, BASE + 15 * SEG);
	/* the five go out after the retransmission, and get SACKed */
	ks->snd_nxt += 5 * SEG;
	lost = ktcp_mib_read(&init_net, KTCP_MIB_LOST_RETRANSMITS);
	sack(test, sk, after_resend, 2);
	ktcp_sack_xmit(sk);
	KUNIT_EXPECT_EQ(test, ktcp_mib_read(&init_net,
					    KTCP_MIB_LOST_RETRANSMITS),
			lost + 1);
	/* 10..15 have two SACKed above: not lost */
	KUNIT_ASSERT_EQ(test, sent->n, 2U);
	KUNIT_EXPECT_EQ(test, sent->seq[1], BASE);
	release(sk);
}

/* An RTO forgets everything: marks, counts and where the scans stood. */
static void sack_forget_resets(struct kunit *test)
{
	struct sock *sk = sender(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	sack(test, sk, (const u32[]){ BASE + 4 * SEG, BASE + 8 * SEG }, 1);
	ks->in_recovery = 1;
	ks->sack_recovery = 1;
	ktcp_sack_xmit(sk);
	KUNIT_EXPECT_GT(test, ks->lost_out, 0U);
	ktcp_sack_forget(sk);
	KUNIT_EXPECT_EQ(test, ks->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, ks->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, ks->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, ks->nr_sack_cache, 0);
	skb_queue_walk(&sk->sk_write_queue, skb) {
		KUNIT_EXPECT_FALSE(test, KTCP_SKB_CB(skb)->sacked);
		KUNIT_EXPECT_FALSE(test, KTCP_SKB_CB(skb)->lost);
		KUNIT_EXPECT_FALSE(test, KTCP_SKB_CB(skb)->rxt);
	}
	/* the same block marks again */
	sack(test, sk, (const u32[]){ BASE + 4 * SEG, BASE + 8 * SEG }, 1);
	KUNIT_EXPECT_EQ(test, ks->sacked_out, 4 * SEG);
	release(sk);
}

/* Acked segments leave the counts with them. */
static void sack_acked_leave_counts(struct kunit *test)
{
	struct sock *sk = sender(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;
	unsigned int i;

	sack(test, sk, (const u32[]){ BASE + 3 * SEG, BASE + 6 * SEG }, 1);
	ks->in_recovery = 1;
	ks->sack_recovery = 1;
	ktcp_sack_xmit(sk);
	for (i = 0; i < 6; i++) {
		skb = skb_peek(&sk->sk_write_queue);
		if (!i) {	/* a partial ACK of the resent head first */
			ktcp_scoreboard_trim(sk, skb, SEG / 2);
			__skb_pull(skb, SEG / 2);
			KTCP_SKB_CB(skb)->seq += SEG / 2;
		}
		ktcp_scoreboard_acked(sk, skb);
		ktcp_wq_unlink(sk, skb);
		kfree_skb(skb);
	}
	ks->snd_una = BASE + 6 * SEG;
	KUNIT_EXPECT_EQ(test, ks->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, ks->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, ks->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, ks->lost_scan_sacked, 0U);
	release(sk);
}

/* One ACK SACKing up to @end: what it delivered goes to PRR, then send. */
static void sack_ack_prr(struct kunit *test, struct sock *sk, u32 end)
{
	const u32 block[] = { BASE + SEG, end };
	u32 prior_sacked = ktcp_sk(sk)->sacked_out;

	sack(test, sk, block, 1);
	ktcp_on_dupack(sk);
	ktcp_prr_delivered(sk, 0, prior_sacked);
	ktcp_sack_xmit(sk);
}

/*
 * RFC 6937: the first segment lost, the rest SACKed one ACK at a time.
 * Recovery starts at three SACKed, with ssthresh half the flight of 20
 * (reno): the fast retransmit goes at once, then one segment per two
 * delivered while pipe is above ssthresh, and once it is below, pipe
 * climbs back to ssthresh and no further.
 */
static void prr_paces_recovery(struct kunit *test)
{
	struct sock *sk = sender(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sent *sent = test->priv;

	ks->cwnd = NSEG * SEG;
	sack(test, sk, (const u32[]){ BASE + SEG, BASE + 3 * SEG }, 1);
	sack_ack_prr(test, sk, BASE + 4 * SEG);
	KUNIT_ASSERT_TRUE(test, ks->sack_recovery);
	KUNIT_EXPECT_EQ(test, ks->ssthresh, 10 * SEG);
	/* pipe 16, PRR's share of one delivered is 1/2: the fast
	 * retransmit goes anyway
	 */
	KUNIT_ASSERT_EQ(test, sent->n, 1U);
	KUNIT_EXPECT_EQ(test, sent->seq[0], BASE);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 17 * SEG);
	/* two delivered: 1 sent is the share */
	sack_ack_prr(test, sk, BASE + 5 * SEG);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 16 * SEG);
	/* three: 1.5, rounded up to whole segments as TCP counts them */
	sack_ack_prr(test, sk, BASE + 6 * SEG);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 16 * SEG);
	KUNIT_EXPECT_EQ(test, ks->prr_delivered, 3 * SEG);
	KUNIT_EXPECT_EQ(test, ks->prr_out, SEG);
	/* seven more at once: pipe 8 is below ssthresh, up to it only */
	sack_ack_prr(test, sk, BASE + 13 * SEG);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 10 * SEG);
	KUNIT_EXPECT_EQ(test, sent->n, 1U);	/* nothing else to send */
	release(sk);
}

static struct kunit_case ktcp_recovery_cases[] = {
	KUNIT_CASE(sack_marks_whole_segments),
	KUNIT_CASE(sack_recovery_resends_holes),
	KUNIT_CASE(sack_recovery_lost_retransmit),
	KUNIT_CASE(sack_forget_resets),
	KUNIT_CASE(sack_acked_leave_counts),
	KUNIT_CASE(prr_paces_recovery),
	{}
};

struct kunit_suite ktcp_recovery_suite = {
	.name = "ktcp-recovery",
	.test_cases = ktcp_recovery_cases,
};
