// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp timers: retransmission (with zero window probing), delayed ACK,
 * and sk_timer for TIME-WAIT, orphaned FIN-WAIT-2 and keepalive.
 *
 * Each pending timer holds a socket reference (sk_reset_timer()).  A
 * handler that finds the socket owned by a process leaves the work to
 * ktcp_release_cb(), which release_sock() calls.
 */
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_fsm.h"
#include "ktcp_input.h"
#include "ktcp_kunit.h"
#include "ktcp_main.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_output.h"
#include "ktcp_recovery.h"
#include "ktcp_sockopt.h"
#include "ktcp_sysctl.h"
#include "ktcp_timer.h"

/* Run @fn now if we may, or when the owner releases the socket. */
static void ktcp_timer_run(struct sock *sk, int bit, void (*fn)(struct sock *))
{
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk))
		fn(sk);
	else
		set_bit(bit, &ktcp_sk(sk)->pending_timers);
	bh_unlock_sock(sk);
	sock_put(sk);
}

/*
 * Retransmissions (or unanswered probes) before a connection is given
 * up: an orphan, whose data no one waits for, sooner, as TCP's
 * tcp_orphan_retries.
 */
static u32 ktcp_retry_limit(const struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT)
		return ktcp_sk(sk)->cfg.syn_retries ? :
		       ktcp_net_syn_retries(sock_net(sk));
	if (sk->sk_state == TCP_SYN_RECV)	/* a held ACK: the peer lives */
		return max_t(u32, KTCP_SYNACK_RETRIES,
			     ktcp_sk(sk)->defer_acked ?
			     ktcp_sk(sk)->cfg.defer_accept : 0);
	if (sock_flag(sk, SOCK_DEAD))
		return ktcp_net_orphan_retries(sock_net(sk));
	return ktcp_net_data_retries(sock_net(sk));
}

/*
 * TCP_USER_TIMEOUT (RFC 5482) on a synchronized connection: jiffies left
 * of it since retrans_stamp, where the retransmissions began or the
 * window closed; 0 once it has passed.  Without it, U32_MAX: the retry
 * limits decide.
 */
