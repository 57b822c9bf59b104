// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp connection state machine.
 *
 * ktcp_fsm_table is the single description of every state transition:
 * the input path, the socket calls and the timers report events, and
 * ktcp_fsm_event() applies the table.  scripts/gen-state-diagram reads
 * the T() lines below to produce Documentation/state-diagram.rst, and a
 * test fails when the two disagree, so keep one T() per line.
 *
 * A (state, event) pair missing from the table is a bug in the caller; it
 * is logged and refused rather than acted on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_fsm.h"
#include "ktcp_hash.h"
#include "ktcp_kunit.h"
#include "ktcp_output.h"
#include "ktcp_sock.h"
#include "ktcp_timer.h"
#include "ktcp_trace.h"

#define SYN	KTCP_A_SEND_SYN
#define FIN	KTCP_A_SEND_FIN
#define ACK	KTCP_A_SEND_ACK
#define RST	KTCP_A_SEND_RST
#define TW	KTCP_A_TIME_WAIT
#define FW2	KTCP_A_FIN_WAIT2
#define ORPH	KTCP_A_ORPHAN
#define DONE	KTCP_A_DONE
#define HASH	KTCP_A_HASH
#define NONE	0

#define T(state, event, next_state, acts) \
	[TCP_##state][KTCP_EV_##event] = { TCP_##next_state, acts }

static const struct ktcp_transition
ktcp_fsm_table[KTCP_NR_STATES][KTCP_EV_MAX] = {
	T(CLOSE,	ACTIVE_OPEN,	SYN_SENT,	SYN),
	T(CLOSE,	PASSIVE_OPEN,	LISTEN,		NONE),
	T(CLOSE,	CLOSE,		CLOSE,		NONE),
	T(CLOSE,	ABORT,		CLOSE,		NONE),
	T(CLOSE,	ORPHAN,		CLOSE,		NONE),

	T(LISTEN,	RCV_SYN,	SYN_RECV,	HASH | SYN),
	T(LISTEN,	CLOSE,		CLOSE,		DONE),
	T(LISTEN,	ABORT,		CLOSE,		DONE),

	T(SYN_SENT,	RCV_SYNACK,	ESTABLISHED,	ACK),
	T(SYN_SENT,	RCV_SYN,	SYN_RECV,	SYN),
	T(SYN_SENT,	RCV_RST,	CLOSE,		DONE),
	T(SYN_SENT,	CLOSE,		CLOSE,		DONE),
	T(SYN_SENT,	TIMEOUT,	CLOSE,		DONE),
	T(SYN_SENT,	ABORT,		CLOSE,		DONE),
	T(SYN_SENT,	ERROR,		CLOSE,		DONE),

	T(SYN_RECV,	RCV_ACK,	ESTABLISHED,	NONE),
	T(SYN_RECV,	RCV_FIN,	CLOSE_WAIT,	ACK),
	T(SYN_RECV,	CLOSE,		FIN_WAIT1,	FIN),
	T(SYN_RECV,	RCV_RST,	CLOSE,		DONE),
	T(SYN_RECV,	TIMEOUT,	CLOSE,		DONE),
	T(SYN_RECV,	ABORT,		CLOSE,		RST | DONE),
	T(SYN_RECV,	ERROR,		CLOSE,		DONE),
	/* Silently: the peer of an old embryo is most likely forged. */
	T(SYN_RECV,	EVICT,		CLOSE,		DONE),

	T(ESTABLISHED,	CLOSE,		FIN_WAIT1,	FIN),
	T(ESTABLISHED,	RCV_FIN,	CLOSE_WAIT,	ACK),
	T(ESTABLISHED,	RCV_RST,	CLOSE,		DONE),
	T(ESTABLISHED,	TIMEOUT,	CLOSE,		DONE),
	T(ESTABLISHED,	ABORT,		CLOSE,		RST | DONE),

	T(FIN_WAIT1,	RCV_ACK,	FIN_WAIT2,	FW2),
	T(FIN_WAIT1,	RCV_FIN,	CLOSING,	ACK),
	T(FIN_WAIT1,	CLOSE,		FIN_WAIT1,	NONE),
	T(FIN_WAIT1,	RCV_RST,	CLOSE,		DONE),
	T(FIN_WAIT1,	TIMEOUT,	CLOSE,		DONE),
	T(FIN_WAIT1,	ABORT,		CLOSE,		RST | DONE),
	T(FIN_WAIT1,	LATE_DATA,	CLOSE,		DONE),
	T(FIN_WAIT1,	ORPHAN,		FIN_WAIT1,	ORPH),

	T(FIN_WAIT2,	RCV_FIN,	TIME_WAIT,	ACK | TW),
	T(FIN_WAIT2,	CLOSE,		FIN_WAIT2,	NONE),
	T(FIN_WAIT2,	RCV_RST,	CLOSE,		DONE),
	T(FIN_WAIT2,	TIMEOUT,	CLOSE,		DONE),
	T(FIN_WAIT2,	ABORT,		CLOSE,		RST | DONE),
	T(FIN_WAIT2,	LATE_DATA,	CLOSE,		DONE),
	/* Nothing more to send: only a timer ends an orphan's wait. */
	T(FIN_WAIT2,	ORPHAN,		FIN_WAIT2,	FW2 | ORPH),

	T(CLOSE_WAIT,	CLOSE,		LAST_ACK,	FIN),
	T(CLOSE_WAIT,	RCV_FIN,	CLOSE_WAIT,	ACK),
	T(CLOSE_WAIT,	RCV_RST,	CLOSE,		DONE),
	T(CLOSE_WAIT,	TIMEOUT,	CLOSE,		DONE),
	T(CLOSE_WAIT,	ABORT,		CLOSE,		RST | DONE),

	T(CLOSING,	RCV_ACK,	TIME_WAIT,	TW),
	T(CLOSING,	RCV_FIN,	CLOSING,	ACK),
	T(CLOSING,	CLOSE,		CLOSING,	NONE),
	T(CLOSING,	RCV_RST,	CLOSE,		DONE),
	T(CLOSING,	TIMEOUT,	CLOSE,		DONE),
	T(CLOSING,	ABORT,		CLOSE,		RST | DONE),
	T(CLOSING,	ORPHAN,		CLOSING,	ORPH),

	T(LAST_ACK,	RCV_ACK,	CLOSE,		DONE),
	T(LAST_ACK,	RCV_FIN,	LAST_ACK,	ACK),
	T(LAST_ACK,	CLOSE,		LAST_ACK,	NONE),
	T(LAST_ACK,	RCV_RST,	CLOSE,		DONE),
	T(LAST_ACK,	TIMEOUT,	CLOSE,		DONE),
	T(LAST_ACK,	ABORT,		CLOSE,		RST | DONE),
	T(LAST_ACK,	ORPHAN,		LAST_ACK,	ORPH),

	/* RFC 1337: a RST must not cut TIME-WAIT short. */
	T(TIME_WAIT,	RCV_FIN,	TIME_WAIT,	ACK | TW),
	T(TIME_WAIT,	RCV_RST,	TIME_WAIT,	NONE),
	T(TIME_WAIT,	CLOSE,		TIME_WAIT,	NONE),
	T(TIME_WAIT,	TIMEOUT,	CLOSE,		DONE),
	/* RFC 6191: a new SYN ends it; the listener takes the SYN. */
	T(TIME_WAIT,	RCV_SYN,	CLOSE,		DONE),
	T(TIME_WAIT,	ABORT,		CLOSE,		DONE),
	T(TIME_WAIT,	ORPHAN,		TIME_WAIT,	NONE),
};

static const char *const ktcp_event_names[KTCP_EV_MAX] = {
	[KTCP_EV_ACTIVE_OPEN]	= "ACTIVE_OPEN",
	[KTCP_EV_PASSIVE_OPEN]	= "PASSIVE_OPEN",
	[KTCP_EV_CLOSE]		= "CLOSE",
	[KTCP_EV_RCV_SYN]	= "RCV_SYN",
	[KTCP_EV_RCV_SYNACK]	= "RCV_SYNACK",
	[KTCP_EV_RCV_ACK]	= "RCV_ACK",
	[KTCP_EV_RCV_FIN]	= "RCV_FIN",
	[KTCP_EV_RCV_RST]	= "RCV_RST",
	[KTCP_EV_TIMEOUT]	= "TIMEOUT",
	[KTCP_EV_ABORT]		= "ABORT",
	[KTCP_EV_ERROR]		= "ERROR",
	[KTCP_EV_EVICT]		= "EVICT",
	[KTCP_EV_ORPHAN]	= "ORPHAN",
	[KTCP_EV_LATE_DATA]	= "LATE_DATA",
};

const char *ktcp_event_name(enum ktcp_event ev)
{
	if ((unsigned int)ev >= KTCP_EV_MAX)
		return "?";
	return ktcp_event_names[ev];
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_event_name);

/**
 * ktcp_fsm_lookup() - find the transition for an event in a state
 * @state: a TCP_* state
 * @ev: the event
 *
 * Return: the transition, or NULL if the event is not valid in @state.
 */
const struct ktcp_transition *ktcp_fsm_lookup(int state, enum ktcp_event ev)
{
	const struct ktcp_transition *t;

	if (state <= 0 || state >= KTCP_NR_STATES ||
	    (unsigned int)ev >= KTCP_EV_MAX)
		return NULL;
	t = &ktcp_fsm_table[state][ev];
	return t->next ? t : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_fsm_lookup);

/**
 * ktcp_fsm_event() - apply an event to a socket
 * @sk: the socket, locked by the caller
 * @ev: what happened
 *
 * Changes sk_state as the table says, then runs the transition's actions.
 *
 * Return: 0, -EINVAL if the table has no such transition, or
 * -EADDRINUSE if a new child could not be hashed (nothing else was done).
 */
int ktcp_fsm_event(struct sock *sk, enum ktcp_event ev)
{
	const struct ktcp_transition *t = ktcp_fsm_lookup(sk->sk_state, ev);

	sock_owned_by_me(sk);

	if (!t) {
		net_warn_ratelimited("event %s invalid in state %s\n",
				     ktcp_event_name(ev),
				     ktcp_state_name(sk->sk_state));
		return -EINVAL;
	}
	if (t->next != sk->sk_state)
		ktcp_set_state(sk, t->next);
	/* Lookups find a child only once it is in its new state. */
	if ((t->actions & KTCP_A_HASH) && ktcp_hash_established(sk))
		return -EADDRINUSE;
	if (t->actions & KTCP_A_SEND_SYN)
		ktcp_send_syn(sk);
	if (t->actions & KTCP_A_SEND_FIN)
		ktcp_send_fin(sk);
	if (t->actions & KTCP_A_SEND_ACK)
		ktcp_send_ack(sk);
	if (t->actions & KTCP_A_SEND_RST)
		ktcp_send_active_reset(sk, GFP_ATOMIC);
	if (t->actions & KTCP_A_TIME_WAIT)
		ktcp_enter_time_wait(sk);
	if (t->actions & KTCP_A_FIN_WAIT2)
		ktcp_arm_fin_wait2(sk);
	if (t->actions & KTCP_A_ORPHAN)
		ktcp_orphan(sk);
	if (t->actions & KTCP_A_DONE)
		ktcp_done(sk);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_fsm_event);

/**
 * ktcp_abort() - abort a connection, resetting it if it is synchronized
 * @sk: the socket, locked by the caller
 * @reason: why, for the ktcp_reset tracepoint
 */
void ktcp_abort(struct sock *sk, enum ktcp_rst_reason reason)
{
	ktcp_sk(sk)->abort_reason = reason;
	ktcp_fsm_event(sk, KTCP_EV_ABORT);
}
