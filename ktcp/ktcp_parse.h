/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp: parsing and building the wire format (ktcp_parse.c).  Free of
 * socket state, so that fuzz/ builds it in user space.
 */
#ifndef _KTCP_PARSE_H
#define _KTCP_PARSE_H

#include "ktcp_wire.h"

enum ktcp_parse_err ktcp_parse_header(const void *data, unsigned int len,
				      struct ktcp_opts *opts);
enum ktcp_parse_err ktcp_parse_options(const u8 *ptr, unsigned int len,
				       struct ktcp_opts *opts);
unsigned int ktcp_build_ts_option(u8 *ptr, const struct ktcp_ts *ts);
unsigned int ktcp_build_syn_options(u8 *ptr, u16 mss, int wscale, bool sack,
				    const struct ktcp_ts *ts);

#endif /* _KTCP_PARSE_H */