static u32 ktcp_user_timeout_left(const struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 timeout = READ_ONCE(ks->cfg.user_timeout);
	s32 left;

	if (!timeout || (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		return U32_MAX;
	left = (s32)(ks->retrans_stamp + (u32)msecs_to_jiffies(timeout) -
		     (u32)jiffies);
	return max(left, 0);
}

/*
 * RFC 9293 3.8.3: the retransmissions have gone unanswered too long.
 * TCP_USER_TIMEOUT, if set, is the only bound, as on TCP.
 */
static bool ktcp_retransmits_timed_out(const struct sock *sk)
{
	u32 left = ktcp_user_timeout_left(sk);

	if (left != U32_MAX)
		return ktcp_sk(sk)->retries && !left;
	return ktcp_sk(sk)->retries >= ktcp_retry_limit(sk);
}

/*
 * The connection timed out: report the last ICMP error the path gave, or
 * ETIMEDOUT (RFC 1122 4.2.3.9), and end it.
 */
static void ktcp_write_err(struct sock *sk, enum ktcp_mib_field mib)
{
	KTCP_INC_STATS(sock_net(sk), mib);
	WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
	ktcp_fsm_event(sk, KTCP_EV_TIMEOUT);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

/*
 * An orphan when too many are about (net.ktcp.max_orphans): reset it now
 * rather than let it hold memory, as TCP's tcp_out_of_resources().
 * Return: true if it is gone.
 */
static bool ktcp_orphan_out_of_resources(struct sock *sk)
{
	if (!sock_flag(sk, SOCK_DEAD) || !ktcp_too_many_orphans())
		return false;
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ABORT_ON_MEMORY);
	ktcp_abort(sk, KTCP_RST_ORPHANS);
	return true;
}

/**
 * ktcp_negative_advice() - tell IP that @sk's route may be bad
 * @sk: locked socket
 *
 * RFC 1122 4.2.3.5: retransmissions that go unanswered are a hint that
 * the route is wrong.  IP drops a cached route that came from an ICMP
 * redirect or carries a learnt path MTU, and the next segment looks the
 * route up again.  A socket can hold such a route after the route has
 * learnt better, and no ICMP error can fix it then: the error for the
 * segment it sends updates the table, not the socket's copy.
 */
void ktcp_negative_advice(struct sock *sk)
{
	KUNIT_STATIC_STUB_REDIRECT(ktcp_negative_advice, sk);
	__dst_negative_advice(sk);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_negative_advice);

/*
 * When a timeout looks the route up again, as TCP does: at each one
 * after the first while the connection opens, and once three
 * retransmissions in a row went unanswered on a synchronized one (TCP's
 * tcp_retries1, whose default is 3).
 */
#define KTCP_RETRIES1	3

static void ktcp_rethink_route(struct sock *sk)
{
	u8 retries = ktcp_sk(sk)->retries;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
	    retries >= 1 : retries >= KTCP_RETRIES1)
		ktcp_negative_advice(sk);
}

/*
 * RFC 6298 5.5: double the RTO, up to net.ktcp.rto_max_ms.  Under heavy
 * loss Karn's rule may leave no RTT sample to bring a backed-off RTO
 * down for several timeouts; the ceiling bounds each stall.
 */
static void ktcp_rto_backoff(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	ks->rto = min_t(u32, ks->rto * 2, ktcp_net_rto_max(sock_net(sk)));
}

static void ktcp_rtx_expired(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (timer_pending(&ks->rtx_timer) ||
	    skb_queue_empty(&sk->sk_write_queue) ||
	    (1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_TIME_WAIT))
		return;

	if (ktcp_orphan_out_of_resources(sk))
		return;
	/*
	 * Nothing in flight: the peer's window is closed (RFC 9293 3.8.6.1),
	 * TCP_CORK holds a short segment, or sending failed locally.  Send
	 * what the window takes, else probe it, backing off; unanswered
	 * probes end the connection as unanswered retransmissions do.
	 */
	if (ks->snd_una == ks->snd_max) {
		/* TCP_USER_TIMEOUT bounds the closed window, answered or not,
		 * as TCP's tcp_probe_timer()
		 */
		if (!ks->window_probing) {
			ks->window_probing = 1;
			ks->retrans_stamp = (u32)jiffies;
		}
		if (ks->probes_out >= ktcp_retry_limit(sk) ||
		    !ktcp_user_timeout_left(sk)) {
			ktcp_write_err(sk, KTCP_MIB_PROBE_TIMEOUTS);
			return;
		}
		ktcp_write_wakeup(sk);
		if (ks->snd_una != ks->snd_max) {	/* data went: RTO's turn */
			ks->probes_out = 0;
			ks->window_probing = 0;
			ktcp_arm_rtx(sk);
			return;
		}
		ks->probes_out++;
		ktcp_rto_backoff(sk);
		sk_reset_timer(sk, &ks->rtx_timer, jiffies +
			       min(ks->rto, max(ktcp_user_timeout_left(sk), 1U)));
		return;
	}

	if (ks->tlp_armed && !ks->in_recovery) {
		ks->tlp_armed = 0;
		ktcp_send_loss_probe(sk);
		sk_reset_timer(sk, &ks->rtx_timer, jiffies + ks->rto);
		return;
	}

	ks->window_probing = 0;
	if (!ks->retries)
		ks->retrans_stamp =
			KTCP_SKB_CB(skb_peek(&sk->sk_write_queue))->xmit_stamp;
	if (ktcp_retransmits_timed_out(sk)) {
		if (sk->sk_state == TCP_SYN_SENT)
			KTCP_INC_STATS(sock_net(sk), KTCP_MIB_ATTEMPTFAILS);
		ktcp_write_err(sk, KTCP_MIB_TIMEOUTS);
		return;
	}

	/* RFC 5681 3.1 and RFC 6298 5.5-5.7: collapse, back off, go back N. */
	KTCP_INC_STATS(sock_net(sk), KTCP_MIB_RETRANS_TIMEOUTS);
	ks->ssthresh = ks->ca_ops->ssthresh(sk);
	ks->cwnd = ks->mss;
	ks->cwnd_cnt = 0;
	if (ks->ca_ops->on_rto)
		ks->ca_ops->on_rto(sk);
	ks->in_recovery = 0;
	ks->sack_recovery = 0;
	ks->tlp_out = 0;
	ks->dupacks = 0;
	/* TCP_CA_Loss for TCP_INFO, until the flight the RTO found lost is
	 * acknowledged
	 */
	if (!((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))) {
		ks->in_loss = 1;
		ks->loss_high = ks->snd_max;
	}
	ktcp_sack_forget(sk);
	ktcp_rethink_route(sk);
	ks->retries++;
	ktcp_rto_backoff(sk);
	ktcp_retransmit_head(sk);
	/* Everything after the head is sent again as ACKs come back. */
	ks->send_head = skb_queue_is_last(&sk->sk_write_queue,
					  skb_peek(&sk->sk_write_queue)) ?
			NULL : skb_peek(&sk->sk_write_queue)->next;
	ks->snd_nxt = KTCP_SKB_CB(skb_peek(&sk->sk_write_queue))->end_seq;
	ktcp_arm_rtx(sk);
}

static void ktcp_rtx_timer(struct timer_list *t)
{
	struct ktcp_sock *ks = ktcp_timer_container(ks, t, rtx_timer);

	ktcp_timer_run((struct sock *)ks, KTCP_TIMER_RTX, ktcp_rtx_expired);
}

static void ktcp_delack_expired(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (ks->ack_pending &&
	    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))) {
		if (ks->pingpong) {
			/* no reply carried the ACK: not interactive after all */
			ks->pingpong = 0;
			ks->ato = KTCP_DELACK_TIME;
		} else {
			/* the peer sends slower than we waited: wait longer */
			ks->ato = min(ks->ato << 1, ks->rto);
		}
		ktcp_send_ack(sk);
	}
}

