// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp over IPv4: the family glue around the protocol core, as TCP keeps
 * it in tcp_ipv4.c.  The receive handler checks a segment (length, data
 * offset, checksum against the IPv4 pseudo-header) before anything else
 * looks at it and hands it with its four-tuple to ktcp_rcv()
 * (ktcp_rcv.c), which finds the socket.  ICMP errors, path MTU, routes
 * and resets for segments without a socket are IPv4's too.
 */
#include <linux/ip.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include "ktcp.h"
#include "ktcp_hash.h"
#include "ktcp_input.h"
#include "ktcp_ipv4.h"
#include "ktcp_kunit.h"
#include "ktcp_main.h"
#include "ktcp_mib.h"
#include "ktcp_output.h"
#include "ktcp_rcv.h"
#include "ktcp_trace.h"

/**
 * ktcp_validate() - check a segment from the wire before anything uses it
 * @skb: segment, data at the transport header
 *
 * Checks the header length, data offset, checksum and options, then fills
 * the control block and the parsed options.
 *
 * Return: 0, or the KTCP_MIB_DROP_* reason to drop it.
 */
int ktcp_validate(struct sk_buff *skb)
{
	return ktcp_check_segment(skb, AF_INET) ? : ktcp_fill_cb(skb);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_validate);

/* IPsec's input policy; @sk may be NULL (no socket, TIME-WAIT). */
static bool ktcp_v4_policy_ok(struct sock *sk, struct sk_buff *skb)
{
	return xfrm4_policy_check(sk, XFRM_POLICY_IN, skb);
}

/**
 * ktcp_v4_rcv() - IPv4 receive handler (net_protocol->handler), softirq
 * @skb: the segment, data at the transport header
 *
 * Return: 0; the skb is always consumed.
 */
int ktcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct iphdr *iph;
	struct ktcp_key key;

	if (!ktcp_rcv_checked(net, skb, AF_INET))
		return 0;
	iph = ip_hdr(skb);
	memset(&key, 0, sizeof(key));
	key.family = AF_INET;
	key.raddr.v4 = iph->saddr;
	key.laddr.v4 = iph->daddr;
	key.rport = tcp_hdr(skb)->source;
	key.lport = ntohs(tcp_hdr(skb)->dest);
	key.dif = inet_iif(skb);
	ktcp_rcv(net, skb, &key, &ktcp_ipv4_ops);
	return 0;
}

/* Route @sk again along its flow, as connect() did; NULL if unroutable. */
static struct dst_entry *ktcp_v4_rebuild_route(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct rtable *rt;

	rt = ip_route_output_ports(sock_net(sk), &inet->cork.fl.u.ip4, sk,
				   inet->inet_daddr, inet->inet_saddr,
				   inet->inet_dport, inet->inet_sport,
				   ktcp_protocol, 0, sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return NULL;
	sk_setup_caps(sk, &rt->dst);
	return &rt->dst;
}

/* Let @sk's route learn path MTU @mtu; return the route, or NULL. */
static struct dst_entry *ktcp_v4_update_pmtu(struct sock *sk, u32 mtu)
{
	struct dst_entry *dst = __sk_dst_check(sk, 0);

	if (!dst)
		dst = ktcp_v4_rebuild_route(sk);
	if (!dst)
		return NULL;
	dst->ops->update_pmtu(dst, sk, NULL, mtu, true);
	/* the update may have made the route obsolete */
	dst = __sk_dst_check(sk, 0);
	return dst ? : ktcp_v4_rebuild_route(sk);
}

/**
 * ktcp_v4_mtu_reduced() - act on an ICMP "fragmentation needed"
 * @sk: locked socket (softirq, or its owner releasing it); mtu_info
 *      holds the MTU
 *
 * RFC 1191: the route learns the smaller path MTU; unless the user set
 * IP_PMTUDISC_DONT (or a mode that ignores ICMP), the MSS shrinks to fit
 * and whatever was sent in larger segments goes again at once, cut to
 * the new size.
 */
void ktcp_v4_mtu_reduced(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 mtu = READ_ONCE(ks->mtu_info);
	struct dst_entry *dst;

	sock_owned_by_me(sk);
	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE | TCPF_TIME_WAIT))
		return;
	dst = ktcp_v4_update_pmtu(sk, mtu);
	if (!dst)
		return;
	mtu = dst_mtu(dst);
	if (READ_ONCE(inet->pmtudisc) == IP_PMTUDISC_DONT ||
	    !ip_sk_accept_pmtu(sk) || ks->pmtu_cookie <= mtu)
		return;
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_MTU_REDUCED);
	ktcp_sync_mss(sk);
	ktcp_simple_retransmit(sk);
}

