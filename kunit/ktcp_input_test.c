// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the input path on a real ktcp socket without a network.  The
 * test plays the peer: it builds segments, hands them to
 * ktcp_rcv_state_process() as the receive handler would, and reads what
 * ktcp sends from stubs of the IPv4 output (every segment, header and
 * all) and of the reset for segments without a socket.  Each case checks
 * the states reached and the exact sequence and acknowledgment numbers
 * of what went out: the handshake in both roles, the three orders of
 * teardown, the reset rules of RFC 9293 and RFC 5961, out-of-order data
 * with its SACK block, a loss probe and retransmission timeouts; and
 * the output path's limits: Nagle, the peer's window, slow start; and
 * page fragments: MSG_ZEROCOPY's, cut by a partial ACK, and the page
 * references of sendfile().
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/errqueue.h>
#include <linux/ip.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ktcp.h"
#include "ktcp_fsm.h"
#include "ktcp_hash.h"
#include "ktcp_input.h"
#include "ktcp_ipv4.h"
#include "ktcp_main.h"
#include "ktcp_parse.h"
#include "ktcp_sock.h"
#include "ktcp_tests.h"
#include "ktcp_timer.h"
#include "ktcp_urg.h"

#define ISS	0xffffff00U	/* ours: the sequence space wraps early */
#define IRS	0x7ffffff0U	/* the peer's */
#define LPORT	40001
#define RPORT	80

#define F_FIN	KTCP_FLAG_FIN
#define F_SYN	KTCP_FLAG_SYN
#define F_RST	KTCP_FLAG_RST
#define F_ACK	KTCP_FLAG_ACK

struct out_seg {
	u32 seq, ack;
	u8 flags;
	u32 len;
	u32 sack_start, sack_end;	/* the first SACK block, if any */
	u16 urg_ptr;			/* with URG only */
	bool ts;			/* carried the timestamps option */
	u32 tsval, tsecr;
};

/* What ktcp sent during a case: segments and no-socket resets. */
struct wire {
	__be32 laddr, raddr;		/* ours and the peer's */
	unsigned int n, resets, advice;
	u16 peer_window;		/* what the test's segments offer */
	u16 peer_urg;			/* their urgent pointer, with URG */
	struct out_seg seg[32];
	int reset_reason;
};

static void first_sack_block(const struct tcphdr *th, struct out_seg *o)
{
	const u8 *p = (const u8 *)(th + 1), *end = (const u8 *)th + th->doff * 4;

	while (p < end && *p != KTCP_OPT_EOL) {
		if (*p == KTCP_OPT_NOP) {
			p++;
			continue;
		}
		if (p + 1 >= end || p[1] < 2)
			return;
		if (*p == KTCP_OPT_SACK && p[1] >= 10) {
			__be32 edge[2];

			memcpy(edge, p + 2, sizeof(edge));
			o->sack_start = ntohl(edge[0]);
			o->sack_end = ntohl(edge[1]);
			return;
		}
		p += p[1];
	}
}

static int fake_queue_xmit(struct sock *sk, struct sk_buff *skb)
{
	struct wire *w = kunit_get_current_test()->priv;
	const struct tcphdr *th = tcp_hdr(skb);
	struct ktcp_opts opts;

	if (w->n < ARRAY_SIZE(w->seg)) {
		struct out_seg *o = &w->seg[w->n++];

		*o = (struct out_seg){
			.seq = ntohl(th->seq),
			.ack = th->ack ? ntohl(th->ack_seq) : 0,
			.flags = ((const u8 *)th)[13],
			.len = skb->len - th->doff * 4,
			.urg_ptr = th->urg ? ntohs(th->urg_ptr) : 0,
		};
		first_sack_block(th, o);
		if (!ktcp_parse_header(th, th->doff * 4, &opts)) {
			o->ts = opts.ts_ok;
			o->tsval = opts.tsval;
			o->tsecr = opts.tsecr;
		}
	}
	consume_skb(skb);
	return 0;
}

static void fake_send_reset(struct net *net, struct sk_buff *skb, int reason)
{
	struct wire *w = kunit_get_current_test()->priv;

	w->resets++;
	w->reset_reason = reason;
}

static void fake_negative_advice(struct sock *sk)
{
	struct wire *w = kunit_get_current_test()->priv;

	w->advice++;
}

/* Segment @i that ktcp sent, or a zeroed one if it sent fewer. */
static struct out_seg sent_seg(struct kunit *test, unsigned int i)
{
	struct wire *w = test->priv;

	KUNIT_EXPECT_GT_MSG(test, w->n, i, "segment %u missing", i);
	return i < w->n ? w->seg[i] : (struct out_seg){};
}

/* Segment @i went out with @seq, @ack (0: no ACK) and @flags. */
static void expect_sent(struct kunit *test, unsigned int i, u32 seq, u32 ack,
			u8 flags)
{
	struct out_seg o = sent_seg(test, i);

	KUNIT_EXPECT_EQ_MSG(test, o.seq, seq, "segment %u", i);
	KUNIT_EXPECT_EQ_MSG(test, o.ack, ack, "segment %u", i);
	KUNIT_EXPECT_EQ_MSG(test, o.flags & (F_FIN | F_SYN | F_RST | F_ACK),
			    flags, "segment %u", i);
}

/*
 * A ktcp socket from 192.0.2.1:LPORT to 192.0.2.2:RPORT in SYN-SENT, its
 * SYN sent (segment 0), owned by the test: lock_sock() as a process.
 */
