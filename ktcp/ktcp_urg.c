// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp urgent data (RFC 9293 section 3.8.5, RFC 6093), with TCP's
 * meaning for sockets: send(MSG_OOB) marks its last byte urgent; the
 * receiver takes that byte out of the stream into a one-byte buffer that
 * recv(MSG_OOB) reads (unless SO_OOBINLINE), signals SIGURG, reports
 * EPOLLPRI, and SIOCATMARK says when the reader stands at the mark.
 *
 * The urgent pointer is BSD's, as Linux sends and reads it by default
 * (tcp_stdurg 0): it points one past the urgent byte.
 *
 * Locking: every function runs with the socket locked, except that
 * poll and SIOCATMARK read urg_data and urg_seq with READ_ONCE().
 */
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_kunit.h"
#include "ktcp_urg.h"

/* send(MSG_OOB): the byte just queued is urgent. */
void ktcp_urg_mark(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	sock_owned_by_me(sk);

	ks->snd_up = ks->write_seq;
	ks->urg_mode = 1;
}

/* The peer acknowledged @ack: urgent mode ends once it has the mark. */
void ktcp_urg_acked(struct ktcp_sock *ks, u32 ack)
{
	if (ks->urg_mode && !ktcp_seq_before(ack, ks->snd_up))
		ks->urg_mode = 0;
}

/*
 * The URG bit and pointer of a segment starting at @seq: every segment
 * before the mark carries them, a pointer more than 64 KiB on as 0xffff
 * while the segment's window reaches past snd_nxt, as TCP sends them.
 */
void ktcp_urg_header(const struct ktcp_sock *ks, u32 seq, struct tcphdr *th)
{
	if (!ks->urg_mode || !ktcp_seq_before(seq, ks->snd_up))
		return;
	if (ktcp_seq_before(ks->snd_up, seq + 0x10000)) {
		th->urg_ptr = htons(ks->snd_up - seq);
		th->urg = 1;
	} else if (ktcp_seq_after(seq + 0xffff, ks->snd_nxt)) {
		th->urg_ptr = htons(0xffff);
		th->urg = 1;
	}
}

/*
 * A new urgent pointer from the peer: remember where its byte lies and
 * signal the owner.  An old pointer, one already read past or one not
 * past the last, changes nothing.
 */
static void ktcp_urg_new_pointer(struct sock *sk, const struct tcphdr *th)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 ptr = ntohs(th->urg_ptr);

	if (ptr)
		ptr--;		/* BSD: one past the urgent byte */
	ptr += ntohl(th->seq);
	if (ktcp_seq_after(ks->copied_seq, ptr) ||
	    ktcp_seq_before(ptr, ks->rcv_nxt))
		return;
	if (ks->urg_data && !ktcp_seq_after(ptr, ks->urg_seq))
		return;
	sk_send_sigurg(sk);
	/*
	 * The reader stands at an older urgent byte it has not taken: that
	 * byte is gone for it now, as on TCP, so step over it.
	 */
	if (ks->urg_seq == ks->copied_seq && ks->urg_data &&
	    !sock_flag(sk, SOCK_URGINLINE) && ks->copied_seq != ks->rcv_nxt) {
		struct sk_buff *skb = skb_peek(&sk->sk_receive_queue);

		ks->copied_seq++;
		if (skb && !ktcp_seq_before(ks->copied_seq,
					    KTCP_SKB_CB(skb)->end_seq)) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
	}
	WRITE_ONCE(ks->urg_data, KTCP_URG_NOTYET);
	WRITE_ONCE(ks->urg_seq, ptr);
}

/**
 * ktcp_urg_rcv() - RFC 9293 3.10.7.4, sixth check: the URG bit
 * @sk: locked socket in a state that takes data
 * @skb: the segment, its header still in front of the data
 *
 * Takes the urgent byte out of whichever segment carries it, in order or
 * not, so that recv(MSG_OOB) may read it before the data in front.
 */
void ktcp_urg_rcv(struct sock *sk, const struct sk_buff *skb)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 hlen = th->doff * 4;
	u32 off;
	u8 byte;

	sock_owned_by_me(sk);

	if (th->urg)
		ktcp_urg_new_pointer(sk, th);
	if (ks->urg_data != KTCP_URG_NOTYET)
		return;
	off = ks->urg_seq - KTCP_SKB_CB(skb)->seq;
	if (off >= skb->len - hlen || skb_copy_bits(skb, hlen + off, &byte, 1))
		return;
	WRITE_ONCE(ks->urg_data, KTCP_URG_VALID | byte);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
}

/**
 * ktcp_urg_recv() - recv(MSG_OOB)
 * @sk: locked socket
 * @msg: where the byte goes
 * @len: room for it
 * @flags: MSG_PEEK leaves it to be read again
 *
 * Return: 1 (0 with no room: MSG_TRUNC), 0 at the end of the stream,
 * -EINVAL if there is no urgent byte to read or it is inline, -EAGAIN
 * if it has not arrived yet.
 */
int ktcp_urg_recv(struct sock *sk, struct msghdr *msg, size_t len, int flags)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u8 byte;

	sock_owned_by_me(sk);

	if (sock_flag(sk, SOCK_URGINLINE) || !ks->urg_data ||
	    ks->urg_data == KTCP_URG_READ)
		return -EINVAL;
	if (!(ks->urg_data & KTCP_URG_VALID)) {
		if (sk->sk_state == TCP_CLOSE ||
		    (sk->sk_shutdown & RCV_SHUTDOWN))
			return 0;
		return -EAGAIN;
	}
	byte = ks->urg_data;
	if (!(flags & MSG_PEEK))
		WRITE_ONCE(ks->urg_data, KTCP_URG_READ);
	msg->msg_flags |= MSG_OOB;
	if (!len) {
		msg->msg_flags |= MSG_TRUNC;
		return 0;
	}
	if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &byte, 1))
		return -EFAULT;
	return 1;
}

/* The byte at @seq is the urgent one, taken out of line: reads skip it. */
bool ktcp_urg_skip(const struct sock *sk, u32 seq)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);

	return ks->urg_data && ks->urg_seq == seq &&
	       !sock_flag(sk, SOCK_URGINLINE);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_urg_skip);

/*
 * What a read from @seq may take of @len bytes: it stops before an urgent
 * mark ahead, and the next read starts there.
 */
size_t ktcp_urg_clip(const struct sock *sk, u32 seq, size_t len)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 off = ks->urg_seq - seq;

	return ks->urg_data && off && off < len ? off : len;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_urg_clip);

/* Once the reader is past the mark, the urgent byte is history. */
void ktcp_urg_consumed(struct ktcp_sock *ks)
{
	if (ks->urg_data && ktcp_seq_after(ks->copied_seq, ks->urg_seq))
		WRITE_ONCE(ks->urg_data, 0);
}

/* SIOCATMARK: the next byte read is the urgent one. */
int ktcp_urg_at_mark(const struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);

	return READ_ONCE(ks->urg_data) &&
	       READ_ONCE(ks->urg_seq) == READ_ONCE(ks->copied_seq);
}
