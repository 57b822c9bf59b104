// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: reassembly on a bare socket structure: holes, overlaps,
 * duplicates, wraparound and SACK blocks; segments appended to the one
 * they continue; the out-of-order tree filled in any order; and, when
 * the receive budget is full, queued data copied into fewer buffers and
 * out-of-order data beyond the hole given up for the segment that fills
 * it.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp.h"
#include "ktcp_mib.h"
#include "ktcp_reasm.h"
#include "ktcp_tests.h"

/* Reassembly */

/*
 * A data segment [seq, seq + len) whose byte at sequence n is n & 0xff, in
 * a buffer allocated for @size bytes.
 */
static struct sk_buff *data_seg_in(struct kunit *test, u32 seq, u32 len,
				   unsigned int size)
{
	struct sk_buff *skb = alloc_skb(size, GFP_KERNEL);
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

static struct sk_buff *data_seg(struct kunit *test, u32 seq, u32 len)
{
	return data_seg_in(test, seq, len, len);
}

/* @skb holds [seq, seq + len) of the pattern, with its sequence numbers. */
static void expect_seg(struct kunit *test, const struct sk_buff *skb,
		       u32 seq, u32 len)
{
	u32 i;

	KUNIT_EXPECT_EQ(test, KTCP_SKB_CB(skb)->seq, seq);
	KUNIT_EXPECT_EQ(test, KTCP_SKB_CB(skb)->end_seq, seq + len);
	KUNIT_ASSERT_EQ(test, skb->len, len);
	for (i = 0; i < len; i++)
		if (skb->data[i] != ((seq + i) & 0xff))
			break;
	KUNIT_EXPECT_EQ(test, i, len);
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

static unsigned int ooo_len(const struct ktcp_sock *ks)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	skb_rbtree_walk(skb, &ks->ooo_root)
		n++;
	return n;
}

static void purge(struct kunit *test, struct sock *sk)
{
	__skb_queue_purge(&sk->sk_receive_queue);
	ktcp_ooo_purge(sk);
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), 0);
	/* pages ktcp_rmem_make_room() scheduled go back to net.ktcp.mem */
	if (sk->sk_forward_alloc > 0)
		__sk_mem_reclaim(sk, sk->sk_forward_alloc);
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

/* The D-SACK block the next ACK carries (RFC 2883), [start, end), or
 * none if start == end; then it is gone, as if the ACK went.
 */
static void expect_dsack(struct kunit *test, struct ktcp_sock *ks,
			 u32 start, u32 end)
{
	KUNIT_EXPECT_EQ(test, ks->dsack, start != end);
	if (start != end) {
		KUNIT_EXPECT_EQ(test, ks->dsack_block.start, start);
		KUNIT_EXPECT_EQ(test, ks->dsack_block.end, end);
	}
	ks->dsack = 0;
}

static void reasm_holes_and_overlaps(struct kunit *test)
{
	static const u32 two[] = { 1300, 1400, 1100, 1200 };
	static const u32 one[] = { 1300, 1400 };
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->sack_ok = 1;
	ks->rcv_nxt = 1000;
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1100, 100)),
			KTCP_REASM_OUT_OF_ORDER);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1300, 100)),
			KTCP_REASM_OUT_OF_ORDER);
	expect_sack(test, ks, two, 2);
	expect_dsack(test, ks, 0, 0);
	/* a duplicate of queued data changes nothing but is reported */
	ktcp_reassemble(sk, data_seg(test, 1100, 100));
	KUNIT_EXPECT_EQ(test, ooo_len(ks), 2U);
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, 1000U);
	expect_dsack(test, ks, 1100, 1200);
	/* the first hole fills: 1000..1200 delivered, one block left */
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1000, 100)),
			KTCP_REASM_IN_ORDER);
	expect_stream(test, sk, 1000, 1200);
	expect_sack(test, ks, one, 1);
	expect_dsack(test, ks, 0, 0);
	/* overlapping both what we have and what waits: the old part is
	 * reported, and the overlap with the queued segment does not join
	 * it (one range per block)
	 */
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1150, 200)),
			KTCP_REASM_IN_ORDER);
	expect_stream(test, sk, 1000, 1400);
	KUNIT_EXPECT_EQ(test, ks->nr_sack_blocks, 0);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&ks->ooo_root));
	expect_dsack(test, ks, 1150, 1200);
	/* entirely old data */
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 1200, 200)),
			KTCP_REASM_DUPLICATE);
	expect_stream(test, sk, 1000, 1400);
	expect_dsack(test, ks, 1200, 1400);
	purge(test, sk);
	ktcp_test_sock_unlock(sk);
}

