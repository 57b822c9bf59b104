/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence number arithmetic modulo 2^32 (RFC 9293 section 3.4).
 * A difference is read as a signed 32-bit value, so comparisons hold
 * across wraparound as long as the numbers are less than 2^31 apart.
 */
#ifndef _KTCP_SEQ_H
#define _KTCP_SEQ_H

#include <linux/types.h>

static inline bool ktcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool ktcp_seq_after(u32 a, u32 b)
{
	return ktcp_seq_before(b, a);
}

static inline bool ktcp_seq_leq(u32 a, u32 b)
{
	return !ktcp_seq_after(a, b);
}

static inline bool ktcp_seq_geq(u32 a, u32 b)
{
	return !ktcp_seq_before(a, b);
}

/* lo <= x <= hi */
static inline bool ktcp_seq_between(u32 x, u32 lo, u32 hi)
{
	return hi - lo >= x - lo;
}

static inline u32 ktcp_seq_max(u32 a, u32 b)
{
	return ktcp_seq_after(a, b) ? a : b;
}

static inline u32 ktcp_seq_min(u32 a, u32 b)
{
	return ktcp_seq_before(a, b) ? a : b;
}

#endif /* _KTCP_SEQ_H */
