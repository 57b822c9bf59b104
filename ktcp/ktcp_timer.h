/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: retransmission, delayed ACK, keepalive and 2MSL timers (ktcp_timer.c). */
#ifndef _KTCP_TIMER_H
#define _KTCP_TIMER_H

#include "ktcp.h"

void ktcp_init_timers(struct sock *sk);
void ktcp_clear_timers(struct sock *sk);
void ktcp_arm_rtx(struct sock *sk);
void ktcp_restart_rtx(struct sock *sk);
void ktcp_arm_delack(struct sock *sk);
void ktcp_enter_time_wait(struct sock *sk);
void ktcp_arm_fin_wait2(struct sock *sk);
void ktcp_arm_keepalive(struct sock *sk);
void ktcp_release_cb(struct sock *sk);
void ktcp_negative_advice(struct sock *sk);

#endif /* _KTCP_TIMER_H */
