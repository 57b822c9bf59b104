// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp loss recovery: the SACK scoreboard (RFC 2018, RFC 6675), RACK and
 * the tail loss probe (RFC 8985), fast retransmit and NewReno (RFC 5681,
 * RFC 6582), recovery entry and exit.
 *
 * The scoreboard lives on the write queue's skbs: sacked, lost (counted
 * in lost_out) and rxt (resent this recovery, the copy presumed in
 * flight; counted in retrans_out).  Every ACK costs what it changes, not
 * what is queued (a peer's SACKs must not buy it O(queue) work per ACK,
 * the class of CVE-2018-5390):
 *
 *  - the write queue is indexed by sequence number (an rbtree through
 *    each skb's control block), so a SACK block is found in O(log n), and
 *    only the parts of a block the previous ACK did not carry are walked;
 *  - pipe (RFC 6675 SetPipe()) is kept as counters;
 *  - losses are marked by a scan that only moves forward (lost_scan):
 *    IsLost() of a segment only turns true as SACKs and time come, and if
 *    a segment is not lost yet, nothing sent after it is;
 *  - retransmissions resume where the last stopped (rxt_scan), and lost
 *    retransmissions are looked for by a scan of their own (rxt_lost_scan).
 *
 * The scans restart only when the scoreboard is thrown away: at an RTO,
 * when the path MTU shrinks, and when recovery ends.
 *
 * All functions here run with the socket locked.
 */
#include <linux/rbtree.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_input.h"
#include "ktcp_kunit.h"
#include "ktcp_mib.h"
#include "ktcp_output.h"
#include "ktcp_recovery.h"
#include "ktcp_timer.h"

/* A queued skb's node in the write queue's index. */
static struct rb_node *ktcp_wq_node(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct ktcp_tx_cb) > sizeof(skb->cb));
	return &((struct ktcp_tx_cb *)skb->cb)->node;
}

static struct sk_buff *ktcp_wq_skb(struct rb_node *node)
{
	struct ktcp_tx_cb *tcb;

	if (!node)
		return NULL;
	tcb = rb_entry(node, struct ktcp_tx_cb, node);
	return (struct sk_buff *)((char *)tcb - offsetof(struct sk_buff, cb));
}

/**
 * ktcp_wq_queue_tail() - append a segment to the write queue
 * @sk: locked socket
 * @skb: the segment, its sequence numbers set
 */
void ktcp_wq_queue_tail(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);
	struct rb_root *root = &ktcp_sk(sk)->wq_index;

	sock_owned_by_me(sk);

	__skb_queue_tail(&sk->sk_write_queue, skb);
	/* the tail is the rightmost node: its right child is free */
	if (tail)
		rb_link_node(ktcp_wq_node(skb), ktcp_wq_node(tail),
			     &ktcp_wq_node(tail)->rb_right);
	else
		rb_link_node(ktcp_wq_node(skb), NULL, &root->rb_node);
	rb_insert_color(ktcp_wq_node(skb), root);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_wq_queue_tail);

/**
 * ktcp_wq_queue_after() - insert a segment into the write queue
 * @sk: locked socket
 * @prev: the queued segment @skb follows
 * @skb: the segment, its sequence numbers set
 */
void ktcp_wq_queue_after(struct sock *sk, struct sk_buff *prev,
			 struct sk_buff *skb)
{
	struct rb_root *root = &ktcp_sk(sk)->wq_index;
	struct rb_node **p = &root->rb_node, *parent = NULL;
	u32 seq = KTCP_SKB_CB(skb)->seq;

	sock_owned_by_me(sk);

	__skb_queue_after(&sk->sk_write_queue, prev, skb);
	while (*p) {
		parent = *p;
		if (ktcp_seq_before(seq, KTCP_SKB_CB(ktcp_wq_skb(parent))->seq))
			p = &parent->rb_left;
		else
			p = &parent->rb_right;
	}
	rb_link_node(ktcp_wq_node(skb), parent, p);
	rb_insert_color(ktcp_wq_node(skb), root);
}

/**
 * ktcp_wq_unlink() - take a segment off the write queue
 * @sk: locked socket
 * @skb: a queued segment
 */
void ktcp_wq_unlink(struct sock *sk, struct sk_buff *skb)
{
	sock_owned_by_me(sk);

	__skb_unlink(skb, &sk->sk_write_queue);
	rb_erase(ktcp_wq_node(skb), &ktcp_sk(sk)->wq_index);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_wq_unlink);

