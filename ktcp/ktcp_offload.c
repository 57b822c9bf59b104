// SPDX-License-Identifier: GPL-2.0
/*
 * Segmentation offload for ktcp's IP protocol.
 *
 * ktcp_output.c hands IP one GSO skb for a run of full-sized segments.
 * A device that takes KTCP_GSO_TYPE (software devices: veth, loopback)
 * passes it on whole; for any other, the GSO layer calls
 * ktcp_gso_segment() through inet_offloads[] to cut it at gso_size.  The
 * header is TCP's, so each piece is fixed up as tcp_gso_segment() does
 * for IPPROTO_TCP, which only TCP may use.
 */
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/tcp.h>

#include "ktcp.h"
#include "ktcp_main.h"
#include "ktcp_offload.h"

/*
 * The checksum field holds the pseudo-header sum for @len bytes; make
 * it the sum for @newlen and finish @seg's checksum.
 */
static void ktcp_gso_csum(struct sk_buff *seg, struct tcphdr *th, u32 len,
			  u32 newlen)
{
	__wsum delta = (__force __wsum)htonl(~len + newlen);

	th->check = ~csum_fold(csum_add(csum_unfold(th->check), delta));
	if (seg->ip_summed == CHECKSUM_PARTIAL)
		gso_reset_checksum(seg, ~csum_unfold(th->check));
	else
		th->check = gso_make_checksum(seg, ~csum_unfold(th->check));
}

static struct sk_buff *ktcp_gso_segment(struct sk_buff *skb,
					netdev_features_t features)
{
	struct sk_buff *segs, *seg;
	unsigned int thlen, mss, len;
	struct tcphdr *th;
	u32 seq;

	if (!(skb_shinfo(skb)->gso_type & KTCP_GSO_TYPE) ||
	    !pskb_may_pull(skb, sizeof(*th)))
		return ERR_PTR(-EINVAL);
	th = tcp_hdr(skb);
	thlen = th->doff * 4;
	if (thlen < sizeof(*th) || !pskb_may_pull(skb, thlen))
		return ERR_PTR(-EINVAL);
	th = tcp_hdr(skb);
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		/* Not from ktcp_output.c: start the checksum as it would. */
		th->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr,
					       ip_hdr(skb)->daddr, skb->len,
					       ip_hdr(skb)->protocol, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
	} else if (skb_checksum_start(skb) != skb_transport_header(skb)) {
		return ERR_PTR(-EINVAL);
	}

	/* gso_size counts the header's excess over SCTP's: ktcp_gso_size() */
	mss = skb_shinfo(skb)->gso_size;
	if (mss <= thlen - sizeof(struct sctphdr))
		return ERR_PTR(-EINVAL);
	mss -= thlen - sizeof(struct sctphdr);
	len = skb->len;
	__skb_pull(skb, thlen);
	if (skb->len <= mss)
		return NULL;		/* one segment: send it as it is */
	if (skb_gso_ok(skb, features | NETIF_F_GSO_ROBUST)) {
		/* An untrusted source: the device cuts, we only count. */
		skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(skb->len, mss);
		return NULL;
	}

	/* skb_segment() cuts at gso_size: make it ours to change */
	if (skb_cloned(skb) && pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
		return ERR_PTR(-ENOMEM);
	skb_shinfo(skb)->gso_size = mss;
	segs = skb_segment(skb, features);
	if (IS_ERR(segs))
		return segs;
	/* frag_list and partial segmentation return GSO skbs of mss multiples */
	if (skb_is_gso(segs)) {
		for (seg = segs; seg; seg = seg->next)
			skb_shinfo(seg)->gso_size = ktcp_gso_size(mss, thlen);
		mss *= skb_shinfo(segs)->gso_segs;
	}

	seq = ntohl(tcp_hdr(segs)->seq);
	for (seg = segs; seg; seg = seg->next) {
		th = tcp_hdr(seg);
		th->seq = htonl(seq);
		if (seg != segs)
			th->cwr = 0;		/* RFC 3168: once per window */
		if (seg->next) {
			th->fin = 0;
			th->psh = 0;
		}
		ktcp_gso_csum(seg, th, len, seg->len - skb_transport_offset(seg));
		seq += mss;
	}
	return segs;
}

static const struct net_offload ktcp_offload = {
	.callbacks = {
		.gso_segment	= ktcp_gso_segment,
	},
};

/**
 * ktcp_offload_init() - let the GSO layer segment ktcp's protocol
 *
 * Return: 0 or a negative error.
 */
int ktcp_offload_init(void)
{
	return inet_add_offload(&ktcp_offload, ktcp_protocol);
}

/**
 * ktcp_offload_exit() - undo ktcp_offload_init()
 *
 * A GSO skb still queued in a qdisc after this is dropped by the GSO
 * layer, which finds no callback; inet_del_offload() waits for running
 * ones.
 */
void ktcp_offload_exit(void)
{
	inet_del_offload(&ktcp_offload, ktcp_protocol);
}
