/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp tracepoints, under the "ktcp" system of tracefs, trace-cmd and
 * perf: state changes, segments in and out, retransmissions, resets and
 * drops.  Sequence numbers are relative to the ISNs, as in dmesg traces.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ktcp

#if !defined(_KTCP_TP_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KTCP_TP_H

#include <linux/tracepoint.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp_fsm.h"
#include "ktcp_mib.h"

/*
 * Addresses are kept as 4-byte arrays in network order, shown with %pI4:
 * the form libtraceevent (trace-cmd, perf) can print, as in sock.h's
 * inet_sock_set_state.
 */
#define ktcp_show_state(state)					\
	__print_symbolic(state,					\
			 { TCP_ESTABLISHED, "ESTABLISHED" },	\
			 { TCP_SYN_SENT, "SYN-SENT" },		\
			 { TCP_SYN_RECV, "SYN-RECEIVED" },	\
			 { TCP_FIN_WAIT1, "FIN-WAIT-1" },	\
			 { TCP_FIN_WAIT2, "FIN-WAIT-2" },	\
			 { TCP_TIME_WAIT, "TIME-WAIT" },	\
			 { TCP_CLOSE, "CLOSED" },		\
			 { TCP_CLOSE_WAIT, "CLOSE-WAIT" },	\
			 { TCP_LAST_ACK, "LAST-ACK" },		\
			 { TCP_LISTEN, "LISTEN" },		\
			 { TCP_CLOSING, "CLOSING" })

#define ktcp_show_flags(flags)					\
	__print_flags(flags, "|",				\
		      { 0x01, "FIN" }, { 0x02, "SYN" },		\
		      { 0x04, "RST" }, { 0x08, "PSH" },		\
		      { 0x10, "ACK" }, { 0x20, "URG" })

#define ktcp_show_drop(reason)					\
	__print_symbolic(reason,				\
			 { KTCP_MIB_DROP_SHORT, "DropShortHeader" },	\
			 { KTCP_MIB_DROP_BAD_DOFF, "DropBadDataOffset" },	\
			 { KTCP_MIB_DROP_BAD_OPTION, "DropBadOption" },	\
			 { KTCP_MIB_DROP_CSUM, "DropBadChecksum" },	\
			 { KTCP_MIB_DROP_NOT_HOST, "DropNotForHost" },	\
			 { KTCP_MIB_DROP_NO_SOCKET, "DropNoSocket" },	\
			 { KTCP_MIB_DROP_SEQ, "DropOutOfWindow" },	\
			 { KTCP_MIB_DROP_RST, "DropRstIgnored" },	\
			 { KTCP_MIB_DROP_SYN, "DropUnexpectedSyn" },	\
			 { KTCP_MIB_DROP_NO_ACK, "DropNoAck" },	\
			 { KTCP_MIB_DROP_BAD_ACK, "DropBadAck" },	\
			 { KTCP_MIB_DROP_BACKLOG, "DropBacklogFull" },	\
			 { KTCP_MIB_DROP_LISTEN, "DropListenerFull" },	\
			 { KTCP_MIB_DROP_NOMEM, "DropNoMemory" },	\
			 { KTCP_MIB_DROP_RCVBUF, "DropRcvbufFull" },	\
			 { KTCP_MIB_DROP_TIME_WAIT, "DropTimeWait" },	\
			 { KTCP_MIB_DROP_STATE, "DropStateMismatch" },	\
			 { KTCP_MIB_DROP_MEMLIMIT, "DropMemoryLimit" },	\
			 { KTCP_MIB_DROP_DUPLICATE, "DropDuplicate" },	\
			 { KTCP_MIB_DROP_EXISTS, "DropConnectionExists" }, \
			 { KTCP_MIB_DROP_POLICY, "DropPolicy" },	\
			 { KTCP_MIB_DROP_FILTER, "DropSocketFilter" },	\
			 { KTCP_MIB_DROP_OFO_PRUNED, "DropOfoPruned" })

/* Let trace-cmd and perf decode the enum values by name. */
TRACE_DEFINE_ENUM(TCP_ESTABLISHED);
TRACE_DEFINE_ENUM(TCP_SYN_SENT);
TRACE_DEFINE_ENUM(TCP_SYN_RECV);
TRACE_DEFINE_ENUM(TCP_FIN_WAIT1);
TRACE_DEFINE_ENUM(TCP_FIN_WAIT2);
TRACE_DEFINE_ENUM(TCP_TIME_WAIT);
TRACE_DEFINE_ENUM(TCP_CLOSE);
TRACE_DEFINE_ENUM(TCP_CLOSE_WAIT);
TRACE_DEFINE_ENUM(TCP_LAST_ACK);
TRACE_DEFINE_ENUM(TCP_LISTEN);
TRACE_DEFINE_ENUM(TCP_CLOSING);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_SHORT);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_BAD_DOFF);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_BAD_OPTION);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_CSUM);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_NOT_HOST);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_NO_SOCKET);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_SEQ);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_RST);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_SYN);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_NO_ACK);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_BAD_ACK);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_BACKLOG);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_LISTEN);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_NOMEM);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_RCVBUF);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_TIME_WAIT);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_STATE);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_MEMLIMIT);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_DUPLICATE);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_EXISTS);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_POLICY);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_FILTER);
TRACE_DEFINE_ENUM(KTCP_MIB_DROP_OFO_PRUNED);

