// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp header and option parsing.
 *
 * Everything here works on plain bytes that came from the wire, so it is
 * the first line of defence: no length is trusted before it is checked.
 * It has no dependency on sockets or skbs, which lets KUnit and the
 * user-space fuzzer drive it directly.
 */
#include "ktcp_kunit.h"
#include "ktcp_parse.h"
#include "ktcp_wire.h"

static u16 get_be16(const u8 *p)
{
	return (p[0] << 8) | p[1];
}

static u32 get_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

static void put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/**
 * ktcp_parse_options() - parse the option bytes of a header
 * @ptr: first option byte
 * @len: number of option bytes (data offset * 4 - 20)
 * @opts: filled with the options found
 *
 * Unknown options are skipped as RFC 9293 requires; a length byte that is
 * missing, below 2 or running past the header makes the segment invalid.
 * Known options with the wrong length are ignored, as Linux TCP does.
 */
enum ktcp_parse_err ktcp_parse_options(const u8 *ptr, unsigned int len,
				       struct ktcp_opts *opts)
{
	const u8 *start = ptr;

	memset(opts, 0, sizeof(*opts));

	while (len > 0) {
		u8 kind = ptr[0];
		u8 olen;

		if (kind == KTCP_OPT_EOL)
			break;
		if (kind == KTCP_OPT_NOP) {
			ptr++;
			len--;
			continue;
		}
		if (len < 2)
			return KTCP_PARSE_BAD_OPTION;
		olen = ptr[1];
		if (olen < 2 || olen > len)
			return KTCP_PARSE_BAD_OPTION;

		switch (kind) {
		case KTCP_OPT_MSS:
			if (olen == KTCP_OLEN_MSS)
				opts->mss = get_be16(ptr + 2);
			break;
		case KTCP_OPT_WSCALE:
			if (olen == KTCP_OLEN_WSCALE) {
				opts->wscale_ok = 1;
				/* RFC 7323 2.3: larger shifts are treated as 14 */
				opts->wscale = min_t(u8, ptr[2], KTCP_MAX_WSCALE);
			}
			break;
		case KTCP_OPT_SACK_PERM:
			if (olen == KTCP_OLEN_SACK_PERM)
				opts->sack_ok = 1;
			break;
		case KTCP_OPT_SACK:
			/* the offset must fit sack_off: a real header's does */
			if (olen > 2 && !((olen - 2) % KTCP_OLEN_SACK_BLOCK) &&
			    ptr - start + olen <= KTCP_MAX_HDR_LEN - KTCP_HDR_LEN) {
				opts->sack_off = KTCP_HDR_LEN + (ptr - start) + 2;
				opts->sack_nr = (olen - 2) / KTCP_OLEN_SACK_BLOCK;
			}
			break;
		case KTCP_OPT_TIMESTAMP:
			if (olen == KTCP_OLEN_TIMESTAMP) {
				opts->ts_ok = 1;
				opts->tsval = get_be32(ptr + 2);
				opts->tsecr = get_be32(ptr + 6);
			}
			break;
		default:
			break;
		}
		ptr += olen;
		len -= olen;
	}
	return KTCP_PARSE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_parse_options);

/**
 * ktcp_parse_header() - validate a header and parse its options
 * @data: start of the ktcp header
 * @len: bytes available from @data to the end of the segment
 * @opts: filled with the options found
 *
 * Return: KTCP_PARSE_OK, or why the segment must be dropped.
 */
enum ktcp_parse_err ktcp_parse_header(const void *data, unsigned int len,
				      struct ktcp_opts *opts)
{
	const struct tcphdr *th = data;
	unsigned int doff;

	if (len < KTCP_HDR_LEN)
		return KTCP_PARSE_SHORT;
	doff = th->doff * 4;
	if (doff < KTCP_HDR_LEN || doff > len)
		return KTCP_PARSE_BAD_DOFF;
	return ktcp_parse_options((const u8 *)data + KTCP_HDR_LEN,
				  doff - KTCP_HDR_LEN, opts);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_parse_header);

/* Two NOPs and the timestamps option: 12 bytes, aligned. */
static unsigned int ktcp_put_ts(u8 *ptr, const struct ktcp_ts *ts)
{
	put_be32(ptr + 2, ts->val);
	put_be32(ptr + 6, ts->ecr);
	ptr[0] = KTCP_OPT_TIMESTAMP;
	ptr[1] = KTCP_OLEN_TIMESTAMP;
	return KTCP_OLEN_TIMESTAMP;
}

/**
 * ktcp_build_ts_option() - write the timestamps option of a segment
 * @ptr: where to write; room for KTCP_TS_ALIGNED bytes
 * @ts: TSval and TSecr, RFC 7323 section 3
 *
 * Return: KTCP_TS_ALIGNED, the bytes written.
 */
unsigned int ktcp_build_ts_option(u8 *ptr, const struct ktcp_ts *ts)
{
	ptr[0] = KTCP_OPT_NOP;
	ptr[1] = KTCP_OPT_NOP;
	return 2 + ktcp_put_ts(ptr + 2, ts);
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_build_ts_option);

/**
 * ktcp_build_syn_options() - write the options of a SYN or SYN-ACK
 * @ptr: where to write; room for KTCP_SYN_OPT_MAX bytes
 * @mss: MSS to announce
 * @wscale: window shift to announce, or -1 for none
 * @sack: announce SACK-permitted (RFC 2018)
 * @ts: timestamps to send (RFC 7323), or NULL for none
 *
 * In Linux's order, so that a trace of either reads the same:
 * MSS, SACK-permitted sharing the timestamps' alignment, window scale.
 *
 * Return: number of bytes written, a multiple of 4.
 */
unsigned int ktcp_build_syn_options(u8 *ptr, u16 mss, int wscale, bool sack,
				    const struct ktcp_ts *ts)
{
	unsigned int n = 0;

	ptr[n++] = KTCP_OPT_MSS;
	ptr[n++] = KTCP_OLEN_MSS;
	ptr[n++] = mss >> 8;
	ptr[n++] = mss & 0xff;
	if (ts && sack) {
		ptr[n++] = KTCP_OPT_SACK_PERM;
		ptr[n++] = KTCP_OLEN_SACK_PERM;
		n += ktcp_put_ts(ptr + n, ts);
	} else if (ts) {
		n += ktcp_build_ts_option(ptr + n, ts);
	} else if (sack) {
		ptr[n++] = KTCP_OPT_NOP;
		ptr[n++] = KTCP_OPT_NOP;
		ptr[n++] = KTCP_OPT_SACK_PERM;
		ptr[n++] = KTCP_OLEN_SACK_PERM;
	}
	if (wscale >= 0) {
		ptr[n++] = KTCP_OPT_NOP;
		ptr[n++] = KTCP_OPT_WSCALE;
		ptr[n++] = KTCP_OLEN_WSCALE;
		ptr[n++] = wscale;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktcp_build_syn_options);
