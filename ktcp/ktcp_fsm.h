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
	KTCP_EV_ABORT,		/* ktcp_abort(), with a reason below */
	KTCP_EV_ERROR,		/* an ICMP error while opening */
	KTCP_EV_EVICT,		/* a full SYN queue drops its oldest child */
	KTCP_EV_ORPHAN,		/* close() let go of the socket */
	KTCP_EV_LATE_DATA,	/* data for a closed reader, answered with RST */
	KTCP_EV_MAX
};

/* Why a reset went out, or that it came in: the ktcp_reset tracepoint. */
enum ktcp_rst_reason {
	KTCP_RST_PEER,		/* received from the peer */
	KTCP_RST_NO_SOCKET,	/* RFC 9293 3.10.7.1: no connection */
	KTCP_RST_BAD_ACK,	/* the segment acks what we never sent */
	KTCP_RST_CLOSED,	/* the segment reached a closed socket */
	KTCP_RST_UNREAD_DATA,	/* data not read at close() or sent after it */
	KTCP_RST_LINGER0,	/* close() with SO_LINGER {1, 0} */
	KTCP_RST_DISCONNECT,	/* connect(AF_UNSPEC) */
	KTCP_RST_LISTENER_CLOSED, /* its listener closed before accept() */
	KTCP_RST_KEEPALIVE,	/* keepalive probes went unanswered */
	KTCP_RST_ORPHANS,	/* an orphan, with too many orphans about */
	KTCP_RST_LINGER2,	/* closed in FIN-WAIT-2 with TCP_LINGER2 -1 */
};

/* Side effects a transition asks for, run in this order. */
enum ktcp_action {
	KTCP_A_HASH		= 0x001, /* enter ehash (a listener's child) */
	KTCP_A_SEND_SYN		= 0x002, /* SYN, or SYN-ACK in SYN-RECEIVED */
	KTCP_A_SEND_FIN		= 0x004,
	KTCP_A_SEND_ACK		= 0x008,
	KTCP_A_SEND_RST		= 0x010,
	KTCP_A_TIME_WAIT	= 0x020, /* (re)start the 2MSL timer */
	KTCP_A_FIN_WAIT2	= 0x040, /* an orphan's FIN-WAIT-2 lifetime */
	KTCP_A_ORPHAN		= 0x080, /* count it; reset if too many */
	KTCP_A_DONE		= 0x100, /* unhash, stop timers, release */
};

struct ktcp_transition {
	u8 next;		/* 0: no such transition */
	u16 actions;
};

#define KTCP_NR_STATES	(TCP_CLOSING + 1)

const struct ktcp_transition *ktcp_fsm_lookup(int state, enum ktcp_event ev);
int ktcp_fsm_event(struct sock *sk, enum ktcp_event ev);
void ktcp_abort(struct sock *sk, enum ktcp_rst_reason reason);
const char *ktcp_event_name(enum ktcp_event ev);

#endif /* _KTCP_FSM_H */