#define ktcp_show_rst(reason)						\
	__print_symbolic(reason,					\
			 { KTCP_RST_PEER, "Peer" },			\
			 { KTCP_RST_NO_SOCKET, "NoSocket" },		\
			 { KTCP_RST_BAD_ACK, "BadAck" },		\
			 { KTCP_RST_CLOSED, "Closed" },			\
			 { KTCP_RST_UNREAD_DATA, "UnreadData" },	\
			 { KTCP_RST_LINGER0, "Linger0" },		\
			 { KTCP_RST_DISCONNECT, "Disconnect" },		\
			 { KTCP_RST_LISTENER_CLOSED, "ListenerClosed" },	\
			 { KTCP_RST_KEEPALIVE, "Keepalive" },		\
			 { KTCP_RST_ORPHANS, "Orphans" },		\
			 { KTCP_RST_LINGER2, "Linger2" })

TRACE_DEFINE_ENUM(KTCP_RST_PEER);
TRACE_DEFINE_ENUM(KTCP_RST_NO_SOCKET);
TRACE_DEFINE_ENUM(KTCP_RST_BAD_ACK);
TRACE_DEFINE_ENUM(KTCP_RST_CLOSED);
TRACE_DEFINE_ENUM(KTCP_RST_UNREAD_DATA);
TRACE_DEFINE_ENUM(KTCP_RST_LINGER0);
TRACE_DEFINE_ENUM(KTCP_RST_DISCONNECT);
TRACE_DEFINE_ENUM(KTCP_RST_LISTENER_CLOSED);
TRACE_DEFINE_ENUM(KTCP_RST_KEEPALIVE);
TRACE_DEFINE_ENUM(KTCP_RST_ORPHANS);
TRACE_DEFINE_ENUM(KTCP_RST_LINGER2);

TRACE_EVENT(ktcp_state,
	    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		     int oldstate, int newstate, u32 seq, u32 ack),
	    TP_ARGS(saddr, sport, daddr, dport, oldstate, newstate, seq, ack),
	    TP_STRUCT__entry(__array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(int, oldstate)
			     __field(int, newstate)
			     __field(u32, seq)
			     __field(u32, ack)),
	    TP_fast_assign(memcpy(__entry->saddr, &saddr, 4);
			   memcpy(__entry->daddr, &daddr, 4);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;
			   __entry->seq = seq;
			   __entry->ack = ack;),
	    TP_printk("%pI4:%u>%pI4:%u %s>%s seq=%u ack=%u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, ktcp_show_state(__entry->oldstate),
		      ktcp_show_state(__entry->newstate), __entry->seq,
		      __entry->ack)
);

TRACE_EVENT(ktcp_segment,
	    TP_PROTO(bool out, __be32 saddr, __be16 sport, __be32 daddr,
		     __be16 dport, u8 flags, u32 seq, u32 ack, u16 win,
		     u32 len),
	    TP_ARGS(out, saddr, sport, daddr, dport, flags, seq, ack, win, len),
	    TP_STRUCT__entry(__field(bool, out)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(u8, flags)
			     __field(u32, seq)
			     __field(u32, ack)
			     __field(u16, win)
			     __field(u32, len)),
	    TP_fast_assign(__entry->out = out;
			   memcpy(__entry->saddr, &saddr, 4);
			   memcpy(__entry->daddr, &daddr, 4);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->flags = flags;
			   __entry->seq = seq;
			   __entry->ack = ack;
			   __entry->win = win;
			   __entry->len = len;),
	    TP_printk("%s %pI4:%u>%pI4:%u [%s] seq=%u ack=%u win=%u len=%u",
		      __entry->out ? "out" : "in", __entry->saddr, __entry->sport,
		      __entry->daddr, __entry->dport,
		      ktcp_show_flags(__entry->flags), __entry->seq, __entry->ack,
		      __entry->win, __entry->len)
);

TRACE_EVENT(ktcp_retransmit,
	    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		     u32 seq, u32 len, u32 rto_ms, u8 retries),
	    TP_ARGS(saddr, sport, daddr, dport, seq, len, rto_ms, retries),
	    TP_STRUCT__entry(__array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(u32, seq)
			     __field(u32, len)
			     __field(u32, rto_ms)
			     __field(u8, retries)),
	    TP_fast_assign(memcpy(__entry->saddr, &saddr, 4);
			   memcpy(__entry->daddr, &daddr, 4);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->seq = seq;
			   __entry->len = len;
			   __entry->rto_ms = rto_ms;
			   __entry->retries = retries;),
	    TP_printk("%pI4:%u>%pI4:%u seq=%u len=%u rto=%ums retries=%u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->seq, __entry->len, __entry->rto_ms,
		      __entry->retries)
);

TRACE_EVENT(ktcp_reset,
	    TP_PROTO(bool out, __be32 saddr, __be16 sport, __be32 daddr,
		     __be16 dport, int reason, int err),
	    TP_ARGS(out, saddr, sport, daddr, dport, reason, err),
	    TP_STRUCT__entry(__field(bool, out)
			     __array(u8, saddr, 4)
			     __array(u8, daddr, 4)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(int, reason)
			     __field(int, err)),
	    TP_fast_assign(__entry->out = out;
			   memcpy(__entry->saddr, &saddr, 4);
			   memcpy(__entry->daddr, &daddr, 4);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->reason = reason;
			   __entry->err = err;),
	    TP_printk("%s %pI4:%u>%pI4:%u reason=%s error=%d",
		      __entry->out ? "sent" : "received", __entry->saddr,
		      __entry->sport, __entry->daddr, __entry->dport,
		      ktcp_show_rst(__entry->reason), __entry->err)
);

TRACE_EVENT(ktcp_drop,
	    TP_PROTO(int reason),
	    TP_ARGS(reason),
	    TP_STRUCT__entry(__field(int, reason)),
	    TP_fast_assign(__entry->reason = reason;),
	    TP_printk("reason=%s", ktcp_show_drop(__entry->reason))
);

#endif /* _KTCP_TP_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ktcp_tp
#include <trace/define_trace.h>
