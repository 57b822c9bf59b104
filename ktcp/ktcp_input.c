// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp input: RFC 9293 section 3.10.7, "SEGMENT ARRIVES", in the order
 * the RFC gives it, for a segment the family's receive handler (ktcp_ipv4.c)
 * validated and found the socket of.  Every discarded segment increments
 * one KTCP_MIB_DROP_* counter.
 */
#include <linux/ip.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_fsm.h"
#include "ktcp_input.h"
#include "ktcp_kunit.h"
#include "ktcp_listen.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_output.h"
#include "ktcp_parse.h"
#include "ktcp_reasm.h"
#include "ktcp_recovery.h"
#include "ktcp_sock.h"
#include "ktcp_timer.h"
#include "ktcp_trace.h"
#include "ktcp_urg.h"

/*
 * The kernel's name for each reason, for the skb:kfree_skb tracepoint and
 * the drop monitor; ktcp's own counter and tracepoint are more precise.
 */
static const u16 ktcp_skb_drop_reasons[KTCP_MIB_MAX] = {
	[KTCP_MIB_DROP_SHORT]		= SKB_DROP_REASON_PKT_TOO_SMALL,
	[KTCP_MIB_DROP_BAD_DOFF]	= SKB_DROP_REASON_PKT_TOO_SMALL,
	[KTCP_MIB_DROP_CSUM]		= SKB_DROP_REASON_TCP_CSUM,
	[KTCP_MIB_DROP_NOT_HOST]	= SKB_DROP_REASON_OTHERHOST,
	[KTCP_MIB_DROP_NO_SOCKET]	= SKB_DROP_REASON_NO_SOCKET,
	[KTCP_MIB_DROP_SEQ]		= SKB_DROP_REASON_TCP_INVALID_SEQUENCE,
	[KTCP_MIB_DROP_RST]		= SKB_DROP_REASON_TCP_RESET,
	[KTCP_MIB_DROP_SYN]		= SKB_DROP_REASON_TCP_INVALID_SYN,
	[KTCP_MIB_DROP_NO_ACK]		= SKB_DROP_REASON_TCP_FLAGS,
	[KTCP_MIB_DROP_BAD_ACK]		= SKB_DROP_REASON_TCP_ACK_UNSENT_DATA,
	[KTCP_MIB_DROP_BACKLOG]		= SKB_DROP_REASON_SOCKET_BACKLOG,
	[KTCP_MIB_DROP_NOMEM]		= SKB_DROP_REASON_NOMEM,
	[KTCP_MIB_DROP_RCVBUF]		= SKB_DROP_REASON_SOCKET_RCVBUFF,
	[KTCP_MIB_DROP_STATE]		= SKB_DROP_REASON_TCP_CLOSE,
	[KTCP_MIB_DROP_MEMLIMIT]	= SKB_DROP_REASON_PROTO_MEM,
	[KTCP_MIB_DROP_DUPLICATE]	= SKB_DROP_REASON_TCP_OLD_DATA,
	[KTCP_MIB_DROP_POLICY]		= SKB_DROP_REASON_XFRM_POLICY,
	[KTCP_MIB_DROP_FILTER]		= SKB_DROP_REASON_SOCKET_FILTER,
	[KTCP_MIB_DROP_OFO_PRUNED]	= SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE,
	[KTCP_MIB_DROP_PAWS]		= SKB_DROP_REASON_TCP_RFC7323_PAWS,
};

/* The kernel's drop reason for KTCP_MIB_DROP_* @reason. */
enum skb_drop_reason ktcp_skb_drop_reason(int reason)
{
	if (reason < 0 || reason >= KTCP_MIB_MAX ||
	    !ktcp_skb_drop_reasons[reason])
		return SKB_DROP_REASON_NOT_SPECIFIED;
	return ktcp_skb_drop_reasons[reason];
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_skb_drop_reason);

/**
 * ktcp_drop_net() - count, trace and free a segment that ktcp discards
 * @net: the namespace whose counter says why
 * @skb: the segment
 * @reason: the KTCP_MIB_DROP_* counter
 */
void ktcp_drop_net(struct net *net, struct sk_buff *skb, int reason)
{
	KTCP_INC_STATS(net, reason);
	ktcp_trace_drop(reason);
	kfree_skb_reason(skb, ktcp_skb_drop_reason(reason));
}

/* ktcp_drop_net() for a segment that reached @sk. */
void ktcp_drop(struct sock *sk, struct sk_buff *skb, int reason)
{
	ktcp_drop_net(sock_net(sk), skb, reason);
}

/* RFC 9293 3.10.7.4, first check: is the segment in the window? */
static bool ktcp_seq_acceptable(const struct ktcp_sock *ks,
				const struct ktcp_skb_cb *cb)
{
	u32 seglen = cb->end_seq - cb->seq;
	u32 wnd = ks->rcv_wnd - (ks->rcv_nxt - ks->rcv_wup);

	if (ktcp_seq_after(ks->rcv_nxt, ks->rcv_wup + ks->rcv_wnd))
		wnd = 0;
	if (!seglen) {
		if (!wnd)
			return cb->seq == ks->rcv_nxt;
		return ktcp_seq_geq(cb->seq, ks->rcv_nxt) &&
		       ktcp_seq_before(cb->seq, ks->rcv_nxt + wnd);
	}
	if (!wnd)
		return false;
	return (ktcp_seq_geq(cb->seq, ks->rcv_nxt) &&
		ktcp_seq_before(cb->seq, ks->rcv_nxt + wnd)) ||
	       (ktcp_seq_geq(cb->end_seq - 1, ks->rcv_nxt) &&
		ktcp_seq_before(cb->end_seq - 1, ks->rcv_nxt + wnd));
}

