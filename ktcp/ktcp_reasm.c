// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp reassembly: in-window data on its way to the receive queue.
 *
 * In-order data goes to the receive queue; data beyond a hole waits in
 * the out-of-order queue, an rbtree keyed by sequence number (inserting
 * is O(log n) whatever order a peer sends in), with the receiver's SACK
 * blocks (RFC 2018) kept beside it.  A segment that continues the one
 * before it is appended to that one's buffer when it can be
 * (skb_try_coalesce()), so a stream of small segments does not cost a
 * buffer each.
 *
 * Both queues count against the socket's receive budget.  When a
 * segment does not fit, ktcp_rmem_make_room() first copies queued data
 * out of wasteful buffers into full pages (small segments in large
 * buffers), then gives up out-of-order data beyond the segment, the
 * furthest first: the segment that fills the hole at RCV.NXT is always
 * taken in the end, as TCP's tcp_prune_queue() sees to.
 *
 * Everything here runs with the socket locked.
 */
#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_input.h"
#include "ktcp_kunit.h"
#include "ktcp_mib.h"
#include "ktcp_reasm.h"

/* Data a collapsed buffer holds: a page, less the skb's own overhead. */
#define KTCP_COLLAPSE_SIZE	SKB_WITH_OVERHEAD(PAGE_SIZE)

/*
 * Append @from to @to if @from's bytes continue @to's, charging @sk for
 * what @to grew by and freeing @from (which gives back its own charge,
 * if it had one).  A FIN moves with the data.
 * Return: true if @from is gone into @to.
 */
static bool ktcp_try_coalesce(struct sock *sk, struct sk_buff *to,
			      struct sk_buff *from)
{
	struct ktcp_skb_cb *tcb = KTCP_SKB_CB(to);
	bool fragstolen;
	int delta;

	if (KTCP_SKB_CB(from)->seq != tcb->end_seq ||
	    (tcb->flags & KTCP_FLAG_FIN) ||
	    !skb_try_coalesce(to, from, &fragstolen, &delta))
		return false;
	atomic_add(delta, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, delta);
	tcb->end_seq = KTCP_SKB_CB(from)->end_seq;
	tcb->flags |= KTCP_SKB_CB(from)->flags & KTCP_FLAG_FIN;
	kfree_skb_partial(from, fragstolen);
	return true;
}

/* Charge @skb to @sk unless it is charged already (moved between queues). */
static void ktcp_rmem_own(struct sock *sk, struct sk_buff *skb)
{
	if (skb->sk != sk)
		skb_set_owner_r(skb, sk);
}

/*
 * The receiver's RTT, as tcp_rcv_rtt_measure(): how long the peer takes
 * to fill the window we offered.  A sender that window limits sends one
 * window per round trip, with the queues and our window updates' delays
 * in it, which srtt, timed from the handshake on a pure receiver, lacks.
 * The least sample is kept: a slower sender only stretches one.
 */
static void ktcp_rcv_rtt_measure(struct ktcp_sock *ks)
{
	u32 now = (u32)jiffies;

	if (ks->rcv_rtt_on) {
		u32 sample = max(now - ks->rcv_rtt_stamp, 1U);

		if (ktcp_seq_before(ks->rcv_nxt, ks->rcv_rtt_seq))
			return;
		if (!ks->rcv_rtt || sample < ks->rcv_rtt)
			ks->rcv_rtt = sample;
	}
	ks->rcv_rtt_on = 1;
	ks->rcv_rtt_seq = ks->rcv_nxt + ks->rcv_wnd;
	ks->rcv_rtt_stamp = now;
}

/*
 * Queue in-order data; the skb starts at its first new byte, its memory
 * is scheduled (ktcp_rmem_make_room()) or charged already.
 */