/* The test's wire between @laddr (ktcp) and @raddr (the test). */
static struct wire *wire_setup(struct kunit *test, __be32 laddr,
			       __be32 raddr)
{
	struct wire *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->laddr = laddr;
	w->raddr = raddr;
	w->peer_window = 65535;
	test->priv = w;
	kunit_activate_static_stub(test, ktcp_v4_queue_xmit, fake_queue_xmit);
	kunit_activate_static_stub(test, ktcp_v4_send_reset, fake_send_reset);
	kunit_activate_static_stub(test, ktcp_negative_advice,
				   fake_negative_advice);
	return w;
}

static struct socket *syn_sent(struct kunit *test)
{
	struct wire *w = wire_setup(test, htonl(0xc0000201),
				    htonl(0xc0000202));
	struct inet_sock *inet;
	struct ktcp_sock *ks;
	struct socket *sock;
	struct sock *sk;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
					       ktcp_protocol, &sock), 0);
	sk = sock->sk;
	inet = inet_sk(sk);
	ks = ktcp_sk(sk);
	lock_sock(sk);
	inet->inet_rcv_saddr = w->laddr;
	inet->inet_saddr = w->laddr;
	inet->inet_daddr = w->raddr;
	inet->inet_sport = htons(LPORT);
	inet->inet_dport = htons(RPORT);
	ks->iss = ISS;
	ks->snd_una = ISS;
	ks->snd_nxt = ISS;
	ks->snd_max = ISS;
	ktcp_init_xmit_vars(sk);
	KUNIT_ASSERT_EQ(test, ktcp_fsm_event(sk, KTCP_EV_ACTIVE_OPEN), 0);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_SYN_SENT);
	expect_sent(test, 0, ISS, 0, F_SYN);
	return sock;
}

/* A segment from the peer, as the receive handler hands it on. */
static void deliver(struct kunit *test, struct sock *sk, u32 seq, u32 ack,
		    u8 flags, const u8 *opts, unsigned int optlen,
		    unsigned int len)
{
	struct sk_buff *skb = alloc_skb(KTCP_MAX_HEADER + len, GFP_KERNEL);
	struct wire *w = test->priv;
	struct tcphdr *th;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, KTCP_MAX_HEADER);
	memset(skb_put(skb, len), 'x', len);
	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = htons(RPORT);
	th->dest = htons(LPORT);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (sizeof(*th) + optlen) / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(w->peer_window);
	if (th->urg)
		th->urg_ptr = htons(w->peer_urg);
	memcpy(th + 1, opts, optlen);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	*iph = (struct iphdr){
		.version = 4,
		.ihl = sizeof(*iph) / 4,
		.ttl = 64,
		.protocol = ktcp_protocol,
		.tot_len = htons(skb->len),
		.saddr = w->raddr,
		.daddr = w->laddr,
	};
	skb_pull(skb, sizeof(*iph));
	KUNIT_ASSERT_EQ(test, ktcp_fill_cb(skb), 0);
	ktcp_rcv_state_process(sk, skb);
}

#define SEG(test, sk, seq, ack, flags) \
	deliver(test, sk, seq, ack, flags, NULL, 0, 0)

/* SACK permitted, so that out-of-order data is reported. */
static const u8 sack_perm[] = { KTCP_OPT_NOP, KTCP_OPT_NOP, KTCP_OPT_SACK_PERM, 2 };

/* syn_sent() and the peer's SYN-ACK: ESTABLISHED, our ACK is segment 1. */
static struct socket *established(struct kunit *test)
{
	struct socket *sock = syn_sent(test);
	struct sock *sk = sock->sk;

	deliver(test, sk, IRS, ISS + 1, F_SYN | F_ACK, sack_perm,
		sizeof(sack_perm), 0);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_ESTABLISHED);
	expect_sent(test, 1, ISS + 1, IRS + 1, F_ACK);
	return sock;
}

/* Let go of the socket: reset if it still lives, then free it. */
static void finish(struct socket *sock)
{
	struct sock *sk = sock->sk;

	sock_set_flag(sk, SOCK_LINGER);
	sk->sk_lingertime = 0;
	release_sock(sk);
	sock_release(sock);
}

static void handshake_active_open(struct kunit *test)
{
	struct socket *sock = established(test);
	struct ktcp_sock *ks = ktcp_sk(sock->sk);

	KUNIT_EXPECT_EQ(test, ks->snd_una, ISS + 1);
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, IRS + 1);
	KUNIT_EXPECT_TRUE(test, ks->sack_ok);
	KUNIT_EXPECT_EQ(test, ((struct wire *)test->priv)->n, 2);
	finish(sock);
}

/* RFC 9293 3.10.7.3: an ACK of what we never sent gets <SEQ=SEG.ACK><RST>. */
static void handshake_bad_ack_resets(struct kunit *test)
{
	struct socket *sock = syn_sent(test);
	struct wire *w = test->priv;

	SEG(test, sock->sk, IRS, ISS + 5, F_SYN | F_ACK);
	KUNIT_EXPECT_EQ(test, w->resets, 1);
	KUNIT_EXPECT_EQ(test, w->reset_reason, KTCP_RST_BAD_ACK);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_state, TCP_SYN_SENT);
	/* RST,ACK for our SYN: refused */
	SEG(test, sock->sk, 0, ISS + 1, F_RST | F_ACK);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_state, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sock->sk->sk_err, ECONNREFUSED);
	finish(sock);
}

