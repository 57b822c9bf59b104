// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp demultiplexing: from a segment the family's receive handler
 * (ktcp_ipv4.c, ktcp_ipv6.c) validated to the socket it belongs to, and
 * from an ICMP error to the connection it names.  Nothing here knows the
 * address family: the handler passes the segment's four-tuple as a key
 * and its family operations for what differs (host policy, resets, path
 * MTU).
 */
#include <linux/filter.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_fsm.h"
#include "ktcp_hash.h"
#include "ktcp_input.h"
#include "ktcp_main.h"
#include "ktcp_mib.h"
#include "ktcp_parse.h"
#include "ktcp_rcv.h"
#include "ktcp_trace.h"

/**
 * ktcp_check_segment() - the checks before anything reads a segment
 * @skb: the segment, data at the transport header
 * @family: AF_INET or AF_INET6, for the pseudo-header of the checksum
 *
 * Header length, data offset and checksum.  skb->cb still holds the
 * network layer's control block, which the IPsec policy check reads.
 *
 * Return: 0, or the KTCP_MIB_DROP_* reason to drop it.
 */
int ktcp_check_segment(struct sk_buff *skb, int family)
{
	unsigned int doff;
	__sum16 bad;

	if (skb->pkt_type != PACKET_HOST)
		return KTCP_MIB_DROP_NOT_HOST;
	if (!pskb_may_pull(skb, sizeof(struct tcphdr)))
		return KTCP_MIB_DROP_SHORT;
	doff = tcp_hdr(skb)->doff * 4;
	if (doff < sizeof(struct tcphdr) || !pskb_may_pull(skb, doff))
		return KTCP_MIB_DROP_BAD_DOFF;
	if (family == AF_INET6)
		bad = skb_checksum_init(skb, ktcp_protocol, ip6_compute_pseudo);
	else
		bad = skb_checksum_init(skb, ktcp_protocol, inet_compute_pseudo);
	if (bad || skb_checksum_complete(skb))
		return KTCP_MIB_DROP_CSUM;
	return 0;
}

/**
 * ktcp_rcv_checked() - ktcp_check_segment(), dropping a segment that fails
 * @net: the namespace it arrived in, whose counters say why
 * @skb: the segment; consumed if it fails
 * @family: as for ktcp_check_segment()
 *
 * Return: true if the segment passed.
 */
bool ktcp_rcv_checked(struct net *net, struct sk_buff *skb, int family)
{
	int reason = ktcp_check_segment(skb, family);

	if (!reason)
		return true;
	if (reason == KTCP_MIB_DROP_CSUM)
		KTCP_INC_STATS(net, KTCP_MIB_INCSUMERRORS);
	ktcp_drop_net(net, skb, reason);
	return false;
}

/*
 * Is a SYN for @ks in TIME-WAIT from a newer incarnation?  RFC 6191: a
 * newer timestamp says so, an older one says not; without timestamps, or
 * with the same one, a sequence number beyond the old connection's.
 */
static bool ktcp_tw_syn_newer(const struct ktcp_sock *ks,
			      const struct tcphdr *th)
{
	struct ktcp_opts opts;

	if (ks->ts_ok && ks->ts_recent &&
	    !ktcp_parse_options((const u8 *)(th + 1),
				th->doff * 4 - sizeof(*th), &opts) &&
	    opts.ts_ok && opts.tsval != ks->ts_recent)
		return (s32)(opts.tsval - ks->ts_recent) > 0;
	return ktcp_seq_after(ntohl(th->seq), ks->rcv_nxt);
}

/*
 * RFC 1122 4.2.2.13 and RFC 6191: a SYN for a four-tuple in TIME-WAIT
 * from a newer incarnation (ktcp_tw_syn_newer())
 * may open a new connection at once, as TCP's does: the TIME-WAIT socket
 * ends and the listener takes the SYN, answering with an ISN beyond the
 * old connection's (*@isn, *@tw_syn set).  A SYN that finds the socket
 * ended since its lookup, by its timer or by a copy of this SYN on
 * another CPU, goes to the listener as any SYN: the four-tuple is free.
 * The control block is not filled yet (IP's is still needed), so the
 * header is read.
 *
 * Return: the listener that takes the segment, with a reference, or
 * NULL if it stays @sk's.
 */
static struct sock *ktcp_tw_reopen(struct sock *sk, struct sk_buff *skb,
				   const struct ktcp_key *key, u32 *isn,
				   bool *tw_syn)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sock *lsk;
	bool reopen, ended;

	if (!th->syn || th->ack || th->rst)
		return NULL;
	lsk = ktcp_lookup_listener_key(sock_net(sk), key);
	if (!lsk)
		return NULL;
	bh_lock_sock(sk);
	reopen = !sock_owned_by_user(sk) && sk->sk_state == TCP_TIME_WAIT &&
		 ktcp_tw_syn_newer(ks, th);
	ended = !sock_owned_by_user(sk) && sk->sk_state == TCP_CLOSE;
	if (reopen) {
		*isn = ks->snd_max + 65535 + 2;
		*tw_syn = true;
		ktcp_fsm_event(sk, KTCP_EV_RCV_SYN);
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_TW_REOPENED);
	}
	bh_unlock_sock(sk);
	if (reopen || ended)
		return lsk;
	sock_put(lsk);
	return NULL;
}

/*
 * The host's policy for a segment that found its socket, as TCP applies
 * it (ktcp's net_protocol has no_policy set for this): IPsec input
 * policy, which reads the network layer's control block (so ours is not
 * filled yet), then socket filters and the LSM.  A filter may trim the
 * segment, never below its header.
 *
 * Return: 0, or the KTCP_MIB_DROP_* reason to drop it.
 */