static void ktcp_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	bool fin = KTCP_SKB_CB(skb)->flags & KTCP_FLAG_FIN;
	struct sk_buff *tail;

	if (!skb->len) {
		ktcp_rmem_own(sk, skb);	/* what was scheduled for it goes back */
		consume_skb(skb);
	} else {
		ks->rcv_nxt += skb->len;
		ks->bytes_received += skb->len;
		ks->lrcvtime = (u32)jiffies;
		ktcp_rcv_rtt_measure(ks);
		skb_dst_drop(skb);
		/* the FIN is taken below; the queue holds data only */
		KTCP_SKB_CB(skb)->flags &= ~KTCP_FLAG_FIN;
		KTCP_SKB_CB(skb)->end_seq = KTCP_SKB_CB(skb)->seq + skb->len;
		tail = skb_peek_tail(&sk->sk_receive_queue);
		if (!tail || !ktcp_try_coalesce(sk, tail, skb)) {
			ktcp_rmem_own(sk, skb);
			__skb_queue_tail(&sk->sk_receive_queue, skb);
		}
	}
	if (fin)
		ktcp_rcv_fin(sk);
}

/**
 * ktcp_dsack_set() - report data received twice (RFC 2883)
 * @sk: locked socket
 * @start: first byte received again
 * @end: the byte after it
 *
 * The next ACK's first SACK block is a D-SACK of [@start, @end), so that
 * the sender can tell a needless resend from a loss.  It replaces one not
 * yet reported, as the newer news.
 */
void ktcp_dsack_set(struct sock *sk, u32 start, u32 end)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	if (!ks->sack_ok || !ktcp_seq_before(start, end))
		return;
	KTCP_INC_STATS(sock_net(sk), ktcp_seq_before(start, ks->rcv_nxt) ?
		       KTCP_MIB_DSACK_OLD_SENT : KTCP_MIB_DSACK_OFO_SENT);
	ks->dsack_block.start = start;
	ks->dsack_block.end = end;
	ks->dsack = 1;
}

/*
 * More of what one segment duplicated: it grows the D-SACK block if it
 * touches it; one block reports one range (TCP's tcp_dsack_extend()).
 */
static void ktcp_dsack_extend(struct sock *sk, u32 start, u32 end)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_sack_block *d = &ks->dsack_block;

	if (!ks->dsack) {
		ktcp_dsack_set(sk, start, end);
	} else if (!ktcp_seq_after(d->start, end) &&
		   !ktcp_seq_before(d->end, start)) {
		d->start = ktcp_seq_min(d->start, start);
		d->end = ktcp_seq_max(d->end, end);
	}
}

/* Trim @skb so that it starts at rcv_nxt; false if nothing new is left. */
static bool ktcp_trim_front(struct ktcp_sock *ks, struct sk_buff *skb)
{
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	u32 old = ks->rcv_nxt - cb->seq;

	if (!ktcp_seq_after(cb->end_seq, ks->rcv_nxt))
		return false;
	if (ktcp_seq_after(ks->rcv_nxt, cb->seq)) {
		if (old > skb->len || !pskb_pull(skb, old))
			return false;
		cb->seq = ks->rcv_nxt;
	}
	return true;
}

/*
 * Receiver's SACK blocks, RFC 2018 section 4: the block holding the newest
 * out-of-order segment goes first.  Blocks never overlap or touch, so one
 * pass merges everything the new range joins.
 */
static void ktcp_sack_add(struct ktcp_sock *ks, u32 start, u32 end)
{
	struct ktcp_sack_block keep[KTCP_MAX_SACK_BLOCKS - 1];
	struct ktcp_sack_block *b = ks->sack_blocks;
	unsigned int i, n = 0;

	for (i = 0; i < ks->nr_sack_blocks; i++) {
		if (!ktcp_seq_after(b[i].start, end) &&
		    !ktcp_seq_before(b[i].end, start)) {
			if (ktcp_seq_before(b[i].start, start))
				start = b[i].start;
			if (ktcp_seq_after(b[i].end, end))
				end = b[i].end;
		} else if (n < ARRAY_SIZE(keep)) {
			keep[n++] = b[i];
		}
	}
	b[0].start = start;
	b[0].end = end;
	memcpy(&b[1], keep, n * sizeof(keep[0]));
	ks->nr_sack_blocks = n + 1;
}