static void close_active_first(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;

	ktcp_fsm_event(sk, KTCP_EV_CLOSE);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_FIN_WAIT1);
	expect_sent(test, 2, ISS + 1, IRS + 1, F_FIN | F_ACK);
	SEG(test, sk, IRS + 1, ISS + 2, F_ACK);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_FIN_WAIT2);
	SEG(test, sk, IRS + 1, ISS + 2, F_FIN | F_ACK);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_TIME_WAIT);
	expect_sent(test, 3, ISS + 2, IRS + 2, F_ACK);
	/* RFC 1337: a reset does not end TIME-WAIT early */
	SEG(test, sk, IRS + 2, 0, F_RST);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_TIME_WAIT);
	finish(sock);
}

static void close_peer_first(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;

	SEG(test, sk, IRS + 1, ISS + 1, F_FIN | F_ACK);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSE_WAIT);
	expect_sent(test, 2, ISS + 1, IRS + 2, F_ACK);
	ktcp_fsm_event(sk, KTCP_EV_CLOSE);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_LAST_ACK);
	expect_sent(test, 3, ISS + 1, IRS + 2, F_FIN | F_ACK);
	SEG(test, sk, IRS + 2, ISS + 2, F_ACK);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSE);
	finish(sock);
}

/* RFC 9293 figure 13: both FINs cross; CLOSING, then TIME-WAIT. */
static void close_simultaneous(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;

	ktcp_fsm_event(sk, KTCP_EV_CLOSE);
	expect_sent(test, 2, ISS + 1, IRS + 1, F_FIN | F_ACK);
	SEG(test, sk, IRS + 1, ISS + 1, F_FIN | F_ACK);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSING);
	expect_sent(test, 3, ISS + 2, IRS + 2, F_ACK);
	SEG(test, sk, IRS + 2, ISS + 2, F_ACK);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_TIME_WAIT);
	finish(sock);
}

/*
 * RFC 5961 3.2: a reset inside the window but not at RCV.NXT gets a
 * challenge ACK and changes nothing; one exactly at RCV.NXT resets.
 */
static void reset_rules(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct wire *w = test->priv;

	SEG(test, sk, IRS + 1 + 1000, 0, F_RST);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_ESTABLISHED);
	expect_sent(test, 2, ISS + 1, IRS + 1, F_ACK);
	/* outside the window: silence */
	SEG(test, sk, IRS + 1 - 70000, 0, F_RST);
	KUNIT_EXPECT_EQ(test, w->n, 3);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_ESTABLISHED);
	SEG(test, sk, IRS + 1, 0, F_RST);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sk->sk_err, ECONNRESET);
	KUNIT_EXPECT_EQ(test, w->n, 3);
	finish(sock);
}

/* RFC 5961 4.2: a SYN on a synchronized connection, a challenge ACK. */
static void syn_gets_challenge_ack(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;

	SEG(test, sk, IRS + 500, 0, F_SYN);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_ESTABLISHED);
	expect_sent(test, 2, ISS + 1, IRS + 1, F_ACK);
	finish(sock);
}

/*
 * Data beyond a hole: a duplicate ACK at once, its SACK block naming the
 * data held; the hole filled: everything acknowledged at once.
 */
static void out_of_order_then_hole(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct out_seg o;

	deliver(test, sk, IRS + 101, ISS + 1, F_ACK, NULL, 0, 100);
	o = sent_seg(test, 2);
	KUNIT_EXPECT_EQ(test, o.ack, IRS + 1);
	KUNIT_EXPECT_EQ(test, o.sack_start, IRS + 101);
	KUNIT_EXPECT_EQ(test, o.sack_end, IRS + 201);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->rcv_nxt, IRS + 1);
	deliver(test, sk, IRS + 1, ISS + 1, F_ACK, NULL, 0, 100);
	o = sent_seg(test, 3);
	KUNIT_EXPECT_EQ(test, o.ack, IRS + 201);
	KUNIT_EXPECT_EQ(test, o.sack_start, 0);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sk)->rcv_nxt, IRS + 201);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sk->sk_receive_queue) > 0, true);
	finish(sock);
}

/*
 * Write @len bytes with send(2)'s @flags as a process would: sendmsg()
 * takes the lock itself.
 */
static void write_flags(struct kunit *test, struct socket *sock, size_t len,
			int flags)
{
	struct kvec iov;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | flags };
	void *buf = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	iov.iov_base = buf;
	iov.iov_len = len;
	release_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, kernel_sendmsg(sock, &msg, &iov, 1, len), len);
	lock_sock(sock->sk);
}

static void write_data(struct kunit *test, struct socket *sock, size_t len)
{
	write_flags(test, sock, len, 0);
}

/*
 * Fire the retransmission timer now.  The test owns the socket, so the
 * timer leaves its work to release_sock(), as it does for a process.
 */
static void fire_rtx_timer(struct kunit *test, struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	KUNIT_ASSERT_TRUE(test, timer_pending(&ks->rtx_timer));
	/* the pending timer's socket reference passes to its function */
	KUNIT_ASSERT_TRUE(test, del_timer(&ks->rtx_timer));
	local_bh_disable();
	ks->rtx_timer.function(&ks->rtx_timer);
	local_bh_enable();
	release_sock(sk);
	lock_sock(sk);
}

/*
 * RFC 8985 7.3: with SACK, the timer first sends a loss probe, the last
 * segment again when there is nothing new.  RFC 6298 5.4-5.7 and RFC
 * 5681 3.1: on the timeout after it the oldest segment goes again, the
 * window falls to one segment, the timeout doubles; the rest goes again
 * as ACKs come back (go-back-N); an ACK of everything stops the timer.
 */
