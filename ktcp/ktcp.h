/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp: core data structures shared by every file of the module.  What
 * each ktcp_X.c exports is declared in ktcp_X.h.
 *
 * Locking, in one place:
 *  - A socket's protocol state (struct ktcp_sock fields, queues, sk_state)
 *    is owned by whoever holds the socket lock: process context through
 *    lock_sock(), softirq and timers through bh_lock_sock() and only when
 *    !sock_owned_by_user(); otherwise softirq defers to the backlog and
 *    timers re-arm themselves.
 *  - The connection tables (ktcp_hash.c) have one spinlock for writers;
 *    softirq lookups run under RCU and take a reference.
 *  - A listener's SYN and accept queues are protected by its
 *    ktcp_listen.lock, which nests inside a child's socket lock.
 *
 * Reference counting:
 *  - the user's socket file (or, before accept(), the listener's queue)
 *    owns one reference;
 *  - membership of the established or listening table owns one;
 *  - each pending timer owns one (sk_reset_timer()/sk_stop_timer()).
 */
#ifndef _KTCP_H
#define _KTCP_H

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/sctp.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/tcp_states.h>

struct ktcp_cong_ops;

#include "ktcp_seq.h"
#include "ktcp_wire.h"
#include "compat.h"
#include "uapi/ktcp.h"

#define IPPROTO_KTCP_DEFAULT	IPPROTO_KTCP

/* A listener's queues of children that share its port. */
struct ktcp_listen {
	spinlock_t lock;		/* protects both lists and counts */
	struct list_head syn_q;		/* children in SYN-RECEIVED */
	struct list_head accept_q;	/* children ready for accept() */
	u32 syn_len;
	u32 accept_len;
	u32 backlog;
};

/* What the user set with socket options; children inherit it. */
struct ktcp_settings {
	u16 user_mss;			/* TCP_MAXSEG, 0: none */
	u8 nodelay:1,
	   cork:1,
	   recvmsg_inq:1;		/* TCP_INQ: a TCP_CM_INQ cmsg on reads */
	u8 keepalive_probes;		/* 0: default */
	u8 syn_retries;			/* TCP_SYNCNT, 0: the namespace's */
	u32 keepalive_time;		/* seconds, 0: default */
	u32 keepalive_intvl;
	u32 user_timeout;		/* TCP_USER_TIMEOUT, ms, 0: none */
	u32 notsent_lowat;		/* TCP_NOTSENT_LOWAT, bytes, 0: none */
	u32 window_clamp;		/* TCP_WINDOW_CLAMP, bytes, 0: none */
	u8 defer_accept;		/* TCP_DEFER_ACCEPT, in SYN-ACK
					 * retransmissions as TCP keeps it
					 */
	s32 linger2;			/* TCP_LINGER2, s; 0: fin_timeout,
					 * -1: an orphan skips FIN-WAIT-2
					 */
};

/* A range of sequence space a SACK option names. */
struct ktcp_sack_block {
	u32 start;
	u32 end;
};

/**
 * struct ktcp_af_ops - what differs between address families, as TCP's
 *                      inet_connection_sock_af_ops (ktcp_ipv4.c for IPv4)
 * @queue_xmit: send a built segment along the socket's route
 * @send_check: set a built segment's checksum over the pseudo-header
 * @connect: check the peer's address, route to it, choose the source
 *           address and port (hashing the socket); locked socket
 * @init_child: give a listener's new child the addresses of the SYN in
 *              @skb and a route; false if there is none
 * @init_seq: the initial sequence number for the socket's four-tuple
 * @init_ts_off: the offset of the socket's timestamps (RFC 7323 5.4)
 * @mtu_reduced: act on the "too big" error kept in mtu_info
 * @send_reset: answer @skb, which arrived for @net, with a reset
 * @policy_ok: IPsec's input policy allows @skb for @sk (NULL: no socket)
 * @net_header_len: the network header in front of ours, in bytes
 */
