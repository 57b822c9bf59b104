// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-xfer: verified bidirectional transfer over ktcp (or TCP).
 *
 * Each side sends N bytes of a seeded pseudo-random stream while it
 * receives and checks the peer's stream byte for byte, then half-closes,
 * reads EOF and closes.  Any loss, duplication, corruption, short or
 * extra data, error or stall ends it with a non-zero exit and a message
 * saying exactly what and where.
 *
 *	ktcp-xfer -s [-a ADDR] -P PORT [options]	server (one connection)
 *	ktcp-xfer -c -a ADDR -P PORT [options]		client
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../ktcp/uapi/ktcp.h"

struct opts {
	int proto;
	int server;
	const char *addr;
	int port;
	uint64_t size;		/* bytes we send */
	uint64_t expect;	/* bytes we expect from the peer */
	size_t wsize;		/* bytes per write */
	int sndbuf, rcvbuf;
	size_t slow_bytes;	/* slow reader: bytes per read ... */
	int slow_ms;		/* ... and pause after each read */
	uint64_t seed;
	int stall_s;		/* no progress for this long: fail */
	const char *cong;	/* TCP_CONGESTION, or NULL: the default */
};

static const char *role = "ktcp-xfer";

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", role);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64 of the word index: any offset of the stream in O(1). */
static uint64_t stream_word(uint64_t seed, uint64_t idx)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ULL + (idx + 1) * 0xbf58476d1ce4e5b9ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void stream_fill(uint64_t seed, uint64_t off, unsigned char *p, size_t len)
{
	while (len) {
		uint64_t w = stream_word(seed, off >> 3);
		unsigned int i;

		for (i = off & 7; i < 8 && len; i++, len--, off++)
			*p++ = w >> (8 * i);
	}
}

/* Check @len received bytes at stream offset @off; die at the first bad one. */
static void stream_check(uint64_t seed, uint64_t off, const unsigned char *p,
			 size_t len, unsigned char *scratch)
{
	size_t i;

	stream_fill(seed, off, scratch, len);
	if (!memcmp(p, scratch, len))
		return;
	for (i = 0; p[i] == scratch[i]; i++)
		;
	die("data corrupt at offset %" PRIu64 ": got 0x%02x, want 0x%02x "
	    "(chunk of %zu bytes at offset %" PRIu64 ")",
	    off + i, p[i], scratch[i], len, off);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'G':
	case 'g':
		v <<= 10;
		/* fall through */
	case 'M':
	case 'm':
		v <<= 10;
		/* fall through */
	case 'K':
	case 'k':
		v <<= 10;
		end++;
	}
	if (*end || end == s)
		die("bad size '%s'", s);
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ktcp-xfer -s|-c [-a ADDR] -P PORT [options]\n"
		"  -p PROTO    IP protocol: 253 ktcp (default), 6 TCP\n"
		"  -n SIZE     bytes to send (default 1M; K/M/G suffixes)\n"
		"  -m SIZE     bytes expected from the peer (default: -n)\n"
		"  -w SIZE     bytes per write (default 64K)\n"
		"  -S SIZE     SO_SNDBUF;  -R SIZE  SO_RCVBUF\n"
		"  -r B:MS     slow reader: read at most B bytes every MS ms\n"
		"  -e SEED     stream seed (client sends SEED, server SEED+1)\n"
		"  -t SEC      fail after SEC seconds without progress (default 60)\n"
		"  -C NAME     congestion control (TCP_CONGESTION), e.g. reno, cubic\n");
	exit(2);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	int expect_set = 0, c;
	char *colon;

	*o = (struct opts){ .proto = IPPROTO_KTCP, .server = -1, .port = -1,
			    .size = 1 << 20, .wsize = 64 << 10, .seed = 1,
			    .stall_s = 60 };
	while ((c = getopt(argc, argv, "scp:a:P:n:m:w:S:R:r:e:t:C:")) != -1) {
		switch (c) {
		case 's':
			o->server = 1;
			break;
		case 'c':
			o->server = 0;
			break;
		case 'p':
			o->proto = atoi(optarg);
			break;
		case 'a':
			o->addr = optarg;
			break;
		case 'P':
			o->port = atoi(optarg);
			break;
		case 'n':
			o->size = parse_size(optarg);
			break;
		case 'm':
			o->expect = parse_size(optarg);
			expect_set = 1;
			break;
		case 'w':
			o->wsize = parse_size(optarg);
			break;
		case 'S':
			o->sndbuf = parse_size(optarg);
			break;
		case 'R':
			o->rcvbuf = parse_size(optarg);
			break;
		case 'r':
			colon = strchr(optarg, ':');
			if (!colon)
				usage();
			*colon = 0;
			o->slow_bytes = parse_size(optarg);
			o->slow_ms = atoi(colon + 1);
			break;
		case 'e':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			o->stall_s = atoi(optarg);
			break;
		case 'C':
			o->cong = optarg;
			break;
		default:
			usage();
		}
	}
	if (o->server < 0 || o->port < 0 || optind != argc || !o->wsize ||
	    (!o->server && !o->addr))
		usage();
	if (!expect_set)
		o->expect = o->size;
	role = o->server ? "ktcp-xfer server" : "ktcp-xfer client";
}