static void probe_then_rto_goes_back_n(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	u32 mss = ks->mss, rto;
	struct out_seg o;

	write_data(test, sock, 2 * mss);
	KUNIT_ASSERT_EQ(test, w->n, 4);
	o = sent_seg(test, 2);
	KUNIT_EXPECT_EQ(test, o.seq, ISS + 1);
	KUNIT_EXPECT_EQ(test, o.len, mss);
	o = sent_seg(test, 3);
	KUNIT_EXPECT_EQ(test, o.seq, ISS + 1 + mss);
	KUNIT_EXPECT_EQ(test, o.len, mss);
	KUNIT_EXPECT_EQ(test, ks->snd_max, ISS + 1 + 2 * mss);
	KUNIT_EXPECT_TRUE(test, ks->tlp_armed);
	rto = ks->rto;

	fire_rtx_timer(test, sk);
	KUNIT_ASSERT_EQ(test, w->n, 5);
	o = sent_seg(test, 4);
	KUNIT_EXPECT_EQ(test, o.seq, ISS + 1 + mss);
	KUNIT_EXPECT_EQ(test, o.len, mss);
	KUNIT_EXPECT_EQ(test, ks->rto, rto);
	KUNIT_EXPECT_EQ(test, ks->retries, 0);

	fire_rtx_timer(test, sk);
	KUNIT_ASSERT_EQ(test, w->n, 6);
	o = sent_seg(test, 5);
	KUNIT_EXPECT_EQ(test, o.seq, ISS + 1);
	KUNIT_EXPECT_EQ(test, o.ack, IRS + 1);
	KUNIT_EXPECT_EQ(test, o.len, mss);
	KUNIT_EXPECT_EQ(test, ks->cwnd, mss);
	KUNIT_EXPECT_EQ(test, ks->rto, 2 * rto);
	KUNIT_EXPECT_EQ(test, ks->retries, 1);
	KUNIT_EXPECT_EQ(test, ks->snd_nxt, ISS + 1 + mss);

	/* the head acknowledged: the second segment goes again */
	SEG(test, sk, IRS + 1, ISS + 1 + mss, F_ACK);
	KUNIT_ASSERT_EQ(test, w->n, 7);
	o = sent_seg(test, 6);
	KUNIT_EXPECT_EQ(test, o.seq, ISS + 1 + mss);
	KUNIT_EXPECT_EQ(test, o.len, mss);
	KUNIT_EXPECT_EQ(test, ks->retries, 0);
	KUNIT_EXPECT_TRUE(test, timer_pending(&ks->rtx_timer));

	SEG(test, sk, IRS + 1, ISS + 1 + 2 * mss, F_ACK);
	KUNIT_EXPECT_EQ(test, ks->snd_una, ks->snd_max);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&sk->sk_write_queue));
	KUNIT_EXPECT_FALSE(test, timer_pending(&ks->rtx_timer));
	KUNIT_EXPECT_EQ(test, w->n, 7);
	finish(sock);
}

/*
 * RFC 1122 4.2.3.5: timeouts make IP look the route up again, as TCP's
 * tcp_write_timeout() does: a SYN at each timeout after the first, data
 * once three retransmissions in a row went unanswered.
 */
static void timeouts_rethink_route(struct kunit *test)
{
	struct socket *sock = syn_sent(test);
	struct wire *w = test->priv;
	unsigned int i;

	fire_rtx_timer(test, sock->sk);
	KUNIT_EXPECT_EQ(test, w->advice, 0);
	expect_sent(test, 1, ISS, 0, F_SYN);
	fire_rtx_timer(test, sock->sk);
	KUNIT_EXPECT_EQ(test, w->advice, 1);
	expect_sent(test, 2, ISS, 0, F_SYN);
	finish(sock);

	sock = established(test);
	w = test->priv;
	write_data(test, sock, 100);
	fire_rtx_timer(test, sock->sk);		/* the loss probe */
	for (i = 1; i <= 3; i++) {
		fire_rtx_timer(test, sock->sk);
		KUNIT_EXPECT_EQ_MSG(test, w->advice, 0, "timeout %u", i);
	}
	fire_rtx_timer(test, sock->sk);
	KUNIT_EXPECT_EQ(test, w->advice, 1);
	KUNIT_EXPECT_EQ(test, w->n, 8);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 7).seq, ISS + 1);
	/* progress starts the count again */
	SEG(test, sock->sk, IRS + 1, ISS + 101, F_ACK);
	KUNIT_EXPECT_EQ(test, ktcp_sk(sock->sk)->retries, 0);
	finish(sock);
}

/* Segments @from..@to - 1 that ktcp sent carry @mss bytes each, in order. */
static void expect_full_run(struct kunit *test, unsigned int from,
			    unsigned int to, u32 seq, u32 mss)
{
	unsigned int i;

	for (i = from; i < to; i++, seq += mss) {
		struct out_seg o = sent_seg(test, i);

		KUNIT_EXPECT_EQ_MSG(test, o.seq, seq, "segment %u", i);
		KUNIT_EXPECT_EQ_MSG(test, o.len, mss, "segment %u", i);
	}
}

/*
 * RFC 1122 4.2.3.4: a short segment waits while data is unacknowledged
 * and goes when the ACK comes; TCP_NODELAY sends it at once.
 */