/*
 * Answers to segments that are not acceptable are rate limited, as TCP's
 * net.ipv4.tcp_invalid_ratelimit does: at most one per KTCP_OOW_INTERVAL
 * per connection, so that two ends that disagree about the window cannot
 * ping-pong ACKs at wire speed, and a forged segment buys at most one.
 */
#define KTCP_OOW_INTERVAL	(HZ / 2)

static bool ktcp_oow_rate_limited(struct sock *sk, enum ktcp_mib_field mib)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 now = (u32)jiffies;

	if (ks->last_oow_ack && (s32)(now - ks->last_oow_ack) >= 0 &&
	    (s32)(now - ks->last_oow_ack) < KTCP_OOW_INTERVAL) {
		KTCP_INC_STATS(sock_net(sk), mib);
		return true;
	}
	ks->last_oow_ack = now ? : 1;	/* 0: none sent yet */
	return false;
}

/* Data without SYN cannot be part of an ACK loop: always answered. */
static bool ktcp_oow_limited(struct sock *sk, const struct sk_buff *skb)
{
	const struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

	if (cb->end_seq != cb->seq && !(cb->flags & KTCP_FLAG_SYN))
		return false;
	return ktcp_oow_rate_limited(sk, KTCP_MIB_ACK_SKIPPED_SEQ);
}

/*
 * RFC 5961 section 7: challenge ACKs are limited per connection (above)
 * and, for the whole namespace, to net.ktcp.challenge_ack_limit a second.
 * A fixed global count is a side channel (CVE-2016-5696): by counting the
 * challenge ACKs it gets, an attacker learns whether another connection
 * used some of the same second's.  The count starts each second at a
 * random point between half and one and a half times the limit.
 */
static void ktcp_send_challenge_ack(struct sock *sk)
{
	struct ktcp_net *kn = ktcp_pernet(sock_net(sk));
	u32 limit = READ_ONCE(kn->challenge_ack_limit);
	u32 now = jiffies / HZ;
	u32 count;

	sock_owned_by_me(sk);

	if (ktcp_oow_rate_limited(sk, KTCP_MIB_ACK_SKIPPED_CHALLENGE))
		return;
	if (READ_ONCE(kn->challenge_stamp) != now) {
		WRITE_ONCE(kn->challenge_stamp, now);
		WRITE_ONCE(kn->challenge_count,
			   limit / 2 + get_random_u32_below(limit + 1));
	}
	count = READ_ONCE(kn->challenge_count);
	if (!count) {
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ACK_SKIPPED_CHALLENGE);
		return;
	}
	WRITE_ONCE(kn->challenge_count, count - 1);
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_CHALLENGEACKS);
	ktcp_send_ack(sk);
}

/**
 * ktcp_update_rtt() - feed one RTT sample to the estimator (RFC 6298)
 * @ks: socket
 * @rtt: measured round trip time in jiffies
 * @rto_max: the RTO's ceiling, net.ktcp.rto_max_ms in jiffies
 */
void ktcp_update_rtt(struct ktcp_sock *ks, long rtt, u32 rto_max)
{
	long m = max(rtt, 1L);

	if (!ks->srtt) {
		ks->srtt = m << 3;
		ks->rttvar = m << 1;
	} else {
		long err = m - (ks->srtt >> 3);

		ks->srtt += err;		/* SRTT += (R - SRTT) / 8 */
		if (err < 0)
			err = -err;
		err -= ks->rttvar >> 2;
		ks->rttvar += err;		/* RTTVAR += (|E| - RTTVAR) / 4 */
	}
	/* RFC 6298 2.3, with TCP's floor on the variance term rather than
	 * on the RTO: a short path's RTO stays 200 ms above its RTT, so a
	 * delayed ACK or a queue's jitter does not fire it.
	 */
	ks->rto = (ks->srtt >> 3) + max_t(u32, ks->rttvar, KTCP_RTO_MIN);
	ks->rto = min(ks->rto, rto_max);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_update_rtt);

/**
 * ktcp_rtt_note() - count a segment an ACK newly delivered
 * @rp: what the ACK delivered so far
 * @cb: the segment, acknowledged or SACKed
 *
 * Karn's rule: no sample if a retransmission is among what an ACK
 * delivered, since it may answer either copy.  Else the oldest first
 * transmission times the round trip.
 */
void ktcp_rtt_note(struct ktcp_rtt_probe *rp, const struct ktcp_skb_cb *cb)
{
	if (cb->retransmitted) {
		rp->resent = true;
	} else if (!cb->sack_forgotten) {
		if (!rp->found || time_before32(cb->xmit_stamp, rp->oldest))
			rp->oldest = cb->xmit_stamp;
		if (!rp->found || time_after32(cb->xmit_stamp, rp->newest))
			rp->newest = cb->xmit_stamp;
		rp->found = true;
	}
}

/*
 * The path's floor for tcpi_min_rtt, from every clean sample, timed from
 * the newest segment to leave the delayed ACK out.  A minimum older than
 * KTCP_MIN_RTT_WIN gives way to the next sample (TCP keeps a windowed
 * filter, whose minmax_running_min() 6.1 does not export).
 */
static void ktcp_min_rtt_update(struct ktcp_sock *ks, u32 now, u32 rtt)
{
	u32 us = max(jiffies_to_usecs(rtt), 1U);

	if (us <= ks->min_rtt ||
	    time_after32(now, ks->min_rtt_stamp + KTCP_MIN_RTT_WIN)) {
		ks->min_rtt = us;
		ks->min_rtt_stamp = now;
	}
}

/*
 * RFC 7323 4.1: the echoed timestamp times the round trip of whatever an
 * ACK of new data answers, a retransmission included, which Karn's rule
 * leaves untimed otherwise.  Return: jiffies, or -1 for no sample.
 */