/*
 * The queued segment that holds @seq, or else the first one after it;
 * NULL if none does.  O(log n).
 */
static struct sk_buff *ktcp_wq_find(struct sock *sk, u32 seq)
{
	struct rb_node *node = ktcp_sk(sk)->wq_index.rb_node;
	struct sk_buff *after = NULL;

	while (node) {
		struct sk_buff *skb = ktcp_wq_skb(node);
		const struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		if (!ktcp_seq_before(seq, cb->seq) &&
		    ktcp_seq_before(seq, cb->end_seq))
			return skb;
		if (ktcp_seq_before(seq, cb->seq)) {
			after = skb;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return after;
}

/* The next queued segment, or NULL. */
static struct sk_buff *ktcp_wq_next(struct sock *sk, struct sk_buff *skb)
{
	return skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL : skb->next;
}

static u32 ktcp_len(const struct ktcp_skb_cb *cb)
{
	return cb->end_seq - cb->seq;
}

/* RACK's reordering window: a quarter of the RTT, at least a jiffy. */
static u32 ktcp_rack_reo_wnd(const struct ktcp_sock *ks)
{
	return max_t(u32, ks->srtt >> 5, 1);
}

/**
 * ktcp_rack_lost() - RFC 8985 section 6.2: is a sent segment lost by time?
 * @ks: socket
 * @cb: a sent segment, not SACKed
 *
 * Lost once a segment sent more than a reordering window after it has
 * been delivered, and an RTT and that window have passed since it was
 * sent.  Where DupThresh counts SACKed segments, this needs only one, so
 * a loss probe's SACK shows the tail before it lost.
 *
 * Return: true if lost.
 */
bool ktcp_rack_lost(const struct ktcp_sock *ks, const struct ktcp_skb_cb *cb)
{
	u32 reo = ktcp_rack_reo_wnd(ks);

	return ks->rack_ok &&
	       time_after32(ks->rack_xmit, cb->xmit_stamp + reo) &&
	       !time_after32(cb->xmit_stamp + (ks->srtt >> 3) + reo,
			     (u32)jiffies);
}

/**
 * ktcp_rack_delivered() - note a segment the peer now holds
 * @ks: socket
 * @cb: a segment just SACKed or acknowledged
 *
 * Only first transmissions count: the ACK of a resent segment may be for
 * either copy (Karn).
 */
void ktcp_rack_delivered(struct ktcp_sock *ks, const struct ktcp_skb_cb *cb)
{
	if (cb->retransmitted)
		return;
	if (!ks->rack_ok || time_after32(cb->xmit_stamp, ks->rack_xmit)) {
		ks->rack_xmit = cb->xmit_stamp;
		ks->rack_ok = 1;
	}
}

/* Take a segment's lost and rxt marks off, with their counts. */
static void ktcp_unmark(struct ktcp_sock *ks, struct ktcp_skb_cb *cb)
{
	if (cb->lost) {
		cb->lost = 0;
		ks->lost_out -= ktcp_len(cb);
	}
	if (cb->rxt) {
		cb->rxt = 0;
		ks->retrans_out -= ktcp_len(cb);
	}
}

/**
 * ktcp_scoreboard_trim() - the first @len bytes of a segment are acknowledged
 * @sk: locked socket
 * @skb: the first queued segment, about to lose its front
 * @len: bytes it loses
 *
 * Its marks stay, but the counts they add to shrink with it, so that
 * they balance when it leaves the queue.
 */
void ktcp_scoreboard_trim(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (cb->sacked) {
		ks->sacked_out -= len;
		if (ktcp_seq_before(cb->seq, ks->lost_scan))
			ks->lost_scan_sacked -= len;
	}
	if (cb->lost)
		ks->lost_out -= len;
	if (cb->rxt)
		ks->retrans_out -= len;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_scoreboard_trim);

/**
 * ktcp_scoreboard_acked() - a segment leaves the write queue, acknowledged
 * @sk: locked socket
 * @skb: the first queued segment, about to be freed
 */
void ktcp_scoreboard_acked(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (cb->sacked) {
		ks->sacked_out -= ktcp_len(cb);
		if (ktcp_seq_before(cb->seq, ks->lost_scan))
			ks->lost_scan_sacked -= ktcp_len(cb);
	}
	ktcp_unmark(ks, cb);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_scoreboard_acked);

/*
 * Mark one segment that a SACK block covers whole.  A lost segment or a
 * retransmission that the peer now holds counts as neither.
 */
static void ktcp_sack_one(struct ktcp_sock *ks, struct ktcp_skb_cb *cb,
			  struct ktcp_rtt_probe *rp)
{
	cb->sacked = 1;
	ks->sacked_out += ktcp_len(cb);
	if (ktcp_seq_before(cb->seq, ks->lost_scan))
		ks->lost_scan_sacked += ktcp_len(cb);
	ktcp_unmark(ks, cb);
	ktcp_rtt_note(rp, cb);
	ktcp_rack_delivered(ks, cb);
	if (ktcp_seq_after(cb->end_seq, ks->high_sacked))
		ks->high_sacked = cb->end_seq;
}

/*
 * Mark the segments in [@from, @to) that block [@start, @end) covers
 * whole: the walk starts at the segment that holds @from.
 */
static void ktcp_sack_range(struct sock *sk, u32 from, u32 to, u32 start,
			    u32 end, struct ktcp_rtt_probe *rp)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	for (skb = ktcp_wq_find(sk, from); skb; skb = ktcp_wq_next(sk, skb)) {
		struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		if (!ktcp_seq_before(cb->seq, to) ||
		    !ktcp_seq_before(cb->seq, ks->snd_nxt))
			break;
		if (!cb->sacked && !ktcp_seq_before(cb->seq, start) &&
		    !ktcp_seq_after(cb->end_seq, end))
			ktcp_sack_one(ks, cb, rp);
	}
}

/*
 * Mark what block [@start, @end) covers, less what the blocks of the
 * previous ACK covered: those parts are marked already.  A peer repeats
 * its blocks in every ACK (RFC 2018 section 4), so each ACK walks only
 * what it newly reports.
 */
static void ktcp_sack_block(struct sock *sk, u32 start, u32 end,
			    struct ktcp_rtt_probe *rp)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 from = start;