static void nagle_holds_a_short_segment(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct wire *w = test->priv;

	write_data(test, sock, 100);
	KUNIT_ASSERT_EQ(test, w->n, 3);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 2).seq, ISS + 1);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 2).len, 100);

	write_data(test, sock, 100);
	KUNIT_EXPECT_EQ(test, w->n, 3);
	SEG(test, sk, IRS + 1, ISS + 101, F_ACK);
	KUNIT_ASSERT_EQ(test, w->n, 4);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 3).seq, ISS + 101);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 3).len, 100);

	ktcp_sk(sk)->cfg.nodelay = 1;
	write_data(test, sock, 100);
	KUNIT_ASSERT_EQ(test, w->n, 5);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 4).seq, ISS + 201);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 4).len, 100);
	finish(sock);
}

/*
 * Urgent data sent (RFC 9293 3.8.5, RFC 6093): MSG_OOB goes at once, past
 * Nagle, every segment before the mark carries URG and BSD's pointer
 * (one past the urgent byte), and none does once the mark is acked.
 */
static void urgent_pointer_sent(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct wire *w = test->priv;
	unsigned int n;

	write_data(test, sock, 100);
	KUNIT_ASSERT_EQ(test, w->n, 3);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 2).urg_ptr, 0);
	write_flags(test, sock, 10, MSG_OOB);
	KUNIT_ASSERT_EQ(test, w->n, 4);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 3).seq, ISS + 101);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 3).len, 10);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 3).urg_ptr, 10);
	SEG(test, sk, IRS + 1, ISS + 101, F_ACK);
	KUNIT_EXPECT_TRUE(test, ktcp_sk(sk)->urg_mode);
	SEG(test, sk, IRS + 1, ISS + 111, F_ACK);
	KUNIT_EXPECT_FALSE(test, ktcp_sk(sk)->urg_mode);
	n = w->n;
	write_data(test, sock, 10);
	KUNIT_ASSERT_EQ(test, w->n, n + 1);
	KUNIT_EXPECT_EQ(test, sent_seg(test, n).seq, ISS + 111);
	KUNIT_EXPECT_EQ(test, sent_seg(test, n).urg_ptr, 0);
	finish(sock);
}

/*
 * Urgent data received: the byte the pointer names is taken out of line,
 * reads stop before it and step over it; an older pointer changes
 * nothing, and a pointer past what arrived waits for its byte.
 */
static void urgent_pointer_received(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;

	w->peer_urg = 4;
	deliver(test, sk, IRS + 1, ISS + 1, F_ACK | KTCP_FLAG_URG, NULL, 0, 7);
	KUNIT_EXPECT_EQ(test, ks->urg_seq, IRS + 4);
	KUNIT_EXPECT_EQ(test, ks->urg_data, KTCP_URG_VALID | 'x');
	KUNIT_EXPECT_EQ(test, ktcp_urg_clip(sk, IRS + 1, 7), 3);
	KUNIT_EXPECT_FALSE(test, ktcp_urg_skip(sk, IRS + 1));
	KUNIT_EXPECT_TRUE(test, ktcp_urg_skip(sk, IRS + 4));
	KUNIT_EXPECT_EQ(test, ktcp_urg_clip(sk, IRS + 5, 3), 3);

	w->peer_urg = 2;	/* IRS + 2: older than the mark */
	deliver(test, sk, IRS + 1, ISS + 1, F_ACK | KTCP_FLAG_URG, NULL, 0, 7);
	KUNIT_EXPECT_EQ(test, ks->urg_seq, IRS + 4);

	w->peer_urg = 20;	/* IRS + 27: not here yet */
	deliver(test, sk, IRS + 8, ISS + 1, F_ACK | KTCP_FLAG_URG, NULL, 0, 10);
	KUNIT_EXPECT_EQ(test, ks->urg_seq, IRS + 27);
	KUNIT_EXPECT_EQ(test, ks->urg_data, KTCP_URG_NOTYET);
	deliver(test, sk, IRS + 18, ISS + 1, F_ACK, NULL, 0, 10);
	KUNIT_EXPECT_EQ(test, ks->urg_data, KTCP_URG_VALID | 'x');
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, IRS + 28);
	finish(sock);
}

/*
 * RFC 9293 3.8.6: no more than the peer's window is in flight; a part
 * of a segment waits while it is small (sender SWS avoidance, RFC 1122
 * 4.2.3.4); a zero window stops everything until it opens.
 */
static void peer_window_limits_sending(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	u32 mss = ks->mss;

	w->peer_window = 2 * mss + 100;
	SEG(test, sk, IRS + 1, ISS + 1, F_ACK);
	KUNIT_EXPECT_EQ(test, ks->snd_wnd, 2 * mss + 100);
	KUNIT_EXPECT_EQ(test, w->n, 2);

	write_data(test, sock, 4 * mss);
	KUNIT_ASSERT_EQ(test, w->n, 4);
	expect_full_run(test, 2, 4, ISS + 1, mss);

	SEG(test, sk, IRS + 1, ISS + 1 + mss, F_ACK);
	KUNIT_ASSERT_EQ(test, w->n, 5);
	expect_full_run(test, 4, 5, ISS + 1 + 2 * mss, mss);

	w->peer_window = 0;
	SEG(test, sk, IRS + 1, ISS + 1 + 3 * mss, F_ACK);
	KUNIT_EXPECT_EQ(test, ks->snd_wnd, 0);
	KUNIT_EXPECT_EQ(test, w->n, 5);
	KUNIT_EXPECT_TRUE(test, timer_pending(&ks->rtx_timer));

	w->peer_window = 65535;
	SEG(test, sk, IRS + 1, ISS + 1 + 3 * mss, F_ACK);
	KUNIT_ASSERT_EQ(test, w->n, 6);
	expect_full_run(test, 5, 6, ISS + 1 + 3 * mss, mss);
	finish(sock);
}

