// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp output: building segments, the send loop and resets.
 *
 * Everything the peer must acknowledge (SYN, data, FIN) sits in
 * sk_write_queue as one skb per segment, from snd_una on; send_head points
 * at the first one not yet sent.  Transmission sends a clone (or a copy
 * when an earlier clone may still be in flight) with the header pushed in
 * front, so the queued original stays intact for retransmission.  Data
 * skbs are fclones, as TCP's are: the first clone costs no allocation.
 *
 * All functions here run with the socket locked.
 */
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_kunit.h"
#include "ktcp_main.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_output.h"
#include "ktcp_parse.h"
#include "ktcp_recovery.h"
#include "ktcp_sock.h"
#include "ktcp_timer.h"
#include "ktcp_trace.h"
#include "ktcp_urg.h"

/**
 * ktcp_rcv_sws_thresh() - smallest step by which the window opens
 * @sk: socket
 *
 * Receiver silly window avoidance, RFC 9293 3.8.6.2.2: the lesser of
 * one MSS and a fraction of the buffer.
 *
 * Return: bytes.
 */
u32 ktcp_rcv_sws_thresh(const struct sock *sk)
{
	return min_t(u32, ktcp_sk(sk)->advmss, READ_ONCE(sk->sk_rcvbuf) / 4);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_rcv_sws_thresh);

/**
 * ktcp_select_window() - the window to advertise now
 * @sk: locked socket
 *
 * Half of the free receive buffer, leaving room for skb overhead, rounded
 * to the window scale; at most four segments while ktcp is under memory
 * pressure, as TCP clamps rcv_ssthresh, and at most TCP_WINDOW_CLAMP.
 * The right edge never moves left (RFC 9293 3.8.6).
 *
 * Return: the value for the header's window field.
 */
u32 ktcp_select_window(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 win = space > 0 ? space / 2 : 0;
	u32 cur = 0;

	if (sk_under_memory_pressure(sk))
		win = min_t(u32, win, 4U * ks->advmss);
	if (ks->cfg.window_clamp)
		win = min(win, ks->cfg.window_clamp);
	if (ktcp_seq_after(ks->rcv_wup + ks->rcv_wnd, ks->rcv_nxt))
		cur = ks->rcv_wup + ks->rcv_wnd - ks->rcv_nxt;
	if (win < cur + ktcp_rcv_sws_thresh(sk))
		win = cur;
	win = min_t(u32, win, 65535U << ks->rcv_wscale);
	win = round_down(win, 1U << ks->rcv_wscale);
	if (win < cur)
		win = round_up(cur, 1U << ks->rcv_wscale);
	ks->rcv_wnd = win;
	ks->rcv_wup = ks->rcv_nxt;
	return win >> ks->rcv_wscale;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_select_window);

/**
 * ktcp_sync_mss() - compute the send MSS from the route and the peer
 * @sk: locked socket with a route
 *
 * The route's MTU is the path MTU once ICMP taught it one (RFC 1191).
 * An MSS counts no options (RFC 6691): the timestamps every segment
 * carries come out of the data.
 */
void ktcp_sync_mss(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct dst_entry *dst = __sk_dst_get(sk);
	u32 mtu = dst ? dst_mtu(dst) : 576;
	u32 mss = mtu - ks->af_ops->net_header_len - sizeof(struct tcphdr);

	sock_owned_by_me(sk);

	ks->pmtu_cookie = mtu;
	if (ks->cfg.user_mss)
		mss = min_t(u32, mss, ks->cfg.user_mss);
	ks->advmss = min_t(u32, mss, 65535 - 40);
	if (ks->peer_mss)
		mss = min_t(u32, mss, ks->peer_mss);
	if (ks->ts_ok)
		mss -= KTCP_TS_ALIGNED;
	ks->mss = max_t(u32, mss, 64);
}

/*
 * RFC 2018 section 4: the receiver's SACK blocks, the most recently
 * changed first, after two NOPs for alignment; a D-SACK (RFC 2883) goes
 * before them.  A data segment carries only the blocks that fit in the
 * MSS beside its @datalen bytes, and the timestamps leave room for three.
 * Return: bytes written.
 */