/* Forget what rcv_nxt has passed. */
static void ktcp_sack_trim(struct ktcp_sock *ks)
{
	struct ktcp_sack_block *b = ks->sack_blocks;
	unsigned int i, n = 0;

	for (i = 0; i < ks->nr_sack_blocks; i++) {
		if (!ktcp_seq_after(b[i].end, ks->rcv_nxt))
			continue;
		if (ktcp_seq_before(b[i].start, ks->rcv_nxt))
			b[i].start = ks->rcv_nxt;
		b[n++] = b[i];
	}
	ks->nr_sack_blocks = n;
}

/* Link @skb into the out-of-order tree, by its start. */
static void ktcp_ooo_link(struct rb_root *root, struct sk_buff *skb)
{
	struct rb_node **p = &root->rb_node, *parent = NULL;
	u32 seq = KTCP_SKB_CB(skb)->seq;

	while (*p) {
		parent = *p;
		if (ktcp_seq_before(seq, KTCP_SKB_CB(rb_to_skb(parent))->seq))
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, root);
}

static void ktcp_ooo_unlink(struct ktcp_sock *ks, struct sk_buff *skb)
{
	rb_erase(&skb->rbnode, &ks->ooo_root);
	skb->rbnode = (struct rb_node){};	/* skb->next and ->prev again */
	if (ks->ooo_last == skb)
		ks->ooo_last = skb_rb_last(&ks->ooo_root);
}

/*
 * Put @skb into the out-of-order queue.  The common cases cost O(1): the
 * next segment after the newest (appended to it if it can be).  Data the
 * queue holds already is dropped; segments the new one covers go.
 */
static void ktcp_ooo_insert(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	struct rb_node **p = &ks->ooo_root.rb_node, *parent = NULL;
	struct sk_buff *last = ks->ooo_last, *pos, *next;

	if (ks->sack_ok)
		ktcp_sack_add(ks, cb->seq, cb->end_seq);
	skb_dst_drop(skb);

	if (last && ktcp_seq_geq(cb->seq, KTCP_SKB_CB(last)->end_seq)) {
		if (ktcp_try_coalesce(sk, last, skb))
			return;
		parent = &last->rbnode;
		p = &parent->rb_right;
		goto link;
	}
	while (*p) {
		struct ktcp_skb_cb *pcb;

		parent = *p;
		pos = rb_to_skb(parent);
		pcb = KTCP_SKB_CB(pos);
		if (ktcp_seq_before(cb->seq, pcb->seq)) {
			p = &parent->rb_left;
			continue;
		}
		if (!ktcp_seq_after(cb->end_seq, pcb->end_seq)) {
			/* all of it is queued already */
			ktcp_dsack_set(sk, cb->seq, cb->end_seq);
			ktcp_drop(sk, skb, KTCP_MIB_DROP_DUPLICATE);
			return;
		}
		if (cb->seq == pcb->seq) {
			/* it holds all of @pos and more: it takes its place */
			ktcp_dsack_extend(sk, pcb->seq, pcb->end_seq);
			ktcp_rmem_own(sk, skb);
			rb_replace_node(&pos->rbnode, &skb->rbnode,
					&ks->ooo_root);
			if (ks->ooo_last == pos)
				ks->ooo_last = skb;
			pos->rbnode = (struct rb_node){};
			ktcp_drop(sk, pos, KTCP_MIB_DROP_DUPLICATE);
			goto covered;
		}
		if (cb->seq == pcb->end_seq && ktcp_try_coalesce(sk, pos, skb)) {
			skb = pos;	/* it may now cover what follows */
			goto covered;
		}
		if (ktcp_seq_before(cb->seq, pcb->end_seq))	/* overlaps @pos */
			ktcp_dsack_set(sk, cb->seq, pcb->end_seq);
		p = &parent->rb_right;
	}
link:
	ktcp_rmem_own(sk, skb);
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &ks->ooo_root);
covered:
	cb = KTCP_SKB_CB(skb);
	for (pos = skb_rb_next(skb); pos; pos = next) {
		next = skb_rb_next(pos);
		if (ktcp_seq_before(cb->end_seq, KTCP_SKB_CB(pos)->end_seq)) {
			if (ktcp_seq_after(cb->end_seq, KTCP_SKB_CB(pos)->seq))
				ktcp_dsack_extend(sk, KTCP_SKB_CB(pos)->seq,
						  cb->end_seq);
			break;
		}
		ktcp_dsack_extend(sk, KTCP_SKB_CB(pos)->seq,
				  KTCP_SKB_CB(pos)->end_seq);
		ktcp_ooo_unlink(ks, pos);
		ktcp_drop(sk, pos, KTCP_MIB_DROP_DUPLICATE);
	}
	if (!ks->ooo_last || !skb_rb_next(skb))
		ks->ooo_last = skb_rb_last(&ks->ooo_root);
}