/*
 * RFC 6928: ten segments go before the first ACK.  RFC 5681 slow start
 * with RFC 3465 byte counting: each ACK opens the window by all it
 * acknowledged (a stretch ACK too, as on TCP), and that much more goes
 * out.
 */
static void slow_start_opens_the_window(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	u32 mss = ks->mss;

	KUNIT_EXPECT_EQ(test, ks->cwnd, 10 * mss);
	write_data(test, sock, 18 * mss);
	KUNIT_ASSERT_EQ(test, w->n, 12);
	expect_full_run(test, 2, 12, ISS + 1, mss);

	/* two segments acknowledged: cwnd 12, four more in flight */
	SEG(test, sk, IRS + 1, ISS + 1 + 2 * mss, F_ACK);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 12 * mss);
	KUNIT_ASSERT_EQ(test, w->n, 16);
	expect_full_run(test, 12, 16, ISS + 1 + 10 * mss, mss);

	/* eight acknowledged at once: cwnd 20, the last four go */
	SEG(test, sk, IRS + 1, ISS + 1 + 10 * mss, F_ACK);
	KUNIT_EXPECT_EQ(test, ks->cwnd, 20 * mss);
	KUNIT_ASSERT_EQ(test, w->n, 20);
	expect_full_run(test, 16, 20, ISS + 1 + 14 * mss, mss);

	/* eight in flight, room for twelve more */
	write_data(test, sock, 12 * mss);
	KUNIT_ASSERT_EQ(test, w->n, 32);
	expect_full_run(test, 20, 32, ISS + 1 + 18 * mss, mss);
	finish(sock);
}

/*
 * RFC 9293 3.10.7.2, the passive side of figure 7: a SYN to a listener
 * makes a child in SYN-RECEIVED that answers <SEQ=ISS><ACK=IRS+1>
 * <SYN,ACK>; the ACK of that makes it ESTABLISHED, and accept() returns
 * it.  Loopback addresses, so that the child finds a route.
 */
static void handshake_passive_open(struct kunit *test)
{
	struct wire *w = wire_setup(test, htonl(INADDR_LOOPBACK),
				    htonl(INADDR_LOOPBACK + 1));
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(LPORT),
	};
	struct socket *lsock, *csock;
	struct sock *child;
	struct out_seg o;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
					       ktcp_protocol, &lsock), 0);
	KUNIT_ASSERT_EQ(test, kernel_bind(lsock, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(lsock, 8), 0);
	lock_sock(lsock->sk);
	deliver(test, lsock->sk, IRS, 0, F_SYN, sack_perm, sizeof(sack_perm),
		0);
	release_sock(lsock->sk);
	KUNIT_ASSERT_EQ(test, w->n, 1);
	o = sent_seg(test, 0);
	KUNIT_EXPECT_EQ(test, o.flags & (F_FIN | F_SYN | F_RST | F_ACK),
			F_SYN | F_ACK);
	KUNIT_EXPECT_EQ(test, o.ack, IRS + 1);

	child = ktcp_lookup(&init_net, w->raddr, htons(RPORT), w->laddr,
			    htons(LPORT), 0);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, child->sk_state, TCP_SYN_RECV);
	KUNIT_EXPECT_EQ(test, ktcp_sk(child)->iss, o.seq);
	KUNIT_EXPECT_EQ(test, ktcp_sk(child)->snd_nxt, o.seq + 1);
	KUNIT_EXPECT_EQ(test, ktcp_sk(child)->rcv_nxt, IRS + 1);
	KUNIT_EXPECT_TRUE(test, ktcp_sk(child)->sack_ok);

	lock_sock(child);
	SEG(test, child, IRS + 1, o.seq + 1, F_ACK);
	release_sock(child);
	KUNIT_EXPECT_EQ(test, child->sk_state, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, ktcp_sk(child)->snd_una, o.seq + 1);
	KUNIT_EXPECT_EQ(test, w->n, 1);		/* an ACK is not answered */

	KUNIT_ASSERT_EQ(test, kernel_accept(lsock, &csock, O_NONBLOCK), 0);
	KUNIT_EXPECT_PTR_EQ(test, csock->sk, child);
	sock_put(child);
	lock_sock(csock->sk);
	finish(csock);
	sock_release(lsock);
}

/*
 * syn_sent() and a SYN-ACK with timestamps (TSval 1000): ESTABLISHED with
 * timestamps on, our ACK is segment 1.
 */
static struct socket *established_ts(struct kunit *test)
{
	struct socket *sock = syn_sent(test);
	struct sock *sk = sock->sk;
	struct ktcp_ts ts = { 1000, sent_seg(test, 0).tsval };
	u8 opts[KTCP_SYN_OPT_MAX];
	unsigned int n;

	n = ktcp_build_syn_options(opts, 1460, 7, true, &ts);
	deliver(test, sk, IRS, ISS + 1, F_SYN | F_ACK, opts, n, 0);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_ESTABLISHED);
	expect_sent(test, 1, ISS + 1, IRS + 1, F_ACK);
	return sock;
}

/* A segment with timestamps @tsval and @tsecr and @len bytes of data. */
static void deliver_ts(struct kunit *test, struct sock *sk, u32 seq, u32 ack,
		       u32 tsval, u32 tsecr, unsigned int len)
{
	struct ktcp_ts ts = { tsval, tsecr };
	u8 opts[KTCP_TS_ALIGNED];

	deliver(test, sk, seq, ack, F_ACK, opts,
		ktcp_build_ts_option(opts, &ts), len);
}

