// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the data path's arithmetic on a bare socket structure: the
 * advertised window (scaling, never shrinking, wraparound), the
 * congestion window through slow start, congestion avoidance and losses,
 * and CUBIC's curve (RFC 9438).
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_cubic.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_output.h"
#include "ktcp_sock.h"
#include "ktcp_tests.h"

#define MSS	KTCP_TEST_MSS

/* Window */

static void window_scaled(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

static void window_never_shrinks(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

static void window_unscaled_cap(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);

	sk->sk_rcvbuf = 1 << 20;
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 65535U);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->rcv_wnd, 65535U);
	ktcp_test_sock_unlock(sk);
}

static void window_small_opening_withheld(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	/* RFC 9293 3.8.6.2.2: the window stays until it can open by an MSS */
	sk->sk_rcvbuf = 65536;
	ks->rcv_wup = 0xfffff000;		/* and the edge wraps past 2^32 */
	ks->rcv_wnd = 0x2000;
	ks->rcv_nxt = 0x100;
	atomic_set(&sk->sk_rmem_alloc, 65536 - 2 * 0xf00 - 2 * 500);
	KUNIT_EXPECT_EQ(test, ktcp_select_window(sk), 0xf00U);
	atomic_set(&sk->sk_rmem_alloc, 0);
	ktcp_test_sock_unlock(sk);
}

/*
 * Autotuning's goal: twice the window, which is twice the reader's rate
 * plus 16 segments, grown with the rate's rise (slow start) up to three
 * times.
 */
static void window_rcvbuf_goal(struct kunit *test)
{
	/* steady: 2 * (2 * 10000 + 16 * 1000) */
	KUNIT_EXPECT_EQ(test, ktcp_rcvbuf_goal(10000, 10000, MSS), 72000ULL);
	KUNIT_EXPECT_EQ(test, ktcp_rcvbuf_goal(10000, 20000, MSS), 72000ULL);
	/* up by half: the window grows by twice that, 46000 + 46000 */
	KUNIT_EXPECT_EQ(test, ktcp_rcvbuf_goal(15000, 10000, MSS), 184000ULL);
	/* doubled, the sender's slow start: 56000 tripled */
	KUNIT_EXPECT_EQ(test, ktcp_rcvbuf_goal(20000, 10000, MSS), 336000ULL);
	/* a tenfold jump counts as doubling */
	KUNIT_EXPECT_EQ(test, ktcp_rcvbuf_goal(100000, 10000, MSS),
			6ULL * 216000);
	/* 4 GiB a round trip does not overflow */
	KUNIT_EXPECT_EQ(test, ktcp_rcvbuf_goal(U32_MAX, U32_MAX, MSS),
			2 * (2ULL * U32_MAX + 16000));
}

/*
 * Under memory pressure the window offers four segments at most, but an
 * edge already advertised stays, and autotuning stops growing buffers.
 * Nothing else runs in the KUnit guest, so the flag is ours to flip.
 */
static void window_memory_pressure(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

/* Congestion window */

static void cong_slow_start(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->cwnd = 10 * MSS;
	ks->ssthresh = U32_MAX;
	ktcp_reno.cong_avoid(sk, MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 11 * MSS);
	/* all an ACK covers, as TCP (no RFC 3465 limit L = 2) */
	ktcp_reno.cong_avoid(sk, 5 * MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 16 * MSS);
	/* crossing ssthresh: the rest counts toward congestion avoidance */
	ks->cwnd = 9500;
	ks->ssthresh = 10000;
	ktcp_reno.cong_avoid(sk, 2 * MSS);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 10000U);
	KUNIT_EXPECT_EQ(test, ks->cwnd_cnt, 1500U);
	ktcp_test_sock_unlock(sk);
}