static void reasm_wraps(struct kunit *test)
{
	static const u32 wrapped[] = { 0xffffff80, 0x80 };
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

static void reasm_sack_blocks_bounded(struct kunit *test)
{
	static const u32 newest[] = { 1900, 2000, 1500, 1600, 1300, 1400,
				      1100, 1200 };
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

/*
 * One byte in the buffer a small write takes is queued as it came: a copy
 * would cost every request/response an allocation and a free.
 */
static void compact_keeps_small_write(struct kunit *test)
{
	struct sk_buff *skb = data_seg_in(test, 5000, 1, KTCP_DATA_HEADROOM +
					  KTCP_SMALL_DATA);
	struct sk_buff *kept;

	KUNIT_EXPECT_GT(test, skb->truesize, 2 * SKB_TRUESIZE(1));
	kept = ktcp_compact(skb);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	KUNIT_EXPECT_PTR_EQ(test, kept, skb);
	expect_seg(test, kept, 5000, 1);
	kfree_skb(kept);
}

/* 100 bytes left in a 64 KiB buffer are copied into one of their size. */
static void compact_copies_large_buffer(struct kunit *test)
{
	struct sk_buff *skb = data_seg_in(test, 0xffffffc0, 100,
					  KTCP_MAX_SKB_DATA);
	struct sk_buff *copy = ktcp_compact(skb);

	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_PTR_NE(test, copy, skb);
	KUNIT_EXPECT_LE(test, copy->truesize, 2 * SKB_TRUESIZE(100));
	expect_seg(test, copy, 0xffffffc0, 100);
	kfree_skb(copy);
}

/* Segments with room behind them are appended to the one they continue. */
static void reasm_coalesces(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 seq;

	ks->rcv_nxt = 1000;
	for (seq = 1000; seq < 1500; seq += 100)
		KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg_in(test, seq,
								      100, 4000)),
				KTCP_REASM_IN_ORDER);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sk->sk_receive_queue), 1U);
	expect_stream(test, sk, 1000, 1500);
	for (seq = 1600; seq < 2000; seq += 100)
		ktcp_reassemble(sk, data_seg_in(test, seq, 100, 4000));
	KUNIT_EXPECT_EQ(test, ooo_len(ks), 1U);
	KUNIT_EXPECT_EQ(test, KTCP_SKB_CB(ks->ooo_last)->end_seq, 2000U);
	/* the hole fills: one more append, then the queue continues it */
	ktcp_reassemble(sk, data_seg_in(test, 1500, 100, 4000));
	expect_stream(test, sk, 1000, 2000);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&ks->ooo_root));
	KUNIT_EXPECT_NULL(test, ks->ooo_last);
	purge(test, sk);
	ktcp_test_sock_unlock(sk);
}

/* Out-of-order data in any order, overlapping and repeated, drains whole. */
static void reasm_any_order(struct kunit *test)
{
	static const u16 order[] = { 7, 3, 11, 1, 9, 5, 13, 2, 8, 12, 4, 10,
				     6, 14, 3, 9, 1 };
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;
	u32 prev = 0;
	unsigned int i;

	ks->rcv_nxt = 0xfffff000;
	for (i = 0; i < ARRAY_SIZE(order); i++)
		ktcp_reassemble(sk, data_seg(test, 0xfffff000 + order[i] * 300,
					     300));
	/* one that covers three queued ones replaces them */
	ktcp_reassemble(sk, data_seg(test, 0xfffff000 + 4 * 300, 3 * 300));
	skb_rbtree_walk(skb, &ks->ooo_root) {
		KUNIT_EXPECT_TRUE(test, !prev ||
				  ktcp_seq_after(KTCP_SKB_CB(skb)->seq, prev));
		prev = KTCP_SKB_CB(skb)->seq;
	}
	KUNIT_EXPECT_EQ(test, KTCP_SKB_CB(ks->ooo_last)->end_seq,
			0xfffff000U + 15 * 300);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, data_seg(test, 0xfffff000,
							   300)),
			KTCP_REASM_IN_ORDER);
	expect_stream(test, sk, 0xfffff000, 0xfffff000 + 15 * 300);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&ks->ooo_root));
	purge(test, sk);
	ktcp_test_sock_unlock(sk);
}

/*
 * A segment as veth or loopback deliver it: a clone of the buffer its
 * sender keeps (in @senders), so that nothing can be appended to it.
 */
static struct sk_buff *cloned_seg(struct kunit *test, u32 seq, u32 len,
				  struct sk_buff_head *senders)
{
	struct sk_buff *orig = data_seg_in(test, seq, len, 2048);
	struct sk_buff *clone = skb_clone(orig, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, clone);
	__skb_queue_tail(senders, orig);
	return clone;
}

/*
 * Small segments in big buffers fill the budget long before the window
 * does: queued data is copied into page-sized buffers, several times
 * what the buffers as they came would hold fits, and the segment that
 * fills the hole still gets in.
 */
