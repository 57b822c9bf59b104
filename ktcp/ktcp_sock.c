// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp socket calls: connect, close, shutdown, send, receive, poll and
 * options, i.e. everything struct proto and struct proto_ops point at
 * that is not part of passive open (ktcp_listen.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/poll.h>
#include <linux/splice.h>
#include <asm/ioctls.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ktcp.h"
#include "compat_proto.h"
#include "ktcp_cong.h"
#include "ktcp_fsm.h"
#include "ktcp_hash.h"
#include "ktcp_ipv4.h"
#include "ktcp_kunit.h"
#include "ktcp_listen.h"
#include "ktcp_main.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_output.h"
#include "ktcp_reasm.h"
#include "ktcp_recovery.h"
#include "ktcp_sock.h"
#include "ktcp_sockopt.h"
#include "ktcp_sysctl.h"
#include "ktcp_timer.h"
#include "ktcp_urg.h"

static void ktcp_sock_destruct(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	ktcp_ooo_purge(sk);
	ktcp_write_queue_purge(sk);
	ktcp_cong_release(sk);
	kfree(ks->listen);
	/* counted by ktcp_init_sock() or, for a child, sk_clone_lock() */
	sk_sockets_allocated_dec(sk);
	inet_sock_destruct(sk);	/* returns sk_forward_alloc's last pages */
}

/*
 * sk_write_space, on every ACK that frees queued data: wake writers once a
 * third of the buffer is free, but only if one found it full (sendmsg and
 * poll set SOCK_NOSPACE first).  Readers sleep on the same wait queue, and
 * sk_wait_data() does not filter wakeups by event: waking them for every
 * ACK of a request/response exchange costs a context switch each time.
 */
static void ktcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	/* pairs with the barrier in ktcp_poll() after it sets SOCK_NOSPACE */
	smp_mb();
	if (!sock || !test_bit(SOCK_NOSPACE, &sock->flags) ||
	    !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
						      EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/**
 * ktcp_sock_init_common() - reset the protocol state of a new socket
 * @sk: socket from sk_alloc() or sk_clone_lock()
 *
 * Clears everything after struct inet_sock, so a clone shares nothing
 * with its listener (not even its listen queues).
 */
void ktcp_sock_init_common(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	memset((char *)ks + sizeof(struct inet_sock), 0,
	       sizeof(*ks) - sizeof(struct inet_sock));
	ks->af_ops = &ktcp_ipv4_ops;	/* the one family so far */
	ks->ooo_root = RB_ROOT;
	INIT_LIST_HEAD(&ks->queue_node);
	ks->mss = KTCP_DEFAULT_MSS;
	ks->rto = KTCP_RTO_INIT;
	ks->ca_ops = &ktcp_reno;
	ks->min_rtt = ~0U;
	ks->lsndtime = (u32)jiffies;
	ks->lrcvtime = ks->lsndtime;
	ktcp_init_timers(sk);
}

static int ktcp_init_sock(struct sock *sk)
{
	ktcp_sock_init_common(sk);
	ktcp_cong_default(sk);
	sk->sk_destruct = ktcp_sock_destruct;
	sk->sk_write_space = ktcp_write_space;
	/* Space is the write queue's (sk_wmem_queued), not sk_wmem_alloc:
	 * freeing a sent clone frees none, so sock_wfree() must not call
	 * sk_write_space for it (as tcp_init_sock()).
	 */
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	sock_set_flag(sk, SOCK_RCU_FREE);
	sk->sk_gso_type = KTCP_GSO_TYPE;	/* sk_setup_caps(): may we GSO? */
	sk->sk_state = TCP_CLOSE;
	if (sk->sk_socket)	/* socket(); accept() sets a child's */
		ktcp_take_sol_socket(sk->sk_socket);
	sk_sockets_allocated_inc(sk);
	return 0;
}

/**
 * ktcp_done() - the connection is over: release what it holds
 * @sk: locked socket, already in CLOSED; the caller holds a reference
 *
 * The DONE action of the transitions into CLOSED, and close() of a socket
 * that never left it: only the state table changes sk_state.
 */
void ktcp_done(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);
	DEBUG_NET_WARN_ON_ONCE(sk->sk_state != TCP_CLOSE);

	ktcp_clear_timers(sk);
	ktcp_write_queue_purge(sk);
	ktcp_ooo_purge(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	ktcp_unhash(sk);
	if (sock_flag(sk, SOCK_DEAD) ||
	    !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		ktcp_put_port(sk);
	if (ks->parent)
		ktcp_child_unlink(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/**
 * ktcp_connect_common() - connect(): route, hash and send the SYN
 * @sk: locked socket in CLOSED
 * @uaddr: the peer's address, @addr_len bytes of it
 * @addr_len: as the user passed it
 *
 * Return: 0 or a negative error.
 */
int ktcp_connect_common(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	int err;

	err = ks->af_ops->connect(sk, uaddr, addr_len);
	if (err)
		return err;
	ks->iss = ks->af_ops->init_seq(sk);
	ks->snd_una = ks->iss;
	ks->snd_nxt = ks->iss;
	ks->snd_max = ks->iss;
	ktcp_init_xmit_vars(sk);
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ACTIVEOPENS);
	return ktcp_fsm_event(sk, KTCP_EV_ACTIVE_OPEN);
}

/* Free unread data; return how many bytes the user never read. */
static u32 ktcp_purge_receive(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;
	u32 unread = 0;

	while ((skb = __skb_dequeue(&sk->sk_receive_queue))) {
		u32 seq = KTCP_SKB_CB(skb)->seq, end = seq + skb->len;

		if (ktcp_seq_before(seq, ks->copied_seq))
			seq = ks->copied_seq;
		if (ktcp_seq_before(seq, end))
			unread += end - seq;
		kfree_skb(skb);
	}
	ktcp_ooo_purge(sk);
	return unread;
}

static bool ktcp_closing_done(const struct sock *sk)
{
	return !((1 << sk->sk_state) &
		 (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK));
}

/* SO_LINGER with a timeout: wait for the FIN to be acknowledged. */
static void ktcp_linger(struct sock *sk, long timeout)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while (timeout && !ktcp_closing_done(sk) && !signal_pending(current))
		sk_wait_event(sk, &timeout, ktcp_closing_done(sk), &wait);
	remove_wait_queue(sk_sleep(sk), &wait);
}

/**
 * ktcp_orphan() - count a connection its user closed while it still ends
 * @sk: locked socket, just orphaned (the ORPHAN event's action)
 *
 * If more than net.ktcp.max_orphans others are about, it is reset instead
 * (TCP's tcp_close() does the same past tcp_max_orphans).
 */
void ktcp_orphan(struct sock *sk)
{
	long others;

	sock_owned_by_me(sk);
	ktcp_sk(sk)->orphan = 1;
	others = atomic_long_inc_return(&ktcp_orphans) - 1;
	if (others <= READ_ONCE(ktcp_max_orphans))
		return;
	net_info_ratelimited("too many orphaned sockets\n");
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ABORT_ON_MEMORY);
	ktcp_abort(sk, KTCP_RST_ORPHANS);
}

static void ktcp_close(struct sock *sk, long timeout)
{
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	if (sk->sk_state == TCP_LISTEN) {
		ktcp_listen_stop(sk);
		ktcp_fsm_event(sk, KTCP_EV_CLOSE);
	} else if (ktcp_purge_receive(sk)) {
		/* RFC 9293 3.10.4: unread data aborts */
		ktcp_abort(sk, KTCP_RST_UNREAD_DATA);
	} else if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) {
		ktcp_abort(sk, KTCP_RST_LINGER0);
	} else {
		ktcp_fsm_event(sk, KTCP_EV_CLOSE);
		if (timeout && sock_flag(sk, SOCK_LINGER))
			ktcp_linger(sk, timeout);
	}

	/* TCP_LINGER2 -1: no FIN-WAIT-2 without a user, as tcp_close() */
	if (sk->sk_state == TCP_FIN_WAIT2 && ktcp_sk(sk)->cfg.linger2 < 0)
		ktcp_abort(sk, KTCP_RST_LINGER2);
	sock_orphan(sk);
	ktcp_fsm_event(sk, KTCP_EV_ORPHAN);
	if (sk->sk_state == TCP_CLOSE)
		ktcp_done(sk);
	release_sock(sk);
	sock_put(sk);	/* the socket file's reference */
}

static void ktcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) &
	    (TCPF_ESTABLISHED | TCPF_SYN_RECV | TCPF_CLOSE_WAIT))
		ktcp_fsm_event(sk, KTCP_EV_CLOSE);
}