static void cong_avoidance(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

static void cong_through_losses(struct kunit *test)
{
	struct sock *sk = ktcp_test_sock(test);
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
	ktcp_test_sock_unlock(sk);
}

/* CUBIC, RFC 9438: C = 0.4 segments/s^3, beta = 0.7, MSS = 1000 bytes */

static void cubic_root_exact(struct kunit *test)
{
	static const struct {
		u64 a;
		u32 root;	/* the largest x with x^3 <= a */
	} table[] = {
		{ 0, 0 }, { 1, 1 }, { 7, 1 }, { 8, 2 }, { 26, 2 }, { 27, 3 },
		{ 63, 3 }, { 64, 4 }, { 999, 9 }, { 1000, 10 }, { 1001, 10 },
		{ 7500000000ULL, 1957 },	/* 1957^3 = 7495014493 */
		{ 27000000000ULL, 3000 },
		{ 26999999999ULL, 2999 },
		{ 999999999999999999ULL, 999999 },
		{ 1000000000000000000ULL, 1000000 },
		{ 9223358842721533951ULL, 2097151 },	/* (2^21 - 1)^3 */
		{ 1ULL << 63, 2097152 },		/* (2^21)^3 */
		{ U64_MAX, 2642245 },	/* 2642245^3 < 2^64 < 2642246^3 */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		KUNIT_EXPECT_EQ_MSG(test, ktcp_cubic_root(table[i].a),
				    table[i].root, "cbrt(%llu)", table[i].a);
}

static struct sock *cubic_sock(struct kunit *test, u32 cwnd, u32 rtt_ms)
{
	struct sock *sk = ktcp_test_sock(test);
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->ca_ops = &ktcp_cubic;
	ks->cwnd = cwnd;
	ks->ssthresh = U32_MAX;
	ks->rto = HZ;
	ks->srtt = msecs_to_jiffies(rtt_ms) << 3;
	return sk;
}

/* A congestion event with a full window in flight, as ktcp_input.c does. */
static void cubic_loss(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->snd_una = 0xfffff000;
	ks->snd_max = ks->snd_una + ks->cwnd;
	ks->ssthresh = ks->ca_ops->ssthresh(sk);
	ks->cwnd = ks->ssthresh;
	ks->cwnd_cnt = 0;
}

/* Acknowledge one window in MSS-sized ACKs at @now. */
static void cubic_ack_window(struct sock *sk, u32 now)
{
	u32 n = ktcp_sk(sk)->cwnd / MSS;

	while (n--)
		ktcp_cubic_ack(sk, MSS, now);
}

static void cubic_loss_keeps_beta(struct kunit *test)
{
	struct sock *sk = cubic_sock(test, 100 * MSS, 100);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);

	KUNIT_EXPECT_EQ(test, ktcp_cong_select(sk, "cubic"), 0);
	KUNIT_EXPECT_STREQ(test, ks->ca_ops->name, "cubic");
	/* ssthresh = cwnd = 0.7 * 100 MSS; W_max = 100 MSS (RFC 9438 4.6) */
	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 70000U);
	KUNIT_EXPECT_EQ(test, ca->w_max, 100000U);
	KUNIT_EXPECT_EQ(test, ca->cwnd_prior, 100000U);
	/* 0.7 * 10010 bytes */
	ks->cwnd = 10010;
	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 7007U);
	/* never below two segments */
	ks->cwnd = 2 * MSS;
	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 2 * MSS);
	ktcp_cong_release(sk);
	ktcp_test_sock_unlock(sk);
}

/*
 * A loss at W = 36 MSS: W_max = 36000, cwnd_epoch = 0.7 W = 25200, and
 * K = cbrt((36 - 25.2) / 0.4) = cbrt(27) = 3 s exactly.
 * W_cubic(t) = 0.4 (t - 3)^3 + 36 segments:
 *   t = 0: 36 - 10.8 = 25.2    t = 1: 36 - 3.2 = 32.8
 *   t = 2: 36 - 0.4 = 35.6     t = 3: 36
 *   t = 4: 36 + 0.4 = 36.4     t = 5: 36 + 3.2 = 39.2
 * so the steps 7.6, 2.8, 0.4 shrink (concave) and 0.4, 2.8 grow (convex).
 */