static void reasm_room_for_the_hole(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff_head senders;
	unsigned long collapsed;
	struct sk_buff *skb;
	u32 seq, truesize = 0, end;

	__skb_queue_head_init(&senders);
	sk->sk_rcvbuf = 64 * 1024;
	ks->sack_ok = 1;
	ks->rcv_nxt = 5000;
	collapsed = ktcp_mib_read(&init_net, KTCP_MIB_RCV_COLLAPSED);
	for (seq = 5200; seq < 5200 + 5000 * 200; seq += 200) {
		skb = cloned_seg(test, seq, 200, &senders);
		if (ktcp_rmem_make_room(sk, skb)) {
			kfree_skb(skb);
			break;
		}
		ktcp_reassemble(sk, skb);
	}
	KUNIT_EXPECT_GT(test, ktcp_mib_read(&init_net, KTCP_MIB_RCV_COLLAPSED),
			collapsed);
	/* as they came, 30 of these would fill the budget */
	KUNIT_EXPECT_GT(test, seq - 5200, 64U * 1024);
	skb_rbtree_walk(skb, &ks->ooo_root)
		truesize += skb->truesize;
	KUNIT_EXPECT_EQ(test, (u32)atomic_read(&sk->sk_rmem_alloc), truesize);

	skb = cloned_seg(test, 5000, 200, &senders);
	KUNIT_ASSERT_EQ(test, ktcp_rmem_make_room(sk, skb), 0);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, skb), KTCP_REASM_IN_ORDER);
	end = ks->rcv_nxt;
	KUNIT_EXPECT_GT(test, end, 5000U + 64 * 1024);
	expect_stream(test, sk, 5000, end);
	purge(test, sk);
	__skb_queue_purge(&senders);
	ktcp_test_sock_unlock(sk);
}

/* Nothing left to copy together: the furthest out-of-order data goes. */
static void reasm_prunes_furthest(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned long pruned;
	struct sk_buff *skb;
	u32 seq, last = 0;

	sk->sk_rcvbuf = 32 * 1024;
	ks->sack_ok = 1;
	ks->rcv_nxt = 1000;
	/* full-page segments with gaps between them: nothing to collapse */
	for (seq = 1000 + 5000; ; seq += 8000) {
		skb = data_seg(test, seq, 4000);
		if (ktcp_rmem_make_room(sk, skb)) {
			kfree_skb(skb);
			break;
		}
		ktcp_reassemble(sk, skb);
		last = seq;
	}
	KUNIT_EXPECT_GT(test, ks->nr_sack_blocks, 1);
	pruned = ktcp_mib_read(&init_net, KTCP_MIB_DROP_OFO_PRUNED);
	skb = data_seg(test, 1000, 4000);
	KUNIT_ASSERT_EQ(test, ktcp_rmem_make_room(sk, skb), 0);
	KUNIT_EXPECT_GT(test, ktcp_mib_read(&init_net, KTCP_MIB_DROP_OFO_PRUNED),
			pruned);
	/* the blocks named data that may be gone */
	KUNIT_EXPECT_EQ(test, ks->nr_sack_blocks, 0);
	KUNIT_EXPECT_LT(test, KTCP_SKB_CB(ks->ooo_last)->seq, last);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, skb), KTCP_REASM_IN_ORDER);
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, 5000U);
	skb = skb_rb_first(&ks->ooo_root);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, KTCP_SKB_CB(skb)->seq, 6000U);
	purge(test, sk);
	ktcp_test_sock_unlock(sk);
}

/*
 * The reader has taken part of a buffer that wastes memory when a
 * segment finds the budget full: the copy starts where the reader is,
 * or buffers wholly behind it would stay queued, charged and counted as
 * unread by close().
 */
static void collapse_after_partial_read(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	sk->sk_rcvbuf = 24 * 1024;
	ks->rcv_nxt = 1000;
	ks->copied_seq = 1000;
	skb = data_seg_in(test, 1000, 8000, 32 * 1024);
	KUNIT_ASSERT_EQ(test, ktcp_rmem_make_room(sk, skb), 0);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, skb), KTCP_REASM_IN_ORDER);
	ks->copied_seq = 7000;		/* recvmsg() read 6000 bytes */

	skb = data_seg_in(test, 10000, 100, 16 * 1024);
	KUNIT_ASSERT_EQ(test, ktcp_rmem_make_room(sk, skb), 0);
	KUNIT_EXPECT_EQ(test, ktcp_reassemble(sk, skb),
			KTCP_REASM_OUT_OF_ORDER);
	KUNIT_ASSERT_EQ(test, skb_queue_len(&sk->sk_receive_queue), 1);
	expect_seg(test, skb_peek(&sk->sk_receive_queue), 7000, 2000);
	purge(test, sk);
	ktcp_test_sock_unlock(sk);
}

static struct kunit_case ktcp_reasm_cases[] = {
	KUNIT_CASE(collapse_after_partial_read),
	KUNIT_CASE(reasm_holes_and_overlaps),
	KUNIT_CASE(reasm_wraps),
	KUNIT_CASE(reasm_sack_blocks_bounded),
	KUNIT_CASE(reasm_coalesces),
	KUNIT_CASE(reasm_any_order),
	KUNIT_CASE(reasm_room_for_the_hole),
	KUNIT_CASE(reasm_prunes_furthest),
	KUNIT_CASE(compact_keeps_small_write),
	KUNIT_CASE(compact_copies_large_buffer),
	{}
};

struct kunit_suite ktcp_reasm_suite = {
	.name = "ktcp-reasm",
	.test_cases = ktcp_reasm_cases,
};
