// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp socket options.  Level IPPROTO_TCP and level IPPROTO_KTCP both
 * take TCP's option names; SOL_IP goes to IP.
 */
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_main.h"
#include "ktcp_output.h"
#include "ktcp_sockopt.h"
#include "ktcp_sysctl.h"
#include "ktcp_timer.h"

static bool ktcp_level(int level)
{
	return level == SOL_TCP || level == ktcp_protocol;
}

/*
 * TCP_DEFER_ACCEPT's seconds as SYN-ACK retransmissions (the first after
 * 1 s, then doubling up to KTCP_RTO_MAX), rounded up, and back again: TCP
 * keeps and reports the option so, and 5 s reads back as 7.
 */
static u8 ktcp_defer_secs_to_retrans(int secs)
{
	int period = 1, rto = 1;
	u8 n;

	if (secs <= 0)
		return 0;
	for (n = 1; secs > period && n < U8_MAX; n++) {
		rto = min(rto * 2, KTCP_RTO_MAX / HZ);
		period += rto;
	}
	return n;
}

static int ktcp_defer_retrans_to_secs(u8 n)
{
	int period = n ? 1 : 0, rto = 1;

	for (; n > 1; n--) {
		rto = min(rto * 2, KTCP_RTO_MAX / HZ);
		period += rto;
	}
	return period;
}

static int ktcp_set_int(struct sock *sk, int optname, int val)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	switch (optname) {
	/* As TCP's: TCP_NODELAY set under TCP_CORK sends what is queued
	 * once, and takes effect when the cork is pulled.
	 */
	case TCP_NODELAY:
		ks->cfg.nodelay = !!val;
		if (val) {
			ks->push_queued = 1;
			ktcp_push(sk);
		}
		return 0;
	case TCP_CORK:
		ks->cfg.cork = !!val;
		if (!val) {
			ks->push_queued = ks->cfg.nodelay;
			ktcp_push(sk);
		}
		return 0;
	case TCP_MAXSEG:
		if (val && (val < 64 || val > 65535 - 40))
			return -EINVAL;
		ks->cfg.user_mss = val;	/* takes effect at the handshake */
		return 0;
	case TCP_KEEPIDLE:
		if (val < 1 || val > 32767)
			return -EINVAL;
		ks->cfg.keepalive_time = val;
		ktcp_arm_keepalive(sk);
		return 0;
	case TCP_KEEPINTVL:
		if (val < 1 || val > 32767)
			return -EINVAL;
		ks->cfg.keepalive_intvl = val;
		return 0;
	case TCP_KEEPCNT:
		if (val < 1 || val > 127)
			return -EINVAL;
		ks->cfg.keepalive_probes = val;
		return 0;
	case TCP_QUICKACK:
		/* As TCP: 0 marks the connection interactive, 1 clears that
		 * and sends an ACK that waits.
		 */
		ks->pingpong = !val;
		if (val && ks->ack_pending &&
		    (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
			ktcp_send_ack(sk);
			ks->pingpong = !(val & 1);
		}
		return 0;
	case TCP_SYNCNT:
		if (val < 1 || val > KTCP_SYNCNT_MAX)
			return -EINVAL;
		ks->cfg.syn_retries = val;
		return 0;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			return -EINVAL;
		WRITE_ONCE(ks->cfg.user_timeout, val);
		return 0;
	case TCP_NOTSENT_LOWAT:
		/* as TCP: any value, read as unsigned; a writer may go on */
		WRITE_ONCE(ks->cfg.notsent_lowat, val);
		sk->sk_write_space(sk);
		return 0;
	case TCP_LINGER2:
		ks->cfg.linger2 = val < 0 ? -1 : min(val, KTCP_LINGER2_MAX);
		return 0;
	case TCP_DEFER_ACCEPT:
		ks->cfg.defer_accept = ktcp_defer_secs_to_retrans(val);
		return 0;
	case TCP_INQ:
		if (val < 0 || val > 1)
			return -EINVAL;
		ks->cfg.recvmsg_inq = val;
		return 0;
	case TCP_WINDOW_CLAMP:
		/* as TCP: only a socket not yet connected may drop it */
		if (!val && sk->sk_state != TCP_CLOSE)
			return -EINVAL;
		ks->cfg.window_clamp = val ? max_t(int, val,
						   SOCK_MIN_RCVBUF / 2) : 0;
		return 0;
	}
	return -ENOPROTOOPT;
}

/*
 * SOL_SOCKET options reach ktcp first (ktcp_take_sol_socket()): the
 * socket layer grants SO_ZEROCOPY only to IPPROTO_TCP among stream
 * sockets, so ktcp answers that one as the socket layer does for TCP and
 * passes every other on.
 */
