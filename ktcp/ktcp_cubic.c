// SPDX-License-Identifier: GPL-2.0
/*
 * CUBIC congestion control, RFC 9438, in integer arithmetic.
 *
 * A congestion event at window W_max leaves beta * W_max (beta = 0.7);
 * from there congestion avoidance follows the cubic
 *
 *	W_cubic(t) = C * (t - K)^3 + W_max,  K = cbrt((W_max - cwnd_epoch) / C)
 *
 * with C = 0.4 segments per s^3 and t the time since the epoch (this
 * congestion avoidance stage) began: concave up to W_max, which it
 * reaches at t = K, convex beyond.  Each ACK moves cwnd toward
 * W_cubic(t + RTT), by at most half a segment per segment acked.  Where
 * Reno would be faster (short RTTs, small windows) the window follows
 * Reno's estimate W_est instead (RFC 9438 4.3).  A loss below the
 * previous W_max lowers W_max further (fast convergence, 4.7).
 *
 * Windows are in bytes like the rest of ktcp (the RFC's segments are MSS
 * units), times in ms.  Slow start is RFC 5681's (ktcp_slow_start()),
 * and the first one, with ssthresh still infinite, is HyStart++'s (RFC
 * 9406, as Linux's CUBIC has HyStart): when a round trip's least RTT
 * grows by an eighth (4 to 16 ms) over the previous round's, a queue is
 * building, and the window grows a quarter as fast (Conservative Slow
 * Start) for five rounds, then congestion avoidance begins without a
 * loss.  A round whose RTT falls back below CSS's start was a false
 * alarm: slow start resumes.  Loss detection and recovery are
 * ktcp_input.c's, as for Reno.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_cubic.h"
#include "ktcp_kunit.h"

/* (t - K) is clamped to 35 minutes, so that its cube fits in a u64. */
#define KTCP_CUBIC_D_MAX	((1U << 21) - 1)

static_assert(sizeof(struct ktcp_cubic) <= KTCP_CA_PRIV_SIZE);

/**
 * ktcp_cubic_root() - integer cube root
 * @a: any value
 *
 * Binary long division for cube roots, one result bit per step from the
 * top: exact for every u64, no floating point, no table.
 *
 * Return: the largest x with x^3 <= @a.
 */
u32 ktcp_cubic_root(u64 a)
{
	u64 x = 0, b;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		x <<= 1;
		/* (x + 1)^3 - x^3, at this digit's weight 2^s */
		b = 3 * x * (x + 1) + 1;
		if ((a >> s) >= b) {
			a -= b << s;
			x++;
		}
	}
	return x;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cubic_root);

/**
 * ktcp_cubic_k() - K, the time the cubic takes back to W_max
 * @w_max: W_max, bytes
 * @cwnd: the window the epoch starts from, bytes
 * @mss: bytes per segment
 *
 * K = cbrt((W_max - cwnd) / C) s: (W_max - cwnd) / mss segments over
 * 0.4 segments/s^3 is (W_max - cwnd) * 2.5e9 / mss ms^3.
 *
 * Return: K in ms, rounded down; 0 when @cwnd is at or above @w_max.
 */
u32 ktcp_cubic_k(u32 w_max, u32 cwnd, u32 mss)
{
	if (cwnd >= w_max)
		return 0;
	return ktcp_cubic_root(mul_u64_u32_div(w_max - cwnd,
					       KTCP_CUBIC_C_INV_MS3,
					       max(mss, 1U)));
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cubic_k);

/**
 * ktcp_cubic_w() - W_cubic(t) = C * (t - K)^3 + W_max, RFC 9438 eq. 1
 * @ca: the epoch
 * @t_ms: time since the epoch began
 * @mss: bytes per segment
 *
 * Return: the window in bytes, rounded toward W_max, at most U32_MAX.
 */
