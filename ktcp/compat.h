/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels ktcp supports (Debian 6.1,
 * 6.12 and newer).  probes.mk greps the target's headers and passes
 * KTCP_HAVE_* defines, because distributions backport API changes and
 * version numbers alone would lie; a version check is used only where
 * no backport can happen.
 */
#ifndef _KTCP_COMPAT_H
#define _KTCP_COMPAT_H

#include <linux/in.h>
#include <linux/random.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <net/sock.h>

/* Linux 6.10 moved the memory accounting helpers out of sock.h. */
#ifdef KTCP_HAVE_PROTO_MEMORY_H
#include <net/proto_memory.h>
#endif

/* Newer kernels keep the fragment reference helpers in skbuff_ref.h. */
#ifdef KTCP_HAVE_SKBUFF_REF_H
#include <linux/skbuff_ref.h>
#endif

/* Linux 6.5 moved the GSO helpers out of skbuff.h. */
#ifdef KTCP_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/* Linux 6.16 renamed from_timer(). */
#ifdef KTCP_HAVE_TIMER_CONTAINER_OF
#define ktcp_timer_container(var, t, field) timer_container_of(var, t, field)
#else
#define ktcp_timer_container(var, t, field) from_timer(var, t, field)
#endif

/* Linux 6.6 made inet_id atomic. */
#ifdef KTCP_HAVE_ATOMIC_INET_ID
#define ktcp_set_inet_id(inet, v) atomic_set(&(inet)->inet_id, (v))
#else
#define ktcp_set_inet_id(inet, v) ((inet)->inet_id = (v))
#endif

/* Linux 6.2 renamed prandom_u32_max(). */
#ifndef KTCP_HAVE_GET_RANDOM_U32_BELOW
#define get_random_u32_below(n) prandom_u32_max(n)
#endif

/* Linux 6.17 replaced sock_i_uid() with sk_uid(), which does not lock. */
#ifdef KTCP_HAVE_SK_UID
#define ktcp_sock_uid(sk) sk_uid(sk)
#else
#define ktcp_sock_uid(sk) sock_i_uid(sk)
#endif

/* Linux 6.6 moved inet_sock's flags into one word. */
#ifdef KTCP_HAVE_INET_TEST_BIT
#define ktcp_recverr(sk) inet_test_bit(RECVERR, sk)
#else
#define ktcp_recverr(sk) (inet_sk(sk)->recverr)
#endif

/* sock_i_ino() returns u64 on 7.x, unsigned long before: widen both. */
static inline unsigned long long ktcp_sock_ino(struct sock *sk)
{
	return sock_i_ino(sk);
}

/*
 * Linux 6.6 sized sysctl tables: register_net_sysctl_sz() takes the entry
 * count, and from 6.11 an empty sentinel entry is no longer looked for.
 * Before, the table must end with one.  ktcp's table has both.
 */
#ifdef KTCP_HAVE_REGISTER_NET_SYSCTL_SZ
#define ktcp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define ktcp_register_net_sysctl(net, path, table, n) \
	((void)(n), register_net_sysctl(net, path, table))
#endif

/*
 * Linux 6.16 (device-memory TX): msg_zerocopy_realloc() and
 * skb_zerocopy_iter_stream() learnt of device memory, which ktcp never
 * sends from.
 */
#ifdef KTCP_HAVE_ZEROCOPY_DEVMEM
static inline struct ubuf_info *
ktcp_msg_zerocopy_realloc(struct sock *sk, size_t size, struct ubuf_info *uarg)
{
	return msg_zerocopy_realloc(sk, size, uarg, false);
}

static inline int ktcp_zerocopy_iter_stream(struct sock *sk,
					    struct sk_buff *skb,
					    struct msghdr *msg, int len,
					    struct ubuf_info *uarg)
{
	return skb_zerocopy_iter_stream(sk, skb, msg, len, uarg, NULL);
}
#else
#define ktcp_msg_zerocopy_realloc msg_zerocopy_realloc
#define ktcp_zerocopy_iter_stream skb_zerocopy_iter_stream
#endif

/*
 * Linux 6.5: sendfile() and splice() hand their pages to sendmsg() with
 * MSG_SPLICE_PAGES.  Before, they call proto_ops->sendpage once a page,
 * which ktcp_sendpage() turns into a one-page write of that kind.  Debian's
 * 6.1 defines the flag (to clear it from users' flags), not the rest:
 * probed by the function.
 */
#ifdef KTCP_HAVE_SKB_SPLICE_FROM_ITER
static inline bool ktcp_splice_pages(const struct msghdr *msg)
{
	return msg->msg_flags & MSG_SPLICE_PAGES;
}

/* Linux 7.x dropped the allocation flags, which were unused. */
static inline ssize_t ktcp_splice_from_iter(struct sk_buff *skb,
					    struct iov_iter *iter,
					    ssize_t maxsize)
{
#ifdef KTCP_HAVE_SPLICE_FROM_ITER_GFP
	return skb_splice_from_iter(skb, iter, maxsize, GFP_KERNEL);
#else
	return skb_splice_from_iter(skb, iter, maxsize);
#endif
}
#else
static inline bool ktcp_splice_pages(const struct msghdr *msg)
{
	return false;
}

/*
 * The page of ktcp_sendpage()'s one-page iterator, referenced: up to
 * @maxsize bytes of it.  Return: the bytes taken, or -EMSGSIZE once
 * @skb has no fragment left.
 */
static inline ssize_t ktcp_splice_from_iter(struct sk_buff *skb,
					    struct iov_iter *iter,
					    ssize_t maxsize)
{
	const struct bio_vec *bv = iter->bvec;
	size_t len = min_t(size_t, maxsize, bv->bv_len - iter->iov_offset);
	int err;

	if (!iov_iter_is_bvec(iter))
		return -EINVAL;
	err = skb_append_pagefrags(skb, bv->bv_page,
				   bv->bv_offset + iter->iov_offset, len);
	if (err)
		return err;
	skb_len_add(skb, len);
	iov_iter_advance(iter, len);
	return len;
}
#endif

/*
 * SOL_SOCKET options go to the protocol first if it sets
 * SOCK_CUSTOM_SOCKOPT, as UDP and MPTCP do; ktcp needs it for SO_ZEROCOPY,
 * which the socket layer grants no stream protocol but TCP.  Linux 6.1
 * lacks the flag: there SO_ZEROCOPY fails with EOPNOTSUPP.
 */
static inline void ktcp_take_sol_socket(struct socket *sock)
{
#ifdef KTCP_HAVE_CUSTOM_SOCKOPT
	set_bit(SOCK_CUSTOM_SOCKOPT, &sock->flags);
#endif
}

#endif /* _KTCP_COMPAT_H */
