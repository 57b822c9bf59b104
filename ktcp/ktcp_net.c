// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp's state in each network namespace (struct ktcp_net): its counters,
 * sysctls and /proc files come and go with the namespace.
 */
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "ktcp_kunit.h"
#include "ktcp_mib.h"
#include "ktcp_net.h"
#include "ktcp_proc.h"
#include "ktcp_sysctl.h"

static unsigned int ktcp_net_id __read_mostly;

struct ktcp_net *ktcp_pernet(const struct net *net)
{
	return net_generic(net, ktcp_net_id);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_pernet);

static int __net_init ktcp_net_init(struct net *net)
{
	struct ktcp_net *kn = ktcp_pernet(net);
	int err;

	kn->mib = alloc_percpu(struct ktcp_mib);
	if (!kn->mib)
		return -ENOMEM;
	err = ktcp_sysctl_init_net(net);
	if (err)
		goto err_mib;
	err = ktcp_proc_init_net(net);
	if (err)
		goto err_sysctl;
	return 0;

err_sysctl:
	ktcp_sysctl_exit_net(net);
err_mib:
	free_percpu(kn->mib);
	return err;
}

static void __net_exit ktcp_net_exit(struct net *net)
{
	ktcp_proc_exit_net(net);
	ktcp_sysctl_exit_net(net);
	free_percpu(ktcp_pernet(net)->mib);
}

static struct pernet_operations ktcp_net_ops = {
	.init	= ktcp_net_init,
	.exit	= ktcp_net_exit,
	.id	= &ktcp_net_id,
	.size	= sizeof(struct ktcp_net),
};

int ktcp_net_register(void)
{
	return register_pernet_subsys(&ktcp_net_ops);
}

void ktcp_net_unregister(void)
{
	unregister_pernet_subsys(&ktcp_net_ops);
}