static void cubic_curve(struct kunit *test)
{
	static const u32 want[] = { 25200, 32800, 35600, 36000, 36400, 39200 };
	struct sock *sk = cubic_sock(test, 36 * MSS, 0);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ktcp_cubic_k(36000, 25200, MSS), 3000U);
	KUNIT_EXPECT_EQ(test, ktcp_cubic_k(36000, 36000, MSS), 0U);
	KUNIT_EXPECT_EQ(test, ktcp_cubic_k(36000, 40000, MSS), 0U);
	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->cwnd, 25200U);
	ktcp_cubic_ack(sk, MSS, 1000);		/* the epoch starts */
	KUNIT_ASSERT_TRUE(test, ca->in_epoch);
	KUNIT_EXPECT_EQ(test, ca->k_ms, 3000U);
	KUNIT_EXPECT_EQ(test, ca->w_max, 36000U);
	KUNIT_EXPECT_EQ(test, ca->w_est, 25200U);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_EQ_MSG(test, ktcp_cubic_w(ca, 1000 * i, MSS),
				    want[i], "W_cubic(%u s)", i);
	/* a larger MSS scales the window, not the time */
	KUNIT_EXPECT_EQ(test, ktcp_cubic_w(ca, 5000, 1500), 36000U + 4800);
	ktcp_test_sock_unlock(sk);
}

/*
 * The same loss at 36 MSS on a 500 ms RTT, where CUBIC rather than Reno
 * sets the pace (Reno's W_est gains 9/17 MSS per RTT, 3.2 MSS by t = K).
 * Each RTT a window is acked, one ACK per MSS; each ACK moves cwnd toward
 * W_cubic(t + RTT), so cwnd is at W_max, 36 MSS, when t = K = 3 s (within
 * one MSS), and never more than one MSS above W_cubic(t + RTT).  The
 * first 1.5 s gain more than the next 1.5 (concave: W_cubic(1.5) -
 * W_cubic(0) = 9.45 MSS, W_cubic(3) - W_cubic(1.5) = 1.35), the 1.5 s
 * after K less than the 1.5 after those (convex: 1.35, then 9.45).
 */
static void cubic_concave_then_convex(struct kunit *test)
{
	struct sock *sk = cubic_sock(test, 36 * MSS, 500);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 now = 1000, at[13], t;
	unsigned int i;

	cubic_loss(sk);
	for (i = 0; i < ARRAY_SIZE(at); i++, now += msecs_to_jiffies(500)) {
		cubic_ack_window(sk, now);
		at[i] = ks->cwnd;
		t = jiffies_to_msecs(now - ca->epoch_start);
		KUNIT_EXPECT_EQ(test, t, 500 * i);
		KUNIT_EXPECT_LE_MSG(test, ks->cwnd,
				    ktcp_cubic_w(ca, t + 500, MSS) + MSS,
				    "t = %u ms", t);
		KUNIT_EXPECT_GE(test, ks->cwnd, 25200U);
	}
	KUNIT_EXPECT_EQ(test, ca->k_ms, 3000U);
	/* t = K is at[6] */
	KUNIT_EXPECT_LE(test, at[6], 36000U + MSS);
	KUNIT_EXPECT_GE(test, at[6], 36000U - MSS);
	KUNIT_EXPECT_GT(test, at[3] - at[0], at[6] - at[3]);
	KUNIT_EXPECT_LT(test, at[9] - at[6], at[12] - at[9]);
	KUNIT_EXPECT_GT(test, at[12], 36000U + 9 * MSS);
	ktcp_test_sock_unlock(sk);
}

/*
 * RFC 9438 4.7: a loss at W = 72 MSS below the last W_max (100 MSS)
 * remembers W_max = W (1 + 0.7) / 2 = 61.2 MSS, not 72; cwnd = 50.4 MSS
 * and K = cbrt((61.2 - 50.4) / 0.4) = cbrt(27) = 3 s.  A loss at or
 * above W_max keeps W_max = W.
 */
static void cubic_fast_convergence(struct kunit *test)
{
	struct sock *sk = cubic_sock(test, 100 * MSS, 0);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);

	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ca->w_max, 100000U);
	ks->cwnd = 72 * MSS;
	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ca->w_max, 61200U);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 50400U);
	ktcp_cubic_ack(sk, MSS, 1000);
	KUNIT_EXPECT_EQ(test, ca->k_ms, 3000U);
	ks->cwnd = 70 * MSS;
	cubic_loss(sk);
	KUNIT_EXPECT_EQ(test, ca->w_max, 70000U);
	KUNIT_EXPECT_FALSE(test, ca->in_epoch);
	ktcp_test_sock_unlock(sk);
}

