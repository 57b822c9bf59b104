// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp passive open: SYN handling on listeners, the SYN and accept
 * queues, accept() and tearing a listener down.  See ktcp_listen.h for
 * the ownership rules.
 *
 * A child reads its parent pointer only under its own socket lock, and
 * the listener clears it only under the child's lock too, so the parent
 * reference a child holds is dropped only when no child code can be
 * looking at the parent.
 */
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_fsm.h"
#include "ktcp_hash.h"
#include "ktcp_input.h"
#include "ktcp_listen.h"
#include "ktcp_main.h"
#include "ktcp_mib.h"
#include "ktcp_sock.h"

/*
 * SYN flood defence (RFC 4987 section 3.4, "SYN cache" replacement): the
 * SYN queue holds at most max(backlog, KTCP_SYNQ_MIN) children.  When it
 * is full, a new SYN evicts the oldest embryonic child instead of being
 * dropped, so spoofed SYNs cannot lock out a real client whose ACK comes
 * back before the queue has turned over.  A real ACK can wait behind a
 * full per-CPU input backlog (netdev_max_backlog, 1000 by default) of
 * forged SYNs, so the queue is longer than that.  Memory stays bounded by
 * the queue length (a few MB) whatever the flood's size.
 */
#define KTCP_SYNQ_MIN	2048

static u32 ktcp_synq_max(const struct ktcp_listen *l)
{
	return max_t(u32, l->backlog, KTCP_SYNQ_MIN);
}

/* Take a reference on the oldest child if the SYN queue is full. */
static struct sock *ktcp_synq_victim(struct ktcp_listen *l)
{
	struct ktcp_sock *ks = NULL;

	spin_lock_bh(&l->lock);
	if (l->syn_len >= ktcp_synq_max(l)) {
		ks = list_first_entry_or_null(&l->syn_q, struct ktcp_sock,
					      queue_node);
		if (ks)
			sock_hold((struct sock *)ks);
	}
	spin_unlock_bh(&l->lock);
	return (struct sock *)ks;
}

/*
 * Drop the oldest SYN-RECEIVED child of listener @sk (bh-locked by the
 * caller) silently: its peer is most likely forged, so no RST.  The
 * child's lock nests inside the listener's as in sk_clone_lock().
 */
static void ktcp_synq_evict(struct sock *sk)
{
	struct ktcp_sock *lks = ktcp_sk(sk);
	struct sock *child = ktcp_synq_victim(lks->listen);
	bool evicted = false;

	if (!child)
		return;
	bh_lock_sock(child);
	/* A timer or the peer may have moved it on since we picked it. */
	if (!sock_owned_by_user(child) && ktcp_sk(child)->parent == sk &&
	    ktcp_sk(child)->queued == KTCP_QUEUED_SYN &&
	    child->sk_state == TCP_SYN_RECV) {
		ktcp_fsm_event(child, KTCP_EV_EVICT);
		evicted = true;
	}
	bh_unlock_sock(child);
	sock_put(child);
	if (evicted)
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_SYNQ_EVICTIONS);
}

static bool ktcp_synq_full(struct ktcp_listen *l)
{
	bool full;

	spin_lock_bh(&l->lock);
	full = l->syn_len >= ktcp_synq_max(l);
	spin_unlock_bh(&l->lock);
	return full;
}

/* May listener @sk take one more child?  Evicts to make room if need be. */
static bool ktcp_listen_full(struct sock *sk)
{
	struct ktcp_listen *l = ktcp_sk(sk)->listen;

	if (READ_ONCE(l->accept_len) > l->backlog)
		return true;
	if (!ktcp_synq_full(l))
		return false;
	/*
	 * Whether we evicted the victim or it left on its own meanwhile
	 * (handshake done, timed out), look at the queue again.
	 */
	ktcp_synq_evict(sk);
	return ktcp_synq_full(l);
}

/*
 * Free a child that never became visible: not hashed, queued or answered.
 * Not a transition of any connection's, so not the state table's: CLOSED
 * is only what sk_free() expects of a socket.
 */
static void ktcp_child_discard(struct sock *child)
	__releases(&child->sk_lock.slock)
{
	sock_set_flag(child, SOCK_DEAD);
	child->sk_state = TCP_CLOSE;
	bh_unlock_sock(child);
	sk_free(child);
}