static void ktcp_delack_timer(struct timer_list *t)
{
	struct ktcp_sock *ks = ktcp_timer_container(ks, t, delack_timer);

	ktcp_timer_run((struct sock *)ks, KTCP_TIMER_DELACK,
		       ktcp_delack_expired);
}

/* States in which keepalive probes may go: every synchronized one. */
#define KTCP_KEEPALIVE_STATES	(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | \
				 TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | \
				 TCPF_CLOSING | TCPF_LAST_ACK)

/*
 * The keepalive probes went unanswered long enough: TCP_KEEPCNT of them,
 * or with TCP_USER_TIMEOUT set, any once that long passed without a word
 * from the peer (as TCP's tcp_keepalive_timer()).
 */
static bool ktcp_keepalive_timed_out(const struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 timeout = READ_ONCE(ks->cfg.user_timeout);

	if (!timeout)
		return ks->keepalive_sent >= ktcp_keepalive_probes(ks);
	return ks->keepalive_sent &&
	       time_after_eq(jiffies, ks->rcv_tstamp + msecs_to_jiffies(timeout));
}

/*
 * RFC 1122 4.2.3.6 as TCP does it: after keepalive_time without a segment
 * from the peer, a probe every keepalive_intvl; keepalive_probes
 * unanswered ones reset the connection.  While data or a FIN is in
 * flight or waiting, the retransmission timer watches the peer instead.
 * A half-closed socket keeps probing in FIN-WAIT-2, and only an orphan's
 * FIN-WAIT-2 ends by time.
 */
static void ktcp_keepalive_expired(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned long idle_end = ks->rcv_tstamp + ktcp_keepalive_time(ks) * HZ;

	sock_owned_by_me(sk);

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    !((1 << sk->sk_state) & KTCP_KEEPALIVE_STATES))
		return;
	if (!skb_queue_empty(&sk->sk_write_queue)) {
		ks->keepalive_sent = 0;
		sk_reset_timer(sk, &sk->sk_timer,
			       jiffies + ktcp_keepalive_time(ks) * HZ);
		return;
	}
	if (time_before(jiffies, idle_end)) {
		ks->keepalive_sent = 0;		/* the peer spoke: not idle */
		sk_reset_timer(sk, &sk->sk_timer, idle_end);
		return;
	}
	if (ktcp_keepalive_timed_out(sk)) {
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_TIMEOUTS);
		WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
		ktcp_abort(sk, KTCP_RST_KEEPALIVE);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_error_report(sk);
		return;
	}
	ks->keepalive_sent++;
	ktcp_send_probe(sk);
	sk_reset_timer(sk, &sk->sk_timer,
		       jiffies + ktcp_keepalive_intvl(ks) * HZ);
}

