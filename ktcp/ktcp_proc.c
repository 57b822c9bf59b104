// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ktcp lists sockets in the format of /proc/net/tcp, so tools
 * that parse that file can read it; /proc/net/ktcp_stat prints one
 * "Name Value" line per MIB counter; /proc/net/ktcp_info gives each
 * socket's TCP_INFO-like state in named columns for tools/ktcpstat, so
 * that sockets of other users can be inspected without their fds;
 * /proc/net/ktcp_sockstat is ktcp's line of /proc/net/sockstat.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_hash.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_proc.h"
#include "ktcp_sock.h"
#include "ktcp_trace.h"

static const char *const ktcp_mib_names[KTCP_MIB_MAX] = {
	[KTCP_MIB_ACTIVEOPENS] = "ActiveOpens",
	[KTCP_MIB_PASSIVEOPENS] = "PassiveOpens",
	[KTCP_MIB_ATTEMPTFAILS] = "AttemptFails",
	[KTCP_MIB_ESTABRESETS] = "EstabResets",
	[KTCP_MIB_CURRESTAB] = "CurrEstab",
	[KTCP_MIB_INSEGS] = "InSegs",
	[KTCP_MIB_OUTSEGS] = "OutSegs",
	[KTCP_MIB_RETRANSSEGS] = "RetransSegs",
	[KTCP_MIB_INCSUMERRORS] = "InCsumErrors",
	[KTCP_MIB_OUTRSTS] = "OutRsts",
	[KTCP_MIB_INRSTS] = "InRsts",
	[KTCP_MIB_CHALLENGEACKS] = "ChallengeACKs",
	[KTCP_MIB_TIMEOUTS] = "Timeouts",
	[KTCP_MIB_LISTENOVERFLOWS] = "ListenOverflows",
	[KTCP_MIB_FASTRETRANS] = "FastRetrans",
	[KTCP_MIB_SACKRECOVERY] = "SackRecoveries",
	[KTCP_MIB_LOST_RETRANSMITS] = "LostRetransmits",
	[KTCP_MIB_LOSS_PROBES] = "LossProbes",
	[KTCP_MIB_RETRANS_TIMEOUTS] = "RetransTimeouts",
	[KTCP_MIB_DROP_SHORT] = "DropShortHeader",
	[KTCP_MIB_DROP_BAD_DOFF] = "DropBadDataOffset",
	[KTCP_MIB_DROP_BAD_OPTION] = "DropBadOption",
	[KTCP_MIB_DROP_CSUM] = "DropBadChecksum",
	[KTCP_MIB_DROP_NOT_HOST] = "DropNotForHost",
	[KTCP_MIB_DROP_NO_SOCKET] = "DropNoSocket",
	[KTCP_MIB_DROP_SEQ] = "DropOutOfWindow",
	[KTCP_MIB_DROP_RST] = "DropRstIgnored",
	[KTCP_MIB_DROP_SYN] = "DropUnexpectedSyn",
	[KTCP_MIB_DROP_NO_ACK] = "DropNoAck",
	[KTCP_MIB_DROP_BAD_ACK] = "DropBadAck",
	[KTCP_MIB_DROP_BACKLOG] = "DropBacklogFull",
	[KTCP_MIB_DROP_LISTEN] = "DropListenerFull",
	[KTCP_MIB_DROP_NOMEM] = "DropNoMemory",
	[KTCP_MIB_DROP_RCVBUF] = "DropRcvbufFull",
	[KTCP_MIB_DROP_TIME_WAIT] = "DropTimeWait",
	[KTCP_MIB_DROP_STATE] = "DropStateMismatch",
	[KTCP_MIB_DROP_MEMLIMIT] = "DropMemoryLimit",
	[KTCP_MIB_DROP_DUPLICATE] = "DropDuplicate",
	[KTCP_MIB_SYNQ_EVICTIONS] = "SynQueueEvictions",
	[KTCP_MIB_MEMORYPRESSURES] = "MemoryPressures",
	[KTCP_MIB_MEMFORCED] = "MemoryForcedCharges",
	[KTCP_MIB_DROP_EXISTS] = "DropConnectionExists",
	[KTCP_MIB_DROP_POLICY] = "DropPolicy",
	[KTCP_MIB_DROP_FILTER] = "DropSocketFilter",
	[KTCP_MIB_DROP_OFO_PRUNED] = "DropOfoPruned",
	[KTCP_MIB_ACK_SKIPPED_SEQ] = "ACKSkippedSeq",
	[KTCP_MIB_ACK_SKIPPED_CHALLENGE] = "ACKSkippedChallenge",
	[KTCP_MIB_OUT_OF_WINDOW_ICMPS] = "OutOfWindowIcmps",
	[KTCP_MIB_MTU_REDUCED] = "PathMtuReduced",
	[KTCP_MIB_RCV_COLLAPSED] = "RcvCollapsed",
	[KTCP_MIB_TW_REOPENED] = "TimeWaitReopened",
	[KTCP_MIB_TW_OVERFLOW] = "TimeWaitOverflow",
	[KTCP_MIB_ABORT_ON_MEMORY] = "AbortOnMemory",
	[KTCP_MIB_PROBE_TIMEOUTS] = "ProbeTimeouts",
	[KTCP_MIB_DEFER_ACCEPT_HELD] = "DeferAcceptHeld",
	[KTCP_MIB_DROP_PAWS] = "DropPaws",
	[KTCP_MIB_DSACK_OLD_SENT] = "DSACKOldSent",
	[KTCP_MIB_DSACK_OFO_SENT] = "DSACKOfoSent",
	[KTCP_MIB_HYSTART_DELAY] = "HystartDelayDetect",
};

