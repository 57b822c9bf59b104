// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the state table against RFC 9293 section 3.3.2, written out
 * here independently, for every state x event pair.
 */
#include <kunit/test.h>
#include <net/tcp_states.h>

#include "ktcp_fsm.h"
#include "ktcp_tests.h"

struct expect {
	int state;
	enum ktcp_event ev;
	int next;		/* 0: the event is invalid in this state */
	u8 must;		/* actions that must be present */
};

#define E(s, e, n, a) { TCP_##s, KTCP_EV_##e, n, a }
#define CL TCP_CLOSE

/* Only pairs listed here are valid; every other pair must be refused. */
static const struct expect rfc[] = {
	E(CLOSE, ACTIVE_OPEN, TCP_SYN_SENT, KTCP_A_SEND_SYN),
	E(CLOSE, PASSIVE_OPEN, TCP_LISTEN, 0),
	E(CLOSE, CLOSE, CL, 0),
	E(CLOSE, ABORT, CL, 0),
	E(LISTEN, RCV_SYN, TCP_SYN_RECV, KTCP_A_HASH | KTCP_A_SEND_SYN),
	E(LISTEN, CLOSE, CL, KTCP_A_DONE),
	E(LISTEN, ABORT, CL, KTCP_A_DONE),
	E(SYN_SENT, RCV_SYNACK, TCP_ESTABLISHED, KTCP_A_SEND_ACK),
	E(SYN_SENT, RCV_SYN, TCP_SYN_RECV, KTCP_A_SEND_SYN),
	E(SYN_SENT, RCV_RST, CL, KTCP_A_DONE),
	E(SYN_SENT, CLOSE, CL, KTCP_A_DONE),
	E(SYN_SENT, TIMEOUT, CL, KTCP_A_DONE),
	E(SYN_SENT, ABORT, CL, KTCP_A_DONE),
	E(SYN_SENT, ERROR, CL, KTCP_A_DONE),
	E(SYN_RECV, RCV_ACK, TCP_ESTABLISHED, 0),
	E(SYN_RECV, RCV_FIN, TCP_CLOSE_WAIT, KTCP_A_SEND_ACK),
	E(SYN_RECV, CLOSE, TCP_FIN_WAIT1, KTCP_A_SEND_FIN),
	E(SYN_RECV, RCV_RST, CL, KTCP_A_DONE),
	E(SYN_RECV, TIMEOUT, CL, KTCP_A_DONE),
	E(SYN_RECV, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(SYN_RECV, ERROR, CL, KTCP_A_DONE),
	E(ESTABLISHED, CLOSE, TCP_FIN_WAIT1, KTCP_A_SEND_FIN),
	E(ESTABLISHED, RCV_FIN, TCP_CLOSE_WAIT, KTCP_A_SEND_ACK),
	E(ESTABLISHED, RCV_RST, CL, KTCP_A_DONE),
	E(ESTABLISHED, TIMEOUT, CL, KTCP_A_DONE),
	E(ESTABLISHED, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(FIN_WAIT1, RCV_ACK, TCP_FIN_WAIT2, 0),
	E(FIN_WAIT1, RCV_FIN, TCP_CLOSING, KTCP_A_SEND_ACK),
	E(FIN_WAIT1, CLOSE, TCP_FIN_WAIT1, 0),
	E(FIN_WAIT1, RCV_RST, CL, KTCP_A_DONE),
	E(FIN_WAIT1, TIMEOUT, CL, KTCP_A_DONE),
	E(FIN_WAIT1, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(FIN_WAIT2, RCV_FIN, TCP_TIME_WAIT, KTCP_A_SEND_ACK | KTCP_A_TIME_WAIT),
	E(FIN_WAIT2, CLOSE, TCP_FIN_WAIT2, 0),
	E(FIN_WAIT2, RCV_RST, CL, KTCP_A_DONE),
	E(FIN_WAIT2, TIMEOUT, CL, KTCP_A_DONE),
	E(FIN_WAIT2, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(CLOSE_WAIT, CLOSE, TCP_LAST_ACK, KTCP_A_SEND_FIN),
	E(CLOSE_WAIT, RCV_FIN, TCP_CLOSE_WAIT, KTCP_A_SEND_ACK),
	E(CLOSE_WAIT, RCV_RST, CL, KTCP_A_DONE),
	E(CLOSE_WAIT, TIMEOUT, CL, KTCP_A_DONE),
	E(CLOSE_WAIT, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(CLOSING, RCV_ACK, TCP_TIME_WAIT, KTCP_A_TIME_WAIT),
	E(CLOSING, RCV_FIN, TCP_CLOSING, KTCP_A_SEND_ACK),
	E(CLOSING, CLOSE, TCP_CLOSING, 0),
	E(CLOSING, RCV_RST, CL, KTCP_A_DONE),
	E(CLOSING, TIMEOUT, CL, KTCP_A_DONE),
	E(CLOSING, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(LAST_ACK, RCV_ACK, CL, KTCP_A_DONE),
	E(LAST_ACK, RCV_FIN, TCP_LAST_ACK, KTCP_A_SEND_ACK),
	E(LAST_ACK, CLOSE, TCP_LAST_ACK, 0),
	E(LAST_ACK, RCV_RST, CL, KTCP_A_DONE),
	E(LAST_ACK, TIMEOUT, CL, KTCP_A_DONE),
	E(LAST_ACK, ABORT, CL, KTCP_A_SEND_RST | KTCP_A_DONE),
	E(TIME_WAIT, RCV_FIN, TCP_TIME_WAIT, KTCP_A_SEND_ACK | KTCP_A_TIME_WAIT),
	E(TIME_WAIT, RCV_RST, TCP_TIME_WAIT, 0),
	E(TIME_WAIT, CLOSE, TCP_TIME_WAIT, 0),
	E(TIME_WAIT, TIMEOUT, CL, KTCP_A_DONE),
	E(TIME_WAIT, ABORT, CL, KTCP_A_DONE),
	E(TIME_WAIT, RCV_SYN, CL, KTCP_A_DONE),
};

static const struct expect *find(int state, enum ktcp_event ev)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(rfc); i++)
		if (rfc[i].state == state && rfc[i].ev == ev)
			return &rfc[i];
	return NULL;
}

static void fsm_every_pair(struct kunit *test)
{
	int state, ev, checked = 0;

	for (state = TCP_ESTABLISHED; state <= TCP_CLOSING; state++) {
		if (state == TCP_NEW_SYN_RECV)
			continue;
		for (ev = 0; ev < KTCP_EV_MAX; ev++) {
			const struct ktcp_transition *t = ktcp_fsm_lookup(state, ev);
			const struct expect *e = find(state, ev);

			checked++;
			if (!e) {
				KUNIT_EXPECT_NULL_MSG(test, t, "state %d event %s", state,
						      ktcp_event_name(ev));
				continue;
			}
			KUNIT_ASSERT_NOT_NULL_MSG(test, t, "state %d event %s",
						  state, ktcp_event_name(ev));
			KUNIT_EXPECT_EQ_MSG(test, t->next, e->next, "state %d event %s",
					    state, ktcp_event_name(ev));
			KUNIT_EXPECT_EQ_MSG(test, t->actions & e->must, e->must,
					    "state %d event %s", state,
					    ktcp_event_name(ev));
		}
	}
	KUNIT_EXPECT_EQ(test, checked, 11 * KTCP_EV_MAX);
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

/* From CLOSED every state is reachable, and from every state CLOSED is. */
static void fsm_reachability(struct kunit *test)
{
	bool seen[KTCP_NR_STATES] = { [TCP_CLOSE] = true };
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
	for (state = TCP_ESTABLISHED; state <= TCP_CLOSING; state++) {
		const struct ktcp_transition *t;

		if (state == TCP_NEW_SYN_RECV)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, seen[state], "state %d", state);
		t = ktcp_fsm_lookup(state, KTCP_EV_ABORT);
		KUNIT_EXPECT_NOT_NULL(test, t);
		if (t)
			KUNIT_EXPECT_EQ(test, t->next, TCP_CLOSE);
	}
}

static struct kunit_case ktcp_fsm_cases[] = {
	KUNIT_CASE(fsm_every_pair),
	KUNIT_CASE(fsm_out_of_range),
	KUNIT_CASE(fsm_reachability),
	{}
};

struct kunit_suite ktcp_fsm_suite = {
	.name = "ktcp-fsm",
	.test_cases = ktcp_fsm_cases,
};