struct ktcp_af_ops {
	int (*queue_xmit)(struct sock *sk, struct sk_buff *skb);
	void (*send_check)(struct sock *sk, struct sk_buff *skb);
	int (*connect)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	bool (*init_child)(struct sock *child, struct sk_buff *skb);
	u32 (*init_seq)(const struct sock *sk);
	u32 (*init_ts_off)(const struct sock *sk);
	void (*mtu_reduced)(struct sock *sk);
	void (*send_reset)(struct net *net, struct sk_buff *skb, int reason);
	bool (*policy_ok)(struct sock *sk, struct sk_buff *skb);
	u16 net_header_len;
};

struct ktcp_sock {
	struct inet_sock inet;		/* must be first */
	const struct ktcp_af_ops *af_ops;	/* the socket's family */

	/* Send sequence variables, RFC 9293 section 3.3.1. */
	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;			/* highest snd_nxt, kept across go-back-N */
	u32 snd_wnd;			/* unscaled, in bytes */
	u32 max_snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 write_seq;			/* one past the last byte queued */
	u32 pushed_seq;			/* write_seq when PSH was last set */
	u32 snd_up;			/* one past our urgent byte (BSD) */

	/* Receive sequence variables. */
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wup;			/* rcv_nxt when the window was last sent */
	u32 rcv_wnd;			/* window last advertised, in bytes */
	u32 copied_seq;			/* next byte recvmsg() returns */
	u32 urg_seq;			/* the peer's urgent byte */
	u16 urg_data;			/* KTCP_URG_* and the byte, 0: none */

	/* Segment sizes and window scaling, RFC 7323. */
	u16 mss;			/* effective send MSS */
	u16 advmss;			/* MSS we announce */
	u16 peer_mss;
	u16 rcv_mss;			/* the peer's segments, as TCP guesses */
	u8 snd_wscale;
	u8 rcv_wscale;
	u8 wscale_ok:1,
	   sack_ok:1,			/* both sides sent SACK-permitted */
	   fin_queued:1,		/* FIN is in the write queue */
	   child:1,			/* created by a listener */
	   connect_port:1,		/* connect() chose the local port */
	   orphan:1,			/* counted in ktcp_orphans */
	   more:1,			/* MSG_MORE: this push holds a short
					 * segment back, as TCP_CORK
					 */
	   defer_acked:1;		/* TCP_DEFER_ACCEPT held a bare ACK */
	u8 urg_mode:1,			/* snd_up is ahead of snd_una */
	   rcv_rtt_on:1,		/* rcv_rtt_seq/stamp time a window */
	   ts_ok:1,			/* both sides sent timestamps */
	   ack_pushed:1,		/* a short segment waits for our ACK */
	   push_queued:1;		/* TCP_NODELAY set: the data queued
					 * goes despite TCP_CORK
					 */
	u8 queued;			/* KTCP_QUEUED_*, under parent's lock */
	u8 abort_reason;		/* KTCP_RST_*, set by ktcp_abort() */

	/* Timestamps, RFC 7323: TSval is ktcp_ts_clock() + ts_off. */
	u32 ts_off;
	u32 ts_recent;			/* TSval to echo */
	u32 ts_recent_stamp;		/* s (ktime_get_seconds()) of it, 0: none */

	/* Retransmission, RFC 6298; times in jiffies. */
	u32 srtt;			/* scaled by 8 */
	u32 rttvar;			/* scaled by 4 */
	u32 rto;
	u32 rcvq_stamp;			/* (u32)jiffies: reader's RTT sample */
	u8 retries;			/* consecutive RTOs without progress */
	u8 dupacks;
	u8 keepalive_sent;		/* probes unanswered */
	u8 probes_out;			/* zero-window probes unanswered */
	u32 recover;			/* NewReno, RFC 6582 */
	u32 loss_high;			/* snd_max at the last RTO */
	u8 in_recovery:1,
	   sack_recovery:1,		/* recovery driven by SACK, RFC 6675 */
	   rack_ok:1,			/* rack_xmit is set */
	   tlp_armed:1,			/* rtx_timer is the loss probe's */
	   tlp_out:1,			/* a probe is out, below tlp_high */
	   window_probing:1,		/* zero-window probes since retrans_stamp */
	   in_loss:1,			/* an RTO's go-back-N, below loss_high */
	   pingpong:1;			/* interactive: TCP_QUICKACK reads 0 */
	u8 nr_sack_blocks;		/* in sack_blocks[] below */
	u8 dsack;			/* dsack_block leads the next ACK's */
	u8 ack_pending;			/* segments received and not acked */
	u8 quick;			/* ACKs to send at once (quick-ACK mode) */
	u16 last_seg_size;		/* the last short segment's length */
	u32 ato;			/* delayed-ACK timeout, jiffies; 0: no
					 * data yet
					 */