u32 ktcp_cubic_w(const struct ktcp_cubic *ca, u32 t_ms, u32 mss)
{
	u32 d = t_ms > ca->k_ms ? t_ms - ca->k_ms : ca->k_ms - t_ms;
	u64 delta;

	d = min(d, KTCP_CUBIC_D_MAX);
	/* 0.4 * (d / 1000)^3 segments of mss bytes */
	delta = mul_u64_u32_div((u64)d * d * d, mss, KTCP_CUBIC_C_INV_MS3);
	if (t_ms < ca->k_ms)
		return delta < ca->w_max ? ca->w_max - delta : 0;
	return min_t(u64, (u64)ca->w_max + delta, U32_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cubic_w);

/**
 * ktcp_hystart_rtt_thresh() - RFC 9406 RttThresh for a round
 * @last_round_min_rtt: the previous round's least RTT, jiffies
 *
 * An eighth of the last round's RTT, clamped to 4..16 ms.  RTTs here are
 * in jiffies: a tick of rounding is not a queue, so never below two.
 *
 * Return: the increase of the round's least RTT that ends slow start.
 */
u32 ktcp_hystart_rtt_thresh(u32 last_round_min_rtt)
{
	u32 thresh = clamp_t(u32,
			     last_round_min_rtt / KTCP_HYSTART_MIN_RTT_DIVISOR,
			     msecs_to_jiffies(KTCP_HYSTART_MIN_RTT_THRESH_MS),
			     msecs_to_jiffies(KTCP_HYSTART_MAX_RTT_THRESH_MS));

	return max(thresh, 2U);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_hystart_rtt_thresh);

/* A round of HyStart++ begins; CSS's last one ends slow start. */
static void ktcp_hystart_round(struct sock *sk, struct ktcp_cubic *ca)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	if (ca->in_css &&
	    ++ca->css_rounds >= KTCP_HYSTART_CSS_ROUNDS) {
		ca->in_css = 0;
		ks->ssthresh = ks->cwnd;	/* congestion avoidance from here */
		return;
	}
	ca->round_end = ks->snd_nxt;
	ca->last_round_min_rtt = ca->round_min_rtt;
	ca->round_min_rtt = U32_MAX;
	ca->rtt_samples = 0;
}

/* RFC 9406 4.3: an RTT sample of the round; is it a queue building? */
static void ktcp_hystart_sample(struct sock *sk, struct ktcp_cubic *ca,
				u32 rtt)
{
	ca->round_min_rtt = min(ca->round_min_rtt, rtt);
	if (ca->rtt_samples < KTCP_HYSTART_N_RTT_SAMPLE)
		ca->rtt_samples++;
	if (ca->rtt_samples < KTCP_HYSTART_N_RTT_SAMPLE)
		return;
	if (ca->in_css) {
		if (ca->round_min_rtt < ca->css_baseline_rtt) {
			ca->in_css = 0;		/* a false alarm */
			ca->css_rounds = 0;
		}
		return;
	}
	if (ca->last_round_min_rtt == U32_MAX ||
	    ca->round_min_rtt < ca->last_round_min_rtt +
	    ktcp_hystart_rtt_thresh(ca->last_round_min_rtt))
		return;
	ca->in_css = 1;
	ca->css_rounds = 0;
	ca->css_baseline_rtt = ca->round_min_rtt;
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_HYSTART_DELAY);
}

/*
 * Each ACK with an RTT sample in the first slow start.  Rounds end here,
 * whether or not the window limited the sender: one that the peer's
 * window holds back must still leave CSS after its five rounds.
 */
static void ktcp_cubic_rtt_sample(struct sock *sk, u32 ack, u32 rtt)
{
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);

	if (ks->ssthresh != U32_MAX)
		return;
	if (!ca->in_round) {
		/* the first round starts with the first sample: at init a
		 * listener's child has no ISN yet
		 */
		ca->in_round = 1;
		ca->round_end = ks->snd_nxt;
	}
	ktcp_hystart_sample(sk, ca, rtt);
	if (!ktcp_seq_before(ack, ca->round_end))
		ktcp_hystart_round(sk, ca);
}

static void ktcp_cubic_init(struct sock *sk)
{
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);

	ca->round_min_rtt = U32_MAX;
	ca->last_round_min_rtt = U32_MAX;
}

/* Congestion avoidance begins: RFC 9438 4.2, 4.3, 4.8 and 4.10. */
static void ktcp_cubic_epoch_start(struct ktcp_cubic *ca, u32 cwnd, u32 mss,
				   u32 now)
{
	ca->in_epoch = 1;
	ca->epoch_start = now;
	ca->w_est = cwnd;
	ca->w_est_cnt = 0;
	if (!ca->cwnd_prior)
		ca->cwnd_prior = cwnd;
	/* No loss yet, or after an RTO: W_max is where we are and K = 0. */
	if (ca->w_max <= cwnd) {
		ca->w_max = cwnd;
		ca->k_ms = 0;
	} else {
		ca->k_ms = ktcp_cubic_k(ca->w_max, cwnd, mss);
	}
}

/*
 * RFC 9438 4.3: W_est += alpha * segments acked / cwnd, with alpha 9/17
 * until W_est reaches the window of the last congestion event, then 1 as
 * for Reno.  In bytes: one MSS per cwnd / alpha bytes acked.
 */
static void ktcp_cubic_grow_w_est(struct ktcp_cubic *ca, u32 cwnd, u32 mss,
				  u32 acked)
{
	u64 per_mss = (u64)max(cwnd, 1U) * KTCP_CUBIC_ALPHA_DEN;
	u32 alpha = ca->w_est >= ca->cwnd_prior ? KTCP_CUBIC_ALPHA_DEN :
						  KTCP_CUBIC_ALPHA_NUM;

	ca->w_est_cnt += (u64)acked * alpha;
	if (ca->w_est_cnt >= per_mss) {
		u64 steps = div64_u64(ca->w_est_cnt, per_mss);

		ca->w_est_cnt -= steps * per_mss;
		ca->w_est = min_t(u64, ca->w_est + steps * mss, U32_MAX);
	}
}

