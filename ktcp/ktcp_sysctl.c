// SPDX-License-Identifier: GPL-2.0
/*
 * net.ktcp sysctls, one set per network namespace.
 *
 * In init_net the entries point at the module parameters, so
 * /proc/sys/net/ktcp/trace and /sys/module/ktcp/parameters/trace are one
 * value (sack and gso read 0 or 1 here, N or Y there).  Every other
 * namespace gets a copy of the table pointing at its own values,
 * initialised from the module parameters when the namespace is created.
 * Readers use ktcp_net_*() (ktcp_sysctl.h) with READ_ONCE: writes come
 * from any process at any time.
 *
 * net.ktcp.mem limits all ktcp sockets together, like net.ipv4.tcp_mem, and
 * net.ktcp.max_orphans all orphans, like net.ipv4.tcp_max_orphans: they
 * exist in the initial namespace only, as the last entries of the table.
 * challenge_ack_limit, max_tw_buckets, orphan_retries, fin_timeout and
 * timestamps have no module parameter: every namespace starts with the defaults.
 * congestion_control has no module parameter: init_net's starts as
 * "reno" and a new namespace copies init_net's current choice.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_cubic.h"
#include "ktcp_main.h"
#include "ktcp_mem.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_sysctl.h"
#include "ktcp_trace.h"

static unsigned int ktcp_trace_max = KTCP_TRACE_SEGMENTS;
static unsigned int ktcp_tw_timeout_min = 1;
static unsigned int ktcp_tw_timeout_max = 600000;	/* ten minutes */
static unsigned int ktcp_syn_retries_min = 1;
static unsigned int ktcp_syn_retries_max = 127;
static unsigned int ktcp_rto_max_ms_min = KTCP_RTO_MAX_MS_MIN;
static unsigned int ktcp_rto_max_ms_max = KTCP_RTO_MAX_MS;
static unsigned int ktcp_data_retries_max = 127;

static unsigned int ktcp_orphan_retries_max = 127;
static unsigned int ktcp_fin_timeout_max = 3600;	/* an hour */

/* Orphans of all namespaces together: net.ktcp.max_orphans (init_net). */
unsigned int ktcp_max_orphans __read_mostly = KTCP_MAX_ORPHANS_DEFAULT;

enum {
	KTCP_SYSCTL_TRACE,
	KTCP_SYSCTL_TW_TIMEOUT,
	KTCP_SYSCTL_SYN_RETRIES,
	KTCP_SYSCTL_RTO_MAX,
	KTCP_SYSCTL_DATA_RETRIES,
	KTCP_SYSCTL_SACK,
	KTCP_SYSCTL_GSO,
	KTCP_SYSCTL_CONG,
	KTCP_SYSCTL_CHALLENGE_ACK_LIMIT,
	KTCP_SYSCTL_MAX_TW_BUCKETS,
	KTCP_SYSCTL_ORPHAN_RETRIES,
	KTCP_SYSCTL_FIN_TIMEOUT,
	KTCP_SYSCTL_TIMESTAMPS,
	/* init_net only, for all namespaces together: keep them last */
	KTCP_SYSCTL_MEM,
	KTCP_SYSCTL_MAX_ORPHANS,
	KTCP_SYSCTL_N
};

/*
 * net.ktcp.congestion_control: the name of a registered algorithm, which
 * new sockets of the namespace start with; others fail with ENOENT.
 * table->data is the namespace's struct ktcp_net.
 */
static int ktcp_proc_cong_common(struct ktcp_net *kn, int write,
				 void *buffer, size_t *lenp, loff_t *ppos)
{
	char name[KTCP_CA_NAME_MAX];
	struct ctl_table tbl = { .data = name, .maxlen = sizeof(name) };
	int err;

	ktcp_cong_get_default(kn, name);
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (write && !err)
		err = ktcp_cong_set_default(kn, name);
	return err;
}

/* Linux 6.11 made the table const in proc handlers. */
#ifdef KTCP_HAVE_CONST_CTL_TABLE
static int ktcp_proc_cong(const struct ctl_table *table, int write,
			  void *buffer, size_t *lenp, loff_t *ppos)
#else
static int ktcp_proc_cong(struct ctl_table *table, int write,
			  void *buffer, size_t *lenp, loff_t *ppos)
#endif
{
	return ktcp_proc_cong_common(table->data, write, buffer, lenp, ppos);
}