	/* Sender's SACK scoreboard: marks on the write queue's skbs, and
	 * where the scans of ktcp_recovery.c stand.
	 */
	u32 sacked_out;			/* bytes marked SACKed */
	u32 lost_out;			/* bytes marked lost, not SACKed */
	u32 retrans_out;		/* bytes resent this recovery, in flight */
	u32 high_sacked;		/* highest SACKed end_seq */
	u32 lost_scan;			/* below: SACKed or lost */
	u32 lost_scan_sacked;		/* bytes SACKed below lost_scan */
	u32 rxt_scan;			/* below: no loss left to resend */
	u32 rxt_lost_scan;		/* below: no resend known lost */
	/* Proportional Rate Reduction (RFC 6937) in SACK recovery, bytes */
	u32 prr_recover_fs;		/* the flight when recovery began */
	u32 prr_delivered;		/* delivered since, acked or SACKed */
	u32 prr_out;			/* sent since, new or resent */
	u32 prr_newly;			/* delivered by ACKs not yet applied */
	u8 prr_una_advanced:1,		/* ... and one of them moved snd_una */
	   prr_start:1;			/* the fast retransmit is to be sent */
	u8 nr_sack_cache;
	struct ktcp_sack_block sack_cache[KTCP_MAX_SACK_BLOCKS];
	struct rb_root wq_index;	/* sk_write_queue by sequence number */
	/* RACK and TLP, RFC 8985, at jiffies resolution. */
	u32 rack_xmit;			/* newest xmit_stamp known delivered */
	u32 tlp_high;			/* snd_nxt when the probe went out */

	/* Receiver's SACK blocks, most recently changed first (RFC 2018),
	 * and the data last received twice (RFC 2883).
	 */
	struct ktcp_sack_block sack_blocks[KTCP_MAX_SACK_BLOCKS];
	struct ktcp_sack_block dsack_block;

	/* Congestion control, RFC 5681; in bytes. */
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_cnt;			/* bytes acked toward the next MSS */
	const struct ktcp_cong_ops *ca_ops;	/* holds its module */
	u64 ca_priv[8];			/* the algorithm's, KTCP_CA_PRIV_SIZE */

	/* Receive buffer autotuning (ktcp_rcvbuf_goal()). */
	u32 rcvq_copied;		/* bytes read since rcvq_stamp */
	u32 rcvq_space;			/* most the reader took in one RTT */
	u32 rcv_rtt;			/* jiffies to fill our window, 0: none */
	u32 rcv_rtt_seq;		/* rcv_nxt that ends this measurement */
	u32 rcv_rtt_stamp;		/* (u32)jiffies it began */

	struct sk_buff *send_head;	/* first unsent skb in sk_write_queue */
	struct rb_root ooo_root;	/* out-of-order segments (ktcp_reasm.c) */
	struct sk_buff *ooo_last;	/* the one furthest right, or NULL */
	u32 collapse_rmem;		/* sk_rmem_alloc after a vain collapse */

	struct timer_list rtx_timer;	/* SYN/data/FIN retransmission, probes */
	struct timer_list delack_timer;
	/* sk->sk_timer: TIME-WAIT and orphaned FIN-WAIT-2 lifetime, keepalive */
	/* KTCP_TIMER_* and KTCP_DEFER_* work left to release_cb */
	unsigned long pending_timers;

