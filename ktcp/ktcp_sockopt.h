/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp socket options: IPPROTO_TCP-level options with TCP's meaning, so
 * programs written for TCP work unchanged, and SOL_IP passed to IP.
 */
#ifndef _KTCP_SOCKOPT_H
#define _KTCP_SOCKOPT_H

#include <linux/sockptr.h>

#include "ktcp.h"

#define KTCP_KEEPIDLE_DEFAULT	7200
#define KTCP_KEEPINTVL_DEFAULT	75
#define KTCP_KEEPCNT_DEFAULT	9

static inline u32 ktcp_keepalive_time(const struct ktcp_sock *ks)
{
	return ks->cfg.keepalive_time ? : KTCP_KEEPIDLE_DEFAULT;
}

static inline u32 ktcp_keepalive_intvl(const struct ktcp_sock *ks)
{
	return ks->cfg.keepalive_intvl ? : KTCP_KEEPINTVL_DEFAULT;
}

static inline u32 ktcp_keepalive_probes(const struct ktcp_sock *ks)
{
	return ks->cfg.keepalive_probes ? : KTCP_KEEPCNT_DEFAULT;
}

int ktcp_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen);
int ktcp_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen);
void ktcp_keepalive(struct sock *sk, int valbool);

#endif /* _KTCP_SOCKOPT_H */