/*
 * RFC 7323: the SYN offers timestamps with TSecr 0; once both sent them,
 * every segment carries them and data segments lose their 12 bytes.  An
 * ACK echoes the TSval of the segment that moved the window's left edge
 * (4.3: the first of two a delayed ACK answers, so the connection is
 * made interactive, whose ACKs are delayed); PAWS (5.3) drops a segment
 * older than that with an ACK, but lets one tick older by.
 */
static void timestamps_echo_and_paws(struct kunit *test)
{
	struct socket *sock = established_ts(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	struct out_seg o;

	o = sent_seg(test, 0);
	KUNIT_EXPECT_TRUE(test, o.ts);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0);
	o = sent_seg(test, 1);
	KUNIT_EXPECT_TRUE(test, o.ts);
	KUNIT_EXPECT_EQ(test, o.tsecr, 1000);
	KUNIT_EXPECT_TRUE(test, ks->ts_ok);
	KUNIT_EXPECT_EQ(test, ks->mss, min_t(u32, ks->advmss, 1460) - 12);

	ks->pingpong = 1;
	deliver_ts(test, sk, IRS + 1, ISS + 1, 1005, o.tsval, 100);
	KUNIT_EXPECT_EQ(test, w->n, 2);		/* the ACK is delayed */
	deliver_ts(test, sk, IRS + 101, ISS + 1, 1006, o.tsval, 100);
	KUNIT_ASSERT_EQ(test, w->n, 3);
	o = sent_seg(test, 2);
	KUNIT_EXPECT_EQ(test, o.ack, IRS + 201);
	KUNIT_EXPECT_EQ(test, o.tsecr, 1005);

	deliver_ts(test, sk, IRS + 201, ISS + 1, 1003, o.tsval, 100);
	KUNIT_ASSERT_EQ(test, w->n, 4);
	o = sent_seg(test, 3);
	KUNIT_EXPECT_EQ(test, o.ack, IRS + 201);
	KUNIT_EXPECT_EQ(test, o.tsecr, 1005);
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, IRS + 201);

	deliver_ts(test, sk, IRS + 201, ISS + 1, 1004, o.tsval, 100);
	KUNIT_EXPECT_EQ(test, ks->rcv_nxt, IRS + 301);
	finish(sock);
}

/*
 * RFC 7323 4.1: the echo times a retransmission, which Karn's rule
 * leaves untimed otherwise: a loss probe answered after 300 ms of the
 * peer's clock gives the estimator a 300 ms sample.
 */
static void timestamps_time_a_retransmission(struct kunit *test)
{
	struct socket *sock = established_ts(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	u32 mss = ks->mss;

	write_data(test, sock, mss);
	KUNIT_ASSERT_EQ(test, w->n, 3);
	fire_rtx_timer(test, sk);		/* the loss probe resends it */
	KUNIT_ASSERT_EQ(test, w->n, 4);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 3).seq, ISS + 1);
	ks->srtt = 0;				/* take the next sample whole */
	deliver_ts(test, sk, IRS + 1, ISS + 1 + mss, 1001,
		   ktcp_ts_now(ks) - 300, 0);
	KUNIT_EXPECT_EQ(test, ks->snd_una, ISS + 1 + mss);
	/* the clock may tick while the ACK is built and taken */
	KUNIT_EXPECT_GE(test, ks->srtt >> 3, msecs_to_jiffies(300));
	KUNIT_EXPECT_LE(test, ks->srtt >> 3, msecs_to_jiffies(320));
	finish(sock);
}

/*
 * TCP's quick-ACK mode: the first data of a connection is ACKed at once,
 * 16 times while half the window holds that many 536-byte segments;
 * then an ACK waits for a second segment or the delayed-ACK timer.
 */
static void quickack_at_start(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	u32 seq = IRS + 1;
	unsigned int i;

	KUNIT_ASSERT_GE(test, ks->rcv_wnd, 16U * 2 * 536);
	for (i = 0; i < 16; i++) {
		deliver(test, sk, seq, ISS + 1, F_ACK, NULL, 0, 10);
		seq += 10;
		KUNIT_ASSERT_EQ_MSG(test, w->n, 3 + i, "data segment %u", i);
		KUNIT_EXPECT_EQ(test, sent_seg(test, w->n - 1).ack, seq);
	}
	KUNIT_EXPECT_EQ(test, ks->quick, 0);
	deliver(test, sk, seq, ISS + 1, F_ACK, NULL, 0, 10);
	KUNIT_EXPECT_EQ(test, w->n, 18);
	KUNIT_EXPECT_TRUE(test, timer_pending(&ks->delack_timer));
	deliver(test, sk, seq + 10, ISS + 1, F_ACK, NULL, 0, 10);
	KUNIT_ASSERT_EQ(test, w->n, 19);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 18).ack, seq + 20);
	finish(sock);
}

/*
 * Send the first two segments' worth of a new page with send(2)'s
 * @flags, as a MSG_ZEROCOPY writer or sendfile() would, over a route
 * that takes fragments; check that both went out whole.  The page, for
 * the caller to put.
 */