static void ktcp_sk_expired(struct sock *sk)
{
	sock_owned_by_me(sk);

	if (timer_pending(&sk->sk_timer))
		return;
	if (sk->sk_state == TCP_TIME_WAIT ||
	    (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)))
		ktcp_fsm_event(sk, KTCP_EV_TIMEOUT);
	else
		ktcp_keepalive_expired(sk);
}

static void ktcp_sk_timer(struct timer_list *t)
{
	struct sock *sk = ktcp_timer_container(sk, t, sk_timer);

	ktcp_timer_run(sk, KTCP_TIMER_SK, ktcp_sk_expired);
}

/**
 * ktcp_release_cb() - run timer work deferred while a process owned the
 *                     socket (proto->release_cb)
 * @sk: socket being released
 */
void ktcp_release_cb(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	if (test_and_clear_bit(KTCP_TIMER_RTX, &ks->pending_timers))
		ktcp_rtx_expired(sk);
	if (test_and_clear_bit(KTCP_TIMER_DELACK, &ks->pending_timers))
		ktcp_delack_expired(sk);
	if (test_and_clear_bit(KTCP_TIMER_SK, &ks->pending_timers))
		ktcp_sk_expired(sk);
	if (test_and_clear_bit(KTCP_DEFER_MTU, &ks->pending_timers))
		ks->af_ops->mtu_reduced(sk);
	if (test_and_clear_bit(KTCP_DEFER_ERROR, &ks->pending_timers))
		ktcp_open_error(sk);
}

void ktcp_init_timers(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	timer_setup(&ks->rtx_timer, ktcp_rtx_timer, 0);
	timer_setup(&ks->delack_timer, ktcp_delack_timer, 0);
	timer_setup(&sk->sk_timer, ktcp_sk_timer, 0);
}

/**
 * ktcp_clear_timers() - stop every timer, dropping their references
 * @sk: locked socket; the caller holds a reference of its own
 */
void ktcp_clear_timers(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sk_stop_timer(sk, &ks->rtx_timer);
	sk_stop_timer(sk, &ks->delack_timer);
	sk_stop_timer(sk, &sk->sk_timer);
	ks->pending_timers = 0;
}

/*
 * RFC 8985 section 7.2: with SACK, data (or our FIN) in flight and no
 * recovery, RTO backoff or probe under way, the timer first fires as a
 * loss probe: two smoothed RTTs plus the peer's delayed ACK timer, its
 * worst case (200 ms) when one segment is out, or one second while
 * there is no RTT sample; never later than the RTO, as TCP's.  With more
 * segments out the RFC adds nothing, but an ACK also waits while the
 * peer's reader holds its socket lock, which a jiffy-grained srtt does
 * not see: probes on loopback came too early.
 */
static unsigned long ktcp_rtx_timeout(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	u32 pto = KTCP_RTO_INIT;

	if (ks->srtt && head)
		pto = (ks->srtt >> 2) +
		      (ktcp_seq_geq(KTCP_SKB_CB(head)->end_seq, ks->snd_max) ?
		       KTCP_DELACK_MAX : KTCP_DELACK_TIME);
	ks->tlp_armed = ks->sack_ok && !ks->in_recovery && !ks->tlp_out &&
			!ks->retries && ks->snd_una != ks->snd_max &&
			(1 << sk->sk_state) &
			(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
			 TCPF_CLOSING | TCPF_LAST_ACK);
	if (ks->tlp_armed)
		return min(pto, ks->rto);
	if (ks->retries)	/* never past TCP_USER_TIMEOUT's end */
		return min(ks->rto, max(ktcp_user_timeout_left(sk), 1U));
	return ks->rto;
}

/**
 * ktcp_restart_rtx() - restart the retransmission timer (or loss probe)
 * @sk: locked socket with data in flight, after an ACK of new data
 */
void ktcp_restart_rtx(struct sock *sk)
{
	sock_owned_by_me(sk);

	sk_reset_timer(sk, &ktcp_sk(sk)->rtx_timer,
		       jiffies + ktcp_rtx_timeout(sk));
}

/* Arm the retransmission timer (or loss probe) unless it is running. */
void ktcp_arm_rtx(struct sock *sk)
{
	if (!timer_pending(&ktcp_sk(sk)->rtx_timer))
		ktcp_restart_rtx(sk);
}

