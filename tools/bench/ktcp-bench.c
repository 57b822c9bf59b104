// SPDX-License-Identifier: GPL-2.0
/*
 * ktcp-bench: the small measurements of `make bench` that iperf3 does not
 * make.  Every mode takes the IP protocol number, so one binary measures
 * ktcp (253) and kernel TCP (6) the same way.
 *
 *   ktcp-bench server PROTO ADDR PORT
 *	echo one byte for each byte received, per connection, until EOF;
 *	then close.  Serves the rr and crr clients below.
 *   ktcp-bench rr PROTO ADDR PORT SECONDS
 *	one connection, 1-byte ping-pong; prints count, p50, p99 (us).
 *   ktcp-bench crr PROTO ADDR PORT SECONDS
 *	connect, 1-byte request/response, close, again; prints rate/s.
 *   ktcp-bench idle PROTO N
 *	N established connections over loopback, both ends held open, and
 *	the kernel's slab memory (/proc/meminfo) before and with them.  It
 *	prints "base" and "held" lines and waits for a line on stdin after
 *	each, so a driver can snapshot /proc/slabinfo at the same points.
 *
 * Results are one JSON object on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int proto;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void addr_of(struct sockaddr_in *sin, const char *ip, int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &sin->sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", ip);
		exit(2);
	}
}

static int new_socket(void)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		die("socket");
	/* Latency, not batching: every request goes out at once. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		die("TCP_NODELAY");
	return fd;
}

static int dial(const struct sockaddr_in *sin)
{
	int fd = new_socket();

	if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)))
		die("connect");
	return fd;
}

static int listen_on(const struct sockaddr_in *sin, int backlog)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sin, sizeof(*sin)))
		die("bind");
	if (listen(fd, backlog))
		die("listen");
	return fd;
}

/* One byte each way; false at EOF. */
static int pingpong(int fd)
{
	char c = 'x';

	if (write(fd, &c, 1) != 1)
		die("write");
	switch (read(fd, &c, 1)) {
	case 1:
		return 1;
	case 0:
		return 0;
	default:
		die("read");
	}
	return 0;
}

static void *serve(void *arg)
{
	int fd = (int)(long)arg;
	char buf[256];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			break;
	close(fd);
	return NULL;
}

static void __attribute__((noreturn)) server(const char *ip, int port)
{
	struct sockaddr_in sin;
	pthread_attr_t attr;
	int lfd, one = 1;

	addr_of(&sin, ip, port);
	lfd = listen_on(&sin, 1024);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (;;) {
		pthread_t t;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (pthread_create(&t, &attr, serve, (void *)(long)fd))
			die("pthread_create");
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int rr(const char *ip, int port, double secs)
{
	size_t n = 0, cap = 1 << 16;
	double *lat = malloc(cap * sizeof(*lat));
	struct sockaddr_in sin;
	double start, end, t;
	int fd;

	if (!lat)
		die("malloc");
	addr_of(&sin, ip, port);
	fd = dial(&sin);
	/* Warm up: the first exchanges pay for cold caches and slow start. */
	for (int i = 0; i < 100; i++)
		pingpong(fd);
	start = now();
	end = start + secs;
	do {
		t = now();
		if (!pingpong(fd)) {
			fprintf(stderr, "rr: server closed\n");
			return 1;
		}
		if (n == cap) {
			cap *= 2;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat)
				die("realloc");
		}
		lat[n++] = now() - t;
	} while (now() < end);
	close(fd);
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("{\"count\": %zu, \"p50_us\": %.2f, \"p99_us\": %.2f, \"rate\": %.1f}\n",
	       n, lat[n / 2] * 1e6, lat[n * 99 / 100] * 1e6, n / (now() - start));
	return 0;
}

static int crr(const char *ip, int port, double secs)
{
	struct sockaddr_in sin;
	double start, end;
	size_t n = 0;

	addr_of(&sin, ip, port);
	start = now();
	end = start + secs;
	do {
		int fd = dial(&sin);

		if (!pingpong(fd)) {
			fprintf(stderr, "crr: server closed early\n");
			return 1;
		}
		close(fd);
		n++;
	} while (now() < end);
	printf("{\"count\": %zu, \"rate\": %.1f}\n", n, n / (now() - start));
	return 0;
}

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	size_t klen = strlen(key);
	char line[256];
	long v = -1;

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = atol(line + klen + 1);
			break;
		}
	fclose(f);
	return v;
}

/* Let RCU-freed objects of earlier runs go before reading the counters. */
static void settle(void)
{
	FILE *f = fopen("/proc/sys/vm/drop_caches", "w");

	if (f) {
		fputs("3\n", f);
		fclose(f);
	}
	usleep(500 * 1000);
}

/* Tell a driver where we are and wait for it to go on. */
static void sync_point(const char *what)
{
	char line[16];

	printf("%s\n", what);
	if (!fgets(line, sizeof(line), stdin) && ferror(stdin))
		die("stdin");
}

static int idle(int n)
{
	struct rlimit rl = { .rlim_cur = 2 * n + 64, .rlim_max = 2 * n + 64 };
	struct sockaddr_in sin;
	long slab0, unrec0, slab1, unrec1;
	socklen_t len = sizeof(sin);
	int lfd, *fds;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	fds = calloc(2 * n, sizeof(*fds));
	if (!fds)
		die("calloc");
	addr_of(&sin, "127.0.0.1", 0);
	lfd = listen_on(&sin, 128);
	if (getsockname(lfd, (struct sockaddr *)&sin, &len))
		die("getsockname");
	settle();
	sync_point("base");
	slab0 = meminfo_kb("Slab");
	unrec0 = meminfo_kb("SUnreclaim");
	for (int i = 0; i < n; i++) {
		fds[2 * i] = dial(&sin);
		fds[2 * i + 1] = accept(lfd, NULL, NULL);
		if (fds[2 * i + 1] < 0)
			die("accept");
	}
	settle();
	slab1 = meminfo_kb("Slab");
	unrec1 = meminfo_kb("SUnreclaim");
	sync_point("held");
	printf("{\"conns\": %d, \"slab_kb\": %ld, \"sunreclaim_kb\": %ld, "
	       "\"bytes_per_conn\": %.0f, \"unreclaim_bytes_per_conn\": %.0f}\n",
	       n, slab1 - slab0, unrec1 - unrec0,
	       (slab1 - slab0) * 1024.0 / n, (unrec1 - unrec0) * 1024.0 / n);
	for (int i = 0; i < 2 * n; i++)
		close(fds[i]);
	close(lfd);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ktcp-bench server PROTO ADDR PORT\n"
		"       ktcp-bench rr|crr PROTO ADDR PORT SECONDS\n"
		"       ktcp-bench idle PROTO N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		usage();
	proto = atoi(argv[2]);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "server") && argc == 5)
		server(argv[3], atoi(argv[4]));
	if (!strcmp(argv[1], "rr") && argc == 6)
		return rr(argv[3], atoi(argv[4]), atof(argv[5]));
	if (!strcmp(argv[1], "crr") && argc == 6)
		return crr(argv[3], atoi(argv[4]), atof(argv[5]));
	if (!strcmp(argv[1], "idle") && argc == 4)
		return idle(atoi(argv[3]));
	usage();
	return 2;
}