static long ktcp_ts_rtt(const struct ktcp_sock *ks, const struct sk_buff *skb)
{
	const struct ktcp_opts *opts = KTCP_SKB_OPTS(skb);
	s32 delta;

	if (!ks->ts_ok || !opts->ts_ok || !opts->tsecr)
		return -1;
	delta = ktcp_ts_now(ks) - opts->tsecr;
	/* a peer's echo from the future, or of what we never sent */
	if (delta < 0 || delta > jiffies_to_msecs(KTCP_RTO_MAX))
		return -1;
	return msecs_to_jiffies(delta);
}

/*
 * Every ACK that delivers data on its first transmission gives a sample,
 * as TCP's: the oldest such segment times the round trip.  Without one,
 * the echoed timestamp @ts_rtt (-1: none) serves, as TCP prefers its own
 * clock to the peer's echo.  An echo is conservative (RFC 7323 4.3):
 * after a lost ACK it spans the whole stall, and only the samples of the
 * next round trips bring the estimate back.  The congestion control
 * sees the newest segment's RTT and the ACK, @ack.
 */
static void ktcp_rtt_sample(struct sock *sk, const struct ktcp_rtt_probe *rp,
			    long ts_rtt, u32 ack)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 now = (u32)jiffies;
	long rtt = ts_rtt;
	u32 newest;

	if (rp->found && !rp->resent) {
		newest = now - rp->newest;
		rtt = now - rp->oldest;
	} else if (ts_rtt >= 0) {
		newest = ts_rtt;
	} else {
		return;
	}
	ktcp_min_rtt_update(ks, now, newest);
	if (ks->ca_ops->rtt_sample)
		ks->ca_ops->rtt_sample(sk, ack, newest);
	ktcp_update_rtt(ks, rtt, ktcp_net_rto_max(sock_net(sk)));
}

/*
 * The peer acknowledged only the front of @skb (a segment it cut to its
 * window): drop that part, as TCP's tcp_trim_head() does, so that a
 * resend starts at snd_una.  An ICMP error quoting a resend from below
 * snd_una is out of window: a smaller path MTU would never be learnt and
 * the segment would be lost on every try.  Return: the bytes dropped.
 */
static u32 ktcp_trim_acked(struct sock *sk, struct sk_buff *skb, u32 ack)
{
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	u32 len = min(ack - cb->seq, skb->len);

	/* no memory for the fragments: resend from the old start */
	if (ktcp_trim_head(skb, len))
		return 0;
	ktcp_scoreboard_trim(sk, skb, len);
	cb->seq = ack;
	return len;
}

/* Free what the peer acknowledged; return the number of bytes acked. */
static u32 ktcp_clean_rtx_queue(struct sock *sk, u32 ack,
				struct ktcp_rtt_probe *rp)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;
	u32 acked = 0;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

		if (ktcp_seq_after(cb->end_seq, ack)) {
			if (ktcp_seq_after(ack, cb->seq))
				acked += ktcp_trim_acked(sk, skb, ack);
			break;
		}
		if (skb == ks->send_head)	/* resent after an RTO, now acked */
			ks->send_head = skb_queue_is_last(&sk->sk_write_queue,
							  skb) ? NULL : skb->next;
		if (!cb->sacked)
			ktcp_rtt_note(rp, cb);
		ktcp_scoreboard_acked(sk, skb);
		ktcp_rack_delivered(ks, cb);
		acked += skb->len;
		ktcp_wq_unlink(sk, skb);
		ktcp_wmem_free_skb(sk, skb);	/* returns whole pages at once */
	}
	return acked;
}

/*
 * Grow cwnd for @acked new bytes, only while the window is what limits
 * the sender (RFC 7661): an application that sends little must not
 * build up a window it never tested.
 */
static void ktcp_cong_on_ack(struct sock *sk, u32 acked, u32 prior_flight)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	bool limited = ks->cwnd < ks->ssthresh ?
		       2 * prior_flight >= ks->cwnd :
		       prior_flight + ks->mss >= ks->cwnd;

	if (ks->in_recovery || !limited)
		return;
	ks->ca_ops->cong_avoid(sk, acked);
}

/*
 * tcpi_delivery_rate: what was acknowledged over the last smoothed RTT or
 * more, which holds a whole window whatever limits it.  A flight that
 * starts after idle restarts the interval (ktcp_data_sent()), so that
 * time with nothing to send does not count; and, as TCP's app-limited
 * samples, one taken with nothing left to send only counts if it is
 * higher: a transfer's tail says little about the path.
 */
static void ktcp_rate_sample(struct ktcp_sock *ks)
{
	u32 now = (u32)jiffies;
	u32 interval = now - ks->rate_stamp;
	u64 rate;

	if (interval < max_t(u32, ks->srtt >> 3, 1))
		return;
	rate = div_u64((ks->bytes_acked - ks->rate_base) * HZ, interval);
	if (ks->send_head || rate > ks->delivery_rate)
		ks->delivery_rate = rate;
	ks->rate_stamp = now;
	ks->rate_base = ks->bytes_acked;
}

/*
 * A pure duplicate ACK that only reordering made older than ts_recent,
 * within an RTO of it, is no old duplicate: PAWS lets it by, as TCP's
 * tcp_disordered_ack(), so that reordered ACKs still count.
 */
static bool ktcp_disordered_ack(const struct ktcp_sock *ks,
				const struct sk_buff *skb)
{
	const struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	return th->ack && cb->seq == cb->end_seq && cb->seq == ks->rcv_nxt &&
	       cb->ack_seq == ks->snd_una &&
	       ((u32)ntohs(th->window) << ks->snd_wscale) == ks->snd_wnd &&
	       (s32)(ks->ts_recent - KTCP_SKB_OPTS(skb)->tsval) <=
	       (s32)jiffies_to_msecs(ks->rto);
}