/* Socket options set before connect() or listen(); accept() inherits them. */
static void set_opts(int fd, const struct opts *o)
{
	if (o->sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &o->sndbuf,
				    sizeof(o->sndbuf)))
		die("SO_SNDBUF: %s", strerror(errno));
	if (o->rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf,
				    sizeof(o->rcvbuf)))
		die("SO_RCVBUF: %s", strerror(errno));
	if (o->cong && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, o->cong,
				  strlen(o->cong)))
		die("TCP_CONGESTION %s: %s", o->cong, strerror(errno));
}

static int open_conn(const struct opts *o)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(o->port) };
	socklen_t len = sizeof(sin);
	int fd, lfd, one = 1;

	if (inet_pton(AF_INET, o->addr ? o->addr : "0.0.0.0", &sin.sin_addr) != 1)
		die("bad address '%s'", o->addr);
	fd = socket(AF_INET, SOCK_STREAM, o->proto);
	if (fd < 0)
		die("socket(AF_INET, SOCK_STREAM, %d): %s", o->proto, strerror(errno));
	set_opts(fd, o);
	if (!o->server) {
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("connect %s:%d: %s", o->addr, o->port, strerror(errno));
		return fd;
	}
	lfd = fd;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1))
		die("bind/listen port %d: %s", o->port, strerror(errno));
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	/* Tests wait for this line before they start the client. */
	printf("listening on port %d\n", ntohs(sin.sin_port));
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept: %s", strerror(errno));
	close(lfd);
	return fd;
}

struct xfer {
	uint64_t sent, rcvd;
	uint64_t tx_seed, rx_seed;
	int wr_shut, eof;
	double next_read;
	unsigned char *tx, *rx, *scratch;
	size_t rx_len;
};

static void do_send(int fd, const struct opts *o, struct xfer *x)
{
	size_t n = o->wsize;
	ssize_t r;

	if (n > o->size - x->sent)
		n = o->size - x->sent;
	stream_fill(x->tx_seed, x->sent, x->tx, n);
	r = send(fd, x->tx, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		die("send at offset %" PRIu64 " of %" PRIu64 ": %s",
		    x->sent, o->size, strerror(errno));
	}
	x->sent += r;
}