/*
 * ICMP errors that end a connection still opening, or are kept as soft.
 * Return: the negative error, or 0 for those ignored.
 */
static int ktcp_v4_icmp_error(int type, int code)
{
	switch (type) {
	case ICMP_PARAMETERPROB:
		return -EPROTO;
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return 0;
		return -icmp_err_convert[code].errno;
	case ICMP_TIME_EXCEEDED:
		return -EHOSTUNREACH;
	}
	return 0;	/* source quench (RFC 6633), redirects, the rest */
}

/**
 * ktcp_v4_err() - ICMP error handler (net_protocol->err_handler)
 * @skb: the ICMP message, data at the quoted IP header's payload
 * @info: ICMP info (MTU for fragmentation needed)
 *
 * ktcp_rcv_error() acts on it.
 *
 * Return: 0.
 */
int ktcp_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const int type = icmp_hdr(skb)->type;
	const int code = icmp_hdr(skb)->code;
	const struct tcphdr *th;
	struct ktcp_key key;
	bool too_big;

	if (!pskb_may_pull(skb, iph->ihl * 4 + 8))
		return 0;
	iph = (const struct iphdr *)skb->data;
	th = (const struct tcphdr *)(skb->data + iph->ihl * 4);
	memset(&key, 0, sizeof(key));
	key.family = AF_INET;
	key.raddr.v4 = iph->daddr;
	key.laddr.v4 = iph->saddr;
	key.rport = th->dest;
	key.lport = ntohs(th->source);
	key.dif = inet_iif(skb);
	too_big = type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED;
	ktcp_rcv_error(dev_net(skb->dev), &key, ntohl(th->seq),
		       -ktcp_v4_icmp_error(type, code), too_big ? info : 0);
	return 0;
}

/**
 * ktcp_v4_send_reset() - answer a segment that has no connection
 * @net: namespace it arrived in
 * @skb: the offending segment, header validated, not consumed
 * @reason: KTCP_RST_*, for the ktcp_reset tracepoint
 *
 * RFC 9293 3.10.7.1: if the segment has an ACK, the reset takes its
 * sequence number from it; otherwise seq 0 and an ACK of everything the
 * segment occupied.  A RST is never answered.
 */
void ktcp_v4_send_reset(struct net *net, struct sk_buff *skb, int reason)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = sizeof(struct iphdr) + sizeof(struct tcphdr);
	struct flowi4 fl4 = {};
	struct sk_buff *nskb;
	struct tcphdr *rth;
	struct iphdr *riph;
	struct rtable *rt;

	/* KUnit sees the reset the segment would get */
	KUNIT_STATIC_STUB_REDIRECT(ktcp_v4_send_reset, net, skb, reason);

	if (th->rst)
		return;

	fl4.daddr = iph->saddr;
	fl4.saddr = iph->daddr;
	fl4.flowi4_proto = ktcp_protocol;
	fl4.flowi4_oif = inet_iif(skb);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;

	nskb = alloc_skb(LL_MAX_HEADER + hlen, GFP_ATOMIC);
	if (!nskb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(nskb, LL_MAX_HEADER + hlen);
	skb_dst_set(nskb, &rt->dst);

	rth = skb_push(nskb, sizeof(*rth));
	skb_reset_transport_header(nskb);
	ktcp_fill_reset(rth, skb);
	rth->check = csum_tcpudp_magic(iph->daddr, iph->saddr, sizeof(*rth),
				       ktcp_protocol,
				       csum_partial(rth, sizeof(*rth), 0));

	riph = skb_push(nskb, sizeof(*riph));
	skb_reset_network_header(nskb);
	riph->version = 4;
	riph->ihl = sizeof(*riph) / 4;
	riph->tos = 0;
	riph->tot_len = htons(nskb->len);
	riph->id = 0;
	riph->frag_off = htons(IP_DF);
	riph->ttl = ip4_dst_hoplimit(&rt->dst);
	riph->protocol = ktcp_protocol;
	riph->saddr = fl4.saddr;
	riph->daddr = fl4.daddr;
	ip_send_check(riph);

	KTCP_INC_STATS(net, KTCP_MIB_OUTRSTS);
	KTCP_INC_STATS(net, KTCP_MIB_OUTSEGS);
	ktcp_trace_reset(true, riph->saddr, rth->source, riph->daddr, rth->dest,
			 reason, 0);
	ktcp_trace_segment(NULL, riph->saddr, riph->daddr, rth, 0, true);
	ip_local_out(net, NULL, nskb);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_v4_send_reset);

