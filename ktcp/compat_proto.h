/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct proto callbacks whose signature changed across kernels (the
 * rest of the differences are in compat.h).  The common code is in
 * ktcp_sock.c and ktcp_listen.c; these adapters are what ktcp_prot
 * points at, so only ktcp_sock.c includes this file.
 */
#ifndef _KTCP_COMPAT_PROTO_H
#define _KTCP_COMPAT_PROTO_H

#include <linux/uaccess.h>
#include <net/inet_common.h>
#include <net/sock.h>

#include "ktcp_listen.h"
#include "ktcp_sock.h"

/* Linux 6.5: proto->ioctl returns the value through int *karg. */
#ifdef KTCP_HAVE_IOCTL_KARG
static inline int ktcp_ioctl(struct sock *sk, int cmd, int *karg)
{
	return ktcp_ioctl_value(sk, cmd, karg);
}
#else
static inline int ktcp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	int val, err = ktcp_ioctl_value(sk, cmd, &val);

	return err ? err : put_user(val, (int __user *)arg);
}
#endif

/* Linux 6.10: proto->accept takes struct proto_accept_arg. */
#ifdef KTCP_HAVE_PROTO_ACCEPT_ARG
static inline struct sock *ktcp_accept(struct sock *sk,
				       struct proto_accept_arg *arg)
{
	return ktcp_do_accept(sk, arg->flags, &arg->err);
}
#else
static inline struct sock *ktcp_accept(struct sock *sk, int flags, int *err,
				       bool kern)
{
	return ktcp_do_accept(sk, flags, err);
}
#endif

/* An accepted socket's SOL_SOCKET options go to ktcp, as its listener's. */
static inline int ktcp_stream_accepted(struct socket *newsock, int err)
{
	if (!err)
		ktcp_take_sol_socket(newsock);
	return err;
}

#ifdef KTCP_HAVE_PROTO_ACCEPT_ARG
static inline int ktcp_stream_accept(struct socket *sock,
				     struct socket *newsock,
				     struct proto_accept_arg *arg)
{
	return ktcp_stream_accepted(newsock, inet_accept(sock, newsock, arg));
}
#else
static inline int ktcp_stream_accept(struct socket *sock,
				     struct socket *newsock, int flags,
				     bool kern)
{
	return ktcp_stream_accepted(newsock,
				    inet_accept(sock, newsock, flags, kern));
}
#endif

/*
 * Linux 7.1: proto->recvmsg and inet_recv_error() lost addr_len.  The
 * error queue holds MSG_ZEROCOPY's notifications.
 */
#ifdef KTCP_HAVE_RECVMSG_ADDR_LEN
static inline int ktcp_recvmsg(struct sock *sk, struct msghdr *msg,
			       size_t len, int flags, int *addr_len)
{
	if (flags & MSG_ERRQUEUE)
		return inet_recv_error(sk, msg, len, addr_len);
	return ktcp_recvmsg_common(sk, msg, len, flags);
}
#else
static inline int ktcp_recvmsg(struct sock *sk, struct msghdr *msg,
			       size_t len, int flags)
{
	if (flags & MSG_ERRQUEUE)
		return inet_recv_error(sk, msg, len);
	return ktcp_recvmsg_common(sk, msg, len, flags);
}
#endif

/*
 * Linux 6.19: proto->connect takes struct sockaddr_unsized.  The common
 * code checks addr_len before it reads the address.
 */
#ifdef KTCP_HAVE_SOCKADDR_UNSIZED
static inline int ktcp_connect(struct sock *sk, struct sockaddr_unsized *uaddr,
			       int addr_len)
{
	return ktcp_connect_common(sk, (struct sockaddr *)uaddr, addr_len);
}
#else
static inline int ktcp_connect(struct sock *sk, struct sockaddr *uaddr,
			       int addr_len)
{
	return ktcp_connect_common(sk, uaddr, addr_len);
}
#endif

#endif /* _KTCP_COMPAT_PROTO_H */
