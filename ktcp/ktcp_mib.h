/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp MIB counters, per network namespace, shown in /proc/net/ktcp_stat.
 * Every dropped segment increments exactly one KTCP_MIB_DROP_* reason.
 */
#ifndef _KTCP_MIB_H
#define _KTCP_MIB_H

#include <linux/percpu.h>
#include <net/net_namespace.h>

#define KTCP_MIB_LIST(X)					\
	X(ACTIVEOPENS,		"ActiveOpens")			\
	X(PASSIVEOPENS,		"PassiveOpens")			\
	X(ATTEMPTFAILS,		"AttemptFails")			\
	X(ESTABRESETS,		"EstabResets")			\
	X(CURRESTAB,		"CurrEstab")			\
	X(INSEGS,		"InSegs")			\
	X(OUTSEGS,		"OutSegs")			\
	X(RETRANSSEGS,		"RetransSegs")			\
	X(INCSUMERRORS,		"InCsumErrors")			\
	X(OUTRSTS,		"OutRsts")			\
	X(INRSTS,		"InRsts")			\
	X(CHALLENGEACKS,	"ChallengeACKs")		\
	X(TIMEOUTS,		"Timeouts")			\
	X(LISTENOVERFLOWS,	"ListenOverflows")		\
	X(DROP_SHORT,		"DropShortHeader")		\
	X(DROP_BAD_DOFF,	"DropBadDataOffset")		\
	X(DROP_BAD_OPTION,	"DropBadOption")		\
	X(DROP_CSUM,		"DropBadChecksum")		\
	X(DROP_NOT_HOST,	"DropNotForHost")		\
	X(DROP_NO_SOCKET,	"DropNoSocket")			\
	X(DROP_SEQ,		"DropOutOfWindow")		\
	X(DROP_RST,		"DropRstIgnored")		\
	X(DROP_SYN,		"DropUnexpectedSyn")		\
	X(DROP_NO_ACK,		"DropNoAck")			\
	X(DROP_BAD_ACK,		"DropBadAck")			\
	X(DROP_BACKLOG,		"DropBacklogFull")		\
	X(DROP_LISTEN,		"DropListenerFull")		\
	X(DROP_NOMEM,		"DropNoMemory")			\
	X(DROP_RCVBUF,		"DropRcvbufFull")		\
	X(DROP_TIME_WAIT,	"DropTimeWait")			\
	X(DROP_STATE,		"DropStateMismatch")

#define KTCP_MIB_ENUM(name, str) KTCP_MIB_##name,
enum ktcp_mib_field {
	KTCP_MIB_LIST(KTCP_MIB_ENUM)
	KTCP_MIB_MAX
};
#undef KTCP_MIB_ENUM

struct ktcp_mib {
	unsigned long mibs[KTCP_MIB_MAX];
};

/* Per network namespace state (ktcp_main.c). */
struct ktcp_net {
	struct ktcp_mib __percpu *mib;
	unsigned long challenge_stamp;	/* RFC 5961 rate limit, one per second */
	u32 challenge_count;
};

struct ktcp_net *ktcp_pernet(const struct net *net);
extern const char *const ktcp_mib_names[KTCP_MIB_MAX];

#define KTCP_INC_STATS(net, field) \
	this_cpu_inc(ktcp_pernet(net)->mib->mibs[field])
#define KTCP_DEC_STATS(net, field) \
	this_cpu_dec(ktcp_pernet(net)->mib->mibs[field])

unsigned long ktcp_mib_read(const struct net *net, enum ktcp_mib_field field);

#endif /* _KTCP_MIB_H */