/*
 * RFC 9438 4.3 with an RTT near zero (time stands still): W_cubic(t)
 * stays at cwnd_epoch = 7000 after a loss at 10 MSS (K = cbrt(7.5) =
 * 1.957 s, W_cubic(0) = 7002 in integers), while W_est grows by
 * alpha = 3 (1 - 0.7) / (1 + 0.7) = 9/17 MSS per window acked, and by
 * 1 MSS per window once it reaches cwnd_prior = 10 MSS.  cwnd follows
 * W_est, one MSS at a time: 7 -> 8 MSS after 14 ACKs (14/7 * 9/17 =
 * 1.06 MSS), 9 MSS after 29 (+15 * 9/17 / 8), 10 after 46 (+17 * 9/17 /
 * 9), then alpha = 1: 11 MSS after 56 (+10 / 10 with 6/17 MSS left).
 */
static void cubic_reno_friendly(struct kunit *test)
{
	static const struct {
		unsigned int acks;
		u32 cwnd;
	} steps[] = {
		{ 13, 7000 }, { 14, 8000 }, { 28, 8000 }, { 29, 9000 },
		{ 45, 9000 }, { 46, 10000 }, { 55, 10000 }, { 56, 11000 },
	};
	struct sock *sk = cubic_sock(test, 10 * MSS, 0);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned int i, n = 0;

	cubic_loss(sk);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		while (n < steps[i].acks) {
			ktcp_cubic_ack(sk, MSS, 1000);
			n++;
		}
		KUNIT_EXPECT_EQ_MSG(test, ks->cwnd, steps[i].cwnd,
				    "after %u ACKs", n);
	}
	KUNIT_EXPECT_EQ(test, ca->k_ms, 1957U);
	KUNIT_EXPECT_EQ(test, ktcp_cubic_w(ca, 0, MSS), 7002U);
	KUNIT_EXPECT_EQ(test, ca->w_est, 11000U);
	ktcp_test_sock_unlock(sk);
}

/*
 * HyStart++ (RFC 9406) in the first slow start: each ACK an RTT sample of
 * @rtt jiffies and one MSS acked, the window kept full.
 */
static void hystart_acks(struct sock *sk, u32 rtt, unsigned int n)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	while (n--) {
		ktcp_cubic.rtt_sample(sk, ks->snd_una + MSS, rtt);
		ks->snd_una += MSS;
		ktcp_cubic_ack(sk, MSS, 1000);
		ks->snd_nxt = ks->snd_una + ks->cwnd;
	}
}

/* ACKs until the next round begins. */
static void hystart_round(struct sock *sk, u32 rtt)
{
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	u32 end = ca->round_end;

	while (ca->round_end == end && ktcp_sk(sk)->ssthresh == U32_MAX)
		hystart_acks(sk, rtt, 1);
}

/*
 * Two rounds at 40 ms, and a third that takes RttThresh longer, sending
 * from @una on.  The algorithm starts before the ISN is known, as a
 * listener's child does.
 */
static struct sock *hystart_delay(struct kunit *test, u32 base, u32 thresh,
				  u32 una)
{
	struct sock *sk = cubic_sock(test, 10 * MSS, 40);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned long detected;

	ktcp_cubic.init(sk);
	ks->snd_una = una;
	ks->snd_nxt = ks->snd_una + ks->cwnd;
	hystart_round(sk, base);
	hystart_round(sk, base);
	/* 7 samples are too few to judge a round by */
	detected = ktcp_mib_read(&init_net, KTCP_MIB_HYSTART_DELAY);
	hystart_acks(sk, base + thresh, KTCP_HYSTART_N_RTT_SAMPLE - 1);
	KUNIT_EXPECT_FALSE(test, ca->in_css);
	hystart_acks(sk, base + thresh, 1);
	KUNIT_EXPECT_TRUE(test, ca->in_css);
	KUNIT_EXPECT_EQ(test, ktcp_mib_read(&init_net, KTCP_MIB_HYSTART_DELAY),
			detected + 1);
	return sk;
}

/*
 * A round's least RTT RttThresh above the last one's starts Conservative
 * Slow Start: a quarter of the growth, for five rounds, then congestion
 * avoidance from that window, without a loss.
 */
