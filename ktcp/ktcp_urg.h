/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: urgent data (ktcp_urg.c). */
#ifndef _KTCP_URG_H
#define _KTCP_URG_H

#include "ktcp.h"

/* urg_data: the received urgent byte in the low 8 bits, and its state */
#define KTCP_URG_VALID		0x0100	/* arrived, not read */
#define KTCP_URG_NOTYET		0x0200	/* the pointer came, the byte not */
#define KTCP_URG_READ		0x0400	/* read with MSG_OOB */

void ktcp_urg_mark(struct sock *sk);
void ktcp_urg_acked(struct ktcp_sock *ks, u32 ack);
void ktcp_urg_header(const struct ktcp_sock *ks, u32 seq, struct tcphdr *th);
void ktcp_urg_rcv(struct sock *sk, const struct sk_buff *skb);
int ktcp_urg_recv(struct sock *sk, struct msghdr *msg, size_t len, int flags);
bool ktcp_urg_skip(const struct sock *sk, u32 seq);
size_t ktcp_urg_clip(const struct sock *sk, u32 seq, size_t len);
void ktcp_urg_consumed(struct ktcp_sock *ks);
int ktcp_urg_at_mark(const struct sock *sk);

#endif /* _KTCP_URG_H */