	while (ktcp_seq_before(from, end)) {
		const struct ktcp_sack_block *first = NULL;
		unsigned int i;

		/* the cached block that starts first among those beyond @from */
		for (i = 0; i < ks->nr_sack_cache; i++) {
			const struct ktcp_sack_block *c = &ks->sack_cache[i];

			if (!ktcp_seq_after(c->end, from) ||
			    !ktcp_seq_before(c->start, end))
				continue;
			if (!first || ktcp_seq_before(c->start, first->start))
				first = c;
		}
		if (!first) {
			ktcp_sack_range(sk, from, end, start, end, rp);
			return;
		}
		if (ktcp_seq_before(from, first->start))
			ktcp_sack_range(sk, from, first->start, start, end, rp);
		from = first->end;
	}
}

/**
 * ktcp_sacktag() - RFC 2018 section 5: take the SACK blocks of an ACK
 * @sk: locked socket
 * @skb: the ACK, with parsed options
 * @rp: what the ACK delivered, for the RTT estimator
 *
 * Blocks outside what is outstanding are ignored (no D-SACK).
 */
void ktcp_sacktag(struct sock *sk, const struct sk_buff *skb,
		  struct ktcp_rtt_probe *rp)
{
	const struct ktcp_opts *opts = KTCP_SKB_OPTS(skb);
	const u8 *p = skb_transport_header(skb) + opts->sack_off;
	struct ktcp_sack_block blocks[KTCP_MAX_SACK_BLOCKS];
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned int i, n = 0;

	sock_owned_by_me(sk);

	if (!ks->sack_ok)
		return;
	if (!ks->sacked_out)
		ks->high_sacked = ks->snd_una;
	for (i = 0; i < opts->sack_nr && i < ARRAY_SIZE(blocks);
	     i++, p += KTCP_OLEN_SACK_BLOCK) {
		__be32 edge[2];
		u32 start, end;

		memcpy(edge, p, sizeof(edge));
		start = ntohl(edge[0]);
		end = ntohl(edge[1]);
		if (!ktcp_seq_after(end, start) ||
		    !ktcp_seq_after(start, ks->snd_una) ||
		    ktcp_seq_after(end, ks->snd_nxt))
			continue;
		ktcp_sack_block(sk, start, end, rp);
		blocks[n].start = start;
		blocks[n++].end = end;
	}
	memcpy(ks->sack_cache, blocks, n * sizeof(blocks[0]));
	ks->nr_sack_cache = n;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_sacktag);

/*
 * RFC 6675 IsLost(): more than DupThresh - 1 segments SACKed above, or
 * RACK's verdict.
 */