/* Move what the out-of-order queue now continues to the receive queue. */
static void ktcp_ooo_drain(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 high = ks->rcv_nxt;		/* what arrived in order just now */
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&ks->ooo_root))) {
		if (ktcp_seq_after(KTCP_SKB_CB(skb)->seq, ks->rcv_nxt))
			break;
		ktcp_ooo_unlink(ks, skb);
		if (ktcp_seq_before(KTCP_SKB_CB(skb)->seq, high))
			ktcp_dsack_extend(sk, KTCP_SKB_CB(skb)->seq,
					  ktcp_seq_min(KTCP_SKB_CB(skb)->end_seq,
						       high));
		if (!ktcp_trim_front(ks, skb)) {	/* in-order data overtook it */
			ktcp_drop(sk, skb, KTCP_MIB_DROP_DUPLICATE);
			continue;
		}
		ktcp_queue_rcv(sk, skb);	/* keeps its charge */
		if (sk->sk_state != TCP_ESTABLISHED &&
		    sk->sk_state != TCP_FIN_WAIT1 &&
		    sk->sk_state != TCP_FIN_WAIT2)
			break;
	}
	if (ks->nr_sack_blocks)
		ktcp_sack_trim(ks);
}

/**
 * ktcp_ooo_purge() - free the out-of-order queue
 * @sk: locked socket, or one no one else can reach
 */
void ktcp_ooo_purge(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&ks->ooo_root))) {
		ktcp_ooo_unlink(ks, skb);
		kfree_skb(skb);
	}
	ks->nr_sack_blocks = 0;
	ks->dsack = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_ooo_purge);

/*
 * What a queued segment may waste before its data is copied out.  A small
 * write's buffer (KTCP_SMALL_DATA, over 2 KiB of truesize for one byte)
 * is kept as it came: copying every small segment cost request/response
 * traffic an allocation, a copy and a free per segment, to save a
 * kilobyte or two for as long as the reader leaves it queued.  When such
 * buffers pile up, ktcp_rmem_make_room() copies them together.
 */
#define KTCP_COMPACT_WASTE	SZ_8K

/**
 * ktcp_compact() - copy data out of a buffer far bigger than it
 * @skb: in-window segment, data only; consumed
 *
 * A segment that shares a large buffer (a loopback clone of a 64 KiB send
 * buffer, or a trimmed one) would be charged far more than it holds: such
 * data is copied into a buffer of its own size.
 *
 * Return: @skb or its copy; NULL if the copy could not be allocated.
 */
struct sk_buff *ktcp_compact(struct sk_buff *skb)
{
	unsigned int need = SKB_TRUESIZE(skb->len);
	struct sk_buff *nskb;

	if (skb->truesize <= 2 * need ||
	    skb->truesize <= need + KTCP_COMPACT_WASTE)
		return skb;
	nskb = alloc_skb(skb->len, GFP_ATOMIC);
	if (!nskb)
		goto drop;
	if (skb_copy_bits(skb, 0, skb_put(nskb, skb->len), skb->len)) {
		consume_skb(nskb);	/* never used: no drop */
		goto drop;
	}
	memcpy(nskb->cb, skb->cb, sizeof(skb->cb));
	consume_skb(skb);
	return nskb;

drop:
	kfree_skb(skb);		/* the caller counts it */
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_compact);

