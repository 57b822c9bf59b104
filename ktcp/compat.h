/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels ktcp supports (Debian 6.1,
 * 6.12 and newer).  Kbuild probes the target's headers and passes
 * KTCP_HAVE_* defines, because distributions backport API changes and
 * version numbers alone would lie; a version check is used only where
 * no backport can happen.
 */
#ifndef _KTCP_COMPAT_H
#define _KTCP_COMPAT_H

#include <linux/random.h>
#include <linux/timer.h>
#include <linux/version.h>

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

/* Linux 6.5: proto->ioctl returns the value through int *karg. */
#ifdef KTCP_HAVE_IOCTL_KARG
#define KTCP_DEFINE_PROTO_IOCTL(name, fn)				\
static int name(struct sock *sk, int cmd, int *karg)			\
{									\
	return fn(sk, cmd, karg);					\
}
#else
#define KTCP_DEFINE_PROTO_IOCTL(name, fn)				\
static int name(struct sock *sk, int cmd, unsigned long arg)		\
{									\
	int val, err = fn(sk, cmd, &val);				\
									\
	return err ? err : put_user(val, (int __user *)arg);		\
}
#endif

/* Linux 6.10: proto->accept takes struct proto_accept_arg. */
#ifdef KTCP_HAVE_PROTO_ACCEPT_ARG
#define KTCP_PROTO_ACCEPT_PARAMS	, struct proto_accept_arg *arg
#define KTCP_PROTO_ACCEPT_FLAGS		(arg->flags)
#define KTCP_PROTO_ACCEPT_SET_ERR(e)	(arg->err = (e))
#else
#define KTCP_PROTO_ACCEPT_PARAMS	, int flags, int *errp, bool kern
#define KTCP_PROTO_ACCEPT_FLAGS		(flags)
#define KTCP_PROTO_ACCEPT_SET_ERR(e)	(*errp = (e))
#endif

/* Linux 7.1: proto->recvmsg lost addr_len. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
#define KTCP_RECVMSG_ADDR_LEN_PARAM
#else
#define KTCP_RECVMSG_ADDR_LEN_PARAM	, int *addr_len
#endif

#endif /* _KTCP_COMPAT_H */
