// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-synflood: send SYNs from forged sources at a ktcp listener, as fast
 * as a raw socket takes them.  For tests in a QEMU guest only: the sources
 * are drawn from a range the caller routes to a namespace that drops the
 * SYN-ACKs.
 *
 *   ktcp-synflood DST PORT COUNT [SRCNET/BITS]    (default 198.18.0.0/15)
 *
 * No source address and port repeats within a run (up to the range's
 * size): a SYN that hit a live embryonic child would be an unexpected SYN
 * on that connection, not a new one, and spoil the test's accounting.
 *
 * Prints "sent N" and exits 0 when all COUNT SYNs went out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KTCP_PROTO	253
#define NPORTS		64512		/* source ports 1024 to 65535 */
#define SRC_STRIDE	2654435761ULL	/* a prime: coprime to any range */

struct syn {
	struct iphdr ip;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off, flags;
	uint16_t win, csum, urg;
	uint8_t mss_opt[4];
} __attribute__((packed));

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: fast enough that the kernel is the bottleneck */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL) >> 32;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* The TCP checksum with protocol 253 in the pseudo-header. */
static uint16_t seg_csum(const struct syn *p)
{
	size_t len = sizeof(*p) - sizeof(p->ip), i;
	const uint8_t *b = (const uint8_t *)p + sizeof(p->ip);
	uint32_t sum = 0;
	uint16_t w;

	sum += (p->ip.saddr & 0xffff) + (p->ip.saddr >> 16);
	sum += (p->ip.daddr & 0xffff) + (p->ip.daddr >> 16);
	sum += htons(KTCP_PROTO) + htons(len);
	for (i = 0; i < len; i += 2) {
		memcpy(&w, b + i, 2);
		sum += w;
	}
	return csum_fold(sum);
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	uint32_t net = 0xc6120000, mask = ~0U << 17;	/* 198.18.0.0/15 */
	unsigned long count, sent = 0, retries = 0;
	uint64_t hosts, space, src;
	struct syn p;
	int fd, bits;

	if (argc < 4 || !inet_aton(argv[1], &dst.sin_addr)) {
		fprintf(stderr, "usage: %s DST PORT COUNT [SRCNET/BITS]\n", argv[0]);
		return 2;
	}
	count = strtoul(argv[3], NULL, 0);
	if (argc > 4) {
		char *slash = strchr(argv[4], '/');
		struct in_addr a;

		if (!slash)
			return 2;
		*slash = 0;
		bits = atoi(slash + 1);
		if (!inet_aton(argv[4], &a) || bits < 1 || bits > 32)
			return 2;
		mask = ~0U << (32 - bits);
		net = ntohl(a.s_addr) & mask;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);	/* implies IP_HDRINCL */
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	rng_state = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL | 1;
	hosts = (uint64_t)~mask + 1;
	space = hosts * NPORTS;
	src = ((uint64_t)rnd() << 32 | rnd()) % space;

	memset(&p, 0, sizeof(p));
	p.ip.version = 4;
	p.ip.ihl = 5;
	p.ip.ttl = 64;
	p.ip.protocol = KTCP_PROTO;
	p.ip.tot_len = htons(sizeof(p));
	p.ip.daddr = dst.sin_addr.s_addr;
	p.dport = htons(atoi(argv[2]));
	p.off = (sizeof(p) - sizeof(p.ip)) / 4 << 4;
	p.flags = 0x02;					/* SYN */
	p.win = htons(65535);
	memcpy(p.mss_opt, "\x02\x04\x05\xb4", 4);	/* MSS 1460 */

	while (sent < count) {
		/* A prime stride visits every (address, port) once. */
		src = (src + SRC_STRIDE) % space;
		p.ip.saddr = htonl(net | (uint32_t)(src % hosts));
		p.sport = htons(1024 + src / hosts);
		p.seq = rnd();
		p.csum = 0;
		p.csum = seg_csum(&p);
		if (sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) == sizeof(p)) {
			sent++;
			continue;
		}
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			perror("sendto");
			return 1;
		}
		/* A full qdisc or backlog: let the receiver catch up. */
		if (++retries > 1000000) {
			fprintf(stderr, "sendto: stuck at %lu\n", sent);
			return 1;
		}
		sched_yield();
	}
	printf("sent %lu retries %lu\n", sent, retries);
	return 0;
}