/*
 * sack and gso, 0 or 1, kept in the bool module parameters' type:
 * proc_dobool() wants a different maxlen before Linux 6.3.
 */
static int ktcp_proc_bool_common(bool *flag, int write, void *buffer,
				 size_t *lenp, loff_t *ppos)
{
	int val = READ_ONCE(*flag);
	struct ctl_table tbl = {
		.data = &val,
		.maxlen = sizeof(val),
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_ONE,
	};
	int err;

	err = proc_dointvec_minmax(&tbl, write, buffer, lenp, ppos);
	if (write && !err)
		WRITE_ONCE(*flag, val);
	return err;
}

#ifdef KTCP_HAVE_CONST_CTL_TABLE
static int ktcp_proc_bool(const struct ctl_table *table, int write,
			  void *buffer, size_t *lenp, loff_t *ppos)
#else
static int ktcp_proc_bool(struct ctl_table *table, int write,
			  void *buffer, size_t *lenp, loff_t *ppos)
#endif
{
	return ktcp_proc_bool_common(table->data, write, buffer, lenp, ppos);
}

/* KTCP_SYSCTL_N entries and the sentinel that kernels before 6.6 need. */
static struct ctl_table ktcp_sysctl_table[KTCP_SYSCTL_N + 1] = {
	[KTCP_SYSCTL_TRACE] = {
		.procname	= "trace",
		.data		= &ktcp_trace,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &ktcp_trace_max,
	},
	[KTCP_SYSCTL_TW_TIMEOUT] = {
		.procname	= "tw_timeout_ms",
		.data		= &ktcp_tw_timeout_ms,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= &ktcp_tw_timeout_min,
		.extra2		= &ktcp_tw_timeout_max,
	},
	[KTCP_SYSCTL_SYN_RETRIES] = {
		.procname	= "syn_retries",
		.data		= &ktcp_syn_retries,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= &ktcp_syn_retries_min,
		.extra2		= &ktcp_syn_retries_max,
	},
	[KTCP_SYSCTL_RTO_MAX] = {
		.procname	= "rto_max_ms",
		.data		= &ktcp_rto_max_ms,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= &ktcp_rto_max_ms_min,
		.extra2		= &ktcp_rto_max_ms_max,
	},
	[KTCP_SYSCTL_CONG] = {
		.procname	= "congestion_control",
		.maxlen		= KTCP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= ktcp_proc_cong,
	},
	[KTCP_SYSCTL_CHALLENGE_ACK_LIMIT] = {
		.procname	= "challenge_ack_limit",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= SYSCTL_INT_MAX,
	},
	[KTCP_SYSCTL_MAX_TW_BUCKETS] = {
		.procname	= "max_tw_buckets",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_INT_MAX,
	},
	[KTCP_SYSCTL_DATA_RETRIES] = {
		.procname	= "data_retries",
		.data		= &ktcp_data_retries,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ktcp_data_retries_max,
	},
	[KTCP_SYSCTL_SACK] = {
		.procname	= "sack",
		.data		= &ktcp_sack_enabled,
		.maxlen		= sizeof(bool),
		.mode		= 0644,
		.proc_handler	= ktcp_proc_bool,
	},
	[KTCP_SYSCTL_GSO] = {
		.procname	= "gso",
		.data		= &ktcp_gso_enabled,
		.maxlen		= sizeof(bool),
		.mode		= 0644,
		.proc_handler	= ktcp_proc_bool,
	},
	[KTCP_SYSCTL_ORPHAN_RETRIES] = {
		.procname	= "orphan_retries",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ktcp_orphan_retries_max,
	},
	[KTCP_SYSCTL_FIN_TIMEOUT] = {
		.procname	= "fin_timeout",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ktcp_fin_timeout_max,
	},
	[KTCP_SYSCTL_TIMESTAMPS] = {
		.procname	= "timestamps",
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	[KTCP_SYSCTL_MEM] = {
		.procname	= "mem",
		.data		= ktcp_sysctl_mem,
		.maxlen		= sizeof(ktcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
	},
	[KTCP_SYSCTL_MAX_ORPHANS] = {
		.procname	= "max_orphans",
		.data		= &ktcp_max_orphans,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_INT_MAX,
	},
	{ }
};

/**
 * ktcp_sysctl_init_net() - register net.ktcp in a new namespace
 * @net: the namespace, from pernet init (process context)
 *
 * Return: 0 or -ENOMEM.
 */
int ktcp_sysctl_init_net(struct net *net)
{
	struct ktcp_net *kn = ktcp_pernet(net);
	struct ctl_table *table = ktcp_sysctl_table;
	size_t n = KTCP_SYSCTL_N;

	if (net_eq(net, &init_net)) {
		kn->trace = &ktcp_trace;
		kn->tw_timeout_ms = &ktcp_tw_timeout_ms;
		kn->syn_retries = &ktcp_syn_retries;
		kn->rto_max_ms = &ktcp_rto_max_ms;
		kn->data_retries = &ktcp_data_retries;
		kn->sack = &ktcp_sack_enabled;
		kn->gso = &ktcp_gso_enabled;
		strscpy(kn->congestion_control, ktcp_cubic.name,
			sizeof(kn->congestion_control));
	} else {
		table = kmemdup(ktcp_sysctl_table, sizeof(ktcp_sysctl_table),
				GFP_KERNEL);
		if (!table)
			return -ENOMEM;
		kn->own_trace = READ_ONCE(ktcp_trace);
		kn->own_tw_timeout_ms = READ_ONCE(ktcp_tw_timeout_ms);
		kn->own_syn_retries = READ_ONCE(ktcp_syn_retries);
		kn->own_rto_max_ms = READ_ONCE(ktcp_rto_max_ms);
		kn->own_data_retries = READ_ONCE(ktcp_data_retries);
		kn->own_sack = READ_ONCE(ktcp_sack_enabled);
		kn->own_gso = READ_ONCE(ktcp_gso_enabled);
		kn->trace = &kn->own_trace;
		kn->tw_timeout_ms = &kn->own_tw_timeout_ms;
		kn->syn_retries = &kn->own_syn_retries;
		kn->rto_max_ms = &kn->own_rto_max_ms;
		kn->data_retries = &kn->own_data_retries;
		kn->sack = &kn->own_sack;
		kn->gso = &kn->own_gso;
		table[KTCP_SYSCTL_TRACE].data = kn->trace;
		table[KTCP_SYSCTL_TW_TIMEOUT].data = kn->tw_timeout_ms;
		table[KTCP_SYSCTL_SYN_RETRIES].data = kn->syn_retries;
		table[KTCP_SYSCTL_RTO_MAX].data = kn->rto_max_ms;
		table[KTCP_SYSCTL_DATA_RETRIES].data = kn->data_retries;
		table[KTCP_SYSCTL_SACK].data = kn->sack;
		table[KTCP_SYSCTL_GSO].data = kn->gso;
		ktcp_cong_get_default(ktcp_pernet(&init_net),
				      kn->congestion_control);
		/* the global limits: their first entry becomes the sentinel */
		memset(&table[KTCP_SYSCTL_MEM], 0, sizeof(table[0]));
		n = KTCP_SYSCTL_MEM;
	}
	kn->challenge_ack_limit = KTCP_CHALLENGE_ACK_LIMIT_DEFAULT;
	kn->max_tw_buckets = KTCP_MAX_TW_BUCKETS_DEFAULT;
	kn->orphan_retries = KTCP_ORPHAN_RETRIES_DEFAULT;
	kn->fin_timeout = KTCP_FIN_TIMEOUT_DEFAULT;
	kn->timestamps = 1;
	table[KTCP_SYSCTL_CONG].data = kn;
	table[KTCP_SYSCTL_CHALLENGE_ACK_LIMIT].data = &kn->challenge_ack_limit;
	table[KTCP_SYSCTL_MAX_TW_BUCKETS].data = &kn->max_tw_buckets;
	table[KTCP_SYSCTL_ORPHAN_RETRIES].data = &kn->orphan_retries;
	table[KTCP_SYSCTL_FIN_TIMEOUT].data = &kn->fin_timeout;
	table[KTCP_SYSCTL_TIMESTAMPS].data = &kn->timestamps;
	kn->sysctl_hdr = ktcp_register_net_sysctl(net, "net/ktcp", table, n);
	if (!kn->sysctl_hdr) {
		if (table != ktcp_sysctl_table)
			kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ktcp_sysctl_exit_net() - remove net.ktcp from a dying namespace
 * @net: the namespace, from pernet exit (process context)
 */
void ktcp_sysctl_exit_net(struct net *net)
{
	struct ktcp_net *kn = ktcp_pernet(net);
	const struct ctl_table *table = kn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(kn->sysctl_hdr);
	if (table != ktcp_sysctl_table)
		kfree(table);
}