/* connect(AF_UNSPEC) and shutdown of a listener or SYN-SENT socket. */
static int ktcp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	const struct ktcp_cong_ops *ca_ops;
	struct ktcp_listen *listen;
	struct ktcp_settings cfg;

	if (sk->sk_state == TCP_LISTEN) {
		ktcp_listen_stop(sk);
		ktcp_fsm_event(sk, KTCP_EV_CLOSE);
	} else if (sk->sk_state != TCP_CLOSE) {
		ktcp_abort(sk, KTCP_RST_DISCONNECT);
	}
	ktcp_purge_receive(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	sk_dst_reset(sk);
	/* What the user chose outlives the connection, as on TCP. */
	cfg = ktcp_sk(sk)->cfg;
	ca_ops = ktcp_sk(sk)->ca_ops;	/* and its module reference */
	listen = ktcp_sk(sk)->listen;	/* empty now, kept for a new listen() */
	ktcp_sock_init_common(sk);
	ktcp_sk(sk)->cfg = cfg;
	ktcp_sk(sk)->ca_ops = ca_ops;
	ktcp_sk(sk)->listen = listen;
	return 0;
}

/* Bytes ready for recvmsg(); the FIN's sequence number is not data. */
static u32 ktcp_inq(const struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 n = READ_ONCE(ks->rcv_nxt) - READ_ONCE(ks->copied_seq);

	if (n && sock_flag(sk, SOCK_DONE))
		n--;
	return n;
}