/**
 * ktcp_cubic_ack() - grow cwnd for @acked new bytes at time @now
 * @sk: locked socket, window-limited (ktcp_cong_on_ack())
 * @acked: bytes newly acknowledged
 * @now: jiffies (the KUnit suite passes its own clock)
 */
void ktcp_cubic_ack(struct sock *sk, u32 acked, u32 now)
{
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 mss = max_t(u32, ks->mss, 1);
	u32 t, target, cnt;
	u64 limit;

	if (ca->in_css) {
		/* RFC 9406 4.3: a quarter of slow start's growth */
		ks->cwnd += acked / KTCP_HYSTART_CSS_GROWTH_DIVISOR;
		return;
	}
	acked = ktcp_slow_start(sk, acked);
	if (!acked)
		return;
	if (!ca->in_epoch)
		ktcp_cubic_epoch_start(ca, ks->cwnd, mss, now);
	else if (now - ca->last_ack > max_t(u32, ks->rto, KTCP_RTO_MIN))
		/* RFC 9438 5.8: time without window-limited ACKs (idle, or
		 * limited by the application or the peer's window) is no
		 * part of t.
		 */
		ca->epoch_start += now - ca->last_ack;
	ca->last_ack = now;
	t = jiffies_to_msecs(now - ca->epoch_start);

	ktcp_cubic_grow_w_est(ca, ks->cwnd, mss, acked);
	if (ktcp_cubic_w(ca, t, mss) < ca->w_est) {
		/* Reno-friendly region: Reno would have this window by now. */
		ks->cwnd = max(ks->cwnd, ca->w_est);
		return;
	}
	/* Concave and convex regions: toward W_cubic one RTT ahead, never
	 * beyond 1.5 cwnd, never down.
	 */
	target = ktcp_cubic_w(ca, t + jiffies_to_msecs(ks->srtt >> 3), mss);
	if (target <= ks->cwnd)
		return;
	limit = (u64)ks->cwnd + ks->cwnd / 2;
	target = min_t(u64, target, limit);
	/* cwnd += (target - cwnd) / cwnd per segment: an MSS per cnt bytes */
	cnt = min_t(u64, div_u64((u64)ks->cwnd * mss, target - ks->cwnd),
		    U32_MAX);
	ktcp_cong_avoid_ai(sk, cnt, acked);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cubic_ack);

static void ktcp_cubic_cong_avoid(struct sock *sk, u32 acked)
{
	ktcp_cubic_ack(sk, acked, (u32)jiffies);
}

/*
 * A congestion event, RFC 9438 4.6 and 4.7: remember the window as
 * W_max (lowered by fast convergence when it did not regain the previous
 * W_max: another flow is taking bandwidth), keep beta of the flight.
 */
static u32 ktcp_cubic_ssthresh(struct sock *sk)
{
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 flight = ks->snd_max - ks->snd_una;

	ca->in_epoch = 0;
	ca->in_css = 0;		/* HyStart++ ends with the first loss */
	if (ks->cwnd < ca->w_max)	/* W_max = cwnd * (1 + beta) / 2 */
		ca->w_max = div_u64((u64)ks->cwnd *
				    (KTCP_CUBIC_BETA_DEN + KTCP_CUBIC_BETA_NUM),
				    2 * KTCP_CUBIC_BETA_DEN);
	else
		ca->w_max = ks->cwnd;
	ca->cwnd_prior = ks->cwnd;
	return max_t(u32, div_u64((u64)flight * KTCP_CUBIC_BETA_NUM,
				  KTCP_CUBIC_BETA_DEN), 2U * ks->mss);
}

/*
 * RFC 9438 4.8: after a timeout, slow start to ssthresh (set above), then
 * a cubic with K = 0 from wherever congestion avoidance begins.
 */
static void ktcp_cubic_on_rto(struct sock *sk)
{
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);

	ca->in_epoch = 0;
	ca->w_max = 0;
}

struct ktcp_cong_ops ktcp_cubic = {
	.name		= "cubic",
	.init		= ktcp_cubic_init,
	.rtt_sample	= ktcp_cubic_rtt_sample,
	.ssthresh	= ktcp_cubic_ssthresh,
	.cong_avoid	= ktcp_cubic_cong_avoid,
	.on_rto		= ktcp_cubic_on_rto,
};
EXPORT_SYMBOL_IF_KUNIT(ktcp_cubic);
