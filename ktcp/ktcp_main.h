/* SPDX-License-Identifier: GPL-2.0 */
/* ktcp: module parameters and the protocol number (ktcp_main.c). */
#ifndef _KTCP_MAIN_H
#define _KTCP_MAIN_H

#include <linux/types.h>

extern int ktcp_protocol;

/* Module parameters. */
extern unsigned int ktcp_tw_timeout_ms;
extern unsigned int ktcp_trace;
extern unsigned int ktcp_syn_retries;
extern unsigned int ktcp_rto_max_ms;
extern bool ktcp_sack_enabled;
extern bool ktcp_gso_enabled;
extern unsigned int ktcp_data_retries;

#endif /* _KTCP_MAIN_H */