/*
 * RFC 7323 5.3, PAWS: a segment whose TSval is older than ts_recent is a
 * duplicate from an earlier wrap of the sequence space.  As TCP: one
 * tick older is allowed, a reset passes (its sender may have lost its
 * clock), and a ts_recent idle for 24 days no longer counts (5.5).
 */
static bool ktcp_paws_reject(const struct ktcp_sock *ks,
			     const struct sk_buff *skb)
{
	const struct ktcp_opts *opts = KTCP_SKB_OPTS(skb);

	/* some stacks open with TSval 0: it must not hold later ones back */
	if (!ks->ts_ok || !opts->ts_ok || !ks->ts_recent || tcp_hdr(skb)->rst)
		return false;
	if ((s32)(ks->ts_recent - opts->tsval) <= 1)
		return false;
	if (ktime_get_seconds() >= (time64_t)ks->ts_recent_stamp +
				   KTCP_PAWS_IDLE)
		return false;
	return !ktcp_disordered_ack(ks, skb);
}

/*
 * RFC 7323 4.3: echo the TSval of the segment that last moved the left
 * edge of the window, so that the peer times what it waited for.  Only
 * from a segment whose ACK is acceptable too, as TCP: a forged segment
 * that merely lands in the window must not move ts_recent ahead, or PAWS
 * would then drop everything the real peer sends.
 */
static void ktcp_store_ts_recent(struct ktcp_sock *ks,
				 const struct sk_buff *skb)
{
	const struct ktcp_opts *opts = KTCP_SKB_OPTS(skb);

	if (ks->ts_ok && opts->ts_ok &&
	    !ktcp_seq_after(KTCP_SKB_CB(skb)->seq, ks->rcv_wup) &&
	    (s32)(opts->tsval - ks->ts_recent) >= 0) {
		ks->ts_recent = opts->tsval;
		ks->ts_recent_stamp = ktime_get_seconds();
	}
}

/*
 * RFC 9293 3.10.7.4, fifth check, for synchronized states.
 * Return: false if the segment must be dropped.
 */
static bool ktcp_ack(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 prior_flight = ks->snd_max - ks->snd_una;
	u32 prior_sacked = ks->sacked_out;
	u32 ack = cb->ack_seq;
	u32 wnd = (u32)ntohs(th->window) << ks->snd_wscale;
	struct ktcp_rtt_probe rp = {};
	u32 acked = 0;
	bool dup;

	sock_owned_by_me(sk);

	if (ktcp_seq_after(ack, ks->snd_max)) {
		if (!ktcp_oow_limited(sk, skb))
			ktcp_send_ack(sk);
		ktcp_drop(sk, skb, KTCP_MIB_DROP_BAD_ACK);
		return false;
	}
	/* RFC 5961 5.2: an ACK too far in the past is a blind attack. */
	if (ktcp_seq_before(ack, ks->snd_una - ks->max_snd_wnd)) {
		ktcp_send_challenge_ack(sk);
		ktcp_drop(sk, skb, KTCP_MIB_DROP_BAD_ACK);
		return false;
	}

	if (!ktcp_seq_before(ack, ks->snd_una))
		ktcp_store_ts_recent(ks, skb);

	dup = ack == ks->snd_una && cb->end_seq == cb->seq &&
	      wnd == ks->snd_wnd && ks->snd_una != ks->snd_max;
	if (KTCP_SKB_OPTS(skb)->sack_nr)
		ktcp_sacktag(sk, skb, &rp);
	if (ktcp_seq_after(ack, ks->snd_una))
		acked = ktcp_clean_rtx_queue(sk, ack, &rp);
	ktcp_rtt_sample(sk, &rp, ktcp_seq_after(ack, ks->snd_una) ?
			ktcp_ts_rtt(ks, skb) : -1, ack);

	if (ktcp_seq_after(ack, ks->snd_una)) {
		WRITE_ONCE(sk->sk_err_soft, 0);	/* the path works again */
		ks->snd_una = ack;
		if (ktcp_seq_before(ks->snd_nxt, ack))
			ks->snd_nxt = ack;	/* acked beyond a go-back-N restart */
		ktcp_urg_acked(ks, ack);
		ks->retries = 0;
		ks->window_probing = 0;
		ks->dupacks = 0;
		if (ks->tlp_out && ktcp_seq_geq(ack, ks->tlp_high))
			ks->tlp_out = 0;	/* the probe's episode is over */
		if (ks->in_recovery)
			ktcp_recovery_ack(sk, ack, acked);
		ktcp_cong_on_ack(sk, acked, prior_flight);
		ks->bytes_acked += acked;
		ktcp_rate_sample(ks);
		/* RFC 6298 5.2/5.3: stop, or restart for what is left */
		if (skb_queue_empty(&sk->sk_write_queue))
			sk_stop_timer(sk, &ks->rtx_timer);
		else
			ktcp_restart_rtx(sk);
		sk->sk_write_space(sk);
	} else if (dup) {
		ktcp_on_dupack(sk);
	}
	ktcp_prr_delivered(sk, acked, prior_sacked);
	if (ks->in_loss && ktcp_seq_geq(ack, ks->loss_high))
		ks->in_loss = 0;	/* what the RTO found lost is delivered */
	/* The peer answers: probing goes on while it does (RFC 1122
	 * 4.2.2.17), but an orphan's probes count until the window opens.
	 */
	if (!sock_flag(sk, SOCK_DEAD) || wnd)
		ks->probes_out = 0;

	/*
	 * Window update, RFC 9293 3.10.7.4, from in-order segments only: a
	 * segment beyond RCV.NXT would move SND.WL1 ahead of the peer, and
	 * its window would then stick until the peer's sequence caught up;
	 * a zero window stuck like that deadlocks both ends.
	 */
	if (ktcp_seq_after(cb->seq, ks->rcv_nxt) ||
	    ktcp_seq_before(ack, ks->snd_una))
		return true;
	if (ktcp_seq_before(ks->snd_wl1, cb->seq) ||
	    (ks->snd_wl1 == cb->seq && ktcp_seq_geq(ack, ks->snd_wl2))) {
		ks->snd_wnd = wnd;
		ks->snd_wl1 = cb->seq;
		ks->snd_wl2 = ack;
		ks->max_snd_wnd = max(ks->max_snd_wnd, wnd);
	}
	return true;
}