/*
 * The delayed ACK waits ato, as TCP's tcp_send_delayed_ack(): once ato
 * grew past its minimum, never longer than a smoothed RTT (at least the
 * minimum), than 200 ms while the connection is interactive or a pushed
 * segment waits, or than half a second.  A timer already due sooner
 * stays.
 */
void ktcp_arm_delack(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 ato = ks->ato ? : KTCP_DELACK_TIME;
	unsigned long when;

	sock_owned_by_me(sk);

	if (ato > KTCP_DELACK_TIME) {
		u32 max_ato = ks->pingpong || ks->ack_pushed ?
			      KTCP_DELACK_MAX : HZ / 2;

		if (ks->srtt)
			max_ato = min_t(u32, max_ato,
					max_t(u32, ks->srtt >> 3,
					      KTCP_DELACK_TIME));
		ato = min(ato, max_ato);
	}
	when = jiffies + min_t(u32, ato, KTCP_DELACK_MAX);
	if (timer_pending(&ks->delack_timer) &&
	    time_before(ks->delack_timer.expires, when))
		return;
	sk_reset_timer(sk, &ks->delack_timer, when);
}

/**
 * ktcp_enter_time_wait() - (re)start the 2MSL timer
 * @sk: locked socket in TIME-WAIT
 *
 * With net.ktcp.max_tw_buckets sockets in TIME-WAIT already, the
 * connection closes at once instead, as TCP's does on overflow.
 */
void ktcp_enter_time_wait(struct sock *sk)
{
	struct ktcp_net *kn = ktcp_pernet(sock_net(sk));
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	sk_stop_timer(sk, &ks->rtx_timer);
	sk_stop_timer(sk, &ks->delack_timer);
	ktcp_write_queue_purge(sk);
	sk_mem_reclaim(sk);	/* a socket in TIME-WAIT holds no pages */
	if (atomic_read(&kn->tw_count) > ktcp_net_max_tw_buckets(sock_net(sk))) {
		KTCP_INC_STATS(sock_net(sk), KTCP_MIB_TW_OVERFLOW);
		ktcp_fsm_event(sk, KTCP_EV_TIMEOUT);
		return;
	}
	sk_reset_timer(sk, &sk->sk_timer, jiffies +
		       msecs_to_jiffies(ktcp_net_tw_timeout_ms(sock_net(sk))));
}

/*
 * How long an orphan waits in FIN-WAIT-2: TCP_LINGER2 or else
 * net.ktcp.fin_timeout, never less than 3.5 RTOs (as tcp_fin_time()), so
 * that the peer has a chance to retransmit a lost FIN; no time at all
 * with TCP_LINGER2 -1.
 */
static unsigned long ktcp_fin_wait2_time(const struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	unsigned long tmo, floor = (ks->rto << 2) - (ks->rto >> 1);

	if (ks->cfg.linger2 < 0)
		return 0;
	tmo = ks->cfg.linger2 ? ks->cfg.linger2 * HZ :
	      ktcp_net_fin_timeout(sock_net(sk));
	return max(tmo, floor);
}

/**
 * ktcp_arm_fin_wait2() - bound an orphan's wait for the peer's FIN
 * @sk: locked socket that just entered FIN-WAIT-2 or was orphaned in it
 *
 * A socket its user still holds waits as long as the user likes (with
 * keepalive, if set, on the same timer); an orphan gives up after
 * ktcp_fin_wait2_time(), as TCP's does.
 */
void ktcp_arm_fin_wait2(struct sock *sk)
{
	sock_owned_by_me(sk);

	if (sock_flag(sk, SOCK_DEAD))
		sk_reset_timer(sk, &sk->sk_timer,
			       jiffies + ktcp_fin_wait2_time(sk));
}

/**
 * ktcp_arm_keepalive() - restart the keepalive idle timer
 * @sk: locked socket
 *
 * Called when SO_KEEPALIVE or TCP_KEEPIDLE is set and when a connection
 * becomes established, so that an option set before connect() or on a
 * listener takes effect.
 */
void ktcp_arm_keepalive(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    !((1 << sk->sk_state) & KTCP_KEEPALIVE_STATES) ||
	    (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)))
		return;
	ks->keepalive_sent = 0;
	sk_reset_timer(sk, &sk->sk_timer,
		       jiffies + ktcp_keepalive_time(ks) * HZ);
}
