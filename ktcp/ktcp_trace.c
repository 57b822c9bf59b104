// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp tracing: every state change and, at the higher level, every segment
 * can be logged to dmesg as one readable line.  Sequence numbers are shown
 * relative to the initial sequence numbers, as tutorials draw them.
 *
 * The same lines are pr_debug() call sites for dynamic debug, so
 * `echo 'module ktcp +p' > /sys/kernel/debug/dynamic_debug/control` turns
 * them on without the trace setting ("func ktcp_set_state" or "func
 * ktcp_trace_segment" picks one kind).  Both share one rate limit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ratelimit.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_main.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_sysctl.h"
#include "ktcp_trace.h"

#define CREATE_TRACE_POINTS
#include "ktcp_tp.h"

/* Generous: a traced connection logs about ten lines. */
static DEFINE_RATELIMIT_STATE(ktcp_trace_rs, HZ, 200);

#if defined(CONFIG_DYNAMIC_DEBUG) || \
	(defined(CONFIG_DYNAMIC_DEBUG_CORE) && defined(DYNAMIC_DEBUG_MODULE))
#define ktcp_dd_printk(dd, fmt, ...) \
	__dynamic_pr_debug(&(dd), pr_fmt(fmt), ##__VA_ARGS__)
#else
/* Never reached: without dynamic debug only @info prints. */
#define ktcp_dd_printk(...) do { } while (0)
#endif

/* One line, by the trace setting (@info) or else by dynamic debug @dd. */
#define ktcp_trace_printk(dd, info, ...)				\
	do {								\
		if (!__ratelimit(&ktcp_trace_rs))			\
			break;						\
		if (info)						\
			pr_info(__VA_ARGS__);				\
		else							\
			ktcp_dd_printk(dd, __VA_ARGS__);		\
	} while (0)

#define KTCP_STATE_FMT "%pI4:%u>%pI4:%u %s>%s seq=%u ack=%u\n"
#define KTCP_SEGMENT_FMT \
	"%s %pI4:%u>%pI4:%u [%s] seq=%u ack=%u win=%u len=%u\n"

static const char *const ktcp_state_names[] = {
	[TCP_ESTABLISHED]	= "ESTABLISHED",
	[TCP_SYN_SENT]		= "SYN-SENT",
	[TCP_SYN_RECV]		= "SYN-RECEIVED",
	[TCP_FIN_WAIT1]		= "FIN-WAIT-1",
	[TCP_FIN_WAIT2]		= "FIN-WAIT-2",
	[TCP_TIME_WAIT]		= "TIME-WAIT",
	[TCP_CLOSE]		= "CLOSED",
	[TCP_CLOSE_WAIT]	= "CLOSE-WAIT",
	[TCP_LAST_ACK]		= "LAST-ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
};

const char *ktcp_state_name(int state)
{
	if (state <= 0 || state >= ARRAY_SIZE(ktcp_state_names) ||
	    !ktcp_state_names[state])
		return "?";
	return ktcp_state_names[state];
}

/**
 * ktcp_set_state() - change sk_state, keeping counters and trace in step
 * @sk: locked socket
 * @state: new TCP_* state
 */
void ktcp_set_state(struct sock *sk, int state)
{
	DEFINE_DYNAMIC_DEBUG_METADATA(dd, KTCP_STATE_FMT);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	int old = sk->sk_state;
	bool info;

	sock_owned_by_me(sk);

	if (state == TCP_ESTABLISHED)
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_CURRESTAB);
	else if (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT)
		if (state != TCP_CLOSE_WAIT)
			KTCP_DEC_STATS(sock_net(sk), KTCP_MIB_CURRESTAB);
	if (state == TCP_TIME_WAIT)
		atomic_inc(&ktcp_pernet(sock_net(sk))->tw_count);
	else if (old == TCP_TIME_WAIT)
		atomic_dec(&ktcp_pernet(sock_net(sk))->tw_count);
	/* In TIME-WAIT or gone, an orphan holds no data any more. */
	if (ks->orphan && (state == TCP_TIME_WAIT || state == TCP_CLOSE)) {
		ks->orphan = 0;
		atomic_long_dec(&ktcp_orphans);
	}

	inet_sk_set_state(sk, state);
	trace_ktcp_state(inet->inet_saddr, inet->inet_sport, inet->inet_daddr,
			 inet->inet_dport, old, state, ks->snd_nxt - ks->iss,
			 ks->rcv_nxt - ks->irs);

	info = ktcp_net_trace(sock_net(sk)) >= KTCP_TRACE_STATES;
	if (info || DYNAMIC_DEBUG_BRANCH(dd))
		ktcp_trace_printk(dd, info, KTCP_STATE_FMT,
				  &inet->inet_saddr, ntohs(inet->inet_sport),
				  &inet->inet_daddr, ntohs(inet->inet_dport),
				  ktcp_state_name(old), ktcp_state_name(state),
				  ks->snd_nxt - ks->iss, ks->rcv_nxt - ks->irs);
}

static void ktcp_flags_str(u8 flags, char *buf)
{
	static const char names[] = "FSRPAU";
	int i, n = 0;

	for (i = 0; i < 6; i++)
		if (flags & (1 << i))
			buf[n++] = names[i];
	if (!n)
		buf[n++] = '.';
	buf[n] = '\0';
}

/**
 * ktcp_trace_segment() - log one segment when segment tracing is on
 * @sk: socket the segment belongs to, or NULL
 * @saddr: source address
 * @daddr: destination address
 * @th: the segment's header
 * @datalen: bytes of data in the segment
 * @out: true for transmitted segments
 */
void ktcp_trace_segment(const struct sock *sk, __be32 saddr, __be32 daddr,
			const struct tcphdr *th, unsigned int datalen, bool out)
{
	DEFINE_DYNAMIC_DEBUG_METADATA(dd, KTCP_SEGMENT_FMT);
	const struct ktcp_sock *ks = sk ? ktcp_sk(sk) : NULL;
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	/* A segment without a socket is logged by init_net's setting. */
	bool info = (sk ? ktcp_net_trace(sock_net(sk)) :
			  READ_ONCE(ktcp_trace)) >= KTCP_TRACE_SEGMENTS;
	bool print = info || DYNAMIC_DEBUG_BRANCH(dd);
	char flags[8];

	if (!print && !trace_ktcp_segment_enabled())
		return;
	/* Relative to the ISNs; a SYN carries its sender's ISN itself. */
	if (ks && sk->sk_state != TCP_LISTEN) {
		if (out) {
			seq -= ks->iss;
			ack -= ks->irs;
		} else {
			seq -= th->syn ? seq : ks->irs;
			ack -= ks->iss;
		}
	}
	trace_ktcp_segment(out, saddr, th->source, daddr, th->dest,
			   ktcp_flags(th), seq, ack, ntohs(th->window), datalen);
	if (!print)
		return;
	ktcp_flags_str(ktcp_flags(th), flags);
	ktcp_trace_printk(dd, info, KTCP_SEGMENT_FMT,
			  out ? "out" : "in", &saddr, ntohs(th->source),
			  &daddr, ntohs(th->dest), flags, seq, ack,
			  ntohs(th->window), datalen);
}

/**
 * ktcp_trace_retransmit() - a segment is sent again
 * @sk: locked socket
 * @skb: the queued segment
 */
void ktcp_trace_retransmit(const struct sock *sk, const struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct ktcp_sock *ks = ktcp_sk(sk);

	trace_ktcp_retransmit(inet->inet_saddr, inet->inet_sport,
			      inet->inet_daddr, inet->inet_dport,
			      KTCP_SKB_CB(skb)->seq - ks->iss, skb->len,
			      jiffies_to_msecs(ks->rto), ks->retries);
}

/**
 * ktcp_trace_reset() - a reset was sent or taken
 * @out: true if we sent it
 * @saddr: our address
 * @sport: our port
 * @daddr: peer's address
 * @dport: peer's port
 * @reason: KTCP_RST_*: why we sent it, or KTCP_RST_PEER
 * @err: the error it gives the user, 0 when sent
 */
void ktcp_trace_reset(bool out, __be32 saddr, __be16 sport, __be32 daddr,
		      __be16 dport, int reason, int err)
{
	trace_ktcp_reset(out, saddr, sport, daddr, dport, reason, err);
}

/**
 * ktcp_trace_drop() - a segment was discarded
 * @reason: its KTCP_MIB_DROP_* counter
 */
void ktcp_trace_drop(int reason)
{
	trace_ktcp_drop(reason);
}
