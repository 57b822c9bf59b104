// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the data path's arithmetic on a bare socket structure: the
 * advertised window (scaling, never shrinking, wraparound), reassembly
 * (holes, overlaps, duplicates, wrap, SACK blocks) and the congestion
 * window through slow start, congestion avoidance and losses.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_tests.h"

#define MSS	1000U

/* A zeroed ktcp socket: enough for the functions under test. */
static struct sock *fake_sock(struct kunit *test)
{
	struct ktcp_sock *ks = kunit_kzalloc(test, sizeof(*ks), GFP_KERNEL);
	struct sock *sk = (struct sock *)ks;

	KUNIT_ASSERT_NOT_NULL(test, ks);
	sk->sk_prot = &ktcp_prot;
	sk->sk_state = TCP_ESTABLISHED;
	sk->sk_rcvbuf = 1 << 20;
	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&ks->ooo_queue);
	ks->mss = MSS;
	ks->advmss = MSS;
	ks->ca_ops = &ktcp_reno;
	return sk;
}

/* Window */

static void window_scaled(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	sk->sk_rcvbuf = 262144;
	ks->rcv_wscale = 7;
	ks->rcv_nxt = 5000;
	ks->rcv_wup = 5000;
	/* half the free buffer, in units of 128 */
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 1024U);
	KUNIT_EXPECT_EQ(test, ks->rcv_wnd, 131072U);
	KUNIT_EXPECT_EQ(test, ks->rcv_wup, 5000U);
	KUNIT_EXPECT_EQ(test, ktcp_rcv_sws_thresh(sk), MSS);
}

static void window_never_shrinks(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 old_edge;

	sk->sk_rcvbuf = 262144;
	ks->rcv_wscale = 7;
	ks->rcv_wup = 5000;
	ks->rcv_wnd = 131072;
	ks->rcv_nxt = 6000;
	old_edge = ks->rcv_wup + ks->rcv_wnd;
	/* the buffer filled up: half the free space is far below the edge */
	atomic_set(&sk->sk_rmem_alloc, 200000);
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 1017U);
	KUNIT_EXPECT_TRUE(test, ktcp_seq_geq(ks->rcv_nxt + ks->rcv_wnd,
					     old_edge));
	/* full buffer, window used up: zero, still not left of the edge */
	atomic_set(&sk->sk_rmem_alloc, 262144);
	ks->rcv_nxt = ks->rcv_wup + ks->rcv_wnd;
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 0U);
	atomic_set(&sk->sk_rmem_alloc, 0);
}

static void window_unscaled_cap(struct kunit *test)
{
	struct sock *sk = fake_sock(test);

	sk->sk_rcvbuf = 1 << 20;
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 65535U);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->rcv_wnd, 65535U);
}

static void window_small_opening_withheld(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	/* RFC 9293 3.8.6.2.2: the window stays until it can open by an MSS */
	sk->sk_rcvbuf = 65536;
	ks->rcv_wup = 0xfffff000;		/* and the edge wraps past 2^32 */
	ks->rcv_wnd = 0x2000;
	ks->rcv_nxt = 0x100;
	atomic_set(&sk->sk_rmem_alloc, 65536 - 2 * 0xf00 - 2 * 500);
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 0xf00U);
	atomic_set(&sk->sk_rmem_alloc, 0);
}

/*
 * Under memory pressure the window offers four segments at most, but an
 * edge already advertised stays, and autotuning stops growing buffers.
 * Nothing else runs in the KUnit guest, so the flag is ours to flip.
 */
static void window_memory_pressure(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	KUNIT_EXPECT_TRUE(test, ktcp_mem_may_grow(sk));
	WRITE_ONCE(ktcp_memory_pressure, 1);
	KUNIT_EXPECT_FALSE(test, ktcp_mem_may_grow(sk));
	sk->sk_rcvbuf = 262144;
	ks->rcv_nxt = 5000;
	ks->rcv_wup = 5000;
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 4 * MSS);
	/* the peer may still fill what it was offered before */
	ks->rcv_wnd = 20000;
	ks->rcv_nxt = 6000;
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 19000U);
	WRITE_ONCE(ktcp_memory_pressure, 0);
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 65535U);
	KUNIT_EXPECT_TRUE(test, ktcp_mem_may_grow(sk));
}

/* Reassembly */