/* A SYN for listener @sk: create the SYN-RECEIVED child and answer it. */
static int ktcp_create_child(struct sock *sk, struct sk_buff *skb)
{
	struct ktcp_sock *lks = ktcp_sk(sk);
	struct net *net = sock_net(sk);
	struct ktcp_sock *ks;
	struct sock *child;

	if (ktcp_listen_full(sk)) {
		KTCP_INC_STATS(net, KTCP_MIB_LISTENOVERFLOWS);
		return KTCP_MIB_DROP_LISTEN;
	}
	child = sk_clone_lock(sk, GFP_ATOMIC);
	if (!child)
		return KTCP_MIB_DROP_NOMEM;
	__acquire(&child->sk_lock.slock);	/* sk_clone_lock() locked it */

	ktcp_sock_init_common(child);
	ks = ktcp_sk(child);
	ks->cfg = lks->cfg;
	ktcp_cong_inherit(child, sk);
	ks->segs_in = 1;	/* the SYN */
	ks->child = 1;
	INIT_HLIST_NODE(&child->sk_bind_node);
	if (!ks->af_ops->init_child(child, skb)) {
		ktcp_child_discard(child);
		return KTCP_MIB_DROP_NOMEM;
	}
	ktcp_init_xmit_vars(child);
	ktcp_accept_syn(child, skb);
	if (KTCP_SKB_CB(skb)->tw_syn)
		ks->iss = KTCP_SKB_CB(skb)->tw_isn;
	else
		ks->iss = ks->af_ops->init_seq(child);
	ks->snd_una = ks->iss;
	ks->snd_nxt = ks->iss;
	ks->snd_max = ks->iss;

	/* Hashed in SYN-RECEIVED, unless a copy of this SYN was first. */
	if (ktcp_fsm_event(child, KTCP_EV_RCV_SYN)) {
		ktcp_child_discard(child);
		return KTCP_MIB_DROP_EXISTS;
	}
	/* The ACK of our SYN-ACK waits for the child's lock until here. */
	sock_hold(sk);
	ks->parent = sk;
	spin_lock_bh(&lks->listen->lock);
	list_add_tail(&ks->queue_node, &lks->listen->syn_q);
	lks->listen->syn_len++;
	ks->queued = KTCP_QUEUED_SYN;
	spin_unlock_bh(&lks->listen->lock);
	ktcp_inherit_port(child, sk);
	KTCP_INC_STATS(net, KTCP_MIB_PASSIVEOPENS);
	bh_unlock_sock(child);
	sock_put(child);	/* sk_clone_lock()'s second reference */
	return 0;
}

/**
 * ktcp_listen_rcv() - RFC 9293 3.10.7.2: a segment for a listener
 * @sk: the listener, locked
 * @skb: the segment; consumed
 *
 * Return: 0.
 */
int ktcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	const struct ktcp_af_ops *af = ktcp_sk(sk)->af_ops;
	const struct tcphdr *th = tcp_hdr(skb);
	int reason = 0;

	sock_owned_by_me(sk);

	if (th->rst)
		reason = KTCP_MIB_DROP_RST;
	else if (th->ack)
		reason = KTCP_MIB_DROP_BAD_ACK;
	else if (!th->syn)
		reason = KTCP_MIB_DROP_NO_ACK;
	if (th->ack && !th->rst)
		af->send_reset(sock_net(sk), skb, KTCP_RST_BAD_ACK);
	if (!reason) {
		/* From the backlog this runs in process context, and child
		 * locks are also taken by softirq.
		 */
		local_bh_disable();
		reason = ktcp_create_child(sk, skb);
		local_bh_enable();
	}
	if (reason)
		ktcp_drop(sk, skb, reason);
	else
		consume_skb(skb);	/* a child holds what it said */
	return 0;
}

/**
 * ktcp_child_established() - move a child to its listener's accept queue
 * @child: child that just reached ESTABLISHED, locked
 */
void ktcp_child_established(struct sock *child)
{
	struct ktcp_sock *ks = ktcp_sk(child);
	struct sock *parent = ks->parent;
	struct ktcp_sock *lks;

	sock_owned_by_me(child);

	if (!parent)
		return;
	lks = ktcp_sk(parent);
	spin_lock_bh(&lks->listen->lock);
	if (ks->queued == KTCP_QUEUED_SYN) {
		list_move_tail(&ks->queue_node, &lks->listen->accept_q);
		lks->listen->syn_len--;
		lks->listen->accept_len++;
		ks->queued = KTCP_QUEUED_ACCEPT;
	}
	spin_unlock_bh(&lks->listen->lock);
	parent->sk_data_ready(parent);
}

/**
 * ktcp_child_unlink() - a child in SYN-RECEIVED died; leave the SYN queue
 * @child: locked child; the caller holds a reference of its own
 *
 * A child already in the accept queue stays there so that accept()
 * returns it and the user sees the reset.
 */
void ktcp_child_unlink(struct sock *child)
{
	struct ktcp_sock *ks = ktcp_sk(child);
	struct sock *parent = ks->parent;
	struct ktcp_sock *lks;
	bool unlinked = false;

	sock_owned_by_me(child);

	if (!parent)
		return;
	lks = ktcp_sk(parent);
	spin_lock_bh(&lks->listen->lock);
	if (ks->queued == KTCP_QUEUED_SYN) {
		list_del_init(&ks->queue_node);
		lks->listen->syn_len--;
		ks->queued = KTCP_QUEUED_NONE;
		unlinked = true;
	}
	spin_unlock_bh(&lks->listen->lock);
	if (!unlinked)
		return;
	ks->parent = NULL;
	sock_orphan(child);
	sock_put(parent);
	sock_put(child);	/* the queue's reference */
}