/*
 * TCP's quick-ACK mode: the next few ACKs of data go at once instead of
 * waiting for a second segment or the delayed-ACK timer, so that a
 * sender in slow start or recovery, whose window the ACKs open, is not
 * held back.  As many as half the window holds in segments of 536 bytes
 * (TCP's first guess at what the peer sends), at least 2, at most 16.
 */
#define KTCP_MAX_QUICKACKS	16

static void ktcp_incr_quickack(struct ktcp_sock *ks)
{
	u32 quick = ks->rcv_wnd / (2 * min_t(u32, ks->advmss,
					     KTCP_DEFAULT_MSS));

	quick = clamp_t(u32, quick, 2, KTCP_MAX_QUICKACKS);
	if (quick > ks->quick)
		ks->quick = quick;
}

/* Data the peer sent again: it is recovering, or our ACKs were lost. */
static void ktcp_enter_quickack(struct ktcp_sock *ks)
{
	ktcp_incr_quickack(ks);
	ks->pingpong = 0;
	ks->ato = KTCP_DELACK_TIME;
}

/*
 * In-order data came @gap jiffies after the last: adapt the delayed-ACK
 * timeout to the gaps, as TCP's tcp_event_data_recv().  The first data,
 * and data after an idle RTO, start quick-ACK mode; close data shrinks
 * the timeout, data within it moves the timeout toward the gap.
 */
static void ktcp_event_data_recv(struct ktcp_sock *ks, u32 gap)
{
	if (!ks->ato) {
		ktcp_incr_quickack(ks);
		ks->ato = KTCP_DELACK_TIME;
	} else if (gap <= KTCP_DELACK_TIME / 2) {
		ks->ato = (ks->ato >> 1) + KTCP_DELACK_TIME / 2;
	} else if (gap < ks->ato) {
		ks->ato = min((ks->ato >> 1) + gap, ks->rto);
	} else if (gap > ks->rto) {
		ktcp_incr_quickack(ks);
	}
}

/*
 * The size of the peer's full segments, as TCP's tcp_measure_rcv_mss():
 * the largest seen, from 536 bytes up to our MSS, or a smaller size that
 * came twice in a row without PSH (a peer with a small MSS).  Any other
 * shorter one was pushed: its ACK may go when the reader empties the
 * queue.
 */
static void ktcp_measure_rcv_mss(struct ktcp_sock *ks, u32 len, u8 flags)
{
	const u8 remnant = KTCP_FLAG_FIN | KTCP_FLAG_SYN | KTCP_FLAG_PSH |
			   KTCP_FLAG_URG;

	if (len >= ks->rcv_mss) {
		ks->rcv_mss = min_t(u32, len, ks->advmss);
		return;
	}
	if (len >= KTCP_DEFAULT_MSS ||
	    (len >= KTCP_MIN_RCV_MSS && !(flags & remnant))) {
		if (len == ks->last_seg_size) {
			ks->rcv_mss = len;
			return;
		}
		ks->last_seg_size = len;
	}
	ks->ack_pushed = 1;
}

/* An interactive connection's ACKs wait for the reply to carry them. */
static bool ktcp_in_quickack(const struct ktcp_sock *ks)
{
	return ks->quick && !ks->pingpong;
}

/**
 * ktcp_rcv_fin() - take an in-order FIN: RFC 9293 3.10.7.4, eighth check
 * @sk: locked socket
 */
