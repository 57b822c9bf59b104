/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/net/ktcp (socket table) and /proc/net/ktcp_stat (MIB counters). */
#ifndef _KTCP_PROC_H
#define _KTCP_PROC_H

struct net;

int ktcp_proc_init_net(struct net *net);
void ktcp_proc_exit_net(struct net *net);

#endif /* _KTCP_PROC_H */