static __poll_t ktcp_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct sock *sk = sock->sk;
	u8 shutdown;
	__poll_t mask = 0;
	int state;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return ktcp_accept_ready(sk) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		int target = sock_rcvlowat(sk, 0, INT_MAX);
		u16 urg_data = READ_ONCE(ktcp_sk(sk)->urg_data);

		/* an urgent byte out of line is no data to read */
		if (ktcp_urg_at_mark(sk) && !sock_flag(sk, SOCK_URGINLINE))
			target++;
		if (ktcp_inq(sk) >= target)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (urg_data & KTCP_URG_VALID)
			mask |= EPOLLPRI;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* pairs with the wakeup in ktcp_write_space():
				 * publish NOSPACE before the second look
				 */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* read sk_err after the state, as tcp_poll() does */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

/*
 * Send buffer autotuning, as tcp_sndbuf_expand(): room for twice what
 * may be in flight, min(cwnd, peer window), at about twice its size in
 * truesize, up to tcp_wmem[2]; never below what the user or the default
 * gave, and not at all after SO_SNDBUF or under memory pressure.
 */
static void ktcp_sndbuf_expand(struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u64 want = 4ULL * min(ks->cwnd, ks->snd_wnd);

	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) || !ktcp_mem_may_grow(sk))
		return;
	want = min_t(u64, want,
		     READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_wmem[2]));
	if (want > READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, want);
}

/*
 * PSH (RFC 9293 3.9.1): a write's end, and every half of the largest
 * window the peer offered in a long write, as TCP marks it.
 */
static bool ktcp_forced_push(const struct ktcp_sock *ks)
{
	return ktcp_seq_after(ks->write_seq,
			      ks->pushed_seq + (ks->max_snd_wnd >> 1));
}

static void ktcp_mark_push(struct ktcp_sock *ks, struct sk_buff *skb)
{
	KTCP_SKB_CB(skb)->flags |= KTCP_FLAG_PSH;
	ks->pushed_seq = ks->write_seq;
}

/*
 * The push that ends a sendmsg() that queued @copied bytes: with MSG_MORE
 * a short last segment waits for more data, as under TCP_CORK (the
 * retransmission timer sends it if none comes, as TCP's probe timer
 * does); with MSG_OOB the last byte is urgent.
 */
static void ktcp_push_end(struct sock *sk, int flags, size_t copied)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	if ((flags & MSG_OOB) && copied)
		ktcp_urg_mark(sk);
	/* PSH on a write's last segment, as TCP's tcp_push() */
	if (copied && ks->send_head &&
	    (!(flags & MSG_MORE) || ktcp_forced_push(ks)))
		ktcp_mark_push(ks, skb_peek_tail(&sk->sk_write_queue));
	ks->more = !!(flags & MSG_MORE);
	ktcp_push(sk);
	ks->more = 0;
}

/*
 * How a write's bytes enter the write queue: copied, as the writer's
 * pages under a MSG_ZEROCOPY notification, or as the page references
 * sendfile() and splice() pass (MSG_SPLICE_PAGES).
 */
struct ktcp_write_mode {
	struct ubuf_info *zc_uarg;
	bool splice;
};

/*
 * Choose @mode for a write of @size bytes, whose pages are to be
 * referenced if @spliced.  MSG_ZEROCOPY
 * (Documentation/networking/msg_zerocopy.rst) takes, as on TCP, the
 * notification that tells the writer when the kernel let go of its pages;
 * without scatter-gather on the route the bytes are copied, and the
 * notification says so.  Return: that notification, NULL without
 * MSG_ZEROCOPY, or an ERR_PTR().
 */