static unsigned int ktcp_build_sack_option(const struct ktcp_sock *ks, u8 *p,
					   unsigned int datalen)
{
	unsigned int room = ks->mss > datalen + 4 ? ks->mss - datalen - 4 : 0;
	unsigned int i, n = 0, nr;

	nr = min_t(unsigned int, ks->dsack + ks->nr_sack_blocks,
		   KTCP_MAX_SACK_BLOCKS);
	nr = min_t(unsigned int, nr, room / KTCP_OLEN_SACK_BLOCK);
	if (ks->ts_ok)
		nr = min_t(unsigned int, nr, KTCP_MAX_SACK_BLOCKS_TS);
	if (!nr)
		return 0;
	p[n++] = KTCP_OPT_NOP;
	p[n++] = KTCP_OPT_NOP;
	p[n++] = KTCP_OPT_SACK;
	p[n++] = 2 + nr * KTCP_OLEN_SACK_BLOCK;
	for (i = 0; i < nr; i++) {
		const struct ktcp_sack_block *b = ks->dsack ?
			(i ? &ks->sack_blocks[i - 1] : &ks->dsack_block) :
			&ks->sack_blocks[i];
		__be32 edge[2] = { htonl(b->start), htonl(b->end) };

		memcpy(p + n, edge, sizeof(edge));
		n += sizeof(edge);
	}
	return n;
}

/*
 * Push the header described by @skb's control block and hand it to IP.
 * @skb is consumed.
 */
static int ktcp_xmit_one(struct sock *sk, struct sk_buff *skb, u32 seq,
			 u8 flags)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned int datalen = skb->len;
	unsigned int optlen = 0;
	u8 opts[KTCP_MAX_HDR_LEN - KTCP_HDR_LEN];
	/* the clock is read only for segments that carry it */
	struct ktcp_ts ts = { ks->ts_ok ? ktcp_ts_now(ks) : 0, ks->ts_recent };
	struct tcphdr *th;
	unsigned int segs;
	u16 win;
	int err;

	if (flags & KTCP_FLAG_SYN) {
		/* RFC 7323 3.2: TSecr of a SYN without ACK is zero */
		if (!(flags & KTCP_FLAG_ACK))
			ts.ecr = 0;
		optlen = ktcp_build_syn_options(opts, ks->advmss,
						ks->wscale_ok || !ks->child ?
						ks->rcv_wscale : -1,
						ks->sack_ok,
						ks->ts_ok ? &ts : NULL);
		/* RFC 7323 2.2: the window in a SYN is never scaled. */
		win = min_t(u32, ktcp_select_window(sk) << ks->rcv_wscale,
			    65535U);
	} else {
		win = ktcp_select_window(sk);
		if (ks->ts_ok)
			optlen = ktcp_build_ts_option(opts, &ts);
		if ((flags & KTCP_FLAG_ACK) &&
		    (ks->nr_sack_blocks || ks->dsack)) {
			unsigned int n = ktcp_build_sack_option(ks,
								opts + optlen,
								datalen);

			if (n)		/* it leads: reported once, as TCP */
				ks->dsack = 0;
			optlen += n;
		}
	}

	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(seq);
	if (flags & KTCP_FLAG_ACK)
		th->ack_seq = htonl(ks->rcv_nxt);
	th->doff = (sizeof(*th) + optlen) / 4;
	((u8 *)th)[13] = flags;
	ktcp_urg_header(ks, seq, th);
	th->window = htons(win);
	memcpy(th + 1, opts, optlen);
	ks->af_ops->send_check(sk, skb);

	if (flags & KTCP_FLAG_ACK) {
		/* an ACK of data, alone or on ours, uses up a quick ACK */
		if (ks->ack_pending && ks->quick && !--ks->quick)
			ks->ato = KTCP_DELACK_TIME;	/* leaving the mode */
		ks->ack_pending = 0;
		ks->ack_pushed = 0;
		sk_stop_timer(sk, &ks->delack_timer);
	}
	segs = max_t(u16, skb_shinfo(skb)->gso_segs, 1);
	ks->segs_out += segs;
	KTCP_ADD_STATS(sock_net(sk), KTCP_MIB_OUTSEGS, segs);
	ktcp_trace_segment(sk, inet->inet_saddr, inet->inet_daddr, th,
			   datalen, true);

	if (skb_is_gso(skb))
		skb_shinfo(skb)->gso_size =
			ktcp_gso_size(skb_shinfo(skb)->gso_size, th->doff * 4);
	memset(skb->cb, 0, sizeof(struct inet_skb_parm));
	skb->sk = sk;
	err = ks->af_ops->queue_xmit(sk, skb);
	return net_xmit_eval(err);
}

/* Flags every segment of a synchronized connection carries. */
static u8 ktcp_base_flags(const struct sock *sk)
{
	return sk->sk_state == TCP_SYN_SENT ? 0 : KTCP_FLAG_ACK;
}