struct ktcp_proc_iter {
	struct ktcp_walk walk;
	struct seq_file *seq;
	int n;
};

static void ktcp_proc_show_sock(struct sock *sk, struct ktcp_walk *walk)
{
	struct ktcp_proc_iter *it = container_of(walk, struct ktcp_proc_iter,
						 walk);
	const struct inet_sock *inet = inet_sk(sk);
	const struct ktcp_sock *ks = ktcp_sk(sk);
	u32 tx = 0, rx = 0;

	if (sk->sk_state == TCP_LISTEN) {
		rx = READ_ONCE(ks->listen->accept_len);
	} else {
		tx = READ_ONCE(ks->write_seq) - READ_ONCE(ks->snd_una);
		rx = READ_ONCE(ks->rcv_nxt) - READ_ONCE(ks->copied_seq);
	}
	seq_printf(it->seq,
		   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %llu %d %pK\n",
		   it->n++, inet->inet_rcv_saddr, inet->inet_num,
		   inet->inet_daddr, ntohs(inet->inet_dport), sk->sk_state,
		   tx, rx, 0, 0UL, ks->retries,
		   from_kuid_munged(seq_user_ns(it->seq), ktcp_sock_uid(sk)),
		   0, ktcp_sock_ino(sk), refcount_read(&sk->sk_refcnt), sk);
}

static int ktcp_proc_sockets(struct seq_file *seq, void *v)
{
	struct ktcp_proc_iter it = {
		.walk.fn = ktcp_proc_show_sock,
		.seq = seq,
	};

	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	ktcp_walk_sockets(seq_file_single_net(seq), &it.walk);
	return 0;
}

/*
 * Called with the tables' lock, without the socket lock: every field is
 * one racy read, as /proc/net/tcp does; a line may mix two moments.
 */
