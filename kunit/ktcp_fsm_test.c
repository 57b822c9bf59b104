// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: properties of the state table (RFC 9293 section 3.3.2) rather
 * than a second copy of it: where each event may arrive, what each action
 * belongs to, and that every state is reachable and can end.
 */
#include <kunit/test.h>
#include <net/tcp_states.h>

#include "ktcp_fsm.h"
#include "ktcp_tests.h"

#define F(s)		TCPF_##s
#define ALL_STATES	(F(ESTABLISHED) | F(SYN_SENT) | F(SYN_RECV) | \
			 F(FIN_WAIT1) | F(FIN_WAIT2) | F(TIME_WAIT) | F(CLOSE) | \
			 F(CLOSE_WAIT) | F(LAST_ACK) | F(LISTEN) | F(CLOSING))
#define SYNCHRONIZED	(F(ESTABLISHED) | F(FIN_WAIT1) | F(FIN_WAIT2) | \
			 F(CLOSE_WAIT) | F(CLOSING) | F(LAST_ACK))

/*
 * Where each event can reach the table: the callers' side of the
 * contract.  The event must be handled in these states and refused in
 * every other.
 */
static const int valid_in[KTCP_EV_MAX] = {
	[KTCP_EV_ACTIVE_OPEN]	= F(CLOSE),
	[KTCP_EV_PASSIVE_OPEN]	= F(CLOSE),
	[KTCP_EV_CLOSE]		= ALL_STATES,	/* close() always works */
	[KTCP_EV_ABORT]		= ALL_STATES,
	/* a listener's RSTs and timers never reach its own table row */
	[KTCP_EV_RCV_RST]	= ALL_STATES & ~(F(CLOSE) | F(LISTEN)),
	[KTCP_EV_TIMEOUT]	= ALL_STATES & ~(F(CLOSE) | F(LISTEN)),
	/* RFC 6191: a new SYN may end TIME-WAIT */
	[KTCP_EV_RCV_SYN]	= F(LISTEN) | F(SYN_SENT) | F(TIME_WAIT),
	[KTCP_EV_RCV_SYNACK]	= F(SYN_SENT),
	/* an ACK that covers our SYN or our FIN */
	[KTCP_EV_RCV_ACK]	= F(SYN_RECV) | F(FIN_WAIT1) | F(CLOSING) |
				  F(LAST_ACK),
	[KTCP_EV_RCV_FIN]	= (SYNCHRONIZED | F(SYN_RECV) | F(TIME_WAIT)),
	[KTCP_EV_ERROR]		= F(SYN_SENT) | F(SYN_RECV),
	[KTCP_EV_EVICT]		= F(SYN_RECV),
	/* what close() can leave behind */
	[KTCP_EV_ORPHAN]	= F(CLOSE) | F(FIN_WAIT1) | F(FIN_WAIT2) |
				  F(CLOSING) | F(LAST_ACK) | F(TIME_WAIT),
	/* only an orphan that has not had the peer's FIN takes data */
	[KTCP_EV_LATE_DATA]	= F(FIN_WAIT1) | F(FIN_WAIT2),
};

static bool is_state(int state)
{
	return state >= TCP_ESTABLISHED && state <= TCP_CLOSING &&
	       state != TCP_NEW_SYN_RECV;
}

static void fsm_every_event_handled_or_refused(struct kunit *test)
{
	int state, ev, checked = 0;

	for (state = 1; state < KTCP_NR_STATES; state++) {
		if (!is_state(state))
			continue;
		for (ev = 0; ev < KTCP_EV_MAX; ev++) {
			bool want = valid_in[ev] & (1 << state);

			KUNIT_EXPECT_EQ_MSG(test, !!ktcp_fsm_lookup(state, ev), want,
					    "state %d event %s", state,
					    ktcp_event_name(ev));
			checked++;
		}
	}
	KUNIT_EXPECT_EQ(test, checked, 11 * KTCP_EV_MAX);
}

/*
 * Rules every transition keeps, whatever the table's size: what each
 * action belongs to, so that a new row cannot forget one or add one where
 * it does harm.
 */
