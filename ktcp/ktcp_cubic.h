/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CUBIC (RFC 9438): the per-connection state that lives in
 * ktcp_ca_priv(), and the arithmetic the KUnit suites check directly.
 * Windows are in bytes, times in milliseconds.
 */
#ifndef _KTCP_CUBIC_H
#define _KTCP_CUBIC_H

#include <linux/types.h>

struct sock;

/* beta_cubic = 0.7: the window kept after a congestion event */
#define KTCP_CUBIC_BETA_NUM	7
#define KTCP_CUBIC_BETA_DEN	10
/*
 * C = 0.4 segments/s^3.  With the time in ms, C * d^3 segments is
 * d^3 / 2.5e9 segments: this is that divisor.
 */
#define KTCP_CUBIC_C_INV_MS3	2500000000U
/* alpha_cubic = 3 * (1 - beta) / (1 + beta) = 9/17, RFC 9438 4.3 */
#define KTCP_CUBIC_ALPHA_NUM	9
#define KTCP_CUBIC_ALPHA_DEN	17

/* HyStart++, RFC 9406 4.3 */
#define KTCP_HYSTART_MIN_RTT_THRESH_MS	4
#define KTCP_HYSTART_MAX_RTT_THRESH_MS	16
#define KTCP_HYSTART_MIN_RTT_DIVISOR	8
#define KTCP_HYSTART_N_RTT_SAMPLE	8
#define KTCP_HYSTART_CSS_GROWTH_DIVISOR	4
#define KTCP_HYSTART_CSS_ROUNDS		5

struct ktcp_cubic {
	/* HyStart++: round trips of the first slow start, RTTs in jiffies */
	u32 round_end;		/* the round ends when this is acked */
	u32 round_min_rtt;	/* least RTT this round; U32_MAX: none */
	u32 last_round_min_rtt;	/* the previous round's */
	u32 css_baseline_rtt;	/* round_min_rtt when CSS began */
	u8 rtt_samples;		/* this round's, counted up to N_RTT_SAMPLE */
	u8 css_rounds;		/* rounds ended in CSS */
	u8 in_css;		/* Conservative Slow Start */
	u8 in_round;		/* round_end is set */
	u8 in_epoch;		/* epoch_start, k_ms and w_est are set */
	u32 w_max;		/* W_max: the window the cubic returns to */
	u32 cwnd_prior;		/* cwnd at the last congestion event */
	u32 k_ms;		/* K: time from the epoch start to W_max */
	u32 epoch_start;	/* jiffies when congestion avoidance began */
	u32 last_ack;		/* jiffies of the last window-limited ACK */
	u32 w_est;		/* W_est, the Reno-friendly window */
	u64 w_est_cnt;		/* acked bytes * 17 alpha, toward W_est's next MSS */
};

u32 ktcp_cubic_root(u64 a);
u32 ktcp_cubic_k(u32 w_max, u32 cwnd, u32 mss);
u32 ktcp_cubic_w(const struct ktcp_cubic *ca, u32 t_ms, u32 mss);
void ktcp_cubic_ack(struct sock *sk, u32 acked, u32 now);
u32 ktcp_hystart_rtt_thresh(u32 last_round_min_rtt);

#endif /* _KTCP_CUBIC_H */