static bool ktcp_is_lost(const struct ktcp_sock *ks,
			 const struct ktcp_skb_cb *cb, u32 sacked_above)
{
	return sacked_above > 2 * ks->mss || ktcp_rack_lost(ks, cb);
}

/*
 * Mark the segments IsLost() now holds lost, from lost_scan on.  The
 * first segment that is neither SACKed nor lost ends the scan: with less
 * SACKed above it and sent later, nothing after it is lost either.
 */
static void ktcp_mark_losses(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	if (ktcp_seq_before(ks->lost_scan, ks->snd_una))
		ks->lost_scan = ks->snd_una;
	for (skb = ktcp_wq_find(sk, ks->lost_scan); skb;
	     skb = ktcp_wq_next(sk, skb)) {
		struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		if (!ktcp_seq_before(cb->seq, ks->snd_nxt))
			break;
		if (cb->sacked) {
			ks->lost_scan_sacked += ktcp_len(cb);
		} else if (!cb->lost) {
			if (!ktcp_is_lost(ks, cb, ks->sacked_out -
					  ks->lost_scan_sacked))
				break;
			cb->lost = 1;
			ks->lost_out += ktcp_len(cb);
		}
		ks->lost_scan = cb->end_seq;
	}
}

/*
 * A retransmission is lost once data first sent after it is SACKed.  As
 * RFC 6675's DupThresh for a first transmission, this presumes little
 * reordering; if wrong, it costs one more copy of the segment, not a
 * window reduction, where waiting costs a timeout and slow start.  The
 * segment is lost again: it goes back to the retransmission scan.
 * Retransmissions go out in sequence order, each sent after the one
 * before, so the scan stops at the first one not lost yet.
 */
static void ktcp_mark_lost_retransmits(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	if (ktcp_seq_before(ks->rxt_lost_scan, ks->snd_una))
		ks->rxt_lost_scan = ks->snd_una;
	for (skb = ktcp_wq_find(sk, ks->rxt_lost_scan); skb;
	     skb = ktcp_wq_next(sk, skb)) {
		struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		if (!ktcp_seq_before(cb->seq, ks->rxt_scan))
			break;
		if (cb->rxt) {
			if (!ktcp_seq_after(ks->high_sacked, cb->rxt_nxt))
				break;
			cb->rxt = 0;
			ks->retrans_out -= ktcp_len(cb);
			if (ktcp_seq_before(cb->seq, ks->rxt_scan))
				ks->rxt_scan = cb->seq;
			KTCP_INC_STATS(sock_net(sk), KTCP_MIB_LOST_RETRANSMITS);
		}
		ks->rxt_lost_scan = cb->end_seq;
	}
}

/*
 * RFC 6675 SetPipe(): the bytes still in the network.  Sent segments
 * count unless SACKed or lost; a retransmission counts again unless lost.
 */
static u32 ktcp_pipe(const struct ktcp_sock *ks)
{
	u32 out = ks->snd_nxt - ks->snd_una + ks->retrans_out;
	u32 gone = ks->sacked_out + ks->lost_out;

	return out > gone ? out - gone : 0;
}

/**
 * ktcp_prr_delivered() - note what an ACK delivered, for PRR
 * @sk: locked socket
 * @acked: bytes it acknowledged cumulatively
 * @prior_sacked: sacked_out before it was processed
 *
 * RFC 6937 DeliveredData: the change in snd_una and in SACKed bytes.
 * ktcp_sack_xmit() applies it once the ACK's losses are marked.
 */
void ktcp_prr_delivered(struct sock *sk, u32 acked, u32 prior_sacked)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	s64 newly = (s64)acked + ks->sacked_out - prior_sacked;

	sock_owned_by_me(sk);

	if (!ks->sack_recovery || newly <= 0)
		return;
	ks->prr_newly += newly;
	if (acked)
		ks->prr_una_advanced = 1;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_prr_delivered);

/*
 * RFC 6937 (as revised by draft-ietf-tcpm-prr-rfc6937bis): set cwnd so
 * that what recovery sends follows what the ACKs deliver.  While pipe is
 * above ssthresh, sending is proportional to the delivery, ssthresh per
 * RecoverFS, so that pipe comes down to ssthresh smoothly and not after
 * a silence; below it, slow start back up to ssthresh, by at most what
 * was delivered plus one segment for an ACK that moved snd_una and showed
 * no new loss.  The first call of an episode sends at least one segment:
 * the fast retransmit.
 */
