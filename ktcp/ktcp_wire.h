/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktcp wire format: the standard 20-byte TCP header (struct tcphdr) plus
 * options, carried directly in IPv4 under IP protocol ktcp_protocol.
 */
#ifndef _KTCP_WIRE_H
#define _KTCP_WIRE_H

#include <linux/types.h>
#include <linux/tcp.h>

#define KTCP_HDR_LEN		20
#define KTCP_MAX_HDR_LEN	60

/* Option kinds, RFC 9293 section 3.2 and RFC 7323, RFC 2018. */
#define KTCP_OPT_EOL		0
#define KTCP_OPT_NOP		1
#define KTCP_OPT_MSS		2
#define KTCP_OPT_WSCALE		3
#define KTCP_OPT_SACK_PERM	4
#define KTCP_OPT_SACK		5
#define KTCP_OPT_TIMESTAMP	8

#define KTCP_OLEN_MSS		4
#define KTCP_OLEN_WSCALE	3
#define KTCP_OLEN_SACK_PERM	2
#define KTCP_OLEN_TIMESTAMP	10
#define KTCP_OLEN_SACK_BLOCK	8	/* per block, after kind and length */
#define KTCP_MAX_SACK_BLOCKS	4	/* what fits in 40 option bytes */
#define KTCP_TS_ALIGNED		12	/* two NOPs and the timestamps */
#define KTCP_MAX_SACK_BLOCKS_TS	3	/* what fits beside them */
#define KTCP_SYN_OPT_MAX	20	/* MSS, SACK-permitted, TS, WS */
#define KTCP_MAX_WSCALE		14

/* Header flags as in byte 13 of the header. */
#define KTCP_FLAG_FIN		0x01
#define KTCP_FLAG_SYN		0x02
#define KTCP_FLAG_RST		0x04
#define KTCP_FLAG_PSH		0x08
#define KTCP_FLAG_ACK		0x10
#define KTCP_FLAG_URG		0x20

/* Options found in a segment; a zero field means "absent". */
struct ktcp_opts {
	u16 mss;
	u8 wscale_ok:1,
	   sack_ok:1,
	   ts_ok:1;
	u8 wscale;
	u8 sack_off;			/* first SACK block, from the header start */
	u8 sack_nr;			/* number of SACK blocks, RFC 2018 */
	u32 tsval;
	u32 tsecr;
};

/* The timestamps option's two values, RFC 7323 section 3. */
struct ktcp_ts {
	u32 val;
	u32 ecr;
};

/* Why a segment was refused by ktcp_parse_header(). */
enum ktcp_parse_err {
	KTCP_PARSE_OK,
	KTCP_PARSE_SHORT,		/* fewer than 20 bytes */
	KTCP_PARSE_BAD_DOFF,		/* data offset < 5 or past the end */
	KTCP_PARSE_BAD_OPTION,		/* option length 0, 1 or past header */
};

static inline u8 ktcp_flags(const struct tcphdr *th)
{
	return ((const u8 *)th)[13];
}

#endif /* _KTCP_WIRE_H */
