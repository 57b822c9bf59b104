// SPDX-License-Identifier: GPL-2.0
/*
 * net.ktcp sysctls, one set per network namespace.
 *
 * In init_net the entries point at the module parameters, so
 * /proc/sys/net/ktcp/trace and /sys/module/ktcp/parameters/trace are one
 * value.  Every other namespace gets a copy of the table pointing at its
 * own values, initialised from the module parameters when the namespace
 * is created.  Readers use ktcp_net_*() (ktcp_sysctl.h) with READ_ONCE:
 * writes come from any process at any time.
 *
 * net.ktcp.mem limits all ktcp sockets together, like net.ipv4.tcp_mem:
 * it exists in the initial namespace only, as the last entry of the table.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "ktcp.h"
#include "ktcp_mib.h"
#include "ktcp_sysctl.h"

static unsigned int ktcp_trace_max = KTCP_TRACE_SEGMENTS;
static unsigned int ktcp_tw_timeout_min = 1;
static unsigned int ktcp_tw_timeout_max = 600000;	/* ten minutes */
static unsigned int ktcp_syn_retries_min = 1;
static unsigned int ktcp_syn_retries_max = 127;

enum {
	KTCP_SYSCTL_TRACE,
	KTCP_SYSCTL_TW_TIMEOUT,
	KTCP_SYSCTL_SYN_RETRIES,
	KTCP_SYSCTL_MEM,		/* init_net only: keep it last */
	KTCP_SYSCTL_N
};

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
	[KTCP_SYSCTL_MEM] = {
		.procname	= "mem",
		.data		= ktcp_sysctl_mem,
		.maxlen		= sizeof(ktcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
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
	} else {
		table = kmemdup(ktcp_sysctl_table, sizeof(ktcp_sysctl_table),
				GFP_KERNEL);
		if (!table)
			return -ENOMEM;
		kn->own_trace = READ_ONCE(ktcp_trace);
		kn->own_tw_timeout_ms = READ_ONCE(ktcp_tw_timeout_ms);
		kn->own_syn_retries = READ_ONCE(ktcp_syn_retries);
		kn->trace = &kn->own_trace;
		kn->tw_timeout_ms = &kn->own_tw_timeout_ms;
		kn->syn_retries = &kn->own_syn_retries;
		table[KTCP_SYSCTL_TRACE].data = kn->trace;
		table[KTCP_SYSCTL_TW_TIMEOUT].data = kn->tw_timeout_ms;
		table[KTCP_SYSCTL_SYN_RETRIES].data = kn->syn_retries;
		/* the global limits: this entry becomes the sentinel */
		memset(&table[KTCP_SYSCTL_MEM], 0, sizeof(table[0]));
		n = KTCP_SYSCTL_MEM;
	}
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
