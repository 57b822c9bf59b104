// SPDX-License-Identifier: GPL-2.0
/*
 * segstorm: send many random, mutated ktcp segments through a raw socket.
 *
 *   segstorm conn   COUNT SEED ADDR SPORT DPORT RCV_NXT SND_NXT
 *   segstorm listen COUNT SEED ADDR AVOID_PORT DPORT
 *
 * Each segment starts from a plausible one (flags, sequence numbers near
 * the target's, a mix of valid and broken options, some payload) and is
 * then mutated: bit flips, overwritten bytes, random data offsets,
 * truncation.  About 90% get a correct checksum so that they reach the
 * state machine, the rest a wrong one.
 *
 * "conn" aims at one end of an established connection, whose receiver
 * expects RCV_NXT and has sent up to SND_NXT.  The segments play a blind
 * attacker: anything whose sequence number could fall in the window
 * carries no data, no FIN, no exact RST and no timestamps after mutation,
 * so that the connection's byte stream must come through intact.
 * "listen" aims at a listener from random source ports (never AVOID_PORT,
 * the port of a connection that must not be hit).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROTO		253
#define FIN		0x01
#define SYN		0x02
#define RST		0x04
#define PSH		0x08
#define ACK		0x10

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;	/* xorshift64 */
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 32;
}