/**
 * ktcp_transmit_skb() - send a queued segment, keeping the original
 * @sk: locked socket
 * @skb: segment in the write queue
 * @gfp: allocation flags for the clone
 *
 * Return: 0 or a negative error; the segment stays queued either way.
 */
int ktcp_transmit_skb(struct sock *sk, struct sk_buff *skb, gfp_t gfp)
{
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	struct sk_buff *clone;

	sock_owned_by_me(sk);

	/* KUnit sees what would be sent, without a network */
	KUNIT_STATIC_STUB_REDIRECT(ktcp_transmit_skb, sk, skb, gfp);

	/* An earlier clone may still own the headroom: copy instead. */
	if (skb_cloned(skb))
		clone = pskb_copy(skb, gfp);
	else
		clone = skb_clone(skb, gfp);
	if (!clone)
		return -ENOBUFS;
	skb_set_owner_w(clone, sk);
	return ktcp_xmit_one(sk, clone, cb->seq,
			     cb->flags | ktcp_base_flags(sk));
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_transmit_skb);

static struct sk_buff *ktcp_alloc_ctl_skb(gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(KTCP_MAX_HEADER, gfp);

	if (skb)
		skb_reserve(skb, KTCP_MAX_HEADER);
	return skb;
}

/*
 * Append a SYN or FIN to the write queue, charging it to the socket even
 * over net.ktcp.mem: the connection must be able to open and to end.
 */
static void ktcp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	ktcp_forced_mem_schedule(sk, skb->truesize, SK_MEM_SEND);
	ktcp_wq_queue_tail(sk, skb);
	ktcp_wmem_charge(sk, skb);
	ks->write_seq = KTCP_SKB_CB(skb)->end_seq;
	ks->pushed_seq = ks->write_seq;	/* a SYN or FIN goes at once */
	if (!ks->send_head)
		ks->send_head = skb;
}

/**
 * ktcp_send_syn() - send our SYN, or SYN-ACK when in SYN-RECEIVED
 * @sk: locked socket with iss chosen
 *
 * The SYN is queued like data so that retransmission treats both alike;
 * a second call (simultaneous open) resends the queued SYN, which then
 * carries an ACK.
 *
 * Return: 0 or a negative error.
 */
int ktcp_send_syn(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	sock_owned_by_me(sk);

	if (skb && (KTCP_SKB_CB(skb)->flags & KTCP_FLAG_SYN)) {
		ks->send_head = skb;
		ks->snd_nxt = ks->iss;
	} else {
		skb = ktcp_alloc_ctl_skb(gfp_any());
		if (!skb)
			return -ENOBUFS;
		KTCP_SKB_CB(skb)->seq = ks->iss;
		KTCP_SKB_CB(skb)->end_seq = ks->iss + 1;
		KTCP_SKB_CB(skb)->flags = KTCP_FLAG_SYN;
		ks->snd_una = ks->iss;
		ks->snd_nxt = ks->iss;
		ks->snd_max = ks->iss;
		ktcp_queue_skb(sk, skb);
	}
	ktcp_push(sk);
	return 0;
}

/**
 * ktcp_send_fin() - queue our FIN behind any unsent data and push it
 * @sk: locked socket, process context
 *
 * Return: 0.
 */
int ktcp_send_fin(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	sock_owned_by_me(sk);

	if (ks->fin_queued)
		return 0;
	if (tail && ks->send_head && !(KTCP_SKB_CB(tail)->flags &
				       (KTCP_FLAG_SYN | KTCP_FLAG_FIN))) {
		/* Unsent data: the FIN rides on its last segment. */
		KTCP_SKB_CB(tail)->flags |= KTCP_FLAG_FIN;
		KTCP_SKB_CB(tail)->end_seq++;
		ks->write_seq++;
	} else {
		struct sk_buff *skb;

		/* close() and shutdown() may sleep: a FIN is never lost to
		 * memory pressure there.
		 */
		skb = ktcp_alloc_ctl_skb(in_softirq() ? GFP_ATOMIC :
					 GFP_KERNEL | __GFP_NOFAIL);
		if (!skb)
			return -ENOBUFS;
		KTCP_SKB_CB(skb)->seq = ks->write_seq;
		KTCP_SKB_CB(skb)->end_seq = ks->write_seq + 1;
		KTCP_SKB_CB(skb)->flags = KTCP_FLAG_FIN;
		ktcp_queue_skb(sk, skb);
	}
	ks->fin_queued = 1;
	ktcp_push(sk);
	return 0;
}