static int ktcp_setsockopt_socket(struct sock *sk, int optname,
				  sockptr_t optval, unsigned int optlen)
{
	int val;

	if (optname != SO_ZEROCOPY)
		return sock_setsockopt(sk->sk_socket, SOL_SOCKET, optname,
				       optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	if (val < 0 || val > 1)
		return -EINVAL;
	lock_sock(sk);
	if (val)
		sock_set_flag(sk, SOCK_ZEROCOPY);
	else
		sock_reset_flag(sk, SOCK_ZEROCOPY);
	release_sock(sk);
	return 0;
}

int ktcp_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen)
{
	int val, err;

	if (level == SOL_SOCKET)
		return ktcp_setsockopt_socket(sk, optname, optval, optlen);
	if (!ktcp_level(level))
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optname == TCP_CONGESTION) {
		char name[KTCP_CA_NAME_MAX];

		if (!optlen)
			return -EINVAL;
		optlen = min_t(unsigned int, optlen, sizeof(name) - 1);
		if (copy_from_sockptr(name, optval, optlen))
			return -EFAULT;
		name[optlen] = 0;
		lock_sock(sk);
		err = ktcp_cong_select(sk, name);
		release_sock(sk);
		return err;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	err = ktcp_set_int(sk, optname, val);
	release_sock(sk);
	return err;
}

static int ktcp_get_int(struct sock *sk, int optname, int *val)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	switch (optname) {
	case TCP_NODELAY:
		*val = ks->cfg.nodelay;
		return 0;
	case TCP_CORK:
		*val = ks->cfg.cork;
		return 0;
	case TCP_MAXSEG:
		*val = sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN ?
		       (ks->cfg.user_mss ? : KTCP_DEFAULT_MSS) : ks->mss;
		return 0;
	case TCP_KEEPIDLE:
		*val = ktcp_keepalive_time(ks);
		return 0;
	case TCP_KEEPINTVL:
		*val = ktcp_keepalive_intvl(ks);
		return 0;
	case TCP_KEEPCNT:
		*val = ktcp_keepalive_probes(ks);
		return 0;
	case TCP_SYNCNT:
		*val = ks->cfg.syn_retries ? :
		       ktcp_net_syn_retries(sock_net(sk));
		return 0;
	case TCP_USER_TIMEOUT:
		*val = READ_ONCE(ks->cfg.user_timeout);
		return 0;
	case TCP_NOTSENT_LOWAT:
		*val = READ_ONCE(ks->cfg.notsent_lowat);
		return 0;
	case TCP_LINGER2:
		*val = ks->cfg.linger2;
		if (!*val)
			*val = ktcp_net_fin_timeout(sock_net(sk)) / HZ;
		return 0;
	case TCP_WINDOW_CLAMP:
		*val = ks->cfg.window_clamp;
		return 0;
	case TCP_DEFER_ACCEPT:
		*val = ktcp_defer_retrans_to_secs(ks->cfg.defer_accept);
		return 0;
	case TCP_QUICKACK:
		*val = !ks->pingpong;
		return 0;
	case TCP_INQ:
		*val = ks->cfg.recvmsg_inq;
		return 0;
	}
	return -ENOPROTOOPT;
}

/* TCP's congestion state, from ktcp's recovery bits. */
static u8 ktcp_ca_state(const struct ktcp_sock *ks)
{
	if (ks->in_loss)
		return TCP_CA_Loss;
	if (ks->in_recovery)
		return TCP_CA_Recovery;
	if (ks->dupacks || ks->sacked_out)
		return TCP_CA_Disorder;
	return TCP_CA_Open;
}

/* @bytes in segments of the current MSS, as TCP_INFO counts. */
static u32 ktcp_info_segs(const struct ktcp_sock *ks, u32 bytes)
{
	return DIV_ROUND_UP(bytes, max_t(u32, ks->mss, 1));
}

/*
 * The scoreboard in segments.  After an RTO, ktcp forgets its marks and
 * goes back N where TCP marks the whole flight lost (tcp_enter_loss()):
 * what is unacknowledged is lost, what was resent since is in flight.
 */
static void ktcp_get_info_loss(const struct ktcp_sock *ks,
			       struct tcp_info *info)
{
	u32 flight = ks->snd_max - ks->snd_una;

	info->tcpi_unacked = ktcp_info_segs(ks, flight);
	info->tcpi_sacked = ktcp_info_segs(ks, ks->sacked_out);
	if (ks->in_loss) {
		info->tcpi_lost = ktcp_info_segs(ks, flight - ks->sacked_out);
		info->tcpi_retrans = ktcp_info_segs(ks, ks->snd_nxt -
						    ks->snd_una);
	} else {
		info->tcpi_lost = ktcp_info_segs(ks, ks->lost_out);
		info->tcpi_retrans = ktcp_info_segs(ks, ks->retrans_out);
	}
}