static void cubic_hystart_css(struct kunit *test)
{
	u32 base = msecs_to_jiffies(40);
	u32 thresh = ktcp_hystart_rtt_thresh(base);
	struct sock *sk;
	struct ktcp_sock *ks;
	u32 cwnd;
	int i;

	KUNIT_EXPECT_EQ(test, thresh, max(msecs_to_jiffies(5), 2UL));
	KUNIT_EXPECT_EQ(test, ktcp_hystart_rtt_thresh(msecs_to_jiffies(400)),
			msecs_to_jiffies(16));
	/* one tick short of the threshold is no queue */
	sk = cubic_sock(test, 10 * MSS, 40);
	ks = ktcp_sk(sk);
	ks->snd_nxt = ks->snd_una + ks->cwnd;
	ktcp_cubic.init(sk);
	hystart_round(sk, base);
	hystart_round(sk, base + thresh - 1);
	KUNIT_EXPECT_FALSE(test, ((struct ktcp_cubic *)ktcp_ca_priv(sk))->in_css);
	ktcp_test_sock_unlock(sk);

	sk = hystart_delay(test, base, thresh, 0);
	ks = ktcp_sk(sk);
	cwnd = ks->cwnd;
	hystart_acks(sk, base + thresh, 4);
	KUNIT_EXPECT_EQ(test, ks->cwnd, cwnd + MSS);
	for (i = 0; i < KTCP_HYSTART_CSS_ROUNDS; i++) {
		KUNIT_EXPECT_EQ(test, ks->ssthresh, U32_MAX);
		hystart_round(sk, base + thresh);
	}
	KUNIT_EXPECT_EQ(test, ks->ssthresh, ks->cwnd);
	KUNIT_EXPECT_FALSE(test, ((struct ktcp_cubic *)ktcp_ca_priv(sk))->in_css);
	cwnd = ks->cwnd;
	hystart_acks(sk, base + thresh, 1);
	KUNIT_EXPECT_LT(test, ks->cwnd, cwnd + MSS);	/* avoidance */
	ktcp_test_sock_unlock(sk);
}

/* Rounds count from the first sample, whatever the ISN is. */
static void cubic_hystart_any_isn(struct kunit *test)
{
	u32 base = msecs_to_jiffies(40);
	struct sock *sk = hystart_delay(test, base,
					ktcp_hystart_rtt_thresh(base),
					0x90000000);

	ktcp_test_sock_unlock(sk);
}

/* A round back below CSS's start was a false alarm: slow start again. */
static void cubic_hystart_false_alarm(struct kunit *test)
{
	u32 base = msecs_to_jiffies(40);
	struct sock *sk = hystart_delay(test, base,
					ktcp_hystart_rtt_thresh(base), 0);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 cwnd;

	hystart_round(sk, base + ktcp_hystart_rtt_thresh(base));
	hystart_acks(sk, base, KTCP_HYSTART_N_RTT_SAMPLE);
	KUNIT_EXPECT_FALSE(test, ((struct ktcp_cubic *)ktcp_ca_priv(sk))->in_css);
	cwnd = ks->cwnd;
	hystart_acks(sk, base, 1);
	KUNIT_EXPECT_EQ(test, ks->cwnd, cwnd + MSS);
	KUNIT_EXPECT_EQ(test, ks->ssthresh, U32_MAX);
	ktcp_test_sock_unlock(sk);
}

/*
 * RFC 9438 4.8: after a timeout, slow start up to ssthresh = 0.7 W, then
 * a cubic from there with K = 0 and W_max = that window.  RFC 9438 5.8:
 * a pause in window-limited ACKs longer than an RTO is no part of t.
 */