/* Send a segment that carries no data and is not queued. */
static int ktcp_send_bare(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = ktcp_alloc_ctl_skb(GFP_ATOMIC);

	if (!skb)
		return -ENOBUFS;
	skb_set_owner_w(skb, sk);
	return ktcp_xmit_one(sk, skb, seq, flags);
}

/**
 * ktcp_send_ack() - acknowledge everything received so far
 * @sk: locked socket
 *
 * The ACK carries snd_max, not snd_nxt: after a go-back-N restart the
 * peer may hold data beyond snd_nxt, and would drop an ACK numbered
 * below its rcv_nxt as outside the window (RFC 9293 3.10.7.4).
 *
 * Return: 0 or a negative error; on failure the delayed-ACK timer retries.
 */
int ktcp_send_ack(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	int err;

	sock_owned_by_me(sk);

	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return 0;
	err = ktcp_send_bare(sk, ks->snd_max, KTCP_FLAG_ACK);
	if (err == -ENOBUFS)
		ktcp_arm_delack(sk);
	return err;
}

/**
 * ktcp_send_probe() - zero window probe
 * @sk: locked socket
 *
 * An old sequence number makes the peer answer with its current window
 * (RFC 9293 3.8.6.1) without us sending data beyond it.
 *
 * Return: 0 or a negative error.
 */
int ktcp_send_probe(struct sock *sk)
{
	sock_owned_by_me(sk);

	return ktcp_send_bare(sk, ktcp_sk(sk)->snd_una - 1, KTCP_FLAG_ACK);
}

/**
 * ktcp_send_active_reset() - abort the connection with RST
 * @sk: locked socket in a synchronized state
 * @gfp: allocation flags
 */
void ktcp_send_active_reset(struct sock *sk, gfp_t gfp)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb = ktcp_alloc_ctl_skb(gfp);

	sock_owned_by_me(sk);

	if (!skb)
		return;
	skb_set_owner_w(skb, sk);
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_OUTRSTS);
	ktcp_trace_reset(true, inet_sk(sk)->inet_saddr, inet_sk(sk)->inet_sport,
			 inet_sk(sk)->inet_daddr, inet_sk(sk)->inet_dport,
			 ks->abort_reason, 0);
	ktcp_xmit_one(sk, skb, ks->snd_max, KTCP_FLAG_RST | KTCP_FLAG_ACK);
}

/*
 * How much of @skb may be sent now?  The peer's window, the congestion
 * limit @cwnd_end and, if @nagle, Nagle and TCP_CORK say.  Return: 0 to
 * wait, or the number of data bytes to send (all of it for a control
 * segment).
 */
static u32 ktcp_send_allowed(struct sock *sk, struct sk_buff *skb,
			     u32 cwnd_end, bool nagle)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	u32 wnd_end = ks->snd_una + ks->snd_wnd;
	bool in_flight = ks->snd_max != ks->snd_una;
	u32 usable;

	/* SYN and a bare FIN need no window space */
	if ((cb->flags & KTCP_FLAG_SYN) || !skb->len)
		return U32_MAX;
	if (ktcp_seq_before(cwnd_end, wnd_end))
		wnd_end = cwnd_end;
	if (!ktcp_seq_after(cb->seq + skb->len, wnd_end)) {
		/* Nagle, RFC 1122 4.2.3.4; TCP_CORK and MSG_MORE hold even
		 * the first.  Urgent data goes at once, as on TCP.  Only
		 * MSG_MORE holds what TCP_NODELAY pushed.
		 */
		if (nagle && skb->len < ktcp_size_goal(ks) &&
		    !(cb->flags & KTCP_FLAG_FIN) && !ks->urg_mode &&
		    skb_queue_is_last(&sk->sk_write_queue, skb) &&
		    (ks->more ||
		     (!ks->push_queued &&
		      (ks->cfg.cork || (!ks->cfg.nodelay && in_flight)))))
			return 0;
		return skb->len;
	}
	if (!ktcp_seq_after(wnd_end, cb->seq))
		return 0;
	/* Sender SWS avoidance, RFC 1122 4.2.3.4: part of a segment only
	 * when nothing is in flight or it fills half the largest window.
	 */
	usable = wnd_end - cb->seq;
	if (in_flight && usable < ks->max_snd_wnd / 2)
		return 0;
	return usable;
}

/*
 * Cut @skb after @len bytes; the rest becomes the next segment, to be
 * sent as new (or, below snd_max, resent).  Its memory is charged even
 * over net.ktcp.mem, as TCP's tcp_fragment() does: the data is queued
 * already, and refusing would stall the sender.  Page fragments (of
 * MSG_ZEROCOPY) move to the rest with their truesize, linear bytes are
 * copied; a clone in flight shares the fragment array, so @skb gets its
 * own first.
 */