static struct ubuf_info *ktcp_write_start(struct sock *sk, struct msghdr *msg,
					  size_t size, bool spliced,
					  struct ktcp_write_mode *mode)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);
	bool sg = sk->sk_route_caps & NETIF_F_SG;
	struct ubuf_info *uarg;

	if (!(msg->msg_flags & MSG_ZEROCOPY) || !size ||
	    !sock_flag(sk, SOCK_ZEROCOPY)) {
		/* without scatter-gather, copied from the pages */
		mode->splice = spliced && sg;
		return NULL;
	}
	/* consecutive writes share one notification, as TCP's do */
	uarg = ktcp_msg_zerocopy_realloc(sk, size, skb_zcopy(tail));
	if (!uarg)
		return ERR_PTR(-ENOBUFS);
	if (sg)
		mode->zc_uarg = uarg;
	else
		uarg_to_msgzc(uarg)->zerocopy = 0;
	return uarg;
}

static bool ktcp_write_pages(const struct ktcp_write_mode *mode)
{
	return mode->zc_uarg || mode->splice;
}

/*
 * May the next bytes of a write join @skb, the write queue's tail?  Not
 * once it is sent, ended (SYN, FIN, a record's end) or a size goal long.
 * Copied bytes go only after linear data; pages, while the skb has
 * fragments free (ktcp_skb_add_data() finds out), only where no other
 * write's MSG_ZEROCOPY notification covers it.
 */
static bool ktcp_tail_takes(const struct sock *sk, struct sk_buff *skb,
			    const struct ktcp_write_mode *mode)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	const struct ubuf_info *skb_uarg;

	if (!skb || !ks->send_head || skb->len >= ktcp_size_goal(ks) ||
	    (KTCP_SKB_CB(skb)->flags & (KTCP_FLAG_SYN | KTCP_FLAG_FIN)) ||
	    KTCP_SKB_CB(skb)->eor || skb_cloned(skb))
		return false;
	if (!ktcp_write_pages(mode))
		return !skb->data_len && skb_tailroom(skb);
	skb_uarg = skb_zcopy(skb);
	return !skb_uarg || skb_uarg == mode->zc_uarg;
}

/*
 * A new segment at the write queue's tail, with room for @linear bytes
 * copied in.  Return: NULL if the send buffer or net.ktcp.mem is full.
 */
static struct sk_buff *ktcp_write_new_skb(struct sock *sk, size_t linear)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb;

	if (!sk_stream_memory_free(sk))
		ktcp_sndbuf_expand(sk);
	if (!sk_stream_memory_free(sk))
		return NULL;
	/* fclone: its transmit clone needs no allocation */
	skb = alloc_skb_fclone(KTCP_DATA_HEADROOM + linear, sk->sk_allocation);
	if (!skb)
		return NULL;
	/* net.ktcp.mem: over the limit, wait as for sndbuf */
	if (!sk_wmem_schedule(sk, skb->truesize)) {
		consume_skb(skb);	/* never used: no drop */
		return NULL;
	}
	skb_reserve(skb, KTCP_DATA_HEADROOM);
	KTCP_SKB_CB(skb)->seq = ks->write_seq;
	KTCP_SKB_CB(skb)->end_seq = ks->write_seq;
	ktcp_wq_queue_tail(sk, skb);
	ktcp_wmem_charge(sk, skb);
	ks->push_queued = 0;	/* new data: the cork holds */
	if (!ks->send_head)
		ks->send_head = skb;
	return skb;
}

/* Page references from sendfile() or splice(), charged as they are. */
static int ktcp_skb_add_spliced(struct sock *sk, struct sk_buff *skb,
				struct msghdr *msg, size_t n)
{
	ssize_t got = ktcp_splice_from_iter(skb, &msg->msg_iter, n);

	if (got <= 0)
		return got ? got : -EIO;
	/* the page cache's pages: others may change them under us */
	if (!(msg->msg_flags & MSG_NO_SHARED_FRAGS))
		skb_shinfo(skb)->flags |= SKBFL_SHARED_FRAG;
	sk_wmem_queued_add(sk, got);
	sk_mem_charge(sk, got);
	return got;
}

/*
 * Put up to @n bytes of @msg at the end of @skb as @mode says.  Return:
 * the bytes taken, or a negative error (-EMSGSIZE and -EEXIST: @skb
 * takes no more pages).
 */
static int ktcp_skb_add_data(struct sock *sk, struct sk_buff *skb,
			     struct msghdr *msg, size_t n,
			     const struct ktcp_write_mode *mode)
{
	if (mode->splice)
		return ktcp_skb_add_spliced(sk, skb, msg, n);
	if (mode->zc_uarg)
		return ktcp_zerocopy_iter_stream(sk, skb, msg, n,
						 mode->zc_uarg);
	n = min_t(size_t, n, skb_tailroom(skb));
	if (!copy_from_iter_full(skb_put(skb, n), n, &msg->msg_iter)) {
		skb_trim(skb, skb->len - n);
		return -EFAULT;
	}
	return n;
}