static int ktcp_rcv_policy(struct sock *sk, struct sk_buff *skb,
			   const struct ktcp_af_ops *ops)
{
	if (!ops->policy_ok(sk, skb))
		return KTCP_MIB_DROP_POLICY;
	nf_reset_ct(skb);
	/* an error before 7.x, a drop reason since: non-zero either way */
	if (sk_filter_trim_cap(sk, skb, tcp_hdr(skb)->doff * 4))
		return KTCP_MIB_DROP_FILTER;
	return 0;
}

/**
 * ktcp_rcv() - hand a checked segment to its socket (softirq)
 * @net: the namespace it arrived in
 * @skb: the segment, through ktcp_check_segment(); always consumed
 * @key: its four-tuple, family and incoming interface
 * @ops: the family's operations
 *
 * A segment without a socket is answered with a reset.  A SYN may end a
 * connection in TIME-WAIT.  The socket takes the segment under
 * bh_lock_sock(), or in its backlog when a process owns it.
 */
void ktcp_rcv(struct net *net, struct sk_buff *skb,
	      const struct ktcp_key *key, const struct ktcp_af_ops *ops)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *sk, *lsk;
	bool tw_syn = false;
	u32 tw_isn = 0;
	int reason;

	/* A GSO skb from veth is gso_segs segments on the wire. */
	KTCP_ADD_STATS(net, KTCP_MIB_INSEGS,
		       max_t(u16, skb_shinfo(skb)->gso_segs, 1));
	sk = ktcp_lookup_key(net, key);
	ktcp_trace_segment(sk, key->family == AF_INET ? key->raddr.v4 : 0,
			   key->family == AF_INET ? key->laddr.v4 : 0, th,
			   skb->len - th->doff * 4, false);
	if (!sk) {
		reason = ops->policy_ok(NULL, skb) ? ktcp_fill_cb(skb) :
						     KTCP_MIB_DROP_POLICY;
		if (reason)
			goto drop;
		ops->send_reset(net, skb, KTCP_RST_NO_SOCKET);
		reason = KTCP_MIB_DROP_NO_SOCKET;
		goto drop;
	}
	if (sk->sk_state == TCP_TIME_WAIT) {
		/* a SYN may end it: IPsec's word first, as without a socket */
		if (!ops->policy_ok(NULL, skb)) {
			reason = KTCP_MIB_DROP_POLICY;
			goto put_drop;
		}
		lsk = ktcp_tw_reopen(sk, skb, key, &tw_isn, &tw_syn);
		if (lsk) {
			sock_put(sk);
			sk = lsk;
		}
	}
	/* the listener's policy, not the old connection's, for a reopen */
	reason = ktcp_rcv_policy(sk, skb, ops) ? : ktcp_fill_cb(skb);
	if (reason)
		goto put_drop;
	if (tw_syn) {
		KTCP_SKB_CB(skb)->tw_isn = tw_isn;
		KTCP_SKB_CB(skb)->tw_syn = 1;
	}

	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		ktcp_rcv_state_process(sk, skb);
	} else if (sk_add_backlog(sk, skb, ktcp_backlog_limit(sk))) {
		bh_unlock_sock(sk);
		reason = KTCP_MIB_DROP_BACKLOG;
		goto put_drop;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return;

put_drop:
	sock_put(sk);
drop:
	ktcp_drop_net(net, skb, reason);
}

/**
 * ktcp_rcv_error() - act on an ICMP error that quotes one of our segments
 * @net: the namespace it arrived in
 * @key: the quoted segment's four-tuple, seen from our end
 * @seq: the quoted segment's sequence number
 * @err: the error as an errno, 0 for one that is ignored
 * @mtu: for "too big" (fragmentation needed), the next hop's MTU, else 0
 *
 * As TCP (RFC 1122 4.2.3.9, RFC 5927): "too big" drives path MTU
 * discovery; other errors end a connection that is still opening, and
 * for an open one are kept as the soft error that a later timeout
 * reports (or reported at once with IP_RECVERR).  Only a message quoting
 * a segment in flight counts, or a blind attacker could forge them.
 */
void ktcp_rcv_error(struct net *net, const struct ktcp_key *key, u32 seq,
		    int err, u32 mtu)
{
	struct ktcp_sock *ks;
	struct sock *sk;

	sk = ktcp_lookup_key(net, key);
	if (!sk)
		return;
	ks = ktcp_sk(sk);

	bh_lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN || sk->sk_state == TCP_TIME_WAIT)
		goto out;
	if (!ktcp_seq_between(seq, ks->snd_una, ks->snd_max)) {
		KTCP_INC_STATS(net, KTCP_MIB_OUT_OF_WINDOW_ICMPS);
		goto out;
	}
	if (mtu) {
		WRITE_ONCE(ks->mtu_info, mtu);
		if (!sock_owned_by_user(sk))
			ks->af_ops->mtu_reduced(sk);
		else
			set_bit(KTCP_DEFER_MTU, &ks->pending_timers);
		goto out;
	}
	if (!err)
		goto out;
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		WRITE_ONCE(sk->sk_err_soft, err);
		/* connect() may hold it while the SYN's error comes back */
		if (sock_owned_by_user(sk))
			set_bit(KTCP_DEFER_ERROR, &ks->pending_timers);
		else
			ktcp_open_error(sk);
	} else if (!sock_owned_by_user(sk) && ktcp_recverr(sk)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}