static int ktcp_split(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);
	u32 rest_linear = 0, moved;
	struct sk_buff *rest;

	if (skb_is_nonlinear(skb) && ktcp_wmem_unclone(skb))
		return -ENOBUFS;
	if (len < skb_headlen(skb))
		rest_linear = skb_headlen(skb) - len;
	rest = alloc_skb_fclone(KTCP_DATA_HEADROOM + rest_linear, GFP_ATOMIC);
	if (!rest)
		return -ENOBUFS;
	skb_reserve(rest, KTCP_DATA_HEADROOM);
	ktcp_forced_mem_schedule(sk, rest->truesize, SK_MEM_SEND);
	ktcp_wmem_charge(sk, rest);
	skb_split(skb, rest, len);
	moved = rest->data_len;
	rest->truesize += moved;
	skb->truesize -= moved;
	/* the same data: the same send history and scoreboard marks */
	*KTCP_SKB_CB(rest) = *cb;
	KTCP_SKB_CB(rest)->seq = cb->seq + len;
	cb->flags &= ~(KTCP_FLAG_FIN | KTCP_FLAG_PSH);	/* @rest's now */
	cb->eor = 0;			/* the record ends in @rest */
	cb->end_seq = cb->seq + len;
	ktcp_wq_queue_after(sk, skb, rest);
	return 0;
}

/**
 * ktcp_trim_head() - drop the first @len bytes of a queued segment
 * @skb: a write queue skb, perhaps with a clone in flight
 * @len: at most @skb->len
 *
 * Linear bytes are pulled; page fragments (MSG_ZEROCOPY's) are dropped or
 * shortened, on a copy of the fragment array if a clone shares it.
 * Return: 0, or -ENOBUFS with @skb unchanged.
 */
int ktcp_trim_head(struct sk_buff *skb, u32 len)
{
	u32 eat = min(len, skb_headlen(skb));
	struct skb_shared_info *shinfo;
	int i, kept = 0;

	if (len > eat && ktcp_wmem_unclone(skb))
		return -ENOBUFS;
	__skb_pull(skb, eat);
	len -= eat;
	if (!len)
		return 0;
	skb->len -= len;
	skb->data_len -= len;
	shinfo = skb_shinfo(skb);
	for (i = 0; i < shinfo->nr_frags; i++) {
		skb_frag_t *frag = &shinfo->frags[i];

		if (len >= skb_frag_size(frag)) {
			len -= skb_frag_size(frag);
			skb_frag_unref(skb, i);
			continue;
		}
		shinfo->frags[kept] = *frag;
		skb_frag_off_add(&shinfo->frags[kept], len);
		skb_frag_size_sub(&shinfo->frags[kept], len);
		len = 0;
		kept++;
	}
	shinfo->nr_frags = kept;
	return 0;
}

/*
 * GSO: the run of queued segments from @skb on that goes out as one skb.
 * Only full-sized segments that the windows allow whole join, up to what
 * the route takes in one skb; a short one goes alone, so that Nagle
 * judges it with the run in flight.  Return: the run's last segment.
 */
static struct sk_buff *ktcp_gso_run(struct sock *sk, struct sk_buff *skb,
				    u32 cwnd_end, unsigned int *segs)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 max_bytes = ktcp_gso_max_bytes(sk);
	struct sk_buff *last = skb;
	u32 bytes = skb->len;

	*segs = 1;
	/* each segment needs its own urgent pointer */
	if (!ktcp_can_gso(sk) || ks->urg_mode)
		return skb;
	while (!skb_queue_is_last(&sk->sk_write_queue, last)) {
		struct sk_buff *next = skb_queue_next(&sk->sk_write_queue, last);

		if (last->len != ks->mss || next->len != ks->mss ||
		    (KTCP_SKB_CB(last)->flags & KTCP_FLAG_FIN) ||
		    (KTCP_SKB_CB(next)->flags & KTCP_FLAG_SYN) ||
		    bytes + next->len > max_bytes ||
		    *segs >= sk->sk_gso_max_segs ||
		    ktcp_send_allowed(sk, next, cwnd_end, true) != next->len)
			break;
		bytes += next->len;
		(*segs)++;
		last = next;
	}
	return last;
}

