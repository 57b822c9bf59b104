/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp passive open: listeners, their SYN and accept queues, accept().
 *
 * A SYN to a listener creates a full child socket in SYN-RECEIVED, hashed
 * in the established table and linked on the listener's syn_q; the ACK of
 * the handshake moves it to accept_q.  While queued, the child holds a
 * reference on the listener and the queue owns the child's first
 * reference, which accept() hands to the new socket file.
 */
#ifndef _KTCP_LISTEN_H
#define _KTCP_LISTEN_H

#include <net/sock.h>

enum ktcp_queued {
	KTCP_QUEUED_NONE,
	KTCP_QUEUED_SYN,
	KTCP_QUEUED_ACCEPT,
};

int ktcp_listen_rcv(struct sock *sk, struct sk_buff *skb);
void ktcp_child_established(struct sock *child);
void ktcp_child_unlink(struct sock *child);
void ktcp_listen_stop(struct sock *sk);
int ktcp_listen(struct socket *sock, int backlog);
struct sock *ktcp_do_accept(struct sock *sk, int flags, int *err);
bool ktcp_accept_ready(const struct sock *sk);

#endif /* _KTCP_LISTEN_H */