	/* Passive open: the listener that created us (holds a reference). */
	struct sock *parent;
	struct list_head queue_node;	/* in parent's syn_q or accept_q */
	/* Only listeners need queues: allocated by the first listen(),
	 * freed with the socket so that children may always reach it.
	 */
	struct ktcp_listen *listen;

	struct ktcp_settings cfg;
	unsigned long rcv_tstamp;	/* jiffies of the last segment */
	/* (u32)jiffies of the last answer to a bad segment, 0: none yet */
	u32 last_oow_ack;
	u32 mtu_info;			/* MTU of the last ICMP "too big" */
	/* (u32)jiffies: the unacknowledged head's send before the timeouts
	 * began, or the first probe of a zero window: TCP_USER_TIMEOUT
	 * counts from there
	 */
	u32 retrans_stamp;
	u32 pmtu_cookie;		/* path MTU that mss was set from */

	/* Statistics for KTCP_INFO / TCP_INFO. */
	u64 bytes_sent;
	u64 bytes_acked;
	u64 bytes_received;
	u64 bytes_retrans;
	u32 total_retrans;
	u32 segs_in;
	u32 segs_out;
	u32 lsndtime;			/* (u32)jiffies: data last sent */
	u32 lrcvtime;			/* (u32)jiffies: data last received */
	u32 min_rtt;			/* us, ~0U: none yet */
	u32 min_rtt_stamp;		/* (u32)jiffies of that sample */
	/* Delivery rate (ktcp_rate_sample()): bytes_acked at rate_stamp,
	 * and what the last interval of an RTT or more delivered, bytes/s.
	 */
	u32 rate_stamp;
	u64 rate_base;
	u64 delivery_rate;
};

enum ktcp_timer_bit {
	KTCP_TIMER_RTX,
	KTCP_TIMER_DELACK,
	KTCP_TIMER_SK,
	KTCP_DEFER_MTU,			/* ICMP lowered the path MTU */
	KTCP_DEFER_ERROR,		/* ICMP error while opening */
};

static inline struct ktcp_sock *ktcp_sk(const struct sock *sk)
{
	return (struct ktcp_sock *)sk;
}

/* Per-segment control block kept in skb->cb while we own the skb. */
struct ktcp_skb_cb {
	u32 seq;
	u32 end_seq;			/* seq + SYN + FIN + data length */
	union {
		u32 ack_seq;		/* received: the ACK field */
		u32 rxt_nxt;		/* queued: snd_nxt at its last resend */
	};
	union {
		u32 xmit_stamp;		/* queued: (u32)jiffies of its last send */
		u32 tw_isn;		/* received: ISN for a SYN after TIME-WAIT */
	};
	u8 flags;			/* TCPHDR_* */
	u8 retransmitted:1,
	   sacked:1,			/* the peer holds it, RFC 2018 */
	   sack_forgotten:1,		/* SACKed before an RTO: no RTT sample */
	   lost:1,			/* in lost_out */
	   rxt:1,			/* in retrans_out */
	   tw_syn:1,			/* received: tw_isn is set */
	   eor:1;			/* queued: MSG_EOR, no data joins it */
};

/*
 * The control block of a skb in the write queue: ktcp_skb_cb, then its
 * node in the queue's index (ktcp_recovery.c), where a received skb
 * keeps its parsed options instead.
 */
struct ktcp_tx_cb {
	struct ktcp_skb_cb cb;
	struct rb_node node;
};

#define KTCP_SKB_CB(skb) ((struct ktcp_skb_cb *)&((skb)->cb[0]))
/* The options parsed from a received segment follow the control block. */
#define KTCP_SKB_OPTS(skb) \
	((struct ktcp_opts *)&(skb)->cb[sizeof(struct ktcp_skb_cb)])