/*
 * Send the run @skb..@last of @segs segments as one GSO skb: a header-only
 * head whose frag_list holds clones of the queued segments, so no data is
 * copied.  The device or ktcp_gso_segment() cuts it at the MSS, which
 * every segment of the run fills.
 */
static int ktcp_transmit_run(struct sock *sk, struct sk_buff *skb,
			     struct sk_buff *last, unsigned int segs)
{
	struct sk_buff *head, *clone, *pos = skb;
	struct sk_buff **tail;

	if (skb == last)
		return ktcp_transmit_skb(sk, skb, GFP_ATOMIC);
	head = ktcp_alloc_ctl_skb(GFP_ATOMIC);
	if (!head)
		return -ENOBUFS;
	tail = &skb_shinfo(head)->frag_list;
	for (;;) {
		clone = skb_clone(pos, GFP_ATOMIC);
		if (!clone) {
			kfree_skb(head);	/* and the clones before */
			return -ENOBUFS;
		}
		*tail = clone;
		tail = &clone->next;
		head->len += clone->len;
		head->data_len += clone->len;
		head->truesize += clone->truesize;
		if (pos == last)
			break;
		pos = skb_queue_next(&sk->sk_write_queue, pos);
	}
	skb_shinfo(head)->gso_size = ktcp_sk(sk)->mss;	/* ktcp_xmit_one() */
	skb_shinfo(head)->gso_segs = segs;
	skb_shinfo(head)->gso_type = KTCP_GSO_TYPE;
	skb_set_owner_w(head, sk);
	/* PSH on every run's last segment, as TCP: a GRO receiver then
	 * delivers each run at once.
	 */
	return ktcp_xmit_one(sk, head, KTCP_SKB_CB(skb)->seq,
			     KTCP_SKB_CB(last)->flags | ktcp_base_flags(sk) |
			     KTCP_FLAG_PSH);
}

/* Account a segment sent again, by whichever path. */
static void ktcp_resent(struct sock *sk, const struct sk_buff *skb)
{
	ktcp_trace_retransmit(sk, skb);
	ktcp_sk(sk)->total_retrans++;
	ktcp_sk(sk)->bytes_retrans += skb->len;
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_RETRANSSEGS);
}

/*
 * Data leaves: a flight after idle restarts the delivery rate's interval,
 * and a reply within the delayed-ACK time of the last data received
 * marks the connection interactive (TCP's pingpong mode, threshold 1).
 */
static void ktcp_data_sent(struct ktcp_sock *ks)
{
	u32 now = (u32)jiffies;

	if (ks->snd_una == ks->snd_max) {
		ks->rate_stamp = now;
		ks->rate_base = ks->bytes_acked;
	}
	if (ks->bytes_received && now - ks->lrcvtime < ks->ato)
		ks->pingpong = 1;
	ks->lsndtime = now;
}

/* Sequence space and RTT bookkeeping for a segment just sent. */
static void ktcp_sent_new(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_skb_cb *cb = KTCP_SKB_CB(skb);

	cb->xmit_stamp = (u32)jiffies;
	if (skb->len)
		ktcp_data_sent(ks);
	if (ktcp_seq_after(cb->end_seq, ks->snd_nxt))
		ks->snd_nxt = cb->end_seq;
	if (ktcp_seq_after(cb->end_seq, ks->snd_max)) {
		ks->bytes_sent += skb->len;
		ks->snd_max = cb->end_seq;
	} else {
		/* Resent by go-back-N after an RTO: its ACK may be the first
		 * copy's (Karn), and data sent after it lies above snd_max.
		 */
		cb->retransmitted = 1;
		cb->rxt_nxt = ks->snd_max;
		ktcp_resent(sk, skb);
	}
}

/*
 * Send the run of segments that starts at send_head, its first cut to
 * @len bytes, within @cwnd_end.  Return: 0 or a negative error.
 */
static int ktcp_send_head_run(struct sock *sk, u32 len, u32 cwnd_end)
{
	struct sk_buff_head *queue = &sk->sk_write_queue;
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb = ks->send_head, *last;
	unsigned int segs;
	int err;

	if (len < skb->len) {
		err = ktcp_split(sk, skb, len);
		if (err)
			return err;
	}
	last = ktcp_gso_run(sk, skb, cwnd_end, &segs);
	err = ktcp_transmit_run(sk, skb, last, segs);
	if (err)
		return err;
	for (;;) {
		ktcp_sent_new(sk, skb);
		if (skb == last)
			break;
		skb = skb_queue_next(queue, skb);
	}
	ks->send_head = skb_queue_is_last(queue, last) ? NULL :
			skb_queue_next(queue, last);
	return 0;
}