/* A write of @msg; @spliced: its pages are sendfile()'s or splice()'s. */
static int ktcp_write(struct sock *sk, struct msghdr *msg, size_t size,
		      bool spliced)
{
	struct ktcp_write_mode mode = {};
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ubuf_info *uarg = NULL;
	int flags = msg->msg_flags;
	bool tail_full = false;
	struct sk_buff *skb;
	size_t copied = 0;
	long timeo;
	int err;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}
	uarg = ktcp_write_start(sk, msg, size, spliced, &mode);
	if (IS_ERR(uarg)) {
		err = PTR_ERR(uarg);
		uarg = NULL;
		goto out_err;
	}

	while (msg_data_left(msg)) {
		size_t n;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto out_err;

		/* pages are charged as they are pinned: room first */
		n = min_t(size_t, msg_data_left(msg), ktcp_size_goal(ks));
		if (ktcp_write_pages(&mode) && !sk_wmem_schedule(sk, n))
			goto wait_for_memory;
		skb = skb_peek_tail(&sk->sk_write_queue);
		if (tail_full || !ktcp_tail_takes(sk, skb, &mode)) {
			/* Small writes get small buffers: truesize is what
			 * both ends charge against their socket buffers.
			 */
			n = ktcp_write_pages(&mode) ? 0 :
			    min_t(size_t, ktcp_size_goal(ks),
				  max_t(size_t, msg_data_left(msg),
					KTCP_SMALL_DATA));
			skb = ktcp_write_new_skb(sk, n);
			if (!skb)
				goto wait_for_memory;
			tail_full = false;
		}
		if (!copied)	/* the write goes on: its end is later */
			KTCP_SKB_CB(skb)->flags &= ~KTCP_FLAG_PSH;
		n = min_t(size_t, msg_data_left(msg),
			  ktcp_size_goal(ks) - skb->len);
		err = ktcp_skb_add_data(sk, skb, msg, n, &mode);
		if (err == -EMSGSIZE || err == -EEXIST) {
			/* out of fragments: PSH and go on in a new one, as TCP */
			ktcp_mark_push(ks, skb);
			tail_full = true;
			continue;
		}
		if (err < 0)
			goto out_err;
		n = err;
		KTCP_SKB_CB(skb)->end_seq += n;
		ks->write_seq += n;
		copied += n;
		if (!msg_data_left(msg)) {
			/* a record's end: the next write starts a segment */
			if (flags & MSG_EOR)
				KTCP_SKB_CB(skb)->eor = 1;
			break;		/* ktcp_push_end() pushes and sends it */
		}
		if (skb->len >= ktcp_size_goal(ks) && ktcp_forced_push(ks))
			ktcp_mark_push(ks, skb);
		/* With GSO, push a run's worth at once: it goes as one skb. */
		if (skb->len >= ktcp_size_goal(ks) &&
		    (!ktcp_can_gso(sk) ||
		     ks->write_seq - ks->snd_nxt >= ktcp_gso_max_bytes(sk)))
			ktcp_push(sk);
		continue;

wait_for_memory:
		ktcp_push(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto out_err;
	}
	ktcp_push_end(sk, flags, copied);
	goto out;

out_err:
	ktcp_push_end(sk, flags, copied);
	if (!copied) {
		/* no notification for a write that sent nothing */
		net_zcopy_put_abort(uarg, true);
		err = sk_stream_error(sk, flags, err);
		release_sock(sk);
		return err;
	}
out:
	net_zcopy_put(uarg);
	release_sock(sk);
	return copied;
}

static int ktcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	return ktcp_write(sk, msg, size, ktcp_splice_pages(msg));
}

#ifdef KTCP_HAVE_PROTO_SENDPAGE
/*
 * Before Linux 6.5, sendfile() and splice() pass their pages one at a
 * time: a write of the page by reference, as later kernels'
 * MSG_SPLICE_PAGES.  Until the last page, the segment waits for more, as
 * TCP's do_tcp_sendpages() holds its push.
 */
static ssize_t ktcp_sendpage(struct socket *sock, struct page *page,
			     int offset, size_t size, int flags)
{
	struct bio_vec bvec = {
		.bv_page = page, .bv_offset = offset, .bv_len = size,
	};
	struct msghdr msg = {};

	if (flags & MSG_SENDPAGE_NOTLAST)
		flags |= MSG_MORE;
	msg.msg_flags = flags;
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, size);
	return ktcp_write(sock->sk, &msg, size, true);
}
#endif