static void ktcp_prr_update(struct ktcp_sock *ks, u32 pipe, bool newly_lost)
{
	s64 sndcnt;

	ks->prr_delivered += ks->prr_newly;
	if (pipe > ks->ssthresh) {
		/* rounded up to whole segments, as TCP counts them */
		sndcnt = DIV_ROUND_UP_ULL((u64)ks->prr_delivered * ks->ssthresh,
					  max(ks->prr_recover_fs, 1U));
		sndcnt = roundup(sndcnt, ks->mss) - ks->prr_out;
	} else {
		sndcnt = max_t(s64, (s64)ks->prr_delivered - ks->prr_out,
			       ks->prr_newly);
		if (ks->prr_una_advanced && !newly_lost)
			sndcnt += ks->mss;
		sndcnt = min_t(s64, sndcnt, ks->ssthresh - pipe);
	}
	if (!ks->prr_out)
		sndcnt = max_t(s64, sndcnt, ks->mss);
	ks->cwnd = pipe + max_t(s64, sndcnt, 0);
	ks->prr_newly = 0;
	ks->prr_una_advanced = 0;
	ks->prr_start = 0;
}

/**
 * ktcp_sack_xmit() - what ktcp_push() sends in SACK recovery
 * @sk: locked socket in SACK recovery
 *
 * RFC 6675 section 5 steps (C) and NextSeg(): while the window has room
 * for a segment, resend the lost ones in order, then send new data.  An
 * ACK's delivery first sets the window (PRR, ktcp_prr_update()).
 */
void ktcp_sack_xmit(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 lost = ks->lost_out, rxt = ks->retrans_out;
	struct sk_buff *skb;
	u32 pipe, nxt;

	sock_owned_by_me(sk);

	ktcp_mark_lost_retransmits(sk);
	ktcp_mark_losses(sk);
	pipe = ktcp_pipe(ks);
	if (ks->prr_newly || ks->prr_start)
		ktcp_prr_update(ks, pipe, ks->lost_out > lost ||
				ks->retrans_out < rxt);
	if (ktcp_seq_before(ks->rxt_scan, ks->snd_una))
		ks->rxt_scan = ks->snd_una;
	for (skb = ktcp_wq_find(sk, ks->rxt_scan); skb;
	     skb = ktcp_wq_next(sk, skb)) {
		struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		if (pipe + ks->mss > ks->cwnd)
			return;
		if (!ktcp_seq_before(cb->seq, ks->snd_nxt))
			break;		/* every hole resent: new data next */
		if (!cb->sacked && !cb->lost)
			break;		/* nor is anything after it lost */
		if (cb->lost && !cb->rxt) {
			if (ktcp_retransmit_skb(sk, skb))
				return;
			cb->rxt = 1;
			ks->retrans_out += ktcp_len(cb);
			ks->prr_out += ktcp_len(cb);
			pipe += ktcp_len(cb);
			/* a retransmission lost again is looked for again */
			if (ktcp_seq_before(cb->seq, ks->rxt_lost_scan))
				ks->rxt_lost_scan = cb->seq;
		}
		ks->rxt_scan = cb->end_seq;
	}
	if (pipe + ks->mss > ks->cwnd)
		return;
	nxt = ks->snd_nxt;
	ktcp_send_new(sk, ks->snd_nxt + ks->cwnd - pipe);
	ks->prr_out += ks->snd_nxt - nxt;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_sack_xmit);

/*
 * Throw the loss marks away and restart the scans at snd_una: recovery
 * ended, or what it knew no longer holds.  Costs what was marked.
 */
static void ktcp_scoreboard_reset(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (!ks->lost_out && !ks->retrans_out)
			break;
		ktcp_unmark(ks, KTCP_SKB_CB(skb));
	}
	ks->lost_scan = ks->snd_una;
	ks->lost_scan_sacked = 0;
	ks->rxt_scan = ks->snd_una;
	ks->rxt_lost_scan = ks->snd_una;
}

/**
 * ktcp_sack_forget() - turn off every SACK mark before going back N
 * @sk: locked socket
 *
 * RFC 2018 section 8: after a timeout the sender SHOULD turn off all
 * SACK marks; go-back-N resends everything the peer has not acked.
 */