/* The segment after @skb in the out-of-order (@ooo) or receive queue. */
static struct sk_buff *ktcp_queue_next(struct sock *sk, struct sk_buff *skb,
				       bool ooo)
{
	if (ooo)
		return skb_rb_next(skb);
	if (skb_queue_is_last(&sk->sk_receive_queue, skb))
		return NULL;
	return skb_queue_next(&sk->sk_receive_queue, skb);
}

/*
 * Copy the data of @n queued segments from @first on (in sequence order,
 * contiguous or overlapping; in the out-of-order queue if @ooo, else in
 * the receive queue, from what recvmsg() has not read yet) into new
 * buffers of a page each, charged to @sk, appended to @out.  Return:
 * false if a buffer could not be had; @out then holds what was built.
 */
static bool ktcp_collapse_run(struct sock *sk, struct sk_buff *first,
			      unsigned int n, bool ooo,
			      struct sk_buff_head *out)
{
	u32 pos = KTCP_SKB_CB(first)->seq;
	struct sk_buff *src, *nskb = NULL;

	/* recvmsg() frees only buffers it reads from: none may lie behind */
	if (!ooo && ktcp_seq_before(pos, ktcp_sk(sk)->copied_seq))
		pos = ktcp_sk(sk)->copied_seq;

	for (src = first; n--; src = ktcp_queue_next(sk, src, ooo)) {
		const struct ktcp_skb_cb *scb = KTCP_SKB_CB(src);
		u32 end = scb->seq + src->len;

		while (ktcp_seq_before(pos, end)) {
			u32 chunk;

			if (!nskb || !skb_tailroom(nskb)) {
				nskb = alloc_skb(KTCP_COLLAPSE_SIZE, GFP_ATOMIC);
				if (!nskb)
					return false;
				memset(nskb->cb, 0, sizeof(nskb->cb));
				KTCP_SKB_CB(nskb)->seq = pos;
				KTCP_SKB_CB(nskb)->end_seq = pos;
				__skb_queue_tail(out, nskb);
				skb_set_owner_r(nskb, sk);
			}
			chunk = min_t(u32, end - pos, skb_tailroom(nskb));
			if (skb_copy_bits(src, pos - scb->seq,
					  skb_put(nskb, chunk), chunk))
				return false;
			pos += chunk;
			KTCP_SKB_CB(nskb)->end_seq = pos;
		}
		if (nskb && scb->end_seq != end && !n) {	/* the FIN */
			KTCP_SKB_CB(nskb)->flags |= KTCP_FLAG_FIN;
			KTCP_SKB_CB(nskb)->end_seq++;
		}
	}
	return true;
}

/* A run is worth copying if that saves a quarter of its memory. */
static bool ktcp_collapse_worth(u32 bytes, u32 truesize)
{
	u32 pages = DIV_ROUND_UP(bytes, KTCP_COLLAPSE_SIZE);

	return truesize > pages * SKB_TRUESIZE(KTCP_COLLAPSE_SIZE) * 5 / 4;
}

/* Does @skb hold its data about as tightly as a collapsed buffer would? */
static bool ktcp_skb_tight(const struct sk_buff *skb)
{
	return skb->truesize <= SKB_TRUESIZE(skb->len) + skb->len / 4;
}

/* Replace the @n segments from @first on by @copy in the out-of-order queue. */
static void ktcp_ooo_replace(struct sock *sk, struct sk_buff *first,
			     unsigned int n, struct sk_buff_head *copy)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	while (n--) {
		skb = first;
		first = skb_rb_next(first);
		ktcp_ooo_unlink(ks, skb);
		consume_skb(skb);		/* its data lives on in @copy */
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_RCV_COLLAPSED);
	}
	while ((skb = __skb_dequeue(copy)))
		ktcp_ooo_link(&ks->ooo_root, skb);
	ks->ooo_last = skb_rb_last(&ks->ooo_root);
}