/*
 * After reading @copied bytes: ACK at once if the reader emptied the
 * queue of a short segment whose ACK waits for the timer, unless the
 * connection is interactive and its reply will carry the ACK, as TCP's
 * tcp_cleanup_rbuf(); else tell the peer if the window opened
 * noticeably.
 */
static void ktcp_cleanup_rbuf(struct sock *sk, size_t copied)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 cur = 0, now = space > 0 ? space / 2 : 0;

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	if (copied && ks->ack_pending && ks->ack_pushed &&
	    !ks->pingpong && !atomic_read(&sk->sk_rmem_alloc)) {
		ktcp_send_ack(sk);
		return;
	}
	if (ktcp_seq_after(ks->rcv_wup + ks->rcv_wnd, ks->rcv_nxt))
		cur = ks->rcv_wup + ks->rcv_wnd - ks->rcv_nxt;
	if (now >= cur + ktcp_rcv_sws_thresh(sk) && (!cur || now >= 2 * cur))
		ktcp_send_ack(sk);
}

/**
 * ktcp_rcvbuf_goal() - the receive buffer a reader's rate needs
 * @per_rtt: bytes the reader took in the last round trip, a record
 * @prev: the record before it (at first, the initial window)
 * @advmss: our MSS
 *
 * TCP's dynamic right-sizing (tcp_rcv_space_adjust()): a window of twice
 * the reader's rate plus 16 segments, grown by twice the rate's relative
 * rise over the last record, at most tripled: a sender in slow start
 * doubles each round trip, and our window must stay ahead of it.  We
 * advertise half the free buffer, so the buffer is twice the window.
 *
 * Return: bytes, before the tcp_rmem[2] cap.
 */
u64 ktcp_rcvbuf_goal(u64 per_rtt, u32 prev, u32 advmss)
{
	u64 win = 2 * per_rtt + 16ULL * advmss;

	if (per_rtt > prev)
		win += div64_u64(2 * win * min_t(u64, per_rtt - prev, prev),
				 prev);
	return 2 * win;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_rcvbuf_goal);

/*
 * Receive buffer autotuning: once per round trip, see how much the reader
 * took, and when that sets a record grow the buffer to the goal, up to
 * tcp_rmem[2], unless the user set SO_RCVBUF or ktcp is short of memory.
 * A fixed 208 KiB buffer holds loopback's 64 KiB segments to one or two
 * in flight; a window of only twice the rate keeps slow start on a 20 ms
 * path at 64 KiB.  The round trip is the longer of srtt and the time the
 * peer takes to fill our window (ktcp_rcv_rtt_measure()): a window sized
 * for the shorter one is too small to grow out of it.
 */
static void ktcp_rcv_space_adjust(struct sock *sk, size_t copied)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned long rtt = max3(ks->srtt >> 3, ks->rcv_rtt, 1U);
	u32 elapsed = (u32)jiffies - ks->rcvq_stamp;
	u32 prev = ks->rcvq_space ? : 10 * ks->advmss;	/* initial window */
	u64 per_rtt, want;

	ks->rcvq_copied = min_t(u64, (u64)ks->rcvq_copied + copied, U32_MAX);
	if (elapsed < rtt)	/* (u32)jiffies: a sample spans < 49 days */
		return;
	per_rtt = div64_u64((u64)ks->rcvq_copied * rtt, elapsed);
	ks->rcvq_copied = 0;
	ks->rcvq_stamp = (u32)jiffies;
	if (per_rtt <= ks->rcvq_space)
		return;
	ks->rcvq_space = per_rtt;	/* <= U32_MAX: rcvq_copied is a u32 */
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) || !ktcp_mem_may_grow(sk))
		return;
	want = min_t(u64, ktcp_rcvbuf_goal(per_rtt, prev, ks->advmss),
		     READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_rmem[2]));
	if (want > READ_ONCE(sk->sk_rcvbuf))
		WRITE_ONCE(sk->sk_rcvbuf, want);
}

/*
 * A read (recvmsg, splice) that found nothing and has read nothing yet:
 * 1 to wait for data, else what it returns instead, checked in TCP's
 * order: end of stream (0) once a FIN was read, a pending error before a
 * shutdown, then -ENOTCONN, -EAGAIN or the signal.
 */
static int ktcp_read_nothing(struct sock *sk, long timeo)
{
	if (sock_flag(sk, SOCK_DONE))
		return 0;
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 0;
	if (sk->sk_state == TCP_CLOSE)
		return -ENOTCONN;
	if (!timeo)
		return -EAGAIN;
	if (signal_pending(current))
		return sock_intr_errno(timeo);
	return 1;
}