/* Headroom for our header and everything below it. */
#define KTCP_MAX_HEADER		L1_CACHE_ALIGN(128 + MAX_HEADER)
/*
 * Headroom of queued data: our header and IP's, both with options, and a
 * link layer header.  Smaller than KTCP_MAX_HEADER so that a 1460-byte
 * segment with its skb_shared_info fits a 2 KiB kmalloc rather than 4 KiB,
 * which both ends charge to their socket buffers.  A device that needs
 * more room gets it in IP output (skb_expand_head()).
 */
#define KTCP_DATA_HEADROOM	L1_CACHE_ALIGN(KTCP_MAX_HDR_LEN + 60 + \
					       LL_MAX_HEADER)
/* Room a small write's buffer takes, for later small writes to fill. */
#define KTCP_SMALL_DATA		1024
/* Largest segment one linear skb carries while staying in a 64 KiB buffer. */
#define KTCP_MAX_SKB_DATA	(SKB_WITH_OVERHEAD(65536) - KTCP_DATA_HEADROOM)

/*
 * The GSO type of ktcp's large skbs (ktcp_offload.c).  Not SKB_GSO_TCPV4:
 * a NIC with TSO would cut them as IPPROTO_TCP and checksum them with
 * TCP's protocol number.  Only software devices (veth, loopback,
 * tunnels) advertise SCTP segmentation; every other device leaves the
 * cutting to the GSO layer, which dispatches on the IP protocol.
 */
#define KTCP_GSO_TYPE		SKB_GSO_SCTP

/*
 * gso_size of a ktcp GSO skb with @thlen bytes of header before each
 * @mss bytes of data.  The stack measures the segments of a KTCP_GSO_TYPE
 * skb as an SCTP header and gso_size bytes (skb_gso_transport_seglen())
 * when it checks them against an MTU, on output and when forwarding;
 * ktcp's header is longer, so gso_size counts the difference in and
 * ktcp_gso_segment() takes it out again.
 */
static inline unsigned int ktcp_gso_size(unsigned int mss, unsigned int thlen)
{
	return mss + thlen - sizeof(struct sctphdr);
}

/* Bytes of data per queued segment. */
static inline u32 ktcp_size_goal(const struct ktcp_sock *ks)
{
	return min_t(u32, ks->mss, KTCP_MAX_SKB_DATA);
}

/* Timing constants (RFC 6298, RFC 1122, Linux defaults). */
#define KTCP_RTO_INIT		(1 * HZ)
/* RFC 6298 5.7: the RTO for data after a handshake without an RTT sample */
#define KTCP_RTO_FALLBACK	(3 * HZ)
#define KTCP_RTO_MIN		(HZ / 5)
#define KTCP_RTO_MAX		(120 * HZ)
#define KTCP_DELACK_TIME	(HZ / 25)	/* TCP_ATO_MIN, TCP_DELACK_MIN */
#define KTCP_DELACK_MAX		(HZ / 5)
#define KTCP_MIN_RTT_WIN	(300 * HZ)	/* as tcp_min_rtt_wlen */
#define KTCP_SYN_RETRIES	6
#define KTCP_SYNACK_RETRIES	5
#define KTCP_SYNCNT_MAX		127	/* TCP_SYNCNT, as TCP's MAX_TCP_SYNCNT */
#define KTCP_LINGER2_MAX	120	/* s, TCP_LINGER2 as TCP_FIN_TIMEOUT_MAX */
#define KTCP_DATA_RETRIES	15
#define KTCP_DEFAULT_MSS	536
#define KTCP_MIN_RCV_MSS	88	/* TCP_MIN_MSS */
#define KTCP_PAWS_IDLE		(24 * 24 * 60 * 60)	/* s, RFC 7323 5.5 */

/* The timestamp clock, in ms as Linux's (RFC 7323 5.4: 1 ms to 1 s). */
static inline u32 ktcp_ts_clock(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_MSEC);
}

/* The TSval a segment sent now carries. */
static inline u32 ktcp_ts_now(const struct ktcp_sock *ks)
{
	return ktcp_ts_clock() + ks->ts_off;
}

#endif /* _KTCP_H */