static void fsm_action_rules(struct kunit *test)
{
	int state, ev;

	for (state = 1; state < KTCP_NR_STATES; state++) {
		for (ev = 0; ev < KTCP_EV_MAX; ev++) {
			const struct ktcp_transition *t = ktcp_fsm_lookup(state, ev);
			const char *name = ktcp_event_name(ev);
			bool moves;
			u16 a;

			if (!t)
				continue;
			a = t->actions;
			moves = t->next != state;
			/* released exactly when the connection ends */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_DONE),
					    t->next == TCP_CLOSE && moves,
					    "state %d event %s: DONE", state, name);
			/* entering TIME-WAIT starts 2MSL; only TIME-WAIT has it */
			if (t->next == TCP_TIME_WAIT && moves)
				KUNIT_EXPECT_TRUE_MSG(test, a & KTCP_A_TIME_WAIT,
						      "state %d event %s: TW",
						      state, name);
			if (a & KTCP_A_TIME_WAIT)
				KUNIT_EXPECT_EQ_MSG(test, t->next, TCP_TIME_WAIT,
						    "state %d event %s", state, name);
			/* every FIN taken in is acknowledged (RFC 9293 3.10.7.4) */
			if (ev == KTCP_EV_RCV_FIN)
				KUNIT_EXPECT_TRUE_MSG(test, a & KTCP_A_SEND_ACK,
						      "state %d: FIN not acked",
						      state);
			/* a SYN (SYN-ACK) opens, and only opens */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_SEND_SYN),
					    moves && (t->next == TCP_SYN_SENT ||
						      t->next == TCP_SYN_RECV),
					    "state %d event %s: SYN", state, name);
			/* a FIN goes out once, when the user first closes */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_SEND_FIN),
					    ev == KTCP_EV_CLOSE && moves &&
					    t->next != TCP_CLOSE,
					    "state %d event %s: FIN", state, name);
			/* RFC 9293 3.10.7: resets answer an abort of a
			 * connection the peer knows of, never anything else
			 */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_SEND_RST),
					    ev == KTCP_EV_ABORT &&
					    !!((SYNCHRONIZED | F(SYN_RECV)) &
					       (1 << state)),
					    "state %d event %s: RST", state, name);
			/* only a listener's child enters the connection table */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_HASH),
					    state == TCP_LISTEN &&
					    ev == KTCP_EV_RCV_SYN,
					    "state %d event %s: HASH", state, name);
			/* an orphan is counted once, while it still lives */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_ORPHAN),
					    ev == KTCP_EV_ORPHAN &&
					    state != TCP_CLOSE &&
					    state != TCP_TIME_WAIT,
					    "state %d event %s: ORPH", state, name);
			/* an orphan's FIN-WAIT-2 is bounded however it began */
			KUNIT_EXPECT_EQ_MSG(test, !!(a & KTCP_A_FIN_WAIT2),
					    t->next == TCP_FIN_WAIT2 &&
					    (moves || ev == KTCP_EV_ORPHAN),
					    "state %d event %s: FW2", state, name);
		}
	}
}

static void fsm_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, ktcp_fsm_lookup(0, KTCP_EV_CLOSE));
	KUNIT_EXPECT_NULL(test, ktcp_fsm_lookup(-1, KTCP_EV_CLOSE));
	KUNIT_EXPECT_NULL(test, ktcp_fsm_lookup(TCP_MAX_STATES, KTCP_EV_CLOSE));
	KUNIT_EXPECT_NULL(test, ktcp_fsm_lookup(TCP_ESTABLISHED, KTCP_EV_MAX));
	KUNIT_EXPECT_NULL(test, ktcp_fsm_lookup(TCP_ESTABLISHED, -1));
	KUNIT_EXPECT_NULL(test, ktcp_fsm_lookup(TCP_NEW_SYN_RECV, KTCP_EV_CLOSE));
	KUNIT_EXPECT_STREQ(test, ktcp_event_name(KTCP_EV_MAX), "?");
}

/*
 * From CLOSED every state is reachable; from every state CLOSED is, by
 * ABORT at once and without it by the protocol's own events.
 */
static void fsm_reachability(struct kunit *test)
{
	bool seen[KTCP_NR_STATES] = { [TCP_CLOSE] = true };
	bool ends[KTCP_NR_STATES] = { [TCP_CLOSE] = true };
	bool changed = true;
	int state, ev;

	while (changed) {
		changed = false;
		for (state = 1; state < KTCP_NR_STATES; state++) {
			if (!seen[state])
				continue;
			for (ev = 0; ev < KTCP_EV_MAX; ev++) {
				const struct ktcp_transition *t;

				t = ktcp_fsm_lookup(state, ev);
				if (t && !seen[t->next]) {
					seen[t->next] = true;
					changed = true;
				}
			}
		}
	}
	for (changed = true; changed; ) {
		changed = false;
		for (state = 1; state < KTCP_NR_STATES; state++) {
			for (ev = 0; ev < KTCP_EV_MAX && !ends[state]; ev++) {
				const struct ktcp_transition *t;

				t = ktcp_fsm_lookup(state, ev);
				if (t && ev != KTCP_EV_ABORT && ends[t->next]) {
					ends[state] = true;
					changed = true;
				}
			}
		}
	}
	for (state = TCP_ESTABLISHED; state <= TCP_CLOSING; state++) {
		const struct ktcp_transition *t;

		if (!is_state(state))
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, seen[state], "state %d", state);
		KUNIT_EXPECT_TRUE_MSG(test, ends[state], "state %d", state);
		t = ktcp_fsm_lookup(state, KTCP_EV_ABORT);
		KUNIT_EXPECT_NOT_NULL(test, t);
		if (t)
			KUNIT_EXPECT_EQ(test, t->next, TCP_CLOSE);
	}
}

static struct kunit_case ktcp_fsm_cases[] = {
	KUNIT_CASE(fsm_every_event_handled_or_refused),
	KUNIT_CASE(fsm_action_rules),
	KUNIT_CASE(fsm_out_of_range),
	KUNIT_CASE(fsm_reachability),
	{}
};

struct kunit_suite ktcp_fsm_suite = {
	.name = "ktcp-fsm",
	.test_cases = ktcp_fsm_cases,
};