static int ktcp_recvmsg_locked(struct sock *sk, struct msghdr *msg,
			       size_t len, int flags)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 peek_seq = ks->copied_seq;
	bool peek = flags & MSG_PEEK;
	struct sk_buff *skb, *last;
	long timeo;
	int target, err;
	size_t copied = 0;

	if (sk->sk_state == TCP_LISTEN)
		return -ENOTCONN;
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	while (copied < len) {
		u32 *seq = peek ? &peek_seq : &ks->copied_seq;
		bool found = false;

		/* a read stops at the urgent mark, as on TCP */
		if (copied && ks->urg_data && ks->urg_seq == *seq)
			break;
		last = skb_peek_tail(&sk->sk_receive_queue);
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			u32 off = *seq - KTCP_SKB_CB(skb)->seq;
			size_t n;

			if (off >= skb->len)
				continue;
			if (ktcp_urg_skip(sk, *seq)) {
				(*seq)++;	/* read, or lost, out of line */
				off++;
			}
			n = ktcp_urg_clip(sk, *seq, min_t(size_t, skb->len - off,
							  len - copied));
			/* MSG_TRUNC: consume (or peek at) without copying */
			if (n && !(flags & MSG_TRUNC)) {
				err = skb_copy_datagram_msg(skb, off, msg, n);
				if (err)
					return copied ? copied : -EFAULT;
			}
			*seq += n;
			copied += n;
			found = true;
			if (!peek && off + n == skb->len) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);
			}
			break;
		}
		if (found)
			continue;
		if (copied >= target)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			err = ktcp_read_nothing(sk, timeo);
			if (err < 0)
				return err;
			if (!err)
				break;
		}
		ktcp_cleanup_rbuf(sk, copied);
		sk_wait_data(sk, &timeo, last);
	}
	if (!peek) {
		ktcp_urg_consumed(ks);
		if (copied)
			ktcp_rcv_space_adjust(sk, copied);
		ktcp_cleanup_rbuf(sk, copied);
	}
	return copied;
}

/*
 * One pass of splice() over the receive queue: up to @len bytes from
 * copied_seq on into @pipe, page references where the skbs have pages.
 * It stops at the urgent mark and never passes it, as TCP's
 * tcp_read_sock(): the urgent byte is read with MSG_OOB.  Return: the
 * bytes spliced, or a negative error.
 */
static int ktcp_splice_queued(struct sock *sk, struct pipe_inode_info *pipe,
			      size_t len, unsigned int flags)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *skb, *tmp;
	int spliced = 0;

	sock_owned_by_me(sk);

	skb_queue_walk_safe(&sk->sk_receive_queue, skb, tmp) {
		u32 off = ks->copied_seq - KTCP_SKB_CB(skb)->seq;
		size_t n;
		int ret;

		if (off >= skb->len)
			continue;
		n = min_t(size_t, skb->len - off, len - spliced);
		if (ks->urg_data && ks->urg_seq - ks->copied_seq < n)
			n = ks->urg_seq - ks->copied_seq;
		if (!n)
			break;
		ret = skb_splice_bits(skb, sk, off, pipe, n, flags);
		if (ret <= 0)
			return spliced ? spliced : ret;
		ks->copied_seq += ret;
		spliced += ret;
		if (off + ret == skb->len) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
		if (ret < n || spliced == len)
			break;
	}
	if (spliced) {
		ktcp_urg_consumed(ks);
		ktcp_rcv_space_adjust(sk, spliced);
		ktcp_cleanup_rbuf(sk, spliced);
	}
	return spliced;
}

/*
 * splice() from a ktcp socket, as TCP's tcp_splice_read(): it waits for
 * data as recv() does, returns what it has once it has some, and 0 when
 * what is queued cannot be spliced (the urgent byte).
 */
static ssize_t ktcp_splice_read(struct socket *sock, loff_t *ppos,
				struct pipe_inode_info *pipe, size_t len,
				unsigned int flags)
{
	struct sock *sk = sock->sk;
	bool nonblock = (sock->file->f_flags & O_NONBLOCK) ||
			(flags & SPLICE_F_NONBLOCK);
	ssize_t spliced = 0;
	int ret = 0;
	long timeo;

	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, nonblock);
	while (len) {
		ret = ktcp_splice_queued(sk, pipe, len, flags);
		if (ret < 0)
			break;
		if (ret) {
			spliced += ret;
			len -= ret;
			if (!timeo)
				break;
			continue;
		}
		if (spliced)
			break;
		ret = ktcp_read_nothing(sk, timeo);
		if (ret <= 0)
			break;
		ret = 0;
		/* queued but nothing to splice: waiting would never end */
		if (!skb_queue_empty(&sk->sk_receive_queue))
			break;
		sk_wait_data(sk, &timeo, NULL);
	}
	release_sock(sk);
	return spliced ? spliced : ret;
}