/* A data segment [seq, seq + len) whose byte at sequence n is n & 0xff. */
static struct sk_buff *data_seg(struct kunit *test, u32 seq, u32 len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	u8 *p;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = (seq + i) & 0xff;
	memset(skb->cb, 0, sizeof(skb->cb));
	KTCP_SKB_CB(skb)->seq = seq;
	KTCP_SKB_CB(skb)->end_seq = seq + len;
	return skb;
}

/* The receive queue holds exactly [from, to) in order. */
static void expect_stream(struct kunit *test, struct sock *sk, u32 from,
			  u32 to)
{
	struct sk_buff *skb;
	u32 seq = from;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 i;

		for (i = 0; i < skb->len; i++, seq++)
			if (skb->data[i] != (seq & 0xff))
				break;
		KUNIT_ASSERT_EQ(test, i, skb->len);
	}
	KUNIT_EXPECT_EQ(test, seq, to);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->rcv_nxt, to);
}

static void purge(struct kunit *test, struct sock *sk)
{
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&ktcp_sk(sk)->ooo_queue);
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), 0);
}

static void expect_sack(struct kunit *test, struct ktcp_sock *ks,
			const u32 *edges, unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ks->nr_sack_blocks, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, ks->sack_blocks[i].start, edges[2 * i]);
		KUNIT_EXPECT_EQ(test, ks->sack_blocks[i].end, edges[2 * i + 1]);
	}
}

static void reasm_holes_and_overlaps(struct kunit *test)
{
	static const u32 two[] = { 1300, 1400, 1100, 1200 };
	static const u32 one[] = { 1300, 1400 };
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->sack_ok = 1;
	ks->rcv_nxt = 1000;
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1100, 100)),
			KTCP_REASM_OUT_OF_ORDER);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1300, 100)),
			KTCP_REASM_OUT_OF_ORDER);
	expect_sack(test, ks, two, 2);
	/* a duplicate of queued data changes nothing */
	ktcp_reassemble(sk, data_seg(test, 1100, 100));
	KUNIT_EXPECT_EQ(test, skb_queue_len(&ks->ooo_queue), 2U);
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, 1000U);
	/* the first hole fills: 1000..1200 delivered, one block left */
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1000, 100)),
			KTCP_REASM_IN_ORDER);
	expect_stream(test, sk, 1000, 1200);
	expect_sack(test, ks, one, 1);
	/* overlapping both what we have and what waits */
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1150, 200)),
			KTCP_REASM_IN_ORDER);
	expect_stream(test, sk, 1000, 1400);
	KUNIT_EXPECT_EQ(test, ks->nr_sack_blocks, 0);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&ks->ooo_queue));
	/* entirely old data */
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1200, 200)),
			KTCP_REASM_DUPLICATE);
	expect_stream(test, sk, 1000, 1400);
	purge(test, sk);
}

static void reasm_wraps(struct kunit *test)
{
	static const u32 wrapped[] = { 0xffffff80, 0x80 };
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->sack_ok = 1;
	ks->rcv_nxt = 0xffffff00;
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 0xffffff80,
							   0x100)),
			KTCP_REASM_OUT_OF_ORDER);
	expect_sack(test, ks, wrapped, 1);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 0xffffff00,
							   0x80)),
			KTCP_REASM_IN_ORDER);
	expect_stream(test, sk, 0xffffff00, 0x80);
	purge(test, sk);
}

static void reasm_sack_blocks_bounded(struct kunit *test)
{
	static const u32 newest[] = { 1900, 2000, 1500, 1600, 1300, 1400,
				      1100, 1200 };
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 seq;

	ks->sack_ok = 1;
	ks->rcv_nxt = 1000;
	/* five blocks, four remembered: the most recently touched first */
	for (seq = 1100; seq < 2000; seq += 200)
		ktcp_reassemble(sk, data_seg(test, seq, 100));
	ktcp_reassemble(sk, data_seg(test, 1100, 100));
	ktcp_reassemble(sk, data_seg(test, 1300, 100));
	ktcp_reassemble(sk, data_seg(test, 1500, 100));
	ktcp_reassemble(sk, data_seg(test, 1900, 100));
	expect_sack(test, ks, newest, KTCP_MAX_SACK_BLOCKS);
	purge(test, sk);
}

/* Congestion window */

static void cong_slow_start(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->cwnd = 10 * MSS;
	ks->ssthresh = U32_MAX;
	ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 11 * MSS);
	/* RFC 3465: at most two segments per ACK */
	ktcp_reno.cong_avoid(sk, 5 * MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 13 * MSS);
	/* crossing ssthresh: the rest counts toward congestion avoidance */
	ks->cwnd = 9500;
	ks->ssthresh = 10000;
	ktcp_reno.cong_avoid(sk, 2 * MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 10000U);
	KUNIT_EXPECT_EQ(test, ks->cwnd_cnt, 1500U);
}