/* Replace the @n segments from @first on by @copy in the receive queue. */
static void ktcp_rcvq_replace(struct sock *sk, struct sk_buff *first,
			      unsigned int n, struct sk_buff_head *copy)
{
	struct sk_buff *prev = first->prev, *skb;

	while (n--) {
		skb = first;
		first = first->next;
		__skb_unlink(skb, &sk->sk_receive_queue);
		consume_skb(skb);
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_RCV_COLLAPSED);
	}
	while ((skb = __skb_dequeue_tail(copy)))
		__skb_queue_after(&sk->sk_receive_queue, prev, skb);
}

/* Free buffers that were never queued: no drop. */
static void ktcp_free_unqueued(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		consume_skb(skb);
}

/*
 * Collapse each run of touching segments, from @skb on, whose buffers
 * waste memory, as TCP's tcp_collapse(): a TCP_NODELAY writer's small
 * segments cost their truesize, several times their length.
 */
static void ktcp_collapse(struct sock *sk, struct sk_buff *skb, bool ooo)
{
	struct sk_buff_head copy;

	__skb_queue_head_init(&copy);
	while (skb) {
		struct sk_buff *first, *after;
		u32 end, truesize = 0;
		unsigned int n = 0;

		/* what is tight already stays, collapsed before or not */
		if (ktcp_skb_tight(skb)) {
			skb = ktcp_queue_next(sk, skb, ooo);
			continue;
		}
		first = skb;
		end = KTCP_SKB_CB(skb)->end_seq;

		/* the run: segments that touch or overlap the ones before */
		for (;;) {
			truesize += skb->truesize;
			n++;
			if (ktcp_seq_after(KTCP_SKB_CB(skb)->end_seq, end))
				end = KTCP_SKB_CB(skb)->end_seq;
			after = ktcp_queue_next(sk, skb, ooo);
			if (!after || ktcp_seq_after(KTCP_SKB_CB(after)->seq, end))
				break;
			skb = after;
		}
		skb = after;
		if (!ktcp_collapse_worth(end - KTCP_SKB_CB(first)->seq,
					 truesize))
			continue;
		if (!ktcp_collapse_run(sk, first, n, ooo, &copy)) {
			ktcp_free_unqueued(&copy);
			return;
		}
		if (ooo)
			ktcp_ooo_replace(sk, first, n, &copy);
		else
			ktcp_rcvq_replace(sk, first, n, &copy);
	}
}

/* Would @skb fit the receive budget, twice sk_rcvbuf (the window is half)? */
static bool ktcp_rcvbuf_fits(const struct sock *sk, const struct sk_buff *skb)
{
	unsigned int rmem = atomic_read(&sk->sk_rmem_alloc);

	/* one in-window segment is always taken, or a tiny buffer stalls */
	return !rmem ||
	       rmem + skb->truesize <= 2 * (unsigned int)READ_ONCE(sk->sk_rcvbuf);
}

/*
 * Charge a segment before it is queued (sk_rmem_schedule() within
 * net.ktcp.mem).  When the limits refuse, in-order data is taken anyway
 * if the reader has nothing queued, as TCP does in tcp_data_queue(): a
 * connection must not stall with an empty buffer.
 */
static bool ktcp_rmem_schedule(struct sock *sk, struct sk_buff *skb)
{
	if (sk_rmem_schedule(sk, skb, skb->truesize))
		return true;
	if (!skb_queue_empty(&sk->sk_receive_queue) ||
	    ktcp_seq_after(KTCP_SKB_CB(skb)->seq, ktcp_sk(sk)->rcv_nxt))
		return false;
	/* skb_set_owner_r() borrows: see ktcp_forced_mem_schedule() */
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_MEMFORCED);
	return true;
}

/*
 * Give up out-of-order data beyond @skb, the furthest first, until @skb
 * fits, as TCP's tcp_prune_ofo_queue(): an eighth of sk_rcvbuf at least,
 * so that the next segments fit without another search.  The SACK blocks
 * may name what went, so they go too (RFC 2018 lets a receiver renege).
 */
