// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp congestion control registry and NewReno (RFC 5681, RFC 6582).
 *
 * Algorithms register by name; a socket picks one with TCP_CONGESTION
 * and holds a reference on the owning module for as long as it uses it,
 * so an algorithm's module cannot go away under a connection.  NewReno
 * and CUBIC (ktcp_cubic.c) are built in; a new socket starts with its
 * namespace's net.ktcp.congestion_control, NewReno unless changed.
 */
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "ktcp.h"
#include "ktcp_cong.h"
#include "ktcp_kunit.h"
#include "ktcp_net.h"

static LIST_HEAD(ktcp_cong_list);	/* RCU readers; writers hold the lock */
static DEFINE_SPINLOCK(ktcp_cong_lock);

static struct ktcp_cong_ops *ktcp_cong_find(const char *name)
{
	struct ktcp_cong_ops *ops;

	list_for_each_entry_rcu(ops, &ktcp_cong_list, list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/**
 * ktcp_register_cong() - make an algorithm available to TCP_CONGESTION
 * @ops: the algorithm; ssthresh and cong_avoid are required
 *
 * Return: 0, -EINVAL for an incomplete @ops, -EEXIST for a taken name.
 */
int ktcp_register_cong(struct ktcp_cong_ops *ops)
{
	int err = 0;

	if (!ops->ssthresh || !ops->cong_avoid || !ops->name[0])
		return -EINVAL;
	spin_lock(&ktcp_cong_lock);
	if (ktcp_cong_find(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &ktcp_cong_list);
	spin_unlock(&ktcp_cong_lock);
	return err;
}
EXPORT_SYMBOL_GPL(ktcp_register_cong);

/**
 * ktcp_unregister_cong() - withdraw an algorithm
 * @ops: a registered algorithm
 *
 * Sockets using it hold its module, so none is left when this runs from
 * that module's exit.
 */
void ktcp_unregister_cong(struct ktcp_cong_ops *ops)
{
	spin_lock(&ktcp_cong_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&ktcp_cong_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(ktcp_unregister_cong);

/**
 * ktcp_slow_start() - RFC 5681 slow start with RFC 3465 byte counting
 * @sk: locked socket
 * @acked: bytes newly acknowledged
 *
 * Grows cwnd by what was acked, never beyond ssthresh.  Without RFC
 * 3465's limit of two segments per ACK, as tcp_slow_start(): one ACK
 * of a GSO skb, or from a receiver whose GRO or backlog merged a
 * burst, covers many segments, and the limit held slow start to two
 * segments a round trip.
 *
 * Return: the bytes left over for congestion avoidance.
 */
u32 ktcp_slow_start(struct sock *sk, u32 acked)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	u32 grow;

	if (ks->cwnd >= ks->ssthresh)
		return acked;
	grow = min(acked, ks->ssthresh - ks->cwnd);
	ks->cwnd += grow;
	return ks->cwnd < ks->ssthresh ? 0 : acked - grow;
}
EXPORT_SYMBOL_GPL(ktcp_slow_start);

/**
 * ktcp_cong_avoid_ai() - additive increase: one MSS per @w bytes acked
 * @sk: locked socket
 * @w: bytes to acknowledge per MSS of growth (cwnd for Reno)
 * @acked: bytes newly acknowledged
 */
void ktcp_cong_avoid_ai(struct sock *sk, u32 w, u32 acked)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	w = max(w, 1U);
	ks->cwnd_cnt += acked;
	if (ks->cwnd_cnt >= w) {
		u32 steps = ks->cwnd_cnt / w;

		ks->cwnd_cnt -= steps * w;
		ks->cwnd += steps * ks->mss;
	}
}
EXPORT_SYMBOL_GPL(ktcp_cong_avoid_ai);

/**
 * ktcp_reno_ssthresh() - RFC 5681 equation 4: half the flight, >= 2 MSS
 * @sk: locked socket
 *
 * Return: the new slow start threshold in bytes.
 */
u32 ktcp_reno_ssthresh(struct sock *sk)
{
	const struct ktcp_sock *ks = ktcp_sk(sk);

	return max((ks->snd_max - ks->snd_una) / 2, 2U * ks->mss);
}
EXPORT_SYMBOL_GPL(ktcp_reno_ssthresh);

/**
 * ktcp_ca_priv() - the algorithm's per-connection state
 * @sk: socket
 *
 * Return: KTCP_CA_PRIV_SIZE bytes, zeroed before the algorithm's init.
 */
void *ktcp_ca_priv(struct sock *sk)
{
	return ktcp_sk(sk)->ca_priv;
}
EXPORT_SYMBOL_GPL(ktcp_ca_priv);

static void ktcp_reno_cong_avoid(struct sock *sk, u32 acked)
{
	acked = ktcp_slow_start(sk, acked);
	if (acked)
		ktcp_cong_avoid_ai(sk, ktcp_sk(sk)->cwnd, acked);
}

struct ktcp_cong_ops ktcp_reno = {
	.name		= "reno",
	.ssthresh	= ktcp_reno_ssthresh,
	.cong_avoid	= ktcp_reno_cong_avoid,
};
EXPORT_SYMBOL_IF_KUNIT(ktcp_reno);

/* Take a reference on @ops for a socket; false if its module is leaving. */
static bool ktcp_cong_get(const struct ktcp_cong_ops *ops)
{
	return !ops->owner || try_module_get(ops->owner);
}

static void ktcp_cong_put(const struct ktcp_cong_ops *ops)
{
	if (ops->owner)
		module_put(ops->owner);
}

/**
 * ktcp_cong_select() - TCP_CONGESTION: switch @sk to algorithm @name
 * @sk: locked socket
 * @name: NUL-terminated name
 *
 * Return: 0 or -ENOENT.
 */
int ktcp_cong_select(struct sock *sk, const char *name)
{
	struct ktcp_sock *ks = ktcp_sk(sk);
	struct ktcp_cong_ops *ops;

	rcu_read_lock();
	ops = ktcp_cong_find(name);
	if (ops && !ktcp_cong_get(ops))
		ops = NULL;
	rcu_read_unlock();
	if (!ops)
		return -ENOENT;
	ktcp_cong_put(ks->ca_ops);
	ks->ca_ops = ops;
	/* A running connection changes algorithm in place, as TCP does. */
	if (ks->cwnd)
		ktcp_cong_start(sk);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cong_select);

/**
 * ktcp_cong_inherit() - a passively opened child uses its listener's choice
 * @child: new socket, protocol state just cleared
 * @parent: the listener
 */
void ktcp_cong_inherit(struct sock *child, const struct sock *parent)
{
	const struct ktcp_cong_ops *ops = ktcp_sk(parent)->ca_ops;

	ktcp_sk(child)->ca_ops = ktcp_cong_get(ops) ? ops : &ktcp_reno;
}

/**
 * ktcp_cong_default() - a new socket takes its namespace's default algorithm
 * @sk: socket being created, protocol state just cleared (reno)
 *
 * net.ktcp.congestion_control names it; if that algorithm's module is
 * leaving, the socket keeps reno.
 */
void ktcp_cong_default(struct sock *sk)
{
	char name[KTCP_CA_NAME_MAX];

	ktcp_cong_get_default(ktcp_pernet(sock_net(sk)), name);
	ktcp_cong_select(sk, name);
}

/**
 * ktcp_cong_get_default() - read net.ktcp.congestion_control
 * @kn: the namespace's ktcp state
 * @name: KTCP_CA_NAME_MAX bytes for the name
 */
void ktcp_cong_get_default(struct ktcp_net *kn, char *name)
{
	spin_lock(&ktcp_cong_lock);
	strscpy(name, kn->congestion_control, KTCP_CA_NAME_MAX);
	spin_unlock(&ktcp_cong_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cong_get_default);

/**
 * ktcp_cong_set_default() - write net.ktcp.congestion_control
 * @kn: the namespace's ktcp state
 * @name: NUL-terminated name of a registered algorithm
 *
 * Return: 0 or -ENOENT.
 */
int ktcp_cong_set_default(struct ktcp_net *kn, const char *name)
{
	int err = 0;

	spin_lock(&ktcp_cong_lock);
	if (ktcp_cong_find(name))
		strscpy(kn->congestion_control, name, KTCP_CA_NAME_MAX);
	else
		err = -ENOENT;
	spin_unlock(&ktcp_cong_lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cong_set_default);

/**
 * ktcp_cong_start() - the connection's window starts: let the algorithm in
 * @sk: locked socket
 */
void ktcp_cong_start(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	memset(ks->ca_priv, 0, sizeof(ks->ca_priv));
	if (ks->ca_ops->init)
		ks->ca_ops->init(sk);
}

/**
 * ktcp_cong_release() - drop the socket's algorithm reference
 * @sk: socket being destroyed
 */
void ktcp_cong_release(struct sock *sk)
{
	struct ktcp_sock *ks = ktcp_sk(sk);

	ktcp_cong_put(ks->ca_ops);
	ks->ca_ops = &ktcp_reno;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_cong_release);

/* The built-in algorithms, registered at load in this order. */
static struct ktcp_cong_ops *const ktcp_cong_builtin[] = {
	&ktcp_reno,
	&ktcp_cubic,
};

int ktcp_cong_init(void)
{
	unsigned int i;
	int err;

	BUILD_BUG_ON(sizeof_field(struct ktcp_sock, ca_priv) !=
		     KTCP_CA_PRIV_SIZE);
	BUILD_BUG_ON(sizeof_field(struct ktcp_net, congestion_control) !=
		     KTCP_CA_NAME_MAX);
	for (i = 0; i < ARRAY_SIZE(ktcp_cong_builtin); i++) {
		err = ktcp_register_cong(ktcp_cong_builtin[i]);
		if (err) {
			while (i--)
				ktcp_unregister_cong(ktcp_cong_builtin[i]);
			return err;
		}
	}
	return 0;
}

void ktcp_cong_exit(void)
{
	unsigned int i = ARRAY_SIZE(ktcp_cong_builtin);

	while (i--)
		ktcp_unregister_cong(ktcp_cong_builtin[i]);
}