static struct page *send_page(struct kunit *test, struct socket *sock,
			      int flags)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | flags };
	u32 len = 2 * ktcp_sk(sock->sk)->mss;
	struct bio_vec bvec;
	struct page *page;

	KUNIT_ASSERT_LE(test, len, PAGE_SIZE);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	get_random_bytes(page_address(page), PAGE_SIZE);
	sock->sk->sk_route_caps |= NETIF_F_SG;
	bvec_set_page(&bvec, page, len, 0);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, len);
	release_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, sock_sendmsg(sock, &msg), len);
	lock_sock(sock->sk);
	KUNIT_EXPECT_EQ(test, ((struct wire *)test->priv)->n, 4);
	expect_full_run(test, 2, 4, ISS + 1, len / 2);
	return page;
}

/*
 * MSG_ZEROCOPY: the writer's page goes out as fragments, no byte copied.
 * An ACK of part of a segment drops its front (ktcp_trim_head()), the
 * loss probe resends only the rest, with the page's bytes; once all is
 * acknowledged, the writer's notification waits on the error queue:
 * write 0, sent without a copy.
 */
static void zerocopy_partial_ack(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct wire *w = test->priv;
	u32 mss = ks->mss, rest = mss - 100;
	struct sock_exterr_skb *serr;
	struct sk_buff *skb;
	struct page *page;
	u8 *buf;

	buf = kunit_kzalloc(test, mss, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	sock_set_flag(sk, SOCK_ZEROCOPY);
	page = send_page(test, sock, MSG_ZEROCOPY);
	skb = skb_peek(&sk->sk_write_queue);
	KUNIT_EXPECT_NOT_NULL(test, skb_zcopy(skb));
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), 0);

	SEG(test, sk, IRS + 1, ISS + 1 + mss + 100, F_ACK);
	skb = skb_peek(&sk->sk_write_queue);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, KTCP_SKB_CB(skb)->seq, ISS + 1 + mss + 100);
	KUNIT_ASSERT_EQ(test, skb->len, rest);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, buf, rest), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, page_address(page) + mss + 100,
				     rest), 0);

	fire_rtx_timer(test, sk);
	KUNIT_ASSERT_EQ(test, w->n, 5);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 4).seq, ISS + 1 + mss + 100);
	KUNIT_EXPECT_EQ(test, sent_seg(test, 4).len, rest);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&sk->sk_error_queue));

	SEG(test, sk, IRS + 1, ISS + 1 + 2 * mss, F_ACK);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&sk->sk_write_queue));
	skb = skb_dequeue(&sk->sk_error_queue);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	serr = SKB_EXT_ERR(skb);
	KUNIT_EXPECT_EQ(test, serr->ee.ee_origin, SO_EE_ORIGIN_ZEROCOPY);
	KUNIT_EXPECT_EQ(test, serr->ee.ee_errno, 0);
	KUNIT_EXPECT_EQ(test, serr->ee.ee_code, 0);
	KUNIT_EXPECT_EQ(test, serr->ee.ee_info, 0);
	KUNIT_EXPECT_EQ(test, serr->ee.ee_data, 0);
	kfree_skb(skb);
	finish(sock);
	put_page(page);
}

/*
 * sendfile() and splice() pass page references (MSG_SPLICE_PAGES): the
 * queued segments hold the page itself, each at its offset, no copy.
 */
static void splice_pages_by_reference(struct kunit *test)
{
	struct socket *sock = established(test);
	struct sock *sk = sock->sk;
	u32 mss = ktcp_sk(sk)->mss, i = 0;
	struct page *page = send_page(test, sock, MSG_SPLICE_PAGES);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		KUNIT_EXPECT_EQ(test, skb_headlen(skb), 0);
		KUNIT_ASSERT_EQ(test, skb_shinfo(skb)->nr_frags, 1);
		KUNIT_EXPECT_PTR_EQ(test,
				    skb_frag_page(&skb_shinfo(skb)->frags[0]),
				    page);
		KUNIT_EXPECT_EQ(test, skb_frag_off(&skb_shinfo(skb)->frags[0]),
				i++ * mss);
	}
	KUNIT_EXPECT_EQ(test, i, 2);
	SEG(test, sk, IRS + 1, ISS + 1 + 2 * mss, F_ACK);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&sk->sk_write_queue));
	finish(sock);
	put_page(page);
}

static struct kunit_case ktcp_input_cases[] = {
	KUNIT_CASE(handshake_active_open),
	KUNIT_CASE(handshake_passive_open),
	KUNIT_CASE(handshake_bad_ack_resets),
	KUNIT_CASE(close_active_first),
	KUNIT_CASE(close_peer_first),
	KUNIT_CASE(close_simultaneous),
	KUNIT_CASE(reset_rules),
	KUNIT_CASE(syn_gets_challenge_ack),
	KUNIT_CASE(out_of_order_then_hole),
	KUNIT_CASE(probe_then_rto_goes_back_n),
	KUNIT_CASE(timeouts_rethink_route),
	KUNIT_CASE(nagle_holds_a_short_segment),
	KUNIT_CASE(urgent_pointer_sent),
	KUNIT_CASE(urgent_pointer_received),
	KUNIT_CASE(peer_window_limits_sending),
	KUNIT_CASE(slow_start_opens_the_window),
	KUNIT_CASE(timestamps_echo_and_paws),
	KUNIT_CASE(timestamps_time_a_retransmission),
	KUNIT_CASE(quickack_at_start),
	KUNIT_CASE(zerocopy_partial_ack),
	KUNIT_CASE(splice_pages_by_reference),
	{}
};

struct kunit_suite ktcp_input_suite = {
	.name = "ktcp-input",
	.test_cases = ktcp_input_cases,
};