void ktcp_sack_forget(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	sock_owned_by_me(sk);

	ktcp_scoreboard_reset(sk);
	ks->nr_sack_cache = 0;
	if (!ks->sacked_out)
		return;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		/* its next SACK or ACK may come long after it arrived */
		cb->sack_forgotten |= cb->sacked;
		cb->sacked = 0;
	}
	ks->sacked_out = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_sack_forget);

/**
 * ktcp_on_dupack() - a duplicate ACK: maybe fast retransmit
 * @sk: locked socket with data in flight
 *
 * Fast retransmit (RFC 5681 3.2) on the third duplicate ACK, or once
 * the SACKed data shows the first segment lost (RFC 6675 section 5).
 * With SACK the recovery follows RFC 6675, else NewReno (RFC 6582).
 */
void ktcp_on_dupack(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(head);

	sock_owned_by_me(sk);

	if (ks->in_recovery) {
		if (!ks->sack_recovery)
			ks->cwnd += ks->mss;	/* RFC 6582 3.2 step 4: inflate */
		return;
	}
	if (++ks->dupacks < 3 &&
	    !(ks->sack_ok && (ks->sacked_out > 2 * ks->mss ||
			      ktcp_rack_lost(ks, cb))))
		return;
	ks->ssthresh = ks->ca_ops->ssthresh(sk);
	ks->recover = ks->snd_max;
	ks->in_recovery = 1;
	ks->cwnd_cnt = 0;
	if (ks->tlp_armed)
		ktcp_restart_rtx(sk);	/* no probe in recovery: the RTO */
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_FASTRETRANS);
	/* SACK recovery needs the whole flight sent once: not after an RTO */
	if (ks->sack_ok && ks->snd_nxt == ks->snd_max) {
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_SACKRECOVERY);
		ks->sack_recovery = 1;
		ks->prr_recover_fs = ks->snd_max - ks->snd_una;
		ks->prr_delivered = 0;
		ks->prr_out = 0;
		ks->prr_newly = 0;
		ks->prr_una_advanced = 0;
		ks->prr_start = 1;
		/* RFC 6675 5 (4.3): the first segment is presumed lost.  The
		 * ktcp_push() after this ACK resends it whatever the pipe says
		 * (PRR's first segment), then the other holes as room opens.
		 */
		ktcp_scoreboard_reset(sk);
		if (!cb->sacked && !cb->lost) {
			cb->lost = 1;
			ks->lost_out += ktcp_len(cb);
		}
		return;
	}
	ks->cwnd = ks->ssthresh + 3 * ks->mss;
	ktcp_retransmit_head(sk);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_on_dupack);

/**
 * ktcp_recovery_ack() - a new ACK during recovery
 * @sk: locked socket in recovery
 * @ack: the new SND.UNA
 * @acked: bytes it acknowledged
 *
 * A full ACK ends recovery; a partial one goes on with it.
 */
void ktcp_recovery_ack(struct sock *sk, u32 ack, u32 acked)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (ktcp_seq_geq(ack, ks->recover)) {
		ks->in_recovery = 0;
		ks->sack_recovery = 0;
		ks->cwnd = ks->ssthresh;
		ktcp_scoreboard_reset(sk);
		return;
	}
	if (ks->sack_recovery)
		return;		/* ktcp_push() resends the next holes */
	/* NewReno partial ACK: resend the next hole and deflate, RFC 6582
	 * 3.2 step 5.
	 */
	ktcp_retransmit_head(sk);
	ks->cwnd = ks->cwnd > acked ? ks->cwnd - acked + ks->mss : ks->mss;
}

/**
 * ktcp_send_loss_probe() - RFC 8985 section 7.3: probe for a lost tail
 * @sk: locked socket with data in flight
 *
 * One new segment past cwnd if the peer's window takes it, else the last
 * segment sent again: either way the peer answers, and its SACK lets
 * RACK find what was lost before the probe, without waiting for the RTO.
 */
void ktcp_send_loss_probe(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 nxt = ks->snd_nxt;
	struct sk_buff *last;

	sock_owned_by_me(sk);

	if (ks->send_head)
		ktcp_send_new(sk, ks->snd_nxt + ks->mss);
	if (ks->snd_nxt == nxt) {
		last = ks->send_head ? ks->send_head->prev :
				       skb_peek_tail(&sk->sk_write_queue);
		if (!last || last == (struct sk_buff *)&sk->sk_write_queue ||
		    ktcp_retransmit_skb(sk, last))
			return;
	}
	ks->tlp_out = 1;
	ks->tlp_high = ks->snd_nxt;
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_LOSS_PROBES);
}