/**
 * ktcp_send_new() - send new segments, from send_head on
 * @sk: locked socket
 * @cwnd_end: the sequence number the congestion window ends at
 */
void ktcp_send_new(struct sock *sk, u32 cwnd_end)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	sock_owned_by_me(sk);

	while ((skb = ks->send_head)) {
		u32 len = min_t(u32, ktcp_send_allowed(sk, skb, cwnd_end, true),
				ks->mss);

		if (!len || ktcp_send_head_run(sk, len, cwnd_end))
			break;
	}
}

/*
 * The first @len bytes from send_head, pushed: the timer ends a hold on
 * them, and their reader should not wait for more (TCP's
 * tcp_write_wakeup() sets PSH so too).
 */
static int ktcp_send_pushed(struct sock *sk, u32 len, u32 cwnd_end)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb = ks->send_head;
	int err;

	if (len < skb->len) {
		err = ktcp_split(sk, skb, len);
		if (err)
			return err;
	}
	KTCP_SKB_CB(skb)->flags |= KTCP_FLAG_PSH;
	if (ktcp_seq_before(ks->pushed_seq, KTCP_SKB_CB(skb)->end_seq))
		ks->pushed_seq = KTCP_SKB_CB(skb)->end_seq;
	return ktcp_send_head_run(sk, len, cwnd_end);
}

/**
 * ktcp_write_wakeup() - the timer's send while nothing is in flight
 * @sk: locked socket
 *
 * What the peer's window takes goes now, past Nagle and TCP_CORK, whose
 * hold ends here as TCP's does at its probe timer; with the window shut,
 * a zero-window probe goes instead.
 *
 * Return: 0 or a negative error.
 */
int ktcp_write_wakeup(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 cwnd_end = ks->snd_una + max(ks->cwnd, ks->mss);
	u32 len;

	sock_owned_by_me(sk);

	if (ks->send_head) {
		len = min_t(u32, ktcp_send_allowed(sk, ks->send_head, cwnd_end,
						   false), ks->mss);
		if (len)
			return ktcp_send_pushed(sk, len, cwnd_end);
	}
	return ktcp_send_probe(sk);
}

/*
 * The route's MTU changed without an ICMP error telling us (a device's
 * MTU set lower, a learnt path MTU expired): follow it, as TCP's
 * tcp_current_mss() does.
 */
static void ktcp_check_mtu(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);

	if (dst && dst_mtu(dst) != ktcp_sk(sk)->pmtu_cookie)
		ktcp_sync_mss(sk);
}

/*
 * Limited transmit (RFC 3042), counted as TCP's pipe counts it: before
 * recovery, what the peer reports received above a hole has left the
 * network, and as much new data may take its place; without SACK, each
 * duplicate ACK stands for one segment.
 */
static u32 ktcp_left_network(const struct ktcp_sock *ks)
{
	if (ks->in_recovery || ks->in_loss)
		return 0;
	return ks->sack_ok ? ks->sacked_out : ks->dupacks * ks->mss;
}

/**
 * ktcp_push() - send what the windows allow
 * @sk: locked socket
 */
void ktcp_push(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);
	ktcp_check_mtu(sk);
	if (ks->sack_recovery)
		ktcp_sack_xmit(sk);
	else
		ktcp_send_new(sk, ks->snd_una + ks->cwnd +
			      ktcp_left_network(ks));
	/* Something unacknowledged, or a closed window: keep a timer. */
	if (!skb_queue_empty(&sk->sk_write_queue))
		ktcp_arm_rtx(sk);
}

/**
 * ktcp_retransmit_skb() - resend one sent segment
 * @sk: locked socket
 * @skb: a segment in the write queue before send_head
 *
 * Return: 0 or a negative error.
 */
int ktcp_retransmit_skb(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	int err;

	sock_owned_by_me(sk);

	/* sent before the path MTU shrank */
	if (skb->len > ks->mss && ktcp_split(sk, skb, ks->mss))
		return -ENOBUFS;
	KTCP_SKB_CB(skb)->retransmitted = 1;
	KTCP_SKB_CB(skb)->rxt_nxt = ks->snd_nxt;
	KTCP_SKB_CB(skb)->xmit_stamp = (u32)jiffies;
	err = ktcp_transmit_skb(sk, skb, GFP_ATOMIC);
	if (!err)
		ktcp_resent(sk, skb);
	return err;
}