/* struct tcp_info as far as the fields ktcp keeps go. */
static void ktcp_get_info(struct sock *sk, struct tcp_info *info)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 now = (u32)jiffies;

	memset(info, 0, sizeof(*info));
	lock_sock(sk);
	info->tcpi_state = sk->sk_state;
	info->tcpi_reordering = 3;	/* the dupack threshold, fixed */
	info->tcpi_rto = jiffies_to_usecs(ks->rto);
	info->tcpi_snd_cwnd = ks->cwnd / max_t(u32, ks->mss, 1);
	if (sk->sk_state == TCP_LISTEN) {
		/* as TCP: the accept queue and its bound */
		info->tcpi_unacked = READ_ONCE(ks->listen->accept_len);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		goto out;
	}
	info->tcpi_ca_state = ktcp_ca_state(ks);
	info->tcpi_retransmits = ks->retries;
	info->tcpi_probes = ks->probes_out;
	info->tcpi_backoff = ks->retries;
	if (ks->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (ks->ts_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (ks->wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = ks->snd_wscale;
		info->tcpi_rcv_wscale = ks->rcv_wscale;
	}
	info->tcpi_ato = jiffies_to_usecs(ks->ato);
	info->tcpi_snd_mss = ks->mss;
	info->tcpi_rcv_mss = ks->rcv_mss;
	ktcp_get_info_loss(ks, info);
	info->tcpi_last_data_sent = jiffies_to_msecs(now - ks->lsndtime);
	info->tcpi_last_data_recv = jiffies_to_msecs(now - ks->lrcvtime);
	info->tcpi_last_ack_recv = jiffies_to_msecs(now - (u32)ks->rcv_tstamp);
	info->tcpi_pmtu = ks->pmtu_cookie;
	info->tcpi_rtt = jiffies_to_usecs(ks->srtt >> 3);
	info->tcpi_rttvar = jiffies_to_usecs(ks->rttvar >> 2);
	info->tcpi_min_rtt = ks->min_rtt;
	info->tcpi_snd_ssthresh = ks->ssthresh == U32_MAX ? 0x7fffffff :
				  ks->ssthresh / max_t(u32, ks->mss, 1);
	info->tcpi_advmss = ks->advmss;
	info->tcpi_rcv_space = READ_ONCE(sk->sk_rcvbuf);
	info->tcpi_total_retrans = ks->total_retrans;
	info->tcpi_bytes_acked = ks->bytes_acked;
	info->tcpi_bytes_received = ks->bytes_received;
	info->tcpi_bytes_sent = ks->bytes_sent;
	info->tcpi_bytes_retrans = ks->bytes_retrans;
	info->tcpi_delivery_rate = ks->delivery_rate;
	info->tcpi_segs_out = ks->segs_out;
	info->tcpi_segs_in = ks->segs_in;
	info->tcpi_notsent_bytes = ks->write_seq - ks->snd_nxt;
	info->tcpi_snd_wnd = ks->snd_wnd;
out:
	release_sock(sk);
}

int ktcp_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen)
{
	int len, val, err;

	if (!ktcp_level(level))
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (optname == TCP_CONGESTION) {
		char name[KTCP_CA_NAME_MAX];

		if (len < 0)
			return -EINVAL;
		len = min_t(unsigned int, len, KTCP_CA_NAME_MAX);
		lock_sock(sk);
		strscpy_pad(name, ktcp_sk(sk)->ca_ops->name, sizeof(name));
		release_sock(sk);
		if (put_user(len, optlen) || copy_to_user(optval, name, len))
			return -EFAULT;
		return 0;
	}
	if (len < 0)
		return -EINVAL;
	/* ktcp's algorithms, as TCP's Reno and CUBIC, have nothing to say */
	if (optname == TCP_CC_INFO)
		return put_user(0, optlen) ? -EFAULT : 0;
	if (optname == TCP_INFO) {
		struct tcp_info info;

		ktcp_get_info(sk, &info);
		len = min_t(unsigned int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	}
	lock_sock(sk);
	err = ktcp_get_int(sk, optname, &val);
	release_sock(sk);
	if (err)
		return err;
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/* SO_KEEPALIVE (proto->keepalive), called with the socket locked. */
void ktcp_keepalive(struct sock *sk, int valbool)
{
	if (valbool) {
		sock_set_flag(sk, SOCK_KEEPOPEN);
		ktcp_arm_keepalive(sk);
	} else if (sk->sk_state != TCP_TIME_WAIT) {
		/* sk_timer is keepalive's: the user holds the socket, so it
		 * is no orphan's FIN-WAIT-2 timer
		 */
		sk_stop_timer(sk, &sk->sk_timer);
	}
}