void ktcp_rcv_fin(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	ks->rcv_nxt++;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	if (sk->sk_state == TCP_ESTABLISHED)
		ks->pingpong = 1;	/* as tcp_fin(): our FIN may follow */
	ktcp_fsm_event(sk, KTCP_EV_RCV_FIN);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/* RFC 9293 3.10.7.4, seventh and eighth checks: text and FIN. */
static void ktcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	u32 right = ks->rcv_wup + ks->rcv_wnd;
	bool had_ooo = !RB_EMPTY_ROOT(&ks->ooo_root);
	u16 segs = max_t(u16, skb_shinfo(skb)->gso_segs, 1);
	u32 gap = (u32)jiffies - ks->lrcvtime;
	int state, reason;
	u32 seglen;
	u8 flags;

	sock_owned_by_me(sk);

	__skb_pull(skb, tcp_hdr(skb)->doff * 4);
	if (cb->end_seq == cb->seq) {
		consume_skb(skb);	/* pure ACK */
		return;
	}
	/* what ktcp_measure_rcv_mss() needs, before the skb is queued */
	seglen = skb_shinfo(skb)->gso_size ? : skb->len;
	flags = cb->flags;
	/* Drop the part beyond the window we offered, FIN included. */
	if (ktcp_seq_after(cb->end_seq, right)) {
		u32 keep = right - cb->seq;

		if (keep > skb->len || pskb_trim(skb, keep)) {
			ktcp_drop(sk, skb, KTCP_MIB_DROP_SEQ);
			ktcp_send_ack(sk);
			return;
		}
		cb->end_seq = right;
		cb->flags &= ~KTCP_FLAG_FIN;
	}
	skb = ktcp_compact(skb);
	if (!skb) {
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_DROP_NOMEM);
		ktcp_trace_drop(KTCP_MIB_DROP_NOMEM);
		return;
	}
	cb = KTCP_SKB_CB(skb);
	reason = ktcp_rmem_make_room(sk, skb);
	if (reason) {
		ktcp_drop(sk, skb, reason);
		ktcp_send_ack(sk);
		return;
	}
	state = sk->sk_state;
	switch (ktcp_reassemble(sk, skb)) {
	case KTCP_REASM_IN_ORDER:
		break;
	case KTCP_REASM_DUPLICATE:
		ktcp_enter_quickack(ks);
		fallthrough;
	default:
		ktcp_send_ack(sk);	/* duplicate ACK for fast retransmit */
		return;
	}
	if (seglen) {			/* not a FIN alone */
		ktcp_event_data_recv(ks, gap);
		ktcp_measure_rcv_mss(ks, seglen, flags);
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	/* A FIN changed the state and the state machine acknowledged it. */
	if (sk->sk_state != state)
		return;
	/* RFC 1122: ACK at least every second segment; at once while the
	 * peer is recovering a hole, and in quick-ACK mode.
	 */
	ks->ack_pending = min_t(u32, ks->ack_pending + segs, U8_MAX);
	if (ks->ack_pending >= 2 || had_ooo || ktcp_in_quickack(ks))
		ktcp_send_ack(sk);
	else
		ktcp_arm_delack(sk);
}

/**
 * ktcp_reset() - the peer reset the connection
 * @sk: locked socket
 * @err: error for the user, 0 to choose by state as RFC 9293 says
 */
void ktcp_reset(struct sock *sk, int err)
{
	sock_owned_by_me(sk);

	if (!err) {
		switch (sk->sk_state) {
		case TCP_SYN_SENT:
			err = ECONNREFUSED;
			break;
		case TCP_CLOSE_WAIT:
			err = EPIPE;
			break;
		default:
			err = ECONNRESET;
		}
	}
	if (sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_CLOSE_WAIT)
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ESTABRESETS);
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ATTEMPTFAILS);
	WRITE_ONCE(sk->sk_err, err);
	ktcp_trace_reset(false, inet_sk(sk)->inet_saddr, inet_sk(sk)->inet_sport,
			 inet_sk(sk)->inet_daddr, inet_sk(sk)->inet_dport,
			 KTCP_RST_PEER, -err);
	ktcp_fsm_event(sk, KTCP_EV_RCV_RST);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

/**
 * ktcp_accept_syn() - take the peer's SYN options and sequence numbers
 * @sk: locked socket receiving the SYN
 * @skb: the validated SYN
 */
void ktcp_accept_syn(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	const struct ktcp_opts *opts = KTCP_SKB_OPTS(skb);

	sock_owned_by_me(sk);

	ks->irs = cb->seq;
	ks->rcv_nxt = cb->seq + 1;
	ks->rcv_wup = ks->rcv_nxt;
	ks->copied_seq = ks->rcv_nxt;
	ks->peer_mss = opts->mss ? opts->mss : KTCP_DEFAULT_MSS;
	ks->sack_ok &= opts->sack_ok;
	ks->ts_ok &= opts->ts_ok;
	if (ks->ts_ok) {
		ks->ts_recent = opts->tsval;
		ks->ts_recent_stamp = ktime_get_seconds();
	}
	if (opts->wscale_ok) {
		ks->wscale_ok = 1;
		ks->snd_wscale = opts->wscale;
	} else {
		ks->wscale_ok = 0;
		ks->snd_wscale = 0;
		ks->rcv_wscale = 0;
	}
	/* RFC 7323 2.2: the window of a SYN is not scaled. */
	ks->snd_wnd = ntohs(tcp_hdr(skb)->window);
	ks->max_snd_wnd = ks->snd_wnd;
	ks->snd_wl1 = cb->seq;
	ks->snd_wl2 = cb->ack_seq;
	ktcp_sync_mss(sk);
	ks->cwnd = 10 * ks->mss;	/* RFC 6928, in the MSS now agreed */
}

/*
 * RFC 6298 5.7: a handshake that gave no RTT sample (its SYN or SYN-ACK
 * was sent again, and no timestamp tells which copy was answered) leaves
 * the RTO at 3 s for the data, as TCP's TCP_TIMEOUT_FALLBACK, rather
 * than at the 1 s initial RTO or its backed-off value; never above
 * net.ktcp.rto_max_ms, which bounds every RTO.
 */
static void ktcp_handshake_rto(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	if (!ks->srtt)
		ks->rto = min_t(u32, KTCP_RTO_FALLBACK,
				ktcp_net_rto_max(sock_net(sk)));
}

