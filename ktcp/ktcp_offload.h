/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KTCP_OFFLOAD_H
#define _KTCP_OFFLOAD_H

int ktcp_offload_init(void);
void ktcp_offload_exit(void);

#endif /* _KTCP_OFFLOAD_H */
