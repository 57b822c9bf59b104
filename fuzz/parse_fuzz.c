// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for ktcp/ktcp_parse.c, built for user space with
 * the headers in shim/.  The input is a ktcp segment as it would follow
 * the IP header.  Beyond memory safety (ASan, UBSan) it checks what the
 * receive path relies on: a header accepted by ktcp_parse_header() has a
 * data offset inside the segment, parsed options are within their RFC
 * ranges, and the options ktcp sends itself parse back to what was sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "ktcp_parse.h"
#include "ktcp_wire.h"

#define require(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
		abort();						\
	}								\
} while (0)

/* @optlen: option bytes parsed; SACK blocks must lie inside them. */
static void check_opts(const struct ktcp_opts *o, unsigned int optlen)
{
	require(o->sack_nr <= KTCP_MAX_SACK_BLOCKS);
	require(!o->sack_nr || (o->sack_off >= KTCP_HDR_LEN + 2 &&
				o->sack_off - KTCP_HDR_LEN +
				o->sack_nr * KTCP_OLEN_SACK_BLOCK <= optlen));
	require(o->wscale <= KTCP_MAX_WSCALE);
	require(o->wscale_ok || !o->wscale);
	require(o->ts_ok || (!o->tsval && !o->tsecr));
}

/* What ktcp puts in its own SYNs must parse back exactly. */
static void check_roundtrip(const u8 *data, size_t size)
{
	u8 buf[KTCP_MAX_HDR_LEN - KTCP_HDR_LEN];
	struct ktcp_ts ts = { 0 };
	struct ktcp_opts o;
	unsigned int n;
	bool sack, tsok;
	u16 mss;
	int ws;

	if (size < 12)
		return;
	mss = (data[0] << 8) | data[1];
	ws = data[2] % (KTCP_MAX_WSCALE + 2) - 1;	/* -1: no option */
	sack = data[3] & 1;
	tsok = data[3] & 2;
	memcpy(&ts.val, data + 4, 4);
	memcpy(&ts.ecr, data + 8, 4);
	n = ktcp_build_syn_options(buf, mss, ws, sack, tsok ? &ts : NULL);
	require(n % 4 == 0 && n <= KTCP_SYN_OPT_MAX);
	require(ktcp_parse_options(buf, n, &o) == KTCP_PARSE_OK);
	require(o.mss == mss);
	require(o.sack_ok == sack);
	require(o.wscale_ok == (ws >= 0));
	require(o.wscale == (ws >= 0 ? ws : 0));
	require(o.ts_ok == tsok);
	require(!tsok || (o.tsval == ts.val && o.tsecr == ts.ecr));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ktcp_opts o;
	enum ktcp_parse_err err;
	unsigned int len = size > 0xffff ? 0xffff : size;

	/* The raw input as a whole segment. */
	err = ktcp_parse_header(data, len, &o);
	switch (err) {
	case KTCP_PARSE_OK:
		require(len >= KTCP_HDR_LEN);
		require((data[12] >> 4) >= 5 && (data[12] >> 4) * 4u <= len);
		check_opts(&o, (data[12] >> 4) * 4u - KTCP_HDR_LEN);
		break;
	case KTCP_PARSE_SHORT:
		require(len < KTCP_HDR_LEN);
		break;
	case KTCP_PARSE_BAD_DOFF:
		require(len >= KTCP_HDR_LEN);
		require((data[12] >> 4) < 5 || (data[12] >> 4) * 4u > len);
		break;
	case KTCP_PARSE_BAD_OPTION:
		require(len > KTCP_HDR_LEN);
		break;
	default:
		require(0);
	}

	/* The raw input as option bytes alone, as ktcp_validate() calls it
	 * (at most 40 there, but the parser must not care).
	 */
	err = ktcp_parse_options(data, len, &o);
	require(err == KTCP_PARSE_OK || err == KTCP_PARSE_BAD_OPTION);
	if (err == KTCP_PARSE_OK)
		check_opts(&o, len);

	check_roundtrip(data, size);
	return 0;
}