static void ktcp_prune_ofo(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	int goal = READ_ONCE(sk->sk_rcvbuf) >> 3;
	struct sk_buff *last;

	while ((last = ks->ooo_last) &&
	       ktcp_seq_after(KTCP_SKB_CB(last)->seq, KTCP_SKB_CB(skb)->seq)) {
		goal -= last->truesize;
		ktcp_ooo_unlink(ks, last);
		ktcp_drop(sk, last, KTCP_MIB_DROP_OFO_PRUNED);
		ks->nr_sack_blocks = 0;
		sk_mem_reclaim(sk);
		if (goal <= 0 && ktcp_rcvbuf_fits(sk, skb) &&
		    sk_rmem_schedule(sk, skb, skb->truesize))
			break;
	}
}

/**
 * ktcp_rmem_make_room() - find receive memory for an in-window segment
 * @sk: locked socket
 * @skb: the segment, data only, not charged yet
 *
 * Within the receive budget and net.ktcp.mem; if need be after copying
 * queued data into fewer buffers and giving up out-of-order data beyond
 * @skb.  On success the memory is scheduled; ktcp_reassemble() charges
 * it.
 *
 * Return: 0, or the KTCP_MIB_DROP_* reason to drop @skb.
 */
int ktcp_rmem_make_room(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (ktcp_rcvbuf_fits(sk, skb) && ktcp_rmem_schedule(sk, skb))
		return 0;
	/*
	 * Collapsing walks both queues: after a walk that did not make room,
	 * none until they change, or every segment a peer sends past a full
	 * budget buys one (CVE-2018-5390).
	 */
	if (atomic_read(&sk->sk_rmem_alloc) != ks->collapse_rmem) {
		ktcp_collapse(sk, skb_rb_first(&ks->ooo_root), true);
		ktcp_collapse(sk, skb_peek(&sk->sk_receive_queue), false);
		sk_mem_reclaim(sk);
		if (ktcp_rcvbuf_fits(sk, skb) && ktcp_rmem_schedule(sk, skb))
			return 0;
		ks->collapse_rmem = atomic_read(&sk->sk_rmem_alloc);
	}
	ktcp_prune_ofo(sk, skb);
	if (!ktcp_rcvbuf_fits(sk, skb))
		return KTCP_MIB_DROP_RCVBUF;
	return ktcp_rmem_schedule(sk, skb) ? 0 : KTCP_MIB_DROP_MEMLIMIT;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_rmem_make_room);

/**
 * ktcp_reassemble() - put an in-window segment where it belongs
 * @sk: locked socket
 * @skb: segment, data only, trimmed to the window, its memory scheduled
 *       (ktcp_rmem_make_room()); consumed
 *
 * In-order data goes to the receive queue with whatever the out-of-order
 * queue now continues; data beyond a hole waits in the out-of-order
 * queue; bytes already received are trimmed off or dropped.  The segment
 * is charged to @sk where it is queued, or appended to a queued one.
 *
 * Return: what became of the segment.
 */
enum ktcp_reasm ktcp_reassemble(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (ktcp_seq_after(KTCP_SKB_CB(skb)->seq, ks->rcv_nxt)) {
		ktcp_ooo_insert(sk, skb);
		return KTCP_REASM_OUT_OF_ORDER;
	}
	if (ktcp_seq_before(KTCP_SKB_CB(skb)->seq, ks->rcv_nxt))
		ktcp_dsack_set(sk, KTCP_SKB_CB(skb)->seq,
			       ktcp_seq_min(KTCP_SKB_CB(skb)->end_seq,
					    ks->rcv_nxt));
	if (!ktcp_trim_front(ks, skb)) {
		ktcp_drop(sk, skb, KTCP_MIB_DROP_DUPLICATE);
		return KTCP_REASM_DUPLICATE;
	}
	ktcp_queue_rcv(sk, skb);
	ktcp_ooo_drain(sk);
	return KTCP_REASM_IN_ORDER;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_reassemble);