/* RFC 9293 3.10.7.3: SYN-SENT. */
static int ktcp_syn_sent_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	sock_owned_by_me(sk);

	if (th->ack && (ktcp_seq_leq(cb->ack_seq, ks->iss) ||
			ktcp_seq_after(cb->ack_seq, ks->snd_nxt))) {
		if (!th->rst)
			ks->af_ops->send_reset(sock_net(sk), skb,
					       KTCP_RST_BAD_ACK);
		ktcp_drop(sk, skb, KTCP_MIB_DROP_BAD_ACK);
		return 0;
	}
	if (th->rst) {
		if (th->ack) {
			KTCP_INC_STATS(sock_net(sk), KTCP_MIB_INRSTS);
			ktcp_reset(sk, ECONNREFUSED);
			consume_skb(skb);
		} else {
			ktcp_drop(sk, skb, KTCP_MIB_DROP_RST);
		}
		return 0;
	}
	if (!th->syn) {
		ktcp_drop(sk, skb, KTCP_MIB_DROP_STATE);
		return 0;
	}

	ktcp_accept_syn(sk, skb);
	if (th->ack) {
		struct ktcp_rtt_probe rp = {};

		ktcp_clean_rtx_queue(sk, cb->ack_seq, &rp);
		ktcp_rtt_sample(sk, &rp, ktcp_ts_rtt(ks, skb), cb->ack_seq);
		ktcp_handshake_rto(sk);
		ks->snd_una = cb->ack_seq;
		ks->retries = 0;
		sk_stop_timer(sk, &ks->rtx_timer);
		ktcp_fsm_event(sk, KTCP_EV_RCV_SYNACK);
		ktcp_arm_keepalive(sk);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		ktcp_push(sk);
	} else {
		/* Simultaneous open, RFC 9293 figure 8. */
		ktcp_fsm_event(sk, KTCP_EV_RCV_SYN);
	}
	consume_skb(skb);
	return 0;
}

/* SYN-RECEIVED becomes ESTABLISHED. */
static void ktcp_syn_recv_established(struct sock *sk)
{
	ktcp_handshake_rto(sk);
	ktcp_fsm_event(sk, KTCP_EV_RCV_ACK);
	ktcp_arm_keepalive(sk);	/* set before connect(), or on the listener */
	if (ktcp_sk(sk)->child) {
		ktcp_child_established(sk);
	} else if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	}
}

/* Our FIN is acknowledged: FIN-WAIT-1, CLOSING and LAST-ACK move on. */
static void ktcp_check_fin_acked(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	if (!ks->fin_queued || ks->snd_una != ks->write_seq)
		return;
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		ktcp_fsm_event(sk, KTCP_EV_RCV_ACK);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
		break;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		ktcp_fsm_event(sk, KTCP_EV_RCV_ACK);
		break;
	}
}

/**
 * ktcp_rcv_state_process() - process one segment for a socket
 * @sk: socket, locked (softirq with !sock_owned_by_user, or backlog)
 * @skb: segment with a validated header; always consumed
 *
 * Return: 0.
 */
int ktcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	bool syn = th->syn;

	sock_owned_by_me(sk);

	ks->segs_in += max_t(u16, skb_shinfo(skb)->gso_segs, 1);
	switch (sk->sk_state) {
	case TCP_CLOSE:
		ks->af_ops->send_reset(sock_net(sk), skb, KTCP_RST_CLOSED);
		ktcp_drop(sk, skb, KTCP_MIB_DROP_STATE);
		return 0;
	case TCP_LISTEN:
		return ktcp_listen_rcv(sk, skb);
	case TCP_SYN_SENT:
		ks->rcv_tstamp = jiffies;	/* idle from the SYN-ACK on */
		return ktcp_syn_sent_rcv(sk, skb);
	}

	/* Simultaneous open: the peer's SYN-ACK acknowledges our SYN-ACK's
	 * SYN and repeats its own SYN, which we already have.
	 */
	if (sk->sk_state == TCP_SYN_RECV && !ks->child && syn && th->ack &&
	    !th->rst && cb->seq == ks->irs) {
		cb->seq++;
		syn = false;
	}

	/* RFC 7323 5.3: PAWS comes before the window check. */
	if (ktcp_paws_reject(ks, skb)) {
		if (!ktcp_oow_limited(sk, skb))
			ktcp_send_ack(sk);
		ktcp_drop(sk, skb, KTCP_MIB_DROP_PAWS);
		return 0;
	}

	/* First: sequence number. */
	if (!ktcp_seq_acceptable(ks, cb)) {
		/* RFC 5961 4.2: a SYN gets a (rate limited) challenge ACK
		 * wherever its sequence number lies.
		 */
		if (syn && !th->rst && sk->sk_state != TCP_TIME_WAIT &&
		    !(sk->sk_state == TCP_SYN_RECV && !th->ack &&
		      cb->seq == ks->irs)) {
			ktcp_send_challenge_ack(sk);
			ktcp_drop(sk, skb, KTCP_MIB_DROP_SYN);
			return 0;
		}
		if (sk->sk_state == TCP_TIME_WAIT && th->fin && !th->rst) {
			ktcp_fsm_event(sk, KTCP_EV_RCV_FIN);
		} else if (sk->sk_state == TCP_SYN_RECV && syn && !th->ack &&
			   cb->seq == ks->irs) {
			ktcp_retransmit_head(sk);	/* our SYN-ACK was lost */
		} else if (!th->rst && !ktcp_oow_limited(sk, skb)) {
			/* data resent below rcv_nxt: our ACK was lost */
			if (cb->end_seq != cb->seq &&
			    ktcp_seq_before(cb->seq, ks->rcv_nxt)) {
				ktcp_enter_quickack(ks);
				ktcp_dsack_set(sk, cb->seq,
					       ktcp_seq_min(cb->end_seq,
							    ks->rcv_nxt));
			}
			ktcp_send_ack(sk);
		}
		ktcp_drop(sk, skb, sk->sk_state == TCP_TIME_WAIT ?
			  KTCP_MIB_DROP_TIME_WAIT : KTCP_MIB_DROP_SEQ);
		return 0;
	}
	/* The peer is there; an off-path sender cannot say so. */
	ks->rcv_tstamp = jiffies;
	ks->keepalive_sent = 0;

	/* Second: RST, with RFC 5961 3.2 blind reset protection. */
	if (th->rst) {
		if (cb->seq != ks->rcv_nxt) {
			ktcp_send_challenge_ack(sk);
			ktcp_drop(sk, skb, KTCP_MIB_DROP_RST);
			return 0;
		}
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_INRSTS);
		ktcp_reset(sk, 0);
		consume_skb(skb);
		return 0;
	}

	/* Fourth: a SYN in a synchronized state, RFC 5961 4.2. */
	if (syn) {
		ktcp_send_challenge_ack(sk);
		ktcp_drop(sk, skb, KTCP_MIB_DROP_SYN);
		return 0;
	}

	/* Fifth: ACK. */
	if (!th->ack) {
		ktcp_drop(sk, skb, KTCP_MIB_DROP_NO_ACK);
		return 0;
	}
	if (sk->sk_state == TCP_SYN_RECV) {
		if (!ktcp_seq_after(cb->ack_seq, ks->snd_una) ||
		    ktcp_seq_after(cb->ack_seq, ks->snd_nxt)) {
			ks->af_ops->send_reset(sock_net(sk), skb,
					       KTCP_RST_BAD_ACK);
			ktcp_drop(sk, skb, KTCP_MIB_DROP_BAD_ACK);
			return 0;
		}
		/* TCP_DEFER_ACCEPT: a listener's child waits past a bare
		 * ACK for data until as many SYN-ACKs went again as the
		 * option asked, as tcp_check_req() does; accept() sees
		 * nothing till then.
		 */
		if (ks->child && cb->end_seq == cb->seq &&
		    ks->retries < ks->cfg.defer_accept) {
			ks->defer_acked = 1;
			KTCP_INC_STATS(sock_net(sk), KTCP_MIB_DEFER_ACCEPT_HELD);
			consume_skb(skb);
			return 0;
		}
		/* The handshake's ACK carries the first scaled window. */
		ks->snd_wl1 = cb->seq - 1;
		ktcp_syn_recv_established(sk);
	}
	if (!ktcp_ack(sk, skb))
		return 0;
	ktcp_check_fin_acked(sk);
	if (sk->sk_state == TCP_CLOSE) {
		consume_skb(skb);	/* the ACK of our FIN */
		return 0;
	}

	/* Sixth (URG, below), seventh and eighth: text and FIN. */
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		/* RFC 1122 4.2.2.13: new data after close() is lost: reset.
		 * As TCP, the reset answers the segment (SEQ = SEG.ACK, RFC
		 * 9293 3.10.7.1), and the connection ends without another.
		 */
		if (sock_flag(sk, SOCK_DEAD) &&
		    ktcp_seq_after(cb->end_seq - th->fin, ks->rcv_nxt)) {
			ks->af_ops->send_reset(sock_net(sk), skb,
					       KTCP_RST_UNREAD_DATA);
			ktcp_fsm_event(sk, KTCP_EV_LATE_DATA);
			kfree_skb(skb);
			return 0;
		}
		fallthrough;
	case TCP_ESTABLISHED:
		/* Sixth: URG, for the states that take data. */
		if (th->urg || ks->urg_data == KTCP_URG_NOTYET)
			ktcp_urg_rcv(sk, skb);
		ktcp_data_queue(sk, skb);
		break;
	default:
		/* A FIN was received already; only a repeat can come. */
		if (th->fin && cb->end_seq == ks->rcv_nxt)
			ktcp_fsm_event(sk, KTCP_EV_RCV_FIN);
		consume_skb(skb);	/* its ACK is taken */
	}
	ktcp_push(sk);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_rcv_state_process);