static void ktcp_proc_info_sock(struct sock *sk, struct ktcp_walk *walk)
{
	struct ktcp_proc_iter *it = container_of(walk, struct ktcp_proc_iter,
						 walk);
	const struct inet_sock *inet = inet_sk(sk);
	const struct ktcp_sock *ks = ktcp_sk(sk);
	int state = READ_ONCE(sk->sk_state);
	u32 tx, rx;

	if (state == TCP_LISTEN) {
		rx = READ_ONCE(ks->listen->accept_len);
		tx = READ_ONCE(sk->sk_max_ack_backlog);
	} else {
		tx = READ_ONCE(ks->write_seq) - READ_ONCE(ks->snd_una);
		rx = READ_ONCE(ks->rcv_nxt) - READ_ONCE(ks->copied_seq);
	}
	seq_printf(it->seq, "%pI4:%u %pI4:%u %s %u %u %u %llu ",
		   &inet->inet_rcv_saddr, inet->inet_num, &inet->inet_daddr,
		   ntohs(inet->inet_dport), ktcp_state_name(state), tx, rx,
		   from_kuid_munged(seq_user_ns(it->seq), ktcp_sock_uid(sk)),
		   ktcp_sock_ino(sk));
	seq_printf(it->seq, "%u %u %u %u %u %u %u %u %u %u ",
		   jiffies_to_usecs(READ_ONCE(ks->srtt) >> 3),
		   jiffies_to_usecs(READ_ONCE(ks->rttvar) >> 2),
		   jiffies_to_msecs(READ_ONCE(ks->rto)), READ_ONCE(ks->mss),
		   READ_ONCE(ks->cwnd), READ_ONCE(ks->ssthresh),
		   READ_ONCE(ks->snd_wnd), READ_ONCE(ks->rcv_wnd),
		   READ_ONCE(ks->retries), READ_ONCE(ks->total_retrans));
	/* BHs off are an RCU read side, which keeps out the grace period
	 * an algorithm's module waits for before it goes: its name stays
	 * readable.
	 */
	seq_printf(it->seq, "%llu %llu %llu %u %u %s\n",
		   READ_ONCE(ks->bytes_sent), READ_ONCE(ks->bytes_acked),
		   READ_ONCE(ks->bytes_received), READ_ONCE(ks->segs_out),
		   READ_ONCE(ks->segs_in), READ_ONCE(ks->ca_ops)->name);
}

static int ktcp_proc_info(struct seq_file *seq, void *v)
{
	struct ktcp_proc_iter it = {
		.walk.fn = ktcp_proc_info_sock,
		.seq = seq,
	};

	/* New columns go at the end; readers find them by these names. */
	seq_puts(seq, "local remote state tx_queue rx_queue uid inode ");
	seq_puts(seq, "rtt_us rttvar_us rto_ms mss cwnd ssthresh snd_wnd rcv_wnd ");
	seq_puts(seq, "retrans total_retrans bytes_sent bytes_acked ");
	seq_puts(seq, "bytes_received segs_out segs_in cc\n");
	ktcp_walk_sockets(seq_file_single_net(seq), &it.walk);
	return 0;
}

static int ktcp_proc_stat(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	int i;

	for (i = 0; i < KTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %lu\n", ktcp_mib_names[i] ? : "?",
			   ktcp_mib_read(net, i));
	return 0;
}

/*
 * As the TCP line of /proc/net/sockstat: sockets in this namespace's
 * tables, orphans of all namespaces, this namespace's sockets in
 * TIME-WAIT, then for all namespaces the sockets allocated, the pages
 * charged (exact, per-CPU caches included) and the pressure flag.
 */
static int ktcp_proc_sockstat(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);

	seq_printf(seq, "KTCP: inuse %d orphan %ld tw %d alloc %lld mem %ld pressure %d\n",
		   sock_prot_inuse_get(net, &ktcp_prot),
		   atomic_long_read(&ktcp_orphans),
		   atomic_read(&ktcp_pernet(net)->tw_count),
		   percpu_counter_sum_positive(&ktcp_sockets_allocated),
		   ktcp_memory_pages(), !!READ_ONCE(ktcp_memory_pressure));
	return 0;
}

int ktcp_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("ktcp", 0444, net->proc_net,
				    ktcp_proc_sockets, NULL))
		return -ENOMEM;
	if (!proc_create_net_single("ktcp_stat", 0444, net->proc_net,
				    ktcp_proc_stat, NULL)) {
		remove_proc_entry("ktcp", net->proc_net);
		return -ENOMEM;
	}
	if (!proc_create_net_single("ktcp_info", 0444, net->proc_net,
				    ktcp_proc_info, NULL))
		goto err_stat;
	if (!proc_create_net_single("ktcp_sockstat", 0444, net->proc_net,
				    ktcp_proc_sockstat, NULL))
		goto err_info;
	return 0;

err_info:
	remove_proc_entry("ktcp_info", net->proc_net);
err_stat:
	remove_proc_entry("ktcp_stat", net->proc_net);
	remove_proc_entry("ktcp", net->proc_net);
	return -ENOMEM;
}

void ktcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("ktcp_sockstat", net->proc_net);
	remove_proc_entry("ktcp_info", net->proc_net);
	remove_proc_entry("ktcp_stat", net->proc_net);
	remove_proc_entry("ktcp", net->proc_net);
}