static void do_recv(int fd, const struct opts *o, struct xfer *x)
{
	ssize_t r = recv(fd, x->rx, x->rx_len, MSG_DONTWAIT);

	if (r < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		die("recv after %" PRIu64 " of %" PRIu64 " bytes: %s",
		    x->rcvd, o->expect, strerror(errno));
	}
	if (!r) {
		if (x->rcvd < o->expect)
			die("EOF after %" PRIu64 " of %" PRIu64 " bytes: %" PRIu64
			    " bytes short", x->rcvd, o->expect, o->expect - x->rcvd);
		x->eof = 1;
		return;
	}
	if (x->rcvd + r > o->expect) {
		size_t ok = o->expect - x->rcvd;

		stream_check(x->rx_seed, x->rcvd, x->rx, ok, x->scratch);
		die("at least %" PRIu64 " extra bytes after the expected %" PRIu64,
		    (uint64_t)(r - ok), o->expect);
	}
	stream_check(x->rx_seed, x->rcvd, x->rx, r, x->scratch);
	x->rcvd += r;
	if (o->slow_ms)
		x->next_read = now() + o->slow_ms / 1000.0;
}

/* Sleep in poll() no longer than the slow reader's pause allows. */
static int poll_timeout(const struct xfer *x, double t)
{
	if (x->eof || x->next_read <= t)
		return 1000;
	return (int)((x->next_read - t) * 1000) + 1;
}

static void run(int fd, const struct opts *o, struct xfer *x)
{
	double last = now();
	uint64_t progress = 0;

	while (!(x->wr_shut && x->eof)) {
		struct pollfd p = { .fd = fd };
		double t = now();

		if (!x->wr_shut && x->sent == o->size) {
			if (shutdown(fd, SHUT_WR))
				die("shutdown(SHUT_WR): %s", strerror(errno));
			x->wr_shut = 1;
			continue;
		}
		if (!x->wr_shut)
			p.events |= POLLOUT;
		if (!x->eof && x->next_read <= t)
			p.events |= POLLIN;
		if (poll(&p, 1, poll_timeout(x, t)) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (p.revents & (POLLIN | POLLERR | POLLHUP) && !x->eof &&
		    x->next_read <= now())
			do_recv(fd, o, x);
		if (p.revents & (POLLOUT | POLLERR) && !x->wr_shut)
			do_send(fd, o, x);
		if (x->sent + x->rcvd + x->eof != progress) {
			progress = x->sent + x->rcvd + x->eof;
			last = now();
		} else if (o->stall_s && now() - last > o->stall_s) {
			die("stalled for %d s: sent %" PRIu64 " of %" PRIu64
			    "%s, received %" PRIu64 " of %" PRIu64 "%s",
			    o->stall_s, x->sent, o->size,
			    x->wr_shut ? " (FIN sent)" : "", x->rcvd, o->expect,
			    x->eof ? " (EOF)" : "");
		}
	}
}

int main(int argc, char **argv)
{
	struct tcp_info ti = { 0 };
	socklen_t tilen = sizeof(ti);
	char cong[16] = "?";
	socklen_t conglen = sizeof(cong) - 1;
	struct xfer x = { 0 };
	struct opts o;
	double t0, dt;
	int fd;

	parse_opts(argc, argv, &o);
	signal(SIGPIPE, SIG_IGN);
	x.tx_seed = o.server ? o.seed + 1 : o.seed;
	x.rx_seed = o.server ? o.seed : o.seed + 1;
	x.rx_len = o.slow_bytes ? o.slow_bytes : 256 << 10;
	x.tx = malloc(o.wsize);
	x.rx = malloc(x.rx_len);
	x.scratch = malloc(x.rx_len);
	if (!x.tx || !x.rx || !x.scratch)
		die("out of memory");
	fd = open_conn(&o);
	t0 = now();
	run(fd, &o, &x);
	dt = now() - t0;
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tilen))
		memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cong, &conglen))
		strcpy(cong, "?");
	if (close(fd))
		die("close: %s", strerror(errno));
	printf("%s: sent %" PRIu64 " received %" PRIu64 " bytes in %.2f s "
	       "(%.1f Mbit/s), %u retransmitted segments, congestion control "
	       "%s\n", role, x.sent, x.rcvd, dt,
	       dt > 0 ? (x.sent + x.rcvd) * 8 / dt / 1e6 : 0.0,
	       ti.tcpi_total_retrans, cong);
	return 0;
}
