// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp: a TCP-like reliable byte stream over its own IP protocol number.
 *
 * This file is the module's only contact with the socket layer's
 * registries: ktcp_init() registers each piece in turn and ktcp_exit()
 * undoes them in reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/inet_common.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/protocol.h>
#include <net/sock.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_hash.h"
#include "ktcp_ipv4.h"
#include "ktcp_kunit.h"
#include "ktcp_main.h"
#include "ktcp_mem.h"
#include "ktcp_net.h"
#include "ktcp_offload.h"
#include "ktcp_sock.h"
#include "ktcp_sysctl.h"

int ktcp_protocol __read_mostly = IPPROTO_KTCP_DEFAULT;
module_param_named(proto, ktcp_protocol, int, 0444);
MODULE_PARM_DESC(proto, "IP protocol number (default 253, RFC 3692)");
EXPORT_SYMBOL_IF_KUNIT(ktcp_protocol);

unsigned int ktcp_tw_timeout_ms __read_mostly = 60000;
module_param_named(tw_timeout_ms, ktcp_tw_timeout_ms, uint, 0644);
MODULE_PARM_DESC(tw_timeout_ms, "TIME-WAIT length, 2*MSL, in ms (default 60000)");

unsigned int ktcp_trace __read_mostly;
module_param_named(trace, ktcp_trace, uint, 0644);
MODULE_PARM_DESC(trace, "dmesg tracing: 0 off, 1 state changes, 2 segments too");

unsigned int ktcp_syn_retries __read_mostly = KTCP_SYN_RETRIES;
module_param_named(syn_retries, ktcp_syn_retries, uint, 0644);
MODULE_PARM_DESC(syn_retries, "SYN retransmissions before connect() fails (default 6)");

unsigned int ktcp_rto_max_ms __read_mostly = KTCP_RTO_MAX_MS;
module_param_named(rto_max_ms, ktcp_rto_max_ms, uint, 0644);
MODULE_PARM_DESC(rto_max_ms, "largest retransmission timeout, in ms, 1000 to 120000 (default 120000)");

bool ktcp_sack_enabled __read_mostly = true;
module_param_named(sack, ktcp_sack_enabled, bool, 0644);
MODULE_PARM_DESC(sack, "offer selective acknowledgments, RFC 2018 (default 1)");

bool ktcp_gso_enabled __read_mostly = true;
module_param_named(gso, ktcp_gso_enabled, bool, 0644);
MODULE_PARM_DESC(gso, "send runs of full segments as one GSO skb (default 1)");

unsigned int ktcp_data_retries __read_mostly = KTCP_DATA_RETRIES;
module_param_named(data_retries, ktcp_data_retries, uint, 0644);
MODULE_PARM_DESC(data_retries, "retransmissions before a connection times out (default 15)");

static const struct net_protocol ktcp_net_protocol = {
	.handler	= ktcp_v4_rcv,
	.err_handler	= ktcp_v4_err,
	.no_policy	= 1,
};

static struct inet_protosw ktcp_protosw = {
	.type		= SOCK_STREAM,
	.prot		= &ktcp_prot,
	.ops		= &ktcp_stream_ops,
};

static int __init ktcp_init(void)
{
	int err;

	if (ktcp_protocol <= 0 || ktcp_protocol >= IPPROTO_MAX ||
	    ktcp_protocol == IPPROTO_TCP) {
		pr_err("invalid protocol number %d\n", ktcp_protocol);
		return -EINVAL;
	}
	ktcp_protosw.protocol = ktcp_protocol;

	err = ktcp_cong_init();
	if (err)
		return err;
	err = ktcp_hash_init();
	if (err)
		goto err_cong;
	err = ktcp_mem_init();
	if (err)
		goto err_hash;
	err = proto_register(&ktcp_prot, 1);
	if (err)
		goto err_mem;
	err = ktcp_net_register();
	if (err)
		goto err_proto;
	err = inet_add_protocol(&ktcp_net_protocol, ktcp_protocol);
	if (!err)
		err = ktcp_offload_init();
	if (err) {
		pr_err("IP protocol %d is taken; pick another with proto=\n",
		       ktcp_protocol);
		err = -EBUSY;
		goto err_protocol;
	}
	inet_register_protosw(&ktcp_protosw);
	pr_info("registered IP protocol %d\n", ktcp_protocol);
	return 0;

err_protocol:
	/* A no-op if the slot was another protocol's: it is not ours. */
	inet_del_protocol(&ktcp_net_protocol, ktcp_protocol);
	ktcp_net_unregister();
err_proto:
	proto_unregister(&ktcp_prot);
err_mem:
	ktcp_mem_exit();
err_hash:
	ktcp_hash_exit();
err_cong:
	ktcp_cong_exit();
	return err;
}

static void __exit ktcp_exit(void)
{
	inet_unregister_protosw(&ktcp_protosw);
	ktcp_offload_exit();
	inet_del_protocol(&ktcp_net_protocol, ktcp_protocol);
	/* inet_del_protocol() waited for receivers; sockets hold the module */
	ktcp_net_unregister();
	proto_unregister(&ktcp_prot);
	ktcp_mem_exit();
	ktcp_hash_exit();
	ktcp_cong_exit();
	pr_info("unregistered\n");
}

module_init(ktcp_init);
module_exit(ktcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktcp: a TCP-like reliable byte stream over its own IP protocol");
/* socket() asks for net-pf-2-proto-253-type-1; SOCK_STREAM is an enum. */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_KTCP_DEFAULT, 1);