/* true with probability @pct percent */
static int chance(unsigned int pct)
{
	return rnd() % 100 < pct;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint16_t csum(uint32_t addr, const uint8_t *p, size_t len)
{
	uint32_t s = (addr >> 16) * 2 + (addr & 0xffff) * 2 + PROTO + len;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += p[i] << 8 | p[i + 1];
	if (len & 1)
		s += p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/* Options: mostly well-formed ones in random order, sometimes junk. */
static size_t options(uint8_t *o, uint32_t ack)
{
	size_t n = 0;

	while (n < 40 && chance(70)) {
		size_t room = 40 - n;
		unsigned int i, blocks;

		switch (rnd() % 9) {
		case 0:
			if (room < 4)
				break;
			o[n] = 2;
			o[n + 1] = 4;
			put16(o + n + 2, chance(50) ? 1460 : rnd());
			n += 4;
			break;
		case 1:
			if (room < 3)
				break;
			o[n] = 3;
			o[n + 1] = 3;
			o[n + 2] = rnd() % 20;
			n += 3;
			break;
		case 2:
			if (room < 2)
				break;
			o[n] = 4;
			o[n + 1] = 2;
			n += 2;
			break;
		case 3:
			if (room < 10)
				break;
			o[n] = 8;
			o[n + 1] = 10;
			put32(o + n + 2, rnd());
			put32(o + n + 6, rnd());
			n += 10;
			break;
		case 4:
			blocks = 1 + rnd() % 4;
			if (room < 2 + 8 * blocks)
				break;
			o[n] = 5;
			o[n + 1] = 2 + 8 * blocks;
			for (i = 0; i < blocks; i++) {
				uint32_t l = ack + rnd() % 100000;

				put32(o + n + 2 + 8 * i, l);
				put32(o + n + 6 + 8 * i, l + rnd() % 3000);
			}
			n += 2 + 8 * blocks;
			break;
		case 5:
			o[n++] = 1;
			break;
		case 6:
			o[n++] = 0;
			break;
		case 7:		/* unknown kind, any length byte */
			if (room < 2)
				break;
			o[n] = 9 + rnd() % 240;
			o[n + 1] = rnd() % 12;
			n += 2;
			break;
		default:	/* junk */
			o[n++] = rnd();
		}
	}
	while (n % 4)
		o[n++] = chance(50) ? 1 : 0;
	return n;
}

static const uint8_t flag_set[] = {
	ACK, ACK, ACK | PSH, ACK | PSH, SYN, SYN, SYN | ACK, FIN | ACK,
	FIN, RST, RST | ACK, SYN | FIN, SYN | RST, 0,
};

struct target {
	int conn;
	uint32_t addr;		/* host order */
	uint16_t sport, dport, avoid;
	uint32_t rcv_nxt, snd_nxt;
};

static uint32_t pick_seq(const struct target *t)
{
	if (!t->conn)
		return rnd();
	switch (rnd() % 6) {
	case 0:
		return t->rcv_nxt;
	case 1:
		return t->rcv_nxt + rnd() % 65536;
	case 2:
		return t->rcv_nxt - rnd() % 65536;
	case 3:
		return t->rcv_nxt + (rnd() | 0x40000000u);
	default:
		return rnd();
	}
}

static uint32_t pick_ack(const struct target *t)
{
	if (!t->conn)
		return rnd();
	switch (rnd() % 5) {
	case 0:
		return t->snd_nxt;
	case 1:
		return t->snd_nxt + rnd() % 2000 - 1000;
	case 2:
		return t->snd_nxt - (rnd() | 0x40000000u);
	default:
		return rnd();
	}
}

static size_t build(uint8_t *b, const struct target *t)
{
	size_t olen, len, plen, i;
	uint16_t sport = t->sport;

	if (!t->conn)
		do
			sport = 1024 + rnd() % 64000;
		while (sport == t->avoid);
	put16(b, sport);
	put16(b + 2, t->conn || chance(90) ? t->dport : rnd());
	put32(b + 4, pick_seq(t));
	put32(b + 8, pick_ack(t));
	olen = options(b + 20, get32(b + 8));
	b[12] = (5 + olen / 4) << 4;
	b[13] = chance(90) ? flag_set[rnd() % sizeof(flag_set)] : rnd();
	put16(b + 14, chance(50) ? 65535 : rnd());
	put16(b + 16, 0);
	put16(b + 18, chance(90) ? 0 : rnd());
	len = 20 + olen;
	plen = chance(50) ? 0 : rnd() % 300;
	for (i = 0; i < plen; i++)
		b[len + i] = rnd();
	return len + plen;
}

static size_t mutate(uint8_t *b, size_t len)
{
	unsigned int i, n;

	if (chance(30)) {		/* bit flips */
		n = 1 + rnd() % 8;
		for (i = 0; i < n && len; i++)
			b[rnd() % len] ^= 1 << (rnd() % 8);
	}
	if (chance(10) && len)		/* overwritten bytes */
		for (n = 1 + rnd() % 4; n--; )
			b[rnd() % len] = rnd();
	if (chance(5) && len > 12)	/* any data offset */
		b[12] = (b[12] & 0x0f) | (rnd() % 16) << 4;
	if (chance(5) && len > 20)	/* random option bytes */
		for (i = 20; i < len && i < 60; i++)
			b[i] = rnd();
	if (chance(5))			/* truncated, maybe inside the header */
		len = len ? rnd() % len : 0;
	return len;
}

/*
 * Timestamps in an acceptable segment move what PAWS compares with
 * (RFC 7323 5): one that knows the sequence numbers, as this storm does,
 * could make the real peer's segments look old, on TCP as on ktcp.  A
 * blind attacker cannot: its kind 8 options become NOPs.
 */
static void no_timestamps(uint8_t *b, size_t doff)
{
	size_t i = 20;

	while (i < doff && b[i]) {
		if (b[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff || b[i + 1] < 2 || i + b[i + 1] > doff)
			return;
		if (b[i] == 8)
			memset(b + i, 1, b[i + 1]);
		else
			i += b[i + 1];
	}
}

/* A blind attacker never gets data, a FIN or an exact RST accepted. */
static size_t blind(uint8_t *b, size_t len, const struct target *t)
{
	size_t doff;
	uint32_t seq, end;
	int32_t d;

	if (len < 20)
		return len;
	put16(b, t->sport);
	put16(b + 2, t->dport);
	doff = (b[12] >> 4) * 4;
	if (doff < 20 || doff > len)
		return len;
	seq = get32(b + 4);
	d = (int32_t)(seq - t->rcv_nxt);
	end = seq + (len - doff) + !!(b[13] & FIN);
	if (d > -0x40000000 && d < 0x40000000)
		no_timestamps(b, doff);
	if (d > -0x40000000 && d < 0x40000000 &&
	    (int32_t)(end - t->rcv_nxt) > 0) {
		len = doff;
		b[13] &= ~FIN;
	}
	if ((b[13] & RST) && seq == t->rcv_nxt)
		b[13] &= ~RST;
	return len;
}

int main(int argc, char **argv)
{
	unsigned long count, sent = 0, bad = 0, err = 0, i;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct target t = { 0 };
	uint8_t b[2048];
	int fd;

	if (argc < 7 || (strcmp(argv[1], "conn") && strcmp(argv[1], "listen")) ||
	    (!strcmp(argv[1], "conn") && argc < 9)) {
		fprintf(stderr, "usage: segstorm conn COUNT SEED ADDR SPORT DPORT RCV_NXT SND_NXT\n"
			"       segstorm listen COUNT SEED ADDR AVOID_PORT DPORT\n");
		return 2;
	}
	t.conn = !strcmp(argv[1], "conn");
	count = strtoul(argv[2], NULL, 0);
	rng = strtoull(argv[3], NULL, 0) * 0x9e3779b97f4a7c15ull | 1;
	if (inet_pton(AF_INET, argv[4], &dst.sin_addr) != 1)
		return 2;
	t.addr = ntohl(dst.sin_addr.s_addr);
	if (t.conn) {
		t.sport = strtoul(argv[5], NULL, 0);
		t.rcv_nxt = strtoul(argv[7], NULL, 0);
		t.snd_nxt = strtoul(argv[8], NULL, 0);
	} else {
		t.avoid = strtoul(argv[5], NULL, 0);
	}
	t.dport = strtoul(argv[6], NULL, 0);

	fd = socket(AF_INET, SOCK_RAW, PROTO);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	/* Send only: a receive queue would just collect copies. */
	shutdown(fd, SHUT_RD);

	for (i = 0; i < count; i++) {
		size_t len = mutate(b, build(b, &t));
		uint16_t c;

		if (t.conn)
			len = blind(b, len, &t);
		if (len >= 18) {
			c = csum(t.addr, b, len);
			if (chance(10)) {
				c ^= 1 + rnd() % 0xfffe;
				bad++;
			}
			put16(b + 16, c);
		}
		if (sendto(fd, b, len, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("sendto");
				return 1;
			}
			err++;
			continue;
		}
		sent++;
	}
	printf("segstorm: %s sent=%lu bad_csum=%lu send_errors=%lu\n",
	       argv[1], sent, bad, err);
	return 0;
}