/* Abort one child of a closing listener; we own its queue reference. */
static void ktcp_abort_child(struct sock *child)
{
	struct ktcp_sock *ks = ktcp_sk(child);
	struct sock *parent;

	local_bh_disable();
	bh_lock_sock(child);
	parent = ks->parent;
	ks->parent = NULL;
	sock_orphan(child);
	if (child->sk_state != TCP_CLOSE)
		ktcp_abort(child, KTCP_RST_LISTENER_CLOSED);
	bh_unlock_sock(child);
	local_bh_enable();
	if (parent)
		sock_put(parent);
	sock_put(child);
}

/**
 * ktcp_listen_stop() - abort every child of a listener that stops
 * @sk: the listener, owned by the caller
 */
void ktcp_listen_stop(struct sock *sk)
{
	struct ktcp_listen *l = ktcp_sk(sk)->listen;
	struct ktcp_sock *ks, *tmp;
	LIST_HEAD(children);

	sock_owned_by_me(sk);

	spin_lock_bh(&l->lock);
	list_splice_init(&l->syn_q, &children);
	list_splice_tail_init(&l->accept_q, &children);
	l->syn_len = 0;
	l->accept_len = 0;
	list_for_each_entry(ks, &children, queue_node)
		ks->queued = KTCP_QUEUED_NONE;
	spin_unlock_bh(&l->lock);

	list_for_each_entry_safe(ks, tmp, &children, queue_node) {
		list_del_init(&ks->queue_node);
		ktcp_abort_child((struct sock *)ks);
	}
}

/**
 * ktcp_accept_ready() - does the accept queue hold a connection?
 * @sk: listener
 *
 * Return: true if accept() would not block.
 */
bool ktcp_accept_ready(const struct sock *sk)
{
	return READ_ONCE(ktcp_sk(sk)->listen->accept_len) > 0;
}

/* The queues of a socket about to listen for the first time. */
static struct ktcp_listen *ktcp_listen_alloc(struct ktcp_sock *ks)
{
	struct ktcp_listen *l = kzalloc(sizeof(*l), GFP_KERNEL);

	if (!l)
		return NULL;
	spin_lock_init(&l->lock);
	INIT_LIST_HEAD(&l->syn_q);
	INIT_LIST_HEAD(&l->accept_q);
	ks->listen = l;
	return l;
}

/**
 * ktcp_listen() - proto_ops->listen
 * @sock: socket
 * @backlog: accept queue length
 *
 * Return: 0 or a negative error.
 */
int ktcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct ktcp_sock *ks = ktcp_sk(sk);
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		goto out;

	err = -ENOMEM;
	if (!ks->listen && !ktcp_listen_alloc(ks))
		goto out;
	backlog = clamp(backlog, 0, (int)READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	spin_lock_bh(&ks->listen->lock);
	ks->listen->backlog = backlog;
	spin_unlock_bh(&ks->listen->lock);
	if (sk->sk_state == TCP_LISTEN) {
		err = 0;
		goto out;
	}

	err = -EAGAIN;
	if (!inet->inet_num && ktcp_get_port(sk, 0))
		goto out;
	err = -EADDRINUSE;
	if (!ktcp_listen_port_ok(sk))
		goto out;
	inet->inet_sport = htons(inet->inet_num);
	ktcp_fsm_event(sk, KTCP_EV_PASSIVE_OPEN);
	ktcp_hash_listener(sk);
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int ktcp_wait_for_connection(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue_exclusive(sk_sleep(sk), &wait);
	for (;;) {
		if (ktcp_accept_ready(sk))
			break;
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
		err = 0;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/**
 * ktcp_do_accept() - take the first connection of the accept queue
 * @sk: listener
 * @flags: O_NONBLOCK
 * @err: set on failure
 *
 * Return: the child, whose queue reference passes to the caller, or NULL.
 */
struct sock *ktcp_do_accept(struct sock *sk, int flags, int *err)
{
	struct ktcp_sock *ks = NULL;
	struct sock *child = NULL;
	struct ktcp_listen *l;
	long timeo;

	lock_sock(sk);
	*err = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	l = ktcp_sk(sk)->listen;
	if (!ktcp_accept_ready(sk)) {
		timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
		*err = -EAGAIN;
		if (!timeo)
			goto out;
		*err = ktcp_wait_for_connection(sk, timeo);
		if (*err)
			goto out;
	}
	spin_lock_bh(&l->lock);
	ks = list_first_entry_or_null(&l->accept_q, struct ktcp_sock,
				      queue_node);
	if (ks) {
		list_del_init(&ks->queue_node);
		l->accept_len--;
		ks->queued = KTCP_QUEUED_NONE;
	}
	spin_unlock_bh(&l->lock);
	*err = -EAGAIN;
	if (!ks)
		goto out;

	child = (struct sock *)ks;
	lock_sock_nested(child, SINGLE_DEPTH_NESTING);
	ks->parent = NULL;
	release_sock(child);
	sock_put(sk);		/* the child's reference on us */
	*err = 0;
out:
	release_sock(sk);
	return child;
}