/*
 * TCP_INQ's hint after a read, as TCP's tcp_inq_hint(): the bytes still
 * to read, counting a received FIN as one, so that a reader sees 0 only
 * while there is nothing more to come yet.
 */
static int ktcp_inq_hint(const struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	int inq = ks->rcv_nxt - ks->copied_seq;

	if (!inq && sock_flag(sk, SOCK_DONE))
		inq = 1;
	return inq;
}

int ktcp_recvmsg_common(struct sock *sk, struct msghdr *msg, size_t len,
			int flags)
{
	int ret, inq = 0;

	lock_sock(sk);
	if (flags & MSG_OOB) {
		ret = ktcp_urg_recv(sk, msg, len, flags);
	} else {
		ret = ktcp_recvmsg_locked(sk, msg, len, flags);
		inq = ktcp_inq_hint(sk);
	}
	release_sock(sk);
	if (ret >= 0 && !(flags & MSG_OOB) && ktcp_sk(sk)->cfg.recvmsg_inq)
		put_cmsg(msg, SOL_TCP, TCP_CM_INQ, sizeof(inq), &inq);
	return ret;
}

int ktcp_ioctl_value(struct sock *sk, int cmd, int *karg)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = ktcp_inq(sk);
		return 0;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = READ_ONCE(ks->write_seq) - READ_ONCE(ks->snd_una);
		return 0;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		*karg = READ_ONCE(ks->write_seq) - READ_ONCE(ks->snd_nxt);
		return 0;
	case SIOCATMARK:
		*karg = ktcp_urg_at_mark(sk);
		return 0;
	}
	return -ENOIOCTLCMD;
}

/*
 * TCP_NOTSENT_LOWAT (proto->stream_memory_free): a writer waits while that
 * much is queued but not yet sent, and poll (@wake) reports room only once
 * less than half of it is, as tcp_stream_memory_free(): bulk senders keep
 * the unsent part of their data small and fresh.
 */
static bool ktcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 lowat = READ_ONCE(ks->cfg.notsent_lowat);
	u64 notsent;

	if (!lowat)
		return true;
	notsent = (u32)(READ_ONCE(ks->write_seq) - READ_ONCE(ks->snd_nxt));
	return (notsent << !!wake) < lowat;
}

static void ktcp_destroy(struct sock *sk)
{
	ktcp_clear_timers(sk);
}

struct proto ktcp_prot = {
	.name		= "KTCP",
	.owner		= THIS_MODULE,
	.close		= ktcp_close,
	.connect	= ktcp_connect,
	.disconnect	= ktcp_disconnect,
	.accept		= ktcp_accept,
	.ioctl		= ktcp_ioctl,
	.init		= ktcp_init_sock,
	.destroy	= ktcp_destroy,
	.shutdown	= ktcp_shutdown,
	.setsockopt	= ktcp_setsockopt,
	.getsockopt	= ktcp_getsockopt,
	.keepalive	= ktcp_keepalive,
	.sendmsg	= ktcp_sendmsg,
	.recvmsg	= ktcp_recvmsg,
	.backlog_rcv	= ktcp_backlog_rcv,
	.release_cb	= ktcp_release_cb,
	.unhash		= ktcp_unhash,
	.get_port	= ktcp_get_port,
	.put_port	= ktcp_put_port,
	.stream_memory_free	= ktcp_stream_memory_free,
	.enter_memory_pressure	= ktcp_enter_memory_pressure,
	.leave_memory_pressure	= ktcp_leave_memory_pressure,
	.memory_allocated	= &ktcp_memory_allocated,
	.per_cpu_fw_alloc	= &ktcp_fw_alloc,
	.sockets_allocated	= &ktcp_sockets_allocated,
	.memory_pressure	= &ktcp_memory_pressure,
	.sysctl_mem	= ktcp_sysctl_mem,
	/* tcp_wmem[0] and tcp_rmem[0]: the least a socket keeps under pressure */
	.sysctl_wmem_offset	= offsetof(struct net, ipv4.sysctl_tcp_wmem),
	.sysctl_rmem_offset	= offsetof(struct net, ipv4.sysctl_tcp_rmem),
	.obj_size	= sizeof(struct ktcp_sock),
};
EXPORT_SYMBOL_IF_KUNIT(ktcp_prot);

const struct proto_ops ktcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= ktcp_stream_accept,
	.getname	= inet_getname,
	.poll		= ktcp_poll,
	.ioctl		= inet_ioctl,
	.listen		= ktcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.splice_read	= ktcp_splice_read,
#ifdef KTCP_HAVE_PROTO_SENDPAGE
	.sendpage	= ktcp_sendpage,
#endif
	.mmap		= sock_no_mmap,
};
