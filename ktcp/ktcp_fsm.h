/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection state machine of RFC 9293 section 3.3.2 as one table.
 * sk_state holds the kernel's TCP_* values so that inet_stream_connect(),
 * inet_accept() and inet_shutdown() understand ktcp sockets.
 */
#ifndef _KTCP_FSM_H
#define _KTCP_FSM_H

#include <linux/types.h>
#include <net/tcp_states.h>

struct sock;

enum ktcp_event {
	KTCP_EV_ACTIVE_OPEN,	/* connect() */
	KTCP_EV_PASSIVE_OPEN,	/* listen() */
	KTCP_EV_CLOSE,		/* close() or shutdown(SHUT_WR) */
	KTCP_EV_RCV_SYN,	/* SYN without ACK */
	KTCP_EV_RCV_SYNACK,	/* SYN whose ACK covers our SYN */
	KTCP_EV_RCV_ACK,	/* ACK that covers our SYN or our FIN */
	KTCP_EV_RCV_FIN,	/* in-sequence FIN */
	KTCP_EV_RCV_RST,	/* acceptable RST */
	KTCP_EV_TIMEOUT,	/* 2MSL, FIN-WAIT-2 or retry limit expired */
	KTCP_EV_ABORT,		/* SO_LINGER {1, 0}, unread data at close */
	KTCP_EV_MAX
};

/* Side effects a transition asks for, run in this order. */
enum ktcp_action {
	KTCP_A_SEND_SYN		= 0x01,	/* SYN, or SYN-ACK in SYN-RECEIVED */
	KTCP_A_SEND_FIN		= 0x02,
	KTCP_A_SEND_ACK		= 0x04,
	KTCP_A_SEND_RST		= 0x08,
	KTCP_A_TIME_WAIT	= 0x10,	/* (re)start the 2MSL timer */
	KTCP_A_DONE		= 0x20,	/* unhash, stop timers, release */
};

struct ktcp_transition {
	u8 next;		/* 0: no such transition */
	u8 actions;
};

#define KTCP_NR_STATES	(TCP_CLOSING + 1)

const struct ktcp_transition *ktcp_fsm_lookup(int state, enum ktcp_event ev);
int ktcp_fsm_event(struct sock *sk, enum ktcp_event ev);
const char *ktcp_event_name(enum ktcp_event ev);

#endif /* _KTCP_FSM_H */