static void cubic_timeout_and_pause(struct kunit *test)
{
	struct sock *sk = cubic_sock(test, 20 * MSS, 0);
	struct ktcp_cubic *ca = ktcp_ca_priv(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 now = 1000, t;

	ks->snd_max = ks->snd_una + ks->cwnd;
	ks->ssthresh = ktcp_cubic.ssthresh(sk);
	ks->cwnd = MSS;
	ktcp_cubic.on_rto(sk);
	KUNIT_EXPECT_EQ(test, ks->ssthresh, 14000U);
	while (ks->cwnd < ks->ssthresh)
		ktcp_cubic_ack(sk, MSS, now);
	KUNIT_EXPECT_FALSE(test, ca->in_epoch);
	ktcp_cubic_ack(sk, MSS, now);
	KUNIT_EXPECT_TRUE(test, ca->in_epoch);
	KUNIT_EXPECT_EQ(test, ca->k_ms, 0U);
	KUNIT_EXPECT_EQ(test, ca->w_max, 14000U);
	KUNIT_EXPECT_EQ(test, ca->w_est, 14000U);

	now += msecs_to_jiffies(100);
	ktcp_cubic_ack(sk, MSS, now);
	t = jiffies_to_msecs(now - ca->epoch_start);
	KUNIT_EXPECT_EQ(test, t, 100U);
	now += msecs_to_jiffies(10000);		/* idle for 10 s */
	ktcp_cubic_ack(sk, MSS, now);
	KUNIT_EXPECT_EQ(test, jiffies_to_msecs(now - ca->epoch_start), t);
	ktcp_test_sock_unlock(sk);
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
	struct sock *sk = ktcp_test_sock(test);

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
	ktcp_test_sock_unlock(sk);
}

/* net.ktcp.congestion_control takes registered names only. */
static void cong_default_name(struct kunit *test)
{
	struct ktcp_net *kn = kunit_kzalloc(test, sizeof(*kn), GFP_KERNEL);
	char name[KTCP_CA_NAME_MAX];

	KUNIT_ASSERT_NOT_NULL(test, kn);
	KUNIT_EXPECT_EQ(test, ktcp_cong_set_default(kn, "cubic"), 0);
	ktcp_cong_get_default(kn, name);
	KUNIT_EXPECT_STREQ(test, name, "cubic");
	KUNIT_EXPECT_EQ(test, ktcp_cong_set_default(kn, "no-such-cc"), -ENOENT);
	KUNIT_EXPECT_EQ(test, ktcp_cong_set_default(kn, ""), -ENOENT);
	ktcp_cong_get_default(kn, name);
	KUNIT_EXPECT_STREQ(test, name, "cubic");
	KUNIT_EXPECT_EQ(test, ktcp_cong_set_default(kn, "reno"), 0);
	ktcp_cong_get_default(kn, name);
	KUNIT_EXPECT_STREQ(test, name, "reno");
}

static struct kunit_case ktcp_window_cases[] = {
	KUNIT_CASE(window_scaled),
	KUNIT_CASE(window_never_shrinks),
	KUNIT_CASE(window_unscaled_cap),
	KUNIT_CASE(window_small_opening_withheld),
	KUNIT_CASE(window_memory_pressure),
	KUNIT_CASE(window_rcvbuf_goal),
	{}
};

struct kunit_suite ktcp_window_suite = {
	.name = "ktcp-window",
	.test_cases = ktcp_window_cases,
};

static struct kunit_case ktcp_cong_cases[] = {
	KUNIT_CASE(cong_slow_start),
	KUNIT_CASE(cong_avoidance),
	KUNIT_CASE(cong_through_losses),
	KUNIT_CASE(cong_registry),
	KUNIT_CASE(cong_default_name),
	{}
};

struct kunit_suite ktcp_cong_suite = {
	.name = "ktcp-cong",
	.test_cases = ktcp_cong_cases,
};

static struct kunit_case ktcp_cubic_cases[] = {
	KUNIT_CASE(cubic_root_exact),
	KUNIT_CASE(cubic_loss_keeps_beta),
	KUNIT_CASE(cubic_curve),
	KUNIT_CASE(cubic_concave_then_convex),
	KUNIT_CASE(cubic_fast_convergence),
	KUNIT_CASE(cubic_reno_friendly),
	KUNIT_CASE(cubic_timeout_and_pause),
	KUNIT_CASE(cubic_hystart_css),
	KUNIT_CASE(cubic_hystart_false_alarm),
	KUNIT_CASE(cubic_hystart_any_isn),
	{}
};

struct kunit_suite ktcp_cubic_suite = {
	.name = "ktcp-cubic",
	.test_cases = ktcp_cubic_cases,
};