static void cong_avoidance(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	int i;

	ks->cwnd = 10 * MSS;
	ks->ssthresh = 10 * MSS;
	for (i = 0; i < 9; i++)
		ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 10 * MSS);
	ktcp_reno.cong_avoid(sk, MSS);	/* one window acked: one MSS more */
	KUNIT_EXPECT_EQ(test, ks->cwnd, 11 * MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd_cnt, 0U);
}

static void cong_through_losses(struct kunit *test)
{
	struct sock *sk = fake_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	int i;

	ks->cwnd = 10 * MSS;
	ks->ssthresh = U32_MAX;
	for (i = 0; i < 10; i++)
		ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 20 * MSS);
	/* a loss with 20 segments in flight: half of them */
	ks->snd_una = 0xfffff000;
	ks->snd_max = ks->snd_una + 20 * MSS;
	ks->ssthresh = ktcp_reno.ssthresh(sk);
	ks->cwnd = ks->ssthresh;
	KUNIT_EXPECT_EQ(test, ks->cwnd, 10 * MSS);
	for (i = 0; i < 10; i++)
		ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 11 * MSS);
	/* a timeout with one segment in flight: never below two */
	ks->snd_max = ks->snd_una + MSS;
	ks->ssthresh = ktcp_reno.ssthresh(sk);
	ks->cwnd = MSS;
	KUNIT_EXPECT_EQ(test, ks->ssthresh, 2 * MSS);
	ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 2 * MSS);	/* slow start to 2 */
	ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 2 * MSS);	/* then linear: */
	ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 3 * MSS);	/* a window per MSS */
}

static u32 test_ssthresh(struct sock *sk)
{
	return 4242;
}

static void test_cong_avoid(struct sock *sk, u32 acked)
{
}

static void cong_registry(struct kunit *test)
{
	static struct ktcp_cong_ops ops = {
		.name = "kunit-cc",
		.ssthresh = test_ssthresh,
		.cong_avoid = test_cong_avoid,
	};
	static struct ktcp_cong_ops incomplete = { .name = "kunit-bad" };
	struct sock *sk = fake_sock(test);

	KUNIT_EXPECT_EQ(test, ktcp_register_cong(&incomplete), -EINVAL);
	KUNIT_ASSERT_EQ(test, ktcp_register_cong(&ops), 0);
	KUNIT_EXPECT_EQ(test, ktcp_register_cong(&ops), -EEXIST);
	KUNIT_EXPECT_EQ(test, ktcp_cong_select(sk, "no-such-cc"), -ENOENT);
	KUNIT_EXPECT_PTR_EQ(test, ktcp_sk(sk)->ca_ops,
			    (const struct ktcp_cong_ops *)&ktcp_reno);
	KUNIT_EXPECT_EQ(test, ktcp_cong_select(sk, "kunit-cc"), 0);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->ca_ops->ssthresh(sk), 4242U);
	ktcp_cong_release(sk);
	ktcp_unregister_cong(&ops);
	KUNIT_EXPECT_EQ(test, ktcp_cong_select(sk, "kunit-cc"), -ENOENT);
}

static struct kunit_case ktcp_window_cases[] = {
	KUNIT_CASE(window_scaled),
	KUNIT_CASE(window_never_shrinks),
	KUNIT_CASE(window_unscaled_cap),
	KUNIT_CASE(window_small_opening_withheld),
	KUNIT_CASE(window_memory_pressure),
	{}
};

struct kunit_suite ktcp_window_suite = {
	.name = "ktcp-window",
	.test_cases = ktcp_window_cases,
};

static struct kunit_case ktcp_reasm_cases[] = {
	KUNIT_CASE(reasm_holes_and_overlaps),
	KUNIT_CASE(reasm_wraps),
	KUNIT_CASE(reasm_sack_blocks_bounded),
	{}
};

struct kunit_suite ktcp_reasm_suite = {
	.name = "ktcp-reasm",
	.test_cases = ktcp_reasm_cases,
};

static struct kunit_case ktcp_cong_cases[] = {
	KUNIT_CASE(cong_slow_start),
	KUNIT_CASE(cong_avoidance),
	KUNIT_CASE(cong_through_losses),
	KUNIT_CASE(cong_registry),
	{}
};

struct kunit_suite ktcp_cong_suite = {
	.name = "ktcp-cong",
	.test_cases = ktcp_cong_cases,
};