/**
 * ktcp_backlog_rcv() - process a segment deferred while a process held
 *                      the socket (proto->backlog_rcv)
 * @sk: socket owned by the caller
 * @skb: segment
 *
 * Return: 0.
 */
int ktcp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	return ktcp_rcv_state_process(sk, skb);
}

/*
 * Parse the options of a checked segment and fill its control block.
 * Return: 0, or KTCP_MIB_DROP_BAD_OPTION.
 */
int ktcp_fill_cb(struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	unsigned int doff = th->doff * 4;
	struct ktcp_skb_cb *cb;
	struct ktcp_opts opts;

	if (ktcp_parse_options((u8 *)(th + 1), doff - sizeof(*th), &opts))
		return KTCP_MIB_DROP_BAD_OPTION;
	BUILD_BUG_ON(sizeof(struct ktcp_skb_cb) + sizeof(struct ktcp_opts) >
		     sizeof(skb->cb));
	cb = KTCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + th->syn + th->fin + skb->len - doff;
	cb->ack_seq = ntohl(th->ack_seq);
	cb->flags = ktcp_flags(th);
	*KTCP_SKB_OPTS(skb) = opts;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_fill_cb);

/*
 * Bytes the backlog may hold while the owner has the socket: what the
 * receive queue takes (twice sk_rcvbuf, see ktcp_data_queue()), room for
 * ACKs of half the send buffer, and one 64 KiB skb more, as TCP's
 * tcp_add_backlog() allows.
 */
u32 ktcp_backlog_limit(const struct sock *sk)
{
	return 2 * (u32)READ_ONCE(sk->sk_rcvbuf) +
	       (u32)READ_ONCE(sk->sk_sndbuf) / 2 + SZ_64K;
}

/**
 * ktcp_open_error() - an ICMP error ends a connection still opening
 * @sk: locked socket (softirq, or its owner releasing it); sk_err_soft
 *      holds the error
 */
void ktcp_open_error(struct sock *sk)
{
	int err = READ_ONCE(sk->sk_err_soft);

	sock_owned_by_me(sk);
	if (!err || !((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)))
		return;
	WRITE_ONCE(sk->sk_err, err);
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ATTEMPTFAILS);
	ktcp_fsm_event(sk, KTCP_EV_ERROR);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}