/**
 * ktcp_simple_retransmit() - resend what a smaller path MTU lost
 * @sk: locked socket whose MSS just shrank
 *
 * Segments sent larger than the new MSS never arrived.  From the first
 * of them on, everything goes again at once (go-back-N), cut to the new
 * size as it goes, with no congestion response: the path did not get
 * more congested, its unit shrank (as TCP's tcp_simple_retransmit()).
 */
void ktcp_simple_retransmit(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	sock_owned_by_me(sk);

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == ks->send_head)
			return;
		if (skb->len > ks->mss)
			break;
	}
	if (skb == (struct sk_buff *)&sk->sk_write_queue)
		return;
	/* NewReno's inflation stood for segments that left the network */
	if (ks->in_recovery)
		ks->cwnd = min(ks->cwnd, ks->ssthresh);
	ks->in_recovery = 0;
	ks->sack_recovery = 0;
	ks->tlp_out = 0;
	ks->dupacks = 0;
	ktcp_sack_forget(sk);
	ks->send_head = skb;
	ks->snd_nxt = KTCP_SKB_CB(skb)->seq;
	ktcp_push(sk);
}

/**
 * ktcp_retransmit_head() - resend the oldest unacknowledged segment
 * @sk: locked socket
 *
 * Return: 0 or a negative error.
 */
int ktcp_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	sock_owned_by_me(sk);

	if (!skb || skb == ktcp_sk(sk)->send_head)
		return 0;
	return ktcp_retransmit_skb(sk, skb);
}

/**
 * ktcp_write_queue_purge() - drop everything queued for sending
 * @sk: locked socket
 */
void ktcp_write_queue_purge(struct sock *sk)
{
	struct sk_buff *skb;

	struct ktcp_sock *ks = ktcp_sk(sk);

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		ktcp_wmem_free_skb(sk, skb);
	ks->wq_index = RB_ROOT;
	ks->send_head = NULL;
	ks->sacked_out = 0;
	ks->lost_out = 0;
	ks->retrans_out = 0;
}

/*
 * The window scale to offer, as TCP's tcp_select_initial_window(): room
 * for the largest window the receive buffer may grow to, tcp_rmem[2] or
 * net.core.rmem_max, within a buffer fixed by SO_RCVBUF and within
 * TCP_WINDOW_CLAMP.  ktcp's window is half the buffer.
 */
static u8 ktcp_select_wscale(const struct sock *sk)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf) / 2;
	u32 clamp = ktcp_sk(sk)->cfg.window_clamp ? : 65535U << KTCP_MAX_WSCALE;

	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK)
		clamp = min(clamp, space);
	space = max3(space,
		     (u32)READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_rmem[2]),
		     (u32)READ_ONCE(sysctl_rmem_max));
	space = min(space, clamp);
	return clamp_t(int, ilog2(max(space, 1U)) - 15, 0, KTCP_MAX_WSCALE);
}

/**
 * ktcp_init_xmit_vars() - set up window scale and MSS before the SYN
 * @sk: locked socket with a route
 */
void ktcp_init_xmit_vars(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->rcv_wscale = ktcp_select_wscale(sk);
	/* offered until the peer says */
	ks->sack_ok = ktcp_net_sack(sock_net(sk));
	ks->ts_ok = ktcp_net_timestamps(sock_net(sk));
	ks->ts_off = ks->af_ops->init_ts_off(sk);
	ktcp_sync_mss(sk);
	ks->rcv_mss = min_t(u32, ks->advmss, KTCP_DEFAULT_MSS);
	ks->cwnd = 10 * ks->mss;	/* RFC 6928 initial window */
	ks->ssthresh = U32_MAX;
	ks->rto = KTCP_RTO_INIT;
	ktcp_cong_start(sk);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_init_xmit_vars);

/**
 * ktcp_fill_reset() - the header of a reset that answers @skb
 * @rth: where to write it; the checksum is left to the family
 * @skb: the offending segment, header validated
 *
 * RFC 9293 3.10.7.1: if the segment has an ACK, the reset takes its
 * sequence number from it; otherwise seq 0 and an ACK of everything the
 * segment occupied.
 */
void ktcp_fill_reset(struct tcphdr *rth, const struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	u32 seglen;

	memset(rth, 0, sizeof(*rth));
	rth->source = th->dest;
	rth->dest = th->source;
	rth->doff = sizeof(*rth) / 4;
	rth->rst = 1;
	if (th->ack) {
		rth->seq = th->ack_seq;
	} else {
		seglen = skb->len - th->doff * 4 + th->syn + th->fin;
		rth->ack = 1;
		rth->ack_seq = htonl(ntohl(th->seq) + seglen);
	}
}