/**
 * ktcp_v4_queue_xmit() - hand a segment with its header to IPv4
 * @sk: the socket, whose route and flow it takes
 * @skb: the segment; consumed
 *
 * Return: what ip_queue_xmit() returns.
 */
int ktcp_v4_queue_xmit(struct sock *sk, struct sk_buff *skb)
{
	/* KUnit sees every segment as it would go out, header and all */
	KUNIT_STATIC_STUB_REDIRECT(ktcp_v4_queue_xmit, sk, skb);
	return ip_queue_xmit(sk, skb, &inet_sk(sk)->cork.fl);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_v4_queue_xmit);

/* The checksum over the IPv4 pseudo-header, or the device's to finish. */
static void ktcp_v4_send_check(struct sock *sk, struct sk_buff *skb)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct tcphdr *th = tcp_hdr(skb);

	if (sk->sk_route_caps & NETIF_F_HW_CSUM) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		th->check = ~csum_tcpudp_magic(inet->inet_saddr,
					       inet->inet_daddr, skb->len,
					       ktcp_protocol, 0);
		return;
	}
	skb->ip_summed = CHECKSUM_NONE;
	th->check = csum_tcpudp_magic(inet->inet_saddr, inet->inet_daddr,
				      skb->len, ktcp_protocol,
				      skb_checksum(skb, 0, skb->len, 0));
}

/*
 * connect() to an IPv4 address: route to it, take the route's source
 * address unless bound to one, and hash the four-tuple (choosing the
 * port if none is bound), as TCP's tcp_v4_connect().
 */
static int ktcp_v4_connect(struct sock *sk, struct sockaddr *uaddr,
			   int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct flowi4 *fl4 = &inet->cork.fl.u.ip4;
	struct rtable *rt;
	int err;

	if (addr_len < sizeof(*usin))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	rt = ip_route_output_ports(sock_net(sk), fl4, sk, usin->sin_addr.s_addr,
				   inet->inet_saddr, usin->sin_port,
				   inet->inet_sport, ktcp_protocol, 0,
				   sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_daddr = fl4->daddr;
	inet->inet_dport = usin->sin_port;

	err = ktcp_hash_connect(sk);
	if (err) {
		inet->inet_daddr = 0;
		inet->inet_dport = 0;
		ip_rt_put(rt);
		return err;
	}
	sk_setup_caps(sk, &rt->dst);
	sk->sk_gso_type = 0;
	ktcp_set_inet_id(inet, get_random_u16());
	return 0;
}

/* A listener's child: the SYN's addresses, no IP options, its own route. */
static bool ktcp_v4_init_child(struct sock *child, struct sk_buff *skb)
{
	struct inet_sock *inet = inet_sk(child);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	inet->inet_daddr = iph->saddr;
	inet->inet_dport = th->source;
	inet->inet_rcv_saddr = iph->daddr;
	inet->inet_saddr = iph->daddr;
	inet->inet_sport = th->dest;
	RCU_INIT_POINTER(inet->inet_opt, NULL);
	inet->mc_list = NULL;
	ktcp_set_inet_id(inet, get_random_u16());
	return ktcp_v4_rebuild_route(child);
}

static u32 ktcp_v4_init_seq(const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	return ktcp_isn(inet->inet_saddr, inet->inet_daddr, inet->inet_sport,
			inet->inet_dport);
}

static u32 ktcp_v4_init_ts_off(const struct sock *sk)
{
	return ktcp_ts_off(inet_sk(sk)->inet_saddr, inet_sk(sk)->inet_daddr);
}

const struct ktcp_af_ops ktcp_ipv4_ops = {
	.queue_xmit	= ktcp_v4_queue_xmit,
	.send_check	= ktcp_v4_send_check,
	.connect	= ktcp_v4_connect,
	.init_child	= ktcp_v4_init_child,
	.init_seq	= ktcp_v4_init_seq,
	.init_ts_off	= ktcp_v4_init_ts_off,
	.mtu_reduced	= ktcp_v4_mtu_reduced,
	.policy_ok	= ktcp_v4_policy_ok,
	.send_reset	= ktcp_v4_send_reset,
	.net_header_len	= sizeof(struct iphdr),
};
